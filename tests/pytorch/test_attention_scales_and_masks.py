"""scaled_dot_product_attention gives PyTorch's values and gradients for every scale and mask.

PyTorch's CPU dispatch computes 4-D inputs of one batch and head size by its flash kernel (Q·Kᵀ, the causal mask's
−∞ written in, times the scale, plus the mask; a row whose largest score is −∞ gives 0; the backward recomputes the
weights from the saved logsumexp, and is not differentiated again) and others by its math (query and key each scaled
by √|scale|, then the mask, then a softmax whose all −∞ rows give 0).  The family: the scale None, ±∞, NaN, 0,
negative, positive and NumPy scalars, by no mask, a bool mask and a float mask with a row that may attend to nothing,
and is_causal, dropout_p = 0, on 4-D and 3-D inputs with a query of zeros, values, gradients and second order
against PyTorch.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome
from pytorch.oracle import vector_lanes

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SCALES = [None, math.inf, -math.inf, math.nan, 0.0, -0.5, -2.0, 0.7, np.float32(0.5), np.float64(-1.5),
          np.float64(np.inf), np.float64(-np.inf)]
MASKS = ["none", "bool", "float", "causal"]


def _inputs(rank, keys=5):
    """q (…, 4, 3), and k, v of the first ``keys`` of 5 keys, with the masks' first ``keys`` columns."""
    rng = np.random.default_rng(0)
    q, k, v = (np.round(rng.normal(size=(2, 2, n, 3)), 3) for n in (4, 5, 5))
    q[0, 0, 1] = 0.0  # (a query of zeros: its scores are 0, and 0·∞ is NaN)
    bool_mask = rng.random((4, 5)) < 0.6
    bool_mask[2] = False  # (a query that may attend to no key)
    float_mask = np.where(rng.random((4, 5)) < 0.5, -np.inf, rng.normal(size=(4, 5)).round(2))
    float_mask[3] = -np.inf
    shaped = (lambda a: a.reshape(4, *a.shape[2:])) if rank == 3 else (lambda a: a)
    return shaped(q), shaped(k[..., :keys, :]), shaped(v[..., :keys, :]), bool_mask[:, :keys], float_mask[:, :keys]


def _keys(scale, rank, dtype="float64"):
    """How many keys: 5, but 3 for the flash kernel (4-D) with a scale of ±∞ or NaN on a host whose vectors hold
    no more than 5 entries.  The kernel takes a row's largest score by vectors over its first entries, a NaN kept,
    and by a scalar loop over the rest, a NaN passed over; a row whose scores are all NaN or −∞ (a query of zeros
    times ±∞, or a NaN scale) is then NaN or 0 by where its NaN falls.  minigan passes over NaN, as the scalar
    loop, which reads a whole row shorter than a vector: 5 keys under AVX-512 (8 float64), 3 under AVX2 or the
    default set (4).  (docs/pytorch.md, scaled_dot_product_attention.)"""
    finite = scale is None or math.isfinite(scale)
    return 5 if finite or rank != 4 or vector_lanes(np.dtype(dtype).itemsize) > 5 else 3


def _run(lib, scale, mask, rank, order, dtype="float64"):
    """Output and the gradients of each order up to ``order`` (arrays), or the refusal's built-in class."""
    q, k, v, bool_mask, float_mask = _inputs(rank, _keys(scale, rank, dtype))
    q, k, v = (lib.tensor(a, dtype=getattr(lib, dtype), requires_grad=order > 0) for a in (q, k, v))
    kwargs = {"dropout_p": 0.0} if scale is None else {"dropout_p": 0.0, "scale": scale}
    if mask == "bool":
        kwargs["attn_mask"] = lib.tensor(bool_mask)
    elif mask == "float":
        kwargs["attn_mask"] = lib.tensor(float_mask, dtype=getattr(lib, dtype))
    elif mask == "causal":
        kwargs["is_causal"] = True
    out = lib.nn.functional.scaled_dot_product_attention(q, k, v, **kwargs)
    found = [out.detach().numpy().astype(float)]
    if order:
        weight = lib.tensor(np.random.default_rng(1).normal(size=tuple(out.shape)), dtype=getattr(lib, dtype))
        try:
            grads = lib.autograd.grad((out * weight).sum(), [q, k, v], create_graph=order > 1)
            found += [g.detach().numpy().astype(float) for g in grads]
            if order > 1:
                found += [g.numpy().astype(float) for g in lib.autograd.grad(
                    sum((g * g).sum() for g in grads), [q, k, v], allow_unused=True) if g is not None]
        except RuntimeError:
            found.append("RuntimeError")
    return found


