"""The doors' usual-call shortcuts against PyTorch (tests/pytorch/sweep.py): calls drawn on and just off the boundary
of each door's "usual call" test (pow, Tensor.mean, Tensor.sum, the in-place overlap refusals, the pointwise layout,
@, F.linear, F.mse_loss, F.binary_cross_entropy_with_logits, F.relu, F.leaky_relu, F.conv2d, F.batch_norm).

Each case builds its tensors alike in both libraries from one seeded NumPy draw and compares what a program sees:
the result (bit for bit, or within a tolerance where the kernels sum in another order), its dtype, shape, the strides
of its dimensions of more than one entry, ``is_contiguous``, its ``grad_fn``'s name, which tensors require grad, the
gradients of the leaves to the second order (float64), the version counters of what a call writes, and the refusals
(their class).  Drawn with a fixed seed; the default run keeps a slice of each door's cases, ``-m parity`` all.

Every case gave the same outcome here as through the full doors before the shortcuts (the tree at 0fe86bc8, case by
case: values' bytes, strides, nodes, gradients, counters, refusals).  The cases where minigan and PyTorch differed
there already, and still do, are named by each door's ``known`` with what differs and left out (docs/pytorch.md,
"Differences the usual-call sweep left out", lists them): differences of the full doors, not of the shortcuts.
"""

import itertools
import warnings

import numpy as np
import pytest

from pytorch.sweep import bits, close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

FLOATS = ("float16", "float32", "float64")
LEFT = "left out"  # (an argument not given)


def _values(shape, dtype, seed, low=0.25, signed=True):
    """Values of ``shape`` drawn from ``seed``: away from 0 (one exact 0 where there are several), some negative."""
    rng = np.random.default_rng(seed)
    v = rng.uniform(low, 2.0, shape) * (np.where(rng.random(shape) < 0.3, -1, 1) if signed else 1)
    if v.size > 2:
        v.flat[1] = 0.0
    if dtype == "bool":
        return v > 0
    return v.astype(dtype) if dtype in FLOATS else np.rint(v * 2).astype(dtype)


def _make(lib, shape, dtype, layout="c", seed=0, rg=False, **kw):
    """A tensor of ``shape`` laid out as ``layout``: c (row-major), t (its last two dimensions swapped), s (every
    other entry of its last dimension), cl (channels last, 4-D), x (expanded along its first dimension)."""
    shape = tuple(shape)
    if layout == "t" and len(shape) >= 2:
        a = _values(shape[:-2] + shape[:-3:-1], dtype, seed, **kw)
        t = lib.tensor(a).transpose(-1, -2)
    elif layout == "s" and len(shape) >= 1:
        a = _values(shape[:-1] + (2 * shape[-1],), dtype, seed, **kw)
        t = lib.tensor(a)[..., ::2]
    elif layout == "cl" and len(shape) == 4:
        a = _values((shape[0], shape[2], shape[3], shape[1]), dtype, seed, **kw)
        t = lib.tensor(a).permute(0, 3, 1, 2)
    elif layout == "x" and len(shape) >= 1:
        t = lib.tensor(_values((1,) + shape[1:], dtype, seed, **kw)).expand(*shape)
    else:
        t = lib.tensor(_values(shape, dtype, seed, **kw))
    if rg:
        t = t.detach().requires_grad_(True) if t.is_leaf else t.requires_grad_(True)
    return t


def _strides(t):
    return tuple(s for s, n in zip(t.stride(), t.shape) if n > 1)


def _name(t):
    return None if t.grad_fn is None else t.grad_fn.name()


def _seen(lib, out, leaves, rtol=0.0):
    """What a program sees of ``out``, a tensor computed from ``leaves``: values, layout, node, and its gradients to
    the leaves at the first and (float64) the second order."""
    value = bits(out) if not rtol else close(out, rtol, rtol)
    seen = [value, _strides(out), out.is_contiguous(), _name(out), out.requires_grad]
    wanted = [t for t in leaves if isinstance(t, lib.Tensor) and t.requires_grad]
    if out.requires_grad and wanted:
        up = lib.tensor(_values(tuple(out.shape), str(out.dtype).split(".")[-1], 99, signed=True))
        grads = lib.autograd.grad((out * up).sum(), wanted, create_graph=True, allow_unused=True)
        seen.append([None if g is None else (close(g, rtol, rtol) if rtol else bits(g), g.requires_grad)
                     for g in grads])
        live = [g for g in grads if g is not None and g.requires_grad]
        if live and out.dtype == lib.float64:
            second = lib.autograd.grad(sum((g * g).sum() for g in live), wanted, allow_unused=True)
            seen.append([None if g is None else close(g, 1e-12, 1e-12) for g in second])
    return tuple(seen)


