"""A class the surface programs (tests/pytorch/surface_programs.py) found, checked without PyTorch: nn.init's normal_,
uniform_ and trunc_normal_ fill a 0-d tensor in place.

(Its comparisons with PyTorch: tests/pytorch/test_surface_arguments_at_edges.py.)"""

import pytest

import minigan


# ----------------------------------------------------------------------------- init on 0-d and zero-element tensors
@pytest.mark.parametrize("init", ["normal_", "uniform_", "trunc_normal_"])
def test_init_fills_a_zero_d_tensor(init):
    x = minigan.tensor(5.0)
    out = getattr(minigan.nn.init, init)(x)
    assert out is x and tuple(x.shape) == () and float(x) != 5.0
