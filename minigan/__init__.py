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

__version__ = "0.1.0"

# minigan.NAME -> the module that defines it: the modules' names, then theirs, one string a module.
_FROM = {
    # minigan.Tensor, the engine's Tensor with PyTorch's methods
    "minigan.surface.tensor": "from_numpy Tensor tensor",
    # PyTorch's dtype objects, printed as minigan.float32
    "minigan._dtype": (
        "bool double dtype float float16 float32 float64 half int int16 int32 int64 int8 long short uint8"
    ),
    # the free functions (each a method's door), their in-place forms, the legacy constructors
    "minigan.toplevel": (
        "abs abs_ absolute acos acos_ acosh acosh_ add addbmm addcdiv addcmul addmm addmv addr all allclose amax "
        "amin aminmax any arange arccos arccos_ arccosh arccosh_ arcsin arcsin_ arcsinh arcsinh_ arctan arctan2 "
        "arctan_ arctanh arctanh_ are_deterministic_algorithms_enabled argmax argmin argsort argwhere as_tensor "
        "asarray asin asin_ asinh asinh_ atan atan2 atan_ atanh atanh_ atleast_1d atleast_2d atleast_3d baddbmm "
        "bernoulli bincount bitwise_and bitwise_left_shift bitwise_not bitwise_or bitwise_right_shift bitwise_xor "
        "bmm BoolTensor broadcast_tensors broadcast_to ByteTensor cat cdist ceil ceil_ chunk clamp clamp_ "
        "clamp_max clamp_max_ clamp_min clamp_min_ clip clip_ clone column_stack concat concatenate "
        "contiguous_format cos cos_ cosh cosh_ count_nonzero cross cummax cummin cumprod cumsum deg2rad deg2rad_ "
        "detach detach_ diag diff dist div divide dot DoubleTensor dsplit dstack e einsum empty empty_like eq "
        "equal erf erf_ erfc erfc_ erfinv exp exp2 exp2_ exp_ expm1 expm1_ eye fill_ fix fix_ flatten flip fliplr "
        "flipud FloatTensor floor floor_ floor_divide fmax fmin fmod frac frac_ full full_like gather ge ger "
        "get_default_device get_default_dtype greater greater_equal gt histc histogram hsplit hstack hypot "
        "index_add index_copy index_fill index_put index_put_ index_select inf inference_mode inner IntTensor "
        "is_anomaly_enabled is_deterministic_algorithms_warn_only_enabled is_floating_point "
        "is_inference_mode_enabled is_nonzero is_same_size is_tensor isclose isfinite isinf isnan kthvalue le "
        "lerp less less_equal linspace log log10 log10_ log1p log1p_ log2 log2_ log_ log_softmax logaddexp "
        "logcumsumexp logical_and logical_not logical_or logical_xor logit logit_ logspace logsumexp LongTensor lt "
        "manual_seed masked_fill masked_select matmul max maximum mean median meshgrid min minimum mm moveaxis "
        "movedim mul multinomial multiply mv nan nan_to_num nan_to_num_ nanmean nansum narrow ne neg neg_ "
        "negative negative_ newaxis nonzero norm normal not_equal numel ones ones_like outer permute pi positive "
        "pow preserve_format prod quantile rad2deg rad2deg_ rand rand_like randint randn randn_like randperm "
        "ravel reciprocal reciprocal_ relu relu_ remainder repeat_interleave reshape roll rot90 round round_ "
        "row_stack rsqrt rsqrt_ rsub scalar_tensor scatter scatter_add set_default_device set_default_dtype "
        "set_printoptions sigmoid sigmoid_ sign sin sin_ sinh sinh_ Size softmax sort split sqrt sqrt_ square "
        "square_ squeeze stack std std_mean strided sub subtract sum swapaxes swapdims t take take_along_dim tan "
        "tan_ tanh tanh_ tensor_split tensordot tile topk trace transpose tril triu true_divide trunc trunc_ "
        "typename unbind unflatten unique unsqueeze use_deterministic_algorithms var var_mean vdot vsplit vstack "
        "where xlogy xlogy_ zero_ zeros zeros_like initial_seed seed get_rng_state set_rng_state"
    ),
    # PyTorch's, deprecated
    "minigan._deprecated": "chain_matmul range set_default_tensor_type",
    "minigan.surface.missing": "NotInMinigan",
    "minigan.linalg": "matrix_power",
    # devices, generators, threads (minigan.device is the engine's Device)
    "minigan.engine.backend": "BackendError cupy_available device get_num_threads set_num_threads use_backend",
    "minigan.surface.generator": "default_generator Generator",
    "minigan.engine.errors": "AnomalyError DomainError DtypeError GradcheckError GraphError IndexOutOfRange ShapeError",
    "minigan.engine.grad_mode": "detect_anomaly enable_grad is_grad_enabled no_grad set_grad_enabled",
    "minigan.gradcheck": "gradcheck gradgradcheck",
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

__all__ = [
    "Generator", "NotInMinigan", "Tensor", "tensor", "from_numpy", "no_grad", "enable_grad", "is_grad_enabled",
    "set_grad_enabled", "manual_seed", "cat", "stack", "gradcheck", "gradgradcheck", "set_num_threads",
    "get_num_threads", "save", "load", "use_backend", "cupy_available", "detect_anomaly", "device", "accelerator",
    "backends", "Size", "inference_mode", "is_inference_mode_enabled", "empty_like", "autograd", "backend", "cuda",
    "functional", "nn", "optim", "attacks", "data", "gans", "metrics", "utils", "viz", "GradcheckError", "ShapeError",
    "GraphError", "AnomalyError", "BackendError", "IndexOutOfRange", "DomainError", "DtypeError", "bool", "float",
    "int", "double", "float16", "float32", "float64", "half", "int8", "int16", "int32", "int64", "long", "short",
    "uint8", "FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "ByteTensor", "BoolTensor", "zeros", "ones",
    "empty", "full", "zeros_like", "ones_like", "full_like", "rand", "randn", "rand_like", "randn_like", "randint",
    "randperm", "arange", "linspace", "eye", "is_tensor", "numel", "sum", "mean", "max", "min", "argmax", "argmin",
    "logsumexp", "norm", "abs", "exp", "log", "sqrt", "sign", "tanh", "sigmoid", "relu", "clamp", "clip", "softmax",
    "log_softmax", "matmul", "mm", "reshape", "flatten", "squeeze", "unsqueeze", "transpose", "permute", "where",
    "maximum", "minimum", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh",
    "log1p", "expm1", "exp2", "log2", "log10", "erf", "erfc", "erfinv", "reciprocal", "rsqrt", "floor", "ceil",
    "round", "trunc", "fix", "frac", "atan2", "hypot", "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh",
    "arctan2", "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "pow", "neg", "negative",
    "square", "std", "var", "t", "bmm", "lerp", "addmm", "outer", "ger", "dot", "clone", "detach", "chunk", "split",
    "narrow", "eq", "ne", "gt", "ge", "lt", "le", "greater", "greater_equal", "less", "less_equal", "not_equal",
    "isnan", "isinf", "isfinite", "logical_not", "logical_and", "logical_or", "logical_xor", "bitwise_and",
    "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift", "bitwise_right_shift", "all", "any", "isclose",
    "allclose", "equal", "count_nonzero", "masked_fill", "absolute", "addcdiv", "addcmul", "amax", "amin",
    "as_tensor", "asarray", "broadcast_to", "clamp_max", "clamp_min", "concat", "concatenate", "deg2rad", "e", "flip",
    "fliplr", "flipud", "floor_divide", "fmod", "hstack", "inf", "inner", "is_anomaly_enabled", "is_floating_point",
    "is_nonzero", "is_same_size", "logaddexp", "logit", "moveaxis", "movedim", "mv", "nan", "newaxis", "pi",
    "positive", "rad2deg", "ravel", "remainder", "row_stack", "rsub", "scalar_tensor", "swapaxes", "swapdims", "tril",
    "triu", "typename", "tile", "use_deterministic_algorithms", "are_deterministic_algorithms_enabled", "gather",
    "index_select", "argsort", "sort", "topk", "cumsum", "cumprod", "prod", "normal", "bernoulli", "multinomial",
    "var_mean", "std_mean", "nan_to_num", "diff", "roll", "einsum", "tensordot", "diag", "trace", "meshgrid", "cdist",
    "scatter", "scatter_add", "nonzero", "argwhere", "masked_select", "unique", "linalg", "repeat_interleave",
    "broadcast_tensors", "atleast_1d", "atleast_2d", "atleast_3d", "column_stack", "dstack", "rot90", "tensor_split",
    "hsplit", "vsplit", "dsplit", "unflatten", "index_add", "index_copy", "index_fill",
    "is_deterministic_algorithms_warn_only_enabled", "unbind", "vdot", "vstack", "xlogy", "kthvalue", "median",
    "quantile", "nansum", "nanmean", "cummax", "cummin", "logcumsumexp", "aminmax", "baddbmm", "addbmm", "addmv",
    "addr", "dist", "get_default_dtype", "default_generator", "bincount", "histc", "index_put", "take",
    "take_along_dim", "set_default_dtype", "set_printoptions",
    "abs_", "acos_", "acosh_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_", "arctanh_", "asin_",
    "asinh_", "atan_", "atanh_", "ceil_", "clamp_", "clamp_max_", "clamp_min_", "clip_", "cos_", "cosh_", "deg2rad_",
    "detach_", "erf_", "erfc_", "exp2_", "exp_", "expm1_", "fill_", "fix_", "floor_", "frac_", "index_put_",
    "log10_", "log1p_", "log2_", "log_", "logit_", "nan_to_num_", "neg_", "negative_", "rad2deg_", "reciprocal_",
    "relu_", "round_", "rsqrt_", "sigmoid_", "sin_", "sinh_", "sqrt_", "square_", "tan_", "tanh_", "trunc_",
    "xlogy_", "zero_", "histogram", "cross", "get_default_device", "set_default_device", "strided",
    "contiguous_format", "preserve_format", "range", "chain_matmul", "set_default_tensor_type", "dtype", "fmax", "fmin",
    "logspace",
]



def __getattr__(name):
    """``minigan.NAME``: import the surface, then the module that holds NAME, and keep the answer here."""
    if name.startswith("_"):  # a private module not imported yet (``from minigan import _dtype`` asks here first)
        raise AttributeError(f"module 'minigan' has no attribute {name!r}", name=name)
    _missing = importlib.import_module("minigan.surface.missing")
    _missing.NAMESPACES.setdefault("torch", importlib.import_module(__name__))  # (what its advice looks names up in)
    if name not in _NAMES and name not in _MODULES:  # a PyTorch name minigan lacks: what to use instead
        raise _missing.attribute_error("torch", name, importlib.import_module(__name__))
    importlib.import_module("minigan.surface.tensor")  # first: every tensor the engine makes is a minigan.Tensor
    if name in _MODULES:
        value = importlib.import_module(_MODULES[name])
    else:
        module = importlib.import_module(_NAMES[name])
        value = getattr(module, _RENAMED.get(name, name))
        short = _NAMES[name].rpartition(".")[2]
        if _NAMES.get(short) == _NAMES[name]:  # importing minigan/gradcheck.py set minigan.gradcheck to the module:
            globals()[short] = getattr(module, _RENAMED.get(short, short))  # the name is its function's
    globals()[name] = value  # the next look-up finds it without calling this function
    return value


def __dir__():
    return sorted({*globals(), *_NAMES, *_MODULES})
