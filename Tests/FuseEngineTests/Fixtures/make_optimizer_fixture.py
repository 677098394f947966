"""Writes optimizer_fixture.json: four steps of each update rule FuseLab offers, one
parameter group per rule, PyTorch semantics written out in NumPy (float64).

torch.optim.SGD (dampening 0):
    g = grad + wd * w;  buf = g (step 1) else momentum * buf + g
    w -= lr * (g + momentum * buf if nesterov else buf)
torch.optim.Adam:
    g = grad + wd * w;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
    w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
torch.optim.AdamW: w *= 1 - lr * wd, then the Adam step with g = grad.
torch.nn.utils.clip_grad_norm_(params, c): grads *= c / (norm + 1e-6) when that is < 1.
Run: python3 make_optimizer_fixture.py > optimizer_fixture.json
"""
import json

import numpy as np

rng = np.random.default_rng(20261204)
STEPS = 4


def draw(shape, scale=1.0):
    # Rounded to float32 so that Swift reads exactly the numbers used here.
    return (rng.normal(size=shape) * scale).astype(np.float32).astype(np.float64)


groups = [
    {"name": "sgd_nesterov", "kind": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": True,
     "wd": 0.01},
    {"name": "adam", "kind": "adam", "lr": 0.01, "wd": 0.001, "betas": [0.9, 0.999],
     "eps": 1e-8},
    {"name": "adamw", "kind": "adamw", "lr": 0.003, "wd": 0.01, "betas": [0.8, 0.99],
     "eps": 1e-6},
    {"name": "adamw_clipped", "kind": "adamw", "lr": 0.01, "wd": 0.05, "betas": [0.9, 0.999],
     "eps": 1e-8, "clip": 0.5},
]
shapes = [(2, 3), (1, 3)]

fixture = {"steps": STEPS, "groups": []}
for group in groups:
    ws = [draw(s) for s in shapes]
    grads = [[draw(s, 2.0) for s in shapes] for _ in range(STEPS)]
    start = [w.copy() for w in ws]
    state = [{} for _ in shapes]
    after = []
    for t in range(1, STEPS + 1):
        gs = [g.copy() for g in grads[t - 1]]
        if "clip" in group:
            norm = np.sqrt(sum((g * g).sum() for g in gs))
            coef = group["clip"] / (norm + 1e-6)
            if coef < 1:
                gs = [g * coef for g in gs]
        for i, (w, g) in enumerate(zip(ws, gs)):
            lr, wd = group["lr"], group["wd"]
            st = state[i]
            if group["kind"] == "sgd":
                g = g + wd * w
                mu = group["momentum"]
                st["buf"] = g.copy() if t == 1 else mu * st["buf"] + g
                d = g + mu * st["buf"] if group["nesterov"] else st["buf"]
                ws[i] = w - lr * d
            else:
                b1, b2 = group["betas"]
                if group["kind"] == "adam":
                    g = g + wd * w
                else:
                    w = w * (1 - lr * wd)
                st["m"] = b1 * st.get("m", 0) + (1 - b1) * g
                st["v"] = b2 * st.get("v", 0) + (1 - b2) * g * g
                bc1, bc2 = 1 - b1 ** t, 1 - b2 ** t
                denom = np.sqrt(st["v"]) / np.sqrt(bc2) + group["eps"]
                ws[i] = w - lr / bc1 * st["m"] / denom
        after.append([w.ravel().tolist() for w in ws])
    entry = dict(group)
    entry["parameters"] = [
        {"rows": s[0], "columns": s[1], "value": w0.ravel().tolist(),
         "gradients": [grads[t][i].ravel().tolist() for t in range(STEPS)],
         "after": [after[t][i] for t in range(STEPS)]}
        for i, (s, w0) in enumerate(zip(shapes, start))
    ]
    fixture["groups"].append(entry)

print(json.dumps(fixture, indent=1))
