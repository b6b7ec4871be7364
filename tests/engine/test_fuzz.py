"""Fuzzing: random expression graphs over the op list, with random (valid AND invalid) shapes.

Each example starts from a float64 leaf and applies 1-5 random ops; operands, axes, shapes and
indices are drawn at random, so many ops do not fit. Every op must then either

* work, giving finite values (inputs are kept in each op's domain: log, sqrt and pow see
  x² + ½, division divides by y² + ½, exp sees 3·tanh x), in which case the whole graph is
  checked against central finite differences with ``minigan.gradcheck``; or
* raise one of minigan's documented errors: a ValueError, TypeError or RuntimeError whose message
  names the op; an IndexError only as minigan's ``IndexOutOfRange`` (also a ValueError), never
  NumPy's own IndexError/AxisError, nor a KeyError, AttributeError, ZeroDivisionError, ...

A failing op is dropped and the next one is drawn, so one example probes several mistakes and
still ends with a gradient check of everything that worked.
"""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

import minigan
import minigan.functional as F
from minigan.engine.backend import np
from minigan.engine.errors import MiniganError

UNARY = ["neg", "exp", "log", "abs", "sqrt", "sigmoid", "tanh", "relu", "leaky_relu"]
BINARY = ["add", "sub", "mul", "div", "pow", "matmul", "cat"]
REDUCE = ["sum", "mean", "max", "logsumexp", "softmax", "log_softmax"]
SHAPE = ["reshape", "transpose", "getitem", "pad"]
OPS = UNARY + BINARY + REDUCE + SHAPE
MAX_ELEMENTS = 256  # keep the gradient check cheap: drop an op whose result grows past this


def positive(t):
    """x² + ½: the domain of log, sqrt, a pow base and a divisor (≥ ½, so derivatives stay tame)."""
    return t * t + 0.5


UNARY_FN = {
    "neg": lambda v: -v,
    "exp": lambda v: (F.tanh(v) * 3.0).exp(),
    "log": lambda v: positive(v).log(),
    "abs": lambda v: v.abs(),
    "sqrt": lambda v: positive(v).sqrt(),
    "sigmoid": lambda v: F.sigmoid(v),
    "tanh": lambda v: v.tanh(),
    "relu": lambda v: F.relu(v),
    "leaky_relu": lambda v: F.leaky_relu(v, 0.1),
}


# ----------------------------------------------------------------------------- drawing one op
shapes = st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple)


def _axis(draw, ndim):
    """An axis that is usually valid and sometimes out of range."""
    return draw(st.integers(-ndim - 1, ndim))


def _other_shape(draw, shape):
    """A second operand's shape: the same, broadcastable (a suffix, some axes 1), transposed, or random."""
    kind = draw(st.sampled_from(["same", "broadcast", "swap", "random"]))
    if kind == "same":
        return shape
    if kind == "broadcast":
        suffix = shape[draw(st.integers(0, len(shape))):]
        return tuple(1 if draw(st.booleans()) else n for n in suffix)
    if kind == "swap":
        return shape[:-2] + shape[-2:][::-1] if len(shape) >= 2 else shape + (draw(st.integers(1, 3)),)
    return draw(shapes)


