"""The losses' PyTorch options against PyTorch (float64, the oracle), values and gradients: binary_cross_entropy's
weight, binary_cross_entropy_with_logits' weight and pos_weight, cross_entropy's weight, ignore_index,
label_smoothing and class-probability targets, nll_loss's weight and ignore_index, with every reduction, as
functions and as loss modules.

(Its torch-free tests: tests/library/test_loss_options.py.)"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CASES = [
    "F.binary_cross_entropy(p, t, weight=w)",
    "F.binary_cross_entropy(p, t, w, reduction='sum')",
    "F.binary_cross_entropy_with_logits(z, t, pos_weight=L.tensor([2.0, 1.0, 0.5]))",
    "F.binary_cross_entropy_with_logits(z, t, weight=w, reduction='sum')",
    "F.binary_cross_entropy_with_logits(z, t, w, pos_weight=L.tensor([2.0, 1.0, 0.5]), reduction='none')",
    "F.cross_entropy(z, y, label_smoothing=0.1)",
    "F.cross_entropy(z, y, weight=cw)",
    "F.cross_entropy(z, y, ignore_index=1)",
    "F.cross_entropy(z, y, ignore_index=1, reduction='sum')",
    "F.cross_entropy(z, L.softmax(z2, 1))",
    "F.cross_entropy(z, y, weight=cw, ignore_index=2, label_smoothing=0.3)",
    "F.cross_entropy(z, y, weight=cw, label_smoothing=0.3, reduction='none')",
    "F.cross_entropy(z, L.softmax(z2, 1), weight=cw, label_smoothing=0.2, reduction='sum')",
    "F.nll_loss(L.log_softmax(z, 1), y, weight=cw)",
    "F.nll_loss(L.log_softmax(z, 1), y, ignore_index=0)",
    "F.nll_loss(L.log_softmax(z, 1), y, ignore_index=0, reduction='none')",
    "L.nn.BCELoss(weight=w)(p, t)",
    "L.nn.BCEWithLogitsLoss(pos_weight=L.tensor([2.0, 1.0, 0.5]))(z, t)",
    "L.nn.CrossEntropyLoss(label_smoothing=0.2)(z, y)",
    "L.nn.CrossEntropyLoss(weight=cw, ignore_index=2)(z, y)",
    "L.nn.NLLLoss(ignore_index=1, reduction='sum')(L.log_softmax(z, 1), y)",
]


@pytest.mark.parametrize("source", CASES)
def test_loss_options_match_pytorch(source):
    results = []
    for L in (minigan, torch):  # noqa: N806 (L: the library the expression names)
        F = L.nn.functional  # noqa: N806
        rng = np.random.default_rng(0)
        z = L.tensor(rng.normal(size=(4, 3)), requires_grad=True)
        z2 = L.tensor(rng.normal(size=(4, 3)))
        p = L.tensor(rng.uniform(0.1, 0.9, size=(4, 3)), requires_grad=True)
        t = L.tensor((rng.uniform(size=(4, 3)) > 0.5).astype(np.float64))
        w, y = L.tensor(rng.uniform(size=(4, 3))), L.tensor([0, 2, 1, 1])
        cw = L.tensor([1.0, 2.0, 3.0], dtype=L.float64)
        out = eval(source, {"L": L, "F": F, "z": z, "z2": z2, "p": p, "t": t, "w": w, "cw": cw, "y": y})  # noqa: S307
        out.sum().backward()
        grad = z.grad if z.grad is not None else p.grad
        results.append((out.detach().numpy(), grad.detach().numpy()))
    for u, v in zip(*results):
        np.testing.assert_allclose(u, v, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kwargs", [dict(beta=2.0), dict(beta=0.5, threshold=3.0), dict(beta=2, threshold=20)])
def test_softplus_beta_and_threshold_and_softmax_dtype_as_pytorch(kwargs):
    x0 = np.array([-30.0, -2.0, 0.0, 1.5, 9.9, 10.1, 40.0])
    results = []
    for lib in (minigan, torch):
        x = lib.tensor(x0, requires_grad=True)
        y = lib.nn.functional.softplus(x, **kwargs)
        y.sum().backward()
        results.append((y.detach().numpy(), x.grad.detach().numpy()))
        assert lib.nn.functional.softmax(lib.tensor([1.0, 2.0]), 0, dtype=lib.float64).dtype == lib.float64
    for u, v in zip(*results):
        np.testing.assert_allclose(u, v, rtol=1e-12)
