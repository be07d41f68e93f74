#!/usr/bin/env python3
"""PyTorch fixtures for the metric-learning, ranking and contrastive losses and the
distance helpers of stdlib/embedding.loss and stdlib/ranking.loss.

    cd scripts && /tmp/venv/bin/python loss_fixtures_embedding.py

Writes Tests/LossLangTests/Fixtures/losses_embedding.json. Oracles: torch.nn.functional
where PyTorch has the function; otherwise the formula written out in torch, independently
of the LossLang code: contrastive_loss (Hadsell et al. 2006 with torch.linalg.norm),
batch-hard / batch-all triplet mining (torch.cdist and boolean masks), info_nce and
clip_loss (F.cross_entropy with arange targets, F.normalize), nt_xent (optax.ntxent's
code transcribed to torch, labels [0, 0, 1, 1, ...]).
"""

import torch
import torch.nn.functional as F

from fixturelib import *  # noqa: F401,F403

REDS = ["mean", "sum", "none"]


def red_arg(red):
    return "" if red == "mean" else f', reduction="{red}"'


def reduce_t(loss, red):
    return loss.mean() if red == "mean" else loss.sum() if red == "sum" else loss


# --------------------------------------------------------------------------------------
# Distance helpers.

def helpers():
    XY = lambda: {"x": N(4, 5), "y": N(4, 5)}
    case("pairwise_distance/default", "pairwise_distance(x, y)", XY,
         lambda d: F.pairwise_distance(d.x, d.y), wrt=["x", "y"], second=["x"])
    case("pairwise_distance/p1", "pairwise_distance(x, y, p=1)", XY,
         lambda d: F.pairwise_distance(d.x, d.y, p=1), wrt=["x", "y"])
    case("pairwise_distance/p3_eps", "pairwise_distance(x, y, p=3, eps=0.01)", XY,
         lambda d: F.pairwise_distance(d.x, d.y, p=3, eps=0.01), wrt=["x", "y"])
    case("pairwise_distance/1d", "pairwise_distance(x, y)", lambda: {"x": N(5), "y": N(5)},
         lambda d: F.pairwise_distance(d.x, d.y), wrt=["x", "y"])
    case("pairwise_distance/broadcast_row", "pairwise_distance(x, y)", lambda: {"x": N(4, 3), "y": N(3)},
         lambda d: F.pairwise_distance(d.x, d.y), wrt=["x", "y"])
    case("pairwise_distance/identical_rows_eps", "pairwise_distance(x, x + 0 * y)",
         lambda: {"x": N(3, 4), "y": N(3, 4)},
         lambda d: F.pairwise_distance(d.x, d.x + 0 * d.y), wrt=["x"])
    case("pairwise_distance/zero_distance_eps0", "pairwise_distance(x, y, eps=0)",
         lambda: {"x": T([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]]), "y": T([[1.0, 2.0, 3.0], [1.5, 1.0, -2.0]])},
         lambda d: F.pairwise_distance(d.x, d.y, eps=0), wrt=["x", "y"])

    case("cosine_similarity/default_axis1", "cosine_similarity(x, y)", XY,
         lambda d: F.cosine_similarity(d.x, d.y), wrt=["x", "y"], second=["x"])
    case("cosine_similarity/axis0", "cosine_similarity(x, y, axis=0)", XY,
         lambda d: F.cosine_similarity(d.x, d.y, dim=0), wrt=["x", "y"])
    case("cosine_similarity/axis_neg1_3d", "cosine_similarity(x, y, axis=-1)",
         lambda: {"x": N(2, 3, 4), "y": N(2, 3, 4)},
         lambda d: F.cosine_similarity(d.x, d.y, dim=-1), wrt=["x", "y"])
    case("cosine_similarity/broadcast", "cosine_similarity(x, y, axis=-1)",
         lambda: {"x": N(4, 3), "y": N(3)},
         lambda d: F.cosine_similarity(d.x, d.y, dim=-1), wrt=["x", "y"])
    # v2: the inputs broadcast before the norms (torch expands first): a size-1 axis along
    # the summed axis counts once per broadcast element.
    case("cosine_similarity/broadcast_size1_axis", "cosine_similarity(x, y)",
         lambda: {"x": N(2, 3), "y": N(1, 1)},
         lambda d: F.cosine_similarity(d.x, d.y), wrt=["x", "y"])
    case("cosine_similarity/broadcast_both", "cosine_similarity(x, y, axis=-1)",
         lambda: {"x": N(3, 1, 4), "y": N(2, 1)},
         lambda d: F.cosine_similarity(d.x, d.y, dim=-1), wrt=["x", "y"])
    case("cosine_similarity/broadcast_axis0", "cosine_similarity(x, y, axis=0)",
         lambda: {"x": N(1, 3), "y": N(4, 3)},
         lambda d: F.cosine_similarity(d.x, d.y, dim=0), wrt=["x", "y"])
    case("pairwise_distance/broadcast_size1", "pairwise_distance(x, y)",
         lambda: {"x": N(2, 3), "y": N(1, 1)},
         lambda d: F.pairwise_distance(d.x, d.y), wrt=["x", "y"])
    case("pairwise_distance/broadcast_lower_rank", "pairwise_distance(x, y, p=1)",
         lambda: {"x": N(3), "y": N(2, 1)},
         lambda d: F.pairwise_distance(d.x, d.y, p=1), wrt=["x", "y"])
    # A zero row and a row of norm < eps: the norm is clamped to eps but still differentiated.
    case("cosine_similarity/zero_and_tiny_vectors", "cosine_similarity(x, y, eps=1e-3)",
         lambda: {"x": T([[0.0, 0.0, 0.0], [2e-4, -1e-4, 3e-4], [1.0, 2.0, -0.5]]), "y": N(3, 3)},
         lambda d: F.cosine_similarity(d.x, d.y, eps=1e-3), wrt=["x", "y"])

    case("normalize/default", "normalize(x)", XY,
         lambda d: F.normalize(d.x, dim=-1), wrt=["x"], second=["x"])
    case("normalize/p1_axis0", "normalize(x, p=1, axis=0)", lambda: {"x": Away(4, 3)},
         lambda d: F.normalize(d.x, p=1, dim=0), wrt=["x"])
    case("normalize/p3_eps", "normalize(x, p=3, eps=0.1)", lambda: {"x": N(3, 4)},
         lambda d: F.normalize(d.x, p=3, dim=-1, eps=0.1), wrt=["x"])
    case("normalize/zero_row", "normalize(x, eps=1e-3)",
         lambda: {"x": T([[0.0, 0.0, 0.0], [1e-4, -2e-4, 1e-4], [1.0, 2.0, -0.5]])},
         lambda d: F.normalize(d.x, dim=-1, eps=1e-3), wrt=["x"])

    case("cdist/2d", "cdist(x, y)", lambda: {"x": N(4, 3), "y": N(5, 3)},
         lambda d: torch.cdist(d.x, d.y), wrt=["x", "y"], second=["x"])
    case("cdist/batched", "cdist(x, y)", lambda: {"x": N(2, 3, 4), "y": N(2, 5, 4)},
         lambda d: torch.cdist(d.x, d.y), wrt=["x", "y"])
    case("cdist/self_zero_diagonal", "cdist(x, x)", lambda: {"x": N(5, 3)},
         lambda d: torch.cdist(d.x, d.x), wrt=["x"])
    case("cdist/duplicate_rows", "cdist(x, y)",
         lambda: {"x": T([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]]), "y": T([[0.0, -1.0], [1.0, 2.0]])},
         lambda d: torch.cdist(d.x, d.y), wrt=["x", "y"])


