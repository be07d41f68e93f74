#!/usr/bin/env python3
"""Generates the fixtures of LANGUAGE.md's layers, initializers and gradient clipping:

- Tests/LossLangTests/Fixtures/builtins_layers.json: conformance cases (the format of
  make_fixtures.py, run by BuiltinFixtureTests) for `linear` against F.linear and
  `clip_grad_norm` against torch.nn.utils.clip_grad_norm_, values and gradients, float32
  and float64;
- Tests/LossLangTests/Fixtures/init_bounds.json: for each initializer call the tests make, the
  bound torch's initializer uses for that shape (LossLang's random numbers differ from
  torch's, so the tests check the distribution: these bounds, mean and variance).

Run with a Python that has torch:

    /tmp/venv/bin/python scripts/make_layer_fixtures.py

clip_grad_norm_ works in place without gradients; the differentiable oracle is its own
arithmetic (the norm of the leaves' norms, coefficient clamp(max_norm/(total+1e-6), max=1))
written with torch operations, checked here to give clip_grad_norm_'s values.
"""

import json
import math
import os

import torch
import torch.nn.functional as F
from torch.nn import init

from fixturelib import *  # noqa: F401,F403 (generators, case, write)

BOUNDS = "Tests/LossLangTests/Fixtures/init_bounds.json"


def linear_cases():
    case("linear/bias", "linear(x, w, b)", lambda: {"x": U(4, 3), "w": U(5, 3), "b": U(5)},
         lambda d: F.linear(d.x, d.w, d.b), wrt=["x", "w", "b"])
    case("linear/no_bias", "linear(x, w)", lambda: {"x": U(4, 3), "w": U(2, 3)},
         lambda d: F.linear(d.x, d.w), wrt=["x", "w"])
    case("linear/batch_axes", "linear(x, w, b)", lambda: {"x": U(2, 4, 3), "w": U(5, 3), "b": U(5)},
         lambda d: F.linear(d.x, d.w, d.b), wrt=["x", "w", "b"])
    case("linear/vector_input", "linear(x, w, b)", lambda: {"x": U(3), "w": U(5, 3), "b": U(5)},
         lambda d: F.linear(d.x, d.w, d.b), wrt=["x", "w", "b"])
    # torch's 2-D input with a bias goes through addmm, which rejects a 1-D weight.
    case("linear/vector_weight", "linear(x, w)", lambda: {"x": U(4, 3), "w": U(3)},
         lambda d: F.linear(d.x, d.w), wrt=["x", "w"])
    case("linear/vector_weight_batch_axes", "linear(x, w, b)", lambda: {"x": U(2, 4, 3), "w": U(3), "b": U(1)[0]},
         lambda d: F.linear(d.x, d.w, d.b), wrt=["x", "w", "b"])
    case("linear/one_feature_in", "linear(x, w, b)", lambda: {"x": U(6, 1), "w": U(4, 1), "b": U(4)},
         lambda d: F.linear(d.x, d.w, d.b), wrt=["x", "w", "b"])


def clip_oracle(leaves, max_norm, p):
    """torch's clip_grad_norm_ arithmetic, differentiable."""
    norms = [torch.linalg.vector_norm(g, p) for g in leaves]
    total = torch.linalg.vector_norm(torch.stack(norms), p)
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    return [g * coef for g in leaves]


def clip_reference(leaves, max_norm, p):
    """torch.nn.utils.clip_grad_norm_ itself, on parameters holding the leaves as gradients."""
    params = [torch.zeros_like(g, requires_grad=True) for g in leaves]
    for q, g in zip(params, leaves):
        q.grad = g.detach().clone()
    torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=p)
    return [q.grad for q in params]


def clip_case(name, tree, names, max_norm, p, inputs):
    """One case per leaf: `clip_grad_norm(tree, …)[position]`, gradients wrt every leaf."""
    written = "inf" if p == math.inf else repr(p)
    opt = "" if p == 2.0 else f", norm_type={written}"
    for i, (leaf, position) in enumerate(names):
        def fn(d, i=i):
            leaves = [d[n] for n, _ in names]
            got = clip_oracle(leaves, max_norm, p)
            if d.dt == torch.float64:
                ref = clip_reference(leaves, max_norm, p)
                assert all(torch.allclose(a, b, rtol=1e-12, atol=0) for a, b in zip(got, ref)), name
            return got[i]
        case(f"clip_grad_norm/{name}/{leaf}", f"clip_grad_norm({tree}, {max_norm!r}{opt}){position}",
             inputs, fn, wrt=[n for n, _ in names])


