"""``x.type(name)`` takes a legacy type name as PyTorch spells it, 'torch.FloatTensor' (minigan's own print,
'minigan.FloatTensor', too), and refuses any other string with PyTorch's ValueError ('invalid type'): a dtype's name
('float', 'torch.float32'), a bare 'FloatTensor', a device, NumPy's name.  A legacy name minigan has no dtype for
(bfloat16, complex) is refused with ValueError too (docs/pytorch.md: minigan's dtypes)."""

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

ACCEPTED = ["torch.FloatTensor", "torch.DoubleTensor", "torch.HalfTensor", "torch.BoolTensor", "torch.LongTensor",
            "torch.IntTensor", "torch.ShortTensor", "torch.CharTensor", "torch.ByteTensor"]
REFUSED = ["float", "double", "torch.float32", "FloatTensor", "Tensor", "", "cpu", "cuda", "numpy.float32",
           "torch.Floattensor", "torch..FloatTensor", "torch.nn.FloatTensor"]
WITHOUT_A_DTYPE = ["torch.BFloat16Tensor", "torch.ComplexFloatTensor"]


@pytest.mark.parametrize("name", ACCEPTED)
def test_a_legacy_type_name_casts_as_pytorchs(name):
    theirs = torch.tensor([1.7, -2.0, 0.0]).type(name)
    mine = minigan.tensor([1.7, -2.0, 0.0]).type(name)
    assert str(mine.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    assert mine.tolist() == theirs.tolist()
    assert minigan.ones(1).type(name.replace("torch.", "minigan.")).dtype == mine.dtype  # minigan's own print


@pytest.mark.parametrize("name", REFUSED)
def test_another_string_is_pytorchs_value_error(name):
    with pytest.raises(ValueError):
        torch.ones(1).type(name)
    with pytest.raises(ValueError, match="invalid type"):
        minigan.ones(1).type(name)


@pytest.mark.parametrize("name", WITHOUT_A_DTYPE)
def test_a_legacy_name_without_a_minigan_dtype_is_refused(name):
    assert torch.ones(1).type(name) is not None
    with pytest.raises(ValueError, match="invalid type"):
        minigan.ones(1).type(name)
