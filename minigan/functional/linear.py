"""``linear`` (x Wᵀ + b) and ``scaled_dot_product_attention``.
"""

from __future__ import annotations

from minigan import _dtype
from minigan.engine import backend, checks
from minigan.engine.errors import DimensionError, DomainError, DtypeError, ShapeError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.ops import linalg as L
from minigan.functional._common import _float, _same_dtype, _tensor
from minigan.functional.dropout import dropout
from minigan.functional.flash_attention import FlashAttention
from minigan.surface.products import saved_copies, view_of_product
from minigan.surface.tensor import Tensor


def check_linear(sx, sw) -> None:
    if len(sw) != 2 or len(sx) < 1 or sx[-1] != sw[1]:
        raise ShapeError(
            f"linear: input of shape {sx} does not fit weight of shape {sw}; "
            f"expected input (..., {sw[1] if len(sw) == 2 else 'in'}) and weight (out, in)"
        )


def _integers(input, weight):
    """linear's input and weight where either is not floating: both integers of one dtype, as PyTorch's CPU kernels
    take them (bools too where either is empty: no kernel runs); anything else is refused as _float refuses it."""
    input, weight = _tensor(input, "linear"), _tensor(weight, "linear", "weight")
    if input.dtype.kind in "iub" and input.dtype == weight.dtype:
        if input.dtype.kind == "b" and input.numel() and weight.numel():
            raise DtypeError("linear: not implemented for bool tensors (nor is PyTorch's addmm); convert them with "
                             ".long() or .float()")
        return input, weight
    return _float(input, "linear"), _float(weight, "linear", "weight")


# ----------------------------------------------------------------------------- layers as functions
def linear(input, weight, bias=None):
    """y = x Wᵀ + b, with weight (out_features, in_features) as in PyTorch (a weight (in_features,) gives one
    output without its axis: y = x·w + b)."""
    # The usual call, a layer's: a batch of rows, a weight that fits them and a bias of (out_features,), all of one
    # floating dtype and none empty: the engine's Linear (PyTorch's addmm) at once, with nothing below to apply
    if isinstance(input, Tensor) and isinstance(weight, Tensor) and (bias is None or isinstance(bias, Tensor)):
        x, w, b = input.array, weight.array, None if bias is None else bias.array
        if x.ndim == w.ndim == 2 and x.dtype.kind == "f" and x.dtype == w.dtype and x.shape[1] == w.shape[1] and \
                x.size and w.size and (b is None or b.shape == w.shape[:1] and b.dtype == x.dtype):
            return L.Linear.apply(input, weight) if b is None else L.Linear.apply(input, weight, bias)
    try:
        input, weight = _float(input, "linear"), _float(weight, "linear", "weight")
    except DtypeError:  # (integers of one dtype: PyTorch's CPU kernels multiply them too; bools refuse there)
        input, weight = _integers(input, weight)
    _same_dtype("linear", input, weight)
    bias = None if bias is None else _tensor(bias, "linear", "bias")
    # (the arrays' shapes and dtypes are read below, not the Tensor's properties: a layer's every call pays these)
    sx, sw = input.array.shape, weight.array.shape
    # PyTorch's kernel: addmm (weight a matrix, bias of the input's dtype) for a 2-D input, or a contiguous one with a
    # 1-D bias; otherwise matmul, then the bias added into its result in place (in the result's dtype)
    fused = bias is not None and (len(sx) == 2 or (bias.array.ndim == 1 and input.is_contiguous()))
    if bias is not None and bias.array.dtype != input.array.dtype:
        if fused or (bias.dtype.kind == "f" and input.dtype.kind != "f"):
            raise DtypeError(f"linear: the bias is {bias.dtype} but the input and weight are {input.dtype}; expected "
                             f"the same dtype (convert the bias with .to({input.dtype}))")
        bias = bias.to(input.dtype)  # (added in place into the result: its dtype, as PyTorch's add_)
    if len(sw) == 1:
        if fused:
            raise ShapeError(f"linear: a weight of shape {sw} with a bias and an input of shape {sx} is a matrix "
                             f"product (PyTorch's addmm), whose weight must be 2-D: give weight.unsqueeze(0)")
        out = linear(input, weight.unsqueeze(0)).squeeze(-1)
        return out if bias is None else _added_into(out, bias, weight)
    check_linear(sx, sw)
    if 0 in sx or 0 in sw:  # (nothing to multiply: the product of matmul, whose shapes may be empty; the bias added
        out = input @ weight.T  # into it as with entries, never growing it)
        return out if bias is None else _added_into(out, bias, weight)
    # PyTorch's matmul(input, weight.T) saves input's rows folded (see products.saved_copies): a copy for some layouts
    need = (False, len(sx) > 2 and is_grad_enabled() and weight.requires_grad)
    if need[1] and saved_copies(input.array, weight.array.T, need)[0]:
        input = input.clone()
    if bias is None:
        return L.Linear.apply(input, weight)
    if bias.array.shape == (sw[0],):  # (PyTorch's addmm of a flattened input: the result a view of it, unless 2-D)
        out = L.Linear.apply(input, weight, bias)
        return out if len(sx) == 2 else view_of_product(out)
    return _added_into(L.Linear.apply(input, weight), bias, weight)


