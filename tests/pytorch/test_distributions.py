"""minigan.distributions against torch.distributions: after the same seed the same samples (bit for bit in
float32; float64 normals to 2 ulps, their log and sin/cos being the C library's: tests/pytorch/test_same_stream.py),
the same log_prob, entropy, cdf, icdf, mean, variance and KL, the same gradients through rsample and log_prob, and
the same ValueErrors for invalid parameters and values.  A sweep: the default run draws a seeded slice of the cases,
``-m parity`` runs them all.  (The torch-free properties: tests/library/test_distributions.py.)"""

from __future__ import annotations

import numpy as np
import pytest

import minigan
import minigan.distributions as MD

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
import torch.distributions as TD  # noqa: E402

SEEDS = [0, 7, 2**32 + 5]
SHAPES = [(), (1,), (5,), (4, 5)]  # sample shapes: with a batch of 3 or 4, on both sides of normal's block of 16
DTYPES = ["float32", "float64"]
P = np.random.default_rng(0)


def _arr(values, dtype):
    return np.asarray(values, dtype=dtype)


# name -> (lib, dtype, requires_grad) -> distribution; parameters batched, 3 or 4 distributions
CASES = {
    "Normal": lambda lib, f: lib.distributions.Normal(f([0.3, -1.2, 2.0]), f([0.5, 1.7, 0.9])),
    "Normal-scalars": lambda lib, f: lib.distributions.Normal(0.5, 2.0),
    "Normal-broadcast": lambda lib, f: lib.distributions.Normal(f([[0.3], [-1.0]]), f([0.5, 1.7, 0.9])),
}
# values to score: a function of the distribution's library and a sample
DRAWS = ["sample", "rsample"]


def _both(name, dtype, requires_grad=False):
    """The case built in both libraries from the same float parameters (leaves that require grad if asked)."""
    out, leaves = [], []
    for lib in (minigan, torch):
        made = []

        def f(values, lib=lib, made=made):
            t = lib.tensor(_arr(values, dtype), requires_grad=requires_grad)
            made.append(t)
            return t
        out.append(CASES[name](lib, f))
        leaves.append(made)
    return out, leaves


def _same(ours, theirs, ulps=0, close=False):
    """Equal bit for bit; or to ``ulps`` in float64; or, ``close``, to a few units of the dtype's last place (values
    computed by other formulas or kernels: float32's erfinv, a reduction's order)."""
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    assert a.shape == b.shape, (a.shape, b.shape)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    if ulps and a.dtype == np.float64:
        np.testing.assert_allclose(a, b, rtol=ulps * 2.3e-16, atol=0)
    elif close:
        tolerance = 2e-6 if a.dtype == np.float32 else 1e-13
        np.testing.assert_allclose(a, b, rtol=tolerance, atol=tolerance)
    else:
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("draw", DRAWS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(CASES))
def test_same_seed_same_samples(name, dtype, seed, shape, draw):
    (ours, theirs), _ = _both(name, dtype)
    if draw == "rsample" and not theirs.has_rsample:
        pytest.skip("no rsample")
    minigan.manual_seed(seed)
    torch.manual_seed(seed)
    x, y = getattr(ours, draw)(shape), getattr(theirs, draw)(shape)
    _same(x, y, ulps=4)
    _same(minigan.rand(3, dtype=minigan.float64), torch.rand(3, dtype=torch.float64))  # (the stream's place after)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(CASES))
