#!/usr/bin/env python3
"""PyTorch fixtures for every loss of the prelude on an empty batch (LANGUAGE.md, Autograd,
"Empty tensors"): "none" gives an empty tensor, "sum" 0 and "mean" NaN (kl_div's
"batchmean" too), with gradients: empty ones, or zeros of a parameter's shape. First the
primitives the losses are made of, on tensors with a size-0 axis.

    cd scripts && /tmp/venv/bin/python loss_fixtures_empty.py

Writes Tests/LossLangTests/Fixtures/losses_empty.json (NaN written as the string "NaN",
see fixturelib.to_json_tensor). Oracles: torch.nn.functional where PyTorch has the loss;
for the others the formula oracles of loss_fixtures_classification.py and
loss_fixtures_embedding.py (imported), and the documented formula written in torch for the
rest (log_cosh, quantile, dpo, masked_mean, uncertainty weighting, nt_xent). Exceptions:

- multi_margin_loss and multilabel_margin_loss: torch 2.x's kernels return uninitialized
  memory for "sum" and "mean" of an empty batch, so the oracle is their documented formula in
  torch, checked here against torch on a non-empty batch first.
- nt_xent: optax's code (loss_fixtures_embedding.ntxent_ref) takes a row maximum, which
  raises on no rows; the oracle is the documented per-row formula (the mean over no rows is NaN).
- ctc_loss: torch raises ("log_probs tensor must not be empty"), and so does LossLang:
  Tests/LossLangTests/Scripts/sequence_errors_empty_batch.loss.
"""

import warnings

import torch
import torch.nn.functional as F

from fixturelib import *  # noqa: F401,F403 (generators, case, write)
from loss_fixtures_classification import dice, softmax_focal, torchvision_focal
from loss_fixtures_embedding import batch_all_ref, batch_hard_ref, clip_ref, contrastive_ref

warnings.filterwarnings("ignore")  # kl_div's "mean" warning

REDS = ["none", "sum", "mean"]


def Z(*shape):
    """An empty (or otherwise) all-zero float64 tensor."""
    return torch.zeros(shape, dtype=torch.float64)


def reduce_t(loss, red):
    return loss.mean() if red == "mean" else loss.sum() if red == "sum" else loss


def empty(name, expr, inputs, fn, wrt, reds=REDS):
    """One case per reduction: `expr` and `fn` take the reduction name."""
    for red in reds:
        case(f"{name}/{red}", expr(red), inputs, lambda d, red=red: fn(d, red), wrt=wrt, nonfinite=True)


def functional(name, args, inputs, wrt, torch_fn, options=""):
    """A loss LossLang and torch.nn.functional call alike: `name(args, options, reduction=…)`;
    the case is named after the loss and the options (`mse_loss/weightw/sum`)."""
    tag = options.replace(", ", "_").replace("=", "")
    empty(name + (f"/{tag}" if tag else ""),
          lambda red: f'{name}({args}{", " + options if options else ""}, reduction="{red}")',
          inputs, lambda d, red: torch_fn(d, red), wrt)


# --------------------------------------------------------------------------------------
# The primitives the losses are made of, on tensors with a size-0 axis.

