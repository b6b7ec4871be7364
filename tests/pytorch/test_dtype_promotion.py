"""PyTorch's type promotion against PyTorch where a record cannot say it (tests/pytorch/test_recorded_dtype_promotion.py
compares result_type, the operators, where and the functions of integer tensors over every pair of dtypes with PyTorch's
recorded answers, without PyTorch; that the record is PyTorch's: tests/pytorch/test_records_are_pytorchs.py): a tensor
infers its dtype as PyTorch's, and div takes a rounding mode."""

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def test_tensor_infers_its_dtype_as_pytorch():
    for data in ([1, 2, 3], [True, False], [1.0, 2], 5, 2.5, True, [[1, 2], [3, 4]]):
        assert str(minigan.tensor(data).dtype) == str(torch.tensor(data).dtype).replace("torch.", "minigan."), data


def test_tensor_div_takes_a_rounding_mode_as_pytorch():
    for lib in (minigan, torch):
        x = lib.tensor([7.0, -7.0])
        assert x.div(2, rounding_mode="floor").tolist() == [3.0, -4.0]
        assert x.div(2, rounding_mode="trunc").tolist() == [3.0, -3.0]
        assert x.div_(2, rounding_mode="floor").tolist() == [3.0, -4.0]
