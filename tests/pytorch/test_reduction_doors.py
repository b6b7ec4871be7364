"""Every reduction, scan and order statistic at each of its doors (dim, keepdim, dtype=, k, q, correction) on
PyTorch's corner inputs: a 0-d tensor, empty tensors (an empty dim reduced or kept), bools, integers, and floats
with NaN, ±inf and zeros.  Each call either runs in both libraries with the same values, shape, dtype,
requires_grad and gradient, or is refused by both with PyTorch's exception class (PyTorch float64 the oracle).
On tests/pytorch/sweep.py: keepdim=True without a dim (refused by max, min, prod and median, every entry reduced and
kept by the others), and the gradients of amax, amin, aminmax, max and min at NaN and ±∞."""

import itertools
import warnings

import numpy as np
import pytest
from conftest import default_slice

import minigan
from pytorch.oracle import AMINMAX_GRAD, NANSUM_INT
from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

NAN, INF = np.nan, np.inf

ARRAYS = {
    "f0": np.array(0.75), "f1": np.array([0.75]), "f_empty": np.zeros((0,)), "f_0x3": np.zeros((0, 3)),
    "f_3x0": np.zeros((3, 0)), "f23": np.array([[0.5, -1.25, 2.0], [3.0, 0.25, -0.75]]),
    "f23_zeros": np.array([[0.5, 0.0, 2.0], [0.0, 0.0, -0.75]]),
    "i0": np.array(3), "i_empty": np.zeros((0,), dtype=np.int64), "i23": np.array([[1, -2, 3], [4, 0, -5]]),
    "b0": np.array(True), "b_empty": np.zeros((0,), dtype=bool),
    "b23": np.array([[True, False, True], [False, False, True]]),
}
WITH_NAN = {"f23_nan": np.array([[0.5, NAN, 2.0], [-INF, 0.25, INF]]),
            "f23_inf": np.array([[0.5, -INF, 2.0], [0.0, 0.25, INF]])}
DIMS = [None, 0, -1, 1, -2, 2]


def _flat(out):
    return [o for x in out for o in _flat(x)] if isinstance(out, (tuple, list)) else [out]


def _run(call, lib, a, rg):
    x = lib.tensor(a.copy()).requires_grad_(rg)
    try:
        return None, x, _flat(call(lib, x))
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return e, x, None


def _dtype(t):
    return str(t.dtype).split(".")[-1]


def _layout(t):  # (the strides of the dims of size > 1: where a later view or write can tell the layout)
    return tuple(s for s, n in zip(t.stride(), t.shape) if n > 1) if t.numel() > 1 else ()


def _np(t):
    return np.asarray(t.detach().numpy()).astype(float)


