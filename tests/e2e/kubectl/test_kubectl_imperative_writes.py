"""kubectl's everyday imperative writes with validation on: `create <generator>` on every kubectl 1.27-1.30
(1.31-1.33 are in test_kubectl_create_generators.py, whose table is reused), and with the oldest and newest
kubectl `run`, `expose`, `set image|env|resources`, `edit` with an EDITOR script, `replace`, `rollout
history|undo|pause|resume|restart` and `--dry-run=server` leaving no trace.

There is no deployment controller: the rollout tests create the ReplicaSets a controller would (owned by
the Deployment, carrying `deployment.kubernetes.io/revision`) and set the Deployment's revision annotation.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kubectl_e2e_support import table
from kubectl_write_support import CLUSTER_IP, editor, editor_calls, get, list_resource_version, run
from test_kubectl_create_generators import GENERATORS, b64, subset, write_inputs

from mockapi.testing.kubectl import Kubectl

pytestmark = pytest.mark.kubectl


@pytest.mark.kubectl_matrix
@pytest.mark.kubectl_versions(until="1.30")
def test_create_generators(kubectl_version: str, kubectl: Callable[..., Kubectl], tmp_path: Path) -> None:
    k = kubectl(kubectl_version)
    files = write_inputs(tmp_path)
    names = sorted(GENERATORS)
    for name in names:
        args, _, printed, _ = GENERATORS[name]
        result = k("create", *(a.replace("{dir}", str(tmp_path)) for a in args))
        assert (result.returncode, result.stdout, result.stderr) == (0, f"{printed} created\n", ""), name

    items = get(k, *(GENERATORS[n][1] for n in names))["items"]
    assert [(i["kind"].lower(), i["metadata"]["name"]) for i in items] == [
        tuple(GENERATORS[n][1].split("/")) for n in names
    ]
    for name, obj in zip(names, items, strict=True):
        subset(obj, GENERATORS[name][3], name)
        metadata = obj["metadata"]
        assert metadata["uid"] and metadata["resourceVersion"] and metadata["creationTimestamp"], name
    by_name = dict(zip(names, items, strict=True))
    assert by_name["secret-tls"]["data"] == {"tls.crt": b64(files["tls.crt"]), "tls.key": b64(files["tls.key"])}
    config = json.loads(base64.b64decode(by_name["secret-docker-registry"]["data"][".dockerconfigjson"]))
    assert config["auths"]["registry.example"] == {"username": "u", "password": "p", "auth": b64("u:p")}


def test_run_expose_set(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    k = kubectl(kubectl_version)

    # run: a bare pod; --labels/--env/--port and the arguments after `--` land in the pod's one container
    assert (
        k.ok(
            "run",
            "web-0",
            "--image=nginx:1.27",
            "--labels=app=web,tier=fe",
            "--env=MODE=prod",
            "--port=80",
            "--",
            "nginx",
            "-g",
            "daemon off;",
        )
        == "pod/web-0 created\n"
    )
    assert k.ok("run", "once", "--image=busybox", "--restart=Never", "--command", "--", "sh", "-c", "echo hi") == (
        "pod/once created\n"
    )
    # run --expose: the service first, then the pod
    assert k.ok("run", "exposed", "--image=nginx", "--port=8080", "--expose").splitlines() == [
        "service/exposed created",
        "pod/exposed created",
    ]
    # expose: the deployment's selector becomes the service's, its labels are copied
    k.ok("create", "deployment", "web", "--image=nginx:1.27", "--port=80", "--replicas=2")
    assert k.ok("expose", "deployment", "web", "--port=8080", "--target-port=80", "--name=web-svc") == (
        "service/web-svc exposed\n"
    )
    pod, once, exposed, svc = get(k, "pod/web-0", "pod/once", "service/exposed", "service/web-svc")["items"]

    assert pod["metadata"]["labels"] == {"app": "web", "tier": "fe"}
    (container,) = pod["spec"]["containers"]
    subset(
        container,
        {
            "name": "web-0",
            "image": "nginx:1.27",
            "args": ["nginx", "-g", "daemon off;"],
            "env": [{"name": "MODE", "value": "prod"}],
            "ports": [{"containerPort": 80, "protocol": "TCP"}],
            "imagePullPolicy": "IfNotPresent",
        },
    )
    assert "command" not in container
    assert (pod["spec"]["restartPolicy"], pod["status"]["phase"]) == ("Always", "Pending")
    assert (once["metadata"]["labels"], once["spec"]["restartPolicy"]) == ({"run": "once"}, "Never")
    subset(
        once["spec"]["containers"],
        [
            {"name": "once", "command": ["sh", "-c", "echo hi"], "imagePullPolicy": "Always"},
        ],
    )
    subset(
        exposed["spec"],
        {
            "selector": {"run": "exposed"},
            "ports": [{"port": 8080, "protocol": "TCP", "targetPort": 8080}],
            "type": "ClusterIP",
        },
    )
    assert svc["metadata"]["labels"] == {"app": "web"}
    spec = svc["spec"]
    assert CLUSTER_IP.match(spec["clusterIP"]), spec
    assert spec == {
        "clusterIP": spec["clusterIP"],
        "clusterIPs": [spec["clusterIP"]],
        "internalTrafficPolicy": "Cluster",
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": [{"port": 8080, "protocol": "TCP", "targetPort": 80}],
        "selector": {"app": "web"},
        "sessionAffinity": "None",
        "type": "ClusterIP",
    }
    assert k.ok("expose", "deployment/web", "--type=NodePort", "--port=80", "--name=web-np") == (
        "service/web-np exposed\n"
    )
    np = get(k, "service/web-np")["spec"]
    assert (np["type"], np["externalTrafficPolicy"]) == ("NodePort", "Cluster")
    (port,) = np["ports"]
    assert 30000 <= port.pop("nodePort") <= 32767
    assert port == {"port": 80, "protocol": "TCP", "targetPort": 80}
    assert k("expose", "deployment", "web", "--port=8080", "--name=web-svc").stderr.strip() == (
        'Error from server (AlreadyExists): services "web-svc" already exists'
    )

    # set image / env / resources: strategic merge patches of the pod template
    assert k.ok("set", "image", "deployment/web", "nginx=nginx:1.28") == "deployment.apps/web image updated\n"
    assert k.ok("set", "env", "deployment/web", "MODE=prod", "DEBUG=1") == "deployment.apps/web env updated\n"
    env: list[dict[str, Any]] = [{"name": "MODE", "value": "prod"}]
    k.ok("create", "configmap", "cfg", "--from-literal=log.level=info")
    from_cm = k("set", "env", "deployment/web", "--from=configmap/cfg", "--prefix=CFG_")
    assert (from_cm.returncode, from_cm.stdout) == (0, "deployment.apps/web env updated\n"), from_cm.stderr
    assert from_cm.stderr == "Warning: key log.level transferred to LOG_LEVEL\n"
    env.append({"name": "CFG_LOG_LEVEL", "valueFrom": {"configMapKeyRef": {"key": "log.level", "name": "cfg"}}})
    assert k.ok("set", "env", "deployment/web", "DEBUG-") == "deployment.apps/web env updated\n"
    assert (
        k.ok(
            "set",
            "resources",
            "deployment/web",
            "-c=nginx",
            "--limits=cpu=200m,memory=512Mi",
            "--requests=cpu=100m,memory=256Mi",
        )
        == "deployment.apps/web resource requirements updated\n"
    )
    # a pod's container image may change; nothing else in its spec may
    assert k.ok("set", "image", "pod/web-0", "web-0=nginx:1.28") == "pod/web-0 image updated\n"
    refused = k("set", "env", "pod/web-0", "EXTRA=1")
    assert (refused.returncode, refused.stdout) == (1, "")
    report = refused.stderr.splitlines()
    assert report[0] == (  # kubectl set env words its own prefix
        'error: failed to patch env update to pod template: Pod "web-0" is invalid: spec: Forbidden: '
        "pod updates may not change fields other than "
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
        "(allow it to be set to 1 if it was previously negative)"
    ), refused.stderr
    assert report[1] == "  core.PodSpec{"
    assert '+ \t\t\t\t{Name: "EXTRA", Value: "1"},' in report

    deploy, pod = get(k, "deployment/web", "pod/web-0")["items"]
    assert deploy["metadata"]["generation"] == 6
    (nginx,) = deploy["spec"]["template"]["spec"]["containers"]
    assert (nginx["image"], nginx["env"]) == ("nginx:1.28", env)
    assert nginx["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert nginx["resources"] == {
        "limits": {"cpu": "200m", "memory": "512Mi"},
        "requests": {"cpu": "100m", "memory": "256Mi"},
    }
    assert pod["spec"]["containers"][0]["image"] == "nginx:1.28"


def test_edit_and_replace(kubectl_version: str, kubectl: Callable[..., Kubectl], tmp_path: Path) -> None:
    k = kubectl(kubectl_version)
    k.ok("create", "deployment", "web", "--image=nginx:1.27")
    k.ok("create", "configmap", "cfg", "--from-literal=a=b")
    tmp = tmp_path / "tmp"
    tmp.mkdir()

    def edit(script: Path, *args: str) -> tuple[int, str, str]:
        result = run(k, "edit", *args, env={"KUBE_EDITOR": str(script), "TMPDIR": str(tmp)})
        return result.returncode, result.stdout, result.stderr

    # an image change and a new label
    image = editor(
        tmp_path, "image", "s/image: nginx:1.27/image: nginx:1.28/", 's/^  labels:$/  labels:\\n    edited: "yes"/'
    )
    assert edit(image, "deployment/web") == (0, "deployment.apps/web edited\n", "")
    (opened,) = editor_calls(tmp_path, "image")
    assert opened.startswith("# Please edit the object below. Lines beginning with a '#' will be ignored,\n")
    assert "\napiVersion: apps/v1\nkind: Deployment\n" in opened

    # an unknown field: the server's strict decoding error is shown in the reopened file; the editor
    # changes nothing the second time, so kubectl gives up and keeps a copy
    bogus = editor(tmp_path, "bogus", r"s/^  replicas: 1$/  replicas: 1\n  bogus: 1/")
    code, out, err = edit(bogus, "deployment/web")
    assert (code, out) == (1, ""), err
    first, second = editor_calls(tmp_path, "bogus")
    assert '# deployments.apps "web" was not valid:\n' not in first
    assert (
        '# deployments.apps "web" was not valid:\n'
        '# * patch: Invalid value: "map[spec:map[bogus:1]]": strict decoding error: unknown field "spec.bogus"\n'
    ) in second
    lines = err.splitlines()
    assert lines[0] == 'error: deployments.apps "web" is invalid'
    assert lines[1].startswith(f'A copy of your changes has been stored to "{tmp}/'), lines
    assert lines[2:] == ["error: Edit cancelled, no valid changes were saved."]

    # a change validation refuses (a negative replica count) is shown in the reopened file
    negative = editor(tmp_path, "negative", r"s/^  replicas: 1$/  replicas: -1/")
    code, out, err = edit(negative, "deployment/web")
    assert (code, out) == (1, ""), err
    _, reopened = editor_calls(tmp_path, "negative")
    assert (
        '# deployments.apps "web" was not valid:\n'
        "# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n"
    ) in reopened
    assert err.splitlines()[0] == 'error: deployments.apps "web" is invalid'

    deploy = get(k, "deployment/web")
    assert deploy["metadata"]["labels"] == {"app": "web", "edited": "yes"}
    assert deploy["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert deploy["metadata"]["generation"] == 2
    assert "bogus" not in deploy["spec"]

    # as JSON (-o is both the editing and the output format)
    as_json = editor(tmp_path, "json", 's/"a": "b"/"a": "c",\\n        "new": "1"/')
    code, out, err = edit(as_json, "configmap/cfg", "-o", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["data"] == get(k, "configmap/cfg")["data"] == {"a": "c", "new": "1"}
    # no change: nothing is sent
    assert edit(editor(tmp_path, "untouched"), "deployment/web") == (0, "", "Edit cancelled, no changes made.\n")

    # replace -f: kubectl fills in the live resourceVersion when the file has none
    live = get(k, "configmap/cfg")
    manifest = tmp_path / "cfg.json"
    manifest.write_text(
        json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"z": "9"}})
    )
    assert k.ok("replace", "-f", str(manifest)) == "configmap/cfg replaced\n"
    # a whole Deployment from a file, validated against the schema
    deploy_file = tmp_path / "web.yaml"
    deploy_file.write_text(k.ok("get", "deployment/web", "-o", "yaml").replace("nginx:1.28", "nginx:1.29"))
    assert k.ok("replace", "-f", str(deploy_file)) == "deployment.apps/web replaced\n"
    replaced, deploy = get(k, "configmap/cfg", "deployment/web")["items"]
    assert replaced["data"] == {"z": "9"}
    assert replaced["metadata"]["uid"] == live["metadata"]["uid"]
    assert int(replaced["metadata"]["resourceVersion"]) > int(live["metadata"]["resourceVersion"])
    assert (deploy["spec"]["template"]["spec"]["containers"][0]["image"], deploy["metadata"]["generation"]) == (
        "nginx:1.29",
        3,
    )

    # a stale resourceVersion in the file is a conflict
    manifest.write_text(json.dumps(dict(live, data={"stale": "yes"})))
    conflict = k("replace", "-f", str(manifest))
    assert (conflict.returncode, conflict.stdout) == (1, "")
    assert conflict.stderr.strip() == (
        f'Error from server (Conflict): error when replacing "{manifest}": Operation cannot be fulfilled on '
        'configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again'
    )
    # --force deletes and creates again: a new uid
    manifest.write_text(
        json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"forced": "1"}})
    )
    assert k.ok("replace", "--force", "-f", str(manifest)).splitlines() == [
        'configmap "cfg" deleted',
        "configmap/cfg replaced",
    ]
    forced = get(k, "configmap/cfg")
    assert (forced["data"], forced["metadata"]["uid"] != live["metadata"]["uid"]) == ({"forced": "1"}, True)
    missing = k("replace", "-f", "-", input="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nothere\n")
    assert missing.stderr.strip() == (
        'Error from server (NotFound): error when replacing "STDIN": configmaps "nothere" not found'
    )


def replica_set(deploy: Any, revision: int, image: str, pod_hash: str, cause: str, owned: bool = True) -> str:
    """The ReplicaSet the deployment controller makes for one revision of `deploy`'s pod template."""
    labels = {**deploy["spec"]["template"]["metadata"]["labels"], "pod-template-hash": pod_hash}
    template = json.loads(json.dumps(deploy["spec"]["template"]))
    template["metadata"]["labels"] = labels
    template["spec"]["containers"][0]["image"] = image
    name = deploy["metadata"]["name"]
    metadata: dict[str, Any] = {
        "name": f"{name}-{pod_hash}",
        "labels": labels,
        "annotations": {"deployment.kubernetes.io/revision": str(revision), "kubernetes.io/change-cause": cause},
    }
    if owned:
        metadata["ownerReferences"] = [
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": name,
                "uid": deploy["metadata"]["uid"],
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ]
    return json.dumps(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": metadata,
            "spec": {"replicas": 0, "selector": {"matchLabels": labels}, "template": template},
        }
    )


