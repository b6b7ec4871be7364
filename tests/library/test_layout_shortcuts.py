"""surface/parity.py's ``pointwise_layout`` takes its usual cases in a few checks before PyTorch's ordering rule
(``ordered_as_operands``); the shortcuts must give what the rule gives.  Drawn: a result's shape, operands broadcast
to it (some of fewer dimensions, some with sizes of 1), each made row-major, transposed, sliced, or with odd strides
at its sizes of 1, in the result's dtype or another; the result as NumPy lays it out.  The strides of the two must
agree (the rule's own values against PyTorch: tests/pytorch's layout files)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from minigan.surface.parity import ordered_as_operands, pointwise_layout


@st.composite
def operands_and_result(draw):
    shape = tuple(draw(st.lists(st.sampled_from([1, 2, 3, 4]), min_size=2, max_size=4)))
    arrays = []
    for _ in range(draw(st.integers(1, 3))):
        nd = draw(st.integers(1, len(shape)))
        own = tuple(n if draw(st.booleans()) else 1 for n in shape[len(shape) - nd:])
        dtype = draw(st.sampled_from(["float32", "float32", "float64"]))
        how = draw(st.sampled_from(["row-major", "transposed", "sliced", "odd ones"]))
        if how == "transposed":
            a = np.zeros(own[::-1], dtype).T
        elif how == "sliced":
            a = np.zeros(tuple(2 * n for n in own), dtype)[tuple(slice(None, None, 2) for _ in own)]
        else:
            a = np.zeros(own, dtype)
            if how == "odd ones" and 1 in own:  # (NumPy calls it row-major whatever the stride at a size of 1)
                a = np.lib.stride_tricks.as_strided(a, own, [s if n != 1 else 1000 for n, s in zip(own, a.strides)])
        arrays.append(a)
    order = draw(st.sampled_from(["C", "F"]))
    out = np.zeros(shape, "float32", order=order)
    return out, arrays


@settings(max_examples=400, deadline=None, derandomize=True)
@given(operands_and_result())
def test_the_shortcuts_lay_out_a_result_as_the_rule_does(case):
    out, arrays = case
    got, want = pointwise_layout(out, *arrays), ordered_as_operands(out, *arrays)
    assert got.shape == want.shape and [s for n, s in zip(got.shape, got.strides) if n != 1] == \
        [s for n, s in zip(want.shape, want.strides) if n != 1], ([a.strides for a in arrays], got.strides)
