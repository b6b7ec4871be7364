"""What the torch-free tests of test_higher_order.py share with its comparisons with PyTorch
(tests/pytorch/test_higher_order.py)."""

import contextlib

import numpy as np
import pytest

import minigan
import minigan.engine.ops
from minigan.engine import graph
from minigan.engine.ops import elementwise as E
from minigan.engine.ops import linalg as L


def _leaves(arrays_):
    return [minigan.tensor(a, dtype=np.float64, requires_grad=True) for a in arrays_]


@contextlib.contextmanager
def the_engines_pow():
    """The engine's Pow as the engine alone computes it: without its row of minigan/surface/ops.py (PyTorch's kernels
    and zeros, KERNELS; its gradient under create_graph, GRADIENT_ADJUSTMENTS)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delitem(graph.KERNELS, E.Pow)
        patch.delitem(graph.GRADIENT_ADJUSTMENTS, E.Pow)
        yield


@pytest.fixture
def the_engine_alone():
    """The engine's ops as the engine alone computes them (a fixture): Pow without its row's kernels, PyTorch's
    rounding and zeros, whose mixed derivative at b = 0 is not the textbook's, and ScaledMatMul without PyTorch's
    BLAS scaling (minigan/surface/ops.py)."""
    with the_engines_pow(), pytest.MonkeyPatch.context() as patch:
        patch.delitem(graph.KERNELS, L.ScaledMatMul)
        yield
