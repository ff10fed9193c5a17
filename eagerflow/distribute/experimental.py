"""`ef.distribute.experimental`: `ParameterServerStrategy`, `partitioners`, `coordinator`, `ValueContext`, as TF's."""

import types

from eagerflow.distribute import coordinator as _coordinator
from eagerflow.distribute import parameter_server as _ps
from eagerflow.distribute.parameter_server import ParameterServerStrategy  # noqa: F401
from eagerflow.distribute.strategy import ValueContext  # noqa: F401

partitioners = types.SimpleNamespace(
    Partitioner=_ps.Partitioner, FixedShardsPartitioner=_ps.FixedShardsPartitioner,
    MinSizePartitioner=_ps.MinSizePartitioner, MaxSizePartitioner=_ps.MaxSizePartitioner)
coordinator = types.SimpleNamespace(
    ClusterCoordinator=_coordinator.ClusterCoordinator, PerWorkerValues=_coordinator.PerWorkerValues,
    RemoteValue=_coordinator.RemoteValue)
