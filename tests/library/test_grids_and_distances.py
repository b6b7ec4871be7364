"""tensordot, diag, trace, meshgrid and cdist: a clear error of the right class for each bad argument.

(Its comparisons with PyTorch: tests/pytorch/test_grids_and_distances.py.)"""

import pytest

import minigan


@pytest.mark.parametrize("call, error, match", [
    (lambda: minigan.tensordot(minigan.ones(2, 3), minigan.ones(3), dims=3), ValueError, "from 0 to 1"),
    (lambda: minigan.tensordot(minigan.ones(2, 3), minigan.ones(3), dims=([0, 1], [0])), ValueError, "as many"),
    (lambda: minigan.tensordot(minigan.ones(2, 3), minigan.ones(4), dims=([1], [0])), minigan.ShapeError, "sizes"),
    (lambda: minigan.diag(minigan.ones(2, 2, 2)), minigan.ShapeError, "1-D or 2-D"),
    (lambda: minigan.trace(minigan.ones(3)), minigan.ShapeError, "matrix"),
    (lambda: minigan.meshgrid(minigan.ones(2, 2)), minigan.ShapeError, "1-D"),
    (lambda: minigan.meshgrid(minigan.ones(2), indexing="yx"), ValueError, "'ij' or 'xy'"),
    (lambda: minigan.cdist(minigan.ones(2, 3), minigan.ones(2, 4)), minigan.ShapeError, "same M"),
])
def test_bad_arguments_raise_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
