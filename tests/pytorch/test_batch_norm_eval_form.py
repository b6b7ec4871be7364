"""docs/pytorch.md, Special values: batch_norm in evaluation is the same affine map in both libraries, written two ways.
PyTorch's CPU kernel computes x·a + (β − μ·a) with a = γ/√(σ² + ε), each a fused multiply-add where the CPU has one
(two roundings apart where it has not); minigan computes (x − μ)·a + β.  They differ where x·a and μ·a are large
beside the result (a channel whose values sit near a large running mean) and where a is infinite (∞ − ∞ = NaN in
PyTorch's form where x and μ have the same sign; ±∞ in minigan's).  Each side is checked against its own formula on
drawn inputs, so a change in either library shows here."""

from __future__ import annotations

import minigan.nn.functional as F
import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

from pytorch.oracle import fused_multiply_add  # noqa: E402


def _inputs(seed, dtype):
    rng = np.random.default_rng(seed)
    c = int(rng.integers(1, 5))
    shape = (int(rng.integers(1, 4)), c) + tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(0, 3)))
    scale = 10.0 ** rng.integers(0, 7)  # large running means: x·a and μ·a far above the result
    mean = rng.standard_normal(c) * scale
    x = mean.reshape((1, c) + (1,) * (len(shape) - 2)) + rng.standard_normal(shape)
    var = np.where(rng.random(c) < 0.2, 0.0, rng.random(c) * 2)
    weight = rng.standard_normal(c) * 3 if rng.random() < 0.8 else None
    if weight is not None and rng.random() < 0.3:
        weight[rng.integers(c)] = rng.choice([np.inf, -np.inf])
    bias = rng.standard_normal(c) if rng.random() < 0.7 else None
    cast = (lambda v: None if v is None else np.asarray(v, dtype=dtype))
    return cast(x), cast(mean), cast(var), cast(weight), cast(bias)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("seed", range(40))
def test_each_library_computes_its_own_form(seed, dtype):
    x, mean, var, weight, bias = _inputs(seed, dtype)
    eps = 1e-5
    theirs = torch.nn.functional.batch_norm(*(None if v is None else torch.from_numpy(v)
                                              for v in (x, mean, var, weight, bias)), training=False, eps=eps).numpy()
    with np.errstate(all="ignore"):  # (0·∞ in either form: NumPy's warning, which PyTorch does not give)
        ours = F.batch_norm(*(None if v is None else minigan.tensor(v) for v in (x, mean, var, weight, bias)),
                            training=False, eps=eps).numpy()
    shape = (1, -1) + (1,) * (x.ndim - 2)
    dt = x.dtype.type
    mu = mean.reshape(shape)
    b = bias.reshape(shape) if bias is not None else np.zeros_like(mu)
    with np.errstate(all="ignore"):
        a = dt(1) / np.sqrt(var.reshape(shape) + dt(eps)) * (weight.reshape(shape) if weight is not None else dt(1))
        fused, apart = fused_multiply_add(x, a, fused_multiply_add(-mu, a, b)), x * a + (b - mu * a)
        mine = a * (x - mu) + b

    def same(p, q):
        return bool(np.all((p == q) | (np.isnan(p) & np.isnan(q))))

    assert same(ours, mine)
    assert same(theirs, fused) or same(theirs, apart)
