"""Python's own protocols on tensors, against PyTorch (tests/pytorch/sweep.py):

* the built-in functions and operators: ``abs(x)`` (minigan refused it once: "bad operand type for abs()"), ``-x``,
  ``+x``, ``~x``, ``len``, ``iter``, ``reversed`` (``x.flip(0)``, a tensor, as PyTorch's __reversed__: a 0-d tensor is
  itself, the gradient goes through), ``sum``, ``min``/``max``, ``sorted``, ``bool``/``int``/``float``/``complex``,
  ``operator.index``, ``math.floor``/``ceil``/``trunc``, ``round``, ``divmod``, ``pow`` with a modulus, ``format``,
  ``in``, over dtypes and shapes: the same value and type of result, or the same kind of refusal;
* == and != with an object that is no operand answer NotImplemented, so Python decides (the other's own __eq__,
  reflected, else identity: ``x == object()`` is False), where minigan raised its TypeError; ``del t[i]`` is
  PyTorch's TypeError (Python's own answer would be a bare AttributeError) and leaves the tensor as it was;
* a one-element tensor inside a list given to a constructor (``torch.tensor([loss1, loss2])``) is read as its number
  whatever its shape (item()): element shapes (), (1,), (1, 1), (1, 1, 1), five dtypes, flat, nested and tuple
  containers beside Python numbers, through tensor, as_tensor, asarray, Tensor and new_tensor;
* a tensor argument that is None: TypeError at the doors PyTorch's C++ parser reads (mv, dot, ger, mm, linear, ...),
  AttributeError at the Python functions that read its size or dim first (mse_loss, l1_loss, normalize, glu,
  tensordot, ...); minigan's refusal of a non-tensor is both, its message saying what was given.
"""

import itertools
import math
import operator

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import builtin_class
from pytorch.sweep import outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

BUILTINS = {
    "abs": abs, "neg": operator.neg, "pos": operator.pos, "invert": operator.invert, "len": len,
    "iter": lambda x: list(iter(x)), "reversed": lambda x: list(reversed(x)), "sum": sum, "min": min, "max": max,
    "sorted": sorted, "bool": bool, "int": int, "float": float, "complex": complex, "index": operator.index,
    "floor": math.floor, "ceil": math.ceil, "trunc": math.trunc, "round": round, "round2": lambda x: round(x, 2),
    "divmod": lambda x: divmod(x, 2), "pow_mod": lambda x: pow(x, 2, 3), "format": lambda x: format(x, ".2f"),
    "contains": lambda x: 1 in x, "abs_grad": lambda x: abs(x).requires_grad,
}
VALUES = [("float32", [-1.5, 2.25]), ("float64", [[-1.5], [0.0]]), ("int64", [-3, 4]), ("bool", [True, False]),
          ("float32", -2.5), ("int64", 7), ("uint8", [3, 250]), ("float64", []), ("float32", [float("nan")])]


def _seen(v):
    """A result as compared: a tensor by dtype and values, a list or tuple item by item, a number with its type
    (NaN equal to itself)."""
    if isinstance(v, (torch.Tensor, minigan.Tensor)):
        return "tensor", str(v.dtype).split(".")[-1], repr(np.asarray(v.tolist(), dtype=float).round(12).tolist())
    if isinstance(v, (list, tuple)):
        return type(v).__name__, [_seen(i) for i in v]
    return type(v).__name__, repr(v) if isinstance(v, (float, complex)) else v


class Refused:
    """A refusal, by kind (a TypeError; a RuntimeError or ValueError), raised by Python itself or the library: the
    same as PyTorch's where it is of each kind PyTorch's is (minigan's may be of several)."""

    def __init__(self, error):
        self.kinds = {isinstance(error, TypeError), isinstance(error, (RuntimeError, ValueError)) and "value"} - {False}

    def __eq__(self, theirs):
        return isinstance(theirs, Refused) and theirs.kinds <= self.kinds

    def __repr__(self):
        return f"Refused({self.kinds})"


def _builtin(L, name, case):
    out = outcome(BUILTINS[name], L.tensor(VALUES[case][1], dtype=getattr(L, VALUES[case][0])))
    return Refused(out) if isinstance(out, Exception) else _seen(out)


test_a_builtin_on_a_tensor_as_on_pytorchs = sweep(_builtin, list(itertools.product(BUILTINS, range(len(VALUES)))))
REVERSED = {
    "vector": lambda L: L.arange(4.0), "matrix": lambda L: L.arange(6.0).reshape(3, 2),
    "int64": lambda L: L.tensor([3, 1, 2]), "bool": lambda L: L.tensor([True, False, False]),
    "0-d": lambda L: L.tensor(2.5), "empty": lambda L: L.zeros(0, 2),
    "transposed": lambda L: L.arange(6.0).reshape(2, 3).t(),
    "requires grad": lambda L: L.arange(3.0, dtype=L.float64).requires_grad_(),
}


def _reversed(L, made):
    x = REVERSED[made](L)
    r = reversed(x)
    out = [type(r).__name__, r is x, r.detach(), r.requires_grad]
    if r.requires_grad:
        (r * L.arange(1.0, r.shape[0] + 1, dtype=r.dtype)).sum().backward()
        out.append(x.grad)
    return out


test_reversed_is_flip_along_the_first_dimension = sweep(_reversed, list(REVERSED))


