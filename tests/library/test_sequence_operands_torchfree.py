"""A Python list or tuple (or another sequence: range, str, bytes) is not an operand, stated without PyTorch
(tests/pytorch/test_sequence_operands.py compares each door with it), as Python's operator protocol and PyTorch's
documented signatures (a Tensor or a Number) give it.  Each binary operator answers NotImplemented, so that Python's
own rules decide; each function, method and indexed assignment refuses one with a one-line TypeError; torch.tensor
and as_tensor still read one as data."""

import operator

import pytest

import minigan

NAMES = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor", "lshift", "rshift"]
DUNDERS = [f"__{p}{n}__" for n in NAMES for p in ("", "r", "i") if (p, n) != ("i", "matmul")]
DUNDERS += ["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"]


@pytest.mark.parametrize("seq", [[1, 2], (1, 2), [[1.0]], (), range(2), "ab", b"ab"])
@pytest.mark.parametrize("name", DUNDERS)
def test_each_operator_answers_not_implemented(name, seq):
    for x in (minigan.tensor([1.0, 2.0]), minigan.tensor([1, 2]), minigan.tensor(3)):
        assert getattr(x, name)(seq) is NotImplemented


def test_what_python_then_does():
    x, n = minigan.tensor([1.0, 2.0]), minigan.tensor(2)
    assert (x == [1.0, 2.0]) is False and (x != (1.0, 2.0)) is True  # (not the same object: Python's answer)
    assert [1, 2] * n == [1, 2, 1, 2] and n * (1, 2) == (1, 2, 1, 2)  # (a sequence repeated: n's __index__)
    assert (x == "ab") is False and (x != range(2)) is True and n * "ab" == "abab"  # (str and range: sequences too)
    m = minigan.tensor(2)
    with pytest.raises(TypeError):  # (an in-place operator has no such fallback: Python's TypeError)
        m *= [1]
    for op in (operator.add, operator.sub, operator.truediv, operator.pow, operator.lt, operator.matmul,
               operator.and_, operator.iadd, operator.ifloordiv):
        for a, b in ((x, [1.0, 2.0]), ((1.0, 2.0), x)):
            with pytest.raises(TypeError):
                op(a, b)
    with pytest.raises(TypeError):
        x * [1.0, 2.0]  # (a float tensor has no __index__ that repeats a list)


DOORS = {
    "x.add(s)": lambda x, s: x.add(s), "minigan.mul(x, s)": lambda x, s: minigan.mul(x, s),
    "minigan.mul(s, x)": lambda x, s: minigan.mul(s, x), "x.eq(s)": lambda x, s: x.eq(s),
    "minigan.where(x > 1, x, s)": lambda x, s: minigan.where(x > 1, x, s), "x.clamp(min=s)": lambda x, s: x.clamp(s),
    "x.lerp(x, s)": lambda x, s: x.lerp(x, s), "x.masked_fill(x > 1, s)": lambda x, s: x.masked_fill(x > 1, s),
    "x.fill_(s)": lambda x, s: x.clone().fill_(s), "x.copy_(s)": lambda x, s: x.clone().copy_(s),
    "x.add_(s)": lambda x, s: x.clone().add_(s), "x[:] = s": lambda x, s: x.clone().__setitem__(slice(None), s),
    "x[0] = s": lambda x, s: x.clone().__setitem__(0, s),
    "x.index_put_((i,), s)": lambda x, s: x.clone().index_put_((minigan.tensor([0]),), s),
    "minigan.full((2,), s)": lambda x, s: minigan.full((2,), s),
    "minigan.cat((x, s))": lambda x, s: minigan.cat((x, s)),
    "minigan.stack((x, s))": lambda x, s: minigan.stack((x, s)), "x.dot(s)": lambda x, s: x.dot(s),
    "x.sub(s)": lambda x, s: x.sub(s), "minigan.sub(s, x)": lambda x, s: minigan.sub(s, x),
    "x.div(s)": lambda x, s: x.div(s), "minigan.div(s, x)": lambda x, s: minigan.div(s, x),
    "x.gt(s)": lambda x, s: x.gt(s), "minigan.le(x, s)": lambda x, s: minigan.le(x, s),
    "minigan.add(s, x)": lambda x, s: minigan.add(s, x), "minigan.matmul(x, s)": lambda x, s: minigan.matmul(x, s),
    "x.expand_as(s)": lambda x, s: x.expand_as(s), "x.matmul(s)": lambda x, s: x.matmul(s),
}


@pytest.mark.parametrize("door", list(DOORS))
def test_functions_methods_and_assignment_refuse_a_sequence(door):
    name = "setitem" if " = " in door else door.split("(")[0].split(".")[-1].rstrip("_")
    for seq in ([1.0, 2.0], (1.0, 2.0), [1.0]):
        with pytest.raises(TypeError) as e:
            DOORS[door](minigan.tensor([1.0, 2.0]), seq)
        assert "\n" not in str(e.value) and name in str(e.value), f"the message names no {name}: {e.value}"


def test_tensor_and_as_tensor_read_one_as_data():
    assert minigan.tensor([1, 2]).tolist() == [1, 2] and minigan.as_tensor((1.5, 2.5)).tolist() == [1.5, 2.5]
