"""The parity layer: the engine computes the textbook's result, and minigan/surface/parity.py lays it out as PyTorch's
through the engine's one extension point for results (engine/graph.py's RESULT_ADJUSTMENTS).

The strides below are PyTorch 2's for the same programs (tests/pytorch compares many more against PyTorch itself);
here they are written out, so that these checks run without it."""

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import minigan
import minigan.functional as F
from minigan.engine import graph
from minigan.engine.ops import elementwise

ROOT = Path(__file__).resolve().parents[2]


def _channels_last(n, c, h, w):
    return np.random.default_rng(0).standard_normal((n, h, w, c)).transpose(0, 3, 1, 2)  # (n, c, h, w), C innermost


def test_the_engine_alone_keeps_the_array_expressions_layout():
    """Without the surface, RESULT_ADJUSTMENTS is empty and a.T * b is NumPy's a.T * b (row-major here)."""
    code = textwrap.dedent("""
        import numpy as np
        from minigan.engine import Tensor, graph
        a = Tensor(np.arange(12.0).reshape(4, 3)).transpose(0, 1)
        b = Tensor(np.ones((3, 4)))
        print(graph.RESULT_ADJUSTMENTS == {}, (a * b).array.flags.c_contiguous)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.stdout.split() == ["True", "True"], out.stderr


def test_the_surface_lays_an_elementwise_result_out_as_its_first_operand():
    a = minigan.tensor(np.arange(12.0).reshape(4, 3)).t()
    b = minigan.ones(3, 4, dtype=minigan.float64)
    assert (a * b).stride() == (1, 3) and (b * a).stride() == (4, 1)  # PyTorch's: the first operand that tells
    assert elementwise.Mul in graph.RESULT_ADJUSTMENTS


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 3), st.integers(2, 4), st.integers(2, 4), st.integers(2, 4))  # (one channel: either layout)
def test_cat_and_stack_of_channels_last_inputs_stay_channels_last(n, c, h, w):
    """The engine's Cat concatenates as NumPy does; its row's layout (surface/layout.py's cat_layout) lays the result
    out channels-last where every input is, as PyTorch's cat, and stack's door keeps that layout with the new axis
    just outside the one it splits."""
    x = minigan.from_numpy(_channels_last(n, c, h, w))
    assert minigan.cat([x, x], 0).stride() == (c * h * w, 1, w * c, c)
    assert minigan.stack([x, x], 0).stride() == (n * c * h * w, c * h * w, 1, w * c, c)


def test_a_saved_result_that_was_laid_out_again_still_sees_a_data_write():
    """softmax of a transposed input: the engine's result is copied row-major by the parity layer, and the copy is
    what backward reads, so a write through .data reaches it (PyTorch's: ∂/∂x of Σ softmax at s = ½ is ½(1 − 4·½))."""
    x = minigan.tensor(np.random.default_rng(1).standard_normal((4, 3)), requires_grad=True)
    y = F.softmax(x.t(), dim=1)
    assert y.stride() == (4, 1)
    y.data.fill_(0.5)
    y.sum().backward()
    assert np.allclose(x.grad.numpy(), -0.5)


def test_an_adjustment_reaches_the_subclasses_of_an_op():
    """The surface's Prod stands on the engine's: a reduction's result is row-major through the base's row."""
    x = minigan.tensor(np.random.default_rng(2).standard_normal((3, 4, 5))).permute(2, 0, 1)
    assert x.prod(dim=1, keepdim=True).is_contiguous() and x.sum(dim=1, keepdim=True).is_contiguous()
