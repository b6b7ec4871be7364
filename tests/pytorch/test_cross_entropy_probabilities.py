"""cross_entropy against class probabilities (a floating target of the scores' shape) is PyTorch's
cross_entropy_loss_prob_target: log_softmax over the class dim (0 for one sample's scores (C,), else 1), then
-(log_p * target [* weight]).sum(class dim) for 'none', -(...).sum() for 'sum' and that sum / (numel / C) for 'mean'
(NaN for no entries).  So the sign of a zero loss is PyTorch's (-0 for one class), no classes or no samples give
PyTorch's values (minigan refused, or leaked ZeroDivisionError), and gradients follow.  Shapes (C,), (N, C),
(N, C, d) with empty sizes, each reduction, label smoothing and a class weight, against PyTorch float64."""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [(3,), (1,), (0,), (4, 3), (4, 1), (0, 3), (2, 0), (0, 0), (2, 3, 2), (0, 3, 2), (2, 0, 3), (2, 1, 2)]


def _run(lib, shape, reduction, smoothing, weighted):
    rng = np.random.default_rng(len(shape))
    x = lib.tensor(rng.standard_normal(shape).round(3), dtype=lib.float64, requires_grad=True)
    classes = shape[0] if len(shape) == 1 else shape[1]
    batch = shape[:1] + shape[2:] if len(shape) > 1 else ()
    t = lib.tensor(rng.dirichlet(np.ones(max(classes, 1)), size=batch).reshape(batch + (max(classes, 1),))[
        ..., :classes], dtype=lib.float64)
    t = t if len(shape) == 1 else t.movedim(-1, 1)
    t = t.reshape(shape)
    kw = {"reduction": reduction, "label_smoothing": smoothing}
    if weighted:
        kw["weight"] = lib.tensor(np.linspace(0.5, 1.5, classes), dtype=lib.float64)
    out = outcome(lambda: lib.nn.functional.cross_entropy(x, t, **kw))
    if isinstance(out, Exception):
        return ("refused", type(out).__name__ if type(out).__module__ == "builtins" else type(out).__mro__[1].__name__)
    (g,) = lib.autograd.grad(out.sum(), x, allow_unused=True) if out.requires_grad else (None,)
    return str(np.asarray(out.detach().numpy()).round(9).tolist()), None if g is None else \
        str(np.asarray(g.numpy()).round(9).tolist())


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_cross_entropy_with_probabilities_is_pytorchs(shape):
    bad = []
    for reduction, smoothing, weighted in itertools.product(("mean", "sum", "none"), (0.0, 0.2), (False, True)):
        with np.errstate(all="ignore"):
            mine = _run(minigan, shape, reduction, smoothing, weighted)
        theirs = _run(torch, shape, reduction, smoothing, weighted)
        if mine != theirs:
            bad.append((reduction, smoothing, weighted, mine, theirs))
    assert not bad, (len(bad), bad[:3])


def _labels_run(lib, shape, reduction, smoothing, weighted):
    x = lib.zeros(shape, dtype=lib.float64, requires_grad=True)
    y = lib.zeros((shape[0],) + shape[2:], dtype=lib.int64)
    kw = {"reduction": reduction, "label_smoothing": smoothing}
    if weighted:
        kw["weight"] = lib.ones(shape[1], dtype=lib.float64)
    out = outcome(lambda: lib.nn.functional.cross_entropy(x, y, **kw))
    if isinstance(out, Exception):
        return ("refused", [c.__name__ for c in type(out).__mro__ if c.__module__ == "builtins"])
    return str(np.asarray(out.detach().numpy()).tolist()), tuple(out.shape)


@pytest.mark.parametrize("shape", [(0, 0), (0, 0, 2), (0, 3)], ids=str)
def test_cross_entropy_of_no_samples_against_labels_is_pytorchs(shape):
    """No samples (and no classes): PyTorch's empty sums and means (NaN for a mean; label smoothing's ε / C is ∞
    for no classes), where minigan leaked NumPy's ValueError or Python's ZeroDivisionError."""
    bad = []
    for reduction, smoothing, weighted in itertools.product(("mean", "sum", "none"), (0.0, 0.2), (False, True)):
        with np.errstate(all="ignore"):
            mine = _labels_run(minigan, shape, reduction, smoothing, weighted)
        theirs = _labels_run(torch, shape, reduction, smoothing, weighted)
        if mine != theirs and not (mine[0] == theirs[0] == "refused" and theirs[1][0] in mine[1]):
            bad.append((reduction, smoothing, weighted, mine, theirs))
    assert not bad, (len(bad), bad[:3])
