"""F.batch_norm takes any momentum, as PyTorch's (outside [0, 1] it extrapolates the running statistics), checks eps as
PyTorch's (positive in training, non-negative in evaluation: ValueError), and refuses running statistics that require
grad, as PyTorch's native_batch_norm is not differentiable with respect to them."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402
import minigan.functional as F  # noqa: E402
from pytorch.oracle import pytorch_since  # noqa: E402

CASES = list(itertools.product([-1.5, 0.0, 0.1, 1.0, 2.0, float("inf"), float("-inf"), float("nan")],
                               [-1.0, 0.0, 1e-5, 0.1]))
# eps=0 in evaluation: runs from 2.12; 2.11 refuses it ("batch_norm eps must be positive, but got 0.0")
EVAL_EPS_0 = pytorch_since("2.12", "batch_norm in evaluation takes eps=0")


def _run(lib, fn, momentum, eps, training, grad_stats=False):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3, 2))
    x[0, 0, 0] = x[1, 0, 0] = x[2, 0, 0] = x[3, 0, 0] = 0.5  # (a constant slice: var 0 at one position)
    xs = lib.tensor(x, requires_grad=True)
    rm = lib.tensor(rng.normal(size=3), requires_grad=grad_stats)
    rv = lib.tensor(rng.uniform(0.5, 2, size=3), requires_grad=grad_stats)
    try:
        out = fn(xs, rm, rv, training=training, momentum=momentum, eps=eps)
        out.sum().backward()
    except Exception as e:  # noqa: BLE001
        return type(e)
    return (out.detach().numpy().copy(), xs.grad.numpy().copy(), rm.detach().numpy().copy(),
            rv.detach().numpy().copy())


@pytest.mark.parametrize("training,momentum,eps", [
    pytest.param(training, m, e, marks=[EVAL_EPS_0] if not training and e == 0.0 else [], id=f"{training}-{m}-{e}")
    for training in (True, False) for m, e in CASES])
def test_any_momentum_and_eps_as_pytorch(momentum, eps, training):
    with np.errstate(all="ignore"):
        ours = _run(minigan, F.batch_norm, momentum, eps, training)
        theirs = _run(torch, torch.nn.functional.batch_norm, momentum, eps, training)
    if isinstance(theirs, type):
        assert isinstance(ours, type) and issubclass(ours, theirs), (ours, theirs)
        return
    assert not isinstance(ours, type), ours
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9, equal_nan=True)


@pytest.mark.parametrize("training", [True, False])
def test_running_statistics_that_require_grad(training):
    ours = _run(minigan, F.batch_norm, 0.1, 1e-5, training, grad_stats=True)
    theirs = _run(torch, torch.nn.functional.batch_norm, 0.1, 1e-5, training, grad_stats=True)
    if isinstance(theirs, type):
        assert isinstance(ours, type) and issubclass(ours, theirs), (ours, theirs)
    else:
        assert not isinstance(ours, type), ours
