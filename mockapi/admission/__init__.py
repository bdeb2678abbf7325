"""Admission: the `AdmissionPlugin` Protocols, the ordered chain and the plugin registry.

Plugins live in `plugins/`, one module each, and register with one line in `registry.py`.
Factories receive the stage context (`mockapi.api.stages`). May import `mockapi.api`, `mockapi.resources`
and `mockapi.config`; plugins read other objects through the narrow `ObjectReader` they are given (backed
by shared informers), never through storage directly.
"""
