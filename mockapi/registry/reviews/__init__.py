"""The create-only "virtual" resources of kube-apiserver 1.33, as pure functions: nothing is stored.

- `access`: SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview (validation, the
  authorizer attributes a review asks about, the echoed object) and SelfSubjectRulesReview.
- `authentication`: TokenReview and SelfSubjectReview.
- `binding`: pods/binding and the legacy `bindings` resource (validation, the pod update, the response).
- `gostruct`: how Go prints these objects (`%#v` in field errors, encoding/json field order and omitempty).

The web layer decodes the body, runs the generic create steps (system fields wiped, namespace ensured,
managed fields, admission) and asks the authenticator/authorizer; these modules hold everything else:
the checks in kube-apiserver's order with its exact status codes and messages, and the JSON it returns.

May import `mockapi.api` only (and the standard library).
"""
