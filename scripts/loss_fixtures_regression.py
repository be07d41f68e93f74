#!/usr/bin/env python3
"""PyTorch fixtures for the regression, preference and multi-task losses of the prelude
(stdlib/regression.loss, preference.loss, multitask.loss).

Writes Tests/LossLangTests/Fixtures/losses_regression.json. The oracles are torch.nn.functional
where PyTorch has the loss; elsewhere the loss's defining formula written in torch:
log_cosh as log(cosh(d)) (and optax's logaddexp(d, -d) - log 2 for large |d|), quantile
as the pinball formula, dpo as -logsigmoid (TRL's sigmoid loss), masked_mean and the
Kendall et al. uncertainty weighting as their formulas. Run from the scripts/ directory:

    /tmp/venv/bin/python loss_fixtures_regression.py
"""

import math

from fixturelib import *

REDS = ["mean", "sum", "none"]


def red_arg(red):
    return "" if red == "mean" else f', reduction="{red}"'


def apart(shape, lo=0.1, hi=1.5):
    """Inputs x, y with |x - y| >= lo (no ties for abs/max)."""
    def f():
        x = N(*shape)
        return {"x": x, "y": x + Away(*shape, lo=lo, hi=hi)}
    return f


def mse_l1():
    XY = lambda: {"x": N(3, 4), "y": N(3, 4)}
    for red in REDS:
        case(f"mse_loss/{red}", f"mse_loss(x, y{red_arg(red)})", XY,
             lambda d, red=red: F.mse_loss(d.x, d.y, reduction=red), wrt=["x", "y"],
             second=["x", "y"] if red == "mean" else [])
        case(f"mse_loss/weight_{red}", f'mse_loss(x, y, reduction="{red}", weight=w)',
             lambda: {"x": N(3, 4), "y": N(3, 4), "w": Pos(3, 4)},
             lambda d, red=red: F.mse_loss(d.x, d.y, reduction=red, weight=d.w),
             wrt=["x", "y", "w"])
        case(f"l1_loss/{red}", f"l1_loss(x, y{red_arg(red)})", apart((3, 4)),
             lambda d, red=red: F.l1_loss(d.x, d.y, reduction=red), wrt=["x", "y"])

        def l1w():
            r = apart((3, 4))()
            r["w"] = Pos(3, 4)
            return r
        case(f"l1_loss/weight_{red}", f'l1_loss(x, y, reduction="{red}", weight=w)', l1w,
             lambda d, red=red: F.l1_loss(d.x, d.y, reduction=red, weight=d.w),
             wrt=["x", "y", "w"])
    # The weighted mean divides by Σw, so it differs from mean of the "none" result.
    case("mse_loss/weight_mean_is_not_mean_of_none",
         'mse_loss(x, y, weight=w) - mean(mse_loss(x, y, reduction="none", weight=w))',
         lambda: {"x": N(5), "y": N(5), "w": Pos(5, lo=0.1, hi=3.0)},
         lambda d: F.mse_loss(d.x, d.y, weight=d.w) - F.mse_loss(d.x, d.y, reduction="none", weight=d.w).mean(),
         wrt=["x", "w"])
    case("l1_loss/zero_difference_gradient_is_zero", 'l1_loss(x, y, reduction="sum")',
         {"x": T([1.0, -2.0, 0.5]), "y": T([1.0, 0.0, 0.5])},
         lambda d: F.l1_loss(d.x, d.y, reduction="sum"), wrt=["x", "y"])
    case("mse_loss/scalar_inputs", "mse_loss(x, y)", {"x": T(1.5), "y": T(-0.25)},
         lambda d: F.mse_loss(d.x, d.y), wrt=["x", "y"])


