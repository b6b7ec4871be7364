"""Multi-head attention (Vaswani et al. 2017, "Attention Is All You Need", §3.2.2), as PyTorch's
``nn.MultiheadAttention``: the same parameters, masks, layouts and results.

    head_i = softmax(Q W_i^Q (K W_i^K)ᵀ / √d + mask) · V W_i^V,    out = [head_1, …, head_h] W^O

The h heads' projections are one (3E, E) matrix, ``in_proj_weight`` (separate ``q/k/v_proj_weight`` when keys
or values have another width), so each projection is one ``linear``; the heads then become a batch axis.
Masks follow PyTorch's meaning here: in ``attn_mask`` and ``key_padding_mask`` a bool True *hides* a key
(unlike ``F.scaled_dot_product_attention``, where True lets a query attend); a float mask is added to the scores.
"""

from __future__ import annotations

from minigan import functional as F
from minigan.engine import backend
from minigan.engine.errors import DomainError, DtypeError, ShapeError
from minigan.nn import init
from minigan.nn.layers import Linear, _empty, _size_int
from minigan.nn.module import Module
from minigan.nn.parameter import Parameter
from minigan.surface.tensor import Tensor


def _shape(mask):
    return None if mask is None else tuple(mask.shape)


def _as_bias(mask, dtype):
    """PyTorch's MultiheadAttention mask as an additive bias: bool True (hidden) → −inf, a float mask as it is."""
    if mask is None or mask.dtype != bool:
        return mask
    xp = backend.get_array_module(mask.array)
    return Tensor._make(xp.where(mask.array, -xp.inf, 0.0).astype(dtype))


class AttentionShapeError(ShapeError, AssertionError):
    """Query, key, value or a mask of a shape MultiheadAttention cannot read: a ShapeError (so a RuntimeError) for
    minigan, and the AssertionError PyTorch's checks raise there."""


class AttentionArgumentError(DomainError, AssertionError):
    """An embed_dim that num_heads does not divide: a DomainError (so a ValueError) for minigan, and the
    AssertionError PyTorch's check raises."""


class AttentionMaskError(DtypeError, AssertionError):
    """A mask neither bool nor floating: a DtypeError for minigan, and the AssertionError PyTorch's check raises."""


class NonDynamicallyQuantizableLinear(Linear):
    """A Linear under PyTorch's name for the output projection (PyTorch uses it to keep quantization away from
    it), so that ``print(model)`` reads as PyTorch's."""


