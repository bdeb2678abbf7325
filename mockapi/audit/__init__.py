"""Audit: audit.k8s.io/v1 Events (level Metadata) carrying every stage's record, and the sinks they go to.

May import `mockapi.api` only.
"""
