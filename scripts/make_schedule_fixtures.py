#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/schedules.json: the learning rate each schedule of
LANGUAGE.md's "(v2) Training" section gives the k-th optimizer step, k = 1…N.

Run with a Python that has torch and numpy:

    /tmp/venv/bin/python scripts/make_schedule_fixtures.py

Oracles: torch.optim.lr_scheduler (StepLR, ExponentialLR, CosineAnnealingLR, LinearLR,
OneCycleLR with anneal_strategy="cos"). The rate of the k-th step is the one in the
optimizer's param_groups before its k-th `opt.step()`, i.e. after k-1 `scheduler.step()`
calls. torch has no warmup-cosine scheduler: that one is the contract's formula computed with
numpy (independent arithmetic), and a constant schedule is its value at every step.
LinearLR scales the base rate by factors; the contract's linear_schedule takes absolute rates,
so a case passes start = base·start_factor and end = base·end_factor.

Each case: {"name", "expr" (LossLang making the schedule), "oracle", "lrs": [lr(1), …, lr(N)]}.
The script also reports how far torch's recursive arithmetic is from the contract's closed
forms (numpy), which must agree to near double rounding.
"""

import json
import math
import os
import warnings

import numpy as np
import torch
from torch.optim import lr_scheduler as S

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = "Tests/LossLangTests/Fixtures/schedules.json"

CASES = []


def torch_rates(base_lr, make, n):
    """The rate of each of n optimizer steps under the scheduler `make(optimizer)`."""
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=base_lr, momentum=0.9)
    sched = make(opt)
    rates = []
    for k in range(1, n + 1):
        rates.append(float(opt.param_groups[0]["lr"]))
        p.grad = torch.zeros(1)
        opt.step()
        if k == n:
            break
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sched.step()
    return rates


def closed_form(fn, n):
    """The contract's formula at k = 1…n, in numpy float64."""
    k = np.arange(1, n + 1, dtype=np.float64)
    return [float(v) for v in np.broadcast_to(fn(k), k.shape)]


def add(name, expr, oracle, rates, formula=None):
    """Records a case; with a closed form, checks torch's rates are that formula."""
    if formula is not None:
        want = np.array(formula)
        got = np.array(rates)
        scale = np.abs(want).max()
        worst = float(np.max(np.abs(got - want)) / scale)
        print(f"{name}: torch vs the contract's formula, max |diff| / max|lr| = {worst:.1e}")
        assert worst < 1e-13, name
    CASES.append({"name": name, "expr": expr, "oracle": oracle, "lrs": rates})


def step_cases():
    for lr, step_size, gamma, n in [(0.1, 3, 0.5, 20), (1.0, 1, 0.9, 15), (0.05, 5, None, 22)]:
        kw = {} if gamma is None else {"gamma": gamma}
        g = 0.1 if gamma is None else gamma
        src = f"step_schedule({lr!r}, {step_size}" + ("" if gamma is None else f", gamma={gamma!r}") + ")"
        add(f"step/{lr}_{step_size}_{g}", src, f"StepLR(step_size={step_size}, {kw})",
            torch_rates(lr, lambda o: S.StepLR(o, step_size, **kw), n),
            closed_form(lambda k: lr * g ** np.floor((k - 1) / step_size), n))


def exponential_cases():
    for lr, gamma, n in [(0.1, 0.9, 25), (0.5, 0.5, 12), (0.01, 1.05, 10)]:
        add(f"exponential/{lr}_{gamma}", f"exponential_schedule({lr!r}, {gamma!r})",
            f"ExponentialLR(gamma={gamma})",
            torch_rates(lr, lambda o: S.ExponentialLR(o, gamma), n),
            closed_form(lambda k: lr * gamma ** (k - 1), n))


