"""minigan: a from-scratch reverse-mode autodiff engine in NumPy/CuPy, and GANs built on it.

    import minigan
    x = minigan.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()          # x.grad == 2x
"""

from minigan import autograd, backend, functional, nn, optim
from minigan.backend import BackendError, cupy_available, get_num_threads, set_num_threads, use_backend
from minigan.errors import AnomalyError, DomainError, GradcheckError, GraphError, IndexOutOfRange, ShapeError
from minigan.function import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from minigan.functional import cat, stack
from minigan.gradcheck import gradcheck, gradgradcheck
from minigan.serialization import load, save
from minigan.tensor import Tensor, from_numpy

__version__ = "0.1.0"


def tensor(data, requires_grad=False, dtype=None, device=None) -> Tensor:
    """A new tensor holding a *copy* of ``data`` (as ``torch.tensor``): floats keep their dtype, Python
    numbers and lists become float32.  ``minigan.from_numpy(array)`` shares the array instead."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, device=device)


def manual_seed(seed: int) -> None:
    """Seed minigan's random generators (data, initialisation, dropout, noise) on every backend."""
    backend.manual_seed(seed)


def _shape(shape, fn):
    shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else tuple(shape)
    for n in shape:
        integer = isinstance(n, (int, backend.np.integer)) and not isinstance(n, bool)
        if not integer or n < 0:
            error = ValueError if integer else TypeError
            raise error(f"{fn}: got shape {shape!r}, expected non-negative integer sizes")
    return tuple(int(n) for n in shape)


def randn(*shape, requires_grad=False, dtype=None) -> Tensor:
    """Standard normal samples on the active backend (float32 unless dtype says otherwise)."""
    return Tensor(backend.randn(_shape(shape, "randn"), dtype=dtype), requires_grad=requires_grad)


def rand(*shape, requires_grad=False, dtype=None) -> Tensor:
    """Uniform [0, 1) samples on the active backend."""
    return Tensor(backend.rand(_shape(shape, "rand"), dtype=dtype), requires_grad=requires_grad)


def zeros(*shape, requires_grad=False, dtype=None) -> Tensor:
    xp = backend.active_module()
    return Tensor(xp.zeros(_shape(shape, "zeros"), dtype=dtype or backend.DEFAULT_DTYPE), requires_grad=requires_grad)


def ones(*shape, requires_grad=False, dtype=None) -> Tensor:
    xp = backend.active_module()
    return Tensor(xp.ones(_shape(shape, "ones"), dtype=dtype or backend.DEFAULT_DTYPE), requires_grad=requires_grad)


__all__ = [
    "Tensor", "tensor", "no_grad", "enable_grad", "is_grad_enabled", "set_grad_enabled", "manual_seed",
    "cat", "stack", "gradcheck", "gradgradcheck", "autograd", "from_numpy", "set_num_threads", "get_num_threads",
    "nn", "optim", "save", "load", "GradcheckError", "use_backend",
    "cupy_available", "functional",
    "detect_anomaly", "randn", "rand", "zeros", "ones", "backend",
    "ShapeError", "GraphError", "AnomalyError", "BackendError", "IndexOutOfRange", "DomainError",
]
