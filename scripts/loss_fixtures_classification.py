#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/losses_classification.json: PyTorch conformance
fixtures for the classification losses of stdlib/classification.loss.

Run from the scripts directory with a Python that has torch (and nothing else):

    cd scripts && /tmp/venv/bin/python loss_fixtures_classification.py

Oracles: torch.nn.functional for the PyTorch losses; torchvision's sigmoid_focal_loss
formula (re-implemented from torchvision/ops/focal_loss.py); focal_loss and dice_loss as
their formulas written in torch. Class indices are float tensors holding whole numbers on
the LossLang side and `.long()` on the torch side; no gradient is taken w.r.t. them.
Values JSON cannot hold (NaN of an all-ignored "mean", inf target gradients of BCE at
probabilities 0 and 1) are tested by Tests/LossLangTests/Scripts/classification_*.loss.
"""

import warnings

import torch
import torch.nn.functional as F

from fixturelib import *  # noqa: F401,F403 (generators, case, write)

warnings.filterwarnings("ignore")  # kl_div's "mean" warning

REDUCTIONS = ["mean", "sum", "none"]


def red_arg(red, default="mean"):
    return "" if red == default else f', reduction="{red}"'


def kw(**options):
    """`, a=1, b=x` for the options that are not None (LossLang keyword syntax)."""
    return "".join(f", {k}={v}" for k, v in options.items() if v is not None)


# --------------------------------------------------------------------------------------
# Binary cross-entropy on probabilities and on logits.

def bce():
    f = F.binary_cross_entropy
    P = lambda: {"x": U(3, 4, lo=0.05, hi=0.95), "t": U(3, 4, lo=0.0, hi=1.0)}
    for red in REDUCTIONS:
        case(f"binary_cross_entropy/{red}", f"binary_cross_entropy(x, t{red_arg(red)})", P,
             lambda d, red=red: f(d.x, d.t, reduction=red), wrt=["x", "t"],
             second=["x"] if red != "sum" else [])
        case(f"binary_cross_entropy/weight_{red}",
             f"binary_cross_entropy(x, t, weight=w{red_arg(red)})",
             lambda: {**P(), "w": Pos(3, 4)},
             lambda d, red=red: f(d.x, d.t, weight=d.w, reduction=red), wrt=["x", "t"])
    case("binary_cross_entropy/weight_broadcast_rows", "binary_cross_entropy(x, t, weight=w)",
         lambda: {**P(), "w": Pos(4)}, lambda d: f(d.x, d.t, weight=d.w), wrt=["x", "t"],
         second=["x"])
    case("binary_cross_entropy/hard_labels_3d", 'binary_cross_entropy(x, t, reduction="sum")',
         lambda: {"x": U(2, 3, 2, lo=0.02, hi=0.98), "t": Bin(2, 3, 2)},
         lambda d: f(d.x, d.t, reduction="sum"), wrt=["x"], second=["x"])
    # Probabilities exactly 0 and 1 and within 1e-12 of them: the -100 clamp of each log
    # term, and PyTorch's gradient w(x - y)/max(x(1 - x), 1e-12) (huge but finite). The
    # target gradient is ±inf at 0 and 1 in torch, so only x is differentiated here.
    edge = {"x": T([0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1e-13, 1 - 2**-24, 1e-30, 0.5, 1e-7, 2e-12]),
            "t": T([0.3, 0.2, 0.0, 1.0, 1.0, 0.0, 0.5, 0.7, 0.4, 0.5, 0.0, 1.0])}
    for red in REDUCTIONS:
        case(f"binary_cross_entropy/probabilities_0_and_1_{red}",
             f"binary_cross_entropy(x, t{red_arg(red)})", edge,
             lambda d, red=red: f(d.x, d.t, reduction=red), wrt=["x"])
    case("binary_cross_entropy/probabilities_0_and_1_weight",
         'binary_cross_entropy(x, t, weight=w, reduction="none")',
         {**edge, "w": T([0.5, 2.0, 1.0, 1.5, 0.25, 3.0, 1.0, 0.5, 2.0, 1.0, 0.75, 1.25])},
         lambda d: f(d.x, d.t, weight=d.w, reduction="none"), wrt=["x"])
    # Near (not at) 0 and 1 the target gradient -logit(x) is finite; below e^-100 it
    # differs from the clamped formula's -100 (float64 only: float32 rounds 1e-50 to 0).
    case("binary_cross_entropy/near_0_and_1_target_grad",
         'binary_cross_entropy(x, t, reduction="none")',
         {"x": T([1e-50, 1e-30, 1e-13, 1 - 1e-13, 1 - 1e-7, 0.3]),
          "t": T([0.5, 0.2, 0.9, 0.1, 0.6, 0.3])},
         lambda d: f(d.x, d.t, reduction="none"), wrt=["x", "t"], dtypes=("float64",))
    case("binary_cross_entropy/near_0_and_1_target_grad_f32",
         'binary_cross_entropy(x, t, reduction="none")',
         {"x": T([1e-30, 1e-13, 1 - 2**-24, 1 - 2**-20, 0.3]),
          "t": T([0.2, 0.9, 0.1, 0.6, 0.3])},
         lambda d: f(d.x, d.t, reduction="none"), wrt=["x", "t"], dtypes=("float32",))
    case("bce/alias", "bce(x, t)", P, lambda d: f(d.x, d.t), wrt=["x", "t"])

    g = F.binary_cross_entropy_with_logits
    L = lambda: {"x": N(3, 4, scale=2.0), "t": U(3, 4, lo=0.0, hi=1.0)}
    for red in REDUCTIONS:
        case(f"binary_cross_entropy_with_logits/weight_pos_weight_{red}",
             f"binary_cross_entropy_with_logits(x, t, weight=w{red_arg(red)}, pos_weight=pw)",
             lambda: {**L(), "w": Pos(3, 4), "pw": Pos(4, lo=0.3, hi=3.0)},
             lambda d, red=red: g(d.x, d.t, weight=d.w, reduction=red, pos_weight=d.pw),
             wrt=["x", "t"], second=["x"] if red == "mean" else [])
    case("binary_cross_entropy_with_logits/pos_weight_3d",
         'binary_cross_entropy_with_logits(x, t, reduction="sum", pos_weight=pw)',
         lambda: {"x": N(2, 3, 4), "t": Bin(2, 3, 4), "pw": Pos(4, lo=0.3, hi=3.0)},
         lambda d: g(d.x, d.t, reduction="sum", pos_weight=d.pw), wrt=["x"], second=["x"])
    case("binary_cross_entropy_with_logits/weight_rows",
         "binary_cross_entropy_with_logits(x, t, weight=w)",
         lambda: {**L(), "w": Pos(4)}, lambda d: g(d.x, d.t, weight=d.w), wrt=["x", "t"])
    # PyTorch's form: no overflow at ±1e3 logits, with or without pos_weight.
    big = {"x": T([-1000.0, -120.0, -30.0, 30.0, 120.0, 1000.0, 0.0, 12.2]),
           "t": T([1.0, 1.0, 0.0, 1.0, 0.0, 0.25, 0.5, 1.0]),
           "pw": T([2.0, 0.5, 3.0, 1.0, 1.5, 0.25, 2.0, 0.75])}
    case("binary_cross_entropy_with_logits/logits_1e3",
         'binary_cross_entropy_with_logits(x, t, reduction="none")', big,
         lambda d: g(d.x, d.t, reduction="none"), wrt=["x"])
    case("binary_cross_entropy_with_logits/logits_1e3_pos_weight",
         'binary_cross_entropy_with_logits(x, t, reduction="none", pos_weight=pw)', big,
         lambda d: g(d.x, d.t, reduction="none", pos_weight=d.pw), wrt=["x"])
    case("binary_cross_entropy_with_logits/0d", "binary_cross_entropy_with_logits(x, t)",
         {"x": T(0.7), "t": T(0.2)}, lambda d: g(d.x, d.t), wrt=["x", "t"])


# --------------------------------------------------------------------------------------
# Cross-entropy and NLL.

def ce_expr(target="t", weight=False, ignore=None, red="mean", ls=None):
    return (f"cross_entropy(x, {target}" + (", weight=w" if weight else "")
            + kw(ignore_index=ignore) + red_arg(red) + kw(label_smoothing=ls) + ")")


def ce_torch(weight=False, ignore=None, red="mean", ls=None, prob=False):
    def fn(d):
        t = d.t if prob else d.t.long()
        return F.cross_entropy(d.x, t, weight=d.w if weight else None,
                               ignore_index=-100 if ignore is None else ignore,
                               reduction=red, label_smoothing=0.0 if ls is None else ls)
    return fn


def cross_entropy():
    # Every combination of weight × ignore_index × label_smoothing, each reduction
    # (PyTorch issues #73205, #69339, #72056: smoothing must skip ignored rows and share the
    # Σ w[y_i] denominator). Targets hit the ignored class 1 twice.
    for weight in [False, True]:
        for ignore in [None, 1]:
            for ls in [None, 0.2]:
                for red in REDUCTIONS:
                    name = (f"cross_entropy/index_w{int(weight)}_ignore{int(ignore is not None)}"
                            f"_ls{int(ls is not None)}_{red}")
                    case(name, ce_expr("t", weight, ignore, red, ls),
                         lambda: {"x": N(6, 4, scale=1.5), "t": T([1.0, 3.0, 0.0, 1.0, 2.0, 3.0]),
                                  "w": Pos(4)},
                         ce_torch(weight, ignore, red, ls), wrt=["x"],
                         second=["x"] if red == "mean" else [])
    # K-dimensional input (N, C, d1, d2) with everything on.
    for red in REDUCTIONS:
        case(f"cross_entropy/kdim_weight_ignore_smoothing_{red}",
             ce_expr("t", True, 2, red, 0.1),
             lambda: {"x": N(2, 4, 3, 2), "t": Idx(2, 3, 2, n=4), "w": Pos(4)},
             ce_torch(True, 2, red, 0.1), wrt=["x"])
    case("cross_entropy/kdim_NCd", 'cross_entropy(x, t, reduction="none")',
         lambda: {"x": N(3, 5, 4), "t": Idx(3, 4, n=5)}, ce_torch(red="none"), wrt=["x"],
         second=["x"])
    # Unbatched (C) input with a 0-d target.
    for red in REDUCTIONS:
        case(f"cross_entropy/unbatched_{red}", ce_expr("t", True, None, red, 0.3),
             lambda: {"x": N(5), "t": T(3.0), "w": Pos(5)}, ce_torch(True, None, red, 0.3),
             wrt=["x"])
    # Weighted "mean" differs from mean of "none" (PyTorch #8062).
    case("cross_entropy/weighted_mean_is_not_mean_of_none",
         'cross_entropy(x, t, weight=w) - mean(cross_entropy(x, t, weight=w, reduction="none"))',
         lambda: {"x": N(4, 3), "t": T([0.0, 2.0, 2.0, 1.0]), "w": T([0.2, 1.0, 3.0])},
         lambda d: F.cross_entropy(d.x, d.t.long(), weight=d.w)
         - F.cross_entropy(d.x, d.t.long(), weight=d.w, reduction="none").mean(), wrt=["x"])
    # All targets ignored: "sum" is 0 ("mean" is NaN: golden script).
    case("cross_entropy/all_ignored_sum", ce_expr("t", True, 1, "sum", 0.2),
         lambda: {"x": N(3, 4), "t": T([1.0, 1.0, 1.0]), "w": Pos(4)},
         ce_torch(True, 1, "sum", 0.2), wrt=["x"])
    case("cross_entropy/all_ignored_none", ce_expr("t", False, 1, "none", 0.2),
         lambda: {"x": N(3, 4), "t": T([1.0, 1.0, 1.0])}, ce_torch(False, 1, "none", 0.2),
         wrt=["x"])
    # label_smoothing < 0 behaves as 0; label_smoothing = 1 is allowed.
    case("cross_entropy/negative_smoothing_is_zero", ce_expr("t", True, None, "mean", -0.5),
         lambda: {"x": N(4, 3), "t": Idx(4, n=3), "w": Pos(3)}, ce_torch(True, None, "mean", -0.5),
         wrt=["x"])
    case("cross_entropy/smoothing_1", ce_expr("t", False, None, "none", 1.0),
         lambda: {"x": N(4, 3), "t": Idx(4, n=3)}, ce_torch(False, None, "none", 1.0), wrt=["x"])
    # Logits at ±1e3: the row maximum is subtracted first.
    case("cross_entropy/logits_1e3", ce_expr("t", False, None, "none"),
         {"x": T([[1000.0, 999.0, 998.0], [-1000.0, 1000.0, 0.0], [1000.0, 1000.0, -1000.0],
                  [-1000.0, -999.5, -1000.0]]),
          "t": T([2.0, 0.0, 1.0, 1.0])},
         ce_torch(red="none"), wrt=["x"])
    case("cross_entropy/default_ignore_index_with_smoothing", "cross_entropy(x, t, label_smoothing=0.1)",
         lambda: {"x": N(4, 5), "t": T([2.0, -100.0, 4.0, -100.0])},
         ce_torch(ls=0.1), wrt=["x"])

    # Probability targets: input's shape; t' = t(1-ε) + ε/C; "mean" divides by N·d1…dk.
    def probs(*shape, axis=1):
        return lambda: {"x": N(*shape, scale=1.5), "t": torch.softmax(N(*shape), dim=axis),
                        "w": Pos(shape[axis])}
    for weight in [False, True]:
        for ls in [None, 0.15]:
            for red in REDUCTIONS:
                name = f"cross_entropy/prob_w{int(weight)}_ls{int(ls is not None)}_{red}"
                case(name, ce_expr("t", weight, None, red, ls), probs(4, 5),
                     ce_torch(weight, None, red, ls, prob=True), wrt=["x", "t"],
                     second=["x"] if red == "mean" else [])
    for red in REDUCTIONS:
        case(f"cross_entropy/prob_kdim_{red}", ce_expr("t", True, None, red, 0.1),
             probs(2, 3, 2, 2), ce_torch(True, None, red, 0.1, prob=True), wrt=["x", "t"])
        case(f"cross_entropy/prob_unbatched_{red}", ce_expr("t", False, None, red),
             probs(4, axis=0), ce_torch(False, None, red, prob=True), wrt=["x", "t"])
    case("cross_entropy/prob_negative_ignore_index_ok", ce_expr("t", False, -1, "mean", -0.2),
         probs(3, 4), ce_torch(False, -1, "mean", -0.2, prob=True), wrt=["x", "t"])
    case("cross_entropy/prob_soft_labels_not_normalized", ce_expr("t", False, None, "sum", 0.3),
         lambda: {"x": N(3, 4), "t": U(3, 4, lo=0.0, hi=1.0)},
         ce_torch(False, None, "sum", 0.3, prob=True), wrt=["x", "t"])

    # nll_loss on log-probabilities.
    def nll(weight=False, ignore=None, red="mean"):
        return lambda d: F.nll_loss(d.x, d.t.long(), weight=d.w if weight else None,
                                    ignore_index=-100 if ignore is None else ignore, reduction=red)
    LP = lambda: {"x": torch.log_softmax(N(5, 4), dim=1), "t": T([0.0, 3.0, 2.0, 3.0, 1.0]),
                  "w": Pos(4)}
    for weight in [False, True]:
        for ignore in [None, 3]:
            for red in REDUCTIONS:
                expr = ("nll_loss(x, t" + (", weight=w" if weight else "") + kw(ignore_index=ignore)
                        + red_arg(red) + ")")
                case(f"nll_loss/w{int(weight)}_ignore{int(ignore is not None)}_{red}", expr, LP,
                     nll(weight, ignore, red), wrt=["x"])
    case("nll_loss/kdim", 'nll_loss(x, t, weight=w, ignore_index=0, reduction="sum")',
         lambda: {"x": N(2, 3, 4), "t": Idx(2, 4, n=3), "w": Pos(3)},
         nll(True, 0, "sum"), wrt=["x"])
    case("nll_loss/unbatched", "nll_loss(x, t)", lambda: {"x": N(4), "t": T(2.0)}, nll(), wrt=["x"])
    case("nll_loss/raw_scores_not_normalized", 'nll_loss(x, t, reduction="none")',
         lambda: {"x": N(3, 4), "t": T([0.0, 1.0, 3.0])}, nll(red="none"), wrt=["x"])


# --------------------------------------------------------------------------------------
# KL divergence.

def kl():
    reds = ["mean", "batchmean", "sum", "none"]
    PQ = lambda: {"x": torch.log_softmax(N(3, 4), dim=1), "t": torch.softmax(N(3, 4), dim=1)}
    for red in reds:
        case(f"kl_div/{red}", f"kl_div(x, t{red_arg(red)})", PQ,
             lambda d, red=red: F.kl_div(d.x, d.t, reduction=red), wrt=["x", "t"],
             second=["x", "t"] if red == "batchmean" else [])
        case(f"kl_div/log_target_{red}", f"kl_div(x, t{red_arg(red)}, log_target=true)",
             lambda: {"x": torch.log_softmax(N(3, 4), dim=1), "t": torch.log_softmax(N(3, 4), dim=1)},
             lambda d, red=red: F.kl_div(d.x, d.t, reduction=red, log_target=True),
             wrt=["x", "t"], second=["t"] if red == "sum" else [])
    # Zero target probabilities contribute 0 (xlogy(0, 0) = 0). torch's target gradient is
    # NaN at t = 0, so only the input is differentiated.
    zero = {"x": torch.log_softmax(T([[0.3, -1.2, 2.0, 0.1], [1.5, 0.2, -0.4, 0.9]]), dim=1),
            "t": T([[0.0, 0.5, 0.5, 0.0], [1.0, 0.0, 0.0, 0.0]])}
    for red in reds:
        case(f"kl_div/zero_targets_{red}", f"kl_div(x, t{red_arg(red)})", zero,
             lambda d, red=red: F.kl_div(d.x, d.t, reduction=red), wrt=["x"])
    case("kl_div/batchmean_0d", 'kl_div(x, t, reduction="batchmean")', {"x": T(-0.7), "t": T(0.4)},
         lambda d: F.kl_div(d.x, d.t, reduction="batchmean"), wrt=["x", "t"])
    case("kl_div/batchmean_3d", 'kl_div(x, t, reduction="batchmean")',
         lambda: {"x": torch.log_softmax(N(2, 3, 4), dim=-1), "t": torch.softmax(N(2, 3, 4), dim=-1)},
         lambda d: F.kl_div(d.x, d.t, reduction="batchmean"), wrt=["x", "t"])
    case("kl_div/broadcast_target", 'kl_div(x, t, reduction="sum")',
         lambda: {"x": torch.log_softmax(N(3, 4), dim=1), "t": torch.softmax(N(4), dim=0)},
         lambda d: F.kl_div(d.x, d.t, reduction="sum"), wrt=["x", "t"])


# --------------------------------------------------------------------------------------
# Margin and multi-label losses.

def margins():
    S = lambda: {"x": N(3, 4, scale=1.5), "y": torch.where(Bin(3, 4) > 0, 1.0, -1.0)}
    for red in REDUCTIONS:
        case(f"soft_margin_loss/{red}", f"soft_margin_loss(x, y{red_arg(red)})", S,
             lambda d, red=red: F.soft_margin_loss(d.x, d.y, reduction=red), wrt=["x"],
             second=["x"] if red == "mean" else [])
    case("soft_margin_loss/large_margins", 'soft_margin_loss(x, y, reduction="none")',
         {"x": T([30.0, -30.0, 60.0, -2.0, 0.0]), "y": T([1.0, 1.0, -1.0, 0.5, -1.0])},
         lambda d: F.soft_margin_loss(d.x, d.y, reduction="none"), wrt=["x"])

    M = lambda: {"x": N(3, 5, scale=1.5), "t": Bin(3, 5), "w": Pos(5)}
    for weight in [False, True]:
        for red in REDUCTIONS:
            expr = "multilabel_soft_margin_loss(x, t" + (", weight=w" if weight else "") + red_arg(red) + ")"
            case(f"multilabel_soft_margin_loss/w{int(weight)}_{red}", expr, M,
                 lambda d, red=red, weight=weight: F.multilabel_soft_margin_loss(
                     d.x, d.t, weight=d.w if weight else None, reduction=red),
                 wrt=["x", "t"], second=["x"] if red == "mean" else [])
    case("multilabel_soft_margin_loss/unbatched", "multilabel_soft_margin_loss(x, t)",
         lambda: {"x": N(5), "t": U(5, lo=0.0, hi=1.0)},
         lambda d: F.multilabel_soft_margin_loss(d.x, d.t), wrt=["x", "t"])
    case("multilabel_soft_margin_loss/large_logits", 'multilabel_soft_margin_loss(x, t, reduction="none")',
         {"x": T([[1000.0, -1000.0, 30.0], [-50.0, 0.0, 200.0]]), "t": T([[1.0, 0.0, 0.0], [1.0, 1.0, 1.0]])},
         lambda d: F.multilabel_soft_margin_loss(d.x, d.t, reduction="none"), wrt=["x"])

    # multilabel_margin_loss: ids before the first -1; ids after it are ignored; a repeated
    # id counts twice; a row starting with -1 has no targets (loss 0).
    mm_t = T([[3.0, 0.0, -1.0, 1.0, 4.0], [2.0, 2.0, 4.0, -1.0, -1.0], [-1.0, 1.0, 2.0, 3.0, 0.0],
              [0.0, 1.0, 2.0, 3.0, 4.0], [4.0, -1.0, 4.0, 4.0, 4.0]])
    for red in REDUCTIONS:
        case(f"multilabel_margin_loss/{red}", f"multilabel_margin_loss(x, t{red_arg(red)})",
             lambda: {"x": distinct(5, 5, lo=-1.2, hi=1.2, gap=0.04), "t": mm_t},
             lambda d, red=red: F.multilabel_margin_loss(d.x, d.t.long(), reduction=red), wrt=["x"])
    for red in REDUCTIONS:
        case(f"multilabel_margin_loss/unbatched_{red}", f"multilabel_margin_loss(x, t{red_arg(red)})",
             lambda: {"x": distinct(4, lo=-1.0, hi=1.0), "t": T([2.0, 0.0, -1.0, 3.0])},
             lambda d, red=red: F.multilabel_margin_loss(d.x, d.t.long(), reduction=red), wrt=["x"])

    # multi_margin_loss: p ∈ {1, 2}, margins, the target class's weight.
    MM = lambda: {"x": distinct(4, 5, lo=-1.5, hi=1.5, gap=0.05), "t": T([0.0, 4.0, 2.0, 2.0]),
                  "w": Pos(5)}
    for p in [1, 2]:
        for weight in [False, True]:
            for red in REDUCTIONS:
                expr = (f"multi_margin_loss(x, t" + (f", p={p}" if p != 1 else "")
                        + (", weight=w" if weight else "") + red_arg(red) + ")")
                case(f"multi_margin_loss/p{p}_w{int(weight)}_{red}", expr, MM,
                     lambda d, p=p, weight=weight, red=red: F.multi_margin_loss(
                         d.x, d.t.long(), p=p, weight=d.w if weight else None, reduction=red),
                     wrt=["x"])
    for margin in [0.3, 2.5, -0.5]:
        case(f"multi_margin_loss/margin_{margin}", f'multi_margin_loss(x, t, p=2, margin={margin}, weight=w)',
             MM, lambda d, margin=margin: F.multi_margin_loss(d.x, d.t.long(), p=2, margin=margin, weight=d.w),
             wrt=["x"])
    case("multi_margin_loss/unbatched", 'multi_margin_loss(x, t, reduction="none")',
         lambda: {"x": distinct(6, lo=-1.0, hi=1.0), "t": T(4.0)},
         lambda d: F.multi_margin_loss(d.x, d.t.long(), reduction="none"), wrt=["x"])
    # v2: every input/target shape PyTorch accepts; "none" has the target's shape.
    for red in REDUCTIONS:
        case(f"multi_margin_loss/unbatched_target1_{red}", f"multi_margin_loss(x, t{red_arg(red)})",
             lambda: {"x": distinct(10, lo=-1.0, hi=1.0), "t": T([3.0])},
             lambda d, red=red: F.multi_margin_loss(d.x, d.t.long(), reduction=red), wrt=["x"])
    mm_shapes = {"scalar_input": (lambda: {"x": T(0.5), "t": T(0.0)}),
                 "scalar_input_target1": (lambda: {"x": T(0.5), "t": T([0.0])}),
                 "one_class": (lambda: {"x": T([0.5]), "t": T([0.0])}),
                 "batch1_scalar_target": (lambda: {"x": distinct(1, 4, lo=-1.0, hi=1.0), "t": T(2.0)})}
    for shape_name, inputs in mm_shapes.items():
        case(f"multi_margin_loss/{shape_name}", 'multi_margin_loss(x, t, p=2, reduction="none")', inputs,
             lambda d: F.multi_margin_loss(d.x, d.t.long(), p=2, reduction="none"), wrt=["x"])
    ml_shapes = {"scalar_input": (lambda: {"x": T(0.5), "t": T(0.0)}),
                 "scalar_input_no_target": (lambda: {"x": T(0.5), "t": T(-1.0)}),
                 "scalar_input_target1": (lambda: {"x": T(0.5), "t": T([0.0])}),
                 "one_class_scalar_target": (lambda: {"x": T([0.5]), "t": T(0.0)}),
                 "batch1": (lambda: {"x": distinct(1, 4, lo=-1.0, hi=1.0), "t": T([[3.0, 0.0, -1.0, 1.0]])})}
    for shape_name, inputs in ml_shapes.items():
        for red in ["none", "sum"]:
            case(f"multilabel_margin_loss/{shape_name}_{red}", f"multilabel_margin_loss(x, t{red_arg(red)})",
                 inputs, lambda d, red=red: F.multilabel_margin_loss(d.x, d.t.long(), reduction=red), wrt=["x"])


# --------------------------------------------------------------------------------------
# Focal losses and Dice.

def torchvision_focal(x, t, alpha=0.25, gamma=2.0, reduction="none"):
    """torchvision.ops.sigmoid_focal_loss, transcribed from torchvision/ops/focal_loss.py."""
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    p_t = p * t + (1 - p) * (1 - t)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha >= 0:
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


def softmax_focal(x, t, alpha=1.0, gamma=2.0, reduction="mean"):
    """-alpha (1 - p_t)^gamma log p_t, p_t = softmax over the class axis at the target."""
    dim = 0 if x.dim() == 1 else 1
    idx = t.long().unsqueeze(dim)
    logpt = torch.log_softmax(x, dim=dim).gather(dim, idx).squeeze(dim)
    pt = torch.softmax(x, dim=dim).gather(dim, idx).squeeze(dim)
    loss = -alpha * (1 - pt) ** gamma * logpt
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


def dice(p, t, smooth=1.0, reduction="mean"):
    """1 - (2 Σ p t + smooth) / (Σ p + Σ t + smooth) per sample over the non-batch axes."""
    dims = list(range(1, p.dim()))
    inter = (p * t).sum(dim=dims) if dims else p * t
    ps = p.sum(dim=dims) if dims else p
    ts = t.sum(dim=dims) if dims else t
    loss = 1 - (2 * inter + smooth) / (ps + ts + smooth)
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


def focal():
    FX = lambda: {"x": U(2, 3, 4, lo=-3, hi=3), "t": Bin(2, 3, 4)}
    for red in REDUCTIONS:
        case(f"sigmoid_focal_loss/3d_{red}", f'sigmoid_focal_loss(x, t{red_arg(red, "none")})', FX,
             lambda d, red=red: torchvision_focal(d.x, d.t, reduction=red), wrt=["x"])
    case("sigmoid_focal_loss/gamma0_alpha_off_is_bce", "sigmoid_focal_loss(x, t, alpha=-1, gamma=0)", FX,
         lambda d: torchvision_focal(d.x, d.t, alpha=-1, gamma=0), wrt=["x"])
    case("sigmoid_focal_loss/alpha0_gamma3", 'sigmoid_focal_loss(x, t, alpha=0, gamma=3, reduction="sum")',
         FX, lambda d: torchvision_focal(d.x, d.t, alpha=0, gamma=3, reduction="sum"), wrt=["x"],
         second=["x"])
    case("sigmoid_focal_loss/soft_targets_gamma_half",
         'sigmoid_focal_loss(x, t, alpha=0.75, gamma=0.5, reduction="mean")',
         lambda: {"x": U(3, 4, lo=-3, hi=3), "t": U(3, 4, lo=0.1, hi=0.9)},
         lambda d: torchvision_focal(d.x, d.t, alpha=0.75, gamma=0.5, reduction="mean"), wrt=["x", "t"])
    # Easy examples underflow to exactly 0 in float32 (the naive (1 - p_t)^γ).
    case("sigmoid_focal_loss/easy_examples", "sigmoid_focal_loss(x, t)",
         {"x": T([20.0, -20.0, 8.0, -8.0, 0.5]), "t": T([1.0, 0.0, 1.0, 0.0, 1.0])},
         lambda d: torchvision_focal(d.x, d.t), wrt=["x"], atol={"float32": 1e-6, "float64": 1e-12})

    CX = lambda: {"x": N(5, 4, scale=1.5), "t": T([0.0, 3.0, 1.0, 1.0, 2.0])}
    for red in REDUCTIONS:
        case(f"focal_loss/{red}", f"focal_loss(x, t{red_arg(red)})", CX,
             lambda d, red=red: softmax_focal(d.x, d.t, reduction=red), wrt=["x"],
             second=["x"] if red == "mean" else [])
    for alpha, gamma in [(0.25, 2.0), (1.0, 0.0), (0.5, 0.5), (2.0, 5.0)]:
        case(f"focal_loss/alpha{alpha}_gamma{gamma}", f'focal_loss(x, t, alpha={alpha}, gamma={gamma}, reduction="sum")',
             CX, lambda d, a=alpha, g=gamma: softmax_focal(d.x, d.t, a, g, "sum"), wrt=["x"])
    case("focal_loss/gamma0_is_cross_entropy", "focal_loss(x, t, gamma=0) - cross_entropy(x, t)", CX,
         lambda d: softmax_focal(d.x, d.t, gamma=0.0) - F.cross_entropy(d.x, d.t.long()), wrt=["x"],
         atol={"float32": 1e-6, "float64": 1e-12})
    case("focal_loss/kdim", 'focal_loss(x, t, alpha=0.25, reduction="none")',
         lambda: {"x": N(2, 3, 2, 2), "t": Idx(2, 2, 2, n=3)},
         lambda d: softmax_focal(d.x, d.t, alpha=0.25, reduction="none"), wrt=["x"])
    case("focal_loss/unbatched", "focal_loss(x, t)", lambda: {"x": N(4), "t": T(1.0)},
         lambda d: softmax_focal(d.x, d.t), wrt=["x"])

    DP = lambda: {"p": U(2, 3, 4, 4, lo=0.0, hi=1.0), "t": Bin(2, 3, 4, 4)}
    for red in REDUCTIONS:
        case(f"dice_loss/{red}", f"dice_loss(p, t{red_arg(red)})", DP,
             lambda d, red=red: dice(d.p, d.t, reduction=red), wrt=["p", "t"],
             second=["p"] if red == "mean" else [])
    for smooth in [0.0, 1e-5, 10.0]:
        case(f"dice_loss/smooth_{smooth}", f'dice_loss(p, t, smooth={smooth}, reduction="none")', DP,
             lambda d, s=smooth: dice(d.p, d.t, smooth=s, reduction="none"), wrt=["p", "t"])
    case("dice_loss/1d_samples", "dice_loss(p, t)", lambda: {"p": U(6, lo=0.0, hi=1.0), "t": Bin(6)},
         lambda d: dice(d.p, d.t), wrt=["p"])
    case("dice_loss/empty_masks", 'dice_loss(p, t, reduction="none")',
         {"p": T([[0.0, 0.0, 0.0], [0.2, 0.1, 0.0]]), "t": T([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])},
         lambda d: dice(d.p, d.t, reduction="none"), wrt=["p"])


def main():
    bce()
    cross_entropy()
    kl()
    margins()
    focal()
    write("Tests/LossLangTests/Fixtures/losses_classification.json")


if __name__ == "__main__":
    main()