def primitives():
    def prim(name, expr, inputs, fn, wrt, second=()):
        case(f"primitive/{name}", expr, inputs, fn, wrt=wrt, second=second, nonfinite=True)
    X = lambda: {"x": Z(0, 3), "y": N(3)}
    prim("elementwise_broadcast", "exp(x) * 2 + y", X, lambda d: torch.exp(d.x) * 2 + d.y, ["x", "y"], second=["x"])
    prim("where_broadcast", "where(x > 0, x, y)", X, lambda d: torch.where(d.x > 0, d.x, d.y), ["x", "y"])
    prim("sum_all", "sum(x * y)", X, lambda d: (d.x * d.y).sum(), ["x", "y"])
    prim("sum_axis0", "sum(x, axis=0)", X, lambda d: d.x.sum(0), ["x"])
    prim("sum_axis1", "sum(exp(x), axis=1)", X, lambda d: torch.exp(d.x).sum(1), ["x"])
    prim("sum_empty_axis", "sum(z * 2, axis=1)", {"z": Z(4, 0)}, lambda d: (d.z * 2).sum(1), ["z"])
    prim("mean_all", "mean(x)", X, lambda d: d.x.mean(), ["x"])
    prim("mean_axis0", "mean(x, axis=0)", X, lambda d: d.x.mean(0), ["x"])
    prim("prod_axis0", "prod(x, axis=0)", X, lambda d: d.x.prod(0), ["x"])
    prim("logsumexp_empty_axis", "logsumexp(z, axis=1)", {"z": Z(2, 0)}, lambda d: torch.logsumexp(d.z, 1), ["z"])
    prim("logsumexp_axis1", "logsumexp(x, axis=1)", X, lambda d: torch.logsumexp(d.x, 1), ["x"])
    prim("max_nonempty_axis", "max(x, axis=1)", X, lambda d: d.x.amax(1), ["x"])
    prim("min_nonempty_axis", "min(z, axis=0)", {"z": Z(3, 0)}, lambda d: d.z.amin(0), ["z"])
    prim("argmax_nonempty_axis", "argmax(x, axis=1)", X, lambda d: d.x.argmax(1), [])
    prim("var_axis0", "var(x, axis=0)", X, lambda d: d.x.var(0), ["x"])
    prim("std_all", "std(x)", X, lambda d: d.x.std(), ["x"])
    prim("norm_all", "norm(x)", X, lambda d: torch.linalg.vector_norm(d.x), ["x"])
    prim("norm_p1_axis1", "norm(x, p=1, axis=1)", X, lambda d: torch.linalg.vector_norm(d.x, 1, dim=1), ["x"])
    prim("matmul_inner0", "a @ b", {"a": Z(2, 0), "b": Z(0, 3)}, lambda d: d.a @ d.b, ["a", "b"])
    prim("matmul_outer0", "x @ b", lambda: {"x": Z(0, 3), "b": N(3, 2)}, lambda d: d.x @ d.b, ["x", "b"])
    prim("matmul_batched_inner0", "a @ b", {"a": Z(2, 2, 0), "b": Z(2, 0, 3)}, lambda d: d.a @ d.b, ["a", "b"])
    prim("matmul_vectors0", "a @ b", {"a": Z(0), "b": Z(0)}, lambda d: d.a @ d.b, ["a", "b"])
    Y = lambda: {"x": Z(0, 3), "y": N(4, 3), "i": Z(0)}
    prim("concat_empty_piece", "concat([x, y])", Y, lambda d: torch.cat([d.x, d.y]), ["x", "y"])
    prim("stack_empty", "stack([x, x * 2])", Y, lambda d: torch.stack([d.x, d.x * 2]), ["x"])
    prim("slice_empty", "y[1:1]", Y, lambda d: d.y[1:1], ["y"])
    prim("index_empty_list", "y[i]", Y, lambda d: d.y[d.i.long()], ["y"])
    prim("index_empty_pairs", "y[i, i]", Y, lambda d: d.y[d.i.long(), d.i.long()], ["y"])
    prim("index_column_of_empty", "x[:, 1]", Y, lambda d: d.x[:, 1], ["x"])
    prim("one_hot_empty", "one_hot(i, 3)", Y, lambda d: F.one_hot(d.i.long(), 3), [])
    prim("reshape", "reshape(x, [3, 0])", Y, lambda d: d.x.reshape(3, 0), ["x"])
    prim("expand_to_empty", "expand(u, [0, 3])", lambda: {"u": N(1, 3)}, lambda d: d.u.expand(0, 3), ["u"])
    prim("permute", "permute(z, [2, 0, 1])", {"z": Z(0, 3, 2)}, lambda d: d.z.permute(2, 0, 1), ["z"])
    prim("transpose", "transpose(x)", Y, lambda d: d.x.T, ["x"])
    prim("softmax_empty_axis", "softmax(z, axis=1)", {"z": Z(2, 0)}, lambda d: torch.softmax(d.z, 1), ["z"])
    prim("log_softmax_empty_rows", "log_softmax(x * 2, axis=1)", Y, lambda d: torch.log_softmax(d.x * 2, 1), ["x"])


