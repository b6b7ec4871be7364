"""NumPy scalars are numbers where PyTorch takes numbers, and a bad call is refused with PyTorch's exception type
from minigan's own check: as PyTorch answered, read from tests/pytorch/pytorch_records/numpy_scalars_and_refusals.json
(tests/pytorch/record_pytorch.py runs the same programs on PyTorch), so this runs without PyTorch; where PyTorch is
installed, tests/pytorch/test_right_by_class_bounds_and_layouts.py checks that the record is what PyTorch gives."""

import builtins
import traceback

import numpy as np
import pytest

import minigan
from pytorch import record_pytorch

NUMPY_DOORS = {  # name: f(lib, number) for the doors that refused NumPy scalars
    "repeat": lambda lib, n: lib.ones(2, 3).repeat(n, 1), "tile": lambda lib, n: lib.ones(2, 3).tile((n, 1)),
    "interpolate(size=)": lambda lib, n: lib.nn.functional.interpolate(lib.ones(1, 2, 3, 3), size=n),
    "interpolate(size=(n, n))": lambda lib, n: lib.nn.functional.interpolate(lib.ones(1, 2, 3, 3), size=(n, n)),
    "interpolate(scale_factor=)": lambda lib, n: lib.nn.functional.interpolate(lib.ones(1, 2, 3, 3), scale_factor=n),
    "Upsample": lambda lib, n: lib.nn.Upsample(scale_factor=n)(lib.ones(1, 2, 3, 3)),
    "dropout": lambda lib, n: lib.nn.functional.dropout(lib.ones(2, 3), n / 4),
    "Dropout": lambda lib, n: lib.nn.Dropout(n / 4)(lib.ones(2, 3)),
    "Dropout2d": lambda lib, n: lib.nn.Dropout2d(n / 4)(lib.ones(2, 3, 4)),
    "dropout2d": lambda lib, n: lib.nn.functional.dropout2d(lib.ones(2, 3, 4, 4), n / 4),
    "clip_grad_norm_": lambda lib, n: lib.nn.utils.clip_grad_norm_([_with_grad(lib)], n),
    "clip_grad_norm_(norm_type=)": lambda lib, n: lib.nn.utils.clip_grad_norm_([_with_grad(lib)], 1.0, n),
    "clip_grad_value_": lambda lib, n: lib.nn.utils.clip_grad_value_([_with_grad(lib)], n) or lib.ones(1),
    "norm(p=)": lambda lib, n: lib.arange(4.0).norm(p=n), "normalize(p=)": lambda lib, n: lib.nn.functional.normalize(
        lib.ones(2, 3), p=n), "cdist(p=)": lambda lib, n: lib.cdist(lib.ones(2, 3), lib.zeros(2, 3), p=n),
    "cross_entropy(label_smoothing=)": lambda lib, n: lib.nn.functional.cross_entropy(
        lib.ones(2, 3), lib.tensor([0, 1]), label_smoothing=n / 4),
    "elu(alpha=)": lambda lib, n: lib.nn.functional.elu(-lib.ones(2), n),
    "StepLR(gamma=)": lambda lib, n: lib.optim.lr_scheduler.StepLR(
        lib.optim.SGD([lib.nn.Parameter(lib.ones(1))], lr=0.1), 1, gamma=n / 4) and lib.ones(1),
    "tril(diagonal=)": lambda lib, n: lib.ones(3, 3).tril(n - 2), "diag(diagonal=)": lambda lib, n: lib.ones(3, 3).diag(
        n - 2), "amax(dim)": lambda lib, n: lib.ones(2, 3).amax(n - 2), "scatter(value)": lambda lib, n: lib.zeros(3)
    .scatter(0, lib.tensor([1]), n / 4),
}


def _with_grad(lib):
    p = lib.nn.Parameter(lib.ones(3))
    p.grad = lib.full((3,), 2.0)
    return p



RANDOM = ("dropout", "Dropout", "Dropout2d", "dropout2d")  # (random draws: the dtype only)