def smooth_l1_huber():
    # Differences away from the kink at beta/delta and from 0; plus exact boundary points.
    XY = lambda: {"x": N(4, 5, scale=1.5), "y": N(4, 5, scale=1.5)}
    for red in REDS:
        for beta in [1.0, 0.5, 2.0]:
            barg = "" if beta == 1.0 else f", beta={beta}"
            case(f"smooth_l1_loss/beta{beta}_{red}", f"smooth_l1_loss(x, y{red_arg(red)}{barg})", XY,
                 lambda d, red=red, beta=beta: F.smooth_l1_loss(d.x, d.y, reduction=red, beta=beta),
                 wrt=["x", "y"], second=["x"] if red == "mean" else [])
        case(f"smooth_l1_loss/beta0_is_l1_{red}", f'smooth_l1_loss(x, y, reduction="{red}", beta=0.0)',
             apart((4, 5)),
             lambda d, red=red: F.smooth_l1_loss(d.x, d.y, reduction=red, beta=0.0), wrt=["x", "y"])
        for delta in [1.0, 0.5, 2.5]:
            darg = "" if delta == 1.0 else f", delta={delta}"
            case(f"huber_loss/delta{delta}_{red}", f"huber_loss(x, y{red_arg(red)}{darg})", XY,
                 lambda d, red=red, delta=delta: F.huber_loss(d.x, d.y, reduction=red, delta=delta),
                 wrt=["x", "y"], second=["x"] if red == "mean" else [])
        case(f"huber_loss/weight_{red}", f'huber_loss(x, y, reduction="{red}", delta=0.8, weight=w)',
             lambda: {"x": N(4, 5, scale=1.5), "y": N(4, 5, scale=1.5), "w": Pos(4, 5, lo=0.1, hi=3.0)},
             lambda d, red=red: F.huber_loss(d.x, d.y, reduction=red, delta=0.8, weight=d.w),
             wrt=["x", "y", "w"])
    # Exactly at the boundary z == beta / delta (the strict test) and at z == 0.
    B = {"x": T([1.0, -1.0, 0.5, -0.5, 0.0, 2.0, -2.0]), "y": T([0.0] * 7)}
    case("smooth_l1_loss/boundary_beta1", 'smooth_l1_loss(x, y, reduction="none")', B,
         lambda d: F.smooth_l1_loss(d.x, d.y, reduction="none"), wrt=["x", "y"])
    case("smooth_l1_loss/boundary_beta0.5", 'smooth_l1_loss(x, y, reduction="none", beta=0.5)', B,
         lambda d: F.smooth_l1_loss(d.x, d.y, reduction="none", beta=0.5), wrt=["x", "y"])
    case("smooth_l1_loss/beta0_at_zero_difference", 'smooth_l1_loss(x, y, reduction="sum", beta=0)', B,
         lambda d: F.smooth_l1_loss(d.x, d.y, reduction="sum", beta=0.0), wrt=["x", "y"])
    case("huber_loss/boundary_delta2", 'huber_loss(x, y, reduction="none", delta=2.0)', B,
         lambda d: F.huber_loss(d.x, d.y, reduction="none", delta=2.0), wrt=["x", "y"])
    case("huber_loss/worked_example", 'huber_loss(x, y, reduction="none")',
         {"x": T([-2.0, -0.5, 0.0, 0.5, 3.0]), "y": T([0.0] * 5)},
         lambda d: F.huber_loss(d.x, d.y, reduction="none"), wrt=["x"])
    # huber(δ) = δ·smooth_l1(β=δ): the LossLang side computes smooth_l1, torch huber.
    for delta in [0.3, 1.0, 2.5]:
        case(f"huber_loss/identity_delta{delta}", f'{delta} * smooth_l1_loss(x, y, reduction="none", beta={delta})', XY,
             lambda d, delta=delta: F.huber_loss(d.x, d.y, reduction="none", delta=delta), wrt=["x", "y"])
    case("huber/alias", "huber(x, y)", XY, lambda d: F.huber_loss(d.x, d.y), wrt=["x", "y"])
    # A large outlier: huber's gradient is bounded by delta, mse's grows with the error.
    case("huber_loss/outlier", "huber_loss(x, y)", {"x": T([0.1, -0.2, 0.3, 100.0]), "y": T([0.0] * 4)},
         lambda d: F.huber_loss(d.x, d.y), wrt=["x"])