def _marked(cases, known):
    """``cases`` less the ones ``known(*case)`` names: a difference from PyTorch the full door had already (listed in
    docs/pytorch.md), which a comparison here could not hold; every case kept must agree."""
    return [c for c in cases if not known(*c)]


def _quiet(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return out, sorted({type(w.message).__name__ for w in caught if not issubclass(w.category, RuntimeWarning)})


# ------------------------------------------------------------------------------------------------------------- pow
POW_EXPONENTS = (0, 0.5, 1, 2, 3, -1, -2, -0.5, 4, 1.5, 2.5, -3, 0.0, 2.0, 2 ** 70, True, False, np.float32(2.0),
                 np.int64(2), "tensor", "tensor 0-d", "tensor float64")


def _pow(lib, dtype, shape, layout, exponent, rg, form, grad_mode):
    x = _make(lib, shape, dtype, layout, seed=1, rg=rg, low=0.5)
    if isinstance(exponent, str):
        e = _make(lib, () if "0-d" in exponent else shape, "float64" if "64" in exponent else dtype, seed=2,
                  rg=rg and dtype != "float16", low=0.5)
    else:
        e = exponent
    with (torch.enable_grad if grad_mode else torch.no_grad)() if lib is torch else \
            (lib.enable_grad if grad_mode else lib.no_grad)():
        if form == "**":
            out, caught = _quiet(lambda: x ** e)
        elif form == "pow":
            out, caught = _quiet(lambda: lib.pow(x, e))
        elif form == "pow_ leaf":  # (a leaf that requires grad refuses, under grad mode)
            out, caught = _quiet(lambda: x.pow_(e))
        elif form == "pow_ itself":  # (the exponent is the place)
            y = x.clone()
            out, caught = _quiet(lambda: y.pow_(y))
            caught.append(y._version)
        else:
            y = x.clone()
            out, caught = _quiet(lambda: y.pow_(e))
            caught.append(y._version)
    return _seen(lib, out, [x, e]) + (tuple(caught),)


def _pow_cases():
    for dtype, exponent in itertools.product(FLOATS + ("int64", "bool"), POW_EXPONENTS):
        for shape, layout, rg, form, grad_mode in [((2, 3), "c", dtype == "float64", "**", True),
                                                   ((3, 2), "t", dtype in FLOATS, "pow", True),
                                                   ((), "c", dtype == "float64", "pow", True),
                                                   ((0, 2), "c", False, "pow_", True),
                                                   ((2, 3), "s", dtype in FLOATS, "**", False),
                                                   ((2, 3), "c", False, "pow_", True),
                                                   ((2, 3), "c", dtype in FLOATS, "pow_ leaf", True),
                                                   ((2, 3), "c", dtype in FLOATS, "pow_ leaf", False),
                                                   ((2, 3), "t", False, "pow_ itself", True)]:
            yield dtype, shape, layout, exponent, rg, form, grad_mode


def _pow_known(dtype, shape, layout, exponent, rg, form, grad_mode):
    if type(exponent) is int and exponent == 2 ** 70 and dtype in FLOATS:
        return "an int exponent beyond 64 bits: PyTorch raises OverflowError, minigan computes"
    if form == "pow_" and (shape == (0, 2) or dtype not in FLOATS):
        return "pow_'s version counter: PyTorch's stays at 0 on an empty tensor and where its int result refuses"
    if exponent is False or isinstance(exponent, str) and dtype == "float16":
        return "x ** False's gradients, a float16 tensor exponent's node (PowBackward1)"
    if dtype in ("float16", "float32") and exponent in (0.5, -0.5, 1.5) or isinstance(exponent, str) and rg:
        return "float16/float32 powers at 0.5, -0.5 (and 1.5's gradient), a tensor exponent's gradients, to the bit"
    return None


test_pow = sweep(_pow, _marked(_pow_cases(), _pow_known))


# ------------------------------------------------------------------------------------------------------------ mean
def _mean(lib, dtype, shape, layout, dim, keepdim, rg, form):
    x = _make(lib, shape, dtype, layout, seed=3, rg=rg)
    kw = {k: v for k, v in (("dim", dim), ("keepdim", keepdim)) if v != LEFT}
    if form == "function":
        out, caught = _quiet(lambda: lib.mean(x, **kw))
    elif form == "positional":
        out, caught = _quiet(lambda: x.mean(*kw.values()))
    else:
        out, caught = _quiet(lambda: x.mean(**kw))
    return _seen(lib, out, [x], rtol=1e-3 if dtype == "float16" else 1e-6) + (tuple(caught),)


def _mean_cases():
    dims = (LEFT, 0, 1, -1, -3, 3, None, (0, 1), np.int64(0), True)
    for dtype, dim, keepdim in itertools.product(FLOATS + ("int64",), dims, (LEFT, True, False, None, 1)):
        for shape, layout, rg, form in [((2, 3), "c", dtype == "float64", "method"), ((4, 3), "t", True, "positional"),
                                        ((2, 1, 3), "c", False, "function"), ((), "c", dtype == "float64", "method"),
                                        ((2, 0), "c", False, "method"), ((2, 3, 2), "s", False, "positional")]:
            rg = rg and dtype in FLOATS
            if not (form == "positional" and dim == LEFT and keepdim != LEFT):
                yield dtype, shape, layout, dim, keepdim, rg, form


def _mean_known(dtype, shape, layout, dim, keepdim, rg, form):
    if keepdim is None or type(keepdim) is int:
        return "keepdim None or 1: PyTorch's argument parser wants a bool (TypeError), minigan reads it as one"
    if rg and (dim is None or shape == ()):
        return "mean(dim=None) and a 0-d tensor's mean(dim): PyTorch's node is MeanBackward1"
    return None


test_mean = sweep(_mean, _marked(_mean_cases(), _mean_known))


# ------------------------------------------------------------------------------------------------------------- sum
def _sum(lib, dtype, shape, layout, dim, keepdim, rg, form):
    x = _make(lib, shape, dtype, layout, seed=4, rg=rg)
    kw = {k: v for k, v in (("dim", dim), ("keepdim", keepdim)) if v != LEFT}
    if form == "function":
        out, caught = _quiet(lambda: lib.sum(x, **kw))
    elif form == "positional":
        out, caught = _quiet(lambda: x.sum(*kw.values()))
    else:
        out, caught = _quiet(lambda: x.sum(**kw))
    return _seen(lib, out, [x], rtol=1e-3 if dtype == "float16" else 1e-6) + (tuple(caught),)


def _sum_known(dtype, shape, layout, dim, keepdim, rg, form):
    if keepdim is None or type(keepdim) is int:
        return "keepdim None or 1: PyTorch's argument parser wants a bool (TypeError), minigan reads it as one"
    if rg and (dim is None or shape == ()):
        return "sum(dim=None) and a 0-d tensor's sum(dim): PyTorch's node is SumBackward1"
    return None


test_sum = sweep(_sum, _marked(_mean_cases(), _sum_known))  # (x.sum(dim) of an int dim: the engine's sum at once)


# ------------------------------------------------------------------------------ in-place writes: overlap refusals
PLACES = {  # the place written and the operand, both views of one base of 12 entries
    "apart": (lambda b: b[:6], lambda b: b[6:]), "same": (lambda b: b[:6], lambda b: b[:6]),
    "partial": (lambda b: b[:6], lambda b: b[3:9]), "interleaved": (lambda b: b[::2], lambda b: b[1::2]),
    "reversed order": (lambda b: b[:6].view(2, 3), lambda b: b[:6].view(3, 2).t()),
    "expanded place": (lambda b: b[:1].expand(6), lambda b: b[6:]),
    "expanded operand": (lambda b: b[:6], lambda b: b[6:7].expand(6)),
    "other base": (lambda b: b[:6], lambda b: b.clone()[6:]),
}


def _in_place(lib, places, op, dtype, rg, grad_mode):
    base = _make(lib, (12,), dtype, seed=4, low=0.5)
    base = base.clone().requires_grad_(True).clone() if rg else base.clone()
    place, other = (f(base) for f in PLACES[places])
    with (torch.enable_grad if grad_mode else torch.no_grad)() if lib is torch else \
            (lib.enable_grad if grad_mode else lib.no_grad)():
        calls = {"add_": lambda: place.add_(other), "mul_": lambda: place.mul_(other),
                 "sub_ alpha": lambda: place.sub_(other, alpha=2), "copy_": lambda: place.copy_(other),
                 "-= 0.1 *": lambda: place.__isub__(other * 0.1), "fill_": lambda: place.fill_(other[0]),
                 "addcmul_": lambda: place.addcmul_(other, other), "clamp_": lambda: place.clamp_(min=other),
                 "fill_ number": lambda: place.fill_(1.5), "pow_": lambda: place.pow_(other)}
        calls[op]()
    return bits(base.detach()), base._version, place._version, _name(base), _name(place)


def _in_place_cases():
    ops = ("add_", "mul_", "sub_ alpha", "copy_", "-= 0.1 *", "fill_", "addcmul_", "clamp_", "fill_ number", "pow_")
    for places, op, dtype in itertools.product(PLACES, ops, ("float32", "float64", "int64")):
        yield places, op, dtype, dtype == "float64", places != "apart"


def _in_place_known(places, op, dtype, rg, grad_mode):
    if rg:
        return "a written view's node: PyTorch regenerates it as AsStridedBackward0"
    if op == "addcmul_" and places in ("same", "interleaved", "expanded operand"):
        return "addcmul_'s rounding (PyTorch's fused multiply-add) on overlapping operands"
    return None


test_in_place = sweep(_in_place, _marked(_in_place_cases(), _in_place_known))


# -------------------------------------------------------------------------------------------- pointwise layouts
LAYOUT_SHAPES = {"2x3": ((2, 3), (2, 3)), "3x1 4": ((3, 1), (4,)), "1x4 3x1": ((1, 4), (3, 1)),
                 "2x1x3": ((2, 1, 3), (2, 1, 3)), "4-D": ((2, 3, 2, 2), (2, 3, 2, 2)), "0-d": ((2, 3), ()),
                 "row": ((1, 4), (1, 4))}


def _pointwise(lib, shapes, la, lb, da, db, op):
    sa, sb = LAYOUT_SHAPES[shapes]
    a, b = _make(lib, sa, da, la, seed=5), _make(lib, sb, db, lb, seed=6, low=0.5)
    ops = {"add": lambda: a + b, "mul": lambda: b * a, "sub number": lambda: a - 2, "div": lambda: a / b,
           "maximum": lambda: lib.maximum(a, b)}
    out = ops[op]()
    return bits(out), _strides(out), out.is_contiguous(), _strides(out.flatten()) if out.ndim else ()


def _pointwise_cases():
    for shapes, la, lb, (da, db), op in itertools.product(
            LAYOUT_SHAPES, ("c", "t", "s", "cl", "x"), ("c", "t", "x"),
            [("float32", "float32"), ("float32", "float64"), ("float64", "float32"), ("int64", "float32"),
             ("float16", "float16")], ("add", "mul", "sub number", "div", "maximum")):
        yield shapes, la, lb, da, db, op


test_pointwise_layout = sweep(_pointwise, list(_pointwise_cases()), every=25)


# -------------------------------------------------------------------------------------------------------------- @
def _matmul(lib, sa, sb, da, db, la, lb, rg):
    a = _make(lib, sa, da, la, seed=7, rg=rg and da in FLOATS)
    b = _make(lib, sb, db, lb, seed=8, rg=rg == "both" and db in FLOATS)
    out, caught = _quiet(lambda: a @ b)
    return _seen(lib, out, [a, b], rtol=1e-2 if "float16" in (da, db) else 1e-5) + (tuple(caught),)


def _matmul_cases():
    shapes = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 4)), ((0, 3), (3, 2)), ((2, 0), (0, 3)),
              ((0,), (0,)), ((), (3,)), ((3,), ()), ((2, 3), (2, 3, 4)), ((2, 2, 3), (3, 2)), ((2, 3), (4, 2)),
              ((1, 3), (3, 1))]
    dtypes = [("float32", "float32"), ("float64", "float64"), ("float16", "float16"), ("float32", "float64"),
              ("float32", "int64"), ("float32", "bool"), ("int64", "int64")]
    for (sa, sb), (da, db), la, rg in itertools.product(shapes, dtypes, ("c", "t"), (False, True, "both")):
        yield sa, sb, da, db, la, "t" if la == "c" else "c", rg


