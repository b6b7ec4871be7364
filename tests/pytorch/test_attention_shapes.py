"""scaled_dot_product_attention's shapes against PyTorch's math: query, key and value of one dtype and at least 2
dimensions each, their batch axes broadcast as matmul's, enable_gqa reading each one's heads (dim -3), and an empty
query, key or value giving zeros (…, L, Ev) -- NaN where an input holds NaN, gradients 0 -- as PyTorch's."""

import numpy as np
import pytest

import minigan
import minigan.functional as MF
from pytorch.exception_oracle import builtin_class as _builtin
from pytorch.oracle import pytorch_since

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
CASES = [  # (query, key, value) shapes, and whether enable_gqa
    ((4, 5), (6, 5), (6, 7), False), ((4, 5), (2, 3, 6, 5), (2, 3, 6, 7), False),
    ((2, 3, 4, 5), (2, 3, 6, 5), (6, 7), False),
    ((2, 1, 4, 5), (3, 6, 5), (3, 6, 7), False), ((4, 5), (6, 4), (6, 7), False), ((4, 5), (6, 5), (5, 7), False),
    ((5,), (5,), (5,), False), ((4, 5), (6, 5), (6, 7), True), ((2, 4, 4, 5), (2, 2, 6, 5), (2, 2, 6, 7), True),
    ((2, 4, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7), True), ((2, 2, 5, 5), (3, 4), (2, 2, 5, 5), True),
    ((4, 5), (6, 5), (0, 7), False), ((0, 5), (6, 5), (6, 7), False), ((3, 4, 5), (3, 0, 5), (3, 0, 7), False),
    ((4, 5), (3, 6, 5), (3, 0, 7), False), ((2, 4, 5), (2, 6, 5), (1, 6, 0), False),
    ((4, 4), (2, 3, 4, 5), (0, 3), False), ((4, 1), (0, 3), (3, 1), False), ((4, 3), (0, 3), (0, 1), False),
]


def _run(lib, q, k, v, gqa, dtypes=("float64",) * 3, nan=False):
    rng = np.random.default_rng(sum(q) + 7 * sum(k) + 11 * sum(v))
    arrays = [rng.standard_normal(s) for s in (q, k, v)]
    if nan and arrays[0].size:
        arrays[0].flat[0] = np.nan
    try:
        tensors = [lib.tensor(a.astype(d), requires_grad=True) for a, d in zip(arrays, dtypes)]
        f = MF.scaled_dot_product_attention if lib is minigan else torch.nn.functional.scaled_dot_product_attention
        out = f(*tensors, enable_gqa=gqa)
        if not all(t.numel() for t in tensors):  # an empty input: its zeros come before the mask is read, as there
            mask = lib.ones(out.shape[-2], tensors[1].shape[-2], dtype=lib.bool)
            assert f(*tensors, attn_mask=mask, is_causal=True, enable_gqa=gqa).shape == out.shape
        grads = lib.autograd.grad((out * 1.5).sum(), tensors, allow_unused=True)
    except Exception as e:  # noqa: BLE001
        return type(e)
    return [np.asarray(t.detach().numpy()) for t in (out,) + tuple(g if g is not None else 0 * t for g, t in
                                                                  zip(grads, tensors))]


def _empty(case):
    return not all(np.prod(shape) for shape in case[:3])


@pytest.mark.parametrize("nan", [False, True])
@pytest.mark.parametrize("empty", [False, pytest.param(True, marks=pytorch_since(
    "2.13", "attention gives zeros for an empty query, key or value"))], ids=["sizes", "empty"])
def test_attention_takes_the_shapes_pytorchs_math_takes(empty, nan):
    found = []
    for q, k, v, gqa in [c for c in CASES if _empty(c) == empty]:
        for dtypes in (("float64",) * 3, ("float64", "float32", "float64")):
            theirs, ours = _run(torch, q, k, v, gqa, dtypes, nan), _run(minigan, q, k, v, gqa, dtypes, nan)
            if isinstance(theirs, type) or isinstance(ours, type):
                same = isinstance(theirs, type) and isinstance(ours, type) and issubclass(ours, _builtin(theirs))
            else:
                same = all(a.shape == b.shape and np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True)
                           for a, b in zip(ours, theirs))
            if not same:
                found.append(f"sdpa(q {q}, k {k}, v {v}, gqa={gqa}, {dtypes}): {str(ours)[:160]} vs "
                             f"{str(theirs)[:160]}")
    assert not found, "\n".join(found[:10]) + f"\n({len(found)} differ)"
