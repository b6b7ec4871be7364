"""cross_entropy and nll_loss's weighted mean, Σ w_y·ℓ / Σ w_y over the labels kept, when the kept labels' weights
sum to 0: PyTorch's loss is 0/0, NaN, and so is its gradient at every sample kept (−w_y / total_weight); a sample
whose label is ignored gets 0, so with every label ignored the whole gradient is 0.  Against PyTorch over the input's
layouts, the weights, the labels ignored and label smoothing."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402

WEIGHTS = {"targets_weigh_0": [1.0, 0.0, 2.0], "all_0": [0.0, 0.0, 0.0], "plain": None}
LABELS = {"none_ignored": [1, 1, 1, 1], "some_ignored": [1, -100, 1, 1], "all_ignored": [-100] * 4,
          "mixed_classes": [1, 0, 2, 1]}
SHAPES = {"rows": (4, 3), "per_position": (2, 3, 2), "one_sample": (3,)}


def _run(lib, op, shape, weight, labels, smoothing):
    x = lib.tensor(np.random.default_rng(0).standard_normal(SHAPES[shape]), requires_grad=True)
    y = np.array(LABELS[labels])
    y = y[:1].reshape(()) if shape == "one_sample" else y.reshape(2, 2) if shape == "per_position" else y
    w = None if WEIGHTS[weight] is None else lib.tensor(WEIGHTS[weight], dtype=lib.float64)
    F = lib.nn.functional
    if op == "nll_loss":
        loss = F.nll_loss(F.log_softmax(x, 0 if shape == "one_sample" else 1), lib.tensor(y), weight=w)
    else:
        loss = F.cross_entropy(x, lib.tensor(y), weight=w, label_smoothing=smoothing)
    loss.backward()
    return loss.detach().numpy(), x.grad.numpy()


CASES = [(op, shape, weight, labels, smoothing) for op in ("cross_entropy", "nll_loss") for shape in SHAPES
         for weight in WEIGHTS for labels in LABELS for smoothing in ((0.0, 0.2) if op == "cross_entropy" else (0.0,))]


@pytest.mark.parametrize("op, shape, weight, labels, smoothing", CASES)
def test_weighted_mean_of_zero_total_weight(op, shape, weight, labels, smoothing):
    (tl, tg), (ml, mg) = _run(torch, op, shape, weight, labels, smoothing), _run(minigan, op, shape, weight, labels,
                                                                                smoothing)
    np.testing.assert_allclose(ml, tl, rtol=1e-12, atol=1e-14, equal_nan=True)
    np.testing.assert_allclose(mg, tg, rtol=1e-12, atol=1e-14, equal_nan=True)