def _matmul_known(sa, sb, da, db, la, lb, rg):
    if rg and len(sa) == 2 and len(sb) == 3 and da == db:
        return "a matrix @ a batch: PyTorch's node is CloneBackward0, minigan's UnsafeViewBackward0"
    return None


test_matmul = sweep(_matmul, _marked(_matmul_cases(), _matmul_known))


# --------------------------------------------------------------------------------------------------------- linear
def _linear(lib, sx, sw, sb, dx, dw, db, lx, rg):
    x = _make(lib, sx, dx, lx, seed=9, rg=rg and dx in FLOATS)
    w = _make(lib, sw, dw, "t" if len(sw) == 2 else "c", seed=10, rg=rg and dw in FLOATS)
    b = None if sb is None else _make(lib, sb, db, seed=11, rg=rg == "both" and db in FLOATS)
    out, caught = _quiet(lambda: lib.nn.functional.linear(x, w, b))
    return _seen(lib, out, [x, w, b], rtol=1e-2 if "float16" in (dx, dw, db) else 1e-5) + (tuple(caught),)


def _linear_cases():
    shapes = [((4, 3), (2, 3), (2,)), ((4, 3), (2, 3), None), ((4, 3), (2, 3), (1, 2)), ((4, 3), (2, 3), (4, 2)),
              ((4, 3), (2, 3), ()), ((4, 3), (3,), ()), ((3,), (2, 3), (2,)), ((2, 4, 3), (2, 3), (2,)),
              ((0, 3), (2, 3), (2,)), ((4, 0), (2, 0), (2,)), ((4, 3), (2, 4), (2,)), ((4, 3), (2, 3), (3,)),
              ((1, 3), (1, 3), (1,))]
    dtypes = [("float32",) * 3, ("float64",) * 3, ("float16",) * 3, ("float32", "float32", "float64"),
              ("float64", "float32", "float32"), ("int64",) * 3, ("float32", "float32", "int64")]
    for (sx, sw, sb), dts, lx, rg in itertools.product(shapes, dtypes, ("c", "t"), (False, True, "both")):
        yield (sx, sw, sb) + dts + (lx, rg)


