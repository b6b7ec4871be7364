"""Attention against PyTorch (tests/pytorch/sweep.py; its torch-free tests: tests/library/test_attention.py):

* F.scaled_dot_product_attention (masks, causal, scale, grouped heads, a query that sees no key) and
  nn.MultiheadAttention in every layout and option, values and gradients of inputs and parameters, with PyTorch's
  parameters loaded;
* the shapes PyTorch's math takes: query, key and value of one dtype and at least 2 dimensions each, their batch
  axes broadcast as matmul's, enable_gqa reading each one's heads (dim -3), and an empty query, key or value giving
  zeros (…, L, Ev) -- NaN where an input holds NaN, gradients 0 -- before a mask is read;
* every size that may be 0: PyTorch gives its zeros only where there are no query rows (L = 0) or no values (value
  empty: no keys, no value features, or no key/value batch): those come before enable_gqa reads the heads, so 2-D
  inputs take enable_gqa there.  An empty batch of queries or an empty feature dim E goes through the product (batch
  axes broadcast, refused where they do not match; E = 0 gives scores of 0, weights 1/S and the mean of the values).
  dropout_p outside (0, 1) draws nothing (≤ 0: no dropout; 1: all dropped); above 1 is PyTorch's RuntimeError;
* attn_mask's checks in PyTorch's order: its dtype with the inputs' (bool, float32 or query's dtype: else a
  RuntimeError), before the sizes or the empty result of no query rows; then a mask given with is_causal=True
  (RuntimeError), after the empty result; the mask's shapes taken or refused as PyTorch's;
* every scale and mask: PyTorch's CPU dispatch computes 4-D inputs of one batch and head size by its flash kernel
  (Q·Kᵀ, the causal mask's −∞ written in, times the scale, plus the mask; a row whose largest score is −∞ gives 0;
  the backward recomputes the weights from the saved logsumexp, and is not differentiated again: the second order
  refused) and others by its math (query and key each scaled by √|scale|, then the mask, then a softmax whose all
  −∞ rows give 0).  The scale None, ±∞, NaN, 0, negative, positive and NumPy scalars, by no mask, a bool mask and a
  float mask with a row that may attend to nothing, and is_causal, on 4-D and 3-D inputs with a query of zeros.
"""

import itertools
import math

import numpy as np
import pytest

import minigan
from pytorch.oracle import pytorch_older_than, pytorch_since, vector_lanes
from pytorch.sweep import close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

# PyTorch warns that a bool key_padding_mask beside a float attn_mask is deprecated there; both still combine
pytestmark = pytest.mark.filterwarnings("ignore:Support for mismatched key_padding_mask")


def _sdpa(L, case):
    rng = np.random.default_rng(["plain", "causal", "bool mask", "float mask", "scale",
                                 "a query sees nothing"].index(case))
    q, k, v = rng.standard_normal((2, 3, 5, 4)), rng.standard_normal((2, 3, 6, 4)), rng.standard_normal((2, 3, 6, 7))
    kw = {"causal": dict(is_causal=True), "bool mask": dict(attn_mask=rng.random((5, 6)) > 0.3),
          "float mask": dict(attn_mask=rng.standard_normal((3, 5, 6))), "scale": dict(scale=0.3),
          "a query sees nothing": dict(attn_mask=np.arange(6) < np.array([0, 1, 2, 0, 6])[:, None])}.get(case, {})
    ts = [L.tensor(a, requires_grad=True) for a in (q, k, v)]
    y = L.nn.functional.scaled_dot_product_attention(*ts, **{a: L.tensor(b) if isinstance(b, np.ndarray) else b
                                                             for a, b in kw.items()})
    (y * L.tensor(rng.standard_normal(tuple(y.shape)))).sum().backward()
    return [close(y.detach(), 1e-12, 1e-12)] + [close(t.grad, 1e-10, 1e-12) for t in ts]


test_scaled_dot_product_attention_equals_pytorch = sweep(_sdpa, [
    "plain", "causal", "bool mask", "float mask", "scale", "a query sees nothing"], every=1)


def _grouped_heads(L):
    rng = np.random.default_rng(1)
    q, k, v = rng.standard_normal((2, 4, 5, 4)), rng.standard_normal((2, 2, 6, 4)), rng.standard_normal((2, 2, 6, 3))
    return close(L.nn.functional.scaled_dot_product_attention(*map(L.tensor, (q, k, v)), enable_gqa=True), 1e-12)


