"""A Python list or tuple (or range, str, bytes) where an operator, a function or a method takes a tensor or a number:
PyTorch's outcome.

PyTorch reads a list as data only where a function makes a tensor of it (torch.tensor, as_tensor).  Its operators
return NotImplemented for one, so that Python's own rules decide: ``x + [1, 2]`` and ``x < (1, 2)`` raise TypeError,
``x == [1, 2]`` is False, and a list times a one-element integer tensor is the list repeated (``[1, 2] * tensor(2)``
is ``[1, 2, 1, 2]``, through the tensor's ``__index__``).  Its functions and methods (add, where, clamp's bounds,
lerp's weight, masked_fill's value, fill_, copy_, index_put_'s values, cat, full ...) and ``x[i] = [1, 2]`` refuse
one with a TypeError.  Each door here is run with lists and tuples of several shapes against several tensors, in
minigan and in PyTorch: the same outcome, the same exception class (minigan's own classes subclass PyTorch's), and
the same value where both run.
"""

import operator

import numpy as np
import pytest

import minigan
from minigan.surface.missing import NotInMinigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

# The tensors an operand meets: floating vectors, a 0-d float, and one-element integer and bool tensors (those a
# list may be repeated by).
TENSORS = {
    "float32 vector": lambda lib: lib.tensor([1.5, -2.0]),
    "float64 0-d": lambda lib: lib.tensor(3.0, dtype=lib.float64),
    "int64 0-d": lambda lib: lib.tensor(2),
    "int64 one element": lambda lib: lib.tensor([3]),
    "int64 vector": lambda lib: lib.tensor([1, 2]),
    "bool 0-d": lambda lib: lib.tensor(True),
}
SEQUENCES = {"list": [1, 2], "tuple": (1, 2), "float list": [0.5, 2.5], "one-element list": [2],
             "nested list": [[1, 2]], "empty tuple": (), "range": range(2), "str": "ab", "bytes": b"ab"}

BINARY = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and_", "or_", "xor", "lshift",
          "rshift", "eq", "ne", "lt", "le", "gt", "ge"]
IN_PLACE = ["iadd", "isub", "imul", "itruediv", "ifloordiv", "imod", "ipow", "iand", "ior", "ixor", "ilshift",
            "irshift"]


def _operators():
    for name in BINARY:
        f = getattr(operator, name)
        yield f"x {name} s", lambda lib, x, s, f=f: f(x, s)
        yield f"s {name} x", lambda lib, x, s, f=f: f(s, x)
    for name in IN_PLACE:
        f = getattr(operator, name)
        yield f"x {name}= s", lambda lib, x, s, f=f: f(x.clone(), s)
    yield "x.__eq__(s)", lambda lib, x, s: x.__eq__(s)
    yield "x.__mul__(s)", lambda lib, x, s: x.__mul__(s)
    yield "x.__radd__(s)", lambda lib, x, s: x.__radd__(s)
    yield "s in [x]", lambda lib, x, s: s in [x]


def _float(x):  # (the doors that take floating tensors only: their refusal of the tensor is not the question)
    return x.double() if x.dtype.is_floating_point else x.double() + 0.5


