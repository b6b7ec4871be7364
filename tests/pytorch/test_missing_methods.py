"""Every public name of PyTorch's Tensor that minigan's lacks is written on minigan.Tensor (missing_methods.py), so
that reading it says what to use instead, as the table's advice; none that minigan has is.

(The torch-free half: tests/library/test_missing_methods.py.)"""

import inspect

import pytest

import minigan
from minigan.surface import missing as _missing
from minigan.surface.missing_methods import MissingMethods, NotProvided
from pytorch.oracle import pytorch_since

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
LISTED = {n for n, v in vars(MissingMethods).items() if isinstance(v, NotProvided)}


def test_every_pytorch_tensor_name_minigan_lacks_is_listed():
    lacking = {n for n in dir(torch.Tensor) if not n.startswith("_") and not hasattr(minigan.Tensor, n)}
    with_advice = {n for n in lacking if _missing.advice("torch.Tensor", n)}
    assert with_advice <= LISTED, f"write these in minigan/surface/missing_methods.py: {sorted(with_advice - LISTED)}"
    assert all(isinstance(inspect.getattr_static(minigan.Tensor, n), NotProvided) for n in LISTED)


@pytorch_since("2.13", "Tensor.const_data_ptr")
def test_every_listed_name_is_pytorchs():
    assert LISTED <= set(dir(torch.Tensor)), sorted(LISTED - set(dir(torch.Tensor)))
