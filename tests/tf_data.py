"""The TensorFlow-made checkpoints under tests/data/tf_checkpoints and their expected values.

Each checkpoint has a JSON beside it (written by tests/data/make_tf_checkpoints.py with TF) giving
every key's dtype, shape and values; `expected_value` turns one entry back into a NumPy array.
"""

import os

import numpy as np

from eagerflow import dtypes

TF_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "tf_checkpoints")


def expected_value(dtype_name, shape, values):
    """The array a JSON entry describes: strings are hex, complex numbers [re, im] pairs."""
    if dtype_name == "string":
        arr = np.empty(len(values), dtype=object)
        arr[:] = [bytes.fromhex(v) for v in values]
        return arr.reshape(shape)
    np_dtype = np.dtype(dtypes.as_dtype(dtype_name).as_numpy_dtype)
    if dtype_name.startswith("complex"):
        return np.array([complex(re, im) for re, im in values], dtype=np_dtype).reshape(shape)
    if dtype_name == "bool" or dtype_name.startswith(("int", "uint")):
        return np.array(values, dtype=np_dtype).reshape(shape)
    return np.array(values, dtype=np.float64).astype(np_dtype).reshape(shape)
