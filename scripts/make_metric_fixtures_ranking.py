#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/metrics_ranking.json: reference values of
`roc_auc_score`, `calibration_error` and `recall_at_k`, float32 and float64.

Run with a Python that has scikit-learn, torch, torchmetrics and numpy:

    /tmp/venv/bin/python scripts/make_metric_fixtures_ranking.py

Oracles
- roc_auc_score: sklearn.metrics.roc_auc_score (ties included: rounded and few-level scores).
- calibration_error: torchmetrics' binary_calibration_error (1-D probs) and
  multiclass_calibration_error (2-D probs), norm="l1". torchmetrics computes the multiclass
  form in float32 whatever the input; the float64 multiclass cases call its `_ce_compute` on
  float64 confidences (the same binning and sum, without that cast), and check that the
  public function agrees to float32 precision.
- recall_at_k: numpy, written here from the definition (full distance matrix, the query's
  own distance set to +inf, a stable argsort, a hit when one of the first k shares the label).

Every case checks that its inputs avoid what the contract leaves open: no confidence near a
bin edge where torch.linspace's edges and LossLang's i/bins could differ, no argmax ties,
no near-ties in recall@k distances.

Case format: that of FixtureSupport.swift (name, dtype, expr, wrt, inputs, value), with a
0-d value; default tolerances (float32 1e-5 relative, float64 1e-9).
"""

import json
import os
import zlib

import numpy as np
import torch
from sklearn.metrics import roc_auc_score
from torchmetrics.functional.classification import (
    binary_calibration_error,
    multiclass_calibration_error,
)
from torchmetrics.functional.classification.calibration_error import _ce_compute

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "LossLangTests", "Fixtures", "metrics_ranking.json")
DTYPES = {"float32": (np.float32, torch.float32), "float64": (np.float64, torch.float64)}
CASES = []


def rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def tensor_json(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def case(name, expr, inputs, oracle, dtypes=("float32", "float64"), nan=False):
    """Adds `name/<dtype>`: inputs (name -> float64 array) rounded to the dtype, then
    `oracle(inputs in that dtype as numpy, dtype name)` -> the expected number; `nan`: the
    expected number is NaN (written "NaN", which FixtureSupport.swift reads back)."""
    for dname in dtypes:
        np_dt, _ = DTYPES[dname]
        rounded = {k: np.asarray(v, dtype=np.float64).astype(np_dt) for k, v in inputs.items()}
        value = float(oracle(rounded, dname))
        assert np.isnan(value) if nan else np.isfinite(value), name
        CASES.append({
            "name": f"{name}/{dname}", "dtype": dname, "expr": expr, "wrt": [],
            "inputs": {k: tensor_json(v) for k, v in rounded.items()},
            "value": {"shape": [], "data": ["NaN" if nan else value]},
        })


# --------------------------------------------------------------------------------------
# roc_auc_score


def roc(d, _):
    return roc_auc_score(d["t"], d["s"])


def roc_auc_cases():
    expr = "roc_auc_score(t, s)"
    g = rng("roc/random")
    t = (g.random(60) < 0.4).astype(float)
    t[:2] = [0, 1]
    case("roc_auc/random_no_ties", expr, {"t": t, "s": g.normal(size=60) + t}, roc)
    g = rng("roc/rounded")
    t = (g.random(200) < 0.5).astype(float)
    s = np.round(g.random(200) * 0.6 + 0.4 * t, 1)
    assert len(np.unique(s)) < 15
    case("roc_auc/many_ties_rounded", expr, {"t": t, "s": s}, roc)
    g = rng("roc/levels")
    t = (g.random(120) < 0.3).astype(float)
    s = np.minimum(g.integers(0, 3, 120) + t, 3.0)
    case("roc_auc/many_ties_four_levels", expr, {"t": t, "s": s}, roc)
    case("roc_auc/all_tied", expr, {"t": [0, 1, 1, 0, 1], "s": [0.3] * 5}, roc)
    case("roc_auc/perfect", expr, {"t": [0, 0, 1, 1, 1], "s": [0.1, 0.2, 0.3, 0.9, 0.5]}, roc)
    case("roc_auc/reversed", expr, {"t": [1, 1, 0, 0], "s": [-2.0, -1.0, 3.0, 4.0]}, roc)
    g = rng("roc/imbalanced")
    t = np.zeros(300)
    t[g.choice(300, 30, replace=False)] = 1
    case("roc_auc/imbalanced_90_10", expr, {"t": t, "s": g.normal(size=300) + 0.8 * t}, roc)
    g = rng("roc/bool")
    u = g.random(40)
    u[:2] = [0.1, 0.9]
    case("roc_auc/bool_target", "roc_auc_score(u > 0.5, s)",
         {"u": u, "s": np.round(g.normal(size=40), 1)},
         lambda d, _: roc_auc_score(d["u"] > 0.5, d["s"]))


# --------------------------------------------------------------------------------------
# calibration_error


def check_edges(confidences, bins, dname):
    """Every confidence falls in the same bin with torch.linspace's edges as with i/bins."""
    np_dt, t_dt = DTYPES[dname]
    c = torch.tensor(confidences, dtype=t_dt)
    ours = torch.tensor((np.arange(bins + 1, dtype=np_dt) / np_dt(bins)).astype(np_dt))
    theirs = torch.linspace(0, 1, bins + 1, dtype=t_dt)
    assert torch.equal(torch.bucketize(c, ours, right=True), torch.bucketize(c, theirs, right=True)), \
        f"a confidence on an edge where linspace and i/{bins} differ"


