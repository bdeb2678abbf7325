"""Admission: the `AdmissionPlugin` Protocols, the ordered chain and the plugin registry.

Plugins live in `plugins/`, one module each, and register with one line in `registry.py`.
May import `mockapi.api` and `mockapi.resources`; plugins read other objects through the
narrow `ObjectReader` they are given, never through storage directly.
"""
