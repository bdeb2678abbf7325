"""Authorization: the `Authorizer` Protocol, the union with kube-apiserver's semantics, and authorizers.

An authorizer answers a Decision: Allow, Deny or NoOpinion, with a reason and any evaluation error; rule
resolvers list a user's rules. `registry.MODES` builds each mode from the stage context.
May import `mockapi.api` and `mockapi.config`.
"""
