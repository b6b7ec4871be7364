"""masked_fill, masked_fill_ and minigan.masked_fill given a mask that is not bool raise PyTorch's class with a
message that names masked_fill (not the where it is built on) and the mask's dtype."""

import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

FORMS = {"method": lambda lib, x, m: x.masked_fill(m, 0.0), "inplace": lambda lib, x, m: x.clone().masked_fill_(m, 0.0),
         "free": lambda lib, x, m: lib.masked_fill(x, m, 0.0),
         "tensor_value": lambda lib, x, m: x.masked_fill(m, lib.tensor(1.0))}
MASK_DTYPES = ["int64", "int32", "int8", "uint8", "float32", "float64", "bool"]


def _outcome(lib, form, mask_dtype, x_dtype):
    x = lib.arange(6, dtype=getattr(lib, x_dtype)).reshape(2, 3)
    m = lib.tensor([1, 0, 1]).to(getattr(lib, mask_dtype))
    return outcome(lambda: FORMS[form](lib, x, m).tolist())


@pytest.mark.parametrize("x_dtype", ["float32", "int64"])
@pytest.mark.parametrize("mask_dtype", MASK_DTYPES)
@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_mask_that_is_not_bool(form, mask_dtype, x_dtype):
    theirs = _outcome(torch, form, mask_dtype, x_dtype)
    ours = _outcome(minigan, form, mask_dtype, x_dtype)
    if not isinstance(theirs, Exception):
        assert ours == theirs
        return
    assert isinstance(ours, type(theirs)), f"PyTorch raised {theirs!r}, minigan {ours!r}"
    assert "masked_fill" in str(ours) and mask_dtype in str(ours) and "\n" not in str(ours), str(ours)