def poisson():
    counts = lambda *s: torch.randint(0, 7, s, generator=G).double()
    for red in REDS:
        for log_input in [True, False]:
            for full in [False, True]:
                name = f"poisson_nll_loss/log_input_{str(log_input).lower()}_full_{str(full).lower()}_{red}"
                opts = f"log_input={str(log_input).lower()}, full={str(full).lower()}"
                if log_input:
                    inputs = lambda: {"x": N(3, 4, scale=0.7), "t": counts(3, 4)}
                else:
                    inputs = lambda: {"x": Pos(3, 4, lo=0.2, hi=4.0), "t": counts(3, 4)}
                case(name, f'poisson_nll_loss(x, t, {opts}, reduction="{red}")', inputs,
                     lambda d, red=red, log_input=log_input, full=full:
                         F.poisson_nll_loss(d.x, d.t, log_input=log_input, full=full, reduction=red),
                     wrt=["x"], second=["x"] if red == "mean" else [])
    # Non-integer positive targets (incl. exactly 1 and values in (0, 1]): gradient w.r.t. target.
    PT = lambda: {"x": N(8, scale=0.7), "t": T([0.3, 1.0, 1.5, 2.7, 0.9, 4.2, 7.0, 1.01])}
    for full in [False, True]:
        case(f"poisson_nll_loss/target_grad_full_{str(full).lower()}",
             f'poisson_nll_loss(x, t, full={str(full).lower()}, reduction="none")', PT,
             lambda d, full=full: F.poisson_nll_loss(d.x, d.t, full=full, reduction="none"), wrt=["x", "t"])
    case("poisson_nll_loss/rate_input_custom_eps_at_zero",
         'poisson_nll_loss(x, t, log_input=false, eps=0.1, reduction="none")',
         {"x": T([0.0, 0.5, 2.0, 0.0]), "t": T([0.0, 1.0, 3.0, 2.0])},
         lambda d: F.poisson_nll_loss(d.x, d.t, log_input=False, eps=0.1, reduction="none"), wrt=["x"])
    case("poisson_nll_loss/defaults", "poisson_nll_loss(x, t)",
         lambda: {"x": N(5, scale=0.7), "t": counts(5)},
         lambda d: F.poisson_nll_loss(d.x, d.t), wrt=["x"])