# --------------------------------------------------------------------------------------
# Regression, preference and multi-task losses.

def regression():
    XY = {"x": Z(0, 4), "y": Z(0, 4)}
    XYW = {**XY, "w": Z(0, 4)}
    functional("mse_loss", "x, y", XY, ["x", "y"], lambda d, r: F.mse_loss(d.x, d.y, reduction=r))
    functional("mse_loss", "x, y", XYW, ["x", "y", "w"], lambda d, r: F.mse_loss(d.x, d.y, reduction=r, weight=d.w),
               options="weight=w")
    functional("l1_loss", "x, y", XY, ["x", "y"], lambda d, r: F.l1_loss(d.x, d.y, reduction=r))
    functional("l1_loss", "x, y", XYW, ["x", "y", "w"], lambda d, r: F.l1_loss(d.x, d.y, reduction=r, weight=d.w),
               options="weight=w")
    functional("smooth_l1_loss", "x, y", XY, ["x", "y"],
               lambda d, r: F.smooth_l1_loss(d.x, d.y, reduction=r, beta=0.5), options="beta=0.5")
    functional("huber_loss", "x, y", XY, ["x", "y"], lambda d, r: F.huber_loss(d.x, d.y, reduction=r))
    functional("huber_loss", "x, y", XYW, ["x", "y", "w"],
               lambda d, r: F.huber_loss(d.x, d.y, reduction=r, delta=0.8, weight=d.w), options="delta=0.8, weight=w")
    functional("poisson_nll_loss", "x, y", XY, ["x", "y"], lambda d, r: F.poisson_nll_loss(d.x, d.y, reduction=r))
    functional("poisson_nll_loss", "x, y", XY, ["x", "y"],
               lambda d, r: F.poisson_nll_loss(d.x, d.y, log_input=False, full=True, reduction=r),
               options="log_input=false, full=true")
    functional("gaussian_nll_loss", "x, y, v", {**XY, "v": Z(0, 4)}, ["x", "y", "v"],
               lambda d, r: F.gaussian_nll_loss(d.x, d.y, d.v, reduction=r))
    functional("gaussian_nll_loss", "x, y, v", {**XY, "v": Z(0, 1)}, ["x", "y", "v"],
               lambda d, r: F.gaussian_nll_loss(d.x, d.y, d.v, full=True, reduction=r), options="full=true")

    empty("log_cosh_loss", lambda red: f'log_cosh_loss(x, y, reduction="{red}")', XY,
          lambda d, red: reduce_t(torch.log(torch.cosh(d.x - d.y)), red), ["x", "y"])

    def pinball(d, red, q):
        r = d.y - d.x
        return reduce_t(torch.max(q * r, (q - 1) * r), red)
    empty("quantile_loss", lambda red: f'quantile_loss(x, y, q=0.9, reduction="{red}")', XY,
          lambda d, red: pinball(d, red, 0.9), ["x", "y"])
    # A (4,) tensor of quantiles broadcast over the empty batch: its gradient is zeros (4,).
    empty("quantile_loss/q_tensor", lambda red: f'quantile_loss(x, y, q=q, reduction="{red}")',
          lambda: {**XY, "q": U(4, lo=0.1, hi=0.9)}, lambda d, red: pinball(d, red, d.q), ["x", "y", "q"])

    def dpo(d, red):
        return reduce_t(-F.logsigmoid(0.5 * ((d.pc - d.rc) - (d.pr - d.rr))), red)
    empty("dpo_loss", lambda red: f'dpo_loss(pc, pr, rc, rr, beta=0.5, reduction="{red}")',
          {"pc": Z(0), "pr": Z(0), "rc": Z(0), "rr": Z(0)}, dpo, ["pc", "pr", "rc", "rr"])

    case("masked_mean/empty", "masked_mean(v, m)", {"v": Z(0, 3), "m": Z(0, 3)},
         lambda d: (d.v * d.m).sum() / d.m.sum(), wrt=["v", "m"], nonfinite=True)
    case("uncertainty_weighted_loss/empty", "uncertainty_weighted_loss(L, s)", {"L": Z(0), "s": Z(0)},
         lambda d: (torch.exp(-d.s) * d.L + d.s).sum(), wrt=["L", "s"], nonfinite=True)


