"""What minigan does not provide of PyTorch's API, and what to use instead: the one table behind every
"minigan has no X" error.

``TABLE`` maps each PyTorch namespace to groups of (advice, names), read at import from the data file
``missing_advice.txt`` beside this module: every public name of that namespace
that minigan does not implement is listed once, under the advice its ``AttributeError`` gives
(``{name}`` in an advice is the name asked for, ``{base}`` the name without its trailing ``_``).  Three
rules cover whole families without listing them: an in-place form ``foo_`` whose ``foo`` minigan has (or whose
``Tensor.foo_``), a ``Tensor.foo`` that minigan has as the function ``minigan.foo(x)``, and a ``torch.autograd.foo``
that minigan has as ``minigan.foo`` (no_grad, gradcheck, ...).

``DIFFERENT`` lists the names minigan implements on purpose differently from PyTorch, with how.

The module-level ``__getattr__`` of ``minigan``, ``minigan.nn``, ``minigan.nn.functional``,
``minigan.optim``, ``minigan.optim.lr_scheduler`` and ``minigan.utils.data`` (and each name that missing_methods.py
writes on ``Tensor``, and the ``__getattr__`` of a Module's or an Optimizer's instance) raise
``attribute_error(...)``: for a name in the table, one line saying what to use instead; for any other name,
Python's usual error (with its "Did you mean" for a typo).  ``docs/make_coverage.py``
writes docs/pytorch.md's coverage table from this module, and a test checks that every public name of
the installed PyTorch is implemented, different on purpose, or here.
"""

from __future__ import annotations

import importlib.abc
import sys
from pathlib import Path

# the namespace of PyTorch -> how minigan spells the same place
PLACES = {
    "torch": "minigan", "torch.Tensor": "minigan.Tensor", "torch.nn": "minigan.nn",
    "torch.nn.functional": "minigan.nn.functional", "torch.optim": "minigan.optim",
    "torch.optim.lr_scheduler": "minigan.optim.lr_scheduler", "torch.autograd": "minigan.autograd",
    "torch.utils.data": "minigan.utils.data", "torch.nn.init": "minigan.nn.init", "torch.nn.utils": "minigan.nn.utils",
    "torch.linalg": "minigan.linalg", "torch.nn.utils.parametrizations": "minigan.nn.utils.parametrizations",
    "torch.nn.Module": "minigan.nn.Module", "torch.optim.Optimizer": "minigan.optim.Optimizer",
    **{f"torch.utils.data.{m}": f"minigan.utils.data.{m}" for m in ("dataloader", "dataset", "sampler")},
}
# a module of PyTorch whose missing names get its package's advice (``torch.utils.data.sampler`` that of
# ``torch.utils.data``)
WITHIN = {f"torch.utils.data.{m}": "torch.utils.data" for m in ("dataloader", "dataset", "sampler")}
CLASSES = ("torch.Tensor", "torch.nn.Module", "torch.optim.Optimizer")  # the places above that are classes

INPLACE = ("minigan has no in-place {base}_: write x = {place}{base}(...) instead (under minigan.no_grad() "
           "when x is a leaf that requires grad)")
AS_FUNCTION = "minigan's Tensor has no method .{name}: call the function minigan.{name}(x, ...)"
AT_TOP = "minigan has it at the top level: use minigan.{name}"

ADVICE_FILE = Path(__file__).with_name("missing_advice.txt")


