"""Programs a PyTorch user writes, run unchanged under PyTorch and under minigan (the same text, ``torch`` bound to each
module), their results compared; the programs live in tests/pytorch/corpus_<topic>.py, one file per topic, and
test_corpus.py runs each.

Written from README.md and the public API only, before reading minigan's tests or docs/pytorch.md, of the kind
tutorials, docs examples, forum questions and popular repositories show.  Random numbers differ between the two
libraries: programs that draw compare only shapes, dtypes, determinism under one seed and statistics over many draws
with a loose tolerance, or feed both libraries the same numbers from NumPy.

Each program is ``def name(torch) -> result``; a result is any nesting of tuples, lists and dicts of tensors, numbers,
strings, dtypes, sizes and caught exceptions (``caught(fn)``). ``compare`` says how two results differ, or returns
None. ``DIFFERS`` names the programs that differ from PyTorch on purpose, with the reason (docs/pytorch.md).
"""
import math
import warnings

import numpy as np


def registry():
    """A corpus's table of programs, by name, and the decorator that enters a program in it."""
    programs = {}

    def program(fn):
        programs[fn.__name__] = fn
        return fn
    return programs, program


class Caught:
    """An exception a program caught on purpose: only its class is compared."""

    def __init__(self, exc):
        self.exc = exc

    def __repr__(self):
        return f"Caught({type(self.exc).__name__}: {str(self.exc)[:80]})"


class Raised(Caught):
    """An exception a program did not catch: compared by class as well."""


