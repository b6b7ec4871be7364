"""scaled_dot_product_attention's checks of attn_mask, in PyTorch's order, against PyTorch.

PyTorch checks the mask's dtype with the inputs (bool, float32 or query's dtype: else RuntimeError), before it
looks at sizes or returns the empty result of no query rows; then its math refuses a mask given with is_causal=True
(RuntimeError), after the empty result.  Over mask dtypes, is_causal, query dtypes, and inputs with and without
query rows (and a key whose sizes do not fit), minigan must give PyTorch's result or raise its class.
"""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome, refused_alike
from pytorch.oracle import pytorch_older_than, pytorch_since

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

MASKS = [None, "bool", "float32", "float64", "float16", "int64", "int32", "uint8"]
SHAPES = {"(2, 3, 4)": ((2, 3, 4), (2, 3, 4)), "no query rows": ((2, 0, 4), (2, 3, 4)),
          "a key that does not fit": ((2, 3, 4), (0, 3))}


def _run(lib, mask, causal, dtype, shapes):
    (qs, ks), dt = SHAPES[shapes], getattr(lib, dtype)
    rng = np.random.default_rng(0)
    q, k, v = (lib.tensor(rng.standard_normal(s), dtype=dt) for s in (qs, ks, (2, 3, 4)))
    m = None if mask is None else lib.tensor(rng.standard_normal((3, 3)) > 0).to(getattr(lib, mask))
    out = outcome(lambda: lib.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=m, is_causal=causal))
    return ("raised", out) if isinstance(out, Exception) else ("ran", (tuple(out.shape), np.asarray(out.tolist())))


# No query rows and a mask of a dtype the inputs take: the empty result before the mask's sizes and is_causal are read,
# from PyTorch 2.12 (2.11 compares the mask's sizes with the rows', or refuses the mask with is_causal=True)
EMPTY_FIRST = pytorch_since("2.12", "attention of no query rows gives the empty result before it reads the mask's "
                                    "sizes and is_causal")
# An empty key whose sizes do not fit: refused by PyTorch 2.11 and 2.13; 2.12 alone gives zeros before it compares them
ZEROS_OF_2_12 = pytest.mark.skipif(pytorch_older_than("2.13") and not pytorch_older_than("2.12"),
                                   reason="PyTorch 2.12 gives zeros for an empty key whose sizes do not fit (2.11 "
                                          "and 2.13 refuse it, as minigan does)")


def _marks(mask, causal, dtype, shapes):
    if mask not in (None, "bool", "float32", dtype):  # (a mask of a dtype the inputs refuse: every PyTorch refuses)
        return []
    return [ZEROS_OF_2_12] if shapes == "a key that does not fit" else [EMPTY_FIRST] if mask and shapes == \
        "no query rows" else []


CASES = [pytest.param(*case, marks=_marks(*case))
         for case in itertools.product(MASKS, [False, True], ["float64", "float32"], SHAPES)]


@pytest.mark.parametrize("mask,causal,dtype,shapes", CASES)
def test_the_masks_checks_are_pytorchs_in_its_order(mask, causal, dtype, shapes):
    expected, got = _run(torch, mask, causal, dtype, shapes), _run(minigan, mask, causal, dtype, shapes)
    where = f"attn_mask {mask}, is_causal={causal}, {dtype} inputs, {shapes}"
    if refused_alike(got, expected, where):
        return
    assert got[1][0] == expected[1][0], f"{where}: shape {got[1][0]} vs PyTorch's {expected[1][0]}"
    np.testing.assert_allclose(got[1][1], expected[1][1], rtol=1e-5, atol=1e-6, err_msg=where)