def _functions():
    """The functions and methods that take a tensor or a number where a list may come instead."""
    for name in ["add", "sub", "mul", "div", "true_divide", "floor_divide", "remainder", "fmod", "pow", "maximum",
                 "minimum", "atan2", "hypot", "xlogy", "eq", "ne", "lt", "le", "gt", "ge", "isclose", "allclose",
                 "equal", "logaddexp", "dist", "matmul", "dot", "outer", "logical_and", "bitwise_and", "bitwise_or",
                 "bitwise_xor", "bitwise_left_shift", "subtract", "multiply", "divide", "greater", "less_equal",
                 "not_equal"]:
        yield f"torch.{name}(x, s)", lambda lib, x, s, n=name: getattr(lib, n)(x, s)
        yield f"torch.{name}(s, x)", lambda lib, x, s, n=name: getattr(lib, n)(s, x)
        yield f"x.{name}(s)", lambda lib, x, s, n=name: getattr(x, n)(s)
    for name in ["add_", "sub_", "mul_", "div_", "pow_", "remainder_", "floor_divide_", "copy_", "fill_", "eq_",
                 "lt_", "bitwise_and_", "true_divide_", "xlogy_"]:
        yield f"x.{name}(s)", lambda lib, x, s, n=name: getattr(x.clone(), n)(s)
    yield "torch.where(x > 0, x, s)", lambda lib, x, s: lib.where(x > 0, x, s)
    yield "torch.where(x > 0, s, x)", lambda lib, x, s: lib.where(x > 0, s, x)
    yield "torch.where(s, x, x)", lambda lib, x, s: lib.where(s, x, x)
    yield "x.where(x > 0, s)", lambda lib, x, s: x.where(x > 0, s)
    for kw in ["min", "max"]:
        yield f"torch.clamp(x, {kw}=s)", lambda lib, x, s, k=kw: lib.clamp(x, **{k: s})
        yield f"x.clamp_({kw}=s)", lambda lib, x, s, k=kw: x.clone().clamp_(**{k: s})
        yield f"x.clip({kw}=s)", lambda lib, x, s, k=kw: x.clip(**{k: s})
    yield "torch.clamp(x, 0, s)", lambda lib, x, s: lib.clamp(x, 0, s)
    yield "torch.clamp_min(x, s)", lambda lib, x, s: lib.clamp_min(x, s)
    yield "x.clamp_max(s)", lambda lib, x, s: x.clamp_max(s)
    yield "torch.lerp(x, x, s)", lambda lib, x, s: lib.lerp(_float(x), _float(x), s)
    yield "torch.lerp(x, s, 0.5)", lambda lib, x, s: lib.lerp(_float(x), s, 0.5)
    yield "torch.lerp(s, x, 0.5)", lambda lib, x, s: lib.lerp(s, _float(x), 0.5)
    yield "x.lerp(s, 0.5)", lambda lib, x, s: _float(x).lerp(s, 0.5)
    yield "x.lerp_(x, s)", lambda lib, x, s: _float(x).lerp_(_float(x), s)
    yield "x.masked_fill(x > 0, s)", lambda lib, x, s: x.masked_fill(x > 0, s)
    yield "x.masked_fill_(x > 0, s)", lambda lib, x, s: x.clone().masked_fill_(x > 0, s)
    yield "x.masked_fill(s, 1)", lambda lib, x, s: x.masked_fill(s, 1)
    yield "x.index_fill(0, i, s)", lambda lib, x, s: x.reshape(-1).index_fill(0, lib.tensor([0]), s)
    yield "x.index_put_((i,), s)", lambda lib, x, s: x.reshape(-1).clone().index_put_((lib.tensor([0]),), s)
    yield "x.index_put((i,), s)", lambda lib, x, s: x.reshape(-1).index_put((lib.tensor([0]),), s)
    yield "x.index_add(0, i, s)", lambda lib, x, s: x.reshape(-1).index_add(0, lib.tensor([0]), s)
    yield "torch.scatter(x, 0, i, s)", lambda lib, x, s: lib.scatter(x.reshape(-1), 0, lib.tensor([0]), s)
    yield "torch.add(x, s, alpha=2)", lambda lib, x, s: lib.add(x, s, alpha=2)
    yield "torch.addcmul(x, x, s)", lambda lib, x, s: lib.addcmul(_float(x), _float(x), s)
    yield "torch.addcdiv(x, s, x)", lambda lib, x, s: lib.addcdiv(_float(x), s, _float(x))
    yield "torch.full((2,), s)", lambda lib, x, s: lib.full((2,), s)
    yield "x.new_full((2,), s)", lambda lib, x, s: x.new_full((2,), s)
    yield "torch.full_like(x, s)", lambda lib, x, s: lib.full_like(x, s)
    yield "torch.cat((x, s))", lambda lib, x, s: lib.cat((x.reshape(-1), s))
    yield "torch.stack((x, s))", lambda lib, x, s: lib.stack((x, s))
    yield "x.expand_as(s)", lambda lib, x, s: x.expand_as(s)
    for index in [slice(None), 0, Ellipsis, [0], (Ellipsis, None)]:
        yield f"x[{index!r}] = s", lambda lib, x, s, i=index: x.reshape(-1).clone().__setitem__(i, s)
    yield "torch.tensor(s)", lambda lib, x, s: lib.tensor(s)
    yield "torch.as_tensor(s)", lambda lib, x, s: lib.as_tensor(s)