def caught(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the class is the result
        return Caught(exc)
    return "no exception"


def fill_(torch, module, scale=0.3):
    """Deterministic weights (the two libraries' random streams differ): a sine of each parameter's index."""
    with torch.no_grad():
        for i, p in enumerate(module.parameters()):
            values = torch.sin(torch.arange(p.numel(), dtype=torch.float64) * 0.7 + i) * scale
            p.copy_(values.reshape(p.shape).to(p.dtype))
    return module


def data(torch, *shape, dtype=None, offset=0.0):
    n = math.prod(shape)
    x = torch.cos(torch.arange(n, dtype=torch.float64) * 1.3 + offset).reshape(shape)
    return x.to(dtype or torch.float32)


# ------------------------------------------------------------------------------------------------ the comparison


def _is_tensor(x):
    return hasattr(x, "detach") and hasattr(x, "requires_grad") and hasattr(x, "dtype")


def normalize(x):
    if isinstance(x, Caught):
        return x
    if _is_tensor(x):
        t = x.detach()
        return {"tensor": np.asarray(t.numpy()), "dtype": str(x.dtype).split(".")[-1], "shape": tuple(x.shape),
                "requires_grad": bool(x.requires_grad)}
    if type(x).__name__ == "dtype" or str(type(x)).endswith("dtype'>"):
        return ("dtype", str(x).split(".")[-1])
    if type(x).__name__ == "Size":
        return tuple(int(v) for v in x)
    if isinstance(x, dict):
        return {k: normalize(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(normalize(v) for v in x) if type(x) in (list, tuple) else tuple(normalize(v) for v in x)
    if isinstance(x, np.generic):
        return x.item()
    return x


def compare(mine, theirs, where="result", rtol=1e-5, atol=1e-6):
    """None where ``mine`` (minigan's normalized result) matches ``theirs`` (PyTorch's), else what differs."""
    if isinstance(theirs, Caught) or isinstance(mine, Caught):
        if not (isinstance(theirs, Caught) and isinstance(mine, Caught)):
            return f"{where}: minigan {mine!r}, PyTorch {theirs!r}"
        if not isinstance(mine.exc, type(theirs.exc)):
            return f"{where}: minigan raised {mine!r}, PyTorch {theirs!r}"
        return None
    if isinstance(theirs, dict) and "tensor" in theirs:
        if not (isinstance(mine, dict) and "tensor" in mine):
            return f"{where}: minigan gave {type(mine).__name__}, PyTorch a tensor"
        for key in ("dtype", "shape", "requires_grad"):
            if mine[key] != theirs[key]:
                return f"{where}.{key}: minigan {mine[key]}, PyTorch {theirs[key]}"
        a, b = mine["tensor"], theirs["tensor"]
        if a.dtype.kind in "fc" or b.dtype.kind in "fc":
            if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
                return f"{where}: values differ by {np.nanmax(np.abs(a - b)) if a.size else 0}:\n{a}\nvs\n{b}"
        elif not np.array_equal(a, b):
            return f"{where}: values {a} vs {b}"
        return None
    if isinstance(theirs, dict):
        if not isinstance(mine, dict) or list(mine) != list(theirs):
            return f"{where}: keys {list(mine) if isinstance(mine, dict) else mine} vs {list(theirs)}"
        for k in theirs:
            d = compare(mine[k], theirs[k], f"{where}[{k!r}]", rtol, atol)
            if d:
                return d
        return None
    if isinstance(theirs, (list, tuple)):
        if not isinstance(mine, (list, tuple)) or len(mine) != len(theirs):
            return f"{where}: {mine!r} vs {theirs!r}"
        for i, (m, t) in enumerate(zip(mine, theirs)):
            d = compare(m, t, f"{where}[{i}]", rtol, atol)
            if d:
                return d
        return None
    if isinstance(theirs, float) and isinstance(mine, (int, float)) and not isinstance(mine, bool):
        if not (math.isclose(mine, theirs, rel_tol=rtol, abs_tol=atol) or (math.isnan(mine) and math.isnan(theirs))):
            return f"{where}: {mine!r} vs {theirs!r}"
        return None
    if type(mine) is not type(theirs) or mine != theirs:
        return f"{where}: {mine!r} ({type(mine).__name__}) vs {theirs!r} ({type(theirs).__name__})"
    return None


def run(fn, torch):
    try:
        return normalize(fn(torch))
    except Exception as exc:  # noqa: BLE001 - an uncaught exception is a result too
        return Raised(exc)


def agree(fn, torch, minigan):
    """``fn`` runs under PyTorch, and under minigan it gives what it gives under PyTorch (their warnings silenced)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, mine = run(fn, torch), run(fn, minigan)
    assert not isinstance(theirs, Raised), f"the program fails under PyTorch: {theirs!r}"
    difference = compare(mine, theirs)
    assert difference is None, difference


# name -> why minigan's result differs from PyTorch's: each a difference docs/pytorch.md documents
DIFFERS = {
    "function_save_for_backward": "type(y.grad_fn).__name__ is minigan's node class, BackwardFunction for a "
                                  "Function (docs/pytorch.md, The graph a learner prints: the class's name)",
    "inference_mode_decorator_and_context": "Tensor.is_inference is not provided: inference_mode is no_grad "
                                            "(docs/pytorch.md)",
    "inference_tensor_in_autograd_refused": "inference_mode is no_grad: no inference tensors to refuse "
                                            "(docs/pytorch.md)",
    "load_state_dict_casts_dtype": "load_state_dict refuses integer (and non-finite) values for a float parameter, "
                                   "where PyTorch's copy_ casts them (docs/guarantees.md; docs/pytorch.md)",
    "optimizer_state_dict_holds_the_live_state": "optimizer.state_dict() is a snapshot (its entries copies), where "
                                                 "PyTorch's holds the optimizer's own tensors (docs/pytorch.md, "
                                                 "remaining differences)",
    "resize_a_uint8_image_batch": "interpolate refuses a uint8 image for bilinear and bicubic, which PyTorch resizes "
                                  "in fixed point (docs/pytorch.md, torch.nn.functional.interpolate)",
}


# ------------------------------------------------------------------------------ shared by programs of several topics


def _regression(torch):
    x = data(torch, 8, 3)
    y = (x @ torch.tensor([[1.0], [-2.0], [0.5]])) + 0.3
    return x, y


class _Block:  # built inside a program, so that each library's nn.Module is its base
    @staticmethod
    def make(torch):
        class Block(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = torch.nn.Linear(4, 4)
                self.norm = torch.nn.BatchNorm1d(4)
                self.head = torch.nn.Linear(4, 2)
                self.register_buffer("steps", torch.zeros((), dtype=torch.long))
                self.register_buffer("scratch", torch.ones(2), persistent=False)

            def forward(self, x):
                if self.training:
                    self.steps += 1
                return self.head(self.norm(self.conv(x)).relu())

        return fill_(torch, Block())


def _gan(torch):
    G = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.LeakyReLU(0.2), torch.nn.Linear(4, 2)))
    D = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.LeakyReLU(0.2), torch.nn.Linear(4, 1)),
              scale=0.5)
    return G, D


def text(torch, obj):
    """What print(obj) shows, with the library's name written as PyTorch's."""
    return str(obj).replace(torch.__name__ + ".", "torch.")


def same(torch, array, dtype=None):
    """The same numbers in both libraries, from NumPy."""
    return torch.tensor(np.asarray(array).tolist(), dtype=dtype or torch.float64)


def _generator_discriminator(torch, sn=False):
    nn = torch.nn
    G = fill_(torch, nn.Sequential(nn.Linear(2, 8), nn.LeakyReLU(0.2), nn.Linear(8, 3))).double()
    D = fill_(torch, nn.Sequential(nn.Linear(3, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))).double()
    if sn:
        for i in (0, 2):
            D[i] = nn.utils.spectral_norm(D[i])
            with torch.no_grad():  # the same starting vectors in both libraries
                D[i].weight_u.copy_(torch.nn.functional.normalize(torch.ones(8, dtype=torch.float64) if i == 0
                                                                  else torch.ones(1, dtype=torch.float64), dim=0))
                D[i].weight_v.copy_(torch.nn.functional.normalize(
                    torch.arange(1.0, D[i].weight_orig.shape[1] + 1, dtype=torch.float64), dim=0))
    return G, D


def _quad(torch):
    w = torch.nn.Parameter(torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64))
    b = torch.nn.Parameter(torch.tensor([0.5], dtype=torch.float64))
    return w, b


def _loss(torch, w, b):
    x = torch.tensor([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]], dtype=torch.float64)
    return ((x @ w + b - torch.tensor([1.0, -1.0], dtype=torch.float64)) ** 2).mean() + 0.1 * w.abs().sum()
