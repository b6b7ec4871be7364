"""The layout of a norm's result, through every door that computes a vector norm (linalg.vector_norm, linalg.norm,
Tensor.norm, torch.norm, F.pairwise_distance), for every order p (0, 1, 2, fractional, negative, ±∞) of a
permuted, transposed or strided input: PyTorch allocates a reduction's result row-major whatever its input's
layout, so the result is contiguous and a later flatten() is a view of it (a scatter_ into that view writes
through).  NumPy's reductions keep the input's memory order, which only the orders 1 and 2 undid."""

import itertools
import math
import operator

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import none_differ

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

ORDERS = [0.0, 1.0, 2.0, 3.0, 0.5, -1.0, math.inf, -math.inf]
VIEWS = {  # (the library, a (2, 5, 2, 5) array): an input that is not row-major
    "permute(3, 1, 2, 0)": lambda t: t.permute(3, 1, 2, 0),
    "permute(1, 0, 2, 3)": lambda t: t.permute(1, 0, 2, 3),
    "permute(2, 3, 0, 1)": lambda t: t.permute(2, 3, 0, 1),
    "transpose(-1, -2)": lambda t: t.transpose(-1, -2),
    "[:, ::2]": lambda t: t[:, ::2],
    "row-major": lambda t: t,
}
DOORS = {
    "linalg.vector_norm": lambda L, x, y, p, d, k: L.linalg.vector_norm(x, p, dim=d, keepdim=k),
    "linalg.norm": lambda L, x, y, p, d, k: L.linalg.norm(x, p, dim=d, keepdim=k),
    "Tensor.norm": lambda L, x, y, p, d, k: x.norm(p, dim=d, keepdim=k),
    "torch.norm": lambda L, x, y, p, d, k: L.norm(x, p, dim=d, keepdim=k),
    "F.pairwise_distance": lambda L, x, y, p, d, k: L.nn.functional.pairwise_distance(x, y, p, keepdim=k),
}


def _layout(lib, out):
    """(shape, contiguous, whether flatten() is a view of the result)."""
    flat = out.flatten()
    if lib is minigan:
        shares = np.shares_memory(flat.detach().numpy(), out.detach().numpy())
    else:
        shares = flat.untyped_storage().data_ptr() == out.untyped_storage().data_ptr()
    return tuple(out.shape), out.is_contiguous(), bool(shares)


@pytest.mark.parametrize("door", sorted(DOORS))
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_a_norms_result_is_laid_out_as_pytorchs(door, view):
    a = np.random.default_rng(3).standard_normal((2, 5, 2, 5))

    def laid_out(lib, p, d, keepdim):
        x, y = VIEWS[view](lib.tensor(a)), VIEWS[view](lib.tensor(a[..., ::-1].copy()))
        return _layout(lib, DOORS[door](lib, x, y, p, d, keepdim))

    # (F.pairwise_distance's dim is the last one; two dims are a matrix norm for linalg.norm and torch.norm)
    none_differ([(p, d, keep) for p, d, keep in itertools.product(ORDERS, [-1, 0, 1, (1, 2), (0, 3)], [False, True])
                 if not (door == "F.pairwise_distance" and d != -1 or door in ("linalg.norm", "torch.norm") and
                         isinstance(d, tuple))], laid_out, operator.eq, torch, minigan)


@pytest.mark.parametrize("p", ORDERS, ids=repr)
def test_a_write_through_the_flattened_norm_reaches_it(p):
    """What a learner can see: ``out.flatten()[0] = 5`` changes ``out`` when flatten() is a view, as in PyTorch."""
    a = np.random.default_rng(4).standard_normal((3, 4, 5))
    seen = []
    for lib in (torch, minigan):
        out = lib.linalg.vector_norm(lib.tensor(a).permute(2, 0, 1), p, dim=-1)
        out.flatten()[0] = 5.0
        seen.append(float(out[0, 0]))
    assert seen[0] == seen[1] == 5.0, seen
