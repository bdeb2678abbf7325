"""Query and path parameters of kube-apiserver's routes, as its installer declares them.

kube-apiserver turns the fields of the options types (metav1 ListOptions, CreateOptions, UpdateOptions,
PatchOptions, DeleteOptions, core/v1 PodLogOptions, PodExecOptions, ...) into query parameters
(`AddObjectParams`): name = JSON field name, type from the Go type (`[]string` -> string, `[]int32` ->
integer, struct-valued fields such as `preconditions` and `sinceTime` are skipped), description = the
field's doc comment.

Descriptions: the installer's own strings (`pretty`, `namespace`, `name of the <Kind>`, `path to the
resource`) and the DeleteOptions field docs (read from the definitions) are kube-apiserver's. The other
options types are not among the published definitions, so their descriptions here are our own words:
same names, types and meaning, different text (and therefore different shared-parameter names in v2,
which hash the parameter's JSON).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mockapi.resources.schemas import Schemas

Location = Literal["query", "path"]
ParamType = Literal["string", "integer", "boolean"]


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    """Parameter name (the options field's JSON name, or the path variable)."""
    location: Location
    """`query` or `path`; path parameters are always required."""
    type: ParamType
    """Simple OpenAPI type."""
    description: str
    """Text shown in the spec; empty means none."""

    @property
    def key(self) -> tuple[str, str]:
        """kube-openapi's identity of a parameter within a route (name, kind)."""
        return self.name, self.location


def _q(name: str, type_: ParamType, description: str) -> Param:
    return Param(name, "query", type_, description)


PRETTY = _q(
    "pretty",
    "string",
    "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a "
    "browser or command-line HTTP tool (curl and wget).",
)
NAMESPACE = Param("namespace", "path", "string", "object name and auth scope, such as for teams and projects")
PATH = Param("path", "path", "string", "path to the resource")


def name_param(kind: str) -> Param:
    return Param("name", "path", "string", f"name of the {kind}")


LIST_OPTIONS: tuple[Param, ...] = (
    _q("labelSelector", "string", "Only objects whose labels match this selector are returned. Defaults to all."),
    _q("fieldSelector", "string", "Only objects whose fields match this selector are returned. Defaults to all."),
    _q(
        "watch",
        "boolean",
        "Stream add, update and delete notifications for the selected objects instead of listing them. "
        "Specify resourceVersion.",
    ),
    _q(
        "allowWatchBookmarks",
        "boolean",
        'Ask for watch events of type "BOOKMARK", sent at the server\'s discretion; ignored unless watching.',
    ),
    _q(
        "resourceVersion",
        "string",
        "Which resource versions the request may be served from, see "
        "https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions. Defaults to unset.",
    ),
    _q(
        "resourceVersionMatch",
        "string",
        "How resourceVersion applies to a list (Exact or NotOlderThan); set it whenever resourceVersion is "
        "set. Defaults to unset.",
    ),
    _q("timeoutSeconds", "integer", "Time limit for the list or watch call, whatever the activity."),
    _q(
        "limit",
        "integer",
        "Largest number of items a list returns; when more exist the list metadata carries a continue token "
        "for the next chunk. Not supported with watch.",
    ),
    _q(
        "continue",
        "string",
        "The continue token of a previous chunked list with the same query, to get the next chunk; an "
        "expired token is answered with 410 ResourceExpired. Not supported with watch.",
    ),
    _q(
        "sendInitialEvents",
        "boolean",
        "With watch=true, begin the stream with synthetic events for the objects that exist, then a "
        'BOOKMARK annotated "k8s.io/initial-events-end": "true". Needs resourceVersionMatch=NotOlderThan.',
    ),
)

_FIELD_MANAGER = (
    "Name of the actor or entity making the change: at most 128 printable characters "
    "(https://golang.org/pkg/unicode/#IsPrint)."
)
_FIELD_VALIDATION = _q(
    "fieldValidation",
    "string",
    "What to do with unknown or duplicate fields in the object of a POST, PUT or PATCH: Ignore drops them "
    "silently; Warn (the default since v1.23) drops them and adds a warning header for each; Strict fails "
    "the request with BadRequest, naming all of them.",
)


@dataclass(frozen=True, slots=True)
class OptionParams:
    """The query parameters of the write and delete options types for one Kubernetes version."""

    create: tuple[Param, ...]
    update: tuple[Param, ...]
    patch: tuple[Param, ...]
    delete: tuple[Param, ...]


def option_params(schemas: Schemas) -> OptionParams:
    """Write/delete option parameters; dryRun and DeleteOptions texts come from the DeleteOptions definition."""
    delete_options = schemas.definitions.get("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions", {})
    props = delete_options.get("properties", {})

    def doc(name: str) -> str:
        return str(props.get(name, {}).get("description", ""))

    dry_run = _q("dryRun", "string", doc("dryRun"))
    write = (dry_run, _q("fieldManager", "string", _FIELD_MANAGER), _FIELD_VALIDATION)
    patch = (
        dry_run,
        _q(
            "force",
            "boolean",
            "Force an apply request: take over the conflicting fields other managers own. Must be unset for "
            "the other patch types.",
        ),
        _q(
            "fieldManager",
            "string",
            _FIELD_MANAGER + " Required for apply requests (application/apply-patch), optional for the others.",
        ),
        _FIELD_VALIDATION,
    )
    types: dict[str, ParamType] = {
        "gracePeriodSeconds": "integer",
        "orphanDependents": "boolean",
        "propagationPolicy": "string",
        "dryRun": "string",
        "ignoreStoreReadErrorWithClusterBreakingPotential": "boolean",
    }
    delete = tuple(_q(name, t, doc(name)) for name, t in types.items() if name in props)
    return OptionParams(create=write, update=write, patch=patch, delete=delete)


POD_LOG_OPTIONS: tuple[Param, ...] = (
    _q("container", "string", "The container whose log to return; defaults to the pod's only container."),
    _q("follow", "boolean", "Keep streaming the log as it grows. Defaults to false."),
    _q("previous", "boolean", "The log of the previous, terminated instance of the container. Defaults to false."),
    _q(
        "sinceSeconds",
        "integer",
        "Only log lines newer than this many seconds; at most one of sinceSeconds and sinceTime may be given.",
    ),
    _q("timestamps", "boolean", "Prefix every line with an RFC3339 or RFC3339Nano timestamp. Defaults to false."),
    _q("tailLines", "integer", "Only this many lines from the end of the log; by default the whole log."),
    _q("limitBytes", "integer", "Stop after this many bytes of log output; the last line may be cut short."),
    _q(
        "insecureSkipTLSVerifyBackend",
        "boolean",
        "Do not verify the serving certificate of the kubelet the log is read from (an insecure connection).",
    ),
    _q(
        "stream",
        "string",
        "Which stream to return: All (the default, stdout and stderr interleaved), Stdout or Stderr; only All "
        "may be combined with tailLines.",
    ),
)

_CONTAINER = _q("container", "string", "The container to connect to; defaults to the pod's only container.")
POD_ATTACH_OPTIONS: tuple[Param, ...] = (
    _q("stdin", "boolean", "Pass the standard input stream to the container. Defaults to false."),
    _q("stdout", "boolean", "Return the standard output stream of the container. Defaults to true."),
    _q("stderr", "boolean", "Return the standard error stream of the container. Defaults to true."),
    _q("tty", "boolean", "Allocate a TTY (by the container runtime on the node). Defaults to false."),
    _CONTAINER,
)
POD_EXEC_OPTIONS: tuple[Param, ...] = (
    _q("stdin", "boolean", "Pass the standard input stream to the command. Defaults to false."),
    _q("stdout", "boolean", "Return the standard output stream of the command."),
    _q("stderr", "boolean", "Return the standard error stream of the command."),
    _q("tty", "boolean", "Allocate a TTY for the command. Defaults to false."),
    _CONTAINER,
    _q("command", "string", "The command to run, one argv element per parameter; not run in a shell."),
)
POD_PORT_FORWARD_OPTIONS: tuple[Param, ...] = (_q("ports", "integer", "Ports to forward; required with WebSockets."),)


def proxy_options(target: str) -> tuple[Param, ...]:
    """PodProxyOptions / NodeProxyOptions / ServiceProxyOptions: the path to proxy to."""
    return (_q("path", "string", f"URL path of the request proxied to the {target}."),)