def _numpy_door(name, kind):
    def program(torch):
        """The call with ``np.<kind>(2)`` (a probability: n / 4): value and dtype (a float32 input stays
        float32), or a refusal (PyTorch refuses a NumPy float where it wants an int)."""
        try:
            out = NUMPY_DOORS[name](torch, kind(2))
        except (TypeError, ValueError, RuntimeError):
            return "refused"
        dtype = str(out.dtype).split(".")[-1]
        return dtype if name in RANDOM else (dtype, np.asarray(out.detach().numpy()).round(5).tolist())
    return program


BAD_CALLS = {
    "index arrays that do not broadcast": lambda lib: lib.ones(3, 4)[[0, 1], [0, 1, 2]],
    "index tensors that do not broadcast": lambda lib: lib.ones(3, 4)[lib.tensor([0, 1]), lib.tensor([0, 1, 2])],
    "a mask and an index array that do not broadcast": lambda lib: lib.ones(3, 4)[lib.tensor([True, False, True]),
                                                                                  lib.tensor([0, 1, 2])],
    "x[i, j] = v, i and j not broadcasting": lambda lib: lib.ones(3, 4).__setitem__(([0, 1], [0, 1, 2]), 1.0),
    "x[a:b] = v of another shape": lambda lib: lib.ones(3, 4).__setitem__(slice(0, 2), lib.ones(3)),
    "x[i] = v of another shape": lambda lib: lib.ones(3, 4).__setitem__(([0, 1],), lib.ones(3, 4)),
    "x[mask] = v of another size": lambda lib: (lambda x: x.__setitem__(x > 0, lib.ones(5)))(lib.ones(3, 4)),
    "a mask of another shape": lambda lib: lib.ones(3, 4)[lib.ones(3, 3) > 0],
    "too many indices": lambda lib: lib.ones(3)[0, 0], "an index out of range": lambda lib: lib.ones(3)[5],
    "an index array out of range": lambda lib: lib.ones(3)[[5]],
    "reshape to another size": lambda lib: lib.ones(3, 4).reshape(5, -1),
    "reshape with two -1": lambda lib: lib.ones(3, 4).reshape(-1, -1), "view": lambda lib: lib.ones(3, 4).view(7),
    "expand": lambda lib: lib.ones(3, 4).expand(2, 4),
    "expand to a new leading -1": lambda lib: lib.ones(3).expand(-1, 3),
    "expand a 0-d tensor to -1": lambda lib: lib.tensor(1.0).expand(-1),
    "add, not broadcasting": lambda lib: lib.ones(3, 4) + lib.ones(3),
    "matmul": lambda lib: lib.ones(3, 4) @ lib.ones(3, 4), "cat": lambda lib: lib.cat([lib.ones(3, 4), lib.ones(2, 3)]),
    "stack": lambda lib: lib.stack([lib.ones(3, 4), lib.ones(2, 3)]),
    "gather out of range": lambda lib: lib.ones(3).gather(0, lib.tensor([5])),
    "index_select out of range": lambda lib: lib.ones(3).index_select(0, lib.tensor([5])),
    "where, not broadcasting": lambda lib: lib.where(lib.ones(3) > 0, lib.ones(3), lib.ones(2)),
    "masked_fill, not broadcasting": lambda lib: lib.ones(3).masked_fill(lib.ones(2) > 0, 1.0),
    "permute, a dim twice": lambda lib: lib.ones(3, 4).permute(0, 0),
    "transpose out of range": lambda lib: lib.ones(3, 4).transpose(0, 2), "sum(dim) out of range": lambda lib:
    lib.ones(3, 4).sum(2), "sum, a dim twice": lambda lib: lib.ones(3, 4).sum((0, 0)),
    "split sizes": lambda lib: lib.ones(3, 4).split([1, 1], 0),
    "repeat, fewer sizes than dims": lambda lib: lib.ones(3, 4).repeat(2),
    "flip out of range": lambda lib: lib.ones(3).flip(1), "flip, a dim twice": lambda lib: lib.ones(2, 3).flip((0, 0)),
    "roll out of range": lambda lib: lib.ones(3).roll(1, 2), "movedim": lambda lib: lib.ones(3).movedim(0, 3),
    "unflatten": lambda lib: lib.ones(6).unflatten(0, (4, 2)),
    "linear": lambda lib: lib.nn.functional.linear(lib.ones(2, 3), lib.ones(4, 5)),
    "conv2d": lambda lib: lib.nn.functional.conv2d(lib.ones(1, 3, 4, 4), lib.ones(2, 4, 3, 3)),
    "einsum": lambda lib: lib.einsum("ij,jk->ik", lib.ones(2, 3), lib.ones(4, 5)),
    "mm": lambda lib: lib.mm(lib.ones(2, 3), lib.ones(4, 5)), "bmm": lambda lib: lib.bmm(lib.ones(2, 2, 3),
                                                                                      lib.ones(2, 4, 5)),
    "outer of a matrix": lambda lib: lib.outer(lib.ones(2, 2), lib.ones(2)),
    "dot of vectors of two sizes": lambda lib: lib.dot(lib.ones(2), lib.ones(3)),
    "index_put, values of another shape": lambda lib: lib.ones(3).index_put((lib.tensor([0, 1]),), lib.ones(3)),
    "full_like with a sequence": lambda lib: lib.full_like(lib.ones(2), (1, 1)),
    "full_like with a string": lambda lib: lib.full_like(lib.ones(2), "1"),
    "full_like with a tensor of dims": lambda lib: lib.full_like(lib.ones(2), lib.ones(2)),
    "histogram with no bins": lambda lib: lib.histogram(lib.ones(2), bins=0),
    "lerp, an end of another dtype": lambda lib: lib.ones(2, dtype=lib.float64).lerp(lib.ones(2), 0.5),
    "lerp, a weight of another dtype": lambda lib: lib.ones(2).double().lerp(lib.ones(2).double(), lib.ones(2)),
}




