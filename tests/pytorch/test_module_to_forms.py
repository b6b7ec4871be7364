"""nn.Module.to in each of PyTorch's forms: a device, a dtype, both (positional or by keyword), another tensor (its
dtype and device), non_blocking; an integer dtype refused with a TypeError, whichever form brings it.  The module
itself comes back, its floating parameters and buffers in the dtype asked, its integer buffers as they were."""

import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

FORMS = {
    "dtype": lambda lib: ((lib.float64,), {}),
    "dtype_kw": lambda lib: ((), {"dtype": lib.float64}),
    "device": lambda lib: (("cpu",), {}),
    "device_object": lambda lib: ((lib.device("cpu"),), {}),
    "device_and_dtype": lambda lib: (("cpu", lib.float64), {}),
    "device_and_dtype_kw": lambda lib: ((), {"device": "cpu", "dtype": lib.float64}),
    "device_then_dtype_kw": lambda lib: (("cpu",), {"dtype": lib.float64}),
    "tensor": lambda lib: ((lib.zeros(1, dtype=lib.float64),), {}),
    "tensor_float16": lambda lib: ((lib.zeros(2, dtype=lib.float16),), {}),
    "tensor_non_blocking": lambda lib: ((lib.zeros(1, dtype=lib.float64),), {"non_blocking": True}),
    "dtype_non_blocking": lambda lib: ((lib.float64,), {"non_blocking": True}),
    "tensor_int": lambda lib: ((lib.zeros(1, dtype=lib.int64),), {}),
    "dtype_int": lambda lib: ((lib.int64,), {}),
    "dtype_int_kw": lambda lib: ((), {"dtype": lib.int32}),
}


def _outcome(lib, form):
    model = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3))
    args, kwargs = FORMS[form](lib)
    result = outcome(lambda: model.to(*args, **kwargs))
    if isinstance(result, Exception):
        return result
    return result is model, [str(v.dtype).split(".")[-1] for v in model.state_dict().values()]


@pytest.mark.parametrize("form", FORMS)
def test_module_to_as_pytorchs(form):
    theirs, ours = _outcome(torch, form), _outcome(minigan, form)
    if isinstance(theirs, Exception):
        assert isinstance(ours, type(theirs)), f"PyTorch: {theirs!r}; minigan: {ours!r}"
    else:
        assert ours == theirs
