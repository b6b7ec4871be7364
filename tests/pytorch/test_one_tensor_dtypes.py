"""Every function of one tensor, over every dtype an input can have, against PyTorch: the result's dtype and values
where PyTorch runs, its exception class where it refuses (a kernel "not implemented for 'Bool'", a result type an
in-place form cannot hold, a bool PyTorch does not negate).  The functions are found, not listed: each name of
``torch``, ``torch.nn.functional`` and ``torch.Tensor`` that minigan shares and that PyTorch calls with one float
tensor alone, giving a tensor of its shape (so pointwise: abs, floor, sigmoid, square, softsign, relu_, x.exp_(), ...).
Where a dtype is refused is tested by family in tests/pytorch/test_kernel_dtypes.py; this finds the ones a family
leaves out."""

import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float32", "float64"]
VALUES = np.array([[3.0, -1.0, 0.0, 2.5], [1.0, 5.0, -4.0, 0.5]])
# Names whose result is drawn at random, or is not a function of the values (a copy, a cast, a new tensor; cuda(),
# which PyTorch runs on a host with CUDA, is a copy to the GPU).
LEFT_OUT = {"rand_like", "randn_like", "randint_like", "empty_like", "zeros_like", "ones_like", "bernoulli",
            "poisson", "normal", "rrelu", "rrelu_", "gumbel_softmax", "normal_", "uniform_", "exponential_",
            "geometric_", "cauchy_", "log_normal_", "random_", "bernoulli_", "clone", "detach", "detach_",
            "contiguous", "cpu", "cuda", "float", "double", "half", "long", "int", "short", "char", "byte", "bool",
            "requires_grad_", "zero_"}
# Names that change the process when called with a tensor (set_printoptions(x) makes x the print precision, and
# every tensor printed after it recurses; set_num_threads, manual_seed, ...), or warn once per process in PyTorch
# (chain_matmul's deprecation, which tests/pytorch/test_pytorch_deprecated.py compares): never called by the survey.
GLOBAL_STATE = {"manual_seed", "seed", "chain_matmul", "compile", "save", "load", "set_rng_state", "get_rng_state"}


def _tensor(lib, dtype):
    if dtype == "bool":
        return lib.tensor(VALUES > 0.7)
    v = np.abs(VALUES) if dtype == "uint8" else VALUES
    return lib.tensor(v if dtype.startswith("float") else np.trunc(v).astype(np.int64), dtype=getattr(lib, dtype))


def _of_one_tensor(call) -> bool:
    """Whether PyTorch calls it with one float tensor alone and gives a tensor of that shape."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = call(torch.tensor(VALUES))
    except Exception:  # noqa: BLE001 - a function that needs more than a tensor is not one of these
        return False
    return isinstance(out, torch.Tensor) and out.shape == VALUES.shape


def _survey() -> list:
    """(space, name) of each function of one tensor minigan shares with PyTorch."""
    found = []
    for space, theirs, ours in (("torch", torch, minigan), ("F", torch.nn.functional, minigan.nn.functional)):
        for name in sorted(set(dir(theirs)) & set(dir(ours)) - LEFT_OUT):
            fn = getattr(theirs, name)
            if not name.startswith(("_", "set_", "use_")) and name not in GLOBAL_STATE and "dropout" not in name \
                    and callable(fn) and not isinstance(fn, type) and _of_one_tensor(fn):
                found.append((space, name))
    for name in sorted(n for n in set(dir(torch.Tensor)) & set(dir(minigan.Tensor)) - LEFT_OUT
                       if hasattr(minigan.Tensor, n)):  # (minigan's dir() lists the names it lacks too: they raise)
        if not name.startswith("_") and _of_one_tensor(lambda x, name=name: getattr(x, name)()):
            found.append(("Tensor", name))
    return found


FUNCTIONS = _survey()


def _outcome(lib, space, name, dtype):
    x = _tensor(lib, dtype)
    call = (lambda: getattr(x, name)()) if space == "Tensor" else \
        (lambda: getattr(lib if space == "torch" else lib.nn.functional, name)(x))
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return call()
    except Exception as e:  # noqa: BLE001 - the refusal is what is compared
        return e


def test_the_survey_finds_the_pointwise_functions():
    names = {f"{space}.{name}" for space, name in FUNCTIONS}
    assert len(names) > 200 and {"torch.abs", "torch.square", "F.softsign", "Tensor.sigmoid_", "Tensor.floor_"} <= names


@pytest.mark.parametrize("dtype", DTYPES)
def test_a_function_of_one_tensor_gives_pytorchs_dtype_or_refusal(dtype):
    found = []
    for space, name in FUNCTIONS:
        theirs, ours = _outcome(torch, space, name, dtype), _outcome(minigan, space, name, dtype)
        where = f"{space}.{name} of {dtype}"
        if isinstance(theirs, Exception):
            builtin = next(t for t in type(theirs).__mro__ if t.__module__ == "builtins")
            if not isinstance(ours, builtin):
                found.append(f"{where}: PyTorch {type(theirs).__name__} ({str(theirs)[:80]}), minigan {ours!r:.80}")
        elif isinstance(ours, Exception):
            found.append(f"{where}: PyTorch ran, minigan {type(ours).__name__}: {ours}")
        elif str(ours.dtype).split(".")[-1] != str(theirs.dtype).split(".")[-1]:
            found.append(f"{where}: PyTorch {theirs.dtype}, minigan {ours.dtype}")
        elif not np.allclose(ours.numpy().astype(np.float64), theirs.detach().numpy().astype(np.float64),
                             rtol=1e-5, atol=1e-6 if dtype == "float32" else 0, equal_nan=True):
            found.append(f"{where}: PyTorch {theirs.detach().numpy()}, minigan {ours.numpy()}")
    assert not found, f"{len(found)} of {len(FUNCTIONS)} functions differ from PyTorch:\n" + "\n".join(found)
