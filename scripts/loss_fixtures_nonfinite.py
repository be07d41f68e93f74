#!/usr/bin/env python3
"""PyTorch fixtures for every loss of the prelude on non-finite and single-element inputs
(docs/semantics.md, "Non-finite values"): one element of an input set to NaN, +inf or -inf,
and a batch of one, with the reductions "none" and "mean", values and gradients, float32
and float64. A diverged model never shows a finite loss where PyTorch's is not finite.

    cd scripts && /tmp/venv/bin/python loss_fixtures_nonfinite.py

Writes Tests/LossLangTests/Fixtures/losses_nonfinite.json (NaN and ±inf written as strings,
see fixturelib.to_json_tensor). Oracles: torch.nn.functional where PyTorch has the loss,
else the documented formula written in torch (the oracles of the other loss_fixtures_*.py
scripts). LossLang's one rule at a NaN (a piecewise op passes no gradient there: torch's
clamp, not its relu) is how the formula oracles are written (with clamp). Deviations, each
in the loss's `##` docs:

- multi_margin_loss, multilabel_margin_loss: torch's kernels skip a NaN term (a finite loss
  for a NaN logit); the NaN variants' oracle is the documented formula, which propagates it.
- huber_loss, smooth_l1_loss: torch's kernels give a NaN gradient at a NaN difference; the
  NaN variants' oracle is the documented formula with the rule's 0 there.
- binary_cross_entropy_with_logits with a target of +inf: skipped for "mean" (DEVIATIONS).
"""

import math
import warnings

import torch
import torch.nn.functional as F

from fixturelib import *  # noqa: F401,F403 (generators, case, write)
from loss_fixtures_classification import dice, softmax_focal, torchvision_focal
from loss_fixtures_embedding import contrastive_ref
from loss_fixtures_empty import multi_margin_ref, multilabel_margin_ref, ntxent_rows, reduce_t

warnings.filterwarnings("ignore")  # kl_div's "mean" warning

SPECIAL = {"nan": math.nan, "posinf": math.inf, "neginf": -math.inf}
REDS = ["none", "mean"]
N_ROWS = 3

# (loss/variant prefix) -> why the case is not generated. Each is documented in the loss's
# `##` docs in stdlib/.
DEVIATIONS = {
    "binary_cross_entropy_with_logits/t_posinf/mean": "torch's fused backward for a target of +inf "
    "with pos_weight gives a NaN gradient for \"mean\" but -inf for \"none\"; LossLang gives -inf for both",
}

# Variants where torch raises (an input outside the loss's domain); LossLang raises too
# (Tests/LossLangTests/Scripts/classification_errors_bce_target_nan.loss and
# regression_errors_gaussian_var_neginf.loss).
RAISES = []


def torch_raises(inputs, fn):
    """Whether the oracle raises on these inputs (then the variant has no fixture)."""
    seed("probe")
    d = inputs() if callable(inputs) else inputs
    try:
        fn(NS(d), "none")
        return False
    except (ValueError, RuntimeError):
        return True


def spiked(make, key, value, pos=1):
    """The inputs of `make(N_ROWS)` with element `pos` (flat) of `key` set to `value`."""
    def inputs():
        d = dict(make(N_ROWS))
        t = d[key].clone()
        t.view(-1)[pos % t.numel()] = value
        d[key] = t
        return d
    return inputs


def loss(name, args, make, wrt, torch_fn, options="", spike=None, reds=REDS, tag="", nan_fn=None):
    """Cases of `name(args, options, reduction=…)`: each spiked input with NaN, +inf and
    -inf, and a batch of one. `make(n)` draws the inputs for a batch of n; `torch_fn(d, r)`
    is the oracle; `nan_fn`, if given, the oracle of the NaN variants (a documented deviation:
    torch's kernel skips a NaN term, LossLang propagates it; or torch's kernel has a NaN
    gradient at the NaN itself, LossLang's rule 0)."""
    spike = spike or wrt[:1]
    label = name + (f"/{tag}" if tag else "")
    opt = f", {options}" if options else ""
    variants = [(f"{key}_{s}", spiked(make, key, v)) for key in spike for s, v in SPECIAL.items()]
    variants.append(("single", lambda: make(1)))
    for variant, inputs in variants:
        prefix = f"{label}/{variant}"
        if any(prefix.startswith(d) for d in DEVIATIONS):
            continue
        if torch_raises(inputs, torch_fn):
            RAISES.append(prefix)
            continue
        fn = nan_fn if nan_fn and variant.endswith("_nan") else torch_fn
        for red in reds:
            if f"{prefix}/{red}" in DEVIATIONS:
                continue
            case(f"{prefix}/{red}", f'{name}({args}{opt}, reduction="{red}")', inputs,
                 lambda d, red=red, fn=fn: fn(d, red), wrt=wrt, nonfinite=True)


