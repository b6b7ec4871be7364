"""minigan: a from-scratch reverse-mode autodiff engine in NumPy/CuPy, and GANs built on it.

    import minigan
    x = minigan.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()          # x.grad == 2x
"""

from minigan import autograd, backend, cuda, functional, nn, optim
from minigan._tensor import Tensor, from_numpy, maximum, minimum, tensor
from minigan.autograd.grad_mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from minigan.backend import BackendError, cupy_available, get_num_threads, set_num_threads, use_backend
from minigan.backend import Device as device
from minigan.dtypes import bool_ as bool
from minigan.dtypes import double, float16, float32, float64, half, int8, int16, int32, int64, long, short, uint8
from minigan.dtypes import float32 as float
from minigan.dtypes import int32 as int
from minigan.errors import AnomalyError, DomainError, GradcheckError, GraphError, IndexOutOfRange, ShapeError
from minigan.functional import cat, stack
from minigan.gradcheck import gradcheck, gradgradcheck
from minigan.serialization import load, save
from minigan.toplevel import (
    BoolTensor,
    ByteTensor,
    DoubleTensor,
    FloatTensor,
    IntTensor,
    LongTensor,
    abs,
    arange,
    argmax,
    argmin,
    clamp,
    clip,
    empty,
    exp,
    eye,
    flatten,
    full,
    full_like,
    is_tensor,
    linspace,
    log,
    log_softmax,
    logsumexp,
    manual_seed,
    matmul,
    max,
    mean,
    min,
    mm,
    norm,
    numel,
    ones,
    ones_like,
    permute,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    relu,
    reshape,
    sigmoid,
    sign,
    softmax,
    sqrt,
    squeeze,
    sum,
    tanh,
    transpose,
    unsqueeze,
    where,
    zeros,
    zeros_like,
)

# Imported last: they build on everything above.  ``import minigan`` makes every subpackage reachable.
from minigan import attacks, data, gans, metrics, utils, viz  # noqa: E402  (isort: skip)

__version__ = "0.1.0"


__all__ = [
    "Tensor", "tensor", "from_numpy", "no_grad", "enable_grad", "is_grad_enabled", "set_grad_enabled", "manual_seed",
    "cat", "stack", "gradcheck", "gradgradcheck", "set_num_threads", "get_num_threads", "save", "load", "use_backend",
    "cupy_available", "detect_anomaly", "device",
    "autograd", "backend", "cuda", "functional", "nn", "optim", "attacks", "data", "gans", "metrics", "utils", "viz",
    "GradcheckError", "ShapeError", "GraphError", "AnomalyError", "BackendError", "IndexOutOfRange", "DomainError",
    "bool", "float", "int", "double", "float16", "float32", "float64", "half", "int8", "int16", "int32", "int64",
    "long", "short", "uint8",
    "FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "ByteTensor", "BoolTensor",
    "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "full_like", "rand", "randn", "rand_like",
    "randn_like", "randint", "randperm", "arange", "linspace", "eye", "is_tensor", "numel",
    "sum", "mean", "max", "min", "argmax", "argmin", "logsumexp", "norm", "abs", "exp", "log", "sqrt", "sign", "tanh",
    "sigmoid", "relu", "clamp", "clip", "softmax", "log_softmax", "matmul", "mm", "reshape", "flatten", "squeeze",
    "unsqueeze", "transpose", "permute", "where", "maximum", "minimum",
]