def gaussian():
    P = math.pi
    for red in REDS:
        for full in [False, True]:
            fl = str(full).lower()
            case(f"gaussian_nll_loss/same_shape_full_{fl}_{red}",
                 f'gaussian_nll_loss(x, t, v, full={fl}, reduction="{red}")',
                 lambda: {"x": N(3, 4), "t": N(3, 4), "v": Pos(3, 4, lo=0.1, hi=2.0)},
                 lambda d, red=red, full=full: F.gaussian_nll_loss(d.x, d.t, d.v, full=full, reduction=red),
                 wrt=["x", "t", "v"], second=["x", "v"] if red == "mean" else [])
    # var shapes: input.shape[:-1], one axis of size 1, a number.
    case("gaussian_nll_loss/var_row", 'gaussian_nll_loss(x, t, v, reduction="none")',
         lambda: {"x": N(3, 4), "t": N(3, 4), "v": Pos(3, lo=0.1, hi=2.0)},
         lambda d: F.gaussian_nll_loss(d.x, d.t, d.v, reduction="none"), wrt=["x", "t", "v"])
    case("gaussian_nll_loss/var_row_3d", "gaussian_nll_loss(x, t, v)",
         lambda: {"x": N(2, 3, 4), "t": N(2, 3, 4), "v": Pos(2, 3, lo=0.1, hi=2.0)},
         lambda d: F.gaussian_nll_loss(d.x, d.t, d.v), wrt=["x", "v"])
    case("gaussian_nll_loss/var_keepdim", 'gaussian_nll_loss(x, t, v, reduction="sum")',
         lambda: {"x": N(3, 4), "t": N(3, 4), "v": Pos(3, 1, lo=0.1, hi=2.0)},
         lambda d: F.gaussian_nll_loss(d.x, d.t, d.v, reduction="sum"), wrt=["x", "v"])
    case("gaussian_nll_loss/var_middle_axis_1", 'gaussian_nll_loss(x, t, v, full=true, reduction="none")',
         lambda: {"x": N(2, 3, 4), "t": N(2, 3, 4), "v": Pos(2, 1, 4, lo=0.1, hi=2.0)},
         lambda d: F.gaussian_nll_loss(d.x, d.t, d.v, full=True, reduction="none"), wrt=["x", "v"])
    case("gaussian_nll_loss/var_leading_axis_1", "gaussian_nll_loss(x, t, v)",
         lambda: {"x": N(3, 4), "t": N(3, 4), "v": Pos(1, 4, lo=0.1, hi=2.0)},
         lambda d: F.gaussian_nll_loss(d.x, d.t, d.v), wrt=["x", "v"])
    case("gaussian_nll_loss/var_number", 'gaussian_nll_loss(x, t, 0.7, reduction="none")',
         lambda: {"x": N(3, 4), "t": N(3, 4)},
         lambda d: F.gaussian_nll_loss(d.x, d.t, 0.7, reduction="none"), wrt=["x", "t"])
    case("gaussian_nll_loss/var_number_full_mean", "gaussian_nll_loss(x, t, 2.0, full=true)",
         lambda: {"x": N(5), "t": N(5)},
         lambda d: F.gaussian_nll_loss(d.x, d.t, 2.0, full=True), wrt=["x"])
    case("gaussian_nll_loss/input_1d_var_0d", "gaussian_nll_loss(x, t, v)",
         lambda: {"x": N(5), "t": N(5), "v": T(0.6)},
         lambda d: F.gaussian_nll_loss(d.x, d.t, d.v), wrt=["x", "v"])
    # Clamping: var below eps is clamped (not shifted); the gradient is taken at the clamped
    # value and still reaches var (not zeroed).
    case("gaussian_nll_loss/clamp_default_eps", 'gaussian_nll_loss(x, t, v, reduction="none")',
         {"x": T([0.01, -0.02, 0.5, 0.0]), "t": T([0.0, 0.0, 0.4, 0.0]), "v": T([0.0, 1e-9, 0.3, 1e-7])},
         lambda d: F.gaussian_nll_loss(d.x, d.t, d.v, reduction="none"), wrt=["x", "t", "v"])
    case("gaussian_nll_loss/clamp_custom_eps", 'gaussian_nll_loss(x, t, v, eps=0.05, reduction="none")',
         lambda: {"x": N(6), "t": N(6), "v": T([0.0, 0.01, 0.049, 0.05, 0.2, 1.5])},
         lambda d: F.gaussian_nll_loss(d.x, d.t, d.v, eps=0.05, reduction="none"), wrt=["x", "t", "v"])
    case("gaussian_nll_loss/clamp_custom_eps_mean", 'gaussian_nll_loss(x, t, v, eps=0.05)',
         lambda: {"x": N(6), "t": N(6), "v": T([0.0, 0.01, 0.049, 0.3, 0.2, 1.5])},
         lambda d: F.gaussian_nll_loss(d.x, d.t, d.v, eps=0.05), wrt=["x", "v"], second=["v"])
    # target broadcasting against input (torch allows it).
    case("gaussian_nll_loss/target_broadcast", 'gaussian_nll_loss(x, t, v, reduction="none")',
         lambda: {"x": N(3, 4), "t": N(3, 1), "v": Pos(3, 4, lo=0.1, hi=2.0)},
         lambda d: F.gaussian_nll_loss(d.x, d.t, d.v, reduction="none"), wrt=["x", "t", "v"])
    del P


