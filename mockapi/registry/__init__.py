"""REST semantics over `Storage`: create/get/list/update/patch/delete with kube-apiserver's order of checks.

May import `mockapi.api`, `mockapi.resources`, `mockapi.storage` and `mockapi.protobuf`; admission is reached
through the `mockapi.api.admission.Admission` Protocol, never the concrete chain.
Never aiohttp.
"""
