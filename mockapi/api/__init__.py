"""Vocabulary shared by every stage: identities, request attributes, stage records and errors.

No I/O and no aiohttp here; everything is a plain frozen dataclass or a function over them.
"""
