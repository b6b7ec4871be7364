"""cross_entropy and nll_loss with a class weight that requires grad, as PyTorch's: against class labels its
nll_loss kernel has no derivative for the weight, so with grad mode on the call is refused (RuntimeError), with
samples or without (surface program 11569875: cross_entropy of no samples ran); against class probabilities its
cross_entropy is composed of differentiable ops, so the weight gets a gradient (minigan refused it).  Each case
against PyTorch float64: both refuse with one built-in class, or both run with the same value, and the same first-
and second-order gradients of the input and the weight."""
import itertools
import math
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import minigan  # noqa: E402
from pytorch.exception_oracle import builtin_class as _builtin  # noqa: E402

SHAPES = [(0, 3), (2, 3), (2, 3, 4), (3,), (0, 3, 2), (2, 3, 0), (4, 2)]


def _run(L, fn, shape, smoothing, reduction, probabilities, input_grad, grad_mode):
    c = shape[1] if len(shape) > 1 else shape[0]
    x = L.tensor(np.sin(np.arange(int(np.prod(shape)))).reshape(shape) * 2, dtype=L.float64,
                 requires_grad=input_grad)
    if probabilities:
        p = np.cos(np.arange(int(np.prod(shape)))).reshape(shape) ** 2 + 0.1
        t = L.tensor(p / p.sum(axis=1 if len(shape) > 1 else 0, keepdims=True), dtype=L.float64)
    else:
        labels = (shape[0],) + shape[2:] if len(shape) > 1 else ()
        t = L.tensor(np.arange(int(np.prod(labels))).reshape(labels) % c, dtype=L.int64)
    w = L.tensor(np.linspace(0.5, 1.5, c), dtype=L.float64, requires_grad=True)
    extra = {"label_smoothing": smoothing} if fn == "cross_entropy" else {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with L.set_grad_enabled(grad_mode):
                loss = getattr(L.nn.functional, fn)(x, t, weight=w, reduction=reduction, **extra)
            record = [loss.detach().numpy().copy()]
            if loss.requires_grad and loss.numel():
                leaves = [x, w] if input_grad else [w]
                scale = L.tensor(np.linspace(1, 2, loss.numel()).reshape(loss.shape), dtype=L.float64)
                first = L.autograd.grad((loss * scale).sum(), leaves, create_graph=True, allow_unused=True)
                record += [None if g is None else g.detach().numpy().copy() for g in first]
                live = [g for g in first if g is not None and g.requires_grad]
                if live:
                    second = L.autograd.grad(sum((g * g).sum() for g in live), leaves, allow_unused=True)
                    record += [None if g is None else g.numpy().copy() for g in second]
    except Exception as e:  # noqa: BLE001  (the class is what is compared)
        return e
    return record


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None or np.all((a if a is not None else b) == 0)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("target", ["labels", "probabilities"])
@pytest.mark.parametrize("fn", ["cross_entropy", "nll_loss"])
def test_a_class_weight_that_requires_grad(fn, target):
    if fn == "nll_loss" and target == "probabilities":
        pytest.skip("nll_loss takes labels only")
    wrong = []
    for shape, smoothing, reduction, input_grad, grad_mode in itertools.product(
            SHAPES, [0.0, 0.2, math.nan] if fn == "cross_entropy" else [0.0], ["mean", "sum", "none"],
            [False, True], [True, False]):
        case = (fn, shape, smoothing, reduction, target == "probabilities", input_grad, grad_mode)
        ours, theirs = _run(minigan, *case), _run(torch, *case)
        if isinstance(theirs, Exception) or isinstance(ours, Exception):
            if not (isinstance(theirs, Exception) and isinstance(ours, _builtin(type(theirs)))):
                wrong.append(f"{case}: minigan {ours!r:.90} | PyTorch {theirs!r:.90}")
        elif len(ours) != len(theirs) or not all(_same(a, b) for a, b in zip(ours, theirs)):
            wrong.append(f"{case}: minigan {ours} | PyTorch {theirs}")
    assert not wrong, f"{len(wrong)} cases differ:\n" + "\n".join(wrong[:10])