DOORS = dict([*_operators(), *_functions()])


def _outcome(lib, door, tensor, seq):
    """What a door gives: ("value", what it returned) or ("raise", the exception)."""
    x = TENSORS[tensor](lib)
    s = [list(r) for r in SEQUENCES[seq]] if seq == "nested list" else SEQUENCES[seq]  # (a fresh one each time)
    try:
        return "value", DOORS[door](lib, x, s)
    except Exception as e:  # noqa: BLE001  (the class is compared)
        return "raise", e


def _differs(ours, theirs):
    """How minigan's outcome differs from PyTorch's, or None."""
    if theirs[0] == "raise":
        expected = [c for c in type(theirs[1]).__mro__ if c.__module__ == "builtins"][0]
        if ours[0] != "raise":
            return f"minigan gave {ours[1]!r} where PyTorch raised {theirs[1]!r}"
        if not isinstance(ours[1], expected):
            return f"minigan raised {ours[1]!r} where PyTorch raised {expected.__name__}: {theirs[1]}"
        if "\n" in str(ours[1]).strip():
            return f"minigan's message is more than one line: {ours[1]}"
        return None
    if ours[0] != "value":
        return f"minigan raised {ours[1]!r} where PyTorch gave {theirs[1]!r}"
    a, b = ours[1], theirs[1]
    if isinstance(b, torch.Tensor):
        same = isinstance(a, minigan.Tensor) and str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1] and \
            a.shape == b.shape and np.array_equal(a.numpy(), b.numpy())
    else:  # (None, a bool, NotImplemented, or a list or tuple repeated by a one-element integer tensor)
        same = type(a) is type(b) and a == b
    return None if same else f"minigan gave {a!r} where PyTorch gave {b!r}"


@pytest.mark.parametrize("door", list(DOORS))
def test_a_sequence_as_an_operand_has_pytorchs_outcome(door):
    found = []
    for tensor in TENSORS:
        for seq in SEQUENCES:
            ours, theirs = _outcome(minigan, door, tensor, seq), _outcome(torch, door, tensor, seq)
            if theirs[0] == "raise" and ours[0] == "raise" and isinstance(ours[1], NotInMinigan):
                continue  # (a function minigan does not have: its advice, not the question here)
            why = _differs(ours, theirs)
            if why:
                found.append(f"{tensor}, {seq}: {why}")
    assert not found, f"{len(found)} of {len(TENSORS) * len(SEQUENCES)} differ:\n" + "\n".join(found[:8])


# Python's protocol, seen when a dunder is called by name (or by a list subclass that defines a reflected operator):
# each operator answers NotImplemented for a list or tuple, as PyTorch's, rather than raising the TypeError itself.
DUNDERS = [f"__{p}{n}__" for n in ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
                                   "xor", "lshift", "rshift"] for p in ("", "r", "i")] + \
    ["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"]


@pytest.mark.parametrize("name", [n for n in DUNDERS if n != "__imatmul__"])
def test_each_operator_answers_not_implemented_for_a_sequence(name):
    for seq in ([1, 2], (1, 2)):
        theirs = getattr(torch.tensor([1, 2]), name)(seq)
        assert theirs is NotImplemented
        try:
            ours = getattr(minigan.tensor([1, 2]), name)(seq)
        except TypeError as e:
            ours = e
        assert ours is NotImplemented, f"minigan's {name} gave {ours!r}"
