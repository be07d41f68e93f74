#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/builtins.json: PyTorch conformance fixtures
for the LossLang builtins (LANGUAGE.md) and the core prelude losses.

Run with a Python that has torch (no other dependency):

    /tmp/venv/bin/python scripts/make_fixtures.py

Each case is written twice, as `<name>/float32` and `<name>/float64`. A case holds
LossLang source (`expr`) over named inputs, and the result of the *equivalent torch
code* (written by hand below, independently of the LossLang implementation):

    value   = expr
    grads   = d/d(wrt) sum(expr * __cot)        (__cot: random cotangent, value's shape)
    second  = d/dx sum(grad(sum(expr * __cot), x))   (second order, for some cases)

Optional fields: `value_dtype` (the dtype the result must have; omitted where
LANGUAGE.md leaves it open, e.g. argmax, comparisons, shape/numel), `rtol`/`atol`
(a case-specific tolerance, otherwise the test's defaults).

Deterministic: every case draws its inputs from a generator seeded by its own name.
The float32 results are torch's float32 results; the script checks each against the
same computation in float64 (from the same float32 inputs) and refuses to write a case
whose float32 oracle is itself further than half the test tolerance from the float64
one, so that the fixtures never demand more than float32 can carry.
"""

import torch
import torch.nn.functional as F

from fixturelib import *  # noqa: F401,F403 (generators, case, wrap64, write)


def creation():
    def c(name, src, fn):
        case(name, wrap64(src), {}, lambda d: fn(d.dt))

    c("zeros", "zeros([2, 3])", lambda dt: torch.zeros(2, 3, dtype=dt))
    c("ones", "ones([3, 2])", lambda dt: torch.ones(3, 2, dtype=dt))
    c("full", "full([2, 3], 1.5)", lambda dt: torch.full((2, 3), 1.5, dtype=dt))
    c("arange/stop", "arange(5)", lambda dt: torch.arange(5, dtype=dt))
    c("arange/start_stop", "arange(2, 7)", lambda dt: torch.arange(2, 7, dtype=dt))
    c("arange/step", "arange(0, 1, 0.25)", lambda dt: torch.arange(0, 1, 0.25, dtype=dt))
    c("linspace/0_1_5", "linspace(0, 1, 5)", lambda dt: torch.linspace(0, 1, 5, dtype=dt))
    c("linspace/-1_2_7", "linspace(-1, 2, 7)", lambda dt: torch.linspace(-1, 2, 7, dtype=dt))
    c("eye", "eye(3)", lambda dt: torch.eye(3, dtype=dt))
    # v2: shapes PyTorch-style (sizes or one list); seed= and dtype= keyword-only.
    c("zeros/sizes", "zeros(2, 3)", lambda dt: torch.zeros(2, 3, dtype=dt))
    c("zeros/one_size", "zeros(5)", lambda dt: torch.zeros(5, dtype=dt))
    c("zeros/empty_list", "zeros([])", lambda dt: torch.zeros([], dtype=dt))
    c("zeros/zero_size", "zeros(2, 0)", lambda dt: torch.zeros(2, 0, dtype=dt))
    c("ones/sizes", "ones(3, 1, 2)", lambda dt: torch.ones(3, 1, 2, dtype=dt))
    c("full/list", "full([2, 2], 7)", lambda dt: torch.full([2, 2], 7.0, dtype=dt))
    c("full/scalar", "full([], 7)", lambda dt: torch.full([], 7.0, dtype=dt))
    c("eye/rectangular", "eye(3, 2)", lambda dt: torch.eye(3, 2, dtype=dt))
    c("rand/sizes", "rand(4, 8, seed=0) * 0", lambda dt: torch.rand(4, 8, dtype=dt) * 0)
    c("randn/sizes", "randn(4, 8, seed=0) * 0", lambda dt: torch.randn(4, 8, dtype=dt) * 0)
    c("randn/list", "randn([2, 3], seed=1) * 0", lambda dt: torch.randn([2, 3], dtype=dt) * 0)
    c("randint/low_high_size", "randint(5, 6, [2, 3], seed=0)",
      lambda dt: torch.randint(5, 6, (2, 3)).to(dt))
    c("randint/high_size", "randint(1, [4])", lambda dt: torch.randint(1, (4,)).to(dt))
    case("dtype_keyword", "zeros(2, 3, dtype=\"float64\") + ones(3, dtype=\"float64\")", {},
         lambda d: torch.zeros(2, 3, dtype=torch.float64) + torch.ones(3, dtype=torch.float64),
         dtypes=("float64",))
    case("zeros_like", "zeros_like(x)", lambda: {"x": N(2, 3)},
         lambda d: torch.zeros_like(d.x))
    case("ones_like", "ones_like(x)", lambda: {"x": N(3)},
         lambda d: torch.ones_like(d.x))
    case("ones_like/plus_x", "x + ones_like(x)", lambda: {"x": N(2, 2)},
         lambda d: d.x + torch.ones_like(d.x), wrt=["x"])
    # Conversions: differentiable (torch .double()/.float()).
    case("float64", "float64(x) * 3", lambda: {"x": N(2, 3)},
         lambda d: d.x.double() * 3, wrt=["x"])
    case("float32", "float32(x) * 3", lambda: {"x": N(2, 3)},
         lambda d: d.x.float() * 3, wrt=["x"])
    case("promotion/float32_plus_float64", "float32(x) + float64(y)",
         lambda: {"x": N(2, 3), "y": N(3)},
         lambda d: d.x.float() + d.y.double(), wrt=["x", "y"])


# --------------------------------------------------------------------------------------
# Elementwise.

def elementwise():
    X = lambda f: (lambda: {"x": f()})

    case("exp", "exp(x)", X(lambda: U(2, 3, lo=-2, hi=2)), lambda d: torch.exp(d.x),
         wrt=["x"], second=["x"])
    case("log", "log(x)", X(lambda: Pos(2, 3)), lambda d: torch.log(d.x),
         wrt=["x"], second=["x"])
    case("log1p", "log1p(x)", X(lambda: U(2, 3, lo=-0.6, hi=2)), lambda d: torch.log1p(d.x),
         wrt=["x"], second=["x"])
    case("log1p/tiny", "log1p(x)", {"x": T([1e-10, -3e-9, 2e-12, 1e-7])},
         lambda d: torch.log1p(d.x), wrt=["x"])
    case("expm1", "expm1(x)", X(lambda: U(2, 3, lo=-2, hi=2)), lambda d: torch.expm1(d.x),
         wrt=["x"], second=["x"])
    case("expm1/tiny", "expm1(x)", {"x": T([1e-10, -3e-9, 2e-12, 1e-7])},
         lambda d: torch.expm1(d.x), wrt=["x"])
    case("sqrt", "sqrt(x)", X(lambda: Pos(2, 3)), lambda d: torch.sqrt(d.x),
         wrt=["x"], second=["x"])
    case("sqrt/large", "sqrt(x)", {"x": T([4.0, 1e10, 1e20, 1e30])},
         lambda d: torch.sqrt(d.x), wrt=["x"])
    case("rsqrt", "rsqrt(x)", X(lambda: Pos(2, 3)), lambda d: torch.rsqrt(d.x),
         wrt=["x"], second=["x"])
    case("abs", "abs(x)", X(lambda: Away(2, 3)), lambda d: torch.abs(d.x), wrt=["x"])
    case("abs/at_zero_grad_0", "abs(x)", {"x": T([-1.5, 0.0, 2.0, 0.0])},
         lambda d: torch.abs(d.x), wrt=["x"])
    case("sign", "sign(x)", X(lambda: Away(2, 3)), lambda d: torch.sign(d.x), wrt=["x"])
    case("sign/at_zero", "sign(x)", {"x": T([-1.5, 0.0, 2.0])},
         lambda d: torch.sign(d.x), wrt=["x"])
    case("neg", "neg(x)", X(lambda: N(2, 3)), lambda d: torch.neg(d.x), wrt=["x"])
    case("neg/unary_minus", "-x", X(lambda: N(2, 3)), lambda d: -d.x, wrt=["x"])
    case("sin", "sin(x)", X(lambda: U(2, 3, lo=-3, hi=3)), lambda d: torch.sin(d.x),
         wrt=["x"], second=["x"])
    case("cos", "cos(x)", X(lambda: U(2, 3, lo=-3, hi=3)), lambda d: torch.cos(d.x),
         wrt=["x"], second=["x"])
    case("tanh", "tanh(x)", X(lambda: U(2, 3, lo=-3, hi=3)), lambda d: torch.tanh(d.x),
         wrt=["x"], second=["x"])
    case("sigmoid", "sigmoid(x)", X(lambda: U(2, 3, lo=-4, hi=4)), lambda d: torch.sigmoid(d.x),
         wrt=["x"], second=["x"])
    case("logsigmoid", "logsigmoid(x)", X(lambda: U(2, 3, lo=-4, hi=4)),
         lambda d: F.logsigmoid(d.x), wrt=["x"], second=["x"])
    case("softplus", "softplus(x)", X(lambda: U(2, 3, lo=-4, hi=4)),
         lambda d: F.softplus(d.x), wrt=["x"], second=["x"])
    extreme = T([-800.0, -100.0, -30.0, -1.0, 0.0, 1.0, 30.0, 100.0, 800.0])
    case("sigmoid/extreme", "sigmoid(x)", {"x": extreme}, lambda d: torch.sigmoid(d.x),
         wrt=["x"])
    case("logsigmoid/extreme", "logsigmoid(x)", {"x": extreme}, lambda d: F.logsigmoid(d.x),
         wrt=["x"])
    case("softplus/extreme", "softplus(x)", {"x": extreme}, lambda d: F.softplus(d.x),
         wrt=["x"])
    case("tanh/extreme", "tanh(x)", {"x": extreme}, lambda d: torch.tanh(d.x), wrt=["x"])
    case("exp/negative_large", "exp(x)", {"x": T([-50.0, -20.0, 0.0, 20.0, 50.0])},
         lambda d: torch.exp(d.x), wrt=["x"])
    case("relu", "relu(x)", X(lambda: Away(2, 3)), lambda d: torch.relu(d.x), wrt=["x"])
    case("relu/at_zero_grad_0", "relu(x)", {"x": T([-1.0, 0.0, 2.0, 0.0])},
         lambda d: torch.relu(d.x), wrt=["x"])

    def clampable():
        x = U(2, 4, lo=-1, hi=1)
        x = torch.where((x.abs() - 0.5).abs() < 0.05, x * 1.3, x)
        return {"x": x}
    case("clamp/min_max", "clamp(x, min=-0.5, max=0.5)", clampable,
         lambda d: torch.clamp(d.x, min=-0.5, max=0.5), wrt=["x"])
    case("clamp/min_only", "clamp(x, min=-0.5)", clampable,
         lambda d: torch.clamp(d.x, min=-0.5), wrt=["x"])
    case("clamp/max_only", "clamp(x, max=0.5)", clampable,
         lambda d: torch.clamp(d.x, max=0.5), wrt=["x"])
    case("clamp/boundary_inclusive_grad", "clamp(x, min=-0.5, max=0.5)",
         {"x": T([-0.5, 0.5, -0.75, 0.25, 0.875, -0.5])},
         lambda d: torch.clamp(d.x, min=-0.5, max=0.5), wrt=["x"])
    case("x.clamp/method", "x.clamp(min=0.0)", clampable,
         lambda d: torch.clamp(d.x, min=0.0), wrt=["x"])

    case("maximum/broadcast", "maximum(x, y)", lambda: {"x": distinct(3, 1), "y": distinct(1, 4, lo=-1.9, hi=1.9)},
         lambda d: torch.maximum(d.x, d.y), wrt=["x", "y"])
    case("minimum/broadcast", "minimum(x, y)", lambda: {"x": distinct(2, 3), "y": distinct(3, lo=-1.9, hi=1.9)},
         lambda d: torch.minimum(d.x, d.y), wrt=["x", "y"])
    case("maximum/ties_split_evenly", "maximum(x, y)",
         {"x": T([1.0, 2.0, 3.0, -1.0]), "y": T([1.0, 0.0, 3.0, 4.0])},
         lambda d: torch.maximum(d.x, d.y), wrt=["x", "y"])
    case("minimum/ties_split_evenly", "minimum(x, y)",
         {"x": T([1.0, 2.0, 3.0, -1.0]), "y": T([1.0, 0.0, 3.0, 4.0])},
         lambda d: torch.minimum(d.x, d.y), wrt=["x", "y"])
    case("maximum/scalar", "maximum(x, 0.25)", X(lambda: Away(2, 3, lo=0.3, hi=1) * 1.0),
         lambda d: torch.clamp(d.x, min=0.25), wrt=["x"])

    case("where/comparison", "where(x > 0, x, 0.1 * x)", X(lambda: Away(2, 3)),
         lambda d: torch.where(d.x > 0, d.x, 0.1 * d.x), wrt=["x"])
    case("where/float_mask_broadcast", "where(m, a, b)",
         lambda: {"m": Bin(2, 3), "a": N(2, 3), "b": N(3)},
         lambda d: torch.where(d.m != 0, d.a, d.b), wrt=["a", "b"])
    case("where/scalar_branch", "where(m, a, 0.0)",
         lambda: {"m": Bin(2, 3), "a": N(2, 3)},
         lambda d: torch.where(d.m != 0, d.a, 0.0), wrt=["a"])

    # floor/ceil/round: torch defines a zero gradient.
    case("floor", "floor(x)", X(lambda: Frac(2, 4)), lambda d: torch.floor(d.x), wrt=["x"])
    case("ceil", "ceil(x)", X(lambda: Frac(2, 4)), lambda d: torch.ceil(d.x), wrt=["x"])
    case("round", "round(x)", X(lambda: Frac(2, 4)), lambda d: torch.round(d.x), wrt=["x"])
    case("round/half_to_even", "round(x)",
         {"x": T([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, 0.4999])},
         lambda d: torch.round(d.x))

    case("pow/tensor_exponent_broadcast", "pow(x, y)",
         lambda: {"x": Pos(2, 3, lo=0.3, hi=2.5), "y": U(3, lo=-2, hi=2)},
         lambda d: torch.pow(d.x, d.y), wrt=["x", "y"], second=["x", "y"])
    case("pow/op_tensor_exponent", "x ^ y",
         lambda: {"x": Pos(2, 3, lo=0.3, hi=2.5), "y": U(2, 3, lo=-2, hi=2)},
         lambda d: d.x ** d.y, wrt=["x", "y"], second=["x", "y"])
    case("pow/int_exponent_negative_base", "x ^ 3", X(lambda: Away(2, 3)),
         lambda d: d.x ** 3, wrt=["x"], second=["x"])
    case("pow/fractional_exponent", "x ^ 2.5", X(lambda: Pos(2, 3)),
         lambda d: d.x ** 2.5, wrt=["x"], second=["x"])
    case("pow/negative_exponent", "x ^ -1", X(lambda: Away(2, 3)),
         lambda d: d.x ** -1, wrt=["x"], second=["x"])
    case("pow/scalar_base", "2 ^ x", X(lambda: U(2, 3, lo=-2, hi=2)),
         lambda d: torch.pow(2.0, d.x), wrt=["x"], second=["x"])
    case("pow/zero_base_square_grad_0", "pow(x, 2)", {"x": T([0.0, 1.5, -2.0])},
         lambda d: torch.pow(d.x, 2), wrt=["x"], second=["x"])
    case("pow/zero_base_tensor_exponent", "x ^ y",
         {"x": T([0.0, 0.0, 2.0, 3.0]), "y": T([2.0, 3.0, 1.5, 0.5])},
         lambda d: d.x ** d.y, wrt=["x", "y"])
    case("square", "square(x)", X(lambda: N(2, 3)), lambda d: torch.square(d.x),
         wrt=["x"], second=["x"])


# --------------------------------------------------------------------------------------
# Operators, broadcasting, comparisons, precedence.

def operators():
    case("add/broadcast_3x1_1x4", "x + y", lambda: {"x": N(3, 1), "y": N(1, 4)},
         lambda d: d.x + d.y, wrt=["x", "y"])
    case("sub/broadcast_2x3_3", "x - y", lambda: {"x": N(2, 3), "y": N(3)},
         lambda d: d.x - d.y, wrt=["x", "y"])
    case("mul/broadcast_3x1_1x4", "x * y", lambda: {"x": N(3, 1), "y": N(1, 4)},
         lambda d: d.x * d.y, wrt=["x", "y"])
    case("mul/broadcast_second", "x * y * (x + y)", lambda: {"x": N(3, 1), "y": N(1, 4)},
         lambda d: d.x * d.y * (d.x + d.y), wrt=["x", "y"], second=["x", "y"])
    case("div/broadcast_2x3_3", "x / y", lambda: {"x": N(2, 3), "y": Away(3, lo=0.5)},
         lambda d: d.x / d.y, wrt=["x", "y"], second=["y"])
    case("div/broadcast_3x1_1x4", "x / y", lambda: {"x": Away(3, 1, lo=0.5), "y": Away(1, 4, lo=0.5)},
         lambda d: d.x / d.y, wrt=["x", "y"], second=["y"])
    case("scalar_ops", "2 * x - 1 / (x + 3) + 0.5", lambda: {"x": U(2, 3)},
         lambda d: 2 * d.x - 1 / (d.x + 3) + 0.5, wrt=["x"], second=["x"])
    case("scalar_ops/reversed", "1 - x / 4", lambda: {"x": N(2, 3)},
         lambda d: 1 - d.x / 4, wrt=["x"])
    case("add/0d_and_matrix", "s + x", lambda: {"s": N(), "x": N(2, 3)},
         lambda d: d.s + d.x, wrt=["s", "x"])
    case("mul/3d_broadcast", "x * y", lambda: {"x": N(2, 1, 3), "y": N(4, 1)},
         lambda d: d.x * d.y, wrt=["x", "y"])

    def mod_inputs():
        y = Away(2, 3, lo=0.5, hi=2.0)
        q = Frac(2, 3)
        return {"x": q * y, "y": y}
    # `%` is Python's / torch.remainder's floored modulo (result has the divisor's sign).
    case("mod/floored_remainder", "x % y", mod_inputs,
         lambda d: torch.remainder(d.x, d.y), wrt=["x", "y"])

    case("precedence/neg_pow", "-x^2", lambda: {"x": N(2, 3)},
         lambda d: -(d.x ** 2), wrt=["x"])
    case("precedence/pow_right_assoc", "x + 2^3^2", lambda: {"x": N(3)},
         lambda d: d.x + 512.0, wrt=["x"])
    case("precedence/mul_add", "x + y * x - y / 2", lambda: {"x": N(2, 3), "y": N(2, 3)},
         lambda d: d.x + d.y * d.x - d.y / 2, wrt=["x", "y"])

    def cmp_inputs():
        x = distinct(2, 3)
        y = distinct(3, lo=-1.5, hi=1.5)
        x[1, 0] = y[0]
        x[0, 2] = y[2]
        return {"x": x, "y": y}
    for op, f in [("<", torch.lt), ("<=", torch.le), (">", torch.gt), (">=", torch.ge),
                  ("==", torch.eq), ("!=", torch.ne)]:
        nm = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}[op]
        case(f"compare/{nm}_broadcast_with_ties", f"x {op} y", cmp_inputs,
             (lambda f: lambda d: f(d.x, d.y))(f), check_dtype=False)
    case("compare/gt_scalar", "x > 0", lambda: {"x": Away(2, 3)},
         lambda d: d.x > 0, check_dtype=False)
    case("compare/mask_times_x", "x * (x > 0)", lambda: {"x": Away(2, 3)},
         lambda d: d.x * (d.x > 0), wrt=["x"])

    case("detach", "x * detach(x)", lambda: {"x": N(2, 3)},
         lambda d: d.x * d.x.detach(), wrt=["x"])
    case("stop_gradient", "x * stop_gradient(x) + x", lambda: {"x": N(2, 3)},
         lambda d: d.x * d.x.detach() + d.x, wrt=["x"])


# --------------------------------------------------------------------------------------
# Reductions.

def reductions():
    X3 = lambda: {"x": distinct(2, 3, 4)}
    X2 = lambda: {"x": distinct(3, 4)}
    for nm, fn in [("sum", torch.sum), ("mean", torch.mean)]:
        case(f"{nm}/all", f"{nm}(x)", X3, lambda d, fn=fn: fn(d.x), wrt=["x"])
        case(f"{nm}/axis_1", f"{nm}(x, axis=1)", X3, lambda d, fn=fn: fn(d.x, dim=1), wrt=["x"])
        case(f"{nm}/axis_neg1", f"{nm}(x, axis=-1)", X3, lambda d, fn=fn: fn(d.x, dim=-1), wrt=["x"])
        case(f"{nm}/axis_list_0_2", f"{nm}(x, axis=[0, 2])", X3,
             lambda d, fn=fn: fn(d.x, dim=(0, 2)), wrt=["x"])
        case(f"{nm}/axis_1_keepdims", f"{nm}(x, axis=1, keepdims=true)", X3,
             lambda d, fn=fn: fn(d.x, dim=1, keepdim=True), wrt=["x"])
        case(f"{nm}/axis_list_keepdims", f"{nm}(x, axis=[0, 2], keepdims=true)", X3,
             lambda d, fn=fn: fn(d.x, dim=(0, 2), keepdim=True), wrt=["x"])
        case(f"{nm}/method_axis_0", f"x.{nm}(axis=0)", X2,
             lambda d, fn=fn: fn(d.x, dim=0), wrt=["x"])
    case("sum/0d", "sum(x)", lambda: {"x": N()}, lambda d: torch.sum(d.x), wrt=["x"])

    # max/min without ties (torch.amax/amin values; gradient to the unique extremum).
    for nm, fn in [("max", torch.amax), ("min", torch.amin)]:
        case(f"{nm}/all", f"{nm}(x)", X3, lambda d, fn=fn: fn(d.x), wrt=["x"])
        case(f"{nm}/axis_1", f"{nm}(x, axis=1)", X3, lambda d, fn=fn: fn(d.x, dim=1), wrt=["x"])
        case(f"{nm}/axis_list_0_2", f"{nm}(x, axis=[0, 2])", X3,
             lambda d, fn=fn: fn(d.x, dim=(0, 2)), wrt=["x"])
        case(f"{nm}/axis_0_keepdims", f"{nm}(x, axis=0, keepdims=true)", X2,
             lambda d, fn=fn: fn(d.x, dim=0, keepdim=True), wrt=["x"])
        case(f"{nm}/axis_neg1", f"{nm}(x, axis=-1)", X2,
             lambda d, fn=fn: fn(d.x, dim=-1), wrt=["x"])

    XP = lambda: {"x": Away(2, 3, 2, lo=0.5, hi=1.5)}
    case("prod/all", "prod(x)", XP, lambda d: torch.prod(d.x), wrt=["x"])
    case("prod/axis_1", "prod(x, axis=1)", XP, lambda d: torch.prod(d.x, dim=1), wrt=["x"])
    case("prod/axis_list_keepdims", "prod(x, axis=[0, 1], keepdims=true)", XP,
         lambda d: torch.prod(torch.prod(d.x, dim=0, keepdim=True), dim=1, keepdim=True),
         wrt=["x"])
    case("prod/with_zero", "prod(x, axis=1)", {"x": T([[2.0, 0.0, 3.0], [1.0, 4.0, 0.5]])},
         lambda d: torch.prod(d.x, dim=1), wrt=["x"])

    XL = lambda: {"x": N(2, 3, 4, scale=2.0)}
    case("logsumexp/all", "logsumexp(x)", XL,
         lambda d: torch.logsumexp(d.x, dim=(0, 1, 2)), wrt=["x"], second=["x"])
    case("logsumexp/axis_1", "logsumexp(x, axis=1)", XL,
         lambda d: torch.logsumexp(d.x, dim=1), wrt=["x"], second=["x"])
    case("logsumexp/axis_neg1_keepdims", "logsumexp(x, axis=-1, keepdims=true)", XL,
         lambda d: torch.logsumexp(d.x, dim=-1, keepdim=True), wrt=["x"], second=["x"])
    case("logsumexp/axis_list", "logsumexp(x, axis=[0, 2])", XL,
         lambda d: torch.logsumexp(d.x, dim=(0, 2)), wrt=["x"])
    case("logsumexp/large_values_stable", "logsumexp(x, axis=1)",
         {"x": T([[1000.0, 999.0, 998.5], [-1000.0, -1001.0, -999.5]])},
         lambda d: torch.logsumexp(d.x, dim=1), wrt=["x"],
         # float32 carries ~6e-5 absolute at 1000: the gradient exp(x - lse) inherits it.
         rtol={"float32": 2e-4})

    XN = lambda: {"x": N(2, 3, 4)}
    vn = torch.linalg.vector_norm
    case("norm/all_default_p", "norm(x)", XN, lambda d: vn(d.x, 2), wrt=["x"], second=["x"])
    case("norm/p2_axis_1", "norm(x, p=2, axis=1)", XN,
         lambda d: vn(d.x, 2, dim=1), wrt=["x"], second=["x"])
    case("norm/p2_axis_neg1_keepdims", "norm(x, p=2, axis=-1, keepdims=true)", XN,
         lambda d: vn(d.x, 2, dim=-1, keepdim=True), wrt=["x"], second=["x"])
    case("norm/p2_axis_list", "norm(x, p=2, axis=[0, 2])", XN,
         lambda d: vn(d.x, 2, dim=(0, 2)), wrt=["x"])
    case("norm/p1_axis_0", "norm(x, p=1, axis=0)", lambda: {"x": Away(3, 4)},
         lambda d: vn(d.x, 1, dim=0), wrt=["x"])
    case("norm/method", "x.norm(axis=1)", lambda: {"x": N(3, 4)},
         lambda d: vn(d.x, 2, dim=1), wrt=["x"])

    XV = lambda: {"x": N(2, 3, 4)}
    case("var_unbiased/all", "var(x)", XV, lambda d: torch.var(d.x), wrt=["x"], second=["x"])
    case("var_unbiased/axis_1", "var(x, axis=1)", XV, lambda d: torch.var(d.x, dim=1), wrt=["x"])
    case("var_unbiased/axis_list_0_2", "var(x, axis=[0, 2])", XV,
         lambda d: torch.var(d.x, dim=(0, 2)), wrt=["x"])
    case("var_unbiased/axis_neg1_keepdims", "var(x, axis=-1, keepdims=true)", XV,
         lambda d: torch.var(d.x, dim=-1, keepdim=True), wrt=["x"])
    case("std_unbiased/all", "std(x)", XV, lambda d: torch.std(d.x), wrt=["x"])
    case("std_unbiased/axis_0_keepdims", "std(x, axis=0, keepdims=true)", XV,
         lambda d: torch.std(d.x, dim=0, keepdim=True), wrt=["x"])
    case("std_unbiased/axis_2", "std(x, axis=2)", XV, lambda d: torch.std(d.x, dim=2), wrt=["x"])

    # argmax/argmin: float results (LossLang indices are float); no gradient.
    case("argmax/all_flat_index", "argmax(x)", X3, lambda d: torch.argmax(d.x), check_dtype=False)
    case("argmax/axis_1", "argmax(x, axis=1)", X3, lambda d: torch.argmax(d.x, dim=1),
         check_dtype=False)
    case("argmax/axis_neg1_keepdims", "argmax(x, axis=-1, keepdims=true)", X3,
         lambda d: torch.argmax(d.x, dim=-1, keepdim=True), check_dtype=False)
    case("argmin/all_flat_index", "argmin(x)", X3, lambda d: torch.argmin(d.x), check_dtype=False)
    case("argmin/axis_0", "argmin(x, axis=0)", X3, lambda d: torch.argmin(d.x, dim=0),
         check_dtype=False)


# --------------------------------------------------------------------------------------
# Shape operations.

def shapes():
    X23 = lambda: {"x": N(2, 3)}
    X232 = lambda: {"x": N(2, 3, 2)}
    case("reshape/2x3_to_3x2", "reshape(x, [3, 2])", X23, lambda d: d.x.reshape(3, 2), wrt=["x"])
    case("reshape/infer_neg1", "reshape(x, [2, -1])", X232, lambda d: d.x.reshape(2, -1), wrt=["x"])
    case("reshape/method_to_1d", "x.reshape([6])", X23, lambda d: d.x.reshape(6), wrt=["x"])
    case("reshape/to_0d", "reshape(x, [])", lambda: {"x": N(1, 1)},
         lambda d: d.x.reshape(()), wrt=["x"])
    case("transpose/2d_no_axes", "transpose(x)", X23, lambda d: d.x.t(), wrt=["x"])
    case("transpose/3d_no_axes_reverses", "transpose(x)", lambda: {"x": N(2, 3, 4)},
         lambda d: d.x.permute(2, 1, 0), wrt=["x"])
    case("transpose/swap_0_2", "transpose(x, 0, 2)", lambda: {"x": N(2, 3, 4)},
         lambda d: d.x.transpose(0, 2), wrt=["x"])
    case("transpose/swap_neg", "transpose(x, -1, -2)", lambda: {"x": N(2, 3, 4)},
         lambda d: d.x.transpose(-1, -2), wrt=["x"])
    case("T/2d", "x.T", X23, lambda d: d.x.t(), wrt=["x"])
    case("T/3d_reverses", "x.T", lambda: {"x": N(2, 3, 4)},
         lambda d: d.x.permute(2, 1, 0), wrt=["x"])
    case("permute/1_0_2", "permute(x, [1, 0, 2])", lambda: {"x": N(2, 3, 4)},
         lambda d: d.x.permute(1, 0, 2), wrt=["x"])
    case("permute/2_0_1", "permute(x, [2, 0, 1])", lambda: {"x": N(2, 3, 4)},
         lambda d: d.x.permute(2, 0, 1), wrt=["x"])
    case("expand/1x3_to_2x3", "expand(x, [2, 3])", lambda: {"x": N(1, 3)},
         lambda d: d.x.expand(2, 3), wrt=["x"])
    case("expand/3_to_4x3_new_axis", "expand(x, [4, 3])", lambda: {"x": N(3)},
         lambda d: d.x.expand(4, 3), wrt=["x"])
    case("expand/3x1_to_2x3x4", "expand(x, [2, 3, 4])", lambda: {"x": N(3, 1)},
         lambda d: d.x.expand(2, 3, 4), wrt=["x"])
    case("squeeze/axis_1", "squeeze(x, axis=1)", lambda: {"x": N(2, 1, 3)},
         lambda d: d.x.squeeze(1), wrt=["x"])
    case("squeeze/all", "squeeze(x)", lambda: {"x": N(1, 3, 1)},
         lambda d: d.x.squeeze(), wrt=["x"])
    case("unsqueeze/0", "unsqueeze(x, 0)", X23, lambda d: d.x.unsqueeze(0), wrt=["x"])
    case("unsqueeze/1", "unsqueeze(x, 1)", X23, lambda d: d.x.unsqueeze(1), wrt=["x"])
    case("unsqueeze/neg1", "unsqueeze(x, -1)", X23, lambda d: d.x.unsqueeze(-1), wrt=["x"])
    case("concat/axis_0_unequal", "concat([a, b], axis=0)", lambda: {"a": N(2, 3), "b": N(1, 3)},
         lambda d: torch.cat([d.a, d.b], 0), wrt=["a", "b"])
    case("concat/axis_1_unequal", "concat([a, b], axis=1)", lambda: {"a": N(2, 3), "b": N(2, 2)},
         lambda d: torch.cat([d.a, d.b], 1), wrt=["a", "b"])
    # Equal shapes: `[a, b]` is a tensor literal (LANGUAGE.md); concat must still treat
    # it as the sequence of its items along the first axis.
    case("concat/axis_0_equal_shapes", "concat([a, b], axis=0)", lambda: {"a": N(2, 3), "b": N(2, 3)},
         lambda d: torch.cat([d.a, d.b], 0), wrt=["a", "b"])
    case("concat/axis_neg1_repeated", "concat([a, b, a], axis=-1)", lambda: {"a": N(2, 2), "b": N(2, 3)},
         lambda d: torch.cat([d.a, d.b, d.a], -1), wrt=["a", "b"])
    case("stack/default_axis_0", "stack([a, b])", lambda: {"a": N(2, 3), "b": N(2, 3)},
         lambda d: torch.stack([d.a, d.b], 0), wrt=["a", "b"])
    case("stack/axis_1", "stack([a, b], axis=1)", lambda: {"a": N(2, 3), "b": N(2, 3)},
         lambda d: torch.stack([d.a, d.b], 1), wrt=["a", "b"])
    case("stack/axis_neg1_three", "stack([a, b, a], axis=-1)", lambda: {"a": N(2, 3), "b": N(2, 3)},
         lambda d: torch.stack([d.a, d.b, d.a], -1), wrt=["a", "b"])
    case("flatten", "flatten(x)", X232, lambda d: d.x.flatten(), wrt=["x"])
    case("one_hot", "one_hot(t, 4)", {"t": T([0.0, 3.0, 1.0, 1.0, 2.0])},
         lambda d: F.one_hot(d.t.long(), 4).to(d.dt))
    case("one_hot/2d_times_x", "one_hot(t, 4) * x",
         lambda: {"t": Idx(2, 3, n=4), "x": N(2, 3, 4)},
         lambda d: F.one_hot(d.t.long(), 4).to(d.dt) * d.x, wrt=["x"])
    case("shape", "shape(x)", X232, lambda d: torch.tensor(list(d.x.shape)), check_dtype=False)
    case("ndim", "ndim(x)", X232, lambda d: torch.tensor(d.x.dim()), check_dtype=False)
    case("numel", "numel(x)", X232, lambda d: torch.tensor(d.x.numel()), check_dtype=False)


# --------------------------------------------------------------------------------------
# Linear algebra, softmax.

def linalg():
    case("matmul/2d", "a @ b", lambda: {"a": N(2, 3), "b": N(3, 4)},
         lambda d: d.a @ d.b, wrt=["a", "b"])
    case("matmul/function_form", "matmul(a, b)", lambda: {"a": N(2, 3), "b": N(3, 4)},
         lambda d: torch.matmul(d.a, d.b), wrt=["a", "b"])
    case("matmul/square_second", "x @ x", lambda: {"x": N(3, 3)},
         lambda d: d.x @ d.x, wrt=["x"], second=["x"])
    case("matmul/product_second", "(a @ b) * (a @ b)", lambda: {"a": N(2, 3), "b": N(3, 2)},
         lambda d: (d.a @ d.b) * (d.a @ d.b), wrt=["a", "b"], second=["a", "b"])
    case("matmul/batched_3d", "a @ b", lambda: {"a": N(2, 2, 3), "b": N(2, 3, 4)},
         lambda d: d.a @ d.b, wrt=["a", "b"])
    case("matmul/batched_broadcast_3d_2d", "a @ b", lambda: {"a": N(2, 2, 3), "b": N(3, 4)},
         lambda d: d.a @ d.b, wrt=["a", "b"])
    case("matmul/1d_2d", "v @ m", lambda: {"v": N(3), "m": N(3, 4)},
         lambda d: d.v @ d.m, wrt=["v", "m"])
    case("matmul/2d_1d", "m @ v", lambda: {"m": N(2, 3), "v": N(3)},
         lambda d: d.m @ d.v, wrt=["m", "v"])
    case("matmul/1d_1d_dot", "u @ v", lambda: {"u": N(3), "v": N(3)},
         lambda d: d.u @ d.v, wrt=["u", "v"])

    XS = lambda: {"x": N(2, 4, scale=2.0)}
    X3 = lambda: {"x": N(2, 3, 2, scale=2.0)}
    big = {"x": T([[1000.0, 999.0, 998.5], [-1000.0, -1001.0, -999.5]])}
    case("softmax/default_axis", "softmax(x)", XS, lambda d: torch.softmax(d.x, -1),
         wrt=["x"], second=["x"])
    case("softmax/axis_0", "softmax(x, axis=0)", XS, lambda d: torch.softmax(d.x, 0),
         wrt=["x"], second=["x"])
    case("softmax/3d_axis_1", "softmax(x, axis=1)", X3, lambda d: torch.softmax(d.x, 1),
         wrt=["x"])
    case("softmax/large_values_stable", "softmax(x, axis=-1)", big,
         lambda d: torch.softmax(d.x, -1), wrt=["x"])
    case("log_softmax/default_axis", "log_softmax(x)", XS, lambda d: torch.log_softmax(d.x, -1),
         wrt=["x"], second=["x"])
    case("log_softmax/axis_0", "log_softmax(x, axis=0)", XS, lambda d: torch.log_softmax(d.x, 0),
         wrt=["x"], second=["x"])
    case("log_softmax/3d_axis_1", "log_softmax(x, axis=1)", X3,
         lambda d: torch.log_softmax(d.x, 1), wrt=["x"])
    case("log_softmax/large_values_stable", "log_softmax(x, axis=-1)", big,
         lambda d: torch.log_softmax(d.x, -1), wrt=["x"])


# --------------------------------------------------------------------------------------
# Indexing (NumPy semantics; differentiable: the gradient scatters back).

def indexing():
    X45 = lambda: {"x": N(4, 5)}
    X345 = lambda: {"x": N(3, 4, 5)}
    c = lambda name, src, inp, fn, **kw: case(name, src, inp, fn, wrt=["x"], **kw)
    c("index/int_0", "x[0]", X45, lambda d: d.x[0])
    c("index/neg_1", "x[-1]", X45, lambda d: d.x[-1])
    c("index/two_ints_0d", "x[1, 2]", X45, lambda d: d.x[1, 2])
    c("index/two_ints_negative", "x[-1, -2]", X45, lambda d: d.x[-1, -2])
    c("index/colon_1", "x[:, 1]", X45, lambda d: d.x[:, 1])
    c("index/colon_neg1", "x[:, -1]", X45, lambda d: d.x[:, -1])
    c("index/slice_1_3", "x[1:3]", X45, lambda d: d.x[1:3])
    c("index/slice_step_2", "x[::2]", X45, lambda d: d.x[::2])
    c("index/slice_negative_bounds", "x[-3:-1]", X45, lambda d: d.x[-3:-1])
    c("index/slice_open_end_neg", "x[-2:]", X45, lambda d: d.x[-2:])
    c("index/slice_clamped", "x[2:100]", X45, lambda d: d.x[2:100])
    c("index/slice_with_step_axis1", "x[:, 1:5:2]", X45, lambda d: d.x[:, 1:5:2])
    c("index/slice_negative_step", "x[::-1]", X45, lambda d: d.x.flip(0))
    c("index/ellipsis_neg1", "x[..., -1]", X345, lambda d: d.x[..., -1])
    c("index/ellipsis_middle", "x[0, ..., 1:3]", X345, lambda d: d.x[0, ..., 1:3])
    c("index/int_and_slice", "x[1, 1:3]", X345, lambda d: d.x[1, 1:3])
    c("index/advanced_rows_arange_t", "x[arange(3), t]",
      lambda: {"x": N(3, 5), "t": T([4.0, 0.0, 2.0])},
      lambda d: d.x[torch.arange(3), d.t.long()])
    c("index/advanced_repeated_rows", "x[t]",
      lambda: {"x": N(4, 3), "t": T([2.0, 0.0, 2.0, 3.0, 2.0])},
      lambda d: d.x[d.t.long()])
    c("index/advanced_columns", "x[:, t]",
      lambda: {"x": N(3, 4), "t": T([3.0, 1.0, 1.0])},
      lambda d: d.x[:, d.t.long()])
    c("index/advanced_negative_indices", "x[t]",
      lambda: {"x": N(4), "t": T([-1.0, 0.0, -4.0])},
      lambda d: d.x[d.t.long()])


# --------------------------------------------------------------------------------------
# Prelude losses.

def focal_ref(x, t, alpha=0.25, gamma=2.0, reduction="none"):
    """torchvision.ops.sigmoid_focal_loss, verbatim."""
    p = torch.sigmoid(x)
    ce_loss = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    p_t = p * t + (1 - p) * (1 - t)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * t + (1 - alpha) * (1 - t)
        loss = alpha_t * loss
    if reduction == "mean":
        loss = loss.mean()
    elif reduction == "sum":
        loss = loss.sum()
    return loss


def losses():
    XY = lambda: {"x": N(3, 4), "y": N(3, 4)}
    XYW = lambda: {"x": N(3, 4), "y": N(3, 4), "w": Pos(3, 4)}
    for red in ["mean", "sum", "none"]:
        arg = "" if red == "mean" else f', reduction="{red}"'
        case(f"mse_loss/{red}", f"mse_loss(x, y{arg})", XY,
             lambda d, red=red: F.mse_loss(d.x, d.y, reduction=red), wrt=["x", "y"],
             second=["x", "y"] if red == "mean" else [])
    for red in ["mean", "sum"]:
        case(f"mse_loss/weight_{red}", f'mse_loss(x, y, reduction="{red}", weight=w)', XYW,
             lambda d, red=red: F.mse_loss(d.x, d.y, reduction=red, weight=d.w),
             wrt=["x", "y", "w"])
    case("mse/alias", "mse(x, y)", XY, lambda d: F.mse_loss(d.x, d.y), wrt=["x", "y"])

    def l1_inputs(w=False):
        def f():
            x = N(3, 4)
            r = {"x": x, "y": x + Away(3, 4, lo=0.1, hi=1.5)}
            if w:
                r["w"] = Pos(3, 4)
            return r
        return f
    for red in ["mean", "sum", "none"]:
        arg = "" if red == "mean" else f', reduction="{red}"'
        case(f"l1_loss/{red}", f"l1_loss(x, y{arg})", l1_inputs(),
             lambda d, red=red: F.l1_loss(d.x, d.y, reduction=red), wrt=["x", "y"])
    for red in ["mean", "sum"]:
        case(f"l1_loss/weight_{red}", f'l1_loss(x, y, reduction="{red}", weight=w)', l1_inputs(True),
             lambda d, red=red: F.l1_loss(d.x, d.y, reduction=red, weight=d.w),
             wrt=["x", "y", "w"])

    bce = F.binary_cross_entropy_with_logits
    XT = lambda: {"x": N(3, 4, scale=2.0), "t": U(3, 4, lo=0.0, hi=1.0)}
    for red in ["mean", "sum", "none"]:
        arg = "" if red == "mean" else f', reduction="{red}"'
        case(f"binary_cross_entropy_with_logits/{red}",
             f"binary_cross_entropy_with_logits(x, t{arg})", XT,
             lambda d, red=red: bce(d.x, d.t, reduction=red), wrt=["x", "t"],
             second=["x"] if red == "mean" else [])
    case("binary_cross_entropy_with_logits/weight",
         "binary_cross_entropy_with_logits(x, t, weight=w)",
         lambda: {"x": N(3, 4), "t": Bin(3, 4), "w": Pos(4)},
         lambda d: bce(d.x, d.t, weight=d.w), wrt=["x"])
    case("binary_cross_entropy_with_logits/pos_weight",
         "binary_cross_entropy_with_logits(x, t, pos_weight=pw)",
         lambda: {"x": N(3, 4), "t": U(3, 4, lo=0, hi=1), "pw": Pos(4, lo=0.5, hi=3.0)},
         lambda d: bce(d.x, d.t, pos_weight=d.pw), wrt=["x", "t"])
    case("binary_cross_entropy_with_logits/weight_pos_weight_sum",
         'binary_cross_entropy_with_logits(x, t, weight=w, reduction="sum", pos_weight=pw)',
         lambda: {"x": N(3, 4), "t": Bin(3, 4), "w": Pos(3, 4), "pw": Pos(4, lo=0.5, hi=3.0)},
         lambda d: bce(d.x, d.t, weight=d.w, reduction="sum", pos_weight=d.pw),
         wrt=["x"])
    case("binary_cross_entropy_with_logits/large_logits_stable",
         'binary_cross_entropy_with_logits(x, t, reduction="none")',
         {"x": T([-100.0, -30.0, 30.0, 100.0, 0.0, 5.0]), "t": T([1.0, 0.0, 1.0, 0.0, 1.0, 0.25])},
         lambda d: bce(d.x, d.t, reduction="none"), wrt=["x"])
    case("bce_with_logits/alias", "bce_with_logits(x, t)", XT,
         lambda d: bce(d.x, d.t), wrt=["x"])

    CE = lambda: {"x": N(4, 5, scale=2.0), "t": Idx(4, n=5)}
    for red in ["mean", "sum", "none"]:
        arg = "" if red == "mean" else f', reduction="{red}"'
        case(f"cross_entropy/index_{red}", f"cross_entropy(x, t{arg})", CE,
             lambda d, red=red: F.cross_entropy(d.x, d.t.long(), reduction=red), wrt=["x"],
             second=["x"] if red in ("mean", "none") else [])
    for red in ["mean", "sum", "none"]:
        case(f"cross_entropy/index_weight_{red}", f'cross_entropy(x, t, weight=w, reduction="{red}")',
             lambda: {"x": N(4, 5), "t": T([0.0, 3.0, 3.0, 1.0]), "w": Pos(5)},
             lambda d, red=red: F.cross_entropy(d.x, d.t.long(), weight=d.w, reduction=red),
             wrt=["x"], second=["x"] if red == "mean" else [])
    for red in ["mean", "sum", "none"]:
        case(f"cross_entropy/ignore_index_{red}", f'cross_entropy(x, t, ignore_index=1, reduction="{red}")',
             lambda: {"x": N(4, 5), "t": T([1.0, 3.0, 1.0, 0.0])},
             lambda d, red=red: F.cross_entropy(d.x, d.t.long(), ignore_index=1, reduction=red),
             wrt=["x"])
    case("cross_entropy/default_ignore_index_-100", "cross_entropy(x, t)",
         lambda: {"x": N(4, 5), "t": T([2.0, -100.0, 4.0, 0.0])},
         lambda d: F.cross_entropy(d.x, d.t.long()), wrt=["x"])
    case("cross_entropy/weight_and_ignore_index_mean", "cross_entropy(x, t, weight=w, ignore_index=2)",
         lambda: {"x": N(5, 4), "t": T([2.0, 3.0, 0.0, 2.0, 3.0]), "w": Pos(4)},
         lambda d: F.cross_entropy(d.x, d.t.long(), weight=d.w, ignore_index=2),
         wrt=["x"])
    case("cross_entropy/kdim_input_NCd", "cross_entropy(x, t)",
         lambda: {"x": N(2, 3, 4), "t": Idx(2, 4, n=3)},
         lambda d: F.cross_entropy(d.x, d.t.long()), wrt=["x"], second=["x"])
    case("ce/alias_sum", 'ce(x, t, reduction="sum")', CE,
         lambda d: F.cross_entropy(d.x, d.t.long(), reduction="sum"), wrt=["x"])

    FX = lambda: {"x": U(3, 4, lo=-3, hi=3), "t": Bin(3, 4)}
    for red in ["none", "mean", "sum"]:
        arg = "" if red == "none" else f', reduction="{red}"'
        case(f"sigmoid_focal_loss/{red}", f"sigmoid_focal_loss(x, t{arg})", FX,
             lambda d, red=red: focal_ref(d.x, d.t, reduction=red), wrt=["x"],
             second=["x"])
    case("sigmoid_focal_loss/alpha_gamma_mean", 'sigmoid_focal_loss(x, t, alpha=0.5, gamma=1.5, reduction="mean")',
         FX, lambda d: focal_ref(d.x, d.t, alpha=0.5, gamma=1.5, reduction="mean"),
         wrt=["x"], second=["x"])
    case("sigmoid_focal_loss/alpha_disabled_sum", 'sigmoid_focal_loss(x, t, alpha=-1, reduction="sum")',
         FX, lambda d: focal_ref(d.x, d.t, alpha=-1, reduction="sum"), wrt=["x"])
    case("sigmoid_focal_loss/soft_targets_wrt_t", 'sigmoid_focal_loss(x, t, reduction="mean")',
         lambda: {"x": U(3, 4, lo=-3, hi=3), "t": U(3, 4, lo=0.05, hi=0.95)},
         lambda d: focal_ref(d.x, d.t, reduction="mean"), wrt=["x", "t"])

    # The design-card example.
    case("design_card/focal_expression", "mean(0.25 * (1-pt)^2 * -log(pt))",
         {"pt": T([0.9, 0.2, 0.6])},
         lambda d: torch.mean(0.25 * (1 - d.pt) ** 2 * -torch.log(d.pt)), wrt=["pt"],
         second=["pt"])


def main():
    creation()
    elementwise()
    operators()
    reductions()
    shapes()
    linalg()
    indexing()
    losses()
    write("Tests/LossLangTests/Fixtures/builtins.json")


if __name__ == "__main__":
    main()
