"""F.pad gives a new tensor in every mode, as PyTorch's: with nothing to pad, or only negative sizes (a crop), the
result shares no memory with the input (a write into it leaves the input as it was), and gradients flow."""

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

PADS = [[0, 0], [0, 0, 0, 0], [-1, 0], [0, -1, -1, 0], [1, 0], [1, 1, 0, 1]]


def _outcome(lib, mode, pad):
    x = lib.arange(24.0, dtype=lib.float64).reshape(1, 2, 3, 4).requires_grad_()
    try:
        y = lib.nn.functional.pad(x, pad, mode)
    except (RuntimeError, ValueError, NotImplementedError) as e:
        return type(e).__mro__[1].__name__ if type(e).__module__.startswith("minigan") else type(e).__name__
    shares = y.data_ptr() == x.data_ptr() or y is x
    (y * lib.arange(float(y.numel()), dtype=lib.float64).reshape(y.shape)).sum().backward()
    return shares, y.detach().tolist(), x.grad.tolist()


@pytest.mark.parametrize("pad", PADS, ids=str)
@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
def test_pad_result_is_a_new_tensor_as_pytorchs(mode, pad):
    ours, theirs = _outcome(minigan, mode, pad), _outcome(torch, mode, pad)
    if isinstance(theirs, str):
        assert isinstance(ours, str)
    else:
        assert ours == theirs
