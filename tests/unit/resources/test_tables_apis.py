"""Cell functions of volume, networking, rbac/certificates, cluster and control-plane printers."""

from __future__ import annotations

from table_cells_support import ago, cells, meta


def test_volumes() -> None:
    pv = {
        "metadata": meta("pv1"),
        "spec": {
            "capacity": {"storage": "10Gi"},
            "accessModes": ["ReadWriteMany", "ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Retain",
            "claimRef": {"namespace": "ns", "name": "data"},
            "storageClassName": "fast",
        },
        "status": {"phase": "Bound"},
    }
    assert cells("", "v1", "persistentvolumes", pv) == [
        "pv1",
        "10Gi",
        "RWO,RWX",
        "Retain",
        "Bound",
        "ns/data",
        "fast",
        "<unset>",
        "",
        "3d4h",
        "<unset>",
    ]
    pvc = {
        "metadata": meta("data", annotations={"volume.beta.kubernetes.io/storage-class": "old"}),
        "spec": {"volumeName": "pv1", "storageClassName": "fast", "volumeMode": "Filesystem"},
        "status": {"phase": "Bound", "capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteOnce"]},
    }
    assert cells("", "v1", "persistentvolumeclaims", pvc) == [
        "data",
        "Bound",
        "pv1",
        "10Gi",
        "RWO",
        "old",
        "<unset>",
        "3d4h",
        "Filesystem",
    ]
    pending = {"metadata": meta("p", deletionTimestamp=ago(seconds=3)), "spec": {}, "status": {"phase": "Pending"}}
    assert cells("", "v1", "persistentvolumeclaims", pending)[1:5] == ["Terminating", "", "", ""]
    sc = {
        "metadata": meta("std", annotations={"storageclass.kubernetes.io/is-default-class": "true"}),
        "provisioner": "csi.x",
    }
    assert cells("storage.k8s.io", "v1", "storageclasses", sc) == [
        "std (default)",
        "csi.x",
        "Delete",
        "Immediate",
        False,
        "3d4h",
    ]
    driver = {"metadata": meta("csi.x"), "spec": {"tokenRequests": [{"audience": "a"}, {"audience": "b"}]}}
    assert cells("storage.k8s.io", "v1", "csidrivers", driver) == [
        "csi.x",
        True,
        False,
        False,
        "a,b",
        False,
        "<none>",
        "3d4h",
    ]


def test_resourcequota() -> None:
    rq = {
        "metadata": meta("q"),
        "status": {
            "hard": {"pods": "10", "limits.cpu": "4", "requests.memory": "1Gi"},
            "used": {"pods": "3", "limits.cpu": "500m"},
        },
    }
    assert cells("", "v1", "resourcequotas", rq) == [
        "q",
        "pods: 3/10, requests.memory: 0/1Gi",
        "limits.cpu: 500m/4",
        "3d4h",
    ]


def test_networking() -> None:
    rules = [{"host": "a.example"}, {}, {"host": "b.example"}, {"host": "c.example"}, {"host": "d.example"}]
    ing = {
        "metadata": meta("ing"),
        "spec": {"ingressClassName": "nginx", "rules": rules, "tls": [{"hosts": ["a.example"]}]},
        "status": {"loadBalancer": {"ingress": [{"ip": "1.1.1.1"}]}},
    }
    assert cells("networking.k8s.io", "v1", "ingresses", ing) == [
        "ing",
        "nginx",
        "a.example,b.example,c.example + 2 more...",
        "1.1.1.1",
        "80, 443",
        "3d4h",
    ]
    assert cells("networking.k8s.io", "v1", "ingresses", {"metadata": meta("i")})[1:5] == ["<none>", "*", "", "80"]
    ic = {
        "metadata": meta("nginx"),
        "spec": {
            "controller": "k8s.io/ingress-nginx",
            "parameters": {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "p"},
        },
    }
    assert cells("networking.k8s.io", "v1", "ingressclasses", ic)[2] == "IngressParameters.k8s.example.com/p"
    assert cells("networking.k8s.io", "v1", "networkpolicies", {"metadata": meta("np"), "spec": {}})[1] == "<none>"
    ip = {
        "metadata": meta("10.96.0.1"),
        "spec": {"parentRef": {"group": "", "resource": "Services", "namespace": "default", "name": "kubernetes"}},
    }
    assert cells("networking.k8s.io", "v1", "ipaddresses", ip) == ["10.96.0.1", "services/default/kubernetes", "3d4h"]
    eps = {
        "metadata": meta("s-abc"),
        "addressType": "IPv4",
        "ports": [{"port": 80}, {"name": "dns"}, {}, {"port": 9}],
        "endpoints": [{"addresses": ["10.0.0.1"]}],
    }
    assert cells("discovery.k8s.io", "v1", "endpointslices", eps) == [
        "s-abc",
        "IPv4",
        "80,dns,* + 1 more...",
        "10.0.0.1",
        "3d4h",
    ]
    assert cells("discovery.k8s.io", "v1", "endpointslices", {"metadata": meta("e")})[2:4] == ["<unset>", "<unset>"]