class Answers:
    """An object with its own equality: Python asks it when the tensor answers NotImplemented."""

    def __eq__(self, other):
        return "asked"

    def __ne__(self, other):
        return "asked not"

    __hash__ = object.__hash__


OTHERS = {"object()": object, "dict": dict, "set": set, "function": lambda: len, "Answers": Answers,
          "None": lambda: None, "list": lambda: [1.0, 2.0], "str": lambda: "ab"}
EQUALITY = {("==", False): lambda x, o: x == o, ("==", True): lambda x, o: o == x,
            ("!=", False): lambda x, o: x != o, ("!=", True): lambda x, o: o != x}


def _equality(L, other, op, reflected):
    out = EQUALITY[op, reflected](L.tensor([1.0, 2.0]), OTHERS[other]())
    return out.tolist() if hasattr(out, "tolist") else out


test_equality_with_an_object_that_is_no_operand_is_pythons = sweep(_equality, list(itertools.product(
    OTHERS, ["==", "!="], [False, True])))


def _deleted(L, index):
    t = L.arange(6.0).reshape(2, 3)
    refused = outcome(t.__delitem__, index)
    return builtin_class(refused).__name__ if isinstance(refused, Exception) else refused, t


test_del_item_raises_pytorchs_type_error = sweep(_deleted, [
    (index,) for index in [0, -1, slice(None), slice(1, 2), (0, 1), Ellipsis, None, [0, 1]]], ids=lambda i: repr(i))


def _inside_a_list(L, shape, dtype, container, door):
    dt = getattr(L, dtype)
    a = L.tensor(1 if dtype != "bool" else True, dtype=dt).reshape(shape)
    b = L.tensor(2 if dtype != "bool" else False, dtype=dt).reshape(shape)
    data = {"pair": lambda: [a, b], "nested": lambda: [[a, b], [b, a]], "tuple": lambda: (a, b),
            "beside a float": lambda: [a, 2.5], "beside an int": lambda: [3, a],
            "beside a 0-d tensor": lambda: [a, L.tensor(0.5, dtype=L.float64)],
            "requires grad": lambda: [(a.float() if dtype != "float64" else a).requires_grad_() * 2, b]}[container]()
    return (L.zeros(1, dtype=L.float64).new_tensor(data) if door == "new_tensor" else getattr(L, door)(data)).detach()


test_a_one_element_tensor_inside_a_list_is_its_number = sweep(_inside_a_list, list(itertools.product(
    [(), (1,), (1, 1), (1, 1, 1)], ["float32", "float64", "int64", "int32", "bool"],
    ["pair", "nested", "tuple", "beside a float", "beside an int", "beside a 0-d tensor", "requires grad"],
    ["tensor", "as_tensor", "asarray", "Tensor", "new_tensor"])))
NONE_DOORS = {
    "mv": (2, lambda L, a, b, c: L.mv(a, b)), "dot": (2, lambda L, a, b, c: L.dot(a, b)),
    "ger": (2, lambda L, a, b, c: L.ger(a, b)), "tensordot": (2, lambda L, a, b, c: L.tensordot(a, b)),
    "mm": (2, lambda L, a, b, c: L.mm(a, b)), "matmul": (2, lambda L, a, b, c: L.matmul(a, b)),
    "F.mse_loss": (2, lambda L, a, b, c: L.nn.functional.mse_loss(a, b)),
    "F.l1_loss": (2, lambda L, a, b, c: L.nn.functional.l1_loss(a, b)),
    "F.binary_cross_entropy": (2, lambda L, a, b, c: L.nn.functional.binary_cross_entropy(a, b)),
    "F.smooth_l1_loss": (2, lambda L, a, b, c: L.nn.functional.smooth_l1_loss(a, b)),
    "F.huber_loss": (2, lambda L, a, b, c: L.nn.functional.huber_loss(a, b)),
    "F.normalize": (1, lambda L, a, b, c: L.nn.functional.normalize(a)),
    "F.glu": (1, lambda L, a, b, c: L.nn.functional.glu(a)),
    "F.margin_ranking_loss": (3, lambda L, a, b, c: L.nn.functional.margin_ranking_loss(a, b, c)),
    "F.linear": (2, lambda L, a, b, c: L.nn.functional.linear(a, b)),
}
NONE_SHAPES = {"mv": [(2, 2), (2,)], "dot": [(2,), (2,)], "ger": [(2,), (2,)],
               "F.margin_ranking_loss": [(2,), (2,), (2,)]}


def _none_at(L, door, position):
    count, call = NONE_DOORS[door]
    args = [L.full(s, 0.5, dtype=L.float64) for s in NONE_SHAPES.get(door, [(2, 2)] * 3)[:count]] + [None] * (3 - count)
    args[position] = None
    return call(L, *args)


test_a_none_tensor_argument_raises_pytorchs_class = sweep(
    _none_at, [(door, p) for door in NONE_DOORS for p in range(NONE_DOORS[door][0])],
    also=lambda ours, theirs: "NoneType" not in str(ours) and f"not what was given: {ours}")


def test_every_none_argument_is_refused_by_pytorch():
    assert all(isinstance(outcome(_none_at, torch, door, p), Exception) for door in NONE_DOORS
               for p in range(NONE_DOORS[door][0]))
