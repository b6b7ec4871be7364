"""minigan.distributions against torch.distributions: after the same seed the same samples (bit for bit in
float32; float64 normals to 2 ulps, their log and sin/cos being the C library's: tests/pytorch/test_same_stream.py),
the same log_prob, entropy, cdf, icdf, mean, variance and KL, the same gradients through rsample and log_prob, and
the same ValueErrors for invalid parameters and values.  A sweep: the default run draws a seeded slice of the cases,
``-m parity`` runs them all.  (The torch-free properties: tests/library/test_distributions.py.)"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import minigan
import minigan.distributions as MD

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
import torch.distributions as TD  # noqa: E402

SEEDS = [0, 7, 2**32 + 5]
DRAWS = ["sample", "rsample"]
SHAPES = [(), (1,), (5,), (4, 5)]  # sample shapes: with a batch of 3 or 4, on both sides of normal's block of 16
DTYPES = ["float32", "float64"]
P = np.random.default_rng(0)


def _arr(values, dtype):
    return np.asarray(values, dtype=dtype)


def _tril(lib, f):
    return f([[[1.0, 0.0, 0.0], [0.5, 0.8, 0.0], [-0.3, 0.2, 1.5]],
              [[2.0, 0.0, 0.0], [-1.0, 0.5, 0.0], [0.1, 0.1, 0.3]]])


def _cov(lib, f):
    return f([[[1.0, 0.5, -0.3], [0.5, 0.89, -0.05], [-0.3, -0.05, 2.38]], [[4.0, -2.0, 0.2], [-2.0, 1.25, -0.05],
                                                                           [0.2, -0.05, 0.11]]])


# name -> (build(lib, f): the distribution, f making a parameter tensor from values; whether its samples equal
# PyTorch's bit for bit, or to a few units of the last place: those that go through log1p (Laplace: NumPy's float32
# log1p and PyTorch's differ by an ulp now and then), a sigmoid or tanh, or a matrix product)
CASES = {
    "Normal": (lambda lib, f: lib.distributions.Normal(f([0.3, -1.2, 2.0]), f([0.5, 1.7, 0.9])), True),
    "Normal-scalars": (lambda lib, f: lib.distributions.Normal(0.5, 2.0), True),
    "Normal-broadcast": (lambda lib, f: lib.distributions.Normal(f([[0.3], [-1.0]]), f([0.5, 1.7, 0.9])), True),
    "Bernoulli": (lambda lib, f: lib.distributions.Bernoulli(f([0.1, 0.5, 0.93])), True),
    "Bernoulli-logits": (lambda lib, f: lib.distributions.Bernoulli(logits=f([[-2.0, 0.3], [1.5, 0.0]])), True),
    "Categorical": (lambda lib, f: lib.distributions.Categorical(f([[0.1, 0.5, 0.4], [2.0, 1.0, 1.0]])), True),
    "Categorical-logits": (lambda lib, f: lib.distributions.Categorical(logits=f([0.3, -1.0, 2.0, 0.0])), True),
    "OneHotCategorical": (lambda lib, f: lib.distributions.OneHotCategorical(f([[0.1, 0.5, 0.4], [0.2, 0.2, 0.6]])),
                          True),
    "Uniform": (lambda lib, f: lib.distributions.Uniform(f([0.0, -1.0, 2.0]), f([1.0, 3.0, 2.5])), True),
    "Exponential": (lambda lib, f: lib.distributions.Exponential(f([0.5, 2.0, 7.0])), True),
    "Laplace": (lambda lib, f: lib.distributions.Laplace(f([0.3, -1.2, 2.0]), f([0.5, 1.7, 0.9])), False),
    "MultivariateNormal-scale_tril": (lambda lib, f: lib.distributions.MultivariateNormal(
        f([0.5, -1.0, 2.0]), scale_tril=_tril(lib, f)), True),
    "MultivariateNormal-covariance": (lambda lib, f: lib.distributions.MultivariateNormal(
        f([[0.5, -1.0, 2.0], [0.0, 0.0, 1.0]]), _cov(lib, f)), False),
    "MultivariateNormal-precision": (lambda lib, f: lib.distributions.MultivariateNormal(
        f([0.5, -1.0, 2.0]), precision_matrix=_cov(lib, f)), False),
    "Independent": (lambda lib, f: lib.distributions.Independent(
        lib.distributions.Normal(f([[0.3, -1.2], [2.0, 0.0]]), f([0.5, 1.7])), 1), True),
    "Transformed-affine-exp": (lambda lib, f: lib.distributions.TransformedDistribution(
        lib.distributions.Normal(f([0.3, -1.2]), f([0.5, 1.7])),
        [lib.distributions.transforms.AffineTransform(1.0, f([0.5, 2.0])),
         lib.distributions.transforms.ExpTransform()]), False),
    "Transformed-sigmoid-tanh": (lambda lib, f: lib.distributions.TransformedDistribution(
        lib.distributions.Normal(f([0.3, -1.2]), f([0.5, 1.7])),
        [lib.distributions.transforms.SigmoidTransform(), lib.distributions.transforms.TanhTransform()]), False),
    # Gumbel-softmax (a semi-supervised VAE's q(y|x)): log, exp and logsumexp of the drawn uniforms
    "RelaxedOneHotCategorical": (lambda lib, f: lib.distributions.RelaxedOneHotCategorical(
        f(0.6), logits=f([[0.3, -1.0, 2.0], [0.0, 0.5, -0.5]])), False),
    "RelaxedOneHotCategorical-probs": (lambda lib, f: lib.distributions.RelaxedOneHotCategorical(
        f([[0.5], [2.0]]), probs=f([[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]])), False),
    "ExpRelaxedCategorical": (lambda lib, f: lib.distributions.relaxed_categorical.ExpRelaxedCategorical(
        f(0.6), logits=f([0.3, -1.0, 2.0])), False),
}


def _both(name, dtype, requires_grad=False):
    """The case built in both libraries from the same float parameters (leaves that require grad if asked)."""
    out, leaves = [], []
    for lib in (minigan, torch):
        made = []

        def f(values, lib=lib, made=made):
            t = lib.tensor(_arr(values, dtype), requires_grad=requires_grad)
            made.append(t)
            return t
        out.append(CASES[name][0](lib, f))
        leaves.append(made)
    return out, leaves


def _same(ours, theirs, ulps=0, close=False):
    """Equal bit for bit; or to ``ulps`` in float64; or, ``close``, to a few units of the dtype's last place (values
    computed by other formulas or kernels: float32's erfinv, a reduction's order)."""
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    assert a.shape == b.shape, (a.shape, b.shape)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    if close:
        tolerance = 2e-6 if a.dtype == np.float32 else 1e-13
        np.testing.assert_allclose(a, b, rtol=tolerance, atol=tolerance)
    elif ulps and a.dtype == np.float64:
        np.testing.assert_allclose(a, b, rtol=ulps * 2.3e-16, atol=0)
    else:
        np.testing.assert_array_equal(a, b)


DISCRETE = {"Bernoulli", "Bernoulli-logits", "Categorical", "Categorical-logits", "OneHotCategorical"}  # no rsample


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name, draw", [(n, d) for n in CASES for d in DRAWS if d == "sample" or n not in DISCRETE])
def test_same_seed_same_samples(name, dtype, seed, shape, draw):
    (ours, theirs), _ = _both(name, dtype)
    assert ours.has_rsample == theirs.has_rsample == (name not in DISCRETE)
    minigan.manual_seed(seed)
    torch.manual_seed(seed)
    x, y = getattr(ours, draw)(shape), getattr(theirs, draw)(shape)
    _same(x, y, ulps=4, close=not CASES[name][1])
    _same(minigan.rand(3, dtype=minigan.float64), torch.rand(3, dtype=torch.float64))  # (the stream's place after)


# The samples docs/pytorch.md says are PyTorch's bit for bit in float32, over event sizes and batch shapes: each
# distribution's parameters drawn for the shape (a scale_tril with a positive diagonal; probabilities of a category
# axis of the event size)
BITWISE = {
    "Normal": lambda D, f, n, b: D.Normal(f(b + (n,)), f(b + (n,), positive=True)),
    "Bernoulli": lambda D, f, n, b: D.Bernoulli(f(b + (n,), unit=True)),
    "Bernoulli-logits": lambda D, f, n, b: D.Bernoulli(logits=f(b + (n,))),
    "Categorical": lambda D, f, n, b: D.Categorical(f(b + (n,), unit=True)),
    "OneHotCategorical": lambda D, f, n, b: D.OneHotCategorical(logits=f(b + (n,))),
    "Uniform": lambda D, f, n, b: D.Uniform(f(b + (n,)) - 3, f(b + (n,), positive=True)),
    "Exponential": lambda D, f, n, b: D.Exponential(f(b + (n,), positive=True)),
    "Independent": lambda D, f, n, b: D.Independent(D.Normal(f(b + (n,)), f(b + (n,), positive=True)), 1),
    "MultivariateNormal-scale_tril": lambda D, f, n, b: D.MultivariateNormal(f(b + (n,)), scale_tril=f(
        b + (n, n), tril=True)),
}


@pytest.mark.parametrize("seed", [0, 11])
@pytest.mark.parametrize("batch", [(), (2,), (3, 1)])
@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 16])
@pytest.mark.parametrize("name", list(BITWISE))
def test_float32_samples_bit_for_bit_over_event_sizes_and_batches(name, n, batch, seed):
    draws = []
    for lib in (minigan, torch):
        rng = np.random.default_rng([seed, n, len(batch)])

        def f(shape, positive=False, unit=False, tril=False, lib=lib, rng=rng):
            x = rng.standard_normal(shape).astype(np.float32)
            if tril:
                x = np.tril(x) + np.eye(shape[-1], dtype=np.float32) * (np.abs(x) + 0.5)
            x = np.abs(x) + np.float32(0.1) if positive else 1 / (1 + np.exp(-x)) if unit else x
            return lib.tensor(x)
        d = BITWISE[name](lib.distributions, f, n, batch)
        lib.manual_seed(seed)
        draws.append(d.sample((5,)))
    _same(*draws)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(CASES))
def test_values_and_gradients_as_pytorchs(name, dtype):
    """log_prob, entropy, cdf, icdf, mean, stddev, variance and their gradients, at PyTorch's own sample."""
    (ours, theirs), (our_leaves, their_leaves) = _both(name, dtype, requires_grad=True)
    torch.manual_seed(1)
    with torch.no_grad():
        y = theirs.sample((2,))
    x = minigan.tensor(y.numpy())
    outs = [_scores(ours, x, minigan), _scores(theirs, y, torch)]
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


