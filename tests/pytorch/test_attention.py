"""Attention against PyTorch: F.scaled_dot_product_attention (masks, causal, scale, grouped heads, a query that
sees no key) and nn.MultiheadAttention in every layout and option, values and gradients of inputs and
parameters, with PyTorch's parameters loaded.

(Its torch-free tests: tests/library/test_attention.py.)"""

import itertools

import numpy as np
import pytest

import minigan
import minigan.functional as F

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
# PyTorch warns that a bool key_padding_mask beside a float attn_mask is deprecated there; both still combine
pytestmark = pytest.mark.filterwarnings("ignore:Support for mismatched key_padding_mask")
rng = np.random.default_rng(0)


@pytest.mark.parametrize("case", ["plain", "causal", "bool mask", "float mask", "scale", "a query sees nothing"])
def test_scaled_dot_product_attention_equals_pytorch(case):
    q, k, v = rng.standard_normal((2, 3, 5, 4)), rng.standard_normal((2, 3, 6, 4)), rng.standard_normal((2, 3, 6, 7))
    kw = {"causal": dict(is_causal=True), "bool mask": dict(attn_mask=rng.random((5, 6)) > 0.3),
          "float mask": dict(attn_mask=rng.standard_normal((3, 5, 6))), "scale": dict(scale=0.3),
          "a query sees nothing": dict(attn_mask=np.arange(6) < np.array([0, 1, 2, 0, 6])[:, None])}.get(case, {})
    ms = [minigan.tensor(a, requires_grad=True) for a in (q, k, v)]
    ts = [torch.tensor(a, requires_grad=True) for a in (q, k, v)]
    my = F.scaled_dot_product_attention(*ms, **{a: minigan.tensor(b) if isinstance(b, np.ndarray) else b
                                                for a, b in kw.items()})
    ty = torch.nn.functional.scaled_dot_product_attention(*ts, **{a: torch.tensor(b) if isinstance(b, np.ndarray)
                                                                  else b for a, b in kw.items()})
    np.testing.assert_allclose(my.detach().numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    w = rng.standard_normal(my.shape)
    (my * minigan.tensor(w)).sum().backward()
    (ty * torch.tensor(w)).sum().backward()
    for a, b in zip(ms, ts):
        np.testing.assert_allclose(a.grad.detach().numpy(), b.grad.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_grouped_query_attention_shares_each_key_head():
    q, k, v = rng.standard_normal((2, 4, 5, 4)), rng.standard_normal((2, 2, 6, 4)), rng.standard_normal((2, 2, 6, 3))
    ours = F.scaled_dot_product_attention(*map(minigan.tensor, (q, k, v)), enable_gqa=True)
    theirs = torch.nn.functional.scaled_dot_product_attention(*map(torch.tensor, (q, k, v)), enable_gqa=True)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)


def _compare(ctor, forward, shapes, masks):
    theirs = torch.nn.MultiheadAttention(**ctor).double()
    ours = minigan.nn.MultiheadAttention(**ctor).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: minigan.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    arrays = [rng.standard_normal(s) for s in shapes]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    ms = [minigan.tensor(a, requires_grad=True) for a in arrays]
    t_out, t_w = theirs(*ts, **{k: torch.tensor(v) for k, v in masks.items()}, **forward)
    m_out, m_w = ours(*ms, **{k: minigan.tensor(v) for k, v in masks.items()}, **forward)
    np.testing.assert_allclose(m_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-9, atol=1e-12)
    assert (t_w is None) == (m_w is None)
    t_loss, m_loss = t_out.sum(), m_out.sum()
    if t_w is not None:
        np.testing.assert_allclose(m_w.detach().numpy(), t_w.detach().numpy(), rtol=1e-9, atol=1e-12)
        t_loss, m_loss = t_loss + (t_w * t_w).sum(), m_loss + (m_w * m_w).sum()
    t_loss.backward()
    m_loss.backward()
    for a, b in zip(ms, ts):
        np.testing.assert_allclose(a.grad.detach().numpy(), b.grad.detach().numpy(), rtol=1e-8, atol=1e-10)
    their_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.detach().numpy(), their_params[name].grad.detach().numpy(), rtol=1e-8,
                                   atol=1e-10)


OPTIONS = [o for o in itertools.product([False, True], [False, True], [True, False], [False, True], [False, True],
                                        [True, False], [True, False], ["none", "bool", "float"], [False, True])
           if o[5] or o[6]]  # (average_attn_weights only matters with need_weights)
OPTIONS = OPTIONS[::7]  # a spread of the 384 combinations: every option both ways, many pairs of them


@pytest.mark.parametrize("batch_first, other_widths, bias, bias_kv, zero_attn, need, average, mask, padding",
                         OPTIONS)
def test_multihead_attention_equals_pytorch(batch_first, other_widths, bias, bias_kv, zero_attn, need, average,
                                            mask, padding):
    length, source, n, e = 4, 5, 3, 8
    kdim, vdim = (5, 6) if other_widths else (e, e)
    ctor = dict(embed_dim=e, num_heads=2, batch_first=batch_first, bias=bias, add_bias_kv=bias_kv,
                add_zero_attn=zero_attn, kdim=kdim if other_widths else None, vdim=vdim if other_widths else None)
    shape = lambda steps, width: (n, steps, width) if batch_first else (steps, n, width)
    masks = {}
    if mask == "bool":  # True hides a key (each query keeps key 0)
        masks["attn_mask"] = (rng.random((length, source)) < 0.3) & (np.arange(source) > 0)
    if mask == "float":
        masks["attn_mask"] = rng.standard_normal((n * 2, length, source))
    if padding:
        masks["key_padding_mask"] = (rng.random((n, source)) < 0.3) & (np.arange(source) > 0)
    _compare(ctor, dict(need_weights=need, average_attn_weights=average),
             [shape(length, e), shape(source, kdim), shape(source, vdim)], masks)


def test_unbatched_and_causal_self_attention():
    x = (4, 8)
    causal = np.triu(np.ones((4, 4), bool), 1)
    _compare(dict(embed_dim=8, num_heads=4), dict(is_causal=True), [x, x, x], {"attn_mask": causal})
    _compare(dict(embed_dim=8, num_heads=4), {}, [x, (5, 8), (5, 8)],
             {"key_padding_mask": np.array([False, True, False, False, True])})
