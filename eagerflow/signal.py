"""`ef.signal`: FFTs, spectrograms, windows, DCT/MDCT and mel filters (imported on first use)."""

from eagerflow.ops.signal_ops import *  # noqa: F401,F403
from eagerflow.ops.signal_ops import __all__  # noqa: F401