# --------------------------------------------------------------------------------------
# Classification losses.

def multi_margin_ref(x, t, p=1, margin=1.0, weight=None):
    """torch.nn.MultiMarginLoss's documented formula, per row:
    Σ_{j ≠ y} w[y]·max(0, margin - x[y] + x[j])^p / C."""
    c = x.shape[-1]
    y = t.long()
    h = torch.clamp(margin - x.gather(1, y[:, None]) + x, min=0) ** p
    h = h.masked_fill(F.one_hot(y, c).bool(), 0.0)
    if weight is not None:
        h = h * weight[y][:, None]
    return h.sum(1) / c


def multilabel_margin_ref(x, t):
    """torch.nn.MultiLabelMarginLoss's documented formula, per row: the targets are the ids
    before the first -1 (a repeated id counts again);
    Σ_{j target} Σ_{k not target} max(0, 1 - (x[j] - x[k])) / C."""
    c = x.shape[-1]
    t = t.long()
    before_stop = torch.cumprod((t >= 0).long(), dim=1)
    count = (F.one_hot(t.clamp(min=0), c) * before_stop[..., None]).sum(1).to(x.dtype)
    h = torch.clamp(1 - x[:, :, None] + x[:, None, :], min=0)
    return (count[:, :, None] * (count == 0)[:, None, :] * h).sum((1, 2)) / c


def check_margin_formulas():
    """The two formula oracles agree with torch where torch's kernels are right."""
    seed("margin formulas")
    x = N(4, 5)
    t = T([0.0, 4.0, 2.0, 2.0])
    w = Pos(5)
    for p in [1, 2]:
        want = F.multi_margin_loss(x, t.long(), p=p, margin=0.7, weight=w, reduction="none")
        assert torch.allclose(multi_margin_ref(x, t, p, 0.7, w), want, rtol=1e-12), "multi_margin formula"
    mt = T([[3.0, 0.0, -1.0, 1.0, 4.0], [2.0, 2.0, 4.0, -1.0, -1.0], [-1.0, 1.0, 2.0, 3.0, 0.0],
            [0.0, 1.0, 2.0, 3.0, 4.0]])
    want = F.multilabel_margin_loss(x, mt.long(), reduction="none")
    assert torch.allclose(multilabel_margin_ref(x, mt), want, rtol=1e-12), "multilabel_margin formula"


