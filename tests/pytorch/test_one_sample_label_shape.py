"""One sample's scores (C,) with its label as a 0-d tensor or as a (1,) tensor, in nll_loss and cross_entropy,
against PyTorch float64: PyTorch's forward takes both (a 0-d loss for every reduction), and its backward refuses
the (1,) label unless C = 1 (RuntimeError: size mismatch).  Compared: the forward's value, shape and refusal class,
then the gradient or the backward's refusal class, over C, reductions, weight and ignore_index."""

import builtins

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CALLS = {
    "nll_loss": lambda F, x, t, **kw: F.nll_loss(x.log_softmax(-1), t, **kw),
    "cross_entropy": lambda F, x, t, **kw: F.cross_entropy(x, t, **kw),
}
OPTIONS = [dict(), dict(reduction="sum"), dict(reduction="none"), dict(ignore_index=0), dict(weight="w")]


def _builtin(e):
    return next(c for c in type(e).__mro__ if getattr(builtins, c.__name__, None) is c)


def _run(lib, name, classes, label_shape, options):
    x = lib.tensor(np.linspace(-0.7, 0.9, classes), dtype=lib.float64, requires_grad=True)
    t = lib.zeros(label_shape, dtype=lib.int64)
    if options.get("weight") == "w":
        options = dict(options, weight=lib.tensor(np.arange(1.0, classes + 1), dtype=lib.float64))
    y = outcome(lambda: CALLS[name](lib.nn.functional, x, t, **options))
    if isinstance(y, Exception):
        return ("refused at forward", y)
    out = (tuple(y.shape), float(y.detach().numpy()) if y.numel() == 1 else None)
    try:
        g, = lib.autograd.grad(y.sum(), [x])
    except Exception as e:  # noqa: BLE001
        return out, ("refused at backward", e)
    return out, g.detach().numpy()


@pytest.mark.parametrize("options", OPTIONS, ids=str)
@pytest.mark.parametrize("label_shape", [(), (1,)], ids=str)
@pytest.mark.parametrize("classes", [1, 3])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_one_sample_label_as_pytorch(name, classes, label_shape, options):
    want = _run(torch, name, classes, label_shape, dict(options))
    got = _run(minigan, name, classes, label_shape, dict(options))
    if want[0] == "refused at forward":
        assert got[0] == "refused at forward" and isinstance(got[1], _builtin(want[1])), (got, want)
        return
    assert got[0] != "refused at forward", f"minigan refused {got[1]!r} where PyTorch computes {want}"
    assert got[0][0] == want[0][0]
    np.testing.assert_allclose(got[0][1], want[0][1], rtol=1e-12, equal_nan=True)
    if isinstance(want[1], tuple):
        assert isinstance(got[1], tuple) and isinstance(got[1][1], _builtin(want[1][1])), (got, want)
    else:
        assert not isinstance(got[1], tuple), got
        np.testing.assert_allclose(got[1], want[1], rtol=1e-12, equal_nan=True)