class MultiheadAttention(Module):
    """PyTorch's ``nn.MultiheadAttention(embed_dim, num_heads, dropout, bias, add_bias_kv, add_zero_attn, kdim,
    vdim, batch_first)``; ``forward`` returns (output, weights averaged over heads, or per head, or None)."""

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False,
                 kdim=None, vdim=None, batch_first=False, device=None, dtype=None):
        super().__init__()
        self.embed_dim = _size_int(embed_dim, "embed_dim", "MultiheadAttention", least=1)
        self.num_heads = _size_int(num_heads, "num_heads", "MultiheadAttention", least=1)
        if embed_dim % num_heads:
            raise AttentionArgumentError(f"MultiheadAttention: embed_dim={embed_dim} must be divisible by "
                                         f"num_heads={num_heads}")
        self.kdim = embed_dim if kdim is None else _size_int(kdim, "kdim", "MultiheadAttention")
        self.vdim = embed_dim if vdim is None else _size_int(vdim, "vdim", "MultiheadAttention")
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.dropout, self.batch_first, self.head_dim = dropout, batch_first, embed_dim // num_heads
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(_empty(3 * embed_dim, embed_dim))
            self.q_proj_weight = self.k_proj_weight = self.v_proj_weight = None
        else:
            self.q_proj_weight = Parameter(_empty(embed_dim, embed_dim))
            self.k_proj_weight = Parameter(_empty(embed_dim, self.kdim))
            self.v_proj_weight = Parameter(_empty(embed_dim, self.vdim))
            self.in_proj_weight = None
        self.in_proj_bias = Parameter(_empty(3 * embed_dim)) if bias else None
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias)
        self.bias_k = Parameter(_empty(1, 1, embed_dim)) if add_bias_kv else None
        self.bias_v = Parameter(_empty(1, 1, embed_dim)) if add_bias_kv else None
        self.add_zero_attn = add_zero_attn
        # PyTorch's initialisation: Xavier-uniform projections, zero biases, Xavier-normal bias_k/bias_v
        for w in (self.in_proj_weight, self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
            if w is not None:
                init.xavier_uniform_(w)
        for b in (self.in_proj_bias, self.out_proj.bias):
            if b is not None:
                init.zeros_(b)
        for b in (self.bias_k, self.bias_v):
            if b is not None:
                init.xavier_normal_(b)
        self.to(device=device, dtype=dtype)

    def _projections(self):
        """(W_q, W_k, W_v) and their biases (or Nones)."""
        e = self.embed_dim
        weights = self.in_proj_weight.chunk(3) if self._qkv_same_embed_dim else (
            self.q_proj_weight, self.k_proj_weight, self.v_proj_weight)
        biases = (None,) * 3 if self.in_proj_bias is None else (
            self.in_proj_bias[:e], self.in_proj_bias[e : 2 * e], self.in_proj_bias[2 * e :])
        return weights, biases

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
                average_attn_weights=True, is_causal=False):
        if is_causal and attn_mask is None:
            raise DomainError("MultiheadAttention: is_causal=True is a hint about attn_mask: pass the causal mask "
                              "too (e.g. minigan.ones(L, L).triu(1).bool())")  # (PyTorch's RuntimeError)
        batched = query.ndim == 3
        if query.ndim not in (2, 3) or key.ndim != query.ndim or value.ndim != query.ndim:
            raise AttentionShapeError(f"MultiheadAttention: query, key and value must all be (L, E) or batched, got "
                             f"{tuple(query.shape)}, {tuple(key.shape)} and {tuple(value.shape)}")
        if key_padding_mask is not None and key_padding_mask.ndim != query.ndim - 1 or \
                attn_mask is not None and attn_mask.ndim not in (2, 3):
            raise AttentionShapeError(f"MultiheadAttention: for a {query.ndim}-D query, key_padding_mask must be None "
                                      f"or {query.ndim - 1}-D and attn_mask None, 2-D or 3-D, got "
                                      f"{_shape(key_padding_mask)} and {_shape(attn_mask)}")
        for name, mask in (("key_padding_mask", key_padding_mask), ("attn_mask", attn_mask)):
            if mask is not None and mask.dtype != bool and not mask.is_floating_point():
                raise AttentionMaskError(f"MultiheadAttention: {name} must be bool (True hides) or floating (added "
                                         f"to the scores), got {mask.dtype}")
        if not batched:  # one sequence: a batch of one, (L, 1, E)
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
            key_padding_mask = None if key_padding_mask is None else key_padding_mask.unsqueeze(0)
        elif self.batch_first:  # (N, L, E) → (L, N, E), the layout the algorithm below reads
            query, key, value = query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1)
        length, n, e = query.shape
        if e != self.embed_dim or key.shape[-1] != self.kdim or value.shape[-1] != self.vdim \
                or key.shape[:2] != value.shape[:2] or key.shape[1] != n:
            raise AttentionShapeError(f"MultiheadAttention({self.embed_dim}, kdim={self.kdim}, vdim={self.vdim}): got "
                                      f"query {tuple(query.shape)}, key {tuple(key.shape)} and value "
                                      f"{tuple(value.shape)} (sequence-first)")
        if key_padding_mask is not None and tuple(key_padding_mask.shape) != (n, key.shape[0]):
            raise AttentionShapeError(f"MultiheadAttention: key_padding_mask must be (batch, keys) = "
                                      f"{(n, key.shape[0])}, got {tuple(key_padding_mask.shape)}")
        heads, d = self.num_heads, self.head_dim

        (w_q, w_k, w_v), (b_q, b_k, b_v) = self._projections()
        q, k, v = F.linear(query, w_q, b_q), F.linear(key, w_k, b_k), F.linear(value, w_v, b_v)
        attn_mask, key_padding_mask = _as_bias(attn_mask, q.dtype), _as_bias(key_padding_mask, q.dtype)
        if attn_mask is not None and attn_mask.ndim == 2:
            attn_mask = attn_mask.unsqueeze(0)  # (1, L, S): the same for every batch item and head
        if self.bias_k is not None:  # one learned key and value appended to every sequence
            k = F.cat([k, self.bias_k.repeat(1, n, 1)])
            v = F.cat([v, self.bias_v.repeat(1, n, 1)])
            attn_mask = None if attn_mask is None else F.pad(attn_mask, (0, 1))
            key_padding_mask = None if key_padding_mask is None else F.pad(key_padding_mask, (0, 1))

        # the heads become a batch axis: (L, N, h·d) → (N·h, L, d)
        q = q.reshape(length, n * heads, d).transpose(0, 1)
        k = k.reshape(k.shape[0], n * heads, d).transpose(0, 1)
        v = v.reshape(v.shape[0], n * heads, d).transpose(0, 1)
        if self.add_zero_attn:  # a zero key and value appended (after the projections)
            zero = Tensor._make(backend.get_array_module(q.array).zeros((n * heads, 1, d), dtype=q.dtype))
            k, v = F.cat([k, zero], dim=1), F.cat([v, zero], dim=1)
            attn_mask = None if attn_mask is None else F.pad(attn_mask, (0, 1))
            key_padding_mask = None if key_padding_mask is None else F.pad(key_padding_mask, (0, 1))
        source = k.shape[1]
        if key_padding_mask is not None:  # (N, S) → (N·h, 1, S): a hidden key is hidden from every head
            key_padding_mask = key_padding_mask.reshape(n, 1, 1, source).expand(n, heads, 1, source)
            key_padding_mask = key_padding_mask.reshape(n * heads, 1, source)
            attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
        p = self.dropout if self.training else 0.0  # (PyTorch's: read as given, dropped above 0, by dropout's door)

        if need_weights:
            scores = (q * d ** -0.5) @ k.transpose(1, 2)  # (N·h, L, S)
            weights = (scores if attn_mask is None else scores + attn_mask).softmax(-1)
            out = (F.dropout(weights, p) if p > 0.0 else weights) @ v
        else:  # as PyTorch, through scaled_dot_product_attention (a query that sees no key gives 0 there) of its
            # 4-D (N, h, L, d) views, so that its dispatch picks the kernel PyTorch's does (the flash kernel, without
            # dropout)
            mask = None if attn_mask is None else attn_mask.unsqueeze(0) if attn_mask.shape[0] == 1 else \
                attn_mask.reshape(n, heads, -1, source)
            out = F.scaled_dot_product_attention(q.reshape(n, heads, length, d), k.reshape(n, heads, source, d),
                                                 v.reshape(n, heads, source, d), mask, p)
            out = out.reshape(n * heads, length, d)
        out = F.linear(out.transpose(0, 1).reshape(length * n, e), self.out_proj.weight, self.out_proj.bias)
        out = out.reshape(length, n, e)
        if not batched:
            out = out.squeeze(1)
        elif self.batch_first:
            out = out.transpose(0, 1)
        if not need_weights:
            return out, None
        weights = weights.reshape(n, heads, length, source)
        if average_attn_weights:
            weights = weights.mean(1)
        return out, (weights if batched else weights.squeeze(0))