def _added_into(out, bias, weight):
    """out + bias for another bias than (out_features,): added as PyTorch's, into the output without growing it."""
    if bias.ndim > out.ndim or any(b not in (1, o) for b, o in zip(reversed(bias.shape), reversed(out.shape))):
        raise ShapeError(f"linear: bias has shape {tuple(bias.shape)}, expected ({weight.shape[0]},) or a shape that "
                         f"broadcasts to the output's {tuple(out.shape)}")
    return out + bias


def _flash_kernel(query, key, value, attn_mask, dropout_p, enable_gqa):
    """Whether PyTorch's CPU dispatch takes its flash kernel (sdp_utils_cpp's use_flash_attention_cpp) rather than
    its math: 4-D query, key and value of one batch size and one head size, as many heads (or a group of query
    heads each under enable_gqa), no dropout, a mask of 2 or 4 dims that broadcasts without growing the batch and
    needs no gradient, and each last dimension laid out with stride 1.  (The two differ where the scale is ±∞, NaN
    or ≤ 0 with is_causal, and how they read NaN.)"""
    if not query.ndim == key.ndim == value.ndim == 4 or dropout_p > 0:
        return False
    (b, h, length, e), (bk, hk, source, ek), (bv, hv, _, ev) = query.shape, key.shape, value.shape
    if not (b == bk == bv and e == ek == ev and hk == hv and (h == hk or enable_gqa)):
        return False
    if attn_mask is not None:
        m = tuple(getattr(attn_mask, "shape", ()))
        if len(m) < 2:  # (PyTorch's check reads the mask's dim -2: IndexError)
            raise DimensionError(f"scaled_dot_product_attention: attn_mask must have at least 2 dimensions (…, L, S) "
                                 f"for 4-D inputs, got shape {m}; add the query dim with attn_mask[None]")
        if len(m) not in (2, 4) or getattr(attn_mask, "requires_grad", False) or m[-2] not in (1, length) \
                or m[-1] not in (1, source) or len(m) == 4 and (m[0] not in (1, b) or m[1] not in (1, h)):
            return False
    return all(t.stride(-1) == 1 for t in (query, key, value))


