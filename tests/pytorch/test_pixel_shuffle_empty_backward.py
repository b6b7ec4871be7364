"""pixel_shuffle and pixel_unshuffle of an empty tensor: the result's shape is PyTorch's, and the gradient has the
input's shape, where PyTorch's backward refuses (each op's backward is the other op, whose kernel returns an empty
input's shape unchanged): docs/pytorch.md's row, measured here so a PyTorch that fixes it shows.  Surface programs
11707239, 11742340, 11747910, 11779752."""

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

CASES = [("pixel_shuffle", (2, 4, 0, 3), 2), ("pixel_shuffle", (0, 4, 2, 3), 2), ("pixel_shuffle", (2, 0, 2, 3), 2),
         ("pixel_shuffle", (3, 27, 0, 3), 3), ("pixel_shuffle", (4, 0, 3), 2), ("pixel_unshuffle", (2, 1, 0, 6), 2),
         ("pixel_unshuffle", (0, 1, 4, 6), 2), ("pixel_unshuffle", (2, 0, 4, 6), 2)]


def _run(lib, fn, shape, r):
    x = lib.zeros(*shape, dtype=lib.float64, requires_grad=True)
    y = getattr(lib.nn.functional, fn)(x, r)
    try:
        (g,) = lib.autograd.grad(y.sum(), x)
    except RuntimeError as e:
        return tuple(y.shape), e
    return tuple(y.shape), g


@pytest.mark.parametrize("fn,shape,r", CASES)
def test_empty_gradient_has_the_input_shape(fn, shape, r):
    (ours_shape, ours), (theirs_shape, theirs) = _run(minigan, fn, shape, r), _run(torch, fn, shape, r)
    assert ours_shape == theirs_shape
    assert not isinstance(ours, Exception), ours
    assert tuple(ours.shape) == shape and ours.dtype == minigan.float64
    assert isinstance(theirs, RuntimeError)  # (docs/pytorch.md: PyTorch's backward refuses here)
