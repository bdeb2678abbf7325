"""Shared informers: one list-then-watch cache per resource, with named indexes, kept current from storage
events (client-go's SharedInformerFactory, SharedIndexInformer and Indexers).

Authenticators, authorizers, admission plugins (through `FactoryObjectReader`) and controllers read these
caches instead of listing storage per request; controllers also register handlers on them. The Protocols
they are used through are in `mockapi.api.informers`; `indexes.py` holds the index functions stages share.
May import `mockapi.api`, `mockapi.storage`, `mockapi.resources` and `mockapi.registry` (for the storage key
function, so versions and cohabiting resources share one cache).
"""
