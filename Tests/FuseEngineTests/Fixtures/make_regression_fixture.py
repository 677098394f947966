"""Writes regression_fixture.json: regression scores computed with NumPy (float64), for
RegressionMetricsTests to compare FuseLab's against.

For each case, from targets t and predictions p (both rounded to float32 first, so that
Swift reads exactly the numbers used here):
    mse  = mean((p - t)^2)                      (sklearn.metrics.mean_squared_error)
    mae  = mean(|p - t|)                        (sklearn.metrics.mean_absolute_error)
    corr = np.corrcoef(t, p)[0, 1]              (Pearson's r; null where NumPy gives nan,
                                                 that is when one side has zero variance)
    acc2 = mean((p >= 0) == (t >= 0))           (CMU-MOSI Acc-2, negative / non-negative)
The losses' gradients are also written for two cases, as PyTorch defines them:
    d mse / d p = 2 (p - t) / n,   d mae / d p = sign(p - t) / n  (0 where p == t).
Run: python3 make_regression_fixture.py > regression_fixture.json
"""
import json
import warnings

import numpy as np

rng = np.random.default_rng(20261205)


def f32(values):
    return np.asarray(values, dtype=np.float32).astype(np.float64)


def case(name, targets, predictions):
    t = f32(targets)
    p = f32(predictions)
    with warnings.catch_warnings():
        # corrcoef warns (and returns nan) when a side is constant; that is the case tested.
        warnings.simplefilter("ignore")
        corr = np.corrcoef(t, p)[0, 1]
    return {
        "name": name,
        "targets": t.tolist(),
        "predictions": p.tolist(),
        "mse": float(np.mean((p - t) ** 2)),
        "mae": float(np.mean(np.abs(p - t))),
        "corr": None if np.isnan(corr) else float(corr),
        "acc2": float(np.mean((p >= 0) == (t >= 0))),
        "mse_gradient": (2 * (p - t) / len(t)).tolist(),
        "mae_gradient": (np.sign(p - t) / len(t)).tolist(),
    }


n = 200
t = rng.normal(size=n) * 1.5
cases = [
    case("noisy linear", t, 0.8 * t + 0.3 * rng.normal(size=n) + 0.1),
    case("anti-correlated", t[:50], -t[:50] + 0.5 * rng.normal(size=50)),
    case("unrelated", rng.uniform(-3, 3, size=80), rng.normal(size=80)),
    # Zeros on both sides count as non-negative; exact matches give a zero MAE gradient.
    case("zeros and ties", [0, 0, -1, 2, 0.5, -0.25, 3, 0],
         [0, -0.5, -1, 1, 0, 0.25, 3, 1e-3]),
    case("large scale", t[:64] * 1000 + 5000, t[:64] * 900 + 5100),
    case("constant predictions", t[:20], np.full(20, 0.7)),
    case("constant targets", np.full(12, -1.0), rng.normal(size=12)),
    case("one sample", [1.5], [2.0]),
]
print(json.dumps({"cases": cases}, indent=1))
