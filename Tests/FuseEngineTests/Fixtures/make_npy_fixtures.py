#!/usr/bin/env python3
"""Writes the .npy fixtures of the NumPy reader tests, and their expected values.

Run from anywhere: python3 Tests/FuseEngineTests/Fixtures/make_npy_fixtures.py
Each fixture is written by NumPy itself (numpy.lib.format.write_array), so the
tests check the reader against what NumPy really produces. expected.json maps
each file name to its dtype string, shape and values in row-major order.
"""

import json
import os

import numpy as np
from numpy.lib import format as npy_format

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "npy")


def values_for(dtype):
    """A 2x3 array that uses each type's range: negatives, extremes, fractions."""
    kind = dtype.kind
    if kind == "b":
        return np.array([[True, False, True], [False, False, True]], dtype=dtype)
    if kind == "u":
        top = np.iinfo(dtype).max
        return np.array([[0, 1, 2], [top - 1, top, 7]], dtype=dtype)
    if kind == "i":
        info = np.iinfo(dtype)
        return np.array([[0, -1, 2], [info.min, info.max, -7]], dtype=dtype)
    # Floats: values exact in float16, a subnormal for half, and a fraction.
    return np.array([[0.5, -2.25, 1024.0], [6e-8, -0.0, 3.140625]], dtype=dtype)


def as_json_number(value):
    if isinstance(value, (bool, np.bool_)):
        return 1.0 if value else 0.0
    return float(value)


def save(name, array, version=(1, 0), fortran=None):
    path = os.path.join(HERE, name)
    if fortran:
        array = np.asfortranarray(array)
    with open(path, "wb") as handle:
        npy_format.write_array(handle, array, version=version)
    header_dtype = npy_format.dtype_to_descr(array.dtype)
    return {
        "dtype": header_dtype,
        "shape": list(array.shape),
        "fortran_order": bool(array.flags.f_contiguous and not array.flags.c_contiguous),
        "values": [as_json_number(v) for v in np.ravel(array, order="C")],
    }


def main():
    os.makedirs(HERE, exist_ok=True)
    expected = {}
    codes = ["b1", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f2", "f4", "f8"]
    for code in codes:
        orders = ["|"] if code in ("b1", "i1", "u1") else ["<", ">"]
        for order in orders:
            dtype = np.dtype(order + code if order != "|" else code)
            tag = {"<": "le", ">": "be", "|": "na"}[order]
            expected[f"{code}_{tag}.npy"] = save(f"{code}_{tag}.npy", values_for(dtype))

    # Fortran order, in 2-d and 3-d, both byte orders.
    cube = np.arange(24, dtype="<f8").reshape(2, 3, 4) - 5.5
    expected["f8_fortran_3d.npy"] = save("f8_fortran_3d.npy", cube, fortran=True)
    expected["i2_be_fortran.npy"] = save(
        "i2_be_fortran.npy", values_for(np.dtype(">i2")), fortran=True)

    # Format versions 2.0 and 3.0.
    expected["f4_v2.npy"] = save("f4_v2.npy", np.linspace(-1, 1, 5, dtype="<f4"), (2, 0))
    expected["i4_v3.npy"] = save("i4_v3.npy", np.arange(6, dtype="<i4").reshape(3, 2), (3, 0))

    # Shapes: 0-d, 1-d, 4-d, empty.
    expected["f8_scalar.npy"] = save("f8_scalar.npy", np.array(-3.75))
    expected["i8_1d.npy"] = save("i8_1d.npy", np.array([5, -6, 7], dtype="<i8"))
    expected["u1_4d.npy"] = save("u1_4d.npy", np.arange(16, dtype="u1").reshape(2, 2, 2, 2))
    expected["f4_empty.npy"] = save("f4_empty.npy", np.zeros((0,), dtype="<f4"))
    expected["f4_empty_2d.npy"] = save("f4_empty_2d.npy", np.zeros((3, 0), dtype="<f4"))

    # '=' (native order) is never written by NumPy; patch a '<' header by hand.
    native = save("f8_native.npy", np.array([1.5, -2.5]))
    path = os.path.join(HERE, "f8_native.npy")
    data = open(path, "rb").read().replace(b"'<f8'", b"'=f8'", 1)
    open(path, "wb").write(data)
    native["dtype"] = "=f8"
    expected["f8_native.npy"] = native

    # Arrays the reader must refuse, with the dtype it must name.
    refused = {
        "object.npy": (np.array([1, "a"], dtype=object), "|O"),
        "complex.npy": (np.array([1 + 2j]), "<c16"),
        "unicode.npy": (np.array(["ab", "c"]), "<U2"),
        "bytes.npy": (np.array([b"ab"]), "|S2"),
        "structured.npy": (np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]), "structured"),
        "datetime.npy": (np.array(["2024-01-01"], dtype="datetime64[D]"), "<M8[D]"),
    }
    refusals = {}
    for name, (array, dtype) in refused.items():
        with open(os.path.join(HERE, name), "wb") as handle:
            np.save(handle, array, allow_pickle=True)
        refusals[name] = dtype

    with open(os.path.join(HERE, "expected.json"), "w") as handle:
        json.dump({"arrays": expected, "refused": refusals}, handle, indent=1, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main()
