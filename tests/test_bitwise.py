"""& | ^ ~ << >> and the bitwise_* functions and methods on bool and integer tensors, against PyTorch: values,
result dtypes (PyTorch's promotion), refusals of floating operands, Python numbers on either side, in place."""

import itertools
import operator

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch")

VALUES = {"bool": np.array([True, False, True, False]), "int64": np.array([3, -5, 12, 0]),
          "int8": np.array([1, 7, -3, 100], dtype=np.int8), "uint8": np.array([1, 200, 3, 4], dtype=np.uint8),
          "int32": np.array([2, 3, 1, 5], dtype=np.int32), "float32": np.array([1.0, 2, 3, 4], dtype=np.float32)}
OPS = {"&": operator.and_, "|": operator.or_, "^": operator.xor, "<<": operator.lshift, ">>": operator.rshift}


def _outcome(fn, *args):
    try:
        r = fn(*args)
    except (TypeError, RuntimeError) as e:  # PyTorch raises RuntimeError or TypeError; minigan TypeError
        return ("refused", "\n" not in str(e))
    return ("ok", r.detach().numpy(), str(r.dtype).split(".")[-1])


def _same(fn, torch_args, minigan_args):
    want, got = _outcome(fn, *torch_args), _outcome(fn, *minigan_args)
    assert want[0] == got[0], (want, got)
    if want[0] == "ok":
        np.testing.assert_array_equal(got[1], want[1])
        assert got[2] == want[2]
    else:
        assert got[1], "minigan's refusal should be one line"


@pytest.mark.parametrize("a, op, b", [(a, op, b) for a, b in itertools.product(VALUES, VALUES) for op in OPS
                                      if not (op in ("<<", ">>") and "bool" in (a, b))])
def test_binary_operators_equal_pytorch(a, op, b):
    other = np.abs(VALUES[b]) % 5 if op in ("<<", ">>") else VALUES[b]  # (shifts by 0 to 4 bits)
    _same(OPS[op], (torch.tensor(VALUES[a]), torch.tensor(other)), (minigan.tensor(VALUES[a]), minigan.tensor(other)))


@pytest.mark.parametrize("a", VALUES)
@pytest.mark.parametrize("number", [1, True, 3])
@pytest.mark.parametrize("op", ["&", "|", "^"])
@pytest.mark.parametrize("reflected", [False, True])
def test_python_numbers_on_either_side(a, number, op, reflected):
    fn = (lambda x, y: OPS[op](y, x)) if reflected else OPS[op]
    _same(fn, (torch.tensor(VALUES[a]), number), (minigan.tensor(VALUES[a]), number))


@pytest.mark.parametrize("a", VALUES)
def test_invert_and_the_functions(a):
    t, m = torch.tensor(VALUES[a]), minigan.tensor(VALUES[a])
    _same(operator.invert, (t,), (m,))
    _same(lambda x: x.bitwise_not(), (t,), (m,))
    for name in ["bitwise_and", "bitwise_or", "bitwise_xor"]:
        want, got = _outcome(getattr(torch, name), t, t), _outcome(getattr(minigan, name), m, m)
        assert want[0] == got[0] and (want[0] != "ok" or np.array_equal(got[1], want[1]))


@pytest.mark.parametrize("a, b", [("bool", "bool"), ("int8", "int64"), ("bool", "int64"), ("int64", "bool"),
                                  ("int32", "int8")])
@pytest.mark.parametrize("op", ["&=", "|=", "^="])
def test_in_place_keeps_the_dtype_or_refuses(a, b, op):
    def apply(x, y):
        if op == "&=":
            x &= y
        elif op == "|=":
            x |= y
        else:
            x ^= y
        return x
    _same(apply, (torch.tensor(VALUES[a]), torch.tensor(VALUES[b])),
          (minigan.tensor(VALUES[a]), minigan.tensor(VALUES[b])))


def test_masks_combine_as_in_pytorch_code():
    x = minigan.tensor([-2.0, -0.5, 0.5, 2.0])
    keep = (x > -1) & ~(x > 1)
    np.testing.assert_array_equal(x[keep].detach().numpy(), [-0.5, 0.5])
    assert ((x < 0) | (x > 1)).tolist() == [True, True, False, True]
