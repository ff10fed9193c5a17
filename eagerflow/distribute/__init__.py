"""`ef.distribute`: TF's `tf.distribute` for the devices of one process (MirroredStrategy, OneDeviceStrategy).

Imported on first use (`ef.distribute`), so `import eagerflow` stays light.
"""

from eagerflow.distribute.strategy import (  # noqa: F401
    DistributedDataset, InputContext, MirroredStrategy, OneDeviceStrategy, ReduceOp, ReplicaContext, Strategy,
    StrategyExtended, ValueContext, get_cross_replica_context, get_replica_context, get_strategy, has_strategy,
    in_cross_replica_context,
)
from eagerflow.distribute.values import (  # noqa: F401
    Mirrored, MirroredVariable, PerReplica, PerReplicaSpec, SyncOnReadVariable,
)