test_grouped_query_attention_shares_each_key_head = sweep(_grouped_heads, [()], ids=lambda: "gqa")


def _multihead(L, ctor, forward, shapes, masks):
    """The state dict's keys, the output and weights, the inputs' and parameters' gradients, with PyTorch's
    parameters (drawn by its generator) loaded into minigan's layer."""
    torch.manual_seed(0)
    theirs = torch.nn.MultiheadAttention(**ctor).double()
    layer = theirs if L is torch else minigan.nn.MultiheadAttention(**ctor).double()
    keys = list(layer.state_dict())
    if L is minigan:
        layer.load_state_dict({k: minigan.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    rng = np.random.default_rng(len(shapes[0]) + sum(shapes[1]))
    ts = [L.tensor(rng.standard_normal(s), requires_grad=True) for s in shapes]
    out, weights = layer(*ts, **{k: L.tensor(v) for k, v in masks.items()}, **forward)
    loss = out.sum() + (0 if weights is None else (weights * weights).sum())
    loss.backward()
    return (keys, close(out.detach(), 1e-9, 1e-12), None if weights is None else close(weights.detach(), 1e-9, 1e-12),
            [close(t.grad, 1e-8, 1e-10) for t in ts],
            sorted((name, close(p.grad, 1e-8, 1e-10)) for name, p in layer.named_parameters()))


def _options(batch_first, other_widths, bias, bias_kv, zero_attn, need, average, mask, padding):
    length, source, n, e = 4, 5, 3, 8
    kdim, vdim = (5, 6) if other_widths else (e, e)
    rng = np.random.default_rng(int(bias) + 2 * int(padding))
    masks = {}
    if mask == "bool":  # True hides a key (each query keeps key 0)
        masks["attn_mask"] = (rng.random((length, source)) < 0.3) & (np.arange(source) > 0)
    if mask == "float":
        masks["attn_mask"] = rng.standard_normal((n * 2, length, source))
    if padding:
        masks["key_padding_mask"] = (rng.random((n, source)) < 0.3) & (np.arange(source) > 0)
    shape = (lambda steps, width: (n, steps, width)) if batch_first else (lambda steps, width: (steps, n, width))
    return (dict(embed_dim=e, num_heads=2, batch_first=batch_first, bias=bias, add_bias_kv=bias_kv,
                 add_zero_attn=zero_attn, kdim=kdim if other_widths else None, vdim=vdim if other_widths else None),
            dict(need_weights=need, average_attn_weights=average),
            [shape(length, e), shape(source, kdim), shape(source, vdim)], masks)


# a spread of the 384 combinations (every seventh): every option both ways, many pairs of them (average_attn_weights
# only matters with need_weights); and self-attention unbatched, causal, and with a key padding mask
test_multihead_attention_equals_pytorch = sweep(_multihead, [
    _options(*o) for o in [o for o in itertools.product([False, True], [False, True], [True, False], [False, True],
                                                        [False, True], [True, False], [True, False],
                                                        ["none", "bool", "float"], [False, True]) if o[5] or o[6]][::7]
] + [(dict(embed_dim=8, num_heads=4), dict(is_causal=True), [(4, 8)] * 3,
      {"attn_mask": np.triu(np.ones((4, 4), bool), 1)}),
     (dict(embed_dim=8, num_heads=4), {}, [(4, 8), (5, 8), (5, 8)],
      {"key_padding_mask": np.array([False, True, False, False, True])})],
    ids=lambda ctor, forward, shapes, masks: f"{sorted(ctor.items())}-{forward}-{shapes}-{sorted(masks)}")
SHAPE_CASES = [  # (query, key, value) shapes, and whether enable_gqa
    ((4, 5), (6, 5), (6, 7), False), ((4, 5), (2, 3, 6, 5), (2, 3, 6, 7), False),
    ((2, 3, 4, 5), (2, 3, 6, 5), (6, 7), False),
    ((2, 1, 4, 5), (3, 6, 5), (3, 6, 7), False), ((4, 5), (6, 4), (6, 7), False), ((4, 5), (6, 5), (5, 7), False),
    ((5,), (5,), (5,), False), ((4, 5), (6, 5), (6, 7), True), ((2, 4, 4, 5), (2, 2, 6, 5), (2, 2, 6, 7), True),
    ((2, 4, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7), True), ((2, 2, 5, 5), (3, 4), (2, 2, 5, 5), True),
    ((4, 5), (6, 5), (0, 7), False), ((0, 5), (6, 5), (6, 7), False), ((3, 4, 5), (3, 0, 5), (3, 0, 7), False),
    ((4, 5), (3, 6, 5), (3, 0, 7), False), ((2, 4, 5), (2, 6, 5), (1, 6, 0), False),
    ((4, 4), (2, 3, 4, 5), (0, 3), False), ((4, 1), (0, 3), (3, 1), False), ((4, 3), (0, 3), (0, 1), False),
]
EMPTY_ZEROS = pytorch_since("2.13", "attention gives zeros for an empty query, key or value")


def _shapes(L, q, k, v, gqa, dtypes, nan):
    rng = np.random.default_rng(sum(q) + 7 * sum(k) + 11 * sum(v))
    arrays = [rng.standard_normal(s) for s in (q, k, v)]
    if nan and arrays[0].size:
        arrays[0].flat[0] = np.nan
    tensors = [L.tensor(a.astype(d), requires_grad=True) for a, d in zip(arrays, dtypes)]
    f = L.nn.functional.scaled_dot_product_attention
    out = f(*tensors, enable_gqa=gqa)
    masked = None
    if not all(t.numel() for t in tensors):  # an empty input: its zeros come before the mask is read, as there
        masked = tuple(f(*tensors, attn_mask=L.ones(out.shape[-2], tensors[1].shape[-2], dtype=L.bool), is_causal=True,
                         enable_gqa=gqa).shape)
    grads = L.autograd.grad((out * 1.5).sum(), tensors, allow_unused=True)
    return masked, [close((g if g is not None else 0 * t).detach(), 1e-9, 1e-12) for g, t in zip(
        (out,) + grads, (out,) + tuple(tensors))]


test_attention_takes_the_shapes_pytorchs_math_takes = sweep(_shapes, [
    pytest.param(q, k, v, gqa, dtypes, nan, marks=[EMPTY_ZEROS] if not all(np.prod(s) for s in (q, k, v)) else [])
    for q, k, v, gqa in SHAPE_CASES for dtypes in (("float64",) * 3, ("float64", "float32", "float64"))
    for nan in (False, True)], ids=lambda q, k, v, gqa, dtypes, nan: f"{q}-{k}-{v}-{gqa}-{dtypes[1]}-{nan}",
    every=1)  # (all: 76 small products)
# PyTorch 2.11 reads the heads for enable_gqa first (an IndexError on 2-D inputs; with no key batches its kernel
# divides by 0 and the process dies of SIGFPE) and refuses dropout_p above 1 before it looks at the sizes
SINCE_213 = pytorch_since("2.13", "attention's zeros for empty sizes come before enable_gqa and dropout_p are read")


def _empty_sizes(L, shapes, **kw):
    rng = np.random.default_rng(sum(map(sum, shapes)) + 3)
    tensors = [L.tensor(rng.standard_normal(s), dtype=L.float64, requires_grad=True) for s in shapes]
    out = L.nn.functional.scaled_dot_product_attention(*tensors, **kw)
    grads = L.autograd.grad((out * 1.5).sum(), tensors, allow_unused=True) if out.requires_grad else ()
    return [out.requires_grad, close(out.detach(), 1e-5, 1e-12)] + [None if g is None else close(g, 1e-5, 1e-12)
                                                                    for g in grads]


test_attention_over_empty_sizes_is_pytorchs = sweep(lambda L, shapes, gqa: _empty_sizes(L, shapes, enable_gqa=gqa), [
    pytest.param(shapes, gqa, marks=SINCE_213) for bq, bk, length, source, e, ev in itertools.product(
        [0, 2], [0, 2], [0, 2], [0, 3], [0, 4], [0, 5])
    for shapes in (((bq, length, e), (bk, source, e), (bk, source, ev)), ((length, e), (source, e), (source, ev)))
    for gqa in (False, True)])
test_attention_dropout_that_draws_nothing_is_pytorchs = sweep(
    lambda L, shapes, dropout_p: _empty_sizes(L, shapes, dropout_p=dropout_p), [
        pytest.param(shapes, p, marks=SINCE_213) for shapes in [
            ((2, 3, 4), (2, 5, 4), (2, 5, 6)), ((3, 4), (5, 4), (5, 6)), ((0, 4), (5, 4), (5, 6)),
            ((3, 0), (5, 0), (5, 6))]
        for p in [-1.5, -0.5, 0.0, 1.0, 1.5, np.float64(1.0), np.float64(-1.5)]])
MASK_CHECK_SHAPES = {"(2, 3, 4)": ((2, 3, 4), (2, 3, 4)), "no query rows": ((2, 0, 4), (2, 3, 4)),
                     "a key that does not fit": ((2, 3, 4), (0, 3))}
# No query rows and a mask of a dtype the inputs take: the empty result before the mask's sizes and is_causal are
# read, from PyTorch 2.12 (2.11 compares the mask's sizes with the rows', or refuses the mask with is_causal=True)
EMPTY_FIRST = pytorch_since("2.12", "attention of no query rows gives the empty result before it reads the mask's "
                                    "sizes and is_causal")
# An empty key whose sizes do not fit: refused by PyTorch 2.11 and 2.13; 2.12 alone gives zeros before it compares
# them
ZEROS_OF_2_12 = pytest.mark.skipif(pytorch_older_than("2.13") and not pytorch_older_than("2.12"),
                                   reason="PyTorch 2.12 gives zeros for an empty key whose sizes do not fit (2.11 "
                                          "and 2.13 refuse it, as minigan does)")


def _mask_check(L, mask, causal, dtype, shapes):
    (qs, ks), dt = MASK_CHECK_SHAPES[shapes], getattr(L, dtype)
    rng = np.random.default_rng(0)
    q, k, v = (L.tensor(rng.standard_normal(s), dtype=dt) for s in (qs, ks, (2, 3, 4)))
    m = None if mask is None else L.tensor(rng.standard_normal((3, 3)) > 0).to(getattr(L, mask))
    return close(L.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=m, is_causal=causal), 1e-5, 1e-6)


def _mask_check_marks(mask, causal, dtype, shapes):
    if mask not in (None, "bool", "float32", dtype):  # (a mask of a dtype the inputs refuse: every PyTorch refuses)
        return []
    return [ZEROS_OF_2_12] if shapes == "a key that does not fit" else [EMPTY_FIRST] if mask and shapes == \
        "no query rows" else []


test_the_masks_checks_are_pytorchs_in_its_order = sweep(_mask_check, [
    pytest.param(*case, marks=_mask_check_marks(*case)) for case in itertools.product(
        [None, "bool", "float32", "float64", "float16", "int64", "int32", "uint8"], [False, True],
        ["float64", "float32"], MASK_CHECK_SHAPES)], cover=[lambda mask, causal, dtype, shapes: (dtype, shapes)])
SCALES = [None, math.inf, -math.inf, math.nan, 0.0, -0.5, -2.0, 0.7, np.float32(0.5), np.float64(-1.5),
          np.float64(np.inf), np.float64(-np.inf)]
MASKS = ["none", "bool", "float", "causal"]


def _keys(scale, rank, dtype="float64"):
    """How many keys: 5, but 3 for the flash kernel (4-D) with a scale of ±∞ or NaN on a host whose vectors hold
    no more than 5 entries.  The kernel takes a row's largest score by vectors over its first entries, a NaN kept,
    and by a scalar loop over the rest, a NaN passed over; a row whose scores are all NaN or −∞ (a query of zeros
    times ±∞, or a NaN scale) is then NaN or 0 by where its NaN falls.  minigan passes over NaN, as the scalar
    loop, which reads a whole row shorter than a vector: 5 keys under AVX-512 (8 float64), 3 under AVX2 or the
    default set (4).  (docs/pytorch.md, scaled_dot_product_attention.)"""
    finite = scale is None or math.isfinite(scale)
    return 5 if finite or rank != 4 or vector_lanes(np.dtype(dtype).itemsize) > 5 else 3


def _scaled(L, scale, mask, rank, order, dtype="float64"):
    """The output and the gradients of each order up to ``order`` (q (…, 4, 3) with a query of zeros, a bool and a
    float mask each with a row that may attend to nothing)."""
    rng = np.random.default_rng(0)
    q, k, v = (np.round(rng.normal(size=(2, 2, n, 3)), 3) for n in (4, 5, 5))
    q[0, 0, 1] = 0.0  # (a query of zeros: its scores are 0, and 0·∞ is NaN)
    bool_mask = rng.random((4, 5)) < 0.6
    bool_mask[2] = False  # (a query that may attend to no key)
    float_mask = np.where(rng.random((4, 5)) < 0.5, -np.inf, rng.normal(size=(4, 5)).round(2))
    float_mask[3] = -np.inf
    keys = _keys(scale, rank, dtype)
    shaped = (lambda a: a.reshape(4, *a.shape[2:])) if rank == 3 else (lambda a: a)
    dt = getattr(L, dtype)
    q, k, v = (L.tensor(a, dtype=dt, requires_grad=order > 0) for a in (shaped(q), shaped(k[..., :keys, :]),
                                                                        shaped(v[..., :keys, :])))
    kwargs = {"dropout_p": 0.0} if scale is None else {"dropout_p": 0.0, "scale": scale}
    if mask == "bool":
        kwargs["attn_mask"] = L.tensor(bool_mask[:, :keys])
    elif mask == "float":
        kwargs["attn_mask"] = L.tensor(float_mask[:, :keys], dtype=dt)
    elif mask == "causal":
        kwargs["is_causal"] = True
    with np.errstate(all="ignore"):
        out = L.nn.functional.scaled_dot_product_attention(q, k, v, **kwargs)
        tol = (1e-4, 1e-5) if dtype == "float32" else (1e-9, 1e-12)
        found = [close(out.detach(), *tol)]
        if order:
            weight = L.tensor(np.random.default_rng(1).normal(size=tuple(out.shape)), dtype=dt)
            grads = outcome(lambda: L.autograd.grad((out * weight).sum(), [q, k, v], create_graph=order > 1))
            if isinstance(grads, Exception):
                return [*found, grads]
            found += [close(g.detach(), *tol) for g in grads]
            if order > 1:  # (refused where PyTorch's kernel is flash: compared by class)
                found.append(outcome(lambda: [close(g, *tol) for g in L.autograd.grad(
                    sum((g * g).sum() for g in grads), [q, k, v], allow_unused=True) if g is not None]))
    return found


test_values_and_gradients_as_pytorchs = sweep(_scaled, [
    *((scale, mask, rank, 1) for scale, mask, rank in itertools.product(SCALES, MASKS, [4, 3])),
    *((scale, mask, 4, 1, "float32") for scale, mask in itertools.product([None, -math.inf, 0.0, -0.5], MASKS)),
    *((0.7, mask, rank, 2) for mask, rank in itertools.product(MASKS, [4, 3]))])


def _mask_shape(L, rank, shape, kind, dropout_p):
    """Output and gradient (the output's shape only, where dropout draws), or the refusal."""
    rng = np.random.default_rng(0)
    q = L.tensor(rng.normal(size=(2, 2, 3, 4)[4 - rank:]), dtype=L.float64, requires_grad=True)
    mask = L.tensor(rng.random(shape) < 0.7) if kind == "bool" else L.tensor(rng.normal(size=shape), dtype=L.float64)
    out = L.nn.functional.scaled_dot_product_attention(q, q, q, attn_mask=mask, dropout_p=dropout_p)
    if dropout_p:
        return tuple(out.shape)
    return close(out.detach(), 1e-9, 1e-12), close(L.autograd.grad(out.sum(), q)[0], 1e-9, 1e-12)


test_mask_shapes_taken_or_refused_as_pytorchs = sweep(_mask_shape, list(itertools.product(
    [4, 3, 2], [(3,), (1, 3), (3, 3), (1, 3, 3), (2, 3, 3), (2, 1, 3, 3), (1, 2, 3, 3), (2, 2, 3, 3), (3, 1),
                (1, 1, 1, 3), (2, 2, 2, 3, 3)], ["bool", "float"], [0.0, 0.5])),
    cover=[lambda rank, shape, kind, dropout_p: (rank, len(shape)),
           lambda rank, shape, kind, dropout_p: (kind, len(shape))])