def plain(name, expr, make, wrt, torch_fn, spike=None):
    """Cases of a loss without a reduction argument (mining losses, helpers)."""
    spike = spike or wrt[:1]
    variants = [(f"{key}_{s}", spiked(make, key, v)) for key in spike for s, v in SPECIAL.items()]
    variants.append(("single", lambda: make(1)))
    for variant, inputs in variants:
        prefix = f"{name}/{variant}"
        if any(prefix.startswith(d) for d in DEVIATIONS):
            continue
        case(prefix, expr, inputs, torch_fn, wrt=wrt, nonfinite=True)


# --------------------------------------------------------------------------------------
# Regression, preference and multi-task losses.

def regression():
    xy = lambda n: {"x": N(n, 4), "y": N(n, 4)}
    xyw = lambda n: {**xy(n), "w": Pos(n, 4)}
    both = ["x", "y"]
    loss("mse_loss", "x, y", xy, both, lambda d, r: F.mse_loss(d.x, d.y, reduction=r), spike=both)
    loss("mse_loss", "x, y", xyw, both, lambda d, r: F.mse_loss(d.x, d.y, reduction=r, weight=d.w),
         options="weight=w", tag="weight")
    loss("l1_loss", "x, y", xy, both, lambda d, r: F.l1_loss(d.x, d.y, reduction=r), spike=both)
    loss("l1_loss", "x, y", xyw, both, lambda d, r: F.l1_loss(d.x, d.y, reduction=r, weight=d.w),
         options="weight=w", tag="weight")

    def huber_rule(d, r, delta=1.0, scale=1.0, w=None):
        """Huber's documented formula in torch with LossLang's rule at a NaN (no gradient, as
        torch's abs), where torch's smooth_l1/huber kernels give a NaN gradient."""
        z = (d.x - d.y).abs()
        small = torch.where(z < delta, z, 0)
        loss = torch.where(z < delta, 0.5 * small ** 2, delta * (z - 0.5 * delta)) * scale
        return reduce_t(loss if w is None else w * loss, r)
    loss("smooth_l1_loss", "x, y", xy, both, lambda d, r: F.smooth_l1_loss(d.x, d.y, reduction=r, beta=0.5),
         options="beta=0.5", spike=both, nan_fn=lambda d, r: huber_rule(d, r, 0.5, 1 / 0.5))
    loss("huber_loss", "x, y", xy, both, lambda d, r: F.huber_loss(d.x, d.y, reduction=r), spike=both,
         nan_fn=huber_rule)
    loss("huber_loss", "x, y", xyw, both, lambda d, r: F.huber_loss(d.x, d.y, reduction=r, delta=0.8, weight=d.w),
         options="delta=0.8, weight=w", tag="weight", nan_fn=lambda d, r: huber_rule(d, r, 0.8, w=d.w))
    pos_y = lambda n: {"x": N(n, 4), "y": Pos(n, 4, lo=0.5, hi=4.0)}
    loss("poisson_nll_loss", "x, y", pos_y, ["x", "y"], lambda d, r: F.poisson_nll_loss(d.x, d.y, reduction=r))
    rate = lambda n: {"x": Pos(n, 4), "y": Pos(n, 4, lo=0.5, hi=4.0)}
    loss("poisson_nll_loss", "x, y", rate, ["x", "y"],
         lambda d, r: F.poisson_nll_loss(d.x, d.y, log_input=False, full=True, reduction=r),
         options="log_input=false, full=true", tag="full")
    gauss = lambda n: {"x": N(n, 4), "y": N(n, 4), "v": Pos(n, 4)}
    loss("gaussian_nll_loss", "x, y, v", gauss, ["x", "y", "v"],
         lambda d, r: F.gaussian_nll_loss(d.x, d.y, d.v, reduction=r), spike=["x", "v"])

    def log_cosh(d, r):
        z = (d.x - d.y).abs()  # log cosh z = |z| + log1p(e^{-2|z|}) - log 2: finite where cosh overflows
        return reduce_t(z + torch.log1p(torch.exp(-2 * z)) - math.log(2.0), r)
    loss("log_cosh_loss", "x, y", xy, both, log_cosh, spike=both)

    def pinball(d, r):
        e = d.y - d.x  # max(q·r, (q-1)·r), as torch.maximum but with no gradient at NaN (clamp's rule)
        return reduce_t(0.9 * e.clamp(min=0) + 0.1 * (-e).clamp(min=0), r)
    loss("quantile_loss", "x, y", xy, both, pinball, options="q=0.9")

    def dpo(d, r):
        return reduce_t(F.softplus(-0.5 * ((d.pc - d.rc) - (d.pr - d.rr))), r)
    logps = lambda n: {k: N(n) for k in ["pc", "pr", "rc", "rr"]}
    loss("dpo_loss", "pc, pr, rc, rr", logps, ["pc", "pr", "rc", "rr"], dpo, options="beta=0.5")

    masked = lambda n: {"v": N(n, 3), "m": Bin(n, 3).index_fill_(1, torch.tensor([1]), 1.0)}
    plain("masked_mean", "masked_mean(v, m)", masked, ["v", "m"], lambda d: (d.v * d.m).sum() / d.m.sum())
    unc = lambda n: {"L": Pos(n), "s": N(n)}
    plain("uncertainty_weighted_loss", "uncertainty_weighted_loss(L, s)", unc, ["L", "s"],
          lambda d: (torch.exp(-d.s) * d.L + d.s).sum(), spike=["L", "s"])


