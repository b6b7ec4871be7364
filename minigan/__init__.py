"""minigan: a from-scratch reverse-mode autodiff engine in NumPy/CuPy, and GANs built on it.

    import minigan
    x = minigan.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()          # x.grad == 2x

This file imports nothing when it runs: ``minigan.tensor`` and every other public name is looked up in the tables
below the first time it is asked for (a module ``__getattr__``, PEP 562).  So ``import minigan.engine`` loads the
engine alone, and a student can run it without the PyTorch surface.  The first name asked for imports the surface
(``minigan/surface/tensor.py``) before anything else: from then on the engine's ops make ``minigan.Tensor``s.
"""

import importlib
import sys

__version__ = "0.1.0"

# minigan.NAME -> the module that defines it: the modules' names, then theirs, one string a module.  Every other
# public name is minigan.toplevel's (the free functions, each a method's door, their in-place forms, the legacy
# constructors): its own __all__, derived there from what it binds, so no name is written twice.
_FROM = {
    # minigan.Tensor, the engine's Tensor with PyTorch's methods
    "minigan.surface.tensor": "from_numpy Tensor tensor",
    # PyTorch's dtype objects, printed as minigan.float32
    "minigan._dtype": (
        "bool double dtype float float16 float32 float64 half int int16 int32 int64 int8 long short uint8"
    ),
    # PyTorch's, deprecated
    "minigan._deprecated": "chain_matmul range set_default_tensor_type",
    "minigan.surface.missing": "NotInMinigan NotInMiniganToImport",
    "minigan.linalg": "matrix_power",
    # devices, generators, threads (minigan.device is the engine's Device)
    "minigan.engine.backend": "BackendError cupy_available device get_num_threads set_num_threads use_backend",
    "minigan.surface.generator": "default_generator Generator",
    "minigan.engine.errors": "AnomalyError DomainError DtypeError GradcheckError GraphError IndexOutOfRange ShapeError",
    "minigan.engine.grad_mode": "detect_anomaly enable_grad is_grad_enabled no_grad set_grad_enabled",
    "minigan.finite_differences": "gradcheck gradgradcheck",
    "minigan.serialization": "load save",
}
_NAMES = {name: module for module, names in _FROM.items() for name in names.split()}
_RENAMED = {"device": "Device"}  # minigan.device is the engine's backend.Device

# minigan.NAME -> a module reached as an attribute (``minigan.nn.Linear``); ``import minigan`` makes each reachable.
_MODULES = {
    "accelerator": "minigan.accelerator", "attacks": "minigan.attacks", "autograd": "minigan.autograd",
    "backend": "minigan.engine.backend", "backends": "minigan.backends", "classifier": "minigan.classifier",
    "cuda": "minigan.cuda", "data": "minigan.data", "engine": "minigan.engine", "functional": "minigan.functional",
    "gans": "minigan.gans", "linalg": "minigan.linalg", "metrics": "minigan.metrics", "nn": "minigan.nn",
    "optim": "minigan.optim", "progress": "minigan.progress", "serialization": "minigan.serialization",
    "storage": "minigan.storage", "toplevel": "minigan.toplevel", "utils": "minigan.utils", "viz": "minigan.viz",
    "distributions": "minigan.distributions",
}




def _toplevel_names():
    """minigan.toplevel's public names (importing it, and with it the surface)."""
    importlib.import_module("minigan.surface.tensor")  # first: every tensor the engine makes is a minigan.Tensor
    return importlib.import_module("minigan.toplevel").__all__


def __getattr__(name):
    """``minigan.NAME``: import the surface, then the module that holds NAME, and keep the answer here."""
    if name == "__all__":  # ``from minigan import *``: every public name, derived from the tables and toplevel's
        return sorted({*_NAMES, *_MODULES, *_toplevel_names()})
    if name.startswith("_"):  # a private module not imported yet (``from minigan import _dtype`` asks here first)
        raise AttributeError(f"module 'minigan' has no attribute {name!r}", name=name)
    _missing = importlib.import_module("minigan.surface.missing")
    _missing.NAMESPACES.setdefault("torch", importlib.import_module(__name__))  # (what its advice looks names up in)
    if name not in _NAMES and name not in _MODULES and name not in _toplevel_names():  # a PyTorch name minigan
        raise _missing.attribute_error("torch", name, importlib.import_module(__name__))  # lacks: what to use instead
    importlib.import_module("minigan.surface.tensor")  # first: every tensor the engine makes is a minigan.Tensor
    if name in _MODULES:
        value = importlib.import_module(_MODULES[name])
    else:
        where = _NAMES.get(name, "minigan.toplevel")
        module = importlib.import_module(where)
        value = getattr(module, _RENAMED.get(name, name))
    globals()[name] = value  # the next look-up finds it without calling this function
    return value


def __dir__():
    return sorted({*globals(), *_NAMES, *_MODULES, *_toplevel_names()})


class _AbsentSubmodules:
    """``import minigan.fft`` (a PyTorch module minigan lacks) in a fresh process: the one-line advice ``minigan.fft``
    gives, as the ImportError, not a bare ModuleNotFoundError.  surface/missing.py's finder gives it once that module
    is loaded; until then this one, asked last (after the real files), loads it and asks it."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        if not fullname.startswith("minigan.") or "minigan.surface.missing" in sys.modules:
            return None  # (once loaded, surface/missing.py's own finder answers)
        return importlib.import_module("minigan.surface.missing").AbsentNames().find_spec(fullname, path, target)


sys.meta_path.append(_AbsentSubmodules)