def _compare(got, want, dtype):
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == "float32" else dict(rtol=1e-9, atol=1e-12)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        if isinstance(g, str) or isinstance(w, str):
            assert g == w
        else:
            assert g.shape == w.shape and np.allclose(g, w, equal_nan=True, **tol), (g.ravel()[:6], w.ravel()[:6])


@pytest.mark.parametrize("scale, mask, rank", list(itertools.product(SCALES, MASKS, [4, 3])))
def test_values_and_gradients_as_pytorchs(scale, mask, rank):
    with np.errstate(all="ignore"):
        _compare(_run(minigan, scale, mask, rank, 1), _run(torch, scale, mask, rank, 1), "float64")


@pytest.mark.parametrize("scale, mask", list(itertools.product([None, -math.inf, 0.0, -0.5], MASKS)))
def test_float32_as_pytorchs(scale, mask):
    with np.errstate(all="ignore"):
        _compare(_run(minigan, scale, mask, 4, 1, "float32"), _run(torch, scale, mask, 4, 1, "float32"), "float32")


@pytest.mark.parametrize("mask", MASKS)
@pytest.mark.parametrize("rank", [4, 3])
def test_second_order_refused_where_pytorchs_kernel_is_flash(mask, rank):
    got, want = _run(minigan, 0.7, mask, rank, 2), _run(torch, 0.7, mask, rank, 2)
    _compare(got, want, "float64")


MASK_SHAPES = [(3,), (1, 3), (3, 3), (1, 3, 3), (2, 3, 3), (2, 1, 3, 3), (1, 2, 3, 3), (2, 2, 3, 3), (3, 1),
               (1, 1, 1, 3), (2, 2, 2, 3, 3)]


def _masked(lib, rank, shape, kind, dropout_p):
    """Output and gradient, or the refusal (its error, compared by built-in class)."""
    rng = np.random.default_rng(0)
    q = lib.tensor(rng.normal(size=(2, 2, 3, 4)[4 - rank:]), dtype=lib.float64, requires_grad=True)
    mask = lib.tensor(rng.random(shape) < 0.7) if kind == "bool" else lib.tensor(rng.normal(size=shape),
                                                                                 dtype=lib.float64)
    out = outcome(lambda: lib.nn.functional.scaled_dot_product_attention(q, q, q, attn_mask=mask, dropout_p=dropout_p))
    if isinstance(out, Exception):
        return out
    if dropout_p:
        return tuple(out.shape)
    return [out.detach().numpy(), lib.autograd.grad(out.sum(), q)[0].numpy()]


@pytest.mark.parametrize("dropout_p", [0.0, 0.5])
@pytest.mark.parametrize("kind", ["bool", "float"])
@pytest.mark.parametrize("shape", MASK_SHAPES)
@pytest.mark.parametrize("rank", [4, 3, 2])
def test_mask_shapes_taken_or_refused_as_pytorchs(rank, shape, kind, dropout_p):
    got, want = _masked(minigan, rank, shape, kind, dropout_p), _masked(torch, rank, shape, kind, dropout_p)
    if isinstance(want, Exception):
        builtin = next(t for t in type(want).__mro__ if t.__module__ == "builtins")
        assert isinstance(got, builtin), f"PyTorch {want!r}, minigan {got!r}"
    elif isinstance(want, tuple):
        assert got == want
    else:
        _compare(got, want, "float64")