def log_cosh():
    ref = lambda d: torch.log(torch.cosh(d.x - d.y))
    for red in REDS:
        def fn(d, red=red):
            l = ref(d)
            return l.mean() if red == "mean" else l.sum() if red == "sum" else l
        case(f"log_cosh_loss/{red}", f"log_cosh_loss(x, y{red_arg(red)})",
             lambda: {"x": N(3, 4, scale=1.5), "y": N(3, 4, scale=1.5)}, fn,
             wrt=["x", "y"], second=["x"] if red != "none" else [])
    # Large differences: cosh overflows, so the oracle is optax's logaddexp(d, -d) - log 2.
    big = {"x": T([1000.0, -1000.0, 95.0, -95.0, 30.0, -12.0, 0.0]), "y": T([0.0, 0.0, 0.0, 0.0, 2.0, 0.5, 0.0])}
    case("log_cosh_loss/large_differences_stable", 'log_cosh_loss(x, y, reduction="none")', big,
         lambda d: torch.logaddexp(d.x - d.y, d.y - d.x) - math.log(2.0), wrt=["x", "y"])
    case("log_cosh_loss/small_differences", 'log_cosh_loss(x, y, reduction="sum")',
         lambda: {"x": U(6, lo=-0.05, hi=0.05), "y": T([0.0] * 6)},
         lambda d: torch.log(torch.cosh(d.x - d.y)).sum(), wrt=["x"])


def quantile():
    def pinball(x, y, q):
        r = y - x
        return torch.max(q * r, (q - 1) * r)

    def reduce_t(l, red):
        return l.mean() if red == "mean" else l.sum() if red == "sum" else l
    for red in REDS:
        for q in [0.1, 0.5, 0.9]:
            qarg = "" if q == 0.5 else f", q={q}"
            case(f"quantile_loss/q{q}_{red}", f"quantile_loss(x, y{red_arg(red)}{qarg})", apart((3, 4)),
                 lambda d, red=red, q=q: reduce_t(pinball(d.x, d.y, q), red), wrt=["x", "y"])
    case("quantile_loss/q_tensor_broadcast", 'quantile_loss(x, y, q=q, reduction="none")',
         lambda: {**apart((4, 3))(), "q": T([0.1, 0.5, 0.9])},
         lambda d: pinball(d.x, d.y, d.q), wrt=["x", "y", "q"])
    # q = 0.5 is half of l1_loss (an oracle that does not use the pinball formula).
    case("quantile_loss/median_is_half_l1", "quantile_loss(x, y)", apart((5,)),
         lambda d: 0.5 * F.l1_loss(d.x, d.y), wrt=["x", "y"])