def _scores(d, v, lib):
    """What a distribution says about a value (None for what it does not have)."""
    at = lib.full_like(v, 0.3) if not d.event_shape else None
    scores = [lambda: d.log_prob(v), d.entropy, lambda: d.mean, lambda: d.variance, lambda: d.stddev,
              lambda: d.mode, lambda: d.cdf(v)] + ([lambda: d.icdf(at)] if at is not None else [])
    return [_attempt(score) for score in scores]


def _attempt(value):
    """value(), or None where the distribution has no such thing (NotImplementedError, in both libraries)."""
    try:
        return value()
    except NotImplementedError:
        return None


@pytest.mark.parametrize("name", ["Normal", "RelaxedOneHotCategorical", "RelaxedOneHotCategorical-probs"])
def test_rsample_gradient_as_pytorchs(name):
    (ours, theirs), (our_leaves, their_leaves) = _both(name, "float64", requires_grad=True)
    for d, lib in ((ours, minigan), (theirs, torch)):
        lib.manual_seed(2)
        (d.rsample((5,)) ** 2 * lib.arange(1.0, d.event_shape.numel() + 1, dtype=lib.float64)).sum().backward()
    for a, b in zip(our_leaves, their_leaves):
        _same(a.grad, b.grad, close=True)


def test_a_relaxed_sample_lies_on_the_simplex_and_its_log_prob_is_pytorchs_at_its_own_samples():
    """The semi-supervised VAE's ELBO term: log q(y|x) of q's own rsample, with the gradient to the logits."""
    logits = np.random.default_rng(3).normal(size=(4, 10)).astype(np.float32)
    ours, theirs = minigan.tensor(logits, requires_grad=True), torch.tensor(logits, requires_grad=True)
    out = []
    for lib, leaf in ((minigan, ours), (torch, theirs)):
        lib.manual_seed(5)
        q = lib.distributions.RelaxedOneHotCategorical(lib.tensor(0.6), logits=leaf)
        y = q.rsample()
        score = q.log_prob(y) - lib.distributions.RelaxedOneHotCategorical(
            lib.tensor(0.6), logits=lib.zeros_like(y)).log_prob(y)
        score.sum().backward()
        out.append((y, score))
    _same(out[0][0], out[1][0], close=True)
    np.testing.assert_allclose(out[0][0].detach().numpy().sum(-1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(out[0][1].detach().numpy(), out[1][1].detach().numpy(), rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-4, atol=1e-4)


def _pair(p, q):
    """Two distributions of the CASES above, q's parameters 0.8 times p's."""
    def build(lib, f):
        return CASES[p][0](lib, f), CASES[q][0](lib, lambda values: f((np.asarray(values) * 0.8).tolist()))
    return build


KL_PAIRS = {f"{p}|{q}": _pair(p, q) for p, q in [
    ("Normal", "Normal"), ("Bernoulli", "Bernoulli"), ("Bernoulli-logits", "Bernoulli-logits"),
    ("Categorical", "Categorical"), ("OneHotCategorical", "OneHotCategorical"), ("Exponential", "Exponential"),
    ("Laplace", "Laplace"), ("MultivariateNormal-scale_tril", "MultivariateNormal-scale_tril"),
    ("MultivariateNormal-covariance", "MultivariateNormal-covariance"), ("Independent", "Independent"),
    ("Exponential", "Normal"), ("Laplace", "Normal"), ("Normal", "Laplace"), ("Normal", "Uniform"),
    ("Laplace", "Exponential"), ("Normal", "Exponential"), ("Exponential", "Uniform"), ("Laplace", "Uniform")]}
KL_PAIRS.update({  # pairs whose supports need parameters of their own
    "Uniform|Uniform": lambda lib, f: (lib.distributions.Uniform(f([0.0, 1.0, -2.0]), f([1.0, 2.0, 0.0])),
                                       lib.distributions.Uniform(f([-1.0, 1.5, -3.0]), f([2.0, 5.0, 0.5]))),
    "Uniform|Exponential": lambda lib, f: (lib.distributions.Uniform(f([0.2, -1.0]), f([1.0, 3.0])),
                                           lib.distributions.Exponential(f([1.5, 0.4]))),
    "Uniform|Normal": lambda lib, f: (lib.distributions.Uniform(f([0.2, -1.0]), f([1.0, 3.0])),
                                      lib.distributions.Normal(f([0.5, -1.0]), f([2.0, 0.7]))),
    "Transformed|Transformed": lambda lib, f: tuple(lib.distributions.TransformedDistribution(
        lib.distributions.Normal(f(m), f(s)), [lib.distributions.transforms.ExpTransform()])
        for m, s in (([0.3, -1.2], [0.5, 1.7]), ([1.0, 0.2], [2.0, 0.4]))),
})


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
        if kl.requires_grad:
            lib.where(kl.isfinite(), kl, 0.0).sum().backward()
        results.append((kl, [t.grad if t.grad is not None else lib.zeros_like(t) for t in leaves]))
    _same(results[0][0], results[1][0], close=True)
    for a, b in zip(results[0][1], results[1][1]):
        _same(a, b, close=True)


def _message(error):
    return str(error).replace("torch.", "minigan.")


@pytest.mark.parametrize("call", [
    lambda D, lib: D.Normal(lib.tensor([0.0, 1.0]), lib.tensor([1.0, -1.0])),
    lambda D, lib: D.Normal(0.0, float("nan")),
    lambda D, lib: D.Normal(lib.tensor([0.0, float("nan")]), 1.0),
    lambda D, lib: D.Normal(lib.zeros(2), 1.0).log_prob(lib.zeros(3)),
    lambda D, lib: D.Normal(lib.zeros(2), 1.0).log_prob(0.5),
    lambda D, lib: D.Normal(lib.zeros(2), 1.0).cdf(lib.tensor([0.0, float("nan")])),
    lambda D, lib: D.Normal("a", 1.0),
    lambda D, lib: D.Bernoulli(lib.tensor([0.5, 1.5])),
    lambda D, lib: D.Bernoulli(0.5, logits=0.0),
    lambda D, lib: D.Bernoulli(lib.tensor([0.5, 0.2])).log_prob(lib.tensor([1.0, 0.5])),
    lambda D, lib: D.Categorical(lib.tensor([0.5, -0.2])),
    lambda D, lib: D.Categorical(lib.tensor(0.5)),
    lambda D, lib: D.Categorical(logits=lib.tensor([0.5, float("nan")])),
    lambda D, lib: D.Categorical(lib.tensor([0.5, 0.5])).log_prob(lib.tensor([2])),
    lambda D, lib: D.OneHotCategorical(lib.tensor([0.5, 0.5])).log_prob(lib.tensor([1.0, 1.0])),
    lambda D, lib: D.OneHotCategorical(lib.tensor([0.5, 0.5])).log_prob(lib.tensor([1.0, 0.0, 0.0])),
    lambda D, lib: D.Uniform(lib.tensor([0.0, 1.0]), lib.tensor([1.0, 1.0])),
    lambda D, lib: D.Uniform(0.0, 1.0).log_prob(lib.tensor(1.5)),
    lambda D, lib: D.Exponential(lib.tensor([1.0, 0.0])),
    lambda D, lib: D.Exponential(1.0).log_prob(lib.tensor([-1.0])),
    lambda D, lib: D.Laplace(0.0, lib.tensor([-1.0])),
    lambda D, lib: D.MultivariateNormal(lib.zeros(2), lib.tensor([[1.0, 2.0], [2.0, 1.0]])),
    lambda D, lib: D.MultivariateNormal(lib.zeros(2), lib.tensor([[1.0, 0.5], [0.0, 1.0]])),
    lambda D, lib: D.MultivariateNormal(lib.zeros(2), scale_tril=lib.tensor([[1.0, 0.5], [0.0, 1.0]])),
    lambda D, lib: D.MultivariateNormal(lib.zeros(2), scale_tril=lib.tensor([[-1.0, 0.0], [0.0, 1.0]])),
    lambda D, lib: D.MultivariateNormal(lib.zeros(2), precision_matrix=-lib.eye(2)),
    lambda D, lib: D.MultivariateNormal(lib.zeros(2)),
    lambda D, lib: D.MultivariateNormal(lib.zeros(2), lib.eye(2), scale_tril=lib.eye(2)),
    lambda D, lib: D.MultivariateNormal(lib.tensor(0.0), lib.eye(2)),
    lambda D, lib: D.MultivariateNormal(lib.zeros(2), lib.ones(2)),
    lambda D, lib: D.MultivariateNormal(lib.zeros(2), lib.eye(2)).log_prob(lib.zeros(3)),
    lambda D, lib: D.Independent(D.Normal(lib.zeros(2), 1.0), 2),
    lambda D, lib: D.TransformedDistribution(D.Normal(0.0, 1.0), "exp"),
    lambda D, lib: D.TransformedDistribution(D.Normal(0.0, 1.0), [D.transforms.ExpTransform(), "exp"]),
    lambda D, lib: D.TransformedDistribution(D.Normal(0.0, 1.0), D.transforms.ExpTransform()).log_prob(
        lib.tensor(-1.0)),
    # the usual calls' shapes and dtypes, outside their constraints
    lambda D, lib: D.Bernoulli(logits=lib.tensor([[-2.0, 0.3], [1.5, 0.0]])).log_prob(lib.tensor([[1.0, 0.5],
                                                                                              [0.0, 1.0]])),
    lambda D, lib: D.Bernoulli(logits=lib.tensor([-2.0, 0.3])).log_prob(lib.tensor([1.0, float("nan")])),
    lambda D, lib: D.Bernoulli(logits=lib.tensor([-2.0, 0.3])).log_prob(lib.tensor([1.0, 0.0, 1.0])),
    lambda D, lib: D.Normal(lib.zeros(2), lib.tensor([1.0, 0.0])),
    lambda D, lib: D.Normal(lib.tensor([0.0, float("nan")]), lib.ones(2)),
    lambda D, lib: D.Bernoulli(logits=lib.tensor([0.0, float("nan")])),
    lambda D, lib: D.Distribution.set_default_validate_args(2),
])
def test_refusals_are_pytorchs_value_errors(call):
    with pytest.raises(ValueError) as theirs:
        call(TD, torch)
    with pytest.raises(ValueError) as ours:
        call(MD, minigan)
    assert _message(ours.value) == _message(theirs.value)


NAMES = ["Distribution", "ExponentialFamily", "Normal", "Bernoulli", "Categorical", "OneHotCategorical", "Uniform",
         "Exponential", "Laplace", "MultivariateNormal", "Independent", "TransformedDistribution", "Transform",
         "AffineTransform", "ComposeTransform", "ExpTransform", "IndependentTransform", "SigmoidTransform",
         "SoftplusTransform", "TanhTransform", "RelaxedOneHotCategorical"]


@pytest.mark.parametrize("name", NAMES)
def test_the_class_hierarchy_as_pytorchs(name):
    ours, theirs = getattr(MD, name), getattr(TD, name)
    own = [c.__name__ for c in ours.__mro__ if c.__module__.startswith("minigan")]
    assert own == [c.__name__ for c in theirs.__mro__ if c.__module__.startswith("torch")]


@pytest.mark.parametrize("name", list(CASES))
def test_reprs_shapes_and_expand_as_pytorchs(name):
    (ours, theirs), _ = _both(name, "float32")
    assert _message(repr(ours)) == _message(repr(theirs))
    assert (tuple(ours.batch_shape), tuple(ours.event_shape)) == (tuple(theirs.batch_shape), tuple(theirs.event_shape))
    assert _message(repr(ours.support)) == _message(repr(theirs.support))
    wide = (4,) + tuple(theirs.batch_shape)
    a, b = ours.expand(wide), theirs.expand(wide)
    assert (tuple(a.batch_shape), tuple(a.event_shape)) == (tuple(b.batch_shape), tuple(b.event_shape))
    minigan.manual_seed(2)
    torch.manual_seed(2)
    _same(a.sample((2,)), b.sample((2,)), ulps=4, close=not CASES[name][1])
    assert ours.has_enumerate_support == theirs.has_enumerate_support
    if theirs.has_enumerate_support:
        for expand in (True, False):
            _same(ours.enumerate_support(expand), theirs.enumerate_support(expand))


@pytest.mark.parametrize("name", ["ExpTransform", "SigmoidTransform", "TanhTransform", "SoftplusTransform",
                                  "AffineTransform", "ComposeTransform"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_transforms_as_pytorchs(name, dtype):
    """The map, its inverse and log|J|, with gradients, and the transform's repr."""
    outs = []
    for lib, D in ((minigan, MD), (torch, TD)):
        t = _transform(name, lib, D.transforms, dtype)
        x = lib.tensor(_arr([-1.5, 0.7], dtype), requires_grad=True)
        y = t(x)
        ladj = t.log_abs_det_jacobian(x, y)
        back = t.inv(y)
        (y.sum() + ladj.sum() * 2 + back.sum() * 3).backward()
        outs.append((repr(t), y, ladj, back, x.grad))
    assert _message(outs[0][0]) == _message(outs[1][0])
    for a, b in zip(outs[0][1:], outs[1][1:]):
        _same(a, b, close=True)


def _transform(name, lib, transforms, dtype):
    if name == "AffineTransform":
        return transforms.AffineTransform(lib.tensor(_arr([0.5, -1.0], dtype)), -2.0)
    if name == "ComposeTransform":
        return transforms.ComposeTransform([transforms.AffineTransform(1.0, 0.5), transforms.SigmoidTransform()])
    return getattr(transforms, name)()


# The edges of the usual calls a VAE makes, each of which goes straight to its formula (Normal of two tensors of one
# shape, its rsample, Bernoulli of logits and its log_prob of a value of the batch shape): the calls just off that
# path, which take PyTorch's rules, agree with PyTorch's on what a program sees
def _edge(D, lib, case):
    f32, f64 = (lambda v: lib.tensor(np.asarray(v, np.float32))), (lambda v: lib.tensor(np.asarray(v, np.float64)))
    logits = f32([[-2.0, 0.3], [1.5, 0.0]])
    return {
        "rsample of an empty batch": lambda: D.Normal(lib.zeros(0, 3), lib.ones(0, 3)).rsample(),
        "rsample of an empty float64 batch": lambda: D.Normal(f64(np.zeros((2, 0))), f64(np.ones((2, 0)))).rsample(),
        "rsample of an empty sample shape": lambda: D.Normal(f32([0.5]), f32([2.0])).rsample((0,)),
        "rsample of a list shape": lambda: D.Normal(f32([0.5, 1.0]), f32([2.0, 1.0])).rsample([3]),
        "rsample of a Size": lambda: D.Normal(f32([0.5, 1.0]), f32([2.0, 1.0])).rsample(lib.Size([2, 1])),
        "log_prob of 0s and 1s": lambda: D.Bernoulli(logits=logits).log_prob(f32([[1.0, 0.0], [0.0, 1.0]])),
        "log_prob broadcast": lambda: D.Bernoulli(logits=logits).log_prob(f32([1.0, 0.0])),
        "log_prob of probs' logits": lambda: D.Bernoulli(f32([0.2, 0.9])).log_prob(f32([1.0, 0.0])),
        "log_prob unvalidated": lambda: D.Bernoulli(logits=logits, validate_args=False).log_prob(
            f32([[0.5, 0.0], [0.25, 1.0]])),
    }[case]


@pytest.mark.parametrize("case", ["rsample of an empty batch", "rsample of an empty float64 batch",
                                  "rsample of an empty sample shape", "rsample of a list shape", "rsample of a Size",
                                  "log_prob of 0s and 1s", "log_prob broadcast", "log_prob of probs' logits",
                                  "log_prob unvalidated"])
def test_the_usual_calls_edges_as_pytorchs(case):
    minigan.manual_seed(3)
    torch.manual_seed(3)
    ours, theirs = _edge(MD, minigan, case)(), _edge(TD, torch, case)()
    assert tuple(ours.shape) == tuple(theirs.shape)
    _same(ours, theirs, close=True)
    _same(minigan.rand(3), torch.rand(3))  # (the stream's place after: an empty draw takes no words)


@pytest.mark.parametrize("name", ["Normal", "Laplace", "Bernoulli"])
def test_the_usual_families_signatures_as_pytorchs(name):
    ours, theirs = (inspect.signature(getattr(D, name)).parameters.values() for D in (MD, TD))
    assert [(p.name, p.default) for p in ours] == [(p.name, p.default) for p in theirs]


def test_a_subclass_of_normal_expands_as_pytorchs():
    """Normal's __init__ is the location-scale families' one function: a subclass that keeps it expands, one with an
    __init__ of its own is asked for its own expand, as PyTorch's."""
    for lib, D in ((minigan, MD), (torch, TD)):
        kept = type("Kept", (D.Normal,), {})
        assert tuple(kept(lib.zeros(3), lib.ones(3)).expand((2, 3)).batch_shape) == (2, 3)
        own = type("Own", (D.Normal,), {"__init__": lambda self, loc, D=D, lib=lib: D.Normal.__init__(
            self, loc, lib.ones(3))})
        with pytest.raises(NotImplementedError, match="custom .expand"):
            own(lib.zeros(3)).expand((2, 3))