def clip_cases():
    wb = lambda: {"w": U(3, 4, lo=-2.0, hi=2.0), "b": distinct(4, lo=-3.0, hi=3.0)}
    names = [("w", '["w"]'), ("b", '["b"]')]
    tree = '{"w": w, "b": b}'
    clip_case("clipped", tree, names, 0.5, 2.0, wb)
    clip_case("not_clipped", tree, names, 100.0, 2.0, wb)
    clip_case("inf_clipped", tree, names, 1.5, math.inf, lambda: {"w": distinct(3, 4), "b": distinct(4, lo=-3.5, hi=2.0)})
    clip_case("l1_clipped", tree, names, 2.0, 1.0, wb)
    clip_case("p3_clipped", tree, names, 1.0, 3.0, wb)
    nested = [("a", "[0]"), ("b", "[1][0]"), ("c", '[1][1]["k"]')]
    clip_case("nested", '[a, [b, {"k": c}]]', nested, 0.75, 2.0,
              lambda: {"a": U(2, 3), "b": U(5), "c": U(2, 2, 2)})
    clip_case("one_tensor", "g", [("g", "")], 1.0, 2.0, lambda: {"g": U(6, lo=-3.0, hi=3.0)})


def bound_uniform(fan, gain):
    """torch's uniform bound sqrt(3)·std with std = gain/sqrt(fan)."""
    return math.sqrt(3.0) * (gain / math.sqrt(fan))


def init_entries():
    """Every initializer call the tests make, with torch's bound; each checked against torch's draws."""
    entries = []

    def add(expr, key, shape, bound, draw):
        t = torch.empty(shape)
        torch.manual_seed(0)
        draw(t)
        assert t.abs().max().item() <= bound * (1 + 2 ** -23), expr
        assert t.numel() < 10_000 or t.abs().max().item() > 0.999 * bound, expr
        entries.append({"expr": expr, "key": key, "shape": list(shape), "bound": bound})

    for shape, gain in [((256, 128), 1.0), ((64, 32, 3, 3), 1.0), ((300, 100), 0.5), ((2, 3), 2.0), ((40, 20, 5), 1.0)]:
        fan_in, fan_out = init._calculate_fan_in_and_fan_out(torch.empty(shape))
        bound = gain * math.sqrt(2.0 / float(fan_in + fan_out)) * math.sqrt(3.0)
        gain_src = "" if gain == 1.0 else f", gain={gain!r}"
        add(f"xavier_uniform({list(shape)}{gain_src}, seed=11)", None, shape, bound,
            lambda t, gain=gain: init.xavier_uniform_(t, gain=gain))
    for shape, a in [((256, 128), 0.0), ((64, 32, 3, 3), math.sqrt(5)), ((300, 100), 0.2), ((3, 2), 0.0), ((40, 20, 5), 1.0)]:
        fan_in, _ = init._calculate_fan_in_and_fan_out(torch.empty(shape))
        bound = bound_uniform(fan_in, init.calculate_gain("leaky_relu", a))
        a_src = "" if a == 0.0 else f", a={a!r}"
        add(f"kaiming_uniform({list(shape)}{a_src}, seed=12)", None, shape, bound,
            lambda t, a=a: init.kaiming_uniform_(t, a=a))
    for fan_in, fan_out in [(512, 64), (3, 7), (1, 4)]:
        torch.manual_seed(0)
        layer = torch.nn.Linear(fan_in, fan_out)
        w_bound = bound_uniform(fan_in, init.calculate_gain("leaky_relu", math.sqrt(5)))
        b_bound = 1 / math.sqrt(fan_in)
        assert layer.weight.abs().max().item() <= w_bound * (1 + 2 ** -23)
        assert layer.bias.abs().max().item() <= b_bound * (1 + 2 ** -23)
        expr = f"init_linear({fan_in}, {fan_out}, seed=13)"
        add(expr, "weight", (fan_out, fan_in), w_bound, lambda t: init.kaiming_uniform_(t, a=math.sqrt(5)))
        add(expr, "bias", (fan_out,), b_bound, lambda t, b=b_bound: init.uniform_(t, -b, b))
    return entries


def main():
    linear_cases()
    clip_cases()
    write("Tests/LossLangTests/Fixtures/builtins_layers.json")
    entries = init_entries()
    with open(os.path.join(ROOT, BOUNDS), "w") as f:
        json.dump(entries, f, indent=1)
        f.write("\n")
    print(f"wrote {len(entries)} initializer bounds to {BOUNDS}")


if __name__ == "__main__":
    main()