def cosine_cases():
    # Past `total`, both torch and the formula rise again (the cosine's period is 2·total).
    for lr, total, min_lr, n in [(0.1, 10, None, 25), (0.5, 7, 0.01, 20), (1.0, 1, None, 5),
                                 (0.02, 40, 0.001, 45)]:
        m = 0.0 if min_lr is None else min_lr
        kw = {} if min_lr is None else {"eta_min": min_lr}
        src = f"cosine_schedule({lr!r}, {total}" + ("" if min_lr is None else f", min_lr={min_lr!r}") + ")"
        add(f"cosine/{lr}_{total}_{m}", src, f"CosineAnnealingLR(T_max={total}, {kw})",
            torch_rates(lr, lambda o: S.CosineAnnealingLR(o, total, **kw), n),
            closed_form(lambda k: m + 0.5 * (lr - m) * (1 + np.cos(np.pi * (k - 1) / total)), n))


def linear_cases():
    for base, sf, ef, steps, n in [(0.1, 1 / 3, 1.0, 5, 12), (0.1, 1.0, 0.1, 8, 12),
                                   (0.2, 0.25, 0.75, 1, 4), (0.03, 0.5, 0.0, 10, 14)]:
        start, end = base * sf, base * ef
        add(f"linear/{base}_{sf:.4f}_{ef}_{steps}", f"linear_schedule({start!r}, {end!r}, {steps})",
            f"LinearLR(base lr {base}, start_factor={sf!r}, end_factor={ef!r}, total_iters={steps})",
            torch_rates(base, lambda o: S.LinearLR(o, start_factor=sf, end_factor=ef, total_iters=steps), n),
            closed_form(lambda k: start + (end - start) * np.minimum(k - 1, steps) / steps, n))


def one_cycle_cases():
    # torch lets the scheduler step `total` times, so steps 1…total+1 have a rate.
    for max_lr, total, kw in [(0.1, 20, {}), (1.0, 50, {"pct_start": 0.25, "div_factor": 10.0, "final_div_factor": 100.0}),
                              (0.3, 7, {"pct_start": 0.5}), (0.01, 3, {}), (0.2, 1, {}),
                              (0.05, 9, {"pct_start": 0.0})]:
        args = "".join(f", {k}={v!r}" for k, v in kw.items())
        add(f"one_cycle/{max_lr}_{total}" + "".join(f"_{v}" for v in kw.values()),
            f"one_cycle_schedule({max_lr!r}, {total}{args})", f"OneCycleLR(total_steps={total}{args})",
            torch_rates(max_lr, lambda o: S.OneCycleLR(o, max_lr, total_steps=total, anneal_strategy="cos", **kw),
                        total + 1))


def warmup_cosine_cases():
    # No torch scheduler: the contract's formula, evaluated with numpy.
    for peak, warmup, total, min_lr, n in [(0.1, 5, 30, None, 35), (1e-3, 10, 100, 1e-5, 100),
                                           (0.5, 0, 8, None, 10), (0.2, 3, 4, 0.05, 6)]:
        m = 0.0 if min_lr is None else min_lr

        def f(k):
            cos = m + 0.5 * (peak - m) * (1 + np.cos(np.pi * (k - warmup) / (total - warmup)))
            return np.where(k <= warmup, peak * k / max(warmup, 1), cos)

        src = f"warmup_cosine_schedule({peak!r}, {warmup}, {total}" + ("" if min_lr is None else f", min_lr={min_lr!r}") + ")"
        add(f"warmup_cosine/{peak}_{warmup}_{total}_{m}", src, "the contract's formula (numpy)", closed_form(f, n))


def constant_cases():
    for value, n in [(0.01, 5), (3.0, 3)]:
        add(f"constant/{value}", f"constant_schedule({value!r})", "the value itself (numpy)",
            closed_form(lambda k: np.full_like(k, value), n))


def main():
    constant_cases()
    step_cases()
    exponential_cases()
    cosine_cases()
    linear_cases()
    one_cycle_cases()
    warmup_cosine_cases()
    path = os.path.join(ROOT, OUT)
    with open(path, "w") as f:
        json.dump(CASES, f, indent=1)
        f.write("\n")
    print(f"wrote {len(CASES)} cases to {OUT}")


if __name__ == "__main__":
    main()