def classification():
    C = 3
    X = {"x": Z(0, C), "t": Z(0, C)}
    functional("binary_cross_entropy", "x, t", X, ["x", "t"],
               lambda d, r: F.binary_cross_entropy(d.x, d.t, reduction=r))
    functional("binary_cross_entropy", "x, t", lambda: {**X, "w": Pos(C)}, ["x", "t"],
               lambda d, r: F.binary_cross_entropy(d.x, d.t, weight=d.w, reduction=r), options="weight=w")
    functional("binary_cross_entropy_with_logits", "x, t", lambda: {**X, "w": Pos(C), "pw": Pos(C)}, ["x", "t"],
               lambda d, r: F.binary_cross_entropy_with_logits(d.x, d.t, weight=d.w, pos_weight=d.pw, reduction=r),
               options="weight=w, pos_weight=pw")

    I = {"x": Z(0, C), "t": Z(0)}
    functional("cross_entropy", "x, t", I, ["x"], lambda d, r: F.cross_entropy(d.x, d.t.long(), reduction=r))
    functional("cross_entropy", "x, t", lambda: {**I, "w": Pos(C)}, ["x"],
               lambda d, r: F.cross_entropy(d.x, d.t.long(), weight=d.w, ignore_index=1, label_smoothing=0.2,
                                            reduction=r),
               options="weight=w, ignore_index=1, label_smoothing=0.2")
    functional("cross_entropy", "x, t", {"x": Z(0, C), "t": Z(0, C)}, ["x", "t"],
               lambda d, r: F.cross_entropy(d.x, d.t, label_smoothing=0.1, reduction=r), options="label_smoothing=0.1")
    empty("cross_entropy/spatial", lambda red: f'cross_entropy(x, t, reduction="{red}")', {"x": Z(0, C, 4), "t": Z(0, 4)},
          lambda d, red: F.cross_entropy(d.x, d.t.long(), reduction=red), ["x"])
    empty("cross_entropy/spatial_empty_positions", lambda red: f'cross_entropy(x, t, reduction="{red}")',
          {"x": Z(2, C, 0), "t": Z(2, 0)}, lambda d, red: F.cross_entropy(d.x, d.t.long(), reduction=red), ["x"])
    functional("nll_loss", "x, t", lambda: {**I, "w": Pos(C)}, ["x"],
               lambda d, r: F.nll_loss(d.x, d.t.long(), weight=d.w, reduction=r), options="weight=w")

    empty("kl_div", lambda red: f'kl_div(x, t, reduction="{red}")', X,
          lambda d, red: F.kl_div(d.x, d.t, reduction=red), ["x", "t"], reds=REDS + ["batchmean"])
    functional("kl_div", "x, t", X, ["x", "t"], lambda d, r: F.kl_div(d.x, d.t, reduction=r, log_target=True),
               options="log_target=true")

    functional("soft_margin_loss", "x, t", X, ["x"], lambda d, r: F.soft_margin_loss(d.x, d.t, reduction=r))
    functional("multilabel_soft_margin_loss", "x, t", lambda: {**X, "w": Pos(C)}, ["x", "t", "w"],
               lambda d, r: F.multilabel_soft_margin_loss(d.x, d.t, weight=d.w, reduction=r), options="weight=w")
    check_margin_formulas()
    functional("multilabel_margin_loss", "x, t", X, ["x"],
               lambda d, r: reduce_t(multilabel_margin_ref(d.x, d.t), r))
    functional("multi_margin_loss", "x, t", lambda: {**I, "w": Pos(C)}, ["x"],
               lambda d, r: reduce_t(multi_margin_ref(d.x, d.t, 2, 0.7, d.w), r), options="p=2, margin=0.7, weight=w")

    functional("sigmoid_focal_loss", "x, t", X, ["x", "t"], lambda d, r: torchvision_focal(d.x, d.t, reduction=r))
    functional("focal_loss", "x, t", I, ["x"], lambda d, r: softmax_focal(d.x, d.t, gamma=1.5, reduction=r),
               options="gamma=1.5")
    functional("dice_loss", "x, t", {"x": Z(0, 2, 2), "t": Z(0, 2, 2)}, ["x", "t"],
               lambda d, r: dice(d.x, d.t, reduction=r))


# --------------------------------------------------------------------------------------
# Ranking, metric-learning and contrastive losses, and the distance helpers.

