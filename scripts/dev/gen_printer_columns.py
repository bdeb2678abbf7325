#!/usr/bin/env python3
"""Fill the column descriptions of mockapi/resources/data/printer-columns.yaml.

kube-apiserver's printers (pkg/printers/internalversion/printers.go, AddHandlers) describe most Table
columns with the Go doc string of an API field: `metav1.ObjectMeta{}.SwaggerDoc()["name"]`,
`apiv1.PodStatus{}.SwaggerDoc()["podIP"]`, ... . In the data file such a column carries a `doc:`
reference, `<openapi definition>#<property>`, and this script writes the matching text into its
`description:`. Columns whose upstream description is a literal string carry only `description:`.

Where the texts come from
  * `doc: io.k8s...#field`: the `description` of that property in the OpenAPI definitions shipped by the
    kubernetes-validate package for 1.33 (`kubernetes-json-schema/v1.33.0-local/_definitions.json`).
    SwaggerDoc() and the OpenAPI description are produced from the same Go comments by two generators
    (apimachinery `runtime.fmtRawDoc` and kube-openapi). Spot checks (ObjectMeta.creationTimestamp,
    CertificateSigningRequestSpec.expirationSeconds/signerName, EndpointSlice.addressType,
    CronJobSpec.timeZone, HPA spec fields) found them identical, including `\\n\\n` paragraph breaks and
    indented lines. Known ways they can differ, none hit by the fields used here: kube-openapi cuts at
    the first `---` anywhere (SwaggerDoc only at a line that is exactly `---`), recent SwaggerDoc
    generators put list lines (`- `, `* `, `1. `, `|`) on their own line, and upstream's swagger.json
    appends "Possible enum values" (absent from the kubernetes-validate copy, and from SwaggerDoc).
  * `doc: legacy:io.k8s...#field`: printers.go reads several descriptions from API versions that 1.33
    no longer serves (extensions/v1beta1, batch/v1beta1, autoscaling/v2beta1, rbac/v1beta1,
    certificates/v1beta1 CSR, discovery/v1beta1, apps/v1beta1). Their texts are not in the 1.33
    definitions and often differ from the GA type's text (e.g. extensions/v1beta1 DeploymentSpec.selector
    lacks "It must match the pod template's labels."), so they are kept in LEGACY below, each read from a
    `types_swagger_doc_generated.go` of that API version (see the comment on each group).

Usage:
  python scripts/dev/gen_printer_columns.py           # rewrite the data file
  python scripts/dev/gen_printer_columns.py --check   # exit 1 if the data file is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "mockapi" / "resources" / "data" / "printer-columns.yaml"

HEADER = """\
# Table (meta.k8s.io/v1) column definitions kube-apiserver 1.33 serves for built-in resources.
# Our own format, read by mockapi/resources/tables/registry.py. Facts: kubernetes/kubernetes
# pkg/printers/internalversion/printers.go (AddHandlers), k8s.io/apiserver registry/rest/table.go
# (default convertor), kube-aggregator registry/apiservice/etcd (APIService convertor).
#
# DESCRIPTIONS ARE GENERATED: edit `doc:` and run `python scripts/dev/gen_printer_columns.py`.
#
# tables.<printer id>:
#   convertor: printers (default) | default | apiservice -- which upstream TableConvertor is modelled:
#       printers   rows [] when empty, columnDefinitions null when headers are off
#       default    rows null when empty (rest.defaultTableConvertor appends to a nil slice)
#       apiservice columnDefinitions always sent (kube-aggregator ignores NoHeaders)
#   resources: [{group, resource, version?, printer?}] -- served resources that use this table;
#       `printer` names a different cell function with the same columns, `version` narrows the match.
#       Every resource not listed anywhere uses `default` (Name, Created At).
#   columns: [{name, type, format, priority, description, doc?, note?}] -- exactly the
#       TableColumnDefinition fields in order; `doc` is where `description` came from.
"""

# Texts of SwaggerDoc() keys of API versions 1.33 no longer serves (see module docstring).
LEGACY: dict[str, str] = {
    # k8s.io/api/extensions/v1beta1/types_swagger_doc_generated.go (a >=1.21 copy vendored by
    # kubeadapt/kubeadapt-k8s-pulse; extensions/v1beta1 docs are frozen, e.g. they kept
    # "The number of ready replicas for this replica set." when apps/v1 changed it). Not verified
    # against the 1.33 copy: 1.33 reworded apps/v1 ReplicaSetStatus/DeploymentStatus (terminating
    # replicas, KEP-3973); whether extensions/v1beta1 followed is unknown.
    "io.k8s.api.extensions.v1beta1.ReplicaSetSpec#replicas": (
        "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit "
        "zero and unspecified. Defaults to 1. More info: "
        "https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/"
        "#what-is-a-replicationcontroller"
    ),
    "io.k8s.api.extensions.v1beta1.ReplicaSetSpec#selector": (
        "Selector is a label query over pods that should match the replica count. If the selector is "
        "empty, it is defaulted to the labels present on the pod template. Label keys and values that "
        "must match in order to be controlled by this replica set. More info: "
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"
    ),
    "io.k8s.api.extensions.v1beta1.ReplicaSetStatus#replicas": (
        "Replicas is the most recently observed number of replicas. More info: "
        "https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/"
        "#what-is-a-replicationcontroller"
    ),
    "io.k8s.api.extensions.v1beta1.ReplicaSetStatus#readyReplicas": (
        "The number of ready replicas for this replica set."
    ),
    "io.k8s.api.extensions.v1beta1.DaemonSetStatus#desiredNumberScheduled": (
        "The total number of nodes that should be running the daemon pod (including nodes correctly "
        "running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"
    ),
    "io.k8s.api.extensions.v1beta1.DaemonSetStatus#currentNumberScheduled": (
        "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon "
        "pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"
    ),
    "io.k8s.api.extensions.v1beta1.DaemonSetStatus#numberReady": (
        "The number of nodes that should be running the daemon pod and have one or more of the daemon "
        "pod running and ready."
    ),
    "io.k8s.api.extensions.v1beta1.DaemonSetStatus#updatedNumberScheduled": (
        "The total number of nodes that are running updated daemon pod"
    ),
    "io.k8s.api.extensions.v1beta1.DaemonSetStatus#numberAvailable": (
        "The number of nodes that should be running the daemon pod and have one or more of the daemon "
        "pod running and available (ready for at least spec.minReadySeconds)"
    ),
    "io.k8s.api.extensions.v1beta1.DaemonSetSpec#selector": (
        "A label query over pods that are managed by the daemon set. Must match in order to be "
        "controlled. If empty, defaulted to labels on Pod template. More info: "
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"
    ),
    "io.k8s.api.extensions.v1beta1.DeploymentStatus#updatedReplicas": (
        "Total number of non-terminated pods targeted by this deployment that have the desired template spec."
    ),
    "io.k8s.api.extensions.v1beta1.DeploymentStatus#availableReplicas": (
        "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."
    ),
    "io.k8s.api.extensions.v1beta1.DeploymentSpec#selector": (
        "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones "
        "affected by this deployment."
    ),
    "io.k8s.api.extensions.v1beta1.NetworkPolicySpec#podSelector": (
        "Selects the pods to which this NetworkPolicy object applies.  The array of ingress rules is "
        "applied to any pods selected by this field. Multiple network policies can select the same set "
        "of pods.  In this case, the ingress rules for each are combined additively. This field is NOT "
        "optional and follows standard label selector semantics. An empty podSelector matches all pods "
        "in this namespace."
    ),
    # k8s.io/api/batch/v1beta1 (same vendored copy); identical to batch/v1 in the 1.33 definitions.
    "io.k8s.api.batch.v1beta1.CronJobSpec#schedule": (
        "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."
    ),
    "io.k8s.api.batch.v1beta1.CronJobSpec#timeZone": (
        "The time zone name for the given schedule, see "
        "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will "
        "default to the time zone of the kube-controller-manager process. The set of valid time zone "
        "names and the time zone offset is loaded from the system-wide time zone database by the API "
        "server during CronJob validation and the controller manager during execution. If no "
        "system-wide time zone database can be found a bundled version of the database is used "
        "instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a "
        "change in host configuration, the controller will stop creating new new Jobs and will create "
        "a system event with the reason UnknownTimeZone. More information can be found in "
        "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"
    ),
    "io.k8s.api.batch.v1beta1.CronJobSpec#suspend": (
        "This flag tells the controller to suspend subsequent executions, it does not apply to already "
        "started executions.  Defaults to false."
    ),
    "io.k8s.api.batch.v1beta1.CronJobStatus#active": "A list of pointers to currently running jobs.",
    "io.k8s.api.batch.v1beta1.CronJobStatus#lastScheduleTime": (
        "Information when was the last time the job was successfully scheduled."
    ),
    # k8s.io/api/autoscaling/v2beta1 (same vendored copy). `metrics` lacks the v2 sentence
    # "If not set, the default metric will be set to 80% average CPU utilization."
    "io.k8s.api.autoscaling.v2beta1.HorizontalPodAutoscalerSpec#scaleTargetRef": (
        "scaleTargetRef points to the target resource to scale, and is used to the pods for which "
        "metrics should be collected, as well as to actually change the replica count."
    ),
    "io.k8s.api.autoscaling.v2beta1.HorizontalPodAutoscalerSpec#metrics": (
        "metrics contains the specifications for which to use to calculate the desired replica count "
        "(the maximum replica count across all metrics will be used).  The desired replica count is "
        "calculated multiplying the ratio between the target value and the current value by the "
        "current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and "
        "vice-versa.  See the individual metric source types for more information about how each type "
        "of metric must respond."
    ),
    "io.k8s.api.autoscaling.v2beta1.HorizontalPodAutoscalerSpec#minReplicas": (
        "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale "
        "down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate "
        "HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling "
        "is active as long as at least one metric value is available."
    ),
    "io.k8s.api.autoscaling.v2beta1.HorizontalPodAutoscalerSpec#maxReplicas": (
        "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. "
        "It cannot be less that minReplicas."
    ),
    "io.k8s.api.autoscaling.v2beta1.HorizontalPodAutoscalerStatus#currentReplicas": (
        "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen "
        "by the autoscaler."
    ),
    # k8s.io/api/rbac/v1beta1 (kubernetes/kubernetes@121460de, a post-1.22 copy with lower-case field
    # names); unlike rbac/v1 it has no "This field is immutable."
    "io.k8s.api.rbac.v1beta1.RoleBinding#roleRef": (
        "roleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. "
        "If the RoleRef cannot be resolved, the Authorizer must return an error."
    ),
    "io.k8s.api.rbac.v1beta1.ClusterRoleBinding#roleRef": (
        "roleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be "
        "resolved, the Authorizer must return an error."
    ),
    # k8s.io/api/certificates/v1beta1 (kubeadapt vendored copy, >=1.22: has expirationSeconds).
    "io.k8s.api.certificates.v1beta1.CertificateSigningRequestSpec#signerName": (
        "Requested signer for the request. It is a qualified name in the form: `scope-hostname.io/name`. "
        "If empty, it will be defaulted:\n"
        " 1. If it's a kubelet client certificate, it is assigned\n"
        '    "kubernetes.io/kube-apiserver-client-kubelet".\n'
        " 2. If it's a kubelet serving certificate, it is assigned\n"
        '    "kubernetes.io/kubelet-serving".\n'
        ' 3. Otherwise, it is assigned "kubernetes.io/legacy-unknown".\n'
        "Distribution of trust for signers happens out of band. You can select on this field using "
        "`spec.signerName`."
    ),
    "io.k8s.api.certificates.v1beta1.CertificateSigningRequestSpec#request": "Base64-encoded PKCS#10 CSR data",
    "io.k8s.api.certificates.v1beta1.CertificateSigningRequestSpec#expirationSeconds": (
        "expirationSeconds is the requested duration of validity of the issued certificate. The "
        "certificate signer may issue a certificate with a different validity duration so a client "
        "must check the delta between the notBefore and and notAfter fields in the issued certificate "
        "to determine the actual duration.\n\nThe v1.22+ in-tree implementations of the well-known "
        "Kubernetes signers will honor this field as long as the requested duration is not greater "
        "than the maximum duration they will honor per the --cluster-signing-duration CLI flag to the "
        "Kubernetes controller manager.\n\nCertificate signers may not honor this field for various "
        "reasons:\n\n  1. Old signer that is unaware of the field (such as the in-tree\n     "
        "implementations prior to v1.22)\n  2. Signer whose configured maximum is shorter than the "
        "requested duration\n  3. Signer whose configured minimum is longer than the requested "
        "duration\n\nThe minimum valid value for expirationSeconds is 600, i.e. 10 minutes."
    ),
    "io.k8s.api.certificates.v1beta1.CertificateSigningRequestStatus#conditions": (
        "Conditions applied to the request, such as approval or denial."
    ),
    # k8s.io/api/discovery/v1beta1 (kubernetes/kubernetes@01aa0f3f).
    "io.k8s.api.discovery.v1beta1.EndpointSlice#addressType": (
        "addressType specifies the type of address carried by this EndpointSlice. All addresses in this "
        "slice must be the same type. This field is immutable after creation. The following address "
        "types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 "
        "Address. * FQDN: Represents a Fully Qualified Domain Name."
    ),
    "io.k8s.api.discovery.v1beta1.EndpointSlice#ports": (
        "ports specifies the list of network ports exposed by each endpoint in this slice. Each port "
        "must have a unique name. When ports is empty, it indicates that there are no defined ports. "
        'When a port is defined with a nil port value, it indicates "all ports". Each slice may include '
        "a maximum of 100 ports."
    ),
    "io.k8s.api.discovery.v1beta1.EndpointSlice#endpoints": (
        "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."
    ),
    # k8s.io/api/apps/v1beta1: unchanged since ControllerRevision was introduced; equals apps/v1.
    "io.k8s.api.apps.v1beta1.ControllerRevision#revision": (
        "Revision indicates the revision of the state represented by Data."
    ),
}


def default_definitions() -> Path:
    import kubernetes_validate

    base = Path(kubernetes_validate.__file__).parent
    return base / "kubernetes-json-schema" / "v1.33.0-local" / "_definitions.json"


def resolve(ref: str, defs: dict[str, Any]) -> str:
    if ref.startswith("legacy:"):
        return LEGACY[ref.removeprefix("legacy:")]
    name, _, prop = ref.partition("#")
    try:
        text = defs[name]["properties"][prop]["description"]
    except KeyError as err:
        raise SystemExit(f"unresolvable doc reference {ref!r}: missing {err}") from None
    if not isinstance(text, str):
        raise SystemExit(f"doc reference {ref!r} has no string description")
    return text


def fill(data: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for table_id, table in data["tables"].items():
        columns = []
        for col in table["columns"]:
            out: dict[str, Any] = {k: col[k] for k in ("name", "type", "format", "priority")}
            if "doc" in col:
                out["doc"] = col["doc"]
                out["description"] = resolve(col["doc"], defs)
            else:
                out["description"] = col["description"]
            if "note" in col:
                out["note"] = col["note"]
            columns.append(out)
        new_table: dict[str, Any] = {}
        if "convertor" in table:
            new_table["convertor"] = table["convertor"]
        new_table["resources"] = table["resources"]
        new_table["columns"] = columns
        tables[table_id] = new_table
    return {"version": data["version"], "tables": tables}


def render(data: dict[str, Any]) -> str:
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1 << 20, default_flow_style=False)
    return HEADER + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--definitions", type=Path, default=None)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    defs_path: Path = args.definitions or default_definitions()
    defs = json.loads(defs_path.read_text())["$defs"]
    current = DATA.read_text()
    data = yaml.safe_load(current)
    text = render(fill(data, defs))
    if yaml.safe_load(text) != fill(data, defs):
        raise SystemExit("rendered YAML does not round-trip")
    if args.check:
        if text != current:
            print(f"{DATA} is out of date; run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    DATA.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
