"""``minigan.set_printoptions`` changes how tensors print exactly as ``torch.set_printoptions`` does.

(Its torch-free tests: tests/library/test_printoptions.py.)"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

OPTIONS = [dict(precision=2), dict(precision=7), dict(sci_mode=False), dict(sci_mode=True), dict(profile="short"),
           dict(profile="full"), dict(threshold=5), dict(threshold=5, edgeitems=1), dict(linewidth=30),
           dict(profile="full", precision=6), dict(precision=1, linewidth=50, sci_mode=True)]
VALUES = [np.array([[1.23456, 2e-5], [3.0, 4.5]]), np.arange(12.0), np.arange(24.0).reshape(2, 3, 4) * 1e5,
          np.array(1.5), np.array([0.1, -2.25, 1e9]), np.linspace(-1, 1, 40).reshape(5, 8), np.arange(2000.0) / 7,
          np.array([1.0, np.nan, -np.inf, 0.0])]


@pytest.fixture(autouse=True)
def _restore():
    yield
    minigan.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_prints_as_pytorch_under_each_option(options):
    minigan.set_printoptions(**options)
    torch.set_printoptions(**options)
    for v in VALUES:
        v = v.astype(np.float32)
        assert repr(minigan.tensor(v)) == repr(torch.tensor(v)), (options, v)
        assert repr(minigan.tensor(v, requires_grad=True) * 2).replace("MulBackward0", "X") == repr(
            torch.tensor(v, requires_grad=True) * 2).replace("MulBackward0", "X")


def test_sci_mode_left_out_goes_back_to_automatic_as_in_pytorch():
    minigan.set_printoptions(sci_mode=False)
    minigan.set_printoptions(precision=4)  # sci_mode not given: None again
    assert repr(minigan.tensor([1.0, 1e-6])) == repr(torch.tensor([1.0, 1e-6]))