def dpo():
    def ref(d, beta, red):
        margin = (d.pc - d.rc) - (d.pr - d.rr)
        l = -F.logsigmoid(beta * margin)
        return l.mean() if red == "mean" else l.sum() if red == "sum" else l
    expr = "dpo_loss(pc, pr, rc, rr{})"
    LP = lambda: {"pc": -Pos(6, lo=0.5, hi=20.0), "pr": -Pos(6, lo=0.5, hi=20.0),
                  "rc": -Pos(6, lo=0.5, hi=20.0), "rr": -Pos(6, lo=0.5, hi=20.0)}
    for red in REDS:
        for beta in [0.1, 0.5, 2.0]:
            args = ("" if beta == 0.1 else f", beta={beta}") + red_arg(red)
            case(f"dpo_loss/beta{beta}_{red}", expr.format(args), LP,
                 lambda d, beta=beta, red=red: ref(d, beta, red), wrt=["pc", "pr", "rc", "rr"],
                 second=["pc"] if red == "mean" else [])
    case("dpo_loss/worked_example", expr.format(', beta=0.2, reduction="none"'),
         {"pc": T([-2.0, -1.5]), "pr": T([-3.0, -1.0]), "rc": T([-2.2, -1.4]), "rr": T([-2.8, -1.1])},
         lambda d: ref(d, 0.2, "none"), wrt=["pc", "pr"])
    # Very large margins either way: stable, no overflow, exact gradients.
    case("dpo_loss/large_margins", expr.format(', beta=1.0, reduction="none"'),
         {"pc": T([-1.0, -300.0, -10.0, -50.0]), "pr": T([-300.0, -1.0, -40.0, -10.0]),
          "rc": T([-5.0, -5.0, -5.0, -5.0]), "rr": T([-5.0, -5.0, -5.0, -5.0])},
         lambda d: ref(d, 1.0, "none"), wrt=["pc", "pr"])
    case("dpo_loss/zero_margin_is_log2", expr.format(""),
         lambda: (lambda a, b: {"pc": a, "pr": b, "rc": a, "rr": b})(-Pos(4, hi=9.0), -Pos(4, hi=9.0)),
         lambda d: ref(d, 0.1, "mean"), wrt=["pc", "pr"])
    case("dpo_loss/batch_2d", expr.format(', beta=0.3, reduction="sum"'),
         lambda: {"pc": -Pos(2, 3, hi=9.0), "pr": -Pos(2, 3, hi=9.0), "rc": -Pos(2, 3, hi=9.0), "rr": -Pos(2, 3, hi=9.0)},
         lambda d: ref(d, 0.3, "sum"), wrt=["pc", "pr", "rc", "rr"])


def multitask():
    def mm(d):
        m = d.m.expand_as(d.v) if d.m.dim() <= d.v.dim() else d.m
        return (d.v * d.m).sum() / m.sum()
    mask = T([[1.0, 1.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 1.0]])
    case("masked_mean/binary_mask", "masked_mean(v, m)", lambda: {"v": N(3, 4), "m": mask},
         mm, wrt=["v"], second=["v"])
    case("masked_mean/row_mask_broadcast", "masked_mean(v, m)",
         lambda: {"v": N(3, 4), "m": T([[1.0], [0.0], [1.0]])}, mm, wrt=["v"])
    case("masked_mean/soft_mask_grad", "masked_mean(v, m)",
         lambda: {"v": N(2, 5), "m": U(2, 5, lo=0.1, hi=1.0)}, mm, wrt=["v", "m"])
    case("masked_mean/worked_example", "masked_mean(v, m)",
         {"v": T([[0.2, 0.5, 0.0], [0.3, 0.0, 0.0]]), "m": T([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]])},
         mm, wrt=["v"])
    case("masked_mean/all_ones_is_mean", "masked_mean(v, m)",
         lambda: {"v": N(7), "m": T([1.0] * 7)}, lambda d: d.v.mean(), wrt=["v"])

    def kendall(d):
        return (torch.exp(-d.s) * d.L + d.s).sum()
    case("uncertainty_weighted_loss/tensor", "uncertainty_weighted_loss(L, s)",
         lambda: {"L": Pos(3, lo=0.1, hi=5.0), "s": N(3)}, kendall, wrt=["L", "s"], second=["s"])
    case("uncertainty_weighted_loss/zero_log_vars_is_sum", "uncertainty_weighted_loss(L, s)",
         lambda: {"L": Pos(4, lo=0.1, hi=5.0), "s": T([0.0] * 4)},
         lambda d: d.L.sum(), wrt=["L"])
    case("uncertainty_weighted_loss/list_of_scalars", "uncertainty_weighted_loss([a, b], s)",
         lambda: {"a": T(1.7), "b": T(0.25), "s": T([0.3, -0.8])},
         lambda d: torch.exp(-d.s[0]) * d.a + d.s[0] + torch.exp(-d.s[1]) * d.b + d.s[1],
         wrt=["a", "b", "s"])


mse_l1()
smooth_l1_huber()
poisson()
gaussian()
log_cosh()
quantile()
dpo()
multitask()
write("Tests/LossLangTests/Fixtures/losses_regression.json")