# --------------------------------------------------------------------------------------
# Classification losses.

def classification():
    C = 3
    probs = lambda n: {"x": U(n, C, lo=0.05, hi=0.95), "t": U(n, C, lo=0.0, hi=1.0)}
    loss("binary_cross_entropy", "x, t", probs, ["x", "t"],
         lambda d, r: F.binary_cross_entropy(d.x, d.t, reduction=r), spike=["t"])
    logits = lambda n: {"x": N(n, C), "t": U(n, C, lo=0.0, hi=1.0), "w": Pos(C), "pw": Pos(C)}
    loss("binary_cross_entropy_with_logits", "x, t", logits, ["x", "t"],
         lambda d, r: F.binary_cross_entropy_with_logits(d.x, d.t, weight=d.w, pos_weight=d.pw, reduction=r),
         options="weight=w, pos_weight=pw", spike=["x", "t"])

    idx = lambda n: {"x": N(n, C), "t": Idx(n, n=C), "w": Pos(C)}
    loss("cross_entropy", "x, t", idx, ["x"], lambda d, r: F.cross_entropy(d.x, d.t.long(), reduction=r))
    loss("cross_entropy", "x, t", idx, ["x"],
         lambda d, r: F.cross_entropy(d.x, d.t.long(), weight=d.w, label_smoothing=0.2, reduction=r),
         options="weight=w, label_smoothing=0.2", tag="smoothing")
    soft = lambda n: {"x": N(n, C), "t": torch.softmax(N(n, C), 1)}
    loss("cross_entropy", "x, t", soft, ["x", "t"], lambda d, r: F.cross_entropy(d.x, d.t, reduction=r),
         tag="probabilities", spike=["x", "t"])
    logp = lambda n: {"x": torch.log_softmax(N(n, C), 1), "t": Idx(n, n=C), "w": Pos(C)}
    loss("nll_loss", "x, t", logp, ["x"], lambda d, r: F.nll_loss(d.x, d.t.long(), weight=d.w, reduction=r),
         options="weight=w")
    kl = lambda n: {"x": torch.log_softmax(N(n, C), 1), "t": torch.softmax(N(n, C), 1)}
    loss("kl_div", "x, t", kl, ["x", "t"], lambda d, r: F.kl_div(d.x, d.t, reduction=r), spike=["x", "t"],
         reds=REDS + ["batchmean"])
    loss("kl_div", "x, t", kl, ["x", "t"], lambda d, r: F.kl_div(d.x, d.t, reduction=r, log_target=True),
         options="log_target=true", tag="log_target", spike=["x", "t"])

    signs = lambda n: {"x": N(n, C), "t": torch.where(Bin(n, C) > 0, 1.0, -1.0)}
    loss("soft_margin_loss", "x, t", signs, ["x"], lambda d, r: F.soft_margin_loss(d.x, d.t, reduction=r))
    multi = lambda n: {"x": N(n, C), "t": Bin(n, C), "w": Pos(C)}
    loss("multilabel_soft_margin_loss", "x, t", multi, ["x", "t"],
         lambda d, r: F.multilabel_soft_margin_loss(d.x, d.t, weight=d.w, reduction=r), options="weight=w")
    labels = lambda n: {"x": N(n, C), "t": T([[2.0, 0.0, -1.0], [1.0, -1.0, 0.0], [0.0, 1.0, 2.0]][:n])}
    # torch's margin kernels skip a NaN term (a finite loss for a NaN logit); LossLang's is NaN:
    # the NaN variants' oracle is the documented formula (loss_fixtures_empty.py), NaN-propagating.
    loss("multilabel_margin_loss", "x, t", labels, ["x"],
         lambda d, r: F.multilabel_margin_loss(d.x, d.t.long(), reduction=r),
         nan_fn=lambda d, r: reduce_t(multilabel_margin_ref(d.x, d.t), r))
    loss("multi_margin_loss", "x, t", idx, ["x"],
         lambda d, r: F.multi_margin_loss(d.x, d.t.long(), p=2, margin=0.7, weight=d.w, reduction=r),
         options="p=2, margin=0.7, weight=w", nan_fn=lambda d, r: reduce_t(multi_margin_ref(d.x, d.t, 2, 0.7, d.w), r))
    loss("multi_margin_loss", "x, t", idx, ["x"], lambda d, r: F.multi_margin_loss(d.x, d.t.long(), reduction=r),
         tag="p1", nan_fn=lambda d, r: reduce_t(multi_margin_ref(d.x, d.t), r))

    loss("sigmoid_focal_loss", "x, t", lambda n: {"x": N(n, C), "t": Bin(n, C)}, ["x"],
         lambda d, r: torchvision_focal(d.x, d.t, reduction=r))
    loss("focal_loss", "x, t", idx, ["x"], lambda d, r: softmax_focal(d.x, d.t, gamma=1.5, reduction=r),
         options="gamma=1.5")
    seg = lambda n: {"x": U(n, 2, 2, lo=0.05, hi=0.95), "t": Bin(n, 2, 2)}
    loss("dice_loss", "x, t", seg, ["x", "t"], lambda d, r: dice(d.x, d.t, reduction=r))


