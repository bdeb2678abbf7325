"""Authentication: `Authenticator` Protocol, the union with kube-apiserver's semantics, and authenticators.

An authenticator answers None (not mine), an `Authenticated` (user, member, audiences), or raises
AuthenticationError (mine, but invalid). `registry.build_authenticator` assembles the union from the stage
context. May import `mockapi.api` and `mockapi.config`.
"""
