"""PyTorch's argument names and order: a call written for PyTorch, with positional or keyword arguments, means the
same here (``F.mse_loss(input=a, target=b)``, ``nn.MSELoss(None, None, "sum")``).  Checked for every function of
torch.nn.functional and every class of torch.nn and torch.optim that minigan also has."""

import inspect

import pytest

import minigan
import minigan.functional as MF
import minigan.nn as mnn
import minigan.optim as mopt

torch = pytest.importorskip("torch")
import torch.nn as tnn  # noqa: E402
import torch.nn.functional as TF  # noqa: E402
import torch.optim as topt  # noqa: E402

# PyTorch arguments minigan leaves out, each with its reason
LEFT_OUT = {
    ("mse_loss", "weight"): "a per-element weight (new in PyTorch 2.13)",
    ("l1_loss", "weight"): "a per-element weight (new in PyTorch 2.13)",
    ("huber_loss", "weight"): "a per-element weight (new in PyTorch 2.13)",
    ("normalize", "out"): "out= is not provided",
    ("Hardtanh", "min_value"): "deprecated spelling of min_val",
    ("Hardtanh", "max_value"): "deprecated spelling of max_val",
    ("softmax", "dtype"): "keyword-only here (after PyTorch's private _stacklevel)",
    ("softmin", "dtype"): "keyword-only here (after PyTorch's private _stacklevel)",
    ("log_softmax", "dtype"): "keyword-only here (after PyTorch's private _stacklevel)",
}
GENERIC = {"Module", "Parameter", "Sequential", "Optimizer"}  # (*args, **kwargs) or containers


def _positional(f):
    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):  # a C function PyTorch gives no signature
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in params if p.kind in kinds and not p.name.startswith("_") and p.name != "self"]


def _pairs():
    for n in sorted(dir(TF)):
        if not n.startswith("_") and callable(getattr(TF, n)) and hasattr(MF, n):
            yield pytest.param(n, getattr(TF, n), getattr(MF, n), id=f"F.{n}")
    for lib_t, lib_m, prefix in ((tnn, mnn, "nn"), (topt, mopt, "optim")):
        for n in sorted(dir(lib_t)):
            t, m = getattr(lib_t, n), getattr(lib_m, n, None)
            if n[0].isupper() and inspect.isclass(t) and inspect.isclass(m) and n not in GENERIC:
                yield pytest.param(n, t.__init__, m.__init__, id=f"{prefix}.{n}")


@pytest.mark.parametrize("name, theirs, ours", list(_pairs()))
def test_arguments_have_pytorchs_names_and_order(name, theirs, ours):
    t, m = _positional(theirs), _positional(ours)
    if t is None or m is None or t == ["args", "kwargs"] or t == ["args"]:
        pytest.skip("PyTorch's function is written in C and shows no signature to compare argument names with")
    for i, arg in enumerate(t):
        if (name, arg) in LEFT_OUT:
            continue
        assert i < len(m) and m[i] == arg, f"{name}: argument {i} is {arg!r} in PyTorch, {m[i:i + 1]} here ({m})"


def test_loss_modules_take_the_legacy_arguments_in_pytorchs_places():
    x, y = minigan.tensor([1.0, 2.0]), minigan.tensor([0.0, 0.0])
    assert mnn.MSELoss(None, None, "sum")(x, y).item() == 5.0
    assert mnn.L1Loss(size_average=False)(x, y).item() == 3.0  # the deprecated way to say reduction="sum"
    assert MF.mse_loss(input=x, target=y, reduce=False).tolist() == [1.0, 4.0]