# --------------------------------------------------------------------------------------
# Ranking, metric-learning and contrastive losses.

def batch_hard(e, labels, margin=1.0):
    """batch_hard_triplet_loss's documented formula (loss_fixtures_embedding.batch_hard_ref
    with clamp for relu: no gradient at a NaN)."""
    d = torch.cdist(e, e)
    same = labels[:, None] == labels[None, :]
    pos = same & ~torch.eye(len(labels), dtype=torch.bool)
    neg = ~same
    valid = pos.any(dim=1) & neg.any(dim=1)
    if not valid.any():
        return (e * 0).sum()
    hardest_pos = d.masked_fill(~pos, float("-inf")).max(dim=1).values
    hardest_neg = d.masked_fill(~neg, float("inf")).min(dim=1).values
    return (hardest_pos[valid] - hardest_neg[valid] + margin).clamp(min=0).mean()


def batch_all(e, labels, margin=1.0):
    """batch_all_triplet_loss's documented formula, with clamp for relu."""
    d = torch.cdist(e, e)
    same = labels[:, None] == labels[None, :]
    pos = same & ~torch.eye(len(labels), dtype=torch.bool)
    valid = pos[:, :, None] & (~same)[:, None, :]
    if not valid.any():
        return (e * 0).sum()
    return (d[:, :, None] - d[:, None, :] + margin).clamp(min=0)[valid].mean()


