"""The distributions' rows at the edges, against torch.distributions: each distribution built from a row of
parameters holding an infinity, a NaN, a zero of either sign, a boundary probability (0, 1), a huge or a subnormal
value, or a matrix that is not positive definite, with validation off (``validate_args=False``:
what PyTorch refuses anyway, at construction or at a sample, minigan must refuse alike, with the same built-in class)
and on (PyTorch's ValueErrors).  What each says: log_prob (and cdf) at ordinary, boundary and infinite values, the
mean, variance, stddev, mode, entropy and a seeded sample.  One group per distribution, dtype and validation; the
default run keeps a slice, ``-m parity`` the whole sweep (tests/pytorch/sweep.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pytorch.sweep import close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

INF, NAN = math.inf, math.nan
SPECIAL = [0.0, -0.0, 1.0, -1.0, INF, -INF, NAN, 1e-30, 1e30, 1e-45]
PROBS = [0.0, 1.0, 0.5, 1e-8, 1 - 1e-7, INF, -INF, NAN, -0.5, 1.5]
PAIRS = ("Normal", "Laplace", "Uniform")  # two parameters of the same kind
ONE = ("Exponential", "Bernoulli-logits", "Categorical-logits", "OneHotCategorical-logits", "RelaxedOneHotCategorical",
       "MultivariateNormal-scale_tril", "MultivariateNormal-covariance", "MultivariateNormal-precision")
PROBABILITIES = ("Bernoulli", "Categorical", "OneHotCategorical")
MATRICES = ("MultivariateNormal-covariance", "MultivariateNormal-precision")


def _cases():
    for dtype in ("float32", "float64"):
        for validate in (False, None):
            rows = [(name, (a, b)) for name in PAIRS for a in SPECIAL for b in SPECIAL]
            rows += [(name, (a,)) for name in ONE for a in SPECIAL if not (name in MATRICES and a == INF and
                                                                           dtype == "float32")]
            # (an infinite diagonal entry: PyTorch's float64 Cholesky factors it, ∞ on the factor's diagonal, as
            # minigan's does in both dtypes; its float32 kernel refuses it, at the leading minor of order 3)
            rows += [(name, (p,)) for name in PROBABILITIES for p in PROBS]
            # (a matrix that is not symmetric, with validation off, is not swept: PyTorch's Cholesky reads its lower
            # triangle, minigan's (a + aᵀ)/2, whose gradient is the finite differences' of the values)
            yield from ((name, row, dtype, validate) for name, row in rows)


def _build(L, name, row, dtype, validate):
    D = L.distributions

    def f(x):
        return L.tensor(np.asarray(x, dtype=dtype))
    if name in PAIRS:
        return getattr(D, name)(f([row[0], 0.3]), f([row[1], 1.0]), validate_args=validate)
    if name == "Exponential":
        return D.Exponential(f([row[0], 2.0]), validate_args=validate)
    if name.startswith("Bernoulli"):
        kind = "logits" if name.endswith("logits") else "probs"
        return D.Bernoulli(**{kind: f([row[0], 0.3])}, validate_args=validate)
    if name.startswith(("Categorical", "OneHotCategorical")):
        cls = D.Categorical if name.startswith("Categorical") else D.OneHotCategorical
        kind = "logits" if name.endswith("logits") else "probs"
        return cls(**{kind: f([[row[0], 0.5], [0.2, 0.8]])}, validate_args=validate)
    if name == "RelaxedOneHotCategorical":
        return D.RelaxedOneHotCategorical(f(0.5), logits=f([row[0], 0.5, 0.0]), validate_args=validate)
    zeros = f([0.0, 0.0, 0.0])
    if name.endswith("scale_tril"):
        return D.MultivariateNormal(zeros, scale_tril=f([[1.0, 0.0, 0.0], [0.5, row[0], 0.0], [0.1, 0.2, 1.0]]),
                                    validate_args=validate)
    matrix = [[1.0, 0.3, 0.0], [0.3, row[0], 0.1], [0.0, 0.1, 1.0]]
    kind = "covariance_matrix" if name.endswith("covariance") else "precision_matrix"
    return D.MultivariateNormal(zeros, **{kind: f(matrix)}, validate_args=validate)


def _values(L, name, dtype):
    def f(x):
        return L.tensor(np.asarray(x, dtype=dtype))
    if name.startswith("MultivariateNormal"):
        return [f([[0.0, 1.0, -1.0], [INF, 0.0, 0.0]])]
    if name.startswith("OneHotCategorical"):
        return [f([[1.0, 0.0], [0.0, 1.0]]), f([0.0, 1.0])]
    if name.startswith("Categorical"):
        return [L.tensor([0, 1]), L.tensor([1, 0])]
    if name.startswith("Bernoulli"):
        return [f([0.0, 1.0]), f([1.0, 0.0])]
    if name == "RelaxedOneHotCategorical":
        return [f([0.2, 0.3, 0.5])]
    return [f([0.0, 0.5]), f([INF, -INF]), f([-1.0, 1e30])]


def _call(L, name, row, dtype, validate):
    """What a program reads of the distribution, each item a refusal (its class) or a tensor (within float
    rounding: the formulas are PyTorch's, some kernels the C library's)."""
    d = _build(L, name, row, dtype, validate)
    said = []
    for value in _values(L, name, dtype):
        said.append(outcome(d.log_prob, value))
        said.append(outcome(d.cdf, value) if name in PAIRS + ("Exponential",) else None)
    said += [outcome(lambda attr=attr: getattr(d, attr)) for attr in ("mean", "variance", "stddev", "mode")]
    said.append(outcome(d.entropy))
    L.manual_seed(3)
    said.append(outcome(d.sample, (4,)))
    tol = (2e-6, 1e-6) if dtype == "float32" else (1e-12, 1e-12)
    return [close(s.detach(), *tol) if isinstance(s, (torch.Tensor, minigan.Tensor)) else
            NotImplementedError if isinstance(s, NotImplementedError) else s for s in said]


def _group(name, row, dtype, validate):
    """One test item per distribution, dtype and validation (a two-parameter family's, per its first parameter)."""
    first = f"-{row[0]}" if name in PAIRS else ""
    return f"{name}{first}-{dtype}-{'validated' if validate is None else 'off'}"


test_distributions_at_the_edges_as_pytorchs = sweep(_call, list(_cases()), group=_group)
