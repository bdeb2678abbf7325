"""Kubernetes facts as data: the resource catalog, discovery documents and Table conversion.

May import `mockapi.api`; never aiohttp, storage or the pipeline stages.
"""
