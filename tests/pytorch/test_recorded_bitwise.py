"""& | ^ ~ << >> and the bitwise_* functions and methods on bool and integer tensors give what PyTorch gave:
values, result dtypes (PyTorch's promotion), refusals of floating operands (minigan's in one line), Python numbers
on either side, in place.  PyTorch's answers are read from tests/pytorch/pytorch_records/bitwise.json
(tests/pytorch/record_pytorch.py runs the same programs on PyTorch), so this runs without PyTorch; where PyTorch is
installed, tests/pytorch/test_records_are_pytorchs.py checks that the record is what PyTorch gives."""

import itertools
import operator

import numpy as np
import pytest

import minigan
from pytorch import record_pytorch

VALUES = {"bool": np.array([True, False, True, False]), "int64": np.array([3, -5, 12, 0]),
          "int8": np.array([1, 7, -3, 100], dtype=np.int8), "uint8": np.array([1, 200, 3, 4], dtype=np.uint8),
          "int32": np.array([2, 3, 1, 5], dtype=np.int32), "float32": np.array([1.0, 2, 3, 4], dtype=np.float32)}
OPS = {"&": operator.and_, "|": operator.or_, "^": operator.xor, "<<": operator.lshift, ">>": operator.rshift}
IN_PLACE = {"&=": operator.iand, "|=": operator.ior, "^=": operator.ixor}


def _outcome(lib, fn, *args):
    """fn's tensor (values and dtype, compared exactly) or its refusal; minigan's refusal must be one line
    (PyTorch's need not be: PyTorch raises RuntimeError or TypeError, minigan TypeError)."""
    try:
        return ("ok", fn(*args))
    except (TypeError, RuntimeError) as e:
        return ("refused", lib.__name__ == "torch" or "\n" not in str(e))


def _exact(program):
    return record_pytorch.tolerance(rtol=0, atol=0)(program)


def _binary(a, op, b):
    other = np.abs(VALUES[b]) % 5 if op in ("<<", ">>") else VALUES[b]  # (shifts by 0 to 4 bits)
    return _exact(lambda torch: _outcome(torch, OPS[op], torch.tensor(VALUES[a]), torch.tensor(other)))


def _number(a, number, op, reflected):
    def program(torch):
        fn = (lambda x, y: OPS[op](y, x)) if reflected else OPS[op]
        return _outcome(torch, fn, torch.tensor(VALUES[a]), number)
    return _exact(program)


def _invert(a):
    def program(torch):
        t = torch.tensor(VALUES[a])
        return [_outcome(torch, operator.invert, t), _outcome(torch, lambda x: x.bitwise_not(), t)] + [
            _outcome(torch, getattr(torch, name), t, t) for name in ["bitwise_and", "bitwise_or", "bitwise_xor"]]
    return _exact(program)


def _in_place(a, b, op):
    return _exact(lambda torch: _outcome(torch, IN_PLACE[op], torch.tensor(VALUES[a]), torch.tensor(VALUES[b])))


PROGRAMS = {f"{a} {op} {b}": _binary(a, op, b) for a, b in itertools.product(VALUES, VALUES) for op in OPS
            if not (op in ("<<", ">>") and "bool" in (a, b))}
PROGRAMS.update({f"{a} {op} {number!r} reflected={reflected}": _number(a, number, op, reflected)
                 for a in VALUES for number in [1, True, 3] for op in ["&", "|", "^"] for reflected in [False, True]})
PROGRAMS.update({f"~ and bitwise functions of {a}": _invert(a) for a in VALUES})
PROGRAMS.update({f"{a} {op} {b} in place": _in_place(a, b, op) for op in IN_PLACE
                 for a, b in [("bool", "bool"), ("int8", "int64"), ("bool", "int64"), ("int64", "bool"),
                              ("int32", "int8")]})
RECORD = record_pytorch.load("bitwise")


@pytest.mark.parametrize("case", list(PROGRAMS))
def test_gives_what_pytorch_gave(case):
    assert case in RECORD["records"], "no record: run python tests/pytorch/record_pytorch.py bitwise"
    differences = record_pytorch.program_differences(PROGRAMS[case], RECORD["records"][case])
    assert not differences, "\n".join(differences)


def test_every_program_is_recorded_and_every_record_is_a_program():
    assert set(RECORD["records"]) == set(PROGRAMS)


def test_masks_combine_as_in_pytorch_code():
    x = minigan.tensor([-2.0, -0.5, 0.5, 2.0])
    keep = (x > -1) & ~(x > 1)
    np.testing.assert_array_equal(x[keep].detach().numpy(), [-0.5, 0.5])
    assert ((x < 0) | (x > 1)).tolist() == [True, True, False, True]