def clip(f1, f2, temperature=0.07):
    logits = F.normalize(f1, dim=-1) @ F.normalize(f2, dim=-1).T / temperature
    t = torch.arange(len(f1))
    return (F.cross_entropy(logits, t) + F.cross_entropy(logits.T, t)) / 2


def embedding():
    D = 3
    pair = lambda n: {"a": N(n, D), "b": N(n, D), "y": torch.where(Bin(n) > 0, 1.0, -1.0)}
    loss("cosine_embedding_loss", "a, b, y", pair, ["a", "b"],
         lambda d, r: F.cosine_embedding_loss(d.a, d.b, d.y, margin=0.2, reduction=r), options="margin=0.2")
    hinge = lambda n: {"x": N(n), "y": torch.where(Bin(n) > 0, 1.0, -1.0)}
    loss("hinge_embedding_loss", "x, y", hinge, ["x"], lambda d, r: F.hinge_embedding_loss(d.x, d.y, reduction=r))
    rank = lambda n: {"x1": N(n), "x2": N(n), "y": torch.where(Bin(n) > 0, 1.0, -1.0)}
    loss("margin_ranking_loss", "x1, x2, y", rank, ["x1", "x2"],
         lambda d, r: F.margin_ranking_loss(d.x1, d.x2, d.y, margin=0.1, reduction=r), options="margin=0.1")
    trip = lambda n: {"a": N(n, D), "p": N(n, D), "n": N(n, D)}
    loss("triplet_margin_loss", "a, p, n", trip, ["a", "p", "n"],
         lambda d, r: F.triplet_margin_loss(d.a, d.p, d.n, swap=True, reduction=r), options="swap=true",
         spike=["a", "n"])
    loss("triplet_margin_with_distance_loss", "a, p, n", trip, ["a", "p", "n"],
         lambda d, r: F.triplet_margin_with_distance_loss(d.a, d.p, d.n, reduction=r), spike=["a", "n"])
    cpair = lambda n: {"a": N(n, D), "b": N(n, D), "y": Bin(n)}
    loss("contrastive_loss", "a, b, y", cpair, ["a", "b"], lambda d, r: contrastive_ref(d.a, d.b, d.y, reduction=r))
    square = lambda n: {"x": N(n, n)}
    loss("info_nce", "x", square, ["x"], lambda d, r: F.cross_entropy(d.x, torch.arange(len(d.x)), reduction=r))

    emb = lambda n: {"e": N(2 * n, D), "labels": T([0.0, 1.0, 0.0, 1.0, 2.0, 2.0][:2 * n])}
    plain("batch_hard_triplet_loss", "batch_hard_triplet_loss(e, labels)", emb, ["e"],
          lambda d: batch_hard(d.e, d.labels))
    plain("batch_all_triplet_loss", "batch_all_triplet_loss(e, labels)", emb, ["e"],
          lambda d: batch_all(d.e, d.labels))
    feats = lambda n: {"a": N(n, D), "b": N(n, D)}
    plain("clip_loss", "clip_loss(a, b)", feats, ["a", "b"], lambda d: clip(d.a, d.b))
    plain("nt_xent", "nt_xent(e, temperature=0.5)", lambda n: {"e": N(2 * n, D)}, ["e"],
          lambda d: ntxent_rows(d.e, 0.5).mean())


# --------------------------------------------------------------------------------------
# Sequence losses.

def sequence():
    def ctc_inputs(n):
        return {"lp": torch.log_softmax(N(5, n, 4, scale=1.5), dim=-1),
                "tg": T([[1.0, 2.0], [3.0, 3.0], [2.0, 0.0]][:n]),
                "il": T([5.0, 5.0, 4.0][:n]), "tl": T([2.0, 2.0, 1.0][:n])}
    loss("ctc_loss", "lp, tg, il, tl", ctc_inputs, ["lp"],
         lambda d, r: F.ctc_loss(d.lp, d.tg.long(), d.il.long(), d.tl.long(), reduction=r))


def main():
    regression()
    classification()
    embedding()
    sequence()
    write("Tests/LossLangTests/Fixtures/losses_nonfinite.json")
    print("torch raises (no fixture):", ", ".join(RAISES))


if __name__ == "__main__":
    main()
