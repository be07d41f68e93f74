#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/losses_sequence.json: PyTorch conformance
fixtures for the sequence losses (ctc_loss).

Run from the scripts directory with a Python that has torch:

    cd scripts && /tmp/venv/bin/python loss_fixtures_sequence.py

The oracle is torch.nn.functional.ctc_loss itself (CPU kernel): values and the gradient
w.r.t. log_probs, where log_probs = log_softmax of random logits (torch's gradient formula
assumes normalized log-probabilities). Targets and lengths are float tensors holding whole
numbers on the LossLang side and `.long()` on the torch side; no gradient is taken w.r.t.
them. An infeasible alignment without zero_infinity gives inf, which JSON cannot hold: that
case is tested by Tests/LossLangTests/Scripts/sequence_ctc_infinite.loss instead.
"""

import torch
import torch.nn.functional as F

from fixturelib import *  # noqa: F401,F403 (generators, case, write)

REDUCTIONS = ["mean", "sum", "none"]


def logp(*shape, scale=1.5):
    """log_softmax over the last axis of random logits."""
    return torch.log_softmax(N(*shape, scale=scale), dim=-1)


def ctc(d, red="mean", blank=0, zero_infinity=False):
    return F.ctc_loss(d.lp, d.tg.long(), d.il.long(), d.tl.long(), blank=blank,
                      reduction=red, zero_infinity=zero_infinity)


def expr(red="mean", blank=0, zero_infinity=False):
    extra = ""
    if blank != 0:
        extra += f", blank={blank}"
    if red != "mean":
        extra += f', reduction="{red}"'
    if zero_infinity:
        extra += ", zero_infinity=true"
    return f"ctc_loss(lp, tg, il, tl{extra})"


# torch's float32 kernel forms the gradient as exp(lp) - exp(log_alpha_beta + nll - lp) in
# float32, where the exponent carries an absolute rounding error of about nll * 6e-8: its
# float32 gradients are only good to a few 1e-7 absolute (LossLang computes in float64).
F32 = {"float32": 3e-6}


def add(name, inputs, red="mean", blank=0, zero_infinity=False):
    case(name, expr(red, blank, zero_infinity), inputs,
         lambda d: ctc(d, red, blank, zero_infinity), wrt=["lp"], atol=F32)


def sequence():
    # Padded (N, S) targets, different input and target lengths; padding values (0 = blank,
    # 4) past each target length are ignored.
    padded = lambda: {"lp": logp(12, 3, 5),
                      "tg": T([[1, 2, 3, 4], [2, 2, 0, 0], [4, 1, 3, 4]]),
                      "il": T([12, 9, 10]), "tl": T([4, 2, 3])}
    for red in REDUCTIONS:
        add(f"ctc_loss/padded_{red}", padded, red)

    # 1-D concatenated targets (the same sequences).
    concat = lambda: {"lp": logp(12, 3, 5), "tg": T([1, 2, 3, 4, 2, 2, 4, 1, 3]),
                      "il": T([12, 9, 10]), "tl": T([4, 2, 3])}
    for red in REDUCTIONS:
        add(f"ctc_loss/concatenated_{red}", concat, red)

    # Unbatched: log_probs (T, C), 1-D targets of exactly target_length labels, 0-d lengths.
    unbatched = lambda: {"lp": logp(8, 4), "tg": T([1, 3, 3]), "il": T(8), "tl": T(3)}
    for red in REDUCTIONS:
        add(f"ctc_loss/unbatched_{red}", unbatched, red)
    add("ctc_loss/unbatched_padded_targets",
        lambda: {"lp": logp(8, 4), "tg": T([[2, 1, 0]]), "il": T([7]), "tl": T([2])}, "none")

    # Repeated labels need a blank between them: [2, 2, 2] needs 5 steps, given exactly 5.
    repeated = lambda: {"lp": logp(7, 2, 4),
                        "tg": T([[2, 2, 2, 1], [3, 3, 1, 1]]),
                        "il": T([5, 7]), "tl": T([3, 4])}
    for red in REDUCTIONS:
        add(f"ctc_loss/repeated_labels_{red}", repeated, red)

    # A zero-length target ('mean' divides by max(0, 1) = 1), and a sample with input
    # length 0 and target length 0 (loss -0, zero gradient).
    empty = lambda: {"lp": logp(6, 3, 4), "tg": T([[1, 2], [0, 0], [0, 0]]),
                     "il": T([6, 5, 0]), "tl": T([2, 0, 0])}
    for red in REDUCTIONS:
        add(f"ctc_loss/zero_length_target_{red}", empty, red)

    # An infeasible alignment with zero_infinity=true: that sample gives 0 and no gradient
    # (sample 0 needs 4 labels + 3 blanks = 7 steps and has 5; sample 2 has no steps at all).
    infeasible = lambda: {"lp": logp(6, 3, 5),
                          "tg": T([[1, 1, 1, 1], [2, 3, 0, 0], [4, 0, 0, 0]]),
                          "il": T([5, 6, 0]), "tl": T([4, 2, 1])}
    for red in REDUCTIONS:
        add(f"ctc_loss/zero_infinity_{red}", infeasible, red, zero_infinity=True)
    # zero_infinity=true changes nothing when every alignment is feasible.
    add("ctc_loss/zero_infinity_feasible", padded, "mean", zero_infinity=True)

    # A blank other than 0 (the targets may then contain class 0).
    other_blank = lambda: {"lp": logp(9, 2, 5), "tg": T([[0, 1, 0], [3, 2, 2]]),
                           "il": T([9, 8]), "tl": T([3, 3])}
    for red in ["mean", "none"]:
        add(f"ctc_loss/blank_4_{red}", other_blank, red, blank=4)

    # Through log_softmax, differentiating the logits (the true gradient).
    case("ctc_loss/through_log_softmax",
         "ctc_loss(log_softmax(z, axis=-1), tg, il, tl)",
         lambda: {"z": N(10, 2, 6, scale=2.0), "tg": T([[1, 5, 2], [3, 3, 0]]),
                  "il": T([10, 7]), "tl": T([3, 2])},
         lambda d: F.ctc_loss(torch.log_softmax(d.z, dim=-1), d.tg.long(), d.il.long(),
                              d.tl.long()),
         wrt=["z"], atol=F32)

    # A longer sequence (the log-space recursion over many steps).
    add("ctc_loss/long_sequence",
        lambda: {"lp": logp(40, 2, 6), "tg": T([[1, 2, 3, 4, 5, 1, 2, 2, 3, 4], [5, 4, 3, 0, 0, 0, 0, 0, 0, 0]]),
                 "il": T([40, 33]), "tl": T([10, 3])}, "mean")


if __name__ == "__main__":
    sequence()
    write("Tests/LossLangTests/Fixtures/losses_sequence.json")