def _linear_known(sx, sw, sb, dx, dw, db, lx, rg):
    if rg and (sb in ((), (1, 2), (4, 2)) or len(sx) == 3 or 0 in sx) and dx == dw:
        return "linear's node with a bias of 0 or 2 dims or an empty input (AddmmBackward0), a batch (AddBackward0)"
    return None


test_linear = sweep(_linear, _marked(_linear_cases(), _linear_known))


# ---------------------------------------------------------------------------------------------------------- losses
def _loss(lib, name, si, st, di, dt, reduction, rg, extra):
    x = _make(lib, si, di, "t" if len(si) == 2 else "c", seed=12, rg=rg in ("input", "both") and di in FLOATS)
    t = _make(lib, st, dt, seed=13, low=0.1, signed=False)
    t = (t / 2.0).to(getattr(lib, dt)) if dt in FLOATS else t
    if rg in ("target", "both") and dt in FLOATS:
        t = t.detach().requires_grad_(True)
    kw = {} if reduction == LEFT else {"reduction": reduction}
    if extra != LEFT:
        kw.update(extra if isinstance(extra, dict) else {})
    fn = getattr(lib.nn.functional, name)
    out, caught = _quiet(lambda: fn(x, t, **kw))
    return _seen(lib, out, [x, t], rtol=1e-2 if "float16" in (di, dt) else 1e-6) + (tuple(caught),)


