"""Authentication: `Authenticator` Protocol, the union with kube-apiserver's semantics, and authenticators.

An authenticator answers None (not mine), a UserInfo, or raises AuthenticationError (mine, but invalid).
May import `mockapi.api` only.
"""