# --------------------------------------------------------------------------------------
# Pair and ranking losses (ranking.loss).

def ranking():
    def cos_inputs(n=5, d=4):
        return lambda: {"a": N(n, d), "b": N(n, d), "t": T([1.0, -1.0, 1.0, -1.0, -1.0][:n])}
    for red in REDS:
        case(f"cosine_embedding_loss/{red}", f"cosine_embedding_loss(a, b, t{red_arg(red)})", cos_inputs(),
             lambda d, red=red: F.cosine_embedding_loss(d.a, d.b, d.t, reduction=red), wrt=["a", "b"],
             second=["a"] if red == "mean" else [])
    case("cosine_embedding_loss/margin", "cosine_embedding_loss(a, b, t, margin=-0.3)", cos_inputs(),
         lambda d: F.cosine_embedding_loss(d.a, d.b, d.t, margin=-0.3), wrt=["a", "b"])
    case("cosine_embedding_loss/margin_sum", 'cosine_embedding_loss(a, b, t, margin=0.2, reduction="sum")',
         lambda: {"a": T([[1.0, 0.5], [0.3, 1.0], [1.0, 2.0]]), "b": T([[1.0, 0.6], [1.0, 0.1], [2.0, 3.0]]),
                  "t": T([-1.0, -1.0, -1.0])},
         lambda d: F.cosine_embedding_loss(d.a, d.b, d.t, margin=0.2, reduction="sum"), wrt=["a", "b"])
    case("cosine_embedding_loss/other_targets_zero", 'cosine_embedding_loss(a, b, t, reduction="none")',
         lambda: {"a": N(4, 3), "b": N(4, 3), "t": T([0.0, 2.0, 1.0, -1.0])},
         lambda d: F.cosine_embedding_loss(d.a, d.b, d.t, reduction="none"), wrt=["a", "b"])
    case("cosine_embedding_loss/1d_0d_target", "cosine_embedding_loss(a, b, t)",
         lambda: {"a": N(4), "b": N(4), "t": T(1.0)},
         lambda d: F.cosine_embedding_loss(d.a, d.b, d.t), wrt=["a", "b"])
    # Identical vectors (cos = 1), a zero vector (cos = 0 thanks to the 1e-12), and an
    # orthogonal pair at the margin (cos = 0 = margin: zero gradient, as torch).
    case("cosine_embedding_loss/identical_zero_orthogonal", 'cosine_embedding_loss(a, b, t, reduction="none")',
         {"a": T([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
          "b": T([[1.0, 2.0, 3.0], [1.0, -1.0, 2.0], [0.0, 1.0, 0.0], [0.5, 0.5, 1.0]]),
          "t": T([1.0, 1.0, -1.0, -1.0])},
         lambda d: F.cosine_embedding_loss(d.a, d.b, d.t, reduction="none"), wrt=["a", "b"])

    def hinge_inputs():
        return {"x": U(3, 4, lo=-2.0, hi=3.0), "t": T([[1.0, -1.0, 1.0, -1.0], [-1.0, -1.0, 1.0, 1.0], [1.0, 0.0, -1.0, 0.0]])}
    for red in REDS:
        case(f"hinge_embedding_loss/{red}", f"hinge_embedding_loss(x, t{red_arg(red)})", hinge_inputs,
             lambda d, red=red: F.hinge_embedding_loss(d.x, d.t, reduction=red), wrt=["x"])
    case("hinge_embedding_loss/margin", "hinge_embedding_loss(x, t, margin=2.5)", hinge_inputs,
         lambda d: F.hinge_embedding_loss(d.x, d.t, margin=2.5), wrt=["x"])
    case("hinge_embedding_loss/target_zero_both_terms_and_tie", 'hinge_embedding_loss(x, t, reduction="none")',
         {"x": T([0.3, 1.0, 1.0, 2.0, -0.5]), "t": T([0.0, -1.0, 0.0, 0.0, 1.0])},
         lambda d: F.hinge_embedding_loss(d.x, d.t, reduction="none"), wrt=["x"])
    case("hinge_embedding_loss/broadcast_target", 'hinge_embedding_loss(x, t, reduction="none")',
         lambda: {"x": U(3, 4, lo=-2.0, hi=3.0), "t": T([1.0, -1.0, -1.0, 1.0])},
         lambda d: F.hinge_embedding_loss(d.x, d.t, reduction="none"), wrt=["x"])

    def mr_inputs():
        x1 = N(6)
        return {"x1": x1, "x2": x1 + Away(6, lo=0.2, hi=1.5), "t": T([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])}
    for red in REDS:
        case(f"margin_ranking_loss/{red}", f"margin_ranking_loss(x1, x2, t{red_arg(red)})", mr_inputs,
             lambda d, red=red: F.margin_ranking_loss(d.x1, d.x2, d.t, reduction=red), wrt=["x1", "x2"])
    case("margin_ranking_loss/margin", "margin_ranking_loss(x1, x2, t, margin=0.5)",
         {"x1": T([0.3, 1.2, -0.5, 2.0, 0.0]), "x2": T([0.1, 2.0, 0.9, -1.0, 0.25]), "t": T([1.0, 1.0, -1.0, 1.0, -1.0])},
         lambda d: F.margin_ranking_loss(d.x1, d.x2, d.t, margin=0.5), wrt=["x1", "x2"])
    case("margin_ranking_loss/broadcast_target_2d", 'margin_ranking_loss(x1, x2, t, margin=0.25, reduction="sum")',
         lambda: {"x1": N(3, 2), "x2": N(3, 2), "t": T([[1.0, -1.0]])},
         lambda d: F.margin_ranking_loss(d.x1, d.x2, d.t, margin=0.25, reduction="sum"), wrt=["x1", "x2"])


# --------------------------------------------------------------------------------------
# Triplet losses.

def triplet_inputs(n=6, dim=4):
    def f():
        a = N(n, dim)
        return {"a": a, "p": a + N(n, dim, scale=0.5), "n": N(n, dim, scale=1.2)}
    return f


def triplet():
    TM = F.triplet_margin_loss
    for red in REDS:
        case(f"triplet_margin_loss/{red}", f"triplet_margin_loss(a, p, n{red_arg(red)})", triplet_inputs(),
             lambda d, red=red: TM(d.a, d.p, d.n, reduction=red), wrt=["a", "p", "n"],
             second=["a"] if red == "mean" else [])
    for margin in [0.5, 3.0]:
        case(f"triplet_margin_loss/margin_{margin}", f"triplet_margin_loss(a, p, n, margin={margin})",
             triplet_inputs(), lambda d, m=margin: TM(d.a, d.p, d.n, margin=m), wrt=["a", "p", "n"])
    case("triplet_margin_loss/p1", 'triplet_margin_loss(a, p, n, p=1, margin=2.0, reduction="none")',
         triplet_inputs(), lambda d: TM(d.a, d.p, d.n, p=1, margin=2.0, reduction="none"), wrt=["a", "p", "n"])
    case("triplet_margin_loss/p3_eps", 'triplet_margin_loss(a, p, n, p=3, eps=1e-3, reduction="sum")',
         triplet_inputs(), lambda d: TM(d.a, d.p, d.n, p=3, eps=1e-3, reduction="sum"), wrt=["a", "p", "n"])
    # swap: rows where the positive is closer to the negative than the anchor is.
    swap_in = {"a": T([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [2.0, -1.0]]),
               "p": T([[1.0, 0.0], [0.2, 0.1], [1.5, 0.5], [1.0, -1.5]]),
               "n": T([[1.6, 0.2], [2.0, 1.0], [2.5, 0.0], [0.0, 0.5]])}
    for red in REDS:
        case(f"triplet_margin_loss/swap_{red}", f"triplet_margin_loss(a, p, n, swap=true{red_arg(red)})", swap_in,
             lambda d, red=red: TM(d.a, d.p, d.n, swap=True, reduction=red), wrt=["a", "p", "n"])
    case("triplet_margin_loss/swap_p1_margin", "triplet_margin_loss(a, p, n, margin=2.0, p=1, swap=true)", swap_in,
         lambda d: TM(d.a, d.p, d.n, margin=2.0, p=1, swap=True), wrt=["a", "p", "n"])
    # anchor == positive: d(a, p) = eps·sqrt(D) with the default eps; exactly 0 with eps=0
    # (gradient 0 there, as torch's norm backward).
    same = lambda: {"a": T([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0]]), "n": T([[1.5, 2.5, 2.0], [0.0, 0.0, 0.5]])}
    case("triplet_margin_loss/anchor_equals_positive", 'triplet_margin_loss(a, a, n, reduction="none")', same,
         lambda d: TM(d.a, d.a, d.n, reduction="none"), wrt=["a", "n"])
    case("triplet_margin_loss/anchor_equals_positive_eps0", 'triplet_margin_loss(a, a + 0 * n, n, eps=0, reduction="none")', same,
         lambda d: TM(d.a, d.a + 0 * d.n, d.n, eps=0.0, reduction="none"), wrt=["a", "n"])
    case("triplet_margin_loss/1d", "triplet_margin_loss(a, p, n)",
         lambda: {"a": N(4), "p": N(4), "n": N(4)},
         lambda d: TM(d.a, d.p, d.n), wrt=["a", "p", "n"])
    case("triplet_margin_loss/broadcast_positive", 'triplet_margin_loss(a, p, n, reduction="none")',
         lambda: {"a": N(3, 4), "p": N(1, 4), "n": N(3, 4)},
         lambda d: TM(d.a, d.p, d.n, reduction="none"), wrt=["a", "p", "n"])

    TD = F.triplet_margin_with_distance_loss
    for red in REDS:
        case(f"triplet_margin_with_distance_loss/default_{red}",
             f"triplet_margin_with_distance_loss(a, p, n{red_arg(red)})", triplet_inputs(),
             lambda d, red=red: TD(d.a, d.p, d.n, reduction=red), wrt=["a", "p", "n"])
    cosd = "fn(u, v) => 1 - cosine_similarity(u, v)"
    tcosd = lambda u, v: 1 - F.cosine_similarity(u, v)
    case("triplet_margin_with_distance_loss/cosine_distance_lambda",
         f"triplet_margin_with_distance_loss(a, p, n, distance_function={cosd}, margin=0.5)",
         triplet_inputs(), lambda d: TD(d.a, d.p, d.n, distance_function=tcosd, margin=0.5),
         wrt=["a", "p", "n"], second=["a"])
    case("triplet_margin_with_distance_loss/named_function_swap_sum",
         'triplet_margin_with_distance_loss(a, p, n, distance_function=pairwise_distance, swap=true, reduction="sum")',
         swap_in, lambda d: TD(d.a, d.p, d.n, distance_function=F.pairwise_distance, swap=True, reduction="sum"),
         wrt=["a", "p", "n"])
    case("triplet_margin_with_distance_loss/l1_lambda_swap_none",
         'triplet_margin_with_distance_loss(a, p, n, distance_function=fn(u, v) => sum(abs(u - v), axis=-1), margin=2.0, swap=true, reduction="none")',
         swap_in, lambda d: TD(d.a, d.p, d.n, distance_function=lambda u, v: (u - v).abs().sum(-1), margin=2.0,
                               swap=True, reduction="none"),
         wrt=["a", "p", "n"])
    case("triplet_margin_with_distance_loss/swap_default_distance",
         "triplet_margin_with_distance_loss(a, p, n, swap=true, margin=1.5)", swap_in,
         lambda d: TD(d.a, d.p, d.n, swap=True, margin=1.5), wrt=["a", "p", "n"])


# --------------------------------------------------------------------------------------
# Contrastive (Hadsell et al. 2006) and mining losses.

def contrastive_ref(x1, x2, y, margin=1.0, reduction="mean"):
    d = torch.linalg.norm(x1 - x2, dim=-1)
    loss = (1 - y) * 0.5 * d ** 2 + y * 0.5 * torch.clamp(margin - d, min=0) ** 2
    return reduce_t(loss, reduction)


def batch_hard_ref(e, labels, margin=1.0):
    d = torch.cdist(e, e)
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(len(labels), dtype=torch.bool)
    pos = same & ~eye
    neg = ~same
    valid = pos.any(dim=1) & neg.any(dim=1)
    if not valid.any():  # also an empty batch, whose row maxima do not exist
        return (e * 0).sum()
    hardest_pos = d.masked_fill(~pos, float("-inf")).max(dim=1).values
    hardest_neg = d.masked_fill(~neg, float("inf")).min(dim=1).values
    return torch.relu(hardest_pos[valid] - hardest_neg[valid] + margin).mean()


def batch_all_ref(e, labels, margin=1.0):
    d = torch.cdist(e, e)
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(len(labels), dtype=torch.bool)
    pos = same & ~eye                                  # (a, p)
    neg = ~same                                        # (a, n)
    valid = pos[:, :, None] & neg[:, None, :]          # (a, p, n)
    losses = torch.relu(d[:, :, None] - d[:, None, :] + margin)
    if not valid.any():
        return (e * 0).sum()
    return losses[valid].mean()


def contrastive():
    def pair_inputs():
        x1 = N(6, 3)
        return {"x1": x1, "x2": x1 + N(6, 3, scale=0.6), "y": T([0.0, 1.0, 1.0, 0.0, 1.0, 1.0])}
    for red in REDS:
        case(f"contrastive_loss/{red}", f"contrastive_loss(x1, x2, y{red_arg(red)})", pair_inputs,
             lambda d, red=red: contrastive_ref(d.x1, d.x2, d.y, reduction=red), wrt=["x1", "x2"],
             second=["x1"] if red == "mean" else [])
    case("contrastive_loss/margin", "contrastive_loss(x1, x2, y, margin=2.0)", pair_inputs,
         lambda d: contrastive_ref(d.x1, d.x2, d.y, margin=2.0), wrt=["x1", "x2"])
    case("contrastive_loss/soft_labels", 'contrastive_loss(x1, x2, y, reduction="none")',
         lambda: {"x1": N(4, 3), "x2": N(4, 3, scale=0.3), "y": T([0.25, 0.5, 0.75, 1.0])},
         lambda d: contrastive_ref(d.x1, d.x2, d.y, reduction="none"), wrt=["x1", "x2", "y"])
    # Identical pairs (d = 0, gradient 0, not NaN) with either label, and a zero vector.
    case("contrastive_loss/zero_distance", 'contrastive_loss(x1, x2, y, reduction="none")',
         {"x1": T([[1.0, 2.0], [1.0, 2.0], [0.0, 0.0], [0.3, -0.4]]),
          "x2": T([[1.0, 2.0], [1.0, 2.0], [0.0, 0.0], [0.0, 0.0]]),
          "y": T([0.0, 1.0, 1.0, 1.0])},
         lambda d: contrastive_ref(d.x1, d.x2, d.y, reduction="none"), wrt=["x1", "x2"])
    case("contrastive_loss/1d", "contrastive_loss(x1, x2, y, margin=3.0)",
         lambda: {"x1": N(4), "x2": N(4), "y": T(1.0)},
         lambda d: contrastive_ref(d.x1, d.x2, d.y, margin=3.0), wrt=["x1", "x2"])

    labels8 = T([0.0, 1.0, 0.0, 2.0, 1.0, 0.0, 2.0, 1.0])
    emb = lambda: {"e": N(8, 3), "l": labels8}
    for margin in [1.0, 0.3, 4.0]:
        arg = "" if margin == 1.0 else f", margin={margin}"
        case(f"batch_hard_triplet_loss/margin_{margin}", f"batch_hard_triplet_loss(e, l{arg})", emb,
             lambda d, m=margin: batch_hard_ref(d.e, d.l, m), wrt=["e"])
        case(f"batch_all_triplet_loss/margin_{margin}", f"batch_all_triplet_loss(e, l{arg})", emb,
             lambda d, m=margin: batch_all_ref(d.e, d.l, m), wrt=["e"])
    # A label with a single member: that anchor has no positive and is left out (but still
    # serves as a negative for the others).
    single = lambda: {"e": N(6, 2), "l": T([0.0, 0.0, 1.0, 1.0, 1.0, 5.0])}
    case("batch_hard_triplet_loss/singleton_label", "batch_hard_triplet_loss(e, l, margin=2.0)", single,
         lambda d: batch_hard_ref(d.e, d.l, 2.0), wrt=["e"])
    case("batch_all_triplet_loss/singleton_label", "batch_all_triplet_loss(e, l, margin=2.0)", single,
         lambda d: batch_all_ref(d.e, d.l, 2.0), wrt=["e"])
    # Duplicate embeddings (zero distances off the diagonal) keep the gradient finite.
    dup = {"e": T([[0.0, 0.0], [0.0, 0.0], [1.0, 0.5], [1.0, 0.5], [0.2, 0.9], [2.0, 2.0]]),
           "l": T([0.0, 1.0, 1.0, 0.0, 0.0, 1.0])}
    case("batch_hard_triplet_loss/duplicate_embeddings", "batch_hard_triplet_loss(e, l)", dup,
         lambda d: batch_hard_ref(d.e, d.l), wrt=["e"])
    case("batch_all_triplet_loss/duplicate_embeddings", "batch_all_triplet_loss(e, l)", dup,
         lambda d: batch_all_ref(d.e, d.l), wrt=["e"])
    # No valid anchor / triplet: 0 with zero gradient.
    for what, labels in [("all_distinct", [0.0, 1.0, 2.0, 3.0]), ("all_same", [1.0, 1.0, 1.0, 1.0])]:
        ins = lambda labels=labels: {"e": N(4, 3), "l": T(labels)}
        case(f"batch_hard_triplet_loss/{what}", "batch_hard_triplet_loss(e, l)", ins,
             lambda d: batch_hard_ref(d.e, d.l), wrt=["e"])
        case(f"batch_all_triplet_loss/{what}", "batch_all_triplet_loss(e, l)", ins,
             lambda d: batch_all_ref(d.e, d.l), wrt=["e"])


# --------------------------------------------------------------------------------------
# InfoNCE, CLIP, NT-Xent.

def ntxent_ref(emb, temperature, eps=None):
    """optax.losses.ntxent (optax/losses/_self_supervised.py) transcribed to torch, with
    labels [0, 0, 1, 1, ...] and optax.cosine_similarity(epsilon=finfo(dtype).eps)
    (eps given explicitly when the float32 self-check must use float32's epsilon)."""
    n = emb.shape[0]
    labels = torch.arange(n) // 2
    eps = torch.finfo(emb.dtype).eps if eps is None else eps
    a, b = emb[None, :, :], emb[:, None, :]
    a_unit = a / torch.sqrt(torch.clamp((a * a).sum(-1, keepdim=True), min=eps))
    b_unit = b / torch.sqrt(torch.clamp((b * b).sum(-1, keepdim=True), min=eps))
    xcs = (a_unit * b_unit).sum(-1) / temperature
    matches = labels[:, None] == labels[None, :]
    diffs = ~matches
    matches = matches & ~torch.eye(n, dtype=torch.bool)
    ninf = torch.tensor(float("-inf"), dtype=emb.dtype)
    xcs_diffs = torch.where(diffs, xcs, ninf)
    xcs_matches = torch.where(matches, xcs, ninf)
    comb = torch.cat([xcs_diffs, xcs_matches], dim=-1)
    xcs_max = comb.max(dim=1, keepdim=True).values.detach()
    shift_diffs = xcs_diffs - xcs_max
    shift_matches = xcs_matches - xcs_max
    denom = torch.exp(shift_diffs).sum(dim=1, keepdim=True) + torch.exp(shift_matches)
    log_softm = shift_matches - torch.log(denom)
    zero = torch.zeros((), dtype=emb.dtype)
    return -torch.where(matches, log_softm, zero).sum() / matches.sum()


def clip_ref(f1, f2, temperature=0.07):
    logits = F.normalize(f1, dim=-1) @ F.normalize(f2, dim=-1).T / temperature
    t = torch.arange(len(f1))
    return (F.cross_entropy(logits, t) + F.cross_entropy(logits.T, t)) / 2


def info():
    for red in REDS:
        case(f"info_nce/{red}", f"info_nce(x{red_arg(red)})", lambda: {"x": N(5, 5, scale=2.0)},
             lambda d, red=red: F.cross_entropy(d.x, torch.arange(5), reduction=red), wrt=["x"],
             second=["x"] if red == "mean" else [])
    case("info_nce/extra_negative_columns", "info_nce(x)", lambda: {"x": N(3, 6, scale=2.0)},
         lambda d: F.cross_entropy(d.x, torch.arange(3)), wrt=["x"])
    case("info_nce/large_logits_stable", 'info_nce(x, reduction="none")',
         {"x": T([[1000.0, 990.0, -1000.0], [50.0, 80.0, 79.0], [-500.0, -510.0, -499.0]])},
         lambda d: F.cross_entropy(d.x, torch.arange(3), reduction="none"), wrt=["x"])
    case("info_nce/similarity_over_temperature", "info_nce(x @ y.T / 0.1)",
         lambda: {"x": N(4, 3), "y": N(4, 3)},
         lambda d: F.cross_entropy(d.x @ d.y.T / 0.1, torch.arange(4)), wrt=["x", "y"])

    CL = lambda: {"a": N(5, 4), "b": N(5, 4)}
    case("clip_loss/default", "clip_loss(a, b)", CL, lambda d: clip_ref(d.a, d.b), wrt=["a", "b"],
         second=["a"])
    for temp in [1.0, 0.5, 0.01]:
        case(f"clip_loss/temperature_{temp}", f"clip_loss(a, b, temperature={temp})", CL,
             lambda d, t=temp: clip_ref(d.a, d.b, t), wrt=["a", "b"])
    case("clip_loss/aligned_pairs", "clip_loss(a, a * 2 + 0 * b, temperature=0.5)", CL,
         lambda d: clip_ref(d.a, d.a * 2 + 0 * d.b, 0.5), wrt=["a"])
    case("clip_loss/rectangular_pair", "clip_loss(a, b, temperature=0.2)",
         lambda: {"a": N(3, 6), "b": N(3, 6)}, lambda d: clip_ref(d.a, d.b, 0.2), wrt=["a", "b"])

    E = lambda: {"e": N(6, 4)}
    case("nt_xent/default", "nt_xent(e)", E, lambda d: ntxent_ref(d.e, 0.1), wrt=["e"], second=["e"])
    for temp in [0.07, 0.5, 1.0]:
        case(f"nt_xent/temperature_{temp}", f"nt_xent(e, temperature={temp})", E,
             lambda d, t=temp: ntxent_ref(d.e, t), wrt=["e"])
    case("nt_xent/views_close", "nt_xent(e, temperature=0.2)",
         lambda: {"e": (lambda base: (base.repeat_interleave(2, dim=0) + N(8, 3, scale=0.1)))(N(4, 3))},
         lambda d: ntxent_ref(d.e, 0.2), wrt=["e"])
    case("nt_xent/one_pair_no_negatives", "nt_xent(e)", lambda: {"e": N(2, 3)},
         lambda d: ntxent_ref(d.e, 0.1), wrt=["e"])
    # A zero embedding: optax clamps its squared norm to the machine epsilon (finite, cos 0).
    # The epsilon depends on the dtype, so each dtype gets its own oracle (the float32
    # self-check recomputes in float64 with float32's epsilon).
    zero_row = {"e": T([[0.0, 0.0, 0.0], [1.0, 0.5, -0.2], [0.3, 0.2, 0.9], [0.1, 0.4, 1.0]])}
    for dname in ["float32", "float64"]:
        eps = torch.finfo(DTYPES[dname]).eps
        case("nt_xent/zero_row", "nt_xent(e, temperature=0.5)", zero_row,
             lambda d, eps=eps: ntxent_ref(d.e, 0.5, eps), wrt=["e"], dtypes=(dname,))


def main():
    helpers()
    ranking()
    triplet()
    contrastive()
    info()
    write("Tests/LossLangTests/Fixtures/losses_embedding.json")


if __name__ == "__main__":
    main()
