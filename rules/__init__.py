"""The built-in rules, listed explicitly in catalogue order (plugins use entry points)."""

from __future__ import annotations

from gwlint.engine.api import Rule
from gwlint.rules.gw001_yaml_syntax_error import YamlSyntaxError
from gwlint.rules.gw002_invalid_manifest import InvalidManifest
from gwlint.rules.gw003_duplicate_resource import DuplicateResource
from gwlint.rules.gw004_unused_suppression import UnusedSuppression
from gwlint.rules.gw005_render_failed import RenderFailed
from gwlint.rules.gw101_ingress_service_missing import IngressServiceMissing
from gwlint.rules.gw102_ingress_service_port_missing import IngressServicePortMissing
from gwlint.rules.gw103_route_backend_missing import RouteBackendMissing
from gwlint.rules.gw104_route_backend_not_permitted import RouteBackendNotPermitted
from gwlint.rules.gw105_ingress_annotation_invalid import IngressAnnotationInvalid
from gwlint.rules.gw201_service_selects_no_pods import ServiceSelectsNoPods
from gwlint.rules.gw202_service_target_port_not_exposed import ServiceTargetPortNotExposed
from gwlint.rules.gw203_service_named_port_missing import ServiceNamedPortMissing
from gwlint.rules.gw204_service_port_protocol_mismatch import ServicePortProtocolMismatch
from gwlint.rules.gw205_service_selects_many_workloads import ServiceSelectsManyWorkloads
from gwlint.rules.gw206_workload_selector_mismatch import WorkloadSelectorMismatch
from gwlint.rules.gw207_service_publishes_not_ready import ServicePublishesNotReady
from gwlint.rules.gw301_readiness_probe_missing import ReadinessProbeMissing
from gwlint.rules.gw302_startup_probe_missing import StartupProbeMissing
from gwlint.rules.gw303_liveness_kills_before_ready import LivenessKillsBeforeReady
from gwlint.rules.gw304_readiness_equals_liveness import ReadinessEqualsLiveness
from gwlint.rules.gw305_probe_port_missing import ProbePortMissing
from gwlint.rules.gw306_initial_delay_too_short import InitialDelayTooShort
from gwlint.rules.gw401_prestop_hook_missing import PrestopHookMissing
from gwlint.rules.gw402_grace_period_too_short import GracePeriodTooShort
from gwlint.rules.gw403_min_ready_seconds_missing import MinReadySecondsMissing
from gwlint.rules.gw404_rollout_takes_all_down import RolloutTakesAllDown
from gwlint.rules.gw405_recreate_strategy import RecreateStrategy
from gwlint.rules.gw406_single_replica import SingleReplica
from gwlint.rules.gw407_hpa_target_missing import HpaTargetMissing
from gwlint.rules.gw408_replicas_fight_hpa import ReplicasFightHpa
from gwlint.rules.gw501_pdb_missing import PdbMissing
from gwlint.rules.gw502_pdb_selects_no_pods import PdbSelectsNoPods
from gwlint.rules.gw503_pdb_blocks_eviction import PdbBlocksEviction
from gwlint.rules.gw504_pdb_overlap import PdbOverlap
from gwlint.rules.gw601_networkpolicy_blocks_service import NetworkPolicyBlocksService

BUILTIN_RULES: tuple[type[Rule], ...] = (
    YamlSyntaxError,
    InvalidManifest,
    DuplicateResource,
    UnusedSuppression,
    RenderFailed,
    IngressServiceMissing,
    IngressServicePortMissing,
    RouteBackendMissing,
    RouteBackendNotPermitted,
    IngressAnnotationInvalid,
    ServiceSelectsNoPods,
    ServiceTargetPortNotExposed,
    ServiceNamedPortMissing,
    ServicePortProtocolMismatch,
    ServiceSelectsManyWorkloads,
    WorkloadSelectorMismatch,
    ServicePublishesNotReady,
    ReadinessProbeMissing,
    StartupProbeMissing,
    LivenessKillsBeforeReady,
    ReadinessEqualsLiveness,
    ProbePortMissing,
    InitialDelayTooShort,
    PrestopHookMissing,
    GracePeriodTooShort,
    MinReadySecondsMissing,
    RolloutTakesAllDown,
    RecreateStrategy,
    SingleReplica,
    HpaTargetMissing,
    ReplicasFightHpa,
    PdbMissing,
    PdbSelectsNoPods,
    PdbBlocksEviction,
    PdbOverlap,
    NetworkPolicyBlocksService,
)
