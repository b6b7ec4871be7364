"""``tensor(data)`` converts each Python number of a list as PyTorch's checked conversion does: an integer past
int64 is refused (ValueError) unless the tensor is floating or bool, and with an integer ``dtype`` a number past its
range is refused (RuntimeError), an unsigned one taking a negative integer down to -max (which wraps); NaN and
infinities too.  Before, minigan wrapped them silently (``tensor([2**63])`` gave -2**63, ``tensor([300],
dtype=uint8)`` 44).  Each case runs through every door that reads a list: tensor, as_tensor, asarray, new_tensor and
the typed constructors (``ByteTensor([300])``).  ``x[i] = number`` converts the number the same way (a Python int is
read as an int64 first, whatever x's dtype; 1e40 into float32 is refused too)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402

DATA = [
    ("[2**63]", None), ("2**63", None), ("[2**64]", None), ("2**100", None), ("[-2**63 - 1]", None),
    ("[[1], [2**63]]", None), ("[True, 2**63]", None), ("[np.int64(5), 2**63]", None), ("[2**63 - 1, -2**63]", None),
    ("[2**63, 1.0]", None), ("[[2**63], [1.0]]", None), ("[1.5, 2**70]", None),
    ("[2**63]", "float32"), ("[2**64]", "float64"), ("[2**63]", "int64"), ("[2**63]", "uint8"),
    ("[300]", "uint8"), ("[256]", "uint8"), ("[255, -255]", "uint8"), ("[-256]", "uint8"), ("[-1]", "uint8"),
    ("[200]", "int8"), ("[-129]", "int8"), ("[127, -128]", "int8"), ("[70000]", "int16"), ("[2**31]", "int32"),
    ("[-2**31]", "int32"), ("[2**40]", "int32"), ("[1e10]", "int32"), ("[-1.0]", "uint8"), ("[300.0]", "uint8"),
    ("[255.9, -0.5]", "uint8"), ("[float('nan')]", "int32"), ("[float('inf')]", "int64"), ("[3.5, -2.7]", "int32"),
    ("[np.int64(300)]", "uint8"), ("[np.float64(1e10)]", "int32"), ("[5, 2**63]", "bool"), ("300", "uint8"),
    ("[[1, 2], [3, 300]]", "uint8"), ("(1, (2**63,))", None),
]
DOORS = ["tensor", "as_tensor", "asarray", "new_tensor", "legacy"]
LEGACY = {None: "Tensor", "float32": "FloatTensor", "float64": "DoubleTensor", "int64": "LongTensor",
          "int32": "IntTensor", "uint8": "ByteTensor", "bool": "BoolTensor"}  # (PyTorch's typed constructors)


def _run(lib, door, data, dtype):
    value = eval(data, {"np": np})  # noqa: S307 (the table's own literals)
    dt = None if dtype is None else getattr(lib, dtype)
    try:
        if door == "legacy":
            if dtype not in LEGACY or not isinstance(value, (list, tuple)):
                return "no such constructor"
            out = getattr(lib, LEGACY[dtype])(value)
        elif door == "new_tensor":
            out = lib.zeros(1, dtype=lib.int64).new_tensor(value, dtype=dt)
        else:
            out = getattr(lib, door)(value, dtype=dt)
    except Exception as e:  # noqa: BLE001 (the kind is what is compared)
        return "error", isinstance(e, RuntimeError), isinstance(e, ValueError)
    return "value", str(out.dtype).split(".")[-1], np.asarray(out.tolist(), dtype=float).tolist()


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("data,dtype", DATA)
def test_a_number_past_the_dtype_is_refused_as_pytorch_refuses_it(door, data, dtype):
    theirs = _run(torch, door, data, dtype)
    ours = _run(minigan, door, data, dtype)
    if theirs[0] == "error":  # minigan's refusal may be of both kinds (a DomainError): it must be PyTorch's
        assert ours[0] == "error", (data, dtype, ours)
        assert (ours[1] or not theirs[1]) and (ours[2] or not theirs[2]), (data, dtype, theirs, ours)
    else:
        assert ours == theirs, (data, dtype)


WRITES = [("float32", "1e40"), ("int64", "float('nan')"), ("int64", "float('inf')"), ("int64", "2.5"),
          ("int64", "-2.5"), ("uint8", "-255"), ("uint8", "-256"), ("uint8", "255.5"), ("uint8", "-0.5"),
          ("uint8", "300"), ("bool", "5"), ("int8", "-129"), ("int8", "127"), ("float32", "True"), ("int32", "2**31"),
          ("int64", "2**63"), ("int64", "2**64"), ("float64", "2**70"), ("int16", "np.int64(40000)"),
          ("uint8", "np.float64(300.0)"), ("float64", "1e300")]


def _write(lib, dtype, value, where):
    x = lib.zeros(3, dtype=getattr(lib, dtype))
    try:
        x[where] = eval(value, {"np": np})  # noqa: S307 (the table's own literals)
    except Exception as e:  # noqa: BLE001 (the kind is what is compared)
        return "error", isinstance(e, RuntimeError), isinstance(e, ValueError)
    return "value", np.asarray(x.tolist(), dtype=float).tolist()


@pytest.mark.parametrize("where", [0, slice(1, None), [0, 2]], ids=["int", "slice", "list"])
@pytest.mark.parametrize("dtype,value", WRITES)
def test_a_number_written_by_index_is_refused_as_pytorch_refuses_it(dtype, value, where):
    theirs, ours = _write(torch, dtype, value, where), _write(minigan, dtype, value, where)
    if theirs[0] == "error":
        assert ours[0] == "error", (dtype, value, ours)
        assert (ours[1] or not theirs[1]) and (ours[2] or not theirs[2]), (dtype, value, theirs, ours)
    else:
        assert ours == theirs, (dtype, value)


def test_the_refusal_names_the_value_and_the_dtype():
    with pytest.raises(RuntimeError, match=r"300 .*uint8"):
        minigan.tensor([1, 300], dtype=minigan.uint8)
    with pytest.raises(ValueError, match=r"9223372036854775808.*int64"):
        minigan.tensor([[1], [2**63]])