def _loss_cases():
    shapes = [((3, 2), (3, 2)), ((), ()), ((0,), (0,)), ((3, 2), (2,)), ((3, 2), (3, 1)), ((4,), (4,))]
    dtypes = [("float32", "float32"), ("float64", "float64"), ("float16", "float16"), ("float32", "float64"),
              ("float64", "float32"), ("float32", "int64")]
    extras = (LEFT, {"size_average": False}, {"reduce": True}, {"weight": None})
    for name, (si, st), (di, dt), reduction, rg, extra in itertools.product(
            ("mse_loss", "binary_cross_entropy_with_logits"), shapes, dtypes, (LEFT, "mean", "sum", "none", "avg"),
            ("input", "target", "both", None), extras):
        if extra == {"weight": None} and name == "mse_loss":
            continue
        yield name, si, st, di, dt, reduction, rg, extra


def _loss_known(name, si, st, di, dt, reduction, rg, extra):
    if {di, dt} == {"float32", "float64"} and rg:
        return "input and target of float32 and float64: the node's name and the second order's rounding"
    return None


test_loss = sweep(_loss, _marked(_loss_cases(), _loss_known))


# ------------------------------------------------------------------------------------------------ relu, leaky_relu
def _activation(lib, name, dtype, shape, layout, slope, inplace, rg):
    x = _make(lib, shape, dtype, layout, seed=14, rg=rg and dtype in FLOATS)
    F = lib.nn.functional
    kw = {} if inplace == LEFT else {"inplace": inplace}
    y = x.clone() if inplace is True and shape else x
    if name == "relu":
        out, caught = _quiet(lambda: F.relu(y, **kw))
    else:
        out, caught = _quiet(lambda: F.leaky_relu(y, *(() if slope == LEFT else (slope,)), **kw))
    return _seen(lib, out, [x]) + (tuple(caught), y._version)


