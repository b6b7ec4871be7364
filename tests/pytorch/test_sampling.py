"""The samplers normal, bernoulli and multinomial (their distributions, shapes, dtypes and refusals as PyTorch's: the
numbers themselves come from minigan's own generator), and the small compositions var_mean, std_mean, nan_to_num,
diff and roll against PyTorch (values and gradients, float64).

(Its torch-free tests: tests/library/test_sampling.py.)"""

import numpy as np
import pytest
from library.helpers_sampling import N

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


@pytest.mark.parametrize("call", [
    lambda lib: lib.multinomial(lib.tensor([0.5, 0.5]), 3),  # more categories than there are
    lambda lib: lib.multinomial(lib.tensor([0.5, -0.1]), 1),
    lambda lib: lib.multinomial(lib.tensor([0.0, 0.0]), 1),
    lambda lib: lib.multinomial(lib.tensor([[[0.5]]]), 1),
    lambda lib: lib.bernoulli(lib.tensor([0.5, 1.5])),
    lambda lib: lib.normal(lib.zeros(2), lib.tensor([1.0, -1.0])),
])
def test_bad_arguments_are_refused_as_in_pytorch(call):
    with pytest.raises(RuntimeError):
        call(torch)
    with pytest.raises(ValueError):
        call(minigan)


def test_shapes_and_dtypes_as_pytorch():
    for call in (lambda lib: lib.multinomial(lib.tensor([0.2, 0.8]), 5, replacement=True),
                 lambda lib: lib.multinomial(lib.tensor([[0.2, 0.8], [1.0, 1.0]]), 2),
                 lambda lib: lib.bernoulli(lib.full((2, 3), 0.5, dtype=lib.float64)),
                 lambda lib: lib.normal(lib.zeros(3, 1), lib.ones(4)),
                 lambda lib: lib.normal(0.0, 1.0, size=(2, 5))):
        ours, theirs = call(minigan), call(torch)
        assert tuple(ours.shape) == tuple(theirs.shape)
        assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "minigan.")


X = np.array([[1.0, np.nan, np.inf, 2.0], [-np.inf, 2.0, 3.0, -1.5], [0.5, 4.0, -2.0, 1.0]])


@pytest.mark.parametrize("name, call", [
    ("nan_to_num", lambda lib, x: lib.nan_to_num(x)),
    ("nan_to_num_args", lambda lib, x: x.nan_to_num(0.5, posinf=9.0, neginf=-9.0)),
    ("nan_to_num_", lambda lib, x: (x * 1.0).nan_to_num_(1.5)),
    ("diff", lambda lib, x: lib.diff(lib.nan_to_num(x))),
    ("diff_n2_dim0", lambda lib, x: lib.nan_to_num(x).diff(n=2, dim=0)),
    ("roll", lambda lib, x: lib.roll(lib.nan_to_num(x), 1, 1)),
    ("roll_many", lambda lib, x: lib.nan_to_num(x).roll((2, -1), (0, 1))),
    ("roll_flat", lambda lib, x: lib.roll(lib.nan_to_num(x), 5)),
    ("var_mean", lambda lib, x: lib.var_mean(lib.nan_to_num(x, 0.0, 1.0, -1.0), 1)),
    ("std_mean", lambda lib, x: lib.std_mean(lib.nan_to_num(x, 0.0, 1.0, -1.0), dim=0, correction=0)),
])
def test_compositions_match_pytorch(name, call):
    results = []
    for lib in (minigan, torch):
        x = lib.tensor(X, requires_grad=True)
        with np.errstate(over="ignore", invalid="ignore"):  # (the largest float64 times a weight: ∞, in both)
            out = call(lib, x)
            outs = out if isinstance(out, tuple) else (out,)
            weights = [lib.tensor(np.arange(o.numel(), dtype=np.float64).reshape(tuple(o.shape))) for o in outs]
            sum((o * w).sum() for o, w in zip(outs, weights)).backward()
        results.append(([o.detach().numpy() for o in outs], x.grad.detach().numpy()))
    for u, t in zip(results[0][0], results[1][0]):
        np.testing.assert_allclose(u, t, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-12, atol=1e-12)


def test_gumbel_softmax_samples_the_categorical_and_passes_the_soft_gradient():
    """Hard samples are one-hot at the frequencies softmax(logits) gives; their gradient is the soft sample's (the
    straight-through estimator, as PyTorch's): checked by replaying the soft sample with the same noise."""
    F = minigan.nn.functional
    probabilities = np.array([0.1, 0.6, 0.3])
    minigan.manual_seed(3)
    logits = minigan.tensor(np.log(np.tile(probabilities, (N, 1))), dtype=minigan.float32, requires_grad=True)
    hard = F.gumbel_softmax(logits, tau=0.5, hard=True)
    assert set(np.unique(hard.detach().numpy())) == {0.0, 1.0} and (hard.detach().numpy().sum(axis=1) == 1).all()
    np.testing.assert_allclose(hard.detach().numpy().mean(axis=0), probabilities, atol=4 * np.sqrt(0.25 / N))
    weights = minigan.tensor([1.0, 2.0, 3.0])
    (hard * weights).sum().backward()
    minigan.manual_seed(3)
    again = minigan.tensor(logits.detach().numpy(), requires_grad=True)
    (F.gumbel_softmax(again, tau=0.5) * weights).sum().backward()  # the same noise: the soft sample's gradient
    np.testing.assert_allclose(logits.grad.detach().numpy(), again.grad.detach().numpy(), rtol=1e-6)
    soft = F.gumbel_softmax(minigan.tensor([[0.0, 1.0, 2.0]]), tau=2.0)
    assert 0 < float(soft.min()) and float(soft.sum()) == pytest.approx(1.0)
    shape = tuple(torch.nn.functional.gumbel_softmax(torch.zeros(4, 3), dim=0).shape)
    assert tuple(F.gumbel_softmax(minigan.zeros(4, 3), dim=0).shape) == shape
    zero_tau = (torch.nn.functional.gumbel_softmax(torch.zeros(2), tau=0), F.gumbel_softmax(minigan.zeros(2), tau=0))
    assert [np.isnan(t.numpy()).tolist() for t in zero_tau] == [[True, True]] * 2  # (no check on tau, as PyTorch's)