def binary_ece(bins):
    def oracle(d, dname):
        _, t_dt = DTYPES[dname]
        p = torch.tensor(d["p"], dtype=t_dt)
        check_edges(d["p"], bins, dname)
        value = binary_calibration_error(p, torch.tensor(d["t"]).long(), n_bins=bins, norm="l1")
        assert value.dtype == t_dt
        return value.item()
    return oracle


def multiclass_ece(bins):
    def oracle(d, dname):
        _, t_dt = DTYPES[dname]
        p = torch.tensor(d["p"], dtype=t_dt)
        target = torch.tensor(d["t"]).long()
        top2 = torch.topk(p, 2, dim=1).values
        assert (top2[:, 0] > top2[:, 1]).all(), "an argmax tie"
        confidences, predictions = p.max(dim=1)
        check_edges(confidences.numpy(), bins, dname)
        public = multiclass_calibration_error(p, target, num_classes=p.shape[1], n_bins=bins, norm="l1")
        if dname == "float32":
            return public.item()
        value = _ce_compute(confidences, predictions.eq(target).to(t_dt), bins, norm="l1")
        assert abs(value.item() - public.item()) <= 1e-6, (value.item(), public.item())
        return value.item()
    return oracle


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def calibration_cases():
    g = rng("ece/binary")
    p = g.random(100)
    t = (g.random(100) < p ** 1.5).astype(float)
    for bins in [1, 5, 10, 15, 40]:
        expr = "calibration_error(p, t)" if bins == 15 else f"calibration_error(p, t, bins={bins})"
        case(f"calibration/binary_bins{bins}", expr, {"p": p, "t": t}, binary_ece(bins))
    edges = {"p": [0.0, 0.0, 0.5, 0.5, 1.0, 1.0, 0.25, 0.75, 0.9], "t": [0, 1, 1, 1, 1, 1, 0, 0, 1]}
    for bins in [2, 4, 10]:
        case(f"calibration/binary_exact_edges_bins{bins}", f"calibration_error(p, t, bins={bins})",
             edges, binary_ece(bins))
    g = rng("ece/multiclass")
    z = g.normal(size=(80, 4)) * 1.5
    t = np.array([int(np.argmax(row + g.normal(size=4))) for row in z], dtype=float)
    p = softmax(z)
    for bins in [3, 10, 15]:
        expr = "calibration_error(p, t)" if bins == 15 else f"calibration_error(p, t, bins={bins})"
        case(f"calibration/multiclass_bins{bins}", expr, {"p": p, "t": t}, multiclass_ece(bins))
    g = rng("ece/smoothed")
    z = g.normal(size=(60, 10)) * 0.3
    t = g.integers(0, 10, 60).astype(float)
    case("calibration/multiclass_near_uniform", "calibration_error(p, t, bins=20)",
         {"p": softmax(z), "t": t}, multiclass_ece(20))
    onehot = np.eye(3)[[0, 1, 2, 2, 1]]
    mixed = np.vstack([onehot, [[0.2, 0.7, 0.1], [0.6, 0.3, 0.1]]])
    case("calibration/binary_empty_is_nan", "calibration_error(p, t)",
         {"p": np.zeros(0), "t": np.zeros(0)}, binary_ece(15), nan=True)
    case("calibration/multiclass_confidence_one", "calibration_error(p, t, bins=5)",
         {"p": mixed, "t": [0, 1, 1, 2, 0, 1, 1]}, multiclass_ece(5))


# --------------------------------------------------------------------------------------
# recall_at_k


def recall_at_k(e, labels, k):
    """From the definition: the k nearest others by Euclidean distance; a hit when one of
    them has the query's label; the mean over queries."""
    e = np.asarray(e, dtype=np.float64)
    labels = np.asarray(labels)
    dist = np.linalg.norm(e[:, None, :] - e[None, :, :], axis=-1)
    np.fill_diagonal(dist, np.inf)
    for row in dist:
        finite = np.sort(row[np.isfinite(row)])
        assert np.all(np.diff(finite) > 1e-9 * max(finite[-1], 1.0)), "a near-tie in distance"
    nearest = np.argsort(dist, axis=1, kind="stable")[:, :k]
    hits = (labels[nearest] == labels[:, None]).any(axis=1)
    return hits.mean()


def recall_cases():
    g = rng("recall/random")
    e = g.normal(size=(30, 5))
    y = g.integers(0, 4, 30).astype(float)
    for k in [1, 2, 5]:
        expr = "recall_at_k(e, y)" if k == 1 else f"recall_at_k(e, y, k={k})"
        case(f"recall_at_k/random_k{k}", expr, {"e": e, "y": y},
             lambda d, _, k=k: recall_at_k(d["e"], d["y"], k))
    g = rng("recall/clusters")
    centers = g.normal(size=(5, 8)) * 2.0
    y = g.integers(0, 5, 120)
    e = centers[y] + g.normal(size=(120, 8))
    for k in [1, 3, 10]:
        case(f"recall_at_k/clusters_k{k}", f"recall_at_k(e, y, k={k})", {"e": e, "y": y.astype(float)},
             lambda d, _, k=k: recall_at_k(d["e"], d["y"], k))
    case("recall_at_k/k_is_all_others", "recall_at_k(e, y, k=3)",
         {"e": [[0.0, 0.0], [1.0, 0.5], [3.0, 1.0], [7.0, -2.0]], "y": [0, 1, 2, 0]},
         lambda d, _: recall_at_k(d["e"], d["y"], 3))


def main():
    roc_auc_cases()
    calibration_cases()
    recall_cases()
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))
    with open(OUT, "w") as f:
        json.dump(CASES, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(CASES)} cases to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
