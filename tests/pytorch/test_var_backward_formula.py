"""var's and std's gradients are PyTorch's var_backward formula, (2 / (n - correction)) * grad * (x - mean), whose
double and triple backward are that formula's own derivatives, not the derivative of the composition
Σ(x - mean)² / (n - correction) through the mean.  The two agree for finite samples (the deviations sum to 0);
with an infinite entry they do not: over [1.6, inf] the mean is inf, and PyTorch's gradient is [-inf, NaN] where the
composition's is NaN everywhere (the deviations' sum NaN reaches each entry through the mean).  Every door
(var, std, var_mean, std_mean as functions and methods), dims, keepdim and corrections, with ±inf and NaN in the
samples, to third order against PyTorch float64."""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DOORS = {"Tensor.var": lambda lib, x, kw: x.var(**kw),
         "Tensor.std": lambda lib, x, kw: x.std(**kw),
         "var": lambda lib, x, kw: lib.var(x, **kw),
         "std": lambda lib, x, kw: lib.std(x, **kw),
         "var_mean": lambda lib, x, kw: lib.var_mean(x, **kw)[0] * lib.var_mean(x, **kw)[1],
         "std_mean": lambda lib, x, kw: lib.std_mean(x, **kw)[0] + lib.std_mean(x, **kw)[1]}
SAMPLES = [[[1.614, np.inf], [-0.672, 0.364], [0.3, 0.3]],
           [[-np.inf, 2.0], [np.nan, 0.5], [1.0, -1.5]],
           [[np.inf, np.inf], [-0.25, 0.75], [-np.inf, 1.0]]]
CALLS = [{}, {"dim": 1}, {"dim": 0, "keepdim": True}, {"dim": (0, 1)}, {"dim": 1, "correction": 0},
         {"dim": 0, "correction": 2}, {"correction": 0}]


def _grads(lib, door, sample, kw):
    x = lib.tensor(sample, dtype=lib.float64, requires_grad=True)
    out = DOORS[door](lib, x, kw)
    up = lib.tensor(np.random.default_rng(0).standard_normal(tuple(out.shape)), dtype=lib.float64)
    found, (g,) = [], lib.autograd.grad(out, x, up, create_graph=True)
    for _ in range(3):
        found.append(g.detach().numpy().copy())
        if not g.requires_grad:
            break
        (g,) = lib.autograd.grad((g * g.detach().nan_to_num(0.3, 2.0, -2.0)).sum(), x, create_graph=True,
                                 allow_unused=True)
        if g is None:
            break
    return found


@pytest.mark.parametrize("door", list(DOORS))
def test_var_and_std_gradients_are_pytorchs_formula(door):
    bad = []
    for sample, kw in itertools.product(SAMPLES, CALLS):
        with np.errstate(all="ignore"):  # (inf - inf is NaN, as PyTorch's; NumPy's warning is not the point here)
            mine = _grads(minigan, door, sample, kw)
        theirs = _grads(torch, door, sample, kw)
        if len(mine) != len(theirs) or not all(
                np.allclose(a, b, rtol=1e-7, atol=1e-9, equal_nan=True) for a, b in zip(mine, theirs)):
            bad.append((sample, kw, [a.tolist() for a in mine], [b.tolist() for b in theirs]))
    assert not bad, (len(bad), bad[:2])


@pytest.mark.parametrize("door", ["Tensor.var", "Tensor.std", "std"])
def test_a_constant_sample_has_no_spread(door):
    """PyTorch's var (Welford's algorithm) of a constant sample is exactly 0, so std's gradient there is 0 (its
    masked 1/std); a mean that rounds (10 copies of -0.66 sum to a number whose tenth is not -0.66) left minigan a
    variance of 1e-32, and std's gradient 1/(2·1e-16) times the rounding."""
    bad = []
    for n, v in itertools.product((2, 3, 5, 7, 10, 17, 33), np.random.default_rng(0).standard_normal(30)):
        found = []
        for lib in (minigan, torch):
            x = lib.tensor([[float(v)] * n, [0.5] * n], dtype=lib.float64, requires_grad=True)
            out = DOORS[door](lib, x, {"dim": 1})
            (g,) = lib.autograd.grad(out.sum(), x)
            found.append((out.detach().numpy(), g.numpy()))
        (value, grad), (value_t, grad_t) = found  # (the value exactly; var's gradient reads the mean as PyTorch's
        # formula does, whose rounding is the summation's: within 1e-15)
        if not (np.array_equal(value, value_t) and np.allclose(grad, grad_t, rtol=1e-9, atol=1e-15)):
            bad.append((n, v, [[a.tolist() for a in f] for f in found]))
    assert not bad, (len(bad), bad[:2])
