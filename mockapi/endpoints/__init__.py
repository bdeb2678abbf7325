"""The web layer, and the only package that imports aiohttp: request parsing, the filter chain,
handlers, content negotiation and watch streaming.
"""
