"""Authorization: the `Authorizer` Protocol, the union with kube-apiserver's semantics, and authorizers.

An authorizer answers a Decision: Allow, Deny or NoOpinion, with a reason. May import `mockapi.api` only.
"""
