"""Gradients through reductions and losses at non-finite or boundary entries, as PyTorch's.

* amax, amin and aminmax (over dims or all of them, keepdim, a permuted or flipped view): PyTorch's backward shares
  the gradient between the entries equal to the result, ``grad / count · mask`` with ``mask = (result == x)``.  A
  NaN equals nothing, so a slice holding NaN has no entry in its mask and its gradient is 0/0 = NaN throughout; the
  learner sees the NaN flow back.  max() and min() with no dim hand it to the NaN entries instead (PyTorch's
  evenly_distribute_backward), and max(dim)/min(dim) to the index they return.
* binary_cross_entropy's gradient with respect to its target is −logit(p) = log(1 − p) − log p, not clamped: ±∞ at
  p = 1 or 0 (only the loss's logs are clamped at −100).
"""

import minigan.nn.functional as F
import numpy as np
import pytest

import minigan
from pytorch.oracle import AMINMAX_GRAD

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _pair(a):
    return (minigan.tensor(a.copy(), dtype=minigan.float64, requires_grad=True),
            torch.tensor(a.copy(), dtype=torch.float64, requires_grad=True))


def _inputs():
    rng = np.random.default_rng(3)
    for bad in (np.nan, np.inf, -np.inf):
        for where in ((0, 1), (2, 3)):
            a = np.round(rng.standard_normal((3, 4)), 1)  # (rounded: ties too)
            a[where] = bad
            yield a
    a = rng.standard_normal((3, 4))
    a[:, 2] = np.nan  # a whole slice of NaN
    yield a


CALLS = {
    "amax(1)": lambda L, x: x.amax(1),
    "amax(0, keepdim)": lambda L, x: x.amax(0, keepdim=True),
    "amax()": lambda L, x: x.amax(),
    "amax((0, 1))": lambda L, x: L.amax(x, (0, 1)),
    "amin(1)": lambda L, x: x.amin(1),
    "amin(0)": lambda L, x: L.amin(x, 0),
    "amin()": lambda L, x: x.amin(),
    "aminmax(dim=0).min": lambda L, x: L.aminmax(x, dim=0).min,
    "aminmax(dim=1, keepdim).max": lambda L, x: L.aminmax(x, dim=1, keepdim=True).max,
    "aminmax().max": lambda L, x: L.aminmax(x).max,
    "x.T.amax(0)": lambda L, x: x.T.amax(0),
    "x.flip(0).amin(1)": lambda L, x: x.flip(0).amin(1),
    "max()": lambda L, x: x.max(),
    "min()": lambda L, x: x.min(),
    "max(1).values": lambda L, x: x.max(1).values,
    "min(0).values": lambda L, x: x.min(0).values,
}


@pytest.mark.parametrize("name", [pytest.param(n, marks=[AMINMAX_GRAD]
                                                if n.startswith("aminmax") else []) for n in CALLS])
def test_a_reductions_gradient_at_nan_and_inf_is_pytorchs(name):
    for a in _inputs():
        m, t = _pair(a)
        ours, theirs = CALLS[name](minigan, m), CALLS[name](torch, t)
        np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())
        w = np.arange(1.0, theirs.numel() + 1).reshape(tuple(theirs.shape))  # (one weight per output: shares show)
        (gm,) = minigan.autograd.grad((ours * minigan.tensor(w)).sum(), m)
        (gt,) = torch.autograd.grad((theirs * torch.tensor(w)).sum(), t)
        np.testing.assert_allclose(gm.numpy(), gt.numpy(), rtol=1e-12, equal_nan=True, err_msg=f"{name} of\n{a}")


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_cross_entropys_target_gradient_is_minus_logit_p_unclamped(reduction):
    p = np.array([0.0, 1.0, 0.25, 1e-300, 1 - 1e-16, 0.5])
    y = np.array([0.5, 0.5, 0.2, 0.9, 0.1, 1.0])
    (pm, pt), (ym, yt) = _pair(p), _pair(y)
    ours = F.binary_cross_entropy(pm, ym, reduction=reduction)
    theirs = torch.nn.functional.binary_cross_entropy(pt, yt, reduction=reduction)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)
    gm = minigan.autograd.grad(ours.sum(), (pm, ym))
    gt = torch.autograd.grad(theirs.sum(), (pt, yt))
    np.testing.assert_allclose(gm[1].numpy(), gt[1].numpy(), rtol=1e-12)  # ±∞ at p = 0 and 1
    np.testing.assert_allclose(gm[0].numpy(), gt[0].numpy(), rtol=1e-6)  # (PyTorch's ε = 1e-12 in the denominator)