def _activation_cases():
    slopes = (LEFT, 0.01, 0.2, -0.5, 1.0, 1, 2.0, -1.0, 1e-30, np.float32(0.1), True, float("nan"))
    for name, dtype, slope in itertools.product(("relu", "leaky_relu"), FLOATS + ("int64", "bool"), slopes):
        if name == "relu" and slope != LEFT:
            continue
        for shape, layout, inplace, rg in [((2, 3), "c", LEFT, True), ((3, 2), "t", False, True), ((), "c", LEFT, True),
                                           ((0, 2), "c", LEFT, False), ((2, 3), "c", True, True),
                                           ((2, 3), "x", False, False)]:
            yield name, dtype, shape, layout, slope, inplace, rg


def _activation_known(name, dtype, shape, layout, slope, inplace, rg):
    if name == "leaky_relu" and rg and dtype in FLOATS and (dtype == "float16" or slope in (-0.5, -1.0)):
        return "leaky_relu's gradient to the bit: float16, and a negative slope's"
    return None


test_activation = sweep(_activation, _marked(_activation_cases(), _activation_known))


# ----------------------------------------------------------------------------------------------------------- conv2d
def _conv2d(lib, sx, sw, sb, dx, dw, lx, geometry, rg):
    x = _make(lib, sx, dx, lx, seed=15, rg=rg and dx in FLOATS)
    w = _make(lib, sw, dw, "cl" if len(sw) == 4 and lx == "cl" else "c", seed=16, rg=rg and dw in FLOATS)
    b = None if sb is None else _make(lib, sb, dw, seed=17, rg=rg and dw in FLOATS)
    out, caught = _quiet(lambda: lib.nn.functional.conv2d(x, w, b, **geometry))
    return _seen(lib, out, [x, w, b], rtol=1e-2 if "float16" in (dx, dw) else 1e-5) + (tuple(caught),)


def _conv2d_cases():
    shapes = [((2, 3, 5, 5), (4, 3, 3, 3), (4,)), ((2, 3, 5, 5), (4, 3, 3, 3), None),
              ((1, 1, 4, 4), (1, 1, 2, 2), (1,)), ((2, 3, 5, 5), (4, 3, 3, 3), (1, 4)),
              ((3, 5, 5), (4, 3, 3, 3), (4,)), ((0, 3, 5, 5), (4, 3, 3, 3), (4,)),
              ((2, 4, 5, 5), (4, 2, 3, 3), (4,)), ((2, 3, 2, 2), (4, 3, 3, 3), (4,))]
    geometries = [{}, {"stride": 2}, {"stride": (1, 2)}, {"padding": 1}, {"padding": (0, 1)}, {"dilation": 2},
                  {"stride": np.int64(2)}, {"padding": (1,)}, {"stride": 0}, {"padding": -1}, {"padding": "same"},
                  {"groups": 2}, {"groups": np.int64(1)}, {"stride": [1, 2]}, {"padding": 5},
                  {"stride": (2, 1), "padding": (2, 0), "dilation": (1, 2)}, {"stride": (True, 1)},
                  {"dilation": 3}, {"dilation": (2, 3)}, {"padding": (1, 1, 1)}]
    dtypes = [("float32", "float32"), ("float64", "float64"), ("float16", "float16"), ("float32", "float64")]
    for (sx, sw, sb), (dx, dw), lx, g in itertools.product(shapes, dtypes, ("c", "cl", "s"), range(len(geometries))):
        if lx == "cl" and len(sx) != 4:
            continue
        yield sx, sw, sb, dx, dw, lx, geometries[g], dx == "float64" and lx != "s"


