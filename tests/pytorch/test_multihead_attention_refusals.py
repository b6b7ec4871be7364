"""MultiheadAttention's refusals by PyTorch's exception class: an embed_dim that num_heads does not divide and an
integer key_padding_mask or attn_mask (PyTorch's AssertionErrors), and ``is_causal=True`` without a mask (its
RuntimeError); minigan raised ValueError for the first and third and took integer masks.  Found by outsider round
5's MultiheadAttention survey.  Each against PyTorch, over head counts, mask dtypes, batched and unbatched inputs
and ``need_weights``."""

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402


def _outcome(fn):
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the class is the result
        return exc
    return None


CASES = {}
for embed, heads in [(5, 2), (6, 4), (4, 3), (7, 2), (9, 6)]:
    CASES[f"embed {embed} heads {heads}"] = lambda T, e=embed, h=heads: T.nn.MultiheadAttention(e, h)
for dtype in ["int64", "int32", "int16", "int8", "uint8"]:
    for batched in (True, False):
        for need in (True, False):
            def kpm(T, dtype=dtype, batched=batched, need=need):
                m = T.nn.MultiheadAttention(4, 2)
                q, kv = (T.ones(3, 2, 4), T.ones(5, 2, 4)) if batched else (T.ones(3, 4), T.ones(5, 4))
                mask = T.zeros((2, 5) if batched else (5,), dtype=getattr(T, dtype))
                return m(q, kv, kv, key_padding_mask=mask, need_weights=need)

            def attn(T, dtype=dtype, batched=batched, need=need):
                m = T.nn.MultiheadAttention(4, 2)
                q, kv = (T.ones(3, 2, 4), T.ones(5, 2, 4)) if batched else (T.ones(3, 4), T.ones(5, 4))
                return m(q, kv, kv, attn_mask=T.zeros(3, 5, dtype=getattr(T, dtype)), need_weights=need)

            CASES[f"key_padding_mask {dtype} batched={batched} need_weights={need}"] = kpm
            CASES[f"attn_mask {dtype} batched={batched} need_weights={need}"] = attn
for batched in (True, False):
    for need in (True, False):
        def causal(T, batched=batched, need=need):
            m = T.nn.MultiheadAttention(4, 2, batch_first=True)
            q = T.ones(2, 3, 4) if batched else T.ones(3, 4)
            return m(q, q, q, is_causal=True, need_weights=need)

        CASES[f"is_causal without a mask batched={batched} need_weights={need}"] = causal


@pytest.mark.parametrize("case", list(CASES))
def test_refused_with_pytorchs_class(case):
    theirs, mine = _outcome(lambda: CASES[case](torch)), _outcome(lambda: CASES[case](minigan))
    assert theirs is not None, "PyTorch takes it"
    assert isinstance(mine, type(theirs)), f"PyTorch raised {theirs!r}, minigan gave {mine!r}"
