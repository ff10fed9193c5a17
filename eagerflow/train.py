"""`ef.train`: checkpoints (as `tf.train`), plus safetensors export.

>>> import eagerflow as ef
>>> sorted(n for n in dir(ef.train) if not n.startswith("_"))[:3]
['Checkpoint', 'CheckpointLoadStatus', 'CheckpointManager']
"""

from eagerflow.checkpoint.checkpoint import (  # noqa: F401
    Checkpoint, CheckpointLoadStatus, CheckpointReader, RestoreReport, list_variables, load_checkpoint,
    load_variable, restore_deferred,
)
from eagerflow.checkpoint.manager import (  # noqa: F401
    CheckpointManager, get_checkpoint_state, latest_checkpoint, update_checkpoint_state,
)
from eagerflow.checkpoint.options import CheckpointOptions  # noqa: F401
from eagerflow.checkpoint.safetensors_io import load_safetensors, save_safetensors  # noqa: F401
