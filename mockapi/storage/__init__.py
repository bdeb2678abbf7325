"""A versioned key-value store with watch: the `Storage` Protocol and its in-memory implementation.

Knows nothing about Kubernetes kinds or HTTP; the registry maps its errors to API errors.
May import `mockapi.api` only.
"""