def difference(call, a, rg, gradient=True):
    """How minigan's ``call`` on ``a`` differs from PyTorch's (None: it does not); warnings are not compared."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _difference(call, a, rg, gradient)


def _difference(call, a, rg, gradient):
    (e1, x1, r1), (e2, x2, r2) = _run(call, torch, a, rg), _run(call, minigan, a, rg)
    if e1 is not None or e2 is not None:
        if e1 is None or e2 is None:
            return f"PyTorch raised {e1!r}" if e2 is None else f"minigan raised {e2!r}, PyTorch ran"
        return None if isinstance(e2, type(e1)) else f"minigan {e2!r}, PyTorch {e1!r}"
    for i, (p, q) in enumerate(zip(r1, r2)):
        for what, theirs, ours in (("shape", tuple(p.shape), tuple(q.shape)), ("dtype", _dtype(p), _dtype(q)),
                                   ("requires_grad", p.requires_grad, q.requires_grad),
                                   ("layout", _layout(p), _layout(q))):
            if theirs != ours:
                return f"results[{i}] {what}: {ours} vs PyTorch's {theirs}"
        tol = 1e-6 if p.dtype == torch.float32 else 1e-12  # (float32 results: rounded as float32)
        if not np.allclose(_np(q), _np(p), rtol=tol, atol=tol, equal_nan=True):
            return f"results[{i}]: {_np(q).ravel()[:6]} vs PyTorch's {_np(p).ravel()[:6]}"
    if not gradient or not rg or not [p for p in r1 if p.requires_grad]:
        return None
    grads = []
    for lib, x, results in ((torch, x1, r1), (minigan, x2, r2)):  # each result weighted 1, 2, 3, ...
        total = sum((r * lib.arange(1, r.numel() + 1, dtype=r.dtype).reshape(r.shape)).sum()
                    for r in results if r.requires_grad)
        grads.append(lib.autograd.grad(total, x, allow_unused=True)[0])
    theirs, ours = grads
    if (theirs is None) != (ours is None) or theirs is not None and not np.allclose(
            _np(ours), _np(theirs), rtol=1e-12, atol=1e-12, equal_nan=True):
        return f"gradient: {ours} vs PyTorch's {theirs}"
    return None


def _doors(name):
    """(label, call) for each door of ``name``: the free function and the method, over dim and keepdim."""
    out = []
    for d in DIMS:
        for keepdim in (False, True):
            kw = ({} if d is None else {"dim": d}) | ({"keepdim": True} if keepdim else {})
            if keepdim and d is None or name == "logsumexp" and d is None:
                continue  # (PyTorch has no keepdim= without dim=; logsumexp takes a dim)
            if name in ("cumsum", "cumprod", "cummax", "cummin", "logcumsumexp", "sort", "argsort"):
                if keepdim or d is None:
                    continue
            if name == "topk" and keepdim:
                continue
            if name in ("topk", "kthvalue"):
                for k in (0, 1, 2):
                    out.append((f"{name}(x, {k}, {kw})",
                                lambda lib, x, k=k, kw=kw, n=name: getattr(lib, n)(x, k, **kw)))
                    out.append((f"x.{name}({k}, {kw})", lambda lib, x, k=k, kw=kw, n=name: getattr(x, n)(k, **kw)))
                continue
            if name == "quantile":
                for q in (0.3, [0.2, 0.7]):
                    out.append((f"quantile(x, {q}, {kw})", lambda lib, x, q=q, kw=kw: lib.quantile(
                        x, lib.tensor(q, dtype=x.dtype) if isinstance(q, list) else q, **kw)))
                continue
            out.append((f"{name}(x, {kw})", lambda lib, x, kw=kw, n=name: getattr(lib, n)(x, **kw)))
            out.append((f"x.{name}({kw})", lambda lib, x, kw=kw, n=name: getattr(x, n)(**kw)))
    return out


REDUCTIONS = ["sum", "nansum", "prod", "std", "var", "std_mean", "var_mean", "amax", "amin", "aminmax", "logsumexp",
              "all", "any", "argmax", "argmin", "max", "min", "median", "cumsum", "cumprod", "cummax", "cummin",
              "logcumsumexp", "sort", "argsort", "topk", "kthvalue", "quantile"]


def _differences(calls, arrays, gradient=True):
    found = []
    for label, call in calls:
        for name, a in arrays.items():
            for rg in ((False, True) if a.dtype.kind == "f" else (False,)):
                why = difference(call, a, rg, gradient)
                if why:
                    found.append(f"{label} on {name} (requires_grad={rg}): {why}")
    return found


# Each reduction's doors on one input a case: every 5th (reduction, input) by default (and each reduction on a float,
# an integer and a bool input, each input), the rest under -m parity
@pytest.mark.parametrize("name, array", default_slice(
    [pytest.param(n, a, marks=[AMINMAX_GRAD] if n == "aminmax" else []) for n in REDUCTIONS for a in ARRAYS], 5,
    cover=("each", lambda n, a: (n, ARRAYS[a].dtype.kind))))
def test_each_door_on_empty_0d_bool_and_integer_inputs_is_pytorchs(name, array):
    found = _differences(_doors(name), {array: ARRAYS[array]})
    assert not found, f"{len(found)} differ:\n" + "\n".join(found[:30])


@pytest.mark.parametrize("name", ["sum", pytest.param("nansum", marks=NANSUM_INT), "prod", "cumsum", "cumprod"])
def test_dtype_is_pytorchs_a_result_that_autograd_can_carry_and_nan_counted_as_zero_by_nansum(name):
    """dtype= converts first (an integer or bool dtype of an input recording a gradient: RuntimeError, as autograd
    has no integer gradients), except nansum, whose NaN counts as 0 before the conversion."""
    calls = [(f"{name}(x, {kw})", lambda lib, x, kw=kw: getattr(lib, name)(
        x, **{k: getattr(lib, v) if k == "dtype" else v for k, v in kw.items()}))
        for dtype in ("int64", "int32", "float32", "bool") for kw in
        ([{"dtype": dtype}] if name in ("sum", "nansum", "prod") else []) + [{"dim": 0, "dtype": dtype}]]
    calls.append((f"x.{name}(0, dtype=int64)", lambda lib, x: getattr(x, name)(0, dtype=lib.int64)))
    found = _differences(calls, ARRAYS | WITH_NAN)
    assert not found, f"{len(found)} differ:\n" + "\n".join(found[:30])


@pytest.mark.parametrize("name", ["std", "var", "std_mean", "var_mean"])
def test_correction_on_too_few_entries_is_pytorchs_inf_or_nan(name):
    """n − correction ≤ 0 gives inf (NaN for 0/0), and an empty reduction NaN whatever the correction.  (The values
    and requires_grad: PyTorch's gradient there divides by n − correction unclamped, which minigan's does not.)"""
    calls = [(f"{name}(x, {kw})", lambda lib, x, kw=kw: getattr(lib, name)(x, **kw))
             for c in (0, 1, 2, -1.5, -INF) for kw in [{"correction": c}, {"dim": 0, "correction": c},
                                                        {"dim": [0, 1], "correction": c}]]
    found = _differences(calls, {k: v for k, v in ARRAYS.items() if v.dtype.kind == "f"}, gradient=False)
    assert not found, f"{len(found)} differ:\n" + "\n".join(found[:30])


@pytest.mark.parametrize("name", ["cumprod", "prod"])
def test_product_gradients_with_zeros_nan_and_inf_are_pytorchs(name):
    calls = [(f"{name}(x, dim={d})", lambda lib, x, d=d: getattr(lib, name)(x, d)) for d in (0, 1, -1)]
    arrays = WITH_NAN | {"zeros": np.array([[0.0, 2.0, 0.0, 3.0], [1.5, 0.0, -2.0, 0.5]]),
                         "zero_inf": np.array([[0.0, INF, 2.0, -1.0], [-INF, 3.0, 0.0, 0.0]])}
    found = _differences(calls, arrays)
    assert not found, f"{len(found)} differ:\n" + "\n".join(found[:30])


def test_quantile_refuses_a_q_of_another_dtype_as_pytorch():
    calls = [(f"quantile(x, q {qd})", lambda lib, x, qd=qd: lib.quantile(x, lib.tensor([0.25, 0.5], dtype=getattr(
        lib, qd)))) for qd in ("float32", "float64")]
    calls += [(f"x.quantile(q {qd}, dim=0)", lambda lib, x, qd=qd: x.quantile(lib.tensor(0.5, dtype=getattr(lib, qd)),
                                                                            dim=0)) for qd in ("float32", "float64")]
    found = _differences(calls, {"f23": ARRAYS["f23"], "f32": np.array([0.5, 1.5, -2.0], dtype=np.float32)})
    assert not found, f"{len(found)} differ:\n" + "\n".join(found[:30])


@pytest.mark.parametrize("name", ["cumprod"])
def test_product_gradients_under_create_graph_and_their_second_order_are_pytorchs(name):
    """Under create_graph PyTorch differentiates cumprod with zeros by the products of the other factors (its first
    order there is another formula than without create_graph, NaN and ∞ placed otherwise), differentiable again."""
    arrays = WITH_NAN | {"zeros": np.array([[0.0, 2.0, 0.0, 3.0], [1.5, 0.0, -2.0, 0.5]]),
                         "zero_inf": np.array([[0.0, INF, 2.0, -1.0], [-INF, 3.0, 0.0, 0.0]]),
                         "one_zero": np.array([[1.0, 2.0], [0.0, 3.0], [4.0, 0.0]]),
                         "no_zero": np.array([1.5, -2.0, 3.0])}
    found = []
    for label, a in arrays.items():
        for d in range(-1, a.ndim):
            grads = []
            for lib in (torch, minigan):
                x = lib.tensor(a.copy()).requires_grad_(True)
                y = getattr(lib, name)(x, d)
                weights = lib.arange(1, y.numel() + 1, dtype=lib.float64).reshape(tuple(y.shape)) * 0.5
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    g, = lib.autograd.grad((y * weights).sum(), x, create_graph=True)
                    g2, = lib.autograd.grad((g * g.detach().abs().clamp(max=3).nan_to_num()).sum(), x,
                                            allow_unused=True)
                grads.append([_np(g), None if g2 is None else _np(g2)])
            for order, theirs, ours in zip((1, 2), *grads):
                if (theirs is None) != (ours is None) or theirs is not None and not np.allclose(
                        ours, theirs, rtol=1e-10, atol=1e-12, equal_nan=True):
                    found.append(f"{name}({label}, {d}) order {order}: {ours} vs PyTorch's {theirs}")
    assert not found, f"{len(found)} differ:\n" + "\n".join(found[:20])


@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "nearest", "midpoint"])
def test_quantile_of_rows_with_nan_and_inf_is_pytorchs(interpolation):
    """A row holding NaN takes its last sorted entry (a NaN) for every quantile, so its gradient goes there; between
    neighbours ∞ and a number the quantile is lerp's, from the nearer end (∞, not NaN), as PyTorch's."""
    arrays = WITH_NAN | {"inf_ends": np.array([[-INF, 0.5, 2.0, INF], [1.0, INF, INF, -2.0]])}
    calls = [(f"quantile(x, {q}, dim={d})", lambda lib, x, q=q, d=d: lib.quantile(
        x, lib.tensor(q, dtype=x.dtype) if isinstance(q, list) else q, dim=d, interpolation=interpolation))
        for q in (0.3, 0.5, [0.2, 0.7, 1.0]) for d in (None, 0, 1)]
    found = _differences(calls, arrays)
    assert not found, f"{len(found)} differ:\n" + "\n".join(found[:30])


@AMINMAX_GRAD
def test_aminmax_takes_one_dim_as_pytorch():
    calls = [(f"aminmax(x, dim={d!r})", lambda lib, x, d=d: lib.aminmax(x, dim=d)) for d in ((0, 1), [0], 1.0, 0, -1)]
    calls += [(f"x.aminmax(dim={d!r})", lambda lib, x, d=d: x.aminmax(dim=d, keepdim=True)) for d in ((0,), 1)]
    found = _differences(calls, {"f23": ARRAYS["f23"], "i23": ARRAYS["i23"], "f0": ARRAYS["f0"]})
    assert not found, f"{len(found)} differ:\n" + "\n".join(found[:30])


@pytest.mark.parametrize("name", ["sum", "nansum", "mean", "nanmean", "std", "var", "std_mean", "var_mean",
                                  "count_nonzero", "logsumexp", "amax", "amin", "prod", "norm"])
def test_an_empty_list_of_dims_is_pytorchs(name):
    """PyTorch's reductions over a list of dims read an empty one as every dim (sum(x, dim=()) is x.sum()); prod,
    whose dim is one int, takes no list.  (The values: PyTorch's gradient of var and std there is ±inf, the backward
    reading the empty list as no dim, and its logsumexp keeps every dim only with keepdim=True, its shape check
    failing without; minigan's gradient is checked against finite differences in tests/library.)"""
    calls = []
    for d in ((), []):
        for keepdim in (False, True) if name != "logsumexp" else (True,):
            kw = {"dim": d} | ({} if name == "count_nonzero" else {"keepdim": keepdim})
            calls.append((f"{name}(x, {kw})", lambda lib, x, kw=kw: getattr(lib, name)(x, **kw)))
            if name not in ("std_mean", "var_mean", "norm"):
                calls.append((f"x.{name}({kw})", lambda lib, x, kw=kw: getattr(x, name)(**kw)))
    arrays = {k: ARRAYS[k] for k in ("f0", "f1", "f23", "f_0x3")} | {"f234": np.arange(24.0).reshape(2, 3, 4) - 5}
    found = _differences(calls, arrays, gradient=name not in ("std", "var", "std_mean", "var_mean"))
    assert not found, f"{len(found)} differ:\n" + "\n".join(found[:30])


def _keepdim_without_dim(L, name, form, shape):
    if form == "function" and not hasattr(torch, name):
        return "a method only"  # (torch.nansum and the others are functions too; this names the ones that are not)
    x = L.tensor(np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape))
    return getattr(x, name)(keepdim=True) if form == "method" else getattr(L, name)(x, keepdim=True)


