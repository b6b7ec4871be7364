"""var_mean's and std_mean's mean of entries holding ±∞, against PyTorch float64: PyTorch computes it in one pass
(Welford's running mean, m += (x − m)/k), so an ∞ followed by any entry of the reduction gives ∞ − ∞ = NaN, and an ∞
that comes last gives ∞; mean() itself gives ±∞.  Over every entry, one dim, several dims (in row-major order),
keepdim, 0-d; the gradient is the mean's (grad/n to each entry), as PyTorch's."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _arrays():
    rng = np.random.default_rng(5)
    for shape in [(5,), (1,), (), (3, 4), (2, 3, 4)]:
        for _ in range(12):
            a = np.array(np.round(rng.standard_normal(shape), 2))
            if a.size:
                for _ in range(rng.integers(1, 3)):
                    a[np.unravel_index(rng.integers(a.size), a.shape)] = rng.choice([np.inf, -np.inf])
            yield a


DIMS = [None, 0, -1, (0, -1), [], (-1, 0)]


@pytest.mark.filterwarnings("ignore:.*degrees of freedom")
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
def test_the_mean_of_var_mean_is_pytorchs_running_mean(name, keepdim):
    found = []
    for a in _arrays():
        for dim in DIMS:
            if isinstance(dim, tuple) and a.ndim < 2:  # (dims 0 and -1 are one dim there)
                continue
            outs = []
            for lib in (torch, minigan):
                t = lib.tensor(a, dtype=lib.float64, requires_grad=True)
                with np.errstate(all="ignore"):
                    mean = getattr(lib, name)(t, dim=dim, keepdim=keepdim)[1]
                    g, = lib.autograd.grad(mean.sum(), t)
                outs.append((mean.detach().numpy(), g.numpy()))
            (m1, g1), (m2, g2) = outs
            if m1.shape != m2.shape or not np.allclose(m1, m2, rtol=1e-12, atol=1e-15, equal_nan=True) or \
                    not np.allclose(g1, g2, equal_nan=True):
                found.append(f"{name}({a.tolist()}, dim={dim}): PyTorch {m1.tolist()}, minigan {m2.tolist()}")
    assert not found, f"{len(found)} differ from PyTorch:\n" + "\n".join(found[:10])
