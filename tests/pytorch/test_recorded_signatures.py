"""PyTorch's argument names and order: a call written for PyTorch, with positional or keyword arguments, means the
same here (``F.mse_loss(input=a, target=b)``, ``nn.MSELoss(None, None, "sum")``).  Checked for every function of
torch.nn.functional and every class of torch.nn and torch.optim that minigan also has, against PyTorch's names as
recorded in tests/pytorch/pytorch_records/signatures.json (tests/pytorch/record_pytorch.py), so without PyTorch; where
PyTorch is
installed, tests/pytorch/test_records_are_pytorchs.py checks that the record is what PyTorch says."""

import inspect

import pytest

import minigan
import minigan.functional as MF
import minigan.nn as mnn
import minigan.optim as mopt
from pytorch import record_pytorch

RECORD = record_pytorch.load("signatures")

# PyTorch arguments minigan leaves out, each with its reason
LEFT_OUT = {
    ("normalize", "out"): "out= is not provided",
    ("Hardtanh", "min_value"): "deprecated spelling of min_val",
    ("Hardtanh", "max_value"): "deprecated spelling of max_val",
    ("softmax", "dtype"): "keyword-only here (after PyTorch's private _stacklevel)",
    ("softmin", "dtype"): "keyword-only here (after PyTorch's private _stacklevel)",
    ("log_softmax", "dtype"): "keyword-only here (after PyTorch's private _stacklevel)",
}


def ours(case):
    """minigan's function of that name, or its class's __init__ (None where minigan has no such name)."""
    prefix, name = case.split(".")
    if prefix == "F":
        return getattr(MF, name, None)
    found = getattr({"nn": mnn, "optim": mopt}[prefix], name, None)
    return found.__init__ if inspect.isclass(found) else None


def _cases():
    """The names both libraries have where PyTorch's function shows its arguments (C functions show none)."""
    for case, theirs in RECORD["records"].items():
        if ours(case) is not None and theirs not in (None, ["args", "kwargs"], ["args"]):
            yield pytest.param(case, theirs, id=case)


@pytest.mark.parametrize("case, theirs", list(_cases()))
def test_arguments_have_pytorchs_names_and_order(case, theirs):
    name = case.split(".")[1]
    m = record_pytorch.positional(ours(case))
    assert m is not None, f"{case}: PyTorch's takes {theirs} by position, minigan's shows no signature"
    for i, arg in enumerate(theirs):
        if (name, arg) in LEFT_OUT:
            continue
        assert i < len(m) and m[i] == arg, f"{name}: argument {i} is {arg!r} in PyTorch, {m[i:i + 1]} here ({m})"


def test_every_left_out_argument_is_one_of_pytorchs():
    recorded = {(case.split(".")[1], arg) for case, args in RECORD["records"].items() for arg in args or []}
    assert set(LEFT_OUT) <= recorded


def test_loss_modules_take_the_legacy_arguments_in_pytorchs_places():
    x, y = minigan.tensor([1.0, 2.0]), minigan.tensor([0.0, 0.0])
    assert mnn.MSELoss(None, None, "sum")(x, y).item() == 5.0
    assert mnn.L1Loss(size_average=False)(x, y).item() == 3.0  # the deprecated way to say reduction="sum"
    assert MF.mse_loss(input=x, target=y, reduce=False).tolist() == [1.0, 4.0]
