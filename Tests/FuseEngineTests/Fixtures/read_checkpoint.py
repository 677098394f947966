"""Reads a FuseLab checkpoint with the `safetensors` package and prints what it found.

Usage: read_checkpoint.py FILE.safetensors

Prints one JSON object: the metadata as the package returns it, and every tensor with its
dtype, shape and values, F32 values as their 32-bit patterns so that the comparison in
CheckpointPythonTests is exact. Needs numpy and safetensors (scripts/setup installs both
into data/python).
"""

import json
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file


def main(path):
    tensors = {}
    with safe_open(path, framework="np") as handle:
        metadata = handle.metadata()
        names = list(handle.keys())
    # load_file reads the whole file at once, as a NumPy user would.
    arrays = load_file(path)
    for name in names:
        array = arrays[name]
        if array.dtype == np.float32:
            values = array.reshape(-1).view(np.uint32).tolist()
        elif array.dtype == np.int64:
            values = array.reshape(-1).tolist()
        else:
            raise SystemExit(f"{name}: unexpected dtype {array.dtype}")
        tensors[name] = {
            "dtype": {np.dtype(np.float32): "F32", np.dtype(np.int64): "I64"}[array.dtype],
            "shape": list(array.shape),
            "values": values,
        }
    config = json.loads(metadata["config"])
    print(json.dumps({
        "metadata": metadata,
        "tensors": tensors,
        "format_version": config["formatVersion"],
    }))


if __name__ == "__main__":
    main(sys.argv[1])