# keepdim=True with no dim: PyTorch's max, min, prod and median refuse it (a TypeError: their overloads that take
# keepdim take a dim), where a silent reduction of every entry kept as size 1 would hide the missing dim; the
# reductions whose every-entry overload takes keepdim (amax, amin, argmax, argmin, all, any, std, var, nansum,
# nanmean, norm) reduce every entry and keep each dim as size 1
test_keepdim_without_dim_is_pytorchs = sweep(_keepdim_without_dim, itertools.product(
    ["max", "min", "prod", "median", "amax", "amin", "argmax", "argmin", "all", "any", "std", "var", "nansum",
     "nanmean", "norm"], ["method", "function"], [(3,), (2, 3)]), group=lambda name, form, shape: f"{name}-{form}")


def _nonfinite_inputs():
    rng, arrays = np.random.default_rng(3), []
    for bad in (np.nan, np.inf, -np.inf):
        for where in ((0, 1), (2, 3)):
            a = np.round(rng.standard_normal((3, 4)), 1)  # (rounded: ties too)
            a[where] = bad
            arrays.append(a)
    a = rng.standard_normal((3, 4))
    a[:, 2] = np.nan  # a whole slice of NaN
    return arrays + [a]


NONFINITE_INPUTS = _nonfinite_inputs()
NONFINITE_CALLS = {
    "amax(1)": lambda L, x: x.amax(1), "amax(0, keepdim)": lambda L, x: x.amax(0, keepdim=True),
    "amax()": lambda L, x: x.amax(), "amax((0, 1))": lambda L, x: L.amax(x, (0, 1)),
    "amin(1)": lambda L, x: x.amin(1), "amin(0)": lambda L, x: L.amin(x, 0), "amin()": lambda L, x: x.amin(),
    "aminmax(dim=0).min": lambda L, x: L.aminmax(x, dim=0).min,
    "aminmax(dim=1, keepdim).max": lambda L, x: L.aminmax(x, dim=1, keepdim=True).max,
    "aminmax().max": lambda L, x: L.aminmax(x).max,
    "x.T.amax(0)": lambda L, x: x.T.amax(0), "x.flip(0).amin(1)": lambda L, x: x.flip(0).amin(1),
    "max()": lambda L, x: x.max(), "min()": lambda L, x: x.min(),
    "max(1).values": lambda L, x: x.max(1).values, "min(0).values": lambda L, x: x.min(0).values,
}


