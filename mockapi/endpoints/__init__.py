"""The web layer, and the only package that imports aiohttp: request parsing, the filter chain,
handlers, content negotiation and watch streaming; the REST storage map (`rest_registry.py`) says which
storage serves each resource and subresource. Depends on the stages through the vocabulary's Protocols.
May import `mockapi.api`, `mockapi.registry`, `mockapi.resources`, `mockapi.protobuf`, `mockapi.audit`;
storage only through the registry's ResourceStore.
"""