def test_rollout(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    k = kubectl(kubectl_version)
    k.ok("create", "deployment", "web", "--image=nginx:1.27")
    assert k.ok("rollout", "history", "deployment/web") == "deployment.apps/web \nNo rollout history found.\n"

    # what the controller does for two revisions
    deploy = get(k, "deployment/web")
    k.ok("create", "-f", "-", input=replica_set(deploy, 1, "nginx:1.27", "5d4f8b7c9", "initial"))
    k.ok("annotate", "deployment/web", "deployment.kubernetes.io/revision=1")
    k.ok("set", "image", "deployment/web", "nginx=nginx:1.28")
    k.ok("create", "-f", "-", input=replica_set(deploy, 2, "nginx:1.28", "6b9d7f5c8", "upgrade to 1.28"))
    k.ok("annotate", "--overwrite", "deployment/web", "deployment.kubernetes.io/revision=2")
    # a ReplicaSet with matching labels but no controller reference is not the deployment's history
    k.ok("create", "-f", "-", input=replica_set(deploy, 7, "busybox", "7c8d9f6b5", "orphan", owned=False))

    assert table(k.ok("rollout", "history", "deployment/web")) == [
        ["deployment.apps/web"],
        ["REVISION", "CHANGE-CAUSE"],
        ["1", "initial"],
        ["2", "upgrade to 1.28"],
    ]
    revision = k.ok("rollout", "history", "deployment/web", "--revision=1")
    assert revision.startswith("deployment.apps/web with revision #1\nPod Template:\n"), revision
    assert "    Image:\tnginx:1.27\n" in revision

    # pause / resume flip spec.paused, which kubectl reads back before rolling back
    assert k.ok("rollout", "pause", "deployment/web") == "deployment.apps/web paused\n"
    refused = k("rollout", "undo", "deployment/web")
    assert (refused.returncode, refused.stderr.strip()) == (
        1,
        ("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"),
    )
    assert k.ok("rollout", "resume", "deployment/web") == "deployment.apps/web resumed\n"

    # undo: a JSON patch replacing the template (hash label dropped) and the annotations
    generation = 5  # create, set image, pause, resume
    before = get(k, "deployment/web")
    assert before["metadata"]["generation"] == generation - 1
    assert k.ok("rollout", "undo", "deployment/web", "--dry-run=server") == (
        "deployment.apps/web rolled back (server dry run)\n"
    )
    assert get(k, "deployment/web") == before
    assert k.ok("rollout", "undo", "deployment/web") == "deployment.apps/web rolled back\n"
    deploy = get(k, "deployment/web")
    assert "paused" not in deploy["spec"]
    assert deploy["metadata"]["generation"] == generation
    assert deploy["metadata"]["annotations"] == {
        "deployment.kubernetes.io/revision": "2",
        "kubernetes.io/change-cause": "initial",
    }
    assert deploy["spec"]["template"]["metadata"]["labels"] == {"app": "web"}
    assert deploy["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"

    assert k.ok("rollout", "undo", "deployment/web", "--to-revision=1") == (
        "deployment.apps/web skipped rollback (current template already matches revision 1)\n"
    )
    assert k("rollout", "undo", "deployment/web", "--to-revision=5").stderr.strip() == (
        "error: unable to find specified revision 5 in history"
    )
    assert k.ok("rollout", "undo", "deployment/web", "--to-revision=2") == "deployment.apps/web rolled back\n"
    # restart: an annotation on the pod template
    assert k.ok("rollout", "restart", "deployment/web") == "deployment.apps/web restarted\n"
    template = get(k, "deployment/web")["spec"]["template"]
    assert template["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert list(template["metadata"]["annotations"]) == ["kubectl.kubernetes.io/restartedAt"]


CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  labels: {{app: web}}\ndata:\n  k: {value}\n"


def test_server_dry_run_leaves_no_trace(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    k = kubectl(kubectl_version)
    k.ok("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2")
    k.ok("apply", "-f", "-", input=CONFIGMAP.format(name="cfg", value="v1"))
    k.ok("run", "pod-0", "--image=nginx")

    def snapshot() -> tuple[Any, ...]:
        """The lists' resourceVersions (kube-apiserver's is the store's latest) and the objects."""
        return (
            list_resource_version(k, "/api/v1/namespaces/default/configmaps"),
            list_resource_version(k, "/apis/apps/v1/namespaces/default/deployments"),
            get(k, "configmap/cfg", "deployment/web", "pod/pod-0"),
        )

    before = snapshot()
    dry = "--dry-run=server"
    absent = ["configmap/new", "configmap/new2", "configmap/new3"]
    assert k.ok("create", "configmap", "new", "--from-literal=a=b", dry) == "configmap/new created (server dry run)\n"
    assert k.ok("create", "-f", "-", dry, input=CONFIGMAP.format(name="new2", value="x")) == (
        "configmap/new2 created (server dry run)\n"
    )
    assert k.ok("apply", "-f", "-", dry, input=CONFIGMAP.format(name="new3", value="x")) == (
        "configmap/new3 created (server dry run)\n"
    )
    assert k.ok("apply", "-f", "-", dry, input=CONFIGMAP.format(name="cfg", value="v2")) == (
        "configmap/cfg configured (server dry run)\n"
    )
    patched = json.loads(k.ok("patch", "deployment/web", "-p", '{"spec":{"replicas":4}}', dry, "-o", "json"))
    assert (patched["spec"]["replicas"], patched["metadata"]["generation"]) == (4, 2)
    assert k.ok("scale", "deployment/web", "--replicas=5", dry) == "deployment.apps/web scaled (server dry run)\n"
    assert k.ok("set", "image", "deployment/web", "nginx=nginx:1.28", dry) == (
        "deployment.apps/web image updated (server dry run)\n"
    )
    assert k.ok("delete", "configmap/cfg", "pod/pod-0", dry).splitlines() == [
        'configmap "cfg" deleted (server dry run)',
        'pod "pod-0" deleted (server dry run)',
    ]
    assert k.ok("delete", "deployment", "web", dry) == 'deployment.apps "web" deleted (server dry run)\n'
    created = json.loads(k.ok("create", "namespace", "new-ns", dry, "-o", "json"))
    assert created["metadata"]["uid"] and created["status"] == {"phase": "Active"}
    assert k.ok("patch", "configmap/cfg", "--type=merge", "-p", '{"data":{"k":"v3"}}', dry) == (
        "configmap/cfg patched\n"
    )
    assert k.ok("label", "configmap/cfg", "tier=fe", dry) == "configmap/cfg labeled (server dry run)\n"
    assert k.ok("replace", "-f", "-", dry, input=CONFIGMAP.format(name="cfg", value="v4")) == (
        "configmap/cfg replaced (server dry run)\n"
    )
    assert k.ok("run", "pod-1", "--image=nginx", dry) == "pod/pod-1 created (server dry run)\n"
    assert k.ok("expose", "deployment/web", "--port=80", dry) == "service/web exposed (server dry run)\n"
    absent += ["namespace/new-ns", "pod/pod-1", "service/web"]
    # a dry run is checked like a real request
    invalid = k("create", "configmap", "Bad_Name", dry)
    assert invalid.returncode == 1 and invalid.stderr.startswith(
        'error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: '
        '"Bad_Name": a lowercase RFC 1123 subdomain must consist of'
    ), invalid.stderr
    exists = k("create", "deployment", "web", "--image=nginx", dry)
    assert exists.stderr.strip() == 'error: failed to create deployment: deployments.apps "web" already exists'

    assert snapshot() == before
    missing = k("get", *absent)
    assert missing.stderr.splitlines() == [
        f'Error from server (NotFound): {RESOURCE[kind]} "{name}" not found'
        for kind, name in (target.split("/") for target in absent)
    ]


RESOURCE = {"configmap": "configmaps", "namespace": "namespaces", "pod": "pods", "service": "services"}