def _attention_bias(mask, dtype, xp):
    """A mask as the additive bias of attention scores: bool True = may attend (0), False = −inf; a float mask
    is added as it is."""
    if mask.dtype == xp.bool_:
        return Tensor._make(xp.where(mask.array, 0.0, -xp.inf).astype(dtype))
    return mask


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                                 enable_gqa=False):
    """softmax(Q·Kᵀ·scale + bias)·V (Vaswani et al. 2017, eq. 1), scale 1/√E by default, over the last two axes
    of (…, L, E) queries and (…, S, E) keys.  attn_mask: bool (True = may attend) or a float bias, broadcast
    to (…, L, S); is_causal: query i sees keys 0…i.  enable_gqa: fewer key/value heads, each shared by a group."""
    query, key, value = _float(query, "scaled_dot_product_attention", "query"), \
        _float(key, "scaled_dot_product_attention", "key"), _float(value, "scaled_dot_product_attention", "value")
    if scale is not None and not (checks.is_number(scale) or isinstance(scale, bool) or
                                  isinstance(scale, Tensor) and scale.numel() == 1):  # (PyTorch's float argument)
        raise TypeError(f"scaled_dot_product_attention: scale must be a number (or None for 1/√E), got {scale!r}")
    if not query.dtype == key.dtype == value.dtype:  # (PyTorch's first check)
        raise DtypeError(f"scaled_dot_product_attention: query, key and value must have one dtype, got {query.dtype}, "
                         f"{key.dtype} and {value.dtype}; convert them with .to(query.dtype)")
    shapes = f"{tuple(query.shape)}, {tuple(key.shape)} and {tuple(value.shape)}"
    if min(query.ndim, key.ndim, value.ndim) < 2:  # (their batch axes broadcast, as matmul's: PyTorch's math)
        raise ShapeError(f"scaled_dot_product_attention: expected query (…, L, E), key (…, S, E) and value "
                         f"(…, S, Ev) of at least 2 dimensions each, got {shapes}")
    if isinstance(attn_mask, Tensor) and attn_mask.dtype not in (_dtype.bool, _dtype.float32, query.dtype):
        raise DomainError(f"scaled_dot_product_attention: attn_mask must be bool, float32 or query's dtype "
                          f"({query.dtype}), got {attn_mask.dtype} (PyTorch's check, with the inputs'); convert it "
                          "with .bool() or .to(query.dtype)")  # (RuntimeError, as PyTorch's)
    if not (query.shape[-2] and value.numel()):  # no query rows or no values: PyTorch's zeros (…, L, Ev), NaN where
        empty = query.new_zeros(tuple(query.shape[:-1]) + (value.shape[-1],))  # an input holds NaN or ±∞, gradients
        return empty + (query.sum() + key.sum() + value.sum()) * 0.0  # 0 (before the mask and enable_gqa are read;
    # an empty batch of queries or feature dim E goes through the product, as there: E = 0 weighs each value 1/S)
    if enable_gqa and min(query.ndim, key.ndim, value.ndim) < 3:  # (PyTorch reads each one's heads, dim -3)
        raise DimensionError(f"scaled_dot_product_attention: enable_gqa reads the heads (dim -3) of query, key and "
                             f"value, so each needs at least 3 dimensions, got {shapes}")
    if is_causal and attn_mask is not None:
        raise DomainError("scaled_dot_product_attention: pass attn_mask or is_causal=True, not both")  # (PyTorch's
        # RuntimeError, after an empty result)
    if enable_gqa and key.shape[-3] != query.shape[-3] and query.shape[-3] % key.shape[-3]:
        raise ShapeError(f"scaled_dot_product_attention: {query.shape[-3]} query heads are not a multiple of "
                         f"{key.shape[-3]} key/value heads")
    xp = backend.get_array_module(query.array)
    length, source = query.shape[-2], key.shape[-2]
    flash = _flash_kernel(query, key, value, attn_mask, dropout_p, enable_gqa)
    if enable_gqa and key.shape[-3] != query.shape[-3]:  # each key/value head serves a group
        group = query.shape[-3] // key.shape[-3]
        key, value = key.repeat_interleave(group, dim=-3), value.repeat_interleave(group, dim=-3)
    factor = float(scale) if scale is not None else 1.0 / query.shape[-1] ** 0.5 if query.shape[-1] else 1.0  # (a
    # double, as PyTorch's: a NumPy float32 scale is not rounded to float32 in √|scale|)
    if flash:  # (PyTorch's CPU kernel, one node: minigan/functional/flash_attention.py)
        if dropout_p != 0:  # a NaN dropout_p passes the dispatch's dropout_p > 0 and meets the kernel's own check
            raise DomainError(f"scaled_dot_product_attention: dropout_p must be a number in [0, 1), got {dropout_p} "
                              "(PyTorch's flash kernel: 'Currently do not support dropout > 0')")
        bias = None if attn_mask is None else _attention_bias(
            _tensor(attn_mask, "scaled_dot_product_attention", "attn_mask"), query.dtype, xp).array
        return FlashAttention.apply(query, key, value, bias=bias, causal=bool(is_causal), scale=factor)
    # PyTorch's math: query and key each scaled by √|scale| (the query by its negative for a scale < 0)
    root = abs(factor) ** 0.5 if query.shape[-1] else 1.0
    scores = (query * (-root if factor < 0 else root)) @ (key * root).transpose(-2, -1)
    if is_causal:
        attn_mask = Tensor._make(xp.tril(xp.ones((length, source), dtype=bool)))
    if attn_mask is not None:
        if backend.broadcast_shapes(tuple(attn_mask.shape), tuple(scores.shape),
                                    op="scaled_dot_product_attention: attn_mask") != tuple(scores.shape):
            raise ShapeError(f"scaled_dot_product_attention: attn_mask of shape {tuple(attn_mask.shape)} does not "
                             f"broadcast to the scores' {tuple(scores.shape)} (PyTorch adds it in place)")
        scores = scores + _attention_bias(_tensor(attn_mask, "scaled_dot_product_attention", "attn_mask"),
                                          query.dtype, xp)
    dead = xp.all(scores.array == -xp.inf, axis=-1, keepdims=True)  # a query whose scores are all −∞ (masked, or
    if dead.any():  # scaled there) gets output 0, as PyTorch's (its softmax would be 0/0); its scores are set to 0,
        scores = scores.masked_fill(Tensor._make(dead), 0.0)  # then unused: no NaN reaches the gradient
        weights = scores.softmax(-1) * Tensor._make((~dead).astype(query.dtype))
    else:
        weights = scores.softmax(-1)
    if dropout_p > 0:
        weights = dropout(weights, dropout_p)
    return weights @ value
