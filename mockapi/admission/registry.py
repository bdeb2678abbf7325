"""Admission plugins by name, in kube-apiserver's fixed execution order (AllOrderedPlugins).

A new plugin is one module in `plugins/` plus one line in FACTORIES; its place in the chain comes from
ORDERED, never from flag order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mockapi.admission.chain import AdmissionChain
from mockapi.admission.interface import AdmissionPlugin
from mockapi.admission.plugins.default_toleration_seconds import DefaultTolerationSeconds
from mockapi.admission.plugins.namespace_lifecycle import NamespaceLifecycle
from mockapi.admission.plugins.priority import Priority
from mockapi.admission.plugins.service_account import ServiceAccount
from mockapi.api.stages import StageContext
from mockapi.config import ServerConfig

# kube-apiserver 1.33 AllOrderedPlugins (pkg/kubeapiserver/options/plugins.go)
ORDERED: tuple[str, ...] = (
    "AlwaysAdmit",
    "NamespaceAutoProvision",
    "NamespaceLifecycle",
    "NamespaceExists",
    "LimitPodHardAntiAffinityTopology",
    "LimitRanger",
    "ServiceAccount",
    "NodeRestriction",
    "TaintNodesByCondition",
    "AlwaysPullImages",
    "ImagePolicyWebhook",
    "PodSecurity",
    "PodNodeSelector",
    "Priority",
    "DefaultTolerationSeconds",
    "PodTolerationRestriction",
    "EventRateLimit",
    "ExtendedResourceToleration",
    "DefaultStorageClass",
    "StorageObjectInUseProtection",
    "OwnerReferencesPermissionEnforcement",
    "PersistentVolumeClaimResize",
    "RuntimeClass",
    "CertificateApproval",
    "CertificateSigning",
    "ClusterTrustBundleAttest",
    "CertificateSubjectRestriction",
    "DefaultIngressClass",
    "DenyServiceExternalIPs",
    "PodTopologyLabels",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionWebhook",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionWebhook",
    "ResourceQuota",
    "AlwaysDeny",
)

PluginFactory = Callable[[StageContext[ServerConfig]], AdmissionPlugin]
"""Builds a plugin from the stage context, handing it only what it reads."""

FACTORIES: dict[str, PluginFactory] = {
    "NamespaceLifecycle": lambda ctx: NamespaceLifecycle(ctx.reader),
    "ServiceAccount": lambda ctx: ServiceAccount(ctx.reader),
    "Priority": lambda ctx: Priority(ctx.reader),
    "DefaultTolerationSeconds": lambda ctx: DefaultTolerationSeconds(ctx.reader),
}

DEFAULT_ENABLED: tuple[str, ...] = ("NamespaceLifecycle", "ServiceAccount", "Priority", "DefaultTolerationSeconds")


class UnknownPluginError(ValueError):
    pass


def check_plugin_names(enable: Iterable[str] = (), disable: Iterable[str] = ()) -> None:
    """Refuse unknown and unimplemented plugin names before anything is built (a start-up error)."""
    enable, disable = list(enable), list(disable)
    for name in (*enable, *disable):
        if name not in ORDERED:
            raise UnknownPluginError(f"admission plugin {name!r} is unknown; known plugins: {', '.join(ORDERED)}")
        if name not in FACTORIES and name in enable:
            raise UnknownPluginError(f"admission plugin {name!r} is not implemented by mockapi yet")


def build_chain(ctx: StageContext[ServerConfig]) -> AdmissionChain:
    """The chain for --enable-admission-plugins / --disable-admission-plugins, in kube-apiserver's order."""
    enable, disable = ctx.config.enable_admission_plugins, ctx.config.disable_admission_plugins
    check_plugin_names(enable, disable)
    wanted = (set(DEFAULT_ENABLED) | set(enable)) - set(disable)
    return AdmissionChain([FACTORIES[name](ctx) for name in ORDERED if name in wanted])