def test_rbac_and_certificates() -> None:
    subjects = [
        {"kind": "User", "name": "alice"},
        {"kind": "Group", "name": "devs"},
        {"kind": "ServiceAccount", "namespace": "kube-system", "name": "sa"},
        {"kind": "User", "name": "bob"},
    ]
    rb = {"metadata": meta("rb"), "roleRef": {"kind": "ClusterRole", "name": "admin"}, "subjects": subjects}
    expected = ["rb", "ClusterRole/admin", "3d4h", "alice, bob", "devs", "kube-system/sa"]
    assert cells("rbac.authorization.k8s.io", "v1", "rolebindings", rb) == expected
    assert cells("rbac.authorization.k8s.io", "v1", "clusterrolebindings", rb) == expected
    csr = {
        "metadata": meta("csr"),
        "spec": {"signerName": "kubernetes.io/kube-apiserver-client", "username": "alice", "expirationSeconds": 86400},
        "status": {"conditions": [{"type": "Approved"}, {"type": "Failed"}], "certificate": "LS0t"},
    }
    assert cells("certificates.k8s.io", "v1", "certificatesigningrequests", csr) == [
        "csr",
        "3d4h",
        "kubernetes.io/kube-apiserver-client",
        "alice",
        "24h",
        "Approved,Failed,Issued",
    ]


def test_cluster_apis() -> None:
    assert cells("coordination.k8s.io", "v1", "leases", {"metadata": meta("l"), "spec": {"holderIdentity": "me"}}) == [
        "l",
        "me",
        "3d4h",
    ]
    pc = {"metadata": meta("high"), "value": 1000, "preemptionPolicy": "Never"}
    assert cells("scheduling.k8s.io", "v1", "priorityclasses", pc) == ["high", 1000, False, "3d4h", "Never"]
    pdb = {"metadata": meta("pdb"), "spec": {"minAvailable": "50%"}, "status": {"disruptionsAllowed": 1}}
    assert cells("policy", "v1", "poddisruptionbudgets", pdb) == ["pdb", "50%", "N/A", 1, "3d4h"]
    claim = {"metadata": meta("c"), "status": {"allocation": {}, "reservedFor": [{"name": "p"}]}}
    assert cells("resource.k8s.io", "v1beta1", "resourceclaims", claim)[1] == "allocated,reserved"
    assert cells("resource.k8s.io", "v1beta1", "resourceclaims", {"metadata": meta("c")})[1] == "pending"
    assert cells("node.k8s.io", "v1", "runtimeclasses", {"metadata": meta("gvisor"), "handler": "runsc"}) == [
        "gvisor",
        "runsc",
        "3d4h",
    ]


def test_admission_and_flowcontrol() -> None:
    vap = {
        "metadata": meta("p"),
        "spec": {"validations": [{}, {}], "paramKind": {"apiVersion": "v1", "kind": "ConfigMap"}},
    }
    assert cells("admissionregistration.k8s.io", "v1", "validatingadmissionpolicies", vap) == [
        "p",
        2,
        "v1/ConfigMap",
        "3d4h",
    ]
    selector = {
        "matchLabels": {"b": "2", "a": "1"},
        "matchExpressions": [{"key": "k", "operator": "In", "values": ["x", "y"]}],
    }
    binding = {"metadata": meta("b"), "spec": {"policyName": "p", "paramRef": {"selector": selector}}}
    assert cells("admissionregistration.k8s.io", "v1", "validatingadmissionpolicybindings", binding)[2] == (
        "&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},"
        "MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:k,Operator:In,Values:[x y],},},}"
    )
    named = {"metadata": meta("b"), "spec": {"policyName": "p", "paramRef": {"name": "cfg"}}}
    assert cells("admissionregistration.k8s.io", "v1", "validatingadmissionpolicybindings", named)[2] == "*/cfg"
    wh = {"metadata": meta("w"), "webhooks": [{"name": "a"}]}
    assert cells("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", wh) == ["w", 1, "3d4h"]
    plc = {
        "metadata": meta("workload"),
        "spec": {
            "type": "Limited",
            "limited": {
                "nominalConcurrencyShares": 30,
                "limitResponse": {"type": "Queue", "queuing": {"queues": 128, "handSize": 6, "queueLengthLimit": 50}},
            },
        },
    }
    assert cells("flowcontrol.apiserver.k8s.io", "v1", "prioritylevelconfigurations", plc) == [
        "workload",
        "Limited",
        30,
        128,
        6,
        50,
        "3d4h",
    ]
    exempt = {"metadata": meta("exempt"), "spec": {"type": "Exempt"}}
    assert cells("flowcontrol.apiserver.k8s.io", "v1", "prioritylevelconfigurations", exempt)[2:6] == ["<none>"] * 4