def read_table(text: str) -> dict:
    """The advice file's text as {namespace: [(advice, [names])]} (its first lines say how it is written)."""
    table = {}
    for line in map(str.strip, text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            groups = table.setdefault(line[1:-1], [])  # a namespace
        elif line.startswith("> "):
            groups.append((line[2:], []))  # an advice, and the names under it to come
        else:
            groups[-1][1].extend(line.split())
    return table


TABLE = read_table(ADVICE_FILE.read_text(encoding="utf-8"))

DIFFERENT = {
    "torch": {
        "empty": "returns zeros (PyTorch leaves the memory uninitialised)",
        "empty_like": "returns zeros (PyTorch leaves the memory uninitialised)",
        "manual_seed": "seeds minigan's generators: on the CPU a seed gives PyTorch's CPU numbers (its Mersenne "
                       "Twister and its samplers); the GPU's stream (CuPy) is its own, not PyTorch's CUDA numbers",
        "inference_mode": "the same as no_grad (minigan has no separate inference tensors)",
        "device": "'cpu' and 'cuda' (through CuPy) only",
        "save": "writes minigan's own .npz checkpoint, not a file torch.load reads; a whole model or optimizer is "
                "pickled in it, as PyTorch's",
        "load": "reads minigan's .npz checkpoints (a pickled model only with weights_only=False, as PyTorch's); "
                "map_location only as a device ('cpu' or 'cuda')",
        "backends": "cudnn/cuda flags are accepted and change nothing (minigan calls no cuDNN); mps is absent",
        "functional": "minigan.functional is torch.nn.functional (PyTorch's torch.functional holds einsum, stft, ...)",
        "use_deterministic_algorithms": "accepted; minigan's CPU ops are deterministic, its GPU index-gradient "
                                        "scatter-add stays atomic (PyTorch would refuse it in this mode)",
    },
    "torch.Tensor": {
    },
    "torch.nn": {
        "DataParallel": "runs the wrapped module on minigan's one device (the whole batch); keys start with module.",
        "Upsample": "every mode for 1-D and 2-D inputs, not 'trilinear' (volumes) or antialias; see interpolate",
        "Embedding": "sparse=True is not provided (gradients are dense)",
    },
    "torch.nn.functional": {
        "interpolate": "every mode for 1-D and 2-D inputs, not 'trilinear' (volumes) or antialias=True; "
                       "nearest-exact in float32 can pick the lower pixel where PyTorch picks the upper at an exact "
                       "tie (3 of 870 sizes measured, under its AVX2 and AVX-512 kernels; its default set picks "
                       "the lower, as minigan); a uint8 image is refused for bilinear and bicubic, which PyTorch "
                       "resizes in its own fixed-point arithmetic (over 300 drawn resizes, 18,354 of 164,096 pixels "
                       "differ from its float result rounded, by up to 21): resize `x.float()` and round",
    },
    "torch.optim": {},
    "torch.optim.lr_scheduler": {},
    "torch.autograd": {},
    "torch.utils.data": {
        "DataLoader": "loads in the main process: num_workers and pin_memory are accepted and change nothing",
    },
}


def _index() -> dict:
    """(namespace, name) -> advice template, built once from TABLE."""
    index = {}
    for space, groups in TABLE.items():
        for advice, names in groups:
            for name in names:
                index[(space, name)] = advice
    return index


_INDEX = _index()


# The package the rules below look names up in (PyTorch's "torch": minigan itself).  This module stands below the
# namespaces it advises on, so the package hands itself here when it is first asked for a name (minigan/__init__.py)
# rather than this module importing upward.
NAMESPACES = {}


def _has(space: str, name: str) -> bool:
    obj = NAMESPACES.get("torch")
    if obj is None:  # (no name asked of the package yet, so none of its places is loaded: no rule applies)
        return False
    for part in PLACES[space].split(".")[1:]:
        obj = getattr(obj, part)
    if space in CLASSES:  # (Tensor's dir() lists the names it lacks too: missing_methods.py; reading one raises)
        return hasattr(obj, name)
    return name in dir(obj)


def group_of(space: str, name: str):
    """The advice template for ``space.name`` (from the table or a rule), before ``{name}`` is filled in."""
    template = _INDEX.get((WITHIN.get(space, space), name))
    base = name[:-1] if name.endswith("_") and not name.endswith("__") else None
    if template is None and base and space in ("torch", "torch.Tensor"):
        if space == "torch.Tensor" and _has(space, base):
            template = INPLACE.replace("{place}{base}(...)", "x.{base}(...)")
        elif _has("torch", base):
            template = INPLACE.replace("{place}", "minigan.")
    if template is None and space == "torch.Tensor" and _has("torch", name) and not name.startswith("_"):
        template = AS_FUNCTION
    if template is None and space == "torch.autograd" and _has("torch", name) and not name.startswith("_"):
        template = AT_TOP
    return template


def advice(space: str, name: str):
    """The one-line advice for PyTorch's ``space.name`` that minigan lacks, or None when it has none."""
    template = group_of(space, name)
    if template is None:
        return None
    base = name[:-1] if name.endswith("_") and not name.endswith("__") else name
    return template.format(name=name, base=base, place=PLACES[space] + ".")


class NotInMinigan(AttributeError):
    """The AttributeError for a PyTorch name minigan does not have.  Its message already says what to use, so
    it keeps ``name`` and ``obj`` empty: Python then adds no "Did you mean" guess (which for ``minigan.sin``
    would have been the unrelated ``min``).  (The interpreter fills them in after a module's ``__getattr__``
    raises; these properties ignore that.)"""

    __module__ = "minigan"  # shown as minigan.NotInMinigan in a traceback (it is exported there)
    name = property(lambda self: None, lambda self, value: None)
    obj = property(lambda self: None, lambda self, value: None)


def attribute_error(space: str, name: str, obj=None) -> AttributeError:
    """The AttributeError for ``space.name``: the table's advice, or Python's usual one (and its suggestions)."""
    text = advice(space, name) if not name.startswith("__") else None
    if text is None:
        what = f"module {PLACES[space]!r}" if space not in CLASSES else f"'{PLACES[space].rsplit('.')[-1]}' object"
        return AttributeError(f"{what} has no attribute {name!r}", name=name, obj=obj)
    return NotInMinigan(f"{PLACES[space]}.{name}: {text}")


class NotInMiniganToImport(ImportError):
    """NotInMinigan's line where an import statement asks for the name: the ImportError a program's fallback
    (``except ImportError:``) catches."""

    __module__ = "minigan"


class AbsentNames(importlib.abc.MetaPathFinder):
    """``from minigan import lgamma`` refused in the line ``minigan.lgamma`` gives.  That statement reads the
    attribute, and when the package's ``__getattr__`` refuses, Python looks for a submodule ``minigan.lgamma`` and,
    finding none, raises a bare "cannot import name": the advice is lost.  Asked (last, after the real files) for a
    submodule of a minigan package, this finder asks that package's own ``__getattr__`` and raises its advice as the
    ImportError the statement raises (the class a program falls back on); any other name gets Python's own error."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        module = sys.modules.get(package)  # (by its own name: a program may have put it under PyTorch's)
        hook = getattr(module, "__getattr__", None)  # (a module's own, in its namespace)
        if hook is None or name.startswith("_") or module.__name__.partition(".")[0] != "minigan":
            return None
        try:
            hook(name)
        except NotInMinigan as refused:
            raise NotInMiniganToImport(str(refused), name=fullname) from None
        except AttributeError:
            pass
        return None


if not any(isinstance(finder, AbsentNames) for finder in sys.meta_path):
    sys.meta_path.append(AbsentNames())
