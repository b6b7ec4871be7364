"""Real programs written from outside minigan, run under PyTorch and under minigan, compared.

The programs (outsider_programs*.py) drive what a user drives: nn.Module's API (names, prefixes, state dicts,
containers, train/eval, copies, dtypes, shared parameters), the losses with all their arguments and their
gradients, nn.utils and nn.init, autograd's options and autograd.functional, a data-preprocessing pipeline, the
numerics a learner writes by hand, linalg, comparisons and randomness.  Each returns a structure of tensors, numbers,
strings and exceptions; here the two structures must agree: a tensor in dtype, shape and values (float64 to
rtol 1e-7), an exception by PyTorch's class (minigan's must be an instance of it), everything else exactly.  A name
minigan lacks comes back as "missing" and is not compared (it is not a difference unless its advice is wrong).
"""

import math
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402
from pytorch import (  # noqa: E402
    outsider_programs,
    outsider_programs_autograd,
    outsider_programs_data,
    outsider_programs_losses,
    outsider_programs_models,
    outsider_programs_tensors,
    outsider_programs_training,
    outsider_programs_utils,
)
from pytorch.oracle import NORM_BIAS, pytorch_since  # noqa: E402

PROGRAMS = {name: fn for module in (outsider_programs, outsider_programs_losses, outsider_programs_utils,
                                    outsider_programs_autograd, outsider_programs_data, outsider_programs_training,
                                    outsider_programs_models, outsider_programs_tensors)
            for name, fn in vars(module).items() if name.startswith("prog_")}

# A program that shows a minigan bug stays here, a strict xfail naming the bug, until the bug is fixed.
BUGS: dict = {
}


def plain(value):
    """A library's result as NumPy arrays, tuples and builtins, the same shape for both libraries."""
    if isinstance(value, (torch.Tensor, minigan.Tensor)):
        return ("tensor", str(value.dtype).split(".")[-1], tuple(value.shape), value.detach().numpy().copy())
    if isinstance(value, BaseException):
        return ("raised", value)
    if isinstance(value, (torch.Size, minigan.Size)):
        return ("size", tuple(value))
    if isinstance(value, (torch.dtype, minigan.dtype)):
        return ("dtype", str(value).split(".")[-1])
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):  # named tuples (sort, max, load_state_dict's result) as plain ones
        return [plain(v) for v in value]
    return value


def differences(theirs, ours, where="result"):
    """Where minigan's result (ours) differs from PyTorch's (theirs), one line each."""
    if isinstance(ours, str) and ours == "missing":
        return []
    if isinstance(theirs, tuple) and theirs[:1] == ("raised",):
        if isinstance(ours, tuple) and ours[:1] == ("raised",) and isinstance(ours[1], type(theirs[1])):
            return []
        return [f"{where}: PyTorch raised {type(theirs[1]).__name__} ({theirs[1]}), minigan gave {ours!r:.300}"]
    if isinstance(ours, tuple) and ours[:1] == ("raised",):
        return [f"{where}: minigan raised {type(ours[1]).__name__} ({ours[1]}), PyTorch gave {theirs!r:.300}"]
    if isinstance(theirs, tuple) and theirs[:1] == ("tensor",):
        if not (isinstance(ours, tuple) and ours[:1] == ("tensor",)):
            return [f"{where}: PyTorch gave a tensor, minigan {ours!r:.200}"]
        if theirs[1:3] != ours[1:3]:
            return [f"{where}: PyTorch's is {theirs[1]} {theirs[2]}, minigan's {ours[1]} {ours[2]}"]
        a, b = theirs[3], ours[3]
        same = (np.allclose(a, b, rtol=1e-7, atol=1e-12 if a.dtype == np.float64 else 1e-6, equal_nan=True)
                if a.dtype.kind in "fc" else np.array_equal(a, b))
        return [] if same else [f"{where}: values differ\n  PyTorch {a.ravel()[:8]}\n  minigan {b.ravel()[:8]}"]
    if isinstance(theirs, dict):
        if not isinstance(ours, dict) or list(theirs) != list(ours):
            return [f"{where}: keys {list(theirs)} against {list(ours) if isinstance(ours, dict) else ours!r:.200}"]
        return [line for k in theirs for line in differences(theirs[k], ours[k], f"{where}[{k!r}]")]
    if isinstance(theirs, (list, tuple)):
        if not isinstance(ours, (list, tuple)) or len(theirs) != len(ours):
            return [f"{where}: {theirs!r:.200} against {ours!r:.200}"]
        return [line for i, (a, b) in enumerate(zip(theirs, ours)) for line in differences(a, b, f"{where}[{i}]")]
    if isinstance(theirs, float) and isinstance(ours, (int, float)) and not isinstance(ours, bool):
        if math.isclose(theirs, ours, rel_tol=1e-7, abs_tol=1e-12) or (math.isnan(theirs) and math.isnan(ours)):
            return []
        return [f"{where}: {theirs!r} against {ours!r}"]
    if type(theirs) is not type(ours) or theirs != ours:
        return [f"{where}: {type(theirs).__name__} {theirs!r:.200} against {type(ours).__name__} {ours!r:.200}"]
    return []


def run(library, name, seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy size_average, kl_div's 'mean' and broadcasting warnings
        return plain(PROGRAMS[name](library, seed))


# Programs that read behaviour a PyTorch version brought (docs/pytorch.md, "Which PyTorch"): skipped on an older one
SINCE = {"prog_print_model": NORM_BIAS, "prog_module_print": NORM_BIAS,
         "prog_loss_mixed_dtypes": pytorch_since("2.12", "mse_loss's backward takes a target of another dtype")}


def _cases():
    for name in sorted(PROGRAMS):
        marks = [pytest.mark.xfail(strict=True, reason=BUGS[name])] if name in BUGS else []
        marks += [SINCE[name]] if name in SINCE else []
        yield pytest.param(name, marks=marks, id=name[len("prog_"):])


@pytest.mark.parametrize("name", list(_cases()))
def test_program_agrees_with_pytorch(name):
    torch_default = torch.get_default_dtype()
    try:
        theirs = run(torch, name, seed=0)
    finally:
        torch.set_default_dtype(torch_default)
    ours = run(minigan, name, seed=0)
    found = differences(theirs, ours)
    assert not found, "\n".join(found)


def test_the_comparison_sees_a_difference():
    one = plain({"t": torch.tensor([1.0, 2.0], dtype=torch.float64), "e": ValueError("x"), "n": 3})
    assert differences(one, plain({"t": minigan.tensor([1.0, 2.0], dtype=minigan.float64), "e": ValueError("y"),
                                   "n": 3})) == []
    assert differences(one, plain({"t": minigan.tensor([1.0, 2.1], dtype=minigan.float64), "e": ValueError(),
                                   "n": 3}))
    assert differences(one, plain({"t": minigan.tensor([1.0, 2.0]), "e": ValueError(), "n": 3}))  # float32
    assert differences(one, plain({"t": minigan.tensor([1.0, 2.0], dtype=minigan.float64), "e": TypeError(),
                                   "n": 3}))
    assert differences(one, plain({"t": minigan.tensor([1.0, 2.0], dtype=minigan.float64), "e": ValueError(),
                                   "n": 4}))
    assert differences(plain([True]), plain([1]))