def _builtin_class(error):
    """The nearest of the exception's classes that Python itself defines (PyTorch's own are RuntimeErrors)."""
    return next(c.__name__ for c in type(error).__mro__ if c.__module__ == "builtins")


def _bad_call(name):
    def program(torch):
        """The class PyTorch refuses the call with."""
        try:
            BAD_CALLS[name](torch)
        except Exception as e:  # noqa: BLE001
            return _builtin_class(e)
        return "no error"
    return program


KINDS = [np.int64, np.int32, np.uint8, np.float32, np.float64]
PROGRAMS = {f"{name} with np.{kind.__name__}": _numpy_door(name, kind) for name in NUMPY_DOORS for kind in KINDS}
PROGRAMS.update({f"refused: {name}": _bad_call(name) for name in BAD_CALLS})
RECORD = record_pytorch.load("numpy_scalars_and_refusals")


@pytest.mark.parametrize("case", [case for case in PROGRAMS if not case.startswith("refused: ")])
def test_numpy_scalars_are_numbers_where_pytorch_takes_numbers(case):
    """What PyTorch computes with a NumPy scalar, minigan computes alike; where PyTorch refuses, minigan refuses."""
    assert case in RECORD["records"], "no record: run python tests/pytorch/record_pytorch.py numpy_scalars_and_refusals"
    differences = record_pytorch.program_differences(PROGRAMS[case], RECORD["records"][case])
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("name", list(BAD_CALLS))
def test_a_refusal_has_pytorchs_exception_type_and_comes_from_minigans_own_check(name):
    """minigan raises what PyTorch raised (an instance of its type), from its own check at the door: never an error
    NumPy raised inside, whose type follows NumPy's version (NumPy 2.5 raises ValueError where 2.4 raised
    IndexError for index arrays that do not broadcast)."""
    expected = record_pytorch.decode(RECORD["records"][f"refused: {name}"])[1]
    assert expected != "no error", f"PyTorch took {name}"
    with pytest.raises(getattr(builtins, expected)) as got:
        BAD_CALLS[name](minigan)
    innermost = traceback.extract_tb(got.tb)[-1]  # a raise of minigan's, not NumPy's (C code: no frame of its own)
    assert innermost.line.lstrip().startswith("raise") and "/minigan/" in innermost.filename.replace("\\", "/"), \
        (name, innermost.filename, innermost.line, got.value)


def test_every_program_is_recorded_and_every_record_is_a_program():
    assert set(RECORD["records"]) == set(PROGRAMS)
