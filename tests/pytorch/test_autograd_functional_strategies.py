"""autograd.functional.jacobian's ``strategy`` and hessian's ``outer_jacobian_strategy``, against PyTorch: an
unknown strategy is an AssertionError; 'forward-mode' refuses create_graph=True (NotImplementedError), then
strict=True (RuntimeError), then vectorize=False (NotImplementedError), in PyTorch's order; with vectorize=True it
gives the Jacobian (minigan computes it row by row in reverse mode: the same values)."""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _outcome(lib, which, strategy, vectorize, strict, create_graph, two_inputs):
    a = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64)
    b = lib.tensor([1.5, 0.25, -0.5], dtype=lib.float64)
    inputs = (a, b) if two_inputs else a
    try:
        if which == "jacobian":
            f = (lambda x, y: (x * y.sin(), (x ** 2).sum() * y)) if two_inputs else (lambda x: x.sin() * x.sum())
            got = lib.autograd.functional.jacobian(f, inputs, create_graph=create_graph, strict=strict,
                                                   vectorize=vectorize, strategy=strategy)
        else:
            f = (lambda x, y: (x ** 3 * y).sum()) if two_inputs else (lambda x: (x.sin() * x.sum()).sum())
            got = lib.autograd.functional.hessian(f, inputs, create_graph=create_graph, strict=strict,
                                                  vectorize=vectorize, outer_jacobian_strategy=strategy)
    except Exception as e:  # noqa: BLE001 - the class is compared
        return type(e)
    return [t.detach().numpy() for t in _leaves(got)]


def _leaves(x):  # (PyTorch's forward mode nests lists where its reverse mode and its documentation nest tuples)
    return [t for item in x for t in _leaves(item)] if isinstance(x, (tuple, list)) else [x]


@pytest.mark.parametrize("two_inputs", [False, True], ids=["one input", "two inputs"])
@pytest.mark.parametrize("vectorize, strict, create_graph", list(itertools.product([False, True], repeat=3)))
@pytest.mark.parametrize("strategy", ["reverse-mode", "forward-mode", "sideways"])
@pytest.mark.parametrize("which", ["jacobian", "hessian"])
def test_strategies_as_pytorchs(which, strategy, vectorize, strict, create_graph, two_inputs):
    theirs = _outcome(torch, which, strategy, vectorize, strict, create_graph, two_inputs)
    ours = _outcome(minigan, which, strategy, vectorize, strict, create_graph, two_inputs)
    if isinstance(theirs, type):
        assert isinstance(ours, type) and issubclass(ours, theirs), (ours, theirs)
    else:
        assert not isinstance(ours, type), ours
        assert len(ours) == len(theirs)
        for u, v in zip(ours, theirs):
            np.testing.assert_allclose(u, v, rtol=1e-12, atol=1e-14)