def draw_op(draw, v, rng, leaves):
    """(message name of the op, step(v, leaves) -> Tensor); may add a new leaf to ``leaves``."""
    name = draw(st.sampled_from(OPS))
    shape, ndim = tuple(v.shape), v.ndim

    def new_leaf(leaf_shape):
        leaves.append(minigan.tensor(rng.standard_normal(leaf_shape), requires_grad=True))
        return len(leaves) - 1

    if name in UNARY:
        return name, lambda v, L, f=UNARY_FN[name]: f(v)

    if name in BINARY:
        operand = "self" if draw(st.integers(0, 4)) == 0 else "leaf"
        if operand == "self":
            j = None
        elif name == "matmul":
            j = new_leaf(draw(st.one_of(shapes, st.just(shape[::-1]), st.just(shape[-1:] + (2,)))))
        else:
            j = new_leaf(_other_shape(draw, shape))

        def other(v, L, j=j):
            return v if j is None else L[j]

        if name == "cat":
            axis = _axis(draw, ndim)
            return "cat", lambda v, L: minigan.cat([v, other(v, L)], axis=axis)
        if name == "div":
            return "div", lambda v, L: v / positive(other(v, L))
        if name == "pow":
            if draw(st.booleans()):
                exponent = draw(st.sampled_from([2, 3, 0.5, -1.0, 1.5]))
                return "pow", lambda v, L: positive(v) ** exponent
            return "pow", lambda v, L: positive(v) ** F.tanh(other(v, L))
        op = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
              "matmul": lambda a, b: a @ b}[name]
        return name, lambda v, L: op(v, other(v, L))

    if name in ("sum", "mean", "max", "logsumexp"):
        kind = draw(st.sampled_from(["none", "int", "tuple"]))
        axis = None if kind == "none" else _axis(draw, ndim) if kind == "int" else (
            _axis(draw, ndim), _axis(draw, ndim))
        keepdims = draw(st.booleans())
        return name, lambda v, L: getattr(v, name)(axis=axis, keepdims=keepdims)
    if name in ("softmax", "log_softmax"):
        axis = _axis(draw, ndim)
        return name, lambda v, L: getattr(F, name)(v, axis=axis)

    if name == "reshape":
        size = int(np.prod(shape))
        new = draw(st.one_of(st.just((-1,)), st.just((size,)), st.just((1, size)), st.just((size, -1)),
                             st.just((-1, -1)), shapes, st.lists(st.integers(-2, 4), max_size=3).map(tuple)))
        return "reshape", lambda v, L: v.reshape(*new) if new else v.reshape(())
    if name == "transpose":
        if draw(st.booleans()):
            return "transpose", lambda v, L: v.transpose()
        if draw(st.booleans()):
            axes = tuple(draw(st.permutations(range(ndim))))
        else:
            axes = tuple(draw(st.lists(st.integers(-ndim - 1, ndim), min_size=max(ndim - 1, 0), max_size=ndim + 1)))
        return "transpose", lambda v, L: v.transpose(*axes)
    if name == "getitem":
        n = shape[0] if ndim else 1
        kind = draw(st.sampled_from(["int", "slice", "array", "tuple", "ellipsis"]))
        if kind == "int":
            index = draw(st.integers(-n - 1, n))
        elif kind == "slice":
            index = slice(draw(st.integers(-n, n)), draw(st.integers(-n, n + 1)))
        elif kind == "array":
            index = np.asarray(draw(st.lists(st.integers(-n - 1, n), min_size=1, max_size=5)))
        elif kind == "tuple":
            index = (slice(None), draw(st.integers(-3, 3)))
        else:
            index = (Ellipsis, draw(st.integers(-3, 3)))
        return "getitem", lambda v, L: v[index]
    # pad
    if draw(st.booleans()):
        width = draw(st.integers(-1, 2))
    else:
        width = tuple((draw(st.integers(-1, 2)), draw(st.integers(0, 2))) for _ in range(draw(st.integers(0, 4))))
    return "pad", lambda v, L: F.pad(v, width)


def _check_error(err, name):
    assert isinstance(err, (ValueError, TypeError, RuntimeError)), f"{name}: undocumented {type(err).__name__}: {err}"
    if isinstance(err, (IndexError, KeyError, AttributeError)):  # e.g. numpy's AxisError is also an IndexError
        assert isinstance(err, MiniganError), f"{name}: raw {type(err).__name__} escaped: {err}"
    assert re.search(rf"\b{name}\b", str(err)), f"the message does not name {name!r}: {err}"


# ----------------------------------------------------------------------------- the test
@settings(max_examples=100)
@given(data=st.data(), seed=st.integers(0, 2**32 - 1), shape=shapes, n_ops=st.integers(1, 5))
def test_random_graphs_match_finite_differences_or_raise_documented_errors(data, seed, shape, n_ops):
    rng = np.random.default_rng(seed)
    leaves = [minigan.tensor(rng.standard_normal(shape), requires_grad=True)]
    program, v = [], leaves[0]
    for _ in range(n_ops):
        name, step = draw_op(data.draw, v, rng, leaves)
        try:
            out = step(v, leaves)
        except Exception as err:  # noqa: BLE001 - exactly what we are checking
            _check_error(err, name)
            continue
        assert isinstance(out, minigan.Tensor) and out.dtype == np.float64, (name, out)
        assert np.isfinite(out.array).all(), f"{name} gave non-finite values from in-domain inputs"
        if out.numel() == 0 or out.numel() > MAX_ELEMENTS:  # an empty slice, or too big to check cheaply
            continue
        if np.abs(out.array).max() > 1e4:  # e.g. exp(x)**3: float64 central differences drown in rounding
            continue
        program.append((name, step))
        v = out
    weights = rng.standard_normal(v.shape)

    def fn(*ls):
        t = ls[0]
        for _, step in program:
            t = step(t, ls)
        return (t * weights).sum()  # a random linear functional of the output: one backward

    assert minigan.gradcheck(fn, leaves, eps=1e-6, atol=1e-5, rtol=1e-3), [n for n, _ in program]
