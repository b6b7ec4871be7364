"""A tensor of one element inside a list given to a constructor (``torch.tensor([loss1, loss2])``, a list of
per-batch accuracies) is read as its number whatever its shape, as PyTorch reads it (item()): [tensor([1.]),
tensor([2.])] is a tensor of shape (2,), not (2, 1).  Against PyTorch: element shapes (), (1,), (1, 1) and
(1, 1, 1), five dtypes, flat, nested and tuple containers, beside Python numbers, through tensor, as_tensor, asarray,
the legacy Tensor and new_tensor: dtype, shape and values, or the exception's class."""

import itertools
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

SHAPES = [(), (1,), (1, 1), (1, 1, 1)]
DTYPES = ["float32", "float64", "int64", "int32", "bool"]
CONTAINERS = ["pair", "nested", "tuple", "beside a float", "beside an int", "beside a 0-d tensor", "requires grad"]
DOORS = ["tensor", "as_tensor", "asarray", "Tensor", "new_tensor"]


def _data(lib, shape, dtype, container):
    dt = getattr(lib, dtype)
    a = lib.tensor(1 if dtype != "bool" else True, dtype=dt).reshape(shape)
    b = lib.tensor(2 if dtype != "bool" else False, dtype=dt).reshape(shape)
    if container == "pair":
        return [a, b]
    if container == "nested":
        return [[a, b], [b, a]]
    if container == "tuple":
        return (a, b)
    if container == "beside a float":
        return [a, 2.5]
    if container == "beside an int":
        return [3, a]
    if container == "beside a 0-d tensor":
        return [a, lib.tensor(0.5, dtype=lib.float64)]
    return [(a.float() if dtype != "float64" else a).requires_grad_() * 2, b]


def _door(lib, door, data):
    if door == "new_tensor":
        return lib.zeros(1, dtype=lib.float64).new_tensor(data)
    return getattr(lib, door)(data)


def _result(lib, shape, dtype, container, door):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = _door(lib, door, _data(lib, shape, dtype, container))
    except Exception as exc:  # noqa: BLE001 - the class is the result
        return exc
    return str(t.dtype).split(".")[-1], tuple(t.shape), np.asarray(t.detach().numpy()).tolist()


CASES = list(itertools.product(SHAPES, DTYPES, CONTAINERS, DOORS))


@pytest.mark.parametrize("shape, dtype, container, door", CASES, ids=[f"{s}-{d}-{c}-{o}" for s, d, c, o in CASES])
def test_a_one_element_tensor_inside_a_list_is_its_number(shape, dtype, container, door):
    theirs = _result(torch, shape, dtype, container, door)
    mine = _result(minigan, shape, dtype, container, door)
    if isinstance(theirs, Exception):
        assert isinstance(mine, type(theirs)), f"minigan {mine!r}, PyTorch {theirs!r}"
    else:
        assert mine == theirs