def test_values_and_gradients_as_pytorchs(name, dtype):
    """log_prob, entropy, cdf, icdf, mean, stddev, variance and their gradients, at PyTorch's own sample."""
    (ours, theirs), (our_leaves, their_leaves) = _both(name, dtype, requires_grad=True)
    torch.manual_seed(1)
    with torch.no_grad():
        y = theirs.sample((2,))
    x = minigan.tensor(y.numpy())
    outs = []
    for d, v, lib in ((ours, x, minigan), (theirs, y, torch)):
        results = [d.log_prob(v), d.entropy(), d.mean, d.variance, d.stddev]
        for method in ("cdf", "icdf", "mode"):
            try:
                results.append(getattr(d, method)(v if method == "cdf" else lib.full_like(v, 0.3))
                               if method != "mode" else d.mode)
            except NotImplementedError:
                results.append(None)
        outs.append(results)
    for a, b in zip(*outs):
        assert (a is None) == (b is None)
        if a is not None:
            _same(a, b, close=True)
    for results in outs:
        graded = [(r * (i + 1)).sum() for i, r in enumerate(results) if r is not None and r.requires_grad]
        if graded:
            sum(graded).backward()
    for a, b in zip(our_leaves, their_leaves):
        _same(a.grad if a.grad is not None else minigan.zeros_like(a), b.grad if b.grad is not None else
              torch.zeros_like(b), close=True)


def test_rsample_gradient_as_pytorchs():
    (ours, theirs), (our_leaves, their_leaves) = _both("Normal", "float64", requires_grad=True)
    for d, lib in ((ours, minigan), (theirs, torch)):
        lib.manual_seed(2)
        (d.rsample((5,)) ** 2).sum().backward()
    for a, b in zip(our_leaves, their_leaves):
        _same(a.grad, b.grad, close=True)


KL_PAIRS = {
    "Normal-Normal": lambda lib, f: (lib.distributions.Normal(f([0.3, -1.2]), f([0.5, 1.7])),
                                     lib.distributions.Normal(f([1.0, 0.2]), f([2.0, 0.4]))),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("pair", list(KL_PAIRS))
def test_kl_divergence_as_pytorchs(pair, dtype):
    results = []
    for lib in (minigan, torch):
        leaves = []

        def f(values, lib=lib, leaves=leaves):
            leaves.append(lib.tensor(_arr(values, dtype), requires_grad=True))
            return leaves[-1]
        p, q = KL_PAIRS[pair](lib, f)
        kl = lib.distributions.kl_divergence(p, q)
        kl.sum().backward()
        results.append((kl, [t.grad for t in leaves]))
    _same(results[0][0], results[1][0], close=True)
    for a, b in zip(results[0][1], results[1][1]):
        _same(a, b, close=True)


def _message(error):
    return str(error).replace("torch.", "minigan.")


@pytest.mark.parametrize("call", [
    lambda lib: lib.distributions.Normal(lib.tensor([0.0, 1.0]), lib.tensor([1.0, -1.0])),
    lambda lib: lib.distributions.Normal(0.0, float("nan")),
    lambda lib: lib.distributions.Normal(lib.tensor([0.0, float("nan")]), 1.0),
    lambda lib: lib.distributions.Normal(lib.zeros(2), 1.0).log_prob(lib.zeros(3)),
    lambda lib: lib.distributions.Normal(lib.zeros(2), 1.0).log_prob(0.5),
    lambda lib: lib.distributions.Normal(lib.zeros(2), 1.0).cdf(lib.tensor([0.0, float("nan")])),
    lambda lib: lib.distributions.Normal("a", 1.0),
])
def test_refusals_are_pytorchs_value_errors(call):
    with pytest.raises(ValueError) as theirs:
        call(torch)
    with pytest.raises(ValueError) as ours:
        call(minigan)
    assert _message(ours.value) == _message(theirs.value)


def test_the_class_hierarchy_and_reprs_as_pytorchs():
    for name in ("Normal",):
        ours, theirs = getattr(MD, name), getattr(TD, name)
        assert [c.__name__ for c in ours.__mro__[:-1]] == [c.__name__ for c in theirs.__mro__[:-1]]
    (ours, theirs), _ = _both("Normal", "float32")
    assert _message(repr(ours)) == _message(repr(theirs))
    assert repr(MD.constraints.positive) == repr(TD.constraints.positive)