def ntxent_rows(e, temperature):
    """nt_xent's documented formula per row i with partner j: -log(e^{s_ij} / Σ_{k≠i} e^{s_ik}),
    s = cosine similarities (squared norms clamped at the dtype's epsilon) / temperature."""
    n = e.shape[0]
    unit = e / torch.sqrt(torch.clamp((e * e).sum(1, keepdim=True), min=torch.finfo(e.dtype).eps))
    s = (unit @ unit.T / temperature).masked_fill(torch.eye(n, dtype=torch.bool), float("-inf"))
    i = torch.arange(n)
    return -torch.log_softmax(s, dim=1)[i, i + 1 - 2 * (i % 2)]


def embedding():
    D = 4
    P = {"a": Z(0, D), "b": Z(0, D)}
    functional("cosine_embedding_loss", "a, b, y", {**P, "y": Z(0)}, ["a", "b"],
               lambda d, r: F.cosine_embedding_loss(d.a, d.b, d.y, margin=0.2, reduction=r), options="margin=0.2")
    functional("hinge_embedding_loss", "x, y", {"x": Z(0), "y": Z(0)}, ["x"],
               lambda d, r: F.hinge_embedding_loss(d.x, d.y, reduction=r))
    functional("margin_ranking_loss", "x1, x2, y", {"x1": Z(0), "x2": Z(0), "y": Z(0)}, ["x1", "x2"],
               lambda d, r: F.margin_ranking_loss(d.x1, d.x2, d.y, margin=0.1, reduction=r), options="margin=0.1")
    T3 = {"a": Z(0, D), "p": Z(0, D), "n": Z(0, D)}
    functional("triplet_margin_loss", "a, p, n", T3, ["a", "p", "n"],
               lambda d, r: F.triplet_margin_loss(d.a, d.p, d.n, swap=True, reduction=r), options="swap=true")
    functional("triplet_margin_with_distance_loss", "a, p, n", T3, ["a", "p", "n"],
               lambda d, r: F.triplet_margin_with_distance_loss(d.a, d.p, d.n, reduction=r))
    functional("contrastive_loss", "a, b, y", {**P, "y": Z(0)}, ["a", "b"],
               lambda d, r: contrastive_ref(d.a, d.b, d.y, reduction=r))
    for cols in [0, 3]:
        empty(f"info_nce/{cols}_columns", lambda red: f'info_nce(x, reduction="{red}")', {"x": Z(0, cols)},
              lambda d, red: F.cross_entropy(d.x, torch.arange(0), reduction=red), ["x"])
    case("batch_hard_triplet_loss/empty", "batch_hard_triplet_loss(e, labels)", {"e": Z(0, D), "labels": Z(0)},
         lambda d: batch_hard_ref(d.e, d.labels), wrt=["e"])
    case("batch_all_triplet_loss/empty", "batch_all_triplet_loss(e, labels)", {"e": Z(0, D), "labels": Z(0)},
         lambda d: batch_all_ref(d.e, d.labels), wrt=["e"])
    case("clip_loss/empty", "clip_loss(a, b)", P, lambda d: clip_ref(d.a, d.b), wrt=["a", "b"], nonfinite=True)
    case("nt_xent/empty", "nt_xent(e, temperature=0.5)", {"e": Z(0, D)},
         lambda d: ntxent_rows(d.e, 0.5).mean(), wrt=["e"], nonfinite=True)

    case("pairwise_distance/empty", "pairwise_distance(a, b)", P, lambda d: F.pairwise_distance(d.a, d.b),
         wrt=["a", "b"])
    case("cosine_similarity/empty", "cosine_similarity(a, b)", P, lambda d: F.cosine_similarity(d.a, d.b),
         wrt=["a", "b"])
    case("normalize/empty", "normalize(a)", P, lambda d: F.normalize(d.a, dim=-1), wrt=["a"])
    case("cdist/empty_rows", "cdist(a, c)", lambda: {"a": Z(0, D), "c": N(3, D)},
         lambda d: torch.cdist(d.a, d.c), wrt=["a", "c"])


def main():
    primitives()
    regression()
    classification()
    embedding()
    write("Tests/LossLangTests/Fixtures/losses_empty.json")


if __name__ == "__main__":
    main()
