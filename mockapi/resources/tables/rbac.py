"""Cell functions for rbac.authorization.k8s.io bindings and certificates.k8s.io.

roles and clusterroles have no printer upstream: their registries install the default convertor.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mockapi.api.types import Obj
from mockapi.resources.tables.cells import age, has, int_of, list_of, name_of, obj_of, str_of
from mockapi.resources.tables.duration import human_duration
from mockapi.resources.tables.model import Cell, RowFunctions


def _subjects(subjects: list[Any]) -> tuple[str, str, str]:
    """rbac.SubjectsStrings: users, groups and `<namespace>/<name>` service accounts, joined by ", "."""
    users: list[str] = []
    groups: list[str] = []
    service_accounts: list[str] = []
    for subject in subjects:
        kind = str_of(subject, "kind")
        if kind == "ServiceAccount":
            service_accounts.append(f"{str_of(subject, 'namespace')}/{str_of(subject, 'name')}")
        elif kind == "User":
            users.append(str_of(subject, "name"))
        elif kind == "Group":
            groups.append(str_of(subject, "name"))
    return ", ".join(users), ", ".join(groups), ", ".join(service_accounts)


def binding_cells(binding: Obj, now: datetime) -> list[Cell]:
    """printRoleBinding and printClusterRoleBinding are identical."""
    ref = obj_of(binding, "roleRef")
    users, groups, service_accounts = _subjects(list_of(binding, "subjects"))
    return [
        name_of(binding),
        f"{str_of(ref, 'kind')}/{str_of(ref, 'name')}",
        age(binding, now),
        users,
        groups,
        service_accounts,
    ]


def _csr_condition(status: Obj) -> str:
    """printers.go extractCSRStatus: condition types count whatever their status."""
    types = {str_of(c, "type") for c in list_of(status, "conditions")}
    if "Denied" in types:
        text = "Denied"
    elif "Approved" in types:
        text = "Approved"
    else:
        text = "Pending"
    if "Failed" in types:
        text += ",Failed"
    if str_of(status, "certificate"):
        text += ",Issued"
    return text


def csr_cells(csr: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(csr, "spec")
    duration = "<none>"
    if has(spec, "expirationSeconds"):
        duration = human_duration(timedelta(seconds=int_of(spec, "expirationSeconds")))
    return [
        name_of(csr),
        age(csr, now),
        str_of(spec, "signerName") or "<none>",
        str_of(spec, "username"),
        duration,
        _csr_condition(obj_of(csr, "status")),
    ]


def clustertrustbundle_cells(bundle: Obj, now: datetime) -> list[Cell]:
    """No Age column upstream."""
    return [name_of(bundle), str_of(obj_of(bundle, "spec"), "signerName") or "<none>"]


ROWS: dict[str, RowFunctions] = {
    "rolebindings": RowFunctions(binding_cells),
    "clusterrolebindings": RowFunctions(binding_cells),
    "certificatesigningrequests": RowFunctions(csr_cells),
    "clustertrustbundles": RowFunctions(clustertrustbundle_cells),
}
