#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/metrics_classification.json: scikit-learn
conformance fixtures for the classification metrics (accuracy_score precision_score
recall_score f1_score confusion_matrix), float32 and float64 inputs.

Run with a Python that has scikit-learn and torch:

    /tmp/venv/bin/python scripts/make_metric_fixtures_classification.py

The case format is that of make_fixtures.py (fixturelib.py writes it), values only: the
oracle is scikit-learn, called on the inputs rounded to the case's dtype. Class indices are
float tensors holding whole numbers, as LossLang represents them; `t > 0.5` in an
expression makes a bool tensor. A result is float64 when an input is, else float32.
confusion_matrix's oracle is sklearn's with labels=range(K): K is num_classes, or one more
than the largest class present (sklearn alone would keep only the classes present).
"""

import warnings

import numpy as np
import torch
from sklearn import metrics

from fixturelib import CASES, DTYPES, NAMES, TOL, N, NS, T, Idx, seed, to_json_tensor, write

# sklearn warns where a score divides by 0 (zero_division="warn" is 0.0, the value we want)
# and where confusion_matrix sees a single label (the cases pass labels); numpy warns at
# the log of a negative number, the NaN a case makes on purpose.
warnings.simplefilter("ignore", category=metrics._classification.UndefinedMetricWarning)
warnings.filterwarnings("ignore", message="A single label was found")
np.seterr(invalid="ignore")


def metric_case(name, expr, inputs, oracle, value_dtype=None):
    """Adds `name/<dtype>` for float32 and float64 inputs.

    inputs: dict name -> float64 tensor, or a function () -> dict (drawn after seeding).
    oracle: NS(numpy arrays in the case's dtype) -> a number or an array.
    value_dtype: the result's dtype when it is not the case's (a bool-only expression).
    """
    seed(name)
    if callable(inputs):
        inputs = inputs()
    for dname in ("float32", "float64"):
        full = f"{name}/{dname}"
        assert full not in NAMES, full
        NAMES.add(full)
        cin = {k: v.to(DTYPES[dname]) for k, v in inputs.items()}
        y = np.asarray(oracle(NS({k: v.numpy() for k, v in cin.items()})), dtype=np.float64)
        CASES.append({
            "name": full, "dtype": dname, "expr": expr, "wrt": [],
            "inputs": {k: to_json_tensor(v) for k, v in cin.items()},
            "value": to_json_tensor(torch.from_numpy(y)),
            "value_dtype": value_dtype or dname,
        })
        if value_dtype and value_dtype != dname:
            # Checked with the tolerance of the result's dtype, not the inputs'.
            CASES[-1]["rtol"], CASES[-1]["atol"] = TOL[value_dtype]


def pairs(t, p):
    return lambda: {"t": t() if callable(t) else t, "p": p() if callable(p) else p}


def rand(n, k):
    return lambda: Idx(n, n=k)


def skewed(n, k):
    """Class indices below k, with class k-1 rare."""
    return lambda: torch.where(Idx(n, n=4) == 0, float(k - 1), Idx(n, n=k - 1))


# (name, target, pred): class-index data sets, as tensors or generators.
BINARY = [
    ("binary_random", rand(24, 2), rand(24, 2)),
    ("binary_all_correct", T([0, 1, 1, 0, 1]), T([0, 1, 1, 0, 1])),
    ("binary_all_wrong", T([0, 1, 1, 0, 1]), T([1, 0, 0, 1, 0])),
    ("binary_only_negatives", T([0, 0, 0]), T([0, 0, 0])),
    ("binary_pred_all_positive", T([0, 1, 0, 0, 1, 1]), T([1, 1, 1, 1, 1, 1])),
    ("binary_target_all_positive", T([1, 1, 1, 1]), T([0, 1, 0, 1])),
    ("binary_no_positive_predicted", T([1, 0, 1, 0]), T([0, 0, 0, 0])),
    ("binary_labels_1_and_2", T([1, 2, 2, 1, 2]), T([1, 1, 2, 2, 2])),
    ("binary_single_sample", T([1]), T([1])),
    ("binary_imbalanced", skewed(50, 2), rand(50, 2)),
]
MULTICLASS = [
    ("multiclass_random", rand(40, 5), rand(40, 5)),
    ("multiclass_skewed", skewed(60, 4), rand(60, 4)),
    ("multiclass_missing_from_pred", T([0, 1, 2, 3, 3, 2, 1, 0]), T([0, 1, 2, 2, 1, 2, 1, 0])),
    ("multiclass_missing_from_target", T([0, 1, 2, 2, 1, 0]), T([0, 1, 4, 2, 4, 0])),
    ("multiclass_sparse_labels", T([0, 2, 5, 5, 2, 0, 5]), T([0, 5, 5, 2, 2, 0, 0])),
    ("multiclass_all_correct", T([3, 0, 2, 1, 2]), T([3, 0, 2, 1, 2])),
    ("multiclass_all_wrong", T([0, 1, 2, 0, 1, 2]), T([1, 2, 0, 2, 0, 1])),
    ("multiclass_one_class_predicted", T([0, 1, 2, 1, 0, 2]), T([1, 1, 1, 1, 1, 1])),
]
AVERAGES = ["macro", "micro", "weighted"]
SCORES = [("precision_score", metrics.precision_score), ("recall_score", metrics.recall_score),
          ("f1_score", metrics.f1_score)]


def accuracy():
    for name, t, p in BINARY + MULTICLASS:
        metric_case(f"accuracy_score/{name}", "accuracy_score(t, p)", pairs(t, p),
                    lambda d: metrics.accuracy_score(d.t, d.p))
    metric_case("accuracy_score/bool", "accuracy_score(t > 0.5, p > 0.5)",
                pairs(rand(30, 2), rand(30, 2)),
                lambda d: metrics.accuracy_score(d.t > 0.5, d.p > 0.5), value_dtype="float32")
    metric_case("accuracy_score/bool_target_index_pred", "accuracy_score(t > 0.5, p)",
                pairs(rand(30, 2), rand(30, 2)),
                lambda d: metrics.accuracy_score(d.t > 0.5, d.p))
    metric_case("accuracy_score/float64_pred_makes_float64", "accuracy_score(t, float64(p))",
                pairs(rand(20, 3), rand(20, 3)),
                lambda d: metrics.accuracy_score(d.t, d.p), value_dtype="float64")
    # Scores: each row's first maximum is the predicted class (numpy's argmax, as torch's).
    argmax = lambda d: metrics.accuracy_score(d.t, np.argmax(d.p, axis=-1))
    metric_case("accuracy_score/logits", "accuracy_score(t, p)", pairs(rand(25, 5), lambda: N(25, 5)), argmax)
    metric_case("accuracy_score/logits_binary_two_columns", "accuracy_score(t, p)",
                pairs(rand(16, 2), lambda: N(16, 2)), argmax)
    metric_case("accuracy_score/logits_one_class", "accuracy_score(t, p)",
                pairs(T([0, 0, 0]), lambda: N(3, 1)), argmax)
    metric_case("accuracy_score/probabilities", "accuracy_score(t, softmax(p, axis=-1))",
                pairs(rand(20, 4), lambda: N(20, 4, scale=3.0)), argmax)
    ties = T([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0], [0.5, -1.0, 0.5], [-2.0, 4.0, 4.0]])
    metric_case("accuracy_score/logits_ties_first_maximum", "accuracy_score(t, p)",
                pairs(T([1, 0, 0, 2]), ties), argmax)
    # NaN counts as the largest score (torch.argmax and numpy agree): made inside the
    # expression, since a fixture stores no NaN.
    metric_case("accuracy_score/logits_nan_is_largest", "accuracy_score(t, log(p))",
                pairs(T([2, 0, 1]), T([[2.0, 3.0, -1.0], [0.5, 1.0, 2.0], [-1.0, -2.0, 3.0]])),
                lambda d: metrics.accuracy_score(d.t, np.argmax(np.log(d.p), axis=-1)))


def scores():
    for fn_name, fn in SCORES:
        for name, t, p in BINARY:
            metric_case(f"{fn_name}/{name}/default", f"{fn_name}(t, p)", pairs(t, p),
                        lambda d, fn=fn: fn(d.t, d.p))
        for name, t, p in BINARY + MULTICLASS:
            for avg in AVERAGES:
                metric_case(f"{fn_name}/{name}/{avg}", f'{fn_name}(t, p, average="{avg}")', pairs(t, p),
                            lambda d, fn=fn, avg=avg: fn(d.t, d.p, average=avg))
        metric_case(f"{fn_name}/bool/binary", f'{fn_name}(t > 0.5, p > 0.5, "binary")',
                    pairs(rand(30, 2), rand(30, 2)),
                    lambda d, fn=fn: fn(d.t > 0.5, d.p > 0.5, average="binary"), value_dtype="float32")
        metric_case(f"{fn_name}/bool/macro", f'{fn_name}(t > 0.5, p > 0.5, "macro")',
                    pairs(rand(30, 2), rand(30, 2)),
                    lambda d, fn=fn: fn(d.t > 0.5, d.p > 0.5, average="macro"), value_dtype="float32")


def confusion():
    def labelled(d, k=None):
        k = k if k is not None else int(max(d.t.max(), d.p.max())) + 1
        return metrics.confusion_matrix(d.t, d.p, labels=list(range(k)))

    for name, t, p in BINARY + MULTICLASS:
        metric_case(f"confusion_matrix/{name}", "confusion_matrix(t, p)", pairs(t, p), labelled)
    metric_case("confusion_matrix/num_classes_larger", "confusion_matrix(t, p, num_classes=6)",
                pairs(rand(20, 4), rand(20, 4)), lambda d: labelled(d, 6))
    metric_case("confusion_matrix/num_classes_exact", "confusion_matrix(t, p, 3)",
                pairs(T([0, 1, 2, 2]), T([0, 2, 2, 1])), lambda d: labelled(d, 3))
    metric_case("confusion_matrix/bool", "confusion_matrix(t > 0.5, p > 0.5)",
                pairs(rand(30, 2), rand(30, 2)),
                lambda d: metrics.confusion_matrix(d.t > 0.5, d.p > 0.5, labels=[False, True]),
                value_dtype="float32")
    metric_case("confusion_matrix/bool_all_false", "confusion_matrix(t > 0.5, p > 0.5, num_classes=2)",
                pairs(T([0, 0]), T([0, 0])),
                lambda d: metrics.confusion_matrix(d.t > 0.5, d.p > 0.5, labels=[False, True]),
                value_dtype="float32")


accuracy()
scores()
confusion()
write("Tests/LossLangTests/Fixtures/metrics_classification.json")
