"""`ef.distribute`: TF's `tf.distribute` for the devices of one process (MirroredStrategy, OneDeviceStrategy),
and for several processes on Ray (ParameterServerStrategy, `coordinator.ClusterCoordinator`,
`cluster_resolver.RayClusterResolver`).

Imported on first use (`ef.distribute`), so `import eagerflow` stays light; Ray is imported only when a
cluster is started.
"""

from eagerflow.distribute.strategy import (  # noqa: F401
    DistributedDataset, InputContext, MirroredStrategy, OneDeviceStrategy, ReduceOp, ReplicaContext, Strategy,
    StrategyExtended, ValueContext, get_cross_replica_context, get_replica_context, get_strategy, has_strategy,
    in_cross_replica_context,
)
from eagerflow.distribute.values import (  # noqa: F401
    Mirrored, MirroredVariable, PerReplica, PerReplicaSpec, SyncOnReadVariable,
)
from eagerflow.distribute import cluster_resolver, coordinator, experimental  # noqa: F401,E402
from eagerflow.distribute.parameter_server import ParameterServerStrategy  # noqa: F401,E402
from eagerflow.distribute.ps_values import ShardedVariable  # noqa: F401,E402
