"""REST semantics over `Storage`: create/get/list/update/patch/delete with kube-apiserver's order of checks.

May import `mockapi.api`, `mockapi.resources`, `mockapi.storage` and `mockapi.admission` (interfaces only).
Never aiohttp.
"""
