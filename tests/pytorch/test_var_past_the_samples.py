"""var and std where the correction is at least the number of samples (n ≤ correction), against PyTorch float64:
the value is ∞ (NaN for 0/0), and the gradient is PyTorch's var_backward, which does not differentiate that value.
Over every entry (no dim, or a 0-d tensor), the gradient is grad·(NaN where x equals its mean, else ∞), a constant;
over given dims with n < correction, (2 / (n − correction))·grad·(x − mean), finite, the negative count of degrees
of freedom used as it is, and differentiable again.  std's gradient goes through var's (grad / 2std = 0 there).
var, std, var_mean, std_mean, function and method, first and second order."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

X = np.array([[1.0, 2.0, 4.0, 7.0], [3.0, 3.0, -1.0, 0.5]])
CALLS = {
    "var": lambda L, x, kw: L.var(x, **kw), "x.var": lambda L, x, kw: x.var(**kw),
    "std": lambda L, x, kw: L.std(x, **kw), "x.std": lambda L, x, kw: x.std(**kw),
    "var_mean": lambda L, x, kw: L.var_mean(x, **kw)[0] * 1.5 + L.var_mean(x, **kw)[1].sum(),
    "std_mean": lambda L, x, kw: L.std_mean(x, **kw)[0] * 1.5 + L.std_mean(x, **kw)[1].sum(),
}
ARGS = [  # (what, the rows of X, kwargs): n ≤ correction over every entry, n < correction over dims
    ("every entry, n < correction", X, {"correction": 1000}),
    ("every entry, n = correction", X, {"correction": 8}),
    ("every entry, one sample", X[:1, :1], {}),
    ("every entry, keepdim", X, {"dim": None, "correction": 9, "keepdim": True}),
    ("every entry of a constant", np.full((2, 2), 3.0), {"correction": 4}),
    ("dim 1, n < correction", X, {"dim": 1, "correction": 7}),
    ("dims (0, 1), n < correction", X, {"dim": (0, 1), "correction": 10.5}),
    ("dim 0, keepdim, n < correction", X, {"dim": 0, "correction": 3, "keepdim": True}),
    ("a 0-d tensor over dim -1", np.array(-1.5), {"dim": -1}),  # (PyTorch: every entry's formula for a 0-d one)
    ("a 0-d tensor over dims [0], keepdim", np.array(2.0), {"dim": [0], "keepdim": True}),
]


def _grads(lib, name, x, kw):
    t = lib.tensor(x, dtype=lib.float64, requires_grad=True)
    with np.errstate(all="ignore"):
        out = CALLS[name](lib, t, kw)
        weights = lib.tensor(np.arange(1.0, out.numel() + 1).reshape(tuple(out.shape)), dtype=lib.float64)
        g, = lib.autograd.grad((out * weights).sum(), t, create_graph=True)
        if not g.requires_grad:  # (a constant gradient: its own gradient is 0)
            return out.detach().numpy(), g.detach().numpy(), np.zeros_like(x)
        g2, = lib.autograd.grad((g * lib.tensor(x + 0.5, dtype=lib.float64)).sum(), t, allow_unused=True)
    return out.detach().numpy(), g.detach().numpy(), np.zeros_like(x) if g2 is None else g2.numpy()


@pytest.mark.filterwarnings("ignore:.*degrees of freedom")
@pytest.mark.parametrize("case", range(len(ARGS)), ids=[a[0] for a in ARGS])
@pytest.mark.parametrize("name", list(CALLS))
def test_var_past_the_samples_has_pytorchs_gradient(name, case):
    _, x, kw = ARGS[case]
    theirs, ours = _grads(torch, name, x, kw), _grads(minigan, name, x, kw)
    for what, a, b in zip(("value", "gradient", "second-order gradient"), theirs, ours):
        np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=what)
