"""Writes sgd_fixture.json: two SGD steps with two parameter groups, PyTorch semantics.

The update follows torch.optim.SGD (dampening 0, nesterov False), written out in NumPy:
    g = grad + weight_decay * w
    buf = g on the first step, else momentum * buf + g
    w = w - lr * buf
Run: python3 make_sgd_fixture.py > sgd_fixture.json
"""
import json

import numpy as np

rng = np.random.default_rng(20261203)
momentum, weight_decay = 0.9, 0.01


def draw(shape):
    # Rounded to float32 so that Swift reads exactly the numbers used here.
    return rng.normal(size=shape).astype(np.float32)


groups = [
    {"name": "audio", "lr": 0.1, "shapes": [(2, 3), (1, 2)]},
    {"name": "text", "lr": 0.01, "shapes": [(3, 2)]},
]
fixture = {"momentum": momentum, "weight_decay": weight_decay, "groups": []}
for group in groups:
    params = []
    for shape in group["shapes"]:
        w = draw(shape).astype(np.float64)
        grads = [draw(shape).astype(np.float64) for _ in range(2)]
        start = w.copy()
        after = []
        buf = None
        for grad in grads:
            g = grad + weight_decay * w
            buf = g if buf is None else momentum * buf + g
            w = w - group["lr"] * buf
            after.append(w.copy())
        params.append({
            "rows": shape[0], "columns": shape[1],
            "value": start.ravel().tolist(),
            "gradients": [x.ravel().tolist() for x in grads],
            "after": [x.ravel().tolist() for x in after],
        })
    fixture["groups"].append({"name": group["name"], "lr": group["lr"], "parameters": params})

print(json.dumps(fixture, indent=1))