def _conv2d_known(sx, sw, sb, dx, dw, lx, geometry, rg):
    if len(sx) == 4 and sx[0] and dx == dw and sb != (1, 4):
        return "conv2d's result is a view of a batch-last product: its strides are not PyTorch's (docs/pytorch.md)"
    if geometry.get("padding") == (1, 1, 1):
        return "a padding of 3 values: PyTorch refuses with a RuntimeError, minigan with a TypeError"
    if len(sx) == 3 and rg or sx[0] == 0 and rg or geometry == {"padding": "same"}:
        return "one sample's node (SqueezeBackward1), an empty batch's gradient, padding='same''s warning"
    return None


test_conv2d = sweep(_conv2d, _marked(_conv2d_cases(), _conv2d_known))


# ------------------------------------------------------------------------------------------------------- batch_norm
def _batch_norm(lib, shape, dtype, layout, training, stats, affine, eps, momentum, rg):
    x = _make(lib, shape, dtype, layout, seed=18, rg=rg)
    c = shape[1] if len(shape) > 1 else 1
    rm = rv = None
    if stats != "none":
        rm = lib.tensor(_values((c,), "float32" if stats == "float32" else dtype, 19))
        rv = lib.tensor(_values((c,), "float32" if stats == "float32" else dtype, 20, signed=False))
        if stats == "strided":  # (views of every other entry of one buffer)
            rm = lib.tensor(_values((2, c), dtype, 19)).t()[:, 0]
            rv = lib.tensor(_values((c, 2), dtype, 20, signed=False))[:, 1]
        if stats == "requires grad":
            rm.requires_grad_(True)
    w = b = None
    if affine != "none":
        w = _make(lib, (c,) if affine != "(1, C)" else (1, c), "float32" if affine == "float32" else dtype, seed=21,
                  rg=rg)
        b = _make(lib, (c,), dtype, seed=22, rg=rg)
    out, caught = _quiet(lambda: lib.nn.functional.batch_norm(x, rm, rv, w, b, training=training, momentum=momentum,
                                                              eps=eps))
    tol = 1e-2 if dtype == "float16" else 1e-5
    after = () if rm is None else (close(rm.detach(), tol, tol), close(rv.detach(), tol, tol), rm._version,
                                   rv._version)
    return _seen(lib, out, [x, w, b], rtol=tol) + (tuple(caught), after)


def _batch_norm_cases():
    for shape, layout in [((4, 3), "c"), ((4, 3, 2, 2), "c"), ((4, 3, 2, 2), "cl"), ((4, 3, 5), "s"), ((1, 3), "c"),
                          ((1, 3, 1, 1), "c"), ((0, 3), "c"), ((4, 3), "t")]:
        for dtype, training, stats, affine, eps, momentum in itertools.product(
                FLOATS, (True, False), ("given", "none", "requires grad", "float32", "strided"),
                ("given", "none", "float32", "(1, C)"), (1e-5, 1), (0.1, 1, None)):
            yield shape, dtype, layout, training, stats, affine, eps, momentum, dtype == "float64"


def _batch_norm_known(shape, dtype, layout, training, stats, affine, eps, momentum, rg):
    if affine == "(1, C)":
        return "a weight of (1, C): PyTorch's kernel reads its C values as (C,) or trips its internal assert"
    if stats == "strided" and rg and not training:
        return "PyTorch's own second order with strided running statistics in eval mode varies from run to run"
    if momentum is None:
        return "momentum=None: F.batch_norm of PyTorch refuses it (TypeError), minigan takes the cumulative average"
    if shape[0] == 0 or layout == "t":
        return "an empty batch's strides (PyTorch's 0); a transposed batch's layout and running statistics' versions"
    return None


test_batch_norm = sweep(_batch_norm, _marked(_batch_norm_cases(), _batch_norm_known), every=40)