def _nonfinite_gradient(L, name, which):
    x = L.tensor(NONFINITE_INPUTS[which].copy(), dtype=L.float64, requires_grad=True)
    y = NONFINITE_CALLS[name](L, x)
    w = np.arange(1.0, y.numel() + 1).reshape(tuple(y.shape))  # (one weight per output: shares show)
    return [y.detach(), close(L.autograd.grad((y * L.tensor(w)).sum(), x)[0], 1e-12)]


# Gradients through amax, amin and aminmax (over dims or all of them, keepdim, a permuted or flipped view) at NaN and
# ±∞: PyTorch's backward shares the gradient between the entries equal to the result, grad / count · mask with
# mask = (result == x).  A NaN equals nothing, so a slice holding NaN has no entry in its mask and its gradient is
# 0/0 = NaN throughout: the learner sees the NaN flow back.  max() and min() with no dim hand it to the NaN entries
# instead (PyTorch's evenly_distribute_backward), and max(dim)/min(dim) to the index they return
test_a_reductions_gradient_at_nan_and_inf_is_pytorchs = sweep(_nonfinite_gradient, [
    pytest.param(name, which, marks=[AMINMAX_GRAD] if name.startswith("aminmax") else [])
    for name in NONFINITE_CALLS for which in range(len(NONFINITE_INPUTS))], group=lambda name, which: name)
