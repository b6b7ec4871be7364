"""surface_programs.py's first half: what is never called and why, the surface (every public name's signature,
each argument's kind), and drawing a call's arguments and shapes that fit."""

import functools
import inspect
import math

import numpy as np

INF, NAN = math.inf, math.nan


# ----------------------------------------------------------------------------- what is not called, and why
# Names whose call changes the process (global state, files, threads) or cannot be compared: never drawn.
NOT_CALLED = {
    "set_default_dtype": "global state", "set_default_device": "global state", "manual_seed": "global state",
    "seed": "global state", "set_num_threads": "global state", "set_printoptions": "global state",
    "set_grad_enabled": "global state (drawn as a context and a decorator instead)", "set_rng_state": "global state",
    "use_deterministic_algorithms": "global state", "set_anomaly_enabled": "global state",
    "set_flush_denormal": "global state", "save": "files (docs/pytorch.md: minigan's own .npz checkpoint)",
    "load": "files (docs/pytorch.md: minigan's .npz checkpoints)", "backward": "the runner's own backward",
    "grad": "the runner's own autograd.grad", "register_hook": "takes a callable", "apply_": "takes a callable",
    "map_": "takes a callable", "data_ptr": "a memory address", "__repr__": "printing", "__str__": "printing",
    "__format__": "printing", "__hash__": "identity", "__dir__": "listing", "__sizeof__": "memory size",
    "__reduce_ex__": "pickling", "__deepcopy__": "copying protocol", "__setstate__": "pickling", "type": "a type name",
    "storage": "storage objects", "untyped_storage": "storage objects", "get_rng_state": "generator state",
    "initial_seed": "generator state", "get_default_dtype": "global state", "get_num_threads": "global state",
    "compile": "a compiler", "from_numpy": "takes an array", "asarray": "takes arbitrary data",
    "tensor": "takes arbitrary data", "as_tensor": "takes arbitrary data", "new_tensor": "takes arbitrary data",
    "element_size": "NumPy's itemsize", "is_pinned": "memory", "share_memory_": "memory", "pin_memory": "memory",
    "cuda": "device", "__array__": "NumPy protocol", "__array_wrap__": "NumPy protocol",
    "register_post_accumulate_grad_hook": "takes a callable", "set_": "storage",
}
# Random draws: the values are not comparable (docs/pytorch.md: manual_seed gives other numbers than PyTorch's);
# their dtype, shape, requires_grad and refusals are.
RANDOM = {"rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like", "normal", "bernoulli",
          "multinomial", "poisson", "dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
          "feature_alpha_dropout", "rrelu", "rrelu_", "uniform_", "normal_", "random_", "exponential_", "bernoulli_",
          "cauchy_", "log_normal_", "geometric_", "gumbel_softmax", "xavier_uniform_", "xavier_normal_",
          "kaiming_uniform_", "kaiming_normal_", "trunc_normal_", "orthogonal_", "sparse_", "dropout_",
          "alpha_dropout_", "feature_alpha_dropout_"}
# Values left unspecified on purpose (docs/pytorch.md, "Different on purpose": torch.empty returns zeros; and
# PyTorch's resize_ leaves the entries it adds uninitialised).
UNINITIALISED = {"empty", "empty_like", "new_empty", "empty_strided", "new_empty_strided", "resize_", "resize_as_"}

SHAPES = [(), (4,), (3, 4), (2, 3, 4), (1, 3), (3, 1), (2, 3, 4, 5), (2, 2, 5, 5), (0, 3), (5,), (4, 4)]
DTYPES = ["float64"] * 14 + ["int64"] * 3 + ["bool"] * 2 + ["float32"]
VIEWS = ["permute", "stride", "narrow", "expand", "t"]
GRAD_MODES = [None] * 10 + ["no_grad", "enable_grad", "set_grad_disabled", "inference_mode", "no_grad_fn",
                            "no_grad_gen", "enable_grad_gen", "set_grad_gen", "inference_gen", "enable_grad_fn"]
STRINGS = {"reduction": ["mean", "sum", "none"], "rounding_mode": [None, "trunc", "floor"],
           "approximate": ["none", "tanh"], "interpolation": ["linear", "lower", "higher", "midpoint", "nearest"],
           "indexing": ["ij", "xy"], "nonlinearity": ["relu", "leaky_relu", "tanh", "linear", "sigmoid", "selu"],
           "padding_mode": ["zeros", "reflection", "border"], "reduce": ["sum", "prod", "mean", "amax", "amin"],
           "side": ["left", "right"], "padding": ["same", "valid"], "p": ["fro"], "ord": ["fro", "nuc"],
           "norm_type": ["inf"], "correction": [], "dtype": []}
MODES = {"pad": ["constant", "reflect", "replicate", "circular"], "kaiming": ["fan_in", "fan_out"],
         "grid_sample": ["bilinear", "nearest", "bicubic"],
         "interp": ["nearest", "linear", "bilinear", "bicubic", "nearest-exact", "area"]}
SKIP_TYPES = ("Generator", "Layout", "Device", "MemoryFormat", "Storage", "Stream", "Dimname", "QScheme")
SKIP_NAMES = {"generator", "layout", "device", "pin_memory", "memory_format", "out", "names", "non_blocking",
              "requires_grad", "_stacklevel", "stacklevel", "inplace", "check_pinning", "foreach", "error_if_nonfinite",
              "path"}


# ----------------------------------------------------------------------------- the surface and its typed overloads
def _kind(type_text: str, name: str, default=inspect.Parameter.empty) -> str:
    """One of tensor, tensors, int, ints, float, scalar, bool, str, dtype, skip; an 'opt_' prefix: None allowed."""
    t = type_text.lower().replace("torch.", "").replace("typing.", "")
    optional = "optional" in t or "none" in t or default is None
    opt = "opt_" if optional else ""
    if name in SKIP_NAMES or any(s.lower() in t for s in SKIP_TYPES):
        return "skip"
    if name == "dtype" or "scalartype" in t or "dtype" in t:
        return "opt_dtype"
    if "tensor" in t:
        return "tensors" if ("list" in t or "tuple" in t or "sequence" in t or "[]" in t) else opt + "tensor"
    if "str" in t:
        return opt + "str"
    if ("list" in t or "tuple" in t or "broadcastinglist" in t or "sequence" in t or "[]" in t) and \
            ("int" in t or "float" in t):
        return opt + ("ints" if "int" in t else "floats")
    if "bool" in t:
        return opt + "bool"
    if "number" in t or "scalar" in t:
        return opt + "scalar"
    if "float" in t:
        return opt + "float"
    if "int" in t:
        return opt + "int"
    if default is not inspect.Parameter.empty and default is not None:
        return {bool: "bool", int: "int", float: "float", str: "str"}.get(type(default), "skip") \
            if not isinstance(default, (tuple, list)) else "ints"
    if name in ("input", "self", "other", "tensor", "weight", "bias", "target", "mask", "index", "src", "end", "a",
                "b"):  # (a, b: tensordot's, unannotated)
        return opt + "tensor"
    if name in ("tensors", "parameters", "operands", "args"):
        return "tensors"
    if name in ("dim", "k", "n", "dims", "diagonal"):
        return opt + "int"
    return "unknown"


class Arg:
    __slots__ = ("name", "kind", "kwonly", "required", "default", "varargs")

    def __init__(self, name, kind, kwonly, required, default=None, varargs=False):
        self.name, self.kind, self.kwonly, self.required, self.default = name, kind, kwonly, required, default
        self.varargs = varargs

    def __repr__(self):
        return f"{self.name}:{self.kind}{'' if self.required else '?'}{'*' if self.kwonly else ''}"


def _python_overload(fn, method):
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    params = list(sig.parameters.values())
    if method and params and params[0].name == "self":
        params = params[1:]
    names = [p.name for p in params]
    if not params or names in (["args", "kwargs"], ["args"], ["input", "args", "kwargs"]):
        return None
    args, private = [], False
    for p in params:
        if p.name.startswith("_"):  # (F.softmax's _stacklevel: the arguments after it are given by name)
            private = True
        if p.kind == p.VAR_KEYWORD or p.name.startswith("_"):
            continue
        ann = p.annotation if p.annotation is not p.empty else ""
        ann = ann if isinstance(ann, str) else str(ann)
        kind = _kind(ann, p.name, p.default)
        if p.kind == p.VAR_POSITIONAL:
            kind = "tensors" if p.name in ("tensors", "args", "operands", "inputs") and kind != "ints" else "ints"
            args.append(Arg(p.name, kind, False, True, varargs=True))
            continue
        args.append(Arg(p.name, kind, p.kind == p.KEYWORD_ONLY or private, p.default is p.empty,
                        None if p.default is p.empty else p.default))
    return args


def _aten_overloads(name, space):
    import torch

    candidates = [name, name.lstrip("_")]
    if space == "torch.linalg":
        candidates = ["linalg_" + name]
    if name == "logsigmoid":
        candidates = ["log_sigmoid"]
    out = []
    for cand in candidates:
        for s in torch._C._jit_get_schemas_for_operator("aten::" + cand):
            if "out" in s.overload_name or any("Dimname" in str(a.type) or a.name in ("out", "names")
                                               for a in s.arguments) or s.is_mutable and not name.endswith("_"):
                continue
            args = []
            for i, a in enumerate(s.arguments):
                if i == 0 and a.name == "self" and space == "torch.Tensor":
                    continue
                default = a.default_value if a.has_default_value() else None
                args.append(Arg(a.name, _kind(str(a.type), a.name), a.kwarg_only, not a.has_default_value(),
                                default))
            out.append(args)
        if out:
            break
    return out


@functools.lru_cache(maxsize=1)
def catalog() -> tuple:
    """(space, name, is a method, overloads) for every callable name minigan shares with PyTorch (the survey's
    pairs), sorted; each overload a list of Args.  Names never called are left out (NOT_CALLED says why)."""
    from pytorch import signature_survey

    entries = []
    for space, name, t, _m, method in signature_survey.pairs():
        if name in NOT_CALLED or (name.startswith("__") and name not in DUNDERS):
            continue
        py = _python_overload(t, method)
        if py is None and space == "torch.nn.init" and not name.endswith("_"):  # (a deprecated alias, normal for
            import torch  # normal_, wraps *args: the in-place function's signature is its own, not torch.normal's)

            py = _python_overload(getattr(torch.nn.init, name + "_", t), method)
        overloads = [py] if py is not None else _aten_overloads(name, space)
        if not overloads:
            overloads = [[]]  # (no schema: the casts x.double(), x.long()... take no argument)
        entries.append((space, name, method, overloads))
    return tuple(sorted(entries, key=lambda e: (e[0], e[1])))


DUNDERS = {"__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
           "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__matmul__", "__rmatmul__",
           "__neg__", "__pos__", "__abs__", "__invert__", "__and__", "__or__", "__xor__", "__lshift__", "__rshift__",
           "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__getitem__", "__setitem__", "__iadd__",
           "__isub__", "__imul__", "__itruediv__", "__len__", "__bool__", "__float__", "__int__", "__index__",
           "__contains__", "__rand__", "__ror__", "__rxor__", "__ipow__", "__ifloordiv__", "__imod__"}


# ----------------------------------------------------------------------------- drawing a program
class Draw:
    """Draws one program's plan from a seed: plain data, the same for both libraries."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.tensors = []  # specs: dict(values, dtype, rg, view, prep)

    def pick(self, seq):
        return seq[int(self.rng.integers(len(seq)))]

    def p(self, prob):
        return bool(self.rng.random() < prob)

    def values(self, shape, dtype, special=True, low=None, high=None):
        if low is not None:
            return self.rng.integers(low, max(high, low + 1), size=shape).astype(np.int64)
        if dtype == "bool":
            return self.rng.random(shape) < 0.5
        if dtype.startswith("int"):
            return self.rng.integers(-3, 5, size=shape).astype(np.int64)
        v = np.round(self.rng.standard_normal(shape) * 1.5, 3)
        if special and v.size and self.p(0.3):
            flat = v.reshape(-1)
            for _ in range(int(self.rng.integers(1, 3))):
                flat[int(self.rng.integers(flat.size))] = self.pick([NAN, INF, -INF, 0.0, NAN])
        return v

    def tensor(self, shape=None, dtype=None, rg=None, view=None, special=True, low=None, high=None):
        """A tensor spec (its index, as ('T', i)); ``view`` None: drawn."""
        dtype = dtype or self.pick(DTYPES)
        shape = tuple(shape if shape is not None else self.pick(SHAPES))
        floating = dtype.startswith("float")
        rg = (self.p(0.6) if rg is None else rg) and floating
        if view is None:
            view = self.pick(VIEWS) if self.p(0.3) and len(shape) >= 1 and low is None else ""
        base_shape, how = shape, None
        if view == "permute" and len(shape) >= 2:
            perm = tuple(int(i) for i in self.rng.permutation(len(shape)))
            base_shape = tuple(shape[perm.index(i)] for i in range(len(shape)))
            how = ("permute", perm)
        elif view == "t" and len(shape) == 2:
            base_shape, how = (shape[1], shape[0]), ("t",)
        elif view == "stride" and shape:
            d = int(self.rng.integers(len(shape)))
            base_shape = shape[:d] + (2 * shape[d],) + shape[d + 1:]
            how = ("slice", d, 0, None, 2)
        elif view == "narrow" and shape:
            d = int(self.rng.integers(len(shape)))
            base_shape = shape[:d] + (shape[d] + 2,) + shape[d + 1:]
            how = ("slice", d, 1, shape[d] + 1, 1)
        elif view == "expand" and shape and shape[0] > 1:
            base_shape, how = (1,) + shape[1:], ("expand", shape)
        self.tensors.append({"values": self.values(base_shape, dtype, special, low, high), "dtype": dtype, "rg": rg,
                             "view": how, "prep": None})
        return ("T", len(self.tensors) - 1)

    def shape(self, ref):
        spec = self.tensors[ref[1]]
        shape = spec["values"].shape
        how = spec["view"]
        if how is None:
            return tuple(shape)
        if how[0] == "permute":
            return tuple(shape[i] for i in how[1])
        if how[0] == "t":
            return (shape[1], shape[0])
        if how[0] == "slice":
            return tuple(len(range(shape[how[1]])[slice(*how[2:])]) if i == how[1] else s for i, s in enumerate(shape))
        return tuple(how[1])


def _broadcastable(d, shape):
    r = d.rng.random()
    if r < 0.45 or not shape:
        return shape
    if r < 0.65:
        return shape[int(d.rng.integers(len(shape) + 1)):]
    if r < 0.8:
        return tuple(1 if d.p(0.5) else s for s in shape)
    return d.pick(SHAPES)


def _scalar(d, name, integer=False):
    pool = [2, -1, 0, 3] if integer else [0.5, -1.5, 2, 0, 1e3, NAN, INF, -INF, 1.25, 0.1]
    v = d.pick(pool)
    r = d.rng.random()
    if r < 0.25:  # NumPy scalars are numbers
        return ("np", "int64" if isinstance(v, int) else d.pick(["float64", "float32"]), v)
    if r < 0.3 and not integer:
        return ("np", "int64", 2)
    return v


def _dims(d, nd, how_many=None):
    nd = max(nd, 1)
    k = how_many if how_many is not None else int(d.rng.integers(1, nd + 1))
    dims = [int(x) for x in d.rng.permutation(nd)[:k]]
    return [x - nd if d.p(0.3) else x for x in dims]


def draw_arg(d, fname, a, primary):
    """One argument's value for ``a`` (an Arg), ``primary`` the spec ref of the first tensor (or None)."""
    shape = d.shape(primary) if primary is not None else d.pick(SHAPES)
    nd = len(shape)
    kind = a.kind.replace("opt_", "")
    name = a.name
    if a.kind.startswith("opt_") and d.p(0.15) and not a.required:
        return None
    if kind == "tensor":
        if name in ("index", "indices") or "index" in fname and name not in ("input", "self", "src", "source",
                                                                             "value", "values"):
            size = max(shape[0] if shape else 1, 1)
            ishape = shape if "gather" in fname or "scatter" in fname else (int(d.rng.integers(1, 4)),)
            return d.tensor(ishape, "int64", view="", low=-1 if d.p(0.1) else 0, high=size)
        if name in ("mask", "condition"):
            return d.tensor(_broadcastable(d, shape), "bool", view="")
        if name == "target" and ("nll" in fname or "cross_entropy" in fname or "multi_margin" in fname):
            return d.tensor(shape[:1] + shape[2:], "int64", view="", low=0, high=(shape[1] if nd > 1 else 3))
        if name in ("min", "max", "weight", "bias", "other", "end", "exponent", "tensor1", "tensor2", "target",
                    "src", "source", "value", "values", "mat2", "vec", "vec2", "input2", "x2", "grad_output"):
            dtype = "float64" if d.p(0.8) else d.pick(["int64", "bool", "float32"])
            return d.tensor(_broadcastable(d, shape), dtype)
        return d.tensor()
    if kind == "tensors":
        n = int(d.rng.integers(1, 4))
        same = d.p(0.7)
        return ["list"] + [d.tensor(shape if same else None, "float64" if d.p(0.85) else None) for _ in range(n)]
    if kind == "int":
        if name in ("dim", "dim0", "dim1", "dim2", "start_dim", "end_dim", "source", "destination", "axis", "axis0",
                    "axis1"):
            top = max(nd, 1)
            return int(d.rng.integers(-top - (1 if d.p(0.05) else 0), top + (1 if d.p(0.05) else 0)))
        if name in ("k",):
            return int(d.rng.integers(0, (shape[-1] if shape else 1) + 1))
        if name in ("diagonal", "offset", "shifts"):
            return int(d.rng.integers(-2, 3))
        if name == "num_classes":
            return d.pick([-1, 5])
        if name in ("dtype",):
            return None
        return int(d.rng.integers(0 if d.p(0.1) else 1, 4))
    if kind in ("ints", "floats"):
        if name in ("dim", "dims", "axis", "perm", "source", "destination"):
            if name == "perm" or ("permute" in fname and name == "dims"):
                return [int(x) for x in d.rng.permutation(max(nd, 1))]
            return _dims(d, nd)
        if name in ("size", "shape", "sizes"):
            if "reshape" in fname or "view" in fname:
                if d.p(0.5):
                    return [-1]
                return [int(np.prod(shape))] if d.p(0.5) else list(reversed(shape)) or [1]
            if "expand" in fname:
                return [2] + list(shape) if d.p(0.5) else list(shape) or [1]
            return list(d.pick([(2, 3), (4,), (3, 4), (2, 2, 5, 5)]))
        if name in ("repeats", "reps"):
            return [int(d.rng.integers(1, 3)) for _ in range(max(nd, 1))]
        if name == "pad":
            return [int(d.rng.integers(0, 3)) for _ in range(2 * int(d.rng.integers(1, 3)))]
        if name in ("scale_factor", "scale_factors"):
            return d.pick([2, 1.5, 0.5, [2, 2]])
        if kind == "floats":
            return [float(d.pick([0.5, 1.0, 2.0])) for _ in range(int(d.rng.integers(1, 3)))]
        return [int(d.rng.integers(1, 4)) for _ in range(int(d.rng.integers(1, 3)))]
    if kind in ("float", "scalar"):
        if name == "p" and ("dropout" in fname or "bernoulli" in fname):
            return d.pick([0.0, 0.5, 1.0, 0.3])
        if name == "p":
            return d.pick([1, 2, 0.5, INF, -INF, 3, 0, ("np", "float64", 2.0), ("np", "int64", 1)])
        if name in ("eps",):
            return d.pick([1e-5, 0.1, ("np", "float64", 1e-3)])
        if name in ("q",):
            return d.pick([0.5, 0.25, 1.0, 1.5, ("np", "float64", 0.75)])
        return _scalar(d, name, integer=kind == "int")
    if kind == "bool":
        return d.pick([True, False])  # (a NumPy bool is refused by PyTorch's C functions: not drawn)
    if kind == "dtype":
        return d.pick([None, ("dtype", "float64"), ("dtype", "float32"), ("dtype", "int64"), ("dtype", "bool")])
    if kind == "str":
        if name == "equation":
            return _equation(d, nd)
        if name == "mode":
            key = next((k for k in MODES if k in fname), "interp" if "interp" in fname or "upsample" in fname else "")
            return d.pick(MODES[key]) if key else a.default
        choices = STRINGS.get(name)
        return d.pick(choices) if choices else a.default
    return a.default


def _equation(d, nd):
    letters = "ijkl"[:nd]
    out = "".join(letters[i] for i in d.rng.permutation(nd)) if d.p(0.5) else letters[:max(nd - 1, 0)]
    if nd >= 2 and d.p(0.2):
        letters = letters[0] * 2 + letters[2:]
        out = letters[0]
    return f"{letters}->{out}"


# ----------------------------------------------------------------------------- shape-coherent draws
# Drawn one by one, the tensors of an op whose arguments must agree in shape (mm's (n, k) and (k, m), a convolution's
# input and weight, a norm's normalized_shape) almost never agree, and both libraries refuse: the computing path is
# never compared.  For the names below, one program in two has its shapes (and the arguments tied to them: stride,
# groups, normalized_shape, an index's range, a size) drawn to agree by the rule in SHAPE_COHERENT.  A rule returns,
# for each argument it fixes, a Shaped tensor (the drawn tensor redrawn at that shape, its dtype, view, NaN and ±∞,
# requires_grad and in-place preparation as drawn), or a plain value (replacing the drawn one; Given(v): added by
# name where it was left out).  Its draws come from a stream of their own, after the program's: every other draw,
# and the other half of these names' programs, are what they were.
class Shaped:
    """A tensor argument of this shape; ``low``/``high``: int64 values in [low, high) (indices, classes);
    ``unit``: values in [0, 1] (probabilities); ``positive``: |values| (a running variance); ``floating``: float64
    where the draw gave an integer or bool dtype (binary_cross_entropy's target, drawn as a class index)."""

    def __init__(self, shape, low=None, high=None, unit=False, positive=False, floating=False):
        self.shape, self.low, self.high, self.unit, self.positive = tuple(shape), low, high, unit, positive
        self.floating = floating


class Given:
    """A value the rule sets even where the draw left the argument out (interpolate's size or scale_factor)."""

    def __init__(self, value):
        self.value = value


def _n(d, low=1):
    """A small size: 0 one time in twenty (an empty operand), else low to 4."""
    return 0 if low == 0 or d.p(0.05) else int(d.rng.integers(low, 5))


def _bcast(d, shape, exact=False):
    """``shape``, or a shape that broadcasts to it (a self that addmm, baddbmm, addr add to)."""
    return shape if exact or d.p(0.5) else d.pick([shape[1:], tuple(1 if d.p(0.5) else s for s in shape), ()])


def _ints(d, values):
    """Per-dim values as a list, or one int where they are all equal (PyTorch takes both)."""
    return values[0] if len(set(values)) == 1 and d.p(0.5) else list(values)


def _batch(d, shape, unbatched=0.15):
    """(N,) + shape, or shape alone (an unbatched input) one time in seven."""
    return shape if d.p(unbatched) else (_n(d),) + shape


def _window(d, g, nd, conv=True, transposed=False):
    """Kernel, stride, padding, dilation per dim that fit (kernel within the padded input; pools: padding at most
    half the kernel; transposed: padding that leaves an output), and an input extent per dim."""
    k = [int(d.rng.integers(1, 4)) for _ in range(nd)]
    s = [int(d.rng.integers(1, 3)) for _ in range(nd)] if "stride" in g else [1] * nd
    dil = [int(d.rng.integers(1, 3)) for _ in range(nd)] if "dilation" in g else [1] * nd
    if isinstance(g.get("padding"), str):  # ('same' takes stride 1 only; 'valid' any)
        s = [1] * nd if g["padding"] == "same" else s
        p = [0] * nd
    elif "padding" not in g:
        p = [0] * nd
    else:
        top = [2] * nd if conv and not transposed else \
            [dil[i] * (k[i] - 1) // 2 if transposed else k[i] // 2 for i in range(nd)]
        p = [int(d.rng.integers(0, t + 1)) for t in top]
    extent = [max(dil[i] * (k[i] - 1) + 1 - 2 * p[i], 1) + int(d.rng.integers(0, 4)) for i in range(nd)]
    return k, s, p, dil, extent


def _conv(nd, transposed=False):
    def rule(d, g):
        groups = d.pick([1, 2, 3]) if "groups" in g else 1
        cin, cout = groups * d.pick([1, 2]), groups * d.pick([1, 2, 3])
        k, s, p, dil, extent = _window(d, g, nd, transposed=transposed)
        out = {"input": Shaped(_batch(d, (cin, *extent))), "bias": Shaped((cout,)), "groups": groups,
               "weight": Shaped((cin, cout // groups, *k) if transposed else (cout, cin // groups, *k)),
               "stride": _ints(d, s), "dilation": _ints(d, dil)}
        if not isinstance(g.get("padding"), str):
            out["padding"] = _ints(d, p)
        if transposed:  # (output_padding below the stride or the dilation)
            out["output_padding"] = _ints(d, [int(d.rng.integers(0, max(s[i], dil[i]))) for i in range(nd)])
        return out
    return rule


def _pool(nd, dilation=True):
    def rule(d, g):
        k, s, p, dil, extent = _window(d, g, nd, conv=False)
        return {"self": Shaped(_batch(d, (_n(d), *extent))), "input": Shaped(_batch(d, (_n(d), *extent))),
                "kernel_size": _ints(d, k), "stride": _ints(d, s), "padding": _ints(d, p),
                **({"dilation": _ints(d, dil)} if dilation else {})}
    return rule


def _adaptive(nd):
    def rule(d, g):
        x = Shaped(_batch(d, (_n(d), *[_n(d) for _ in range(nd)])))
        return {"self": x, "input": x, "output_size": _ints(d, [int(d.rng.integers(1, 4)) for _ in range(nd)])}
    return rule


def _products(shapes):
    """A rule for a product whose operands are sized by letters: {'self': 'nk', 'mat2': 'km'}; '+self': the
    shape or one that broadcasts to it; '=self': that shape exactly (an in-place self)."""
    def rule(d, g):
        size = {c: _n(d) for c in "bnkm"}
        out = {}
        for arg, letters in shapes.items():
            shape = tuple(size[c] for c in letters.lstrip("+="))
            out[arg] = Shaped(_bcast(d, shape) if letters[0] == "+" else shape)
        return out
    return rule


def _matmul(d, g):
    n, k, m, b = _n(d), _n(d), _n(d), _n(d)
    a, o = d.pick([((k,), (k,)), ((n, k), (k,)), ((k,), (k, m)), ((n, k), (k, m)), ((b, n, k), (k, m)),
                   ((b, n, k), (b, k, m)), ((n, k), (b, k, m)), ((2, 1, n, k), (b, k, m))])
    return {"self": Shaped(a), "other": Shaped(o), "input": Shaped(a)}


def _inner(d, g):
    k = _n(d)
    return {"self": Shaped(d.pick([(), (2,), (2, 3)]) + (k,)), "other": Shaped(d.pick([(), (3,), (1, 2)]) + (k,))}


def _cross(d, g):
    shape = list(d.pick([(3,), (2, 3), (3, 4), (2, 3, 4), (4, 2, 3)]))
    at = shape.index(3)
    return {"self": Shaped(shape), "input": Shaped(shape), "other": Shaped(_bcast(d, tuple(shape))),
            "dim": at - len(shape) if d.p(0.3) else at}


def _linear(d, g):
    i, o = _n(d), _n(d)
    return {"input": Shaped(d.pick([(), (3,), (2, 3)]) + (i,)), "weight": Shaped(d.pick([(o, i), (i,)])),
            "bias": Shaped(d.pick([(o,), ()]))}


def _cdist(d, g):
    batch, m = d.pick([(), (2,)]), _n(d)
    return {"x1": Shaped(batch + (_n(d), m)), "x2": Shaped(batch + (_n(d), m))}


def _batch_norm(d, g):
    c = _n(d)
    stats = Shaped((c,))
    return {"input": Shaped((_n(d), c) + d.pick([(), (3,), (2, 3)])), "running_mean": stats,
            "running_var": Shaped((c,), positive=True), "weight": stats, "bias": stats}


def _instance_norm(d, g):
    c = _n(d)
    stats = Shaped((c,))
    return {"input": Shaped((_n(d), c) + d.pick([(3,), (2, 3), (1,)])), "running_mean": stats,
            "running_var": Shaped((c,), positive=True), "weight": stats, "bias": stats}


def _layer_norm(d, g):
    shape = d.pick([(4,), (3, 4), (2, 3, 4), (2, 1, 3)])
    last = shape[len(shape) - int(d.rng.integers(1, len(shape) + 1)):]
    return {"input": Shaped(shape), "normalized_shape": list(last), "weight": Shaped(last), "bias": Shaped(last)}


def _group_norm(d, g):
    groups, per = int(d.rng.integers(1, 4)), int(d.rng.integers(1, 3))
    c = groups * per
    return {"input": Shaped((_n(d), c) + d.pick([(), (3,), (2, 3)])), "num_groups": groups, "weight": Shaped((c,)),
            "bias": Shaped((c,))}


def _embedding(d, g):
    v, dim = int(d.rng.integers(1, 6)), _n(d)
    out = {"input": Shaped(d.pick([(3,), (2, 3), (), (0,)]), low=0, high=v), "weight": Shaped((v, dim))}
    if g.get("padding_idx") is not None:
        out["padding_idx"] = int(d.rng.integers(-v, v))
    return out


def _one_hot(d, g):
    classes = g.get("num_classes")
    high = classes if isinstance(classes, int) and classes > 0 else 5
    return {"self": Shaped(d.pick([(4,), (2, 3), ()]), low=0, high=high)}


def _unfold_windows(d, g):  # F.unfold: blocks of a 4-D (or unbatched 3-D) input
    k, s, p, dil, extent = _window(d, {"stride": 1, "padding": 1, "dilation": 1}, 2, conv=False)
    return {"input": Shaped(_batch(d, (_n(d), *extent))), "kernel_size": _ints(d, k), "stride": _ints(d, s),
            "padding": _ints(d, p), "dilation": _ints(d, dil)}


def _fold(d, g):
    k, s, p, dil, extent = _window(d, {"stride": 1, "padding": 1, "dilation": 1}, 2, conv=False)
    blocks = int(np.prod([(extent[i] + 2 * p[i] - dil[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2)]))
    return {"input": Shaped(_batch(d, (_n(d) * k[0] * k[1], blocks))), "output_size": _ints(d, extent),
            "kernel_size": _ints(d, k), "stride": _ints(d, s), "padding": _ints(d, p), "dilation": _ints(d, dil)}


def _interpolate(d, g, mode=None):
    mode = mode or g.get("mode") or "nearest"
    nd = {"linear": 1, "bilinear": 2, "bicubic": 2}.get(mode, d.pick([1, 2]))
    x = Shaped((_n(d), _n(d)) + tuple(_n(d) for _ in range(nd)))
    out = {"input": x, "antialias": False}
    if d.p(0.5):
        out.update(size=Given(_ints(d, [int(d.rng.integers(1, 6)) for _ in range(nd)])), scale_factor=None,
                   recompute_scale_factor=None)
    else:
        out.update(size=None, scale_factor=Given(d.pick([2, 1.5, 0.5, 3] + ([[2, 0.5]] if nd == 2 else []))))
    if mode not in ("linear", "bilinear", "bicubic"):
        out["align_corners"] = None
    return out


def _attention(d, g):
    heads, n, L, S, E, Ev = d.pick([(), (2,)]), _n(d), _n(d), _n(d), _n(d), _n(d)
    out = {"query": Shaped((n, *heads, L, E)), "key": Shaped((n, *heads, S, E)), "value": Shaped((n, *heads, S, Ev)),
           "attn_mask": Shaped(d.pick([(L, S), (n, *heads, L, S), (1, S)]))}
    if g.get("attn_mask") is not None:
        out["is_causal"] = False
    return out


VECTOR, MATRIX = [0.5, 1, 2, 3, INF, -INF, 0, -1], [1, -1, 2, -2, INF, -INF]


def _linalg_norm(d, g):
    ord_ = g.get("ord")
    matrix = isinstance(ord_, str) or d.p(0.5)
    shape = d.pick([(3, 4), (2, 3, 4), (0, 3)] if matrix else [(4,), (3, 4), (2, 3, 4)])
    dims = [int(x) for x in d.rng.permutation(len(shape))[:2 if matrix else 1]]
    out = {"self": Shaped(shape), "dim": dims if "dim" in g or len(shape) > (2 if matrix else 1) else None}
    if not isinstance(ord_, str) and ord_ is not None:
        out["ord"] = d.pick(MATRIX if matrix else VECTOR)
    return out


def _matrix_norm(d, g):
    shape = d.pick([(3, 4), (2, 3, 4), (4, 4)])
    out = {"self": Shaped(shape), "dim": [int(x) for x in d.rng.permutation(len(shape))[:2]]}
    if not isinstance(g.get("ord"), str):
        out["ord"] = d.pick(MATRIX)
    return out


def _pixel_shuffle(d, g):
    r = int(d.rng.integers(1, 4))
    return {"self": Shaped((_n(d), _n(d) * r * r, _n(d), _n(d))), "upscale_factor": r}


def _pixel_unshuffle(d, g):
    r = int(d.rng.integers(1, 4))
    return {"self": Shaped((_n(d), _n(d), _n(d) * r, _n(d) * r)), "downscale_factor": r}


def _pairs(first, *others, unit=False):
    """A rule for a loss or a distance whose tensors share one shape."""
    def rule(d, g):
        shape = d.pick([(4,), (3, 4), (2, 3, 4), (0, 3), ()])
        out = {first: Shaped(shape, unit=unit)}
        out.update({name: Shaped(shape, unit=unit, floating=True) for name in others})
        out["weight"] = Shaped(_bcast(d, shape))
        if "pos_weight" in g:
            out["pos_weight"] = Shaped(shape[-1:])
        return out
    return rule


def _unflatten(d, g):
    shape = d.pick([(6,), (4, 6), (2, 12)])
    dim = int(d.rng.integers(len(shape)))
    sizes = d.pick([[1, shape[dim]], [shape[dim] // 2, 2], [-1, 2], [shape[dim]]])
    return {"self": Shaped(shape), "dim": dim, "sizes": sizes}


SHAPE_COHERENT = {
    "mm": _products({"self": "nk", "mat2": "km"}), "bmm": _products({"self": "bnk", "mat2": "bkm"}),
    "addmm": _products({"self": "+nm", "mat1": "nk", "mat2": "km"}),
    "addmm_": _products({"self": "=nm", "mat1": "nk", "mat2": "km"}),
    "baddbmm": _products({"self": "+bnm", "batch1": "bnk", "batch2": "bkm"}),
    "addbmm": _products({"self": "+nm", "batch1": "bnk", "batch2": "bkm"}),
    "mv": _products({"self": "nm", "vec": "m"}), "addmv": _products({"self": "+n", "mat": "nm", "vec": "m"}),
    "addr": _products({"self": "+nm", "vec1": "n", "vec2": "m"}),
    "dot": _products({"self": "n", "tensor": "n"}), "vdot": _products({"self": "n", "other": "n"}),
    "outer": _products({"self": "n", "vec2": "m"}), "ger": _products({"self": "n", "vec2": "m"}),
    "matmul": _matmul, "inner": _inner, "cross": _cross, "linear": _linear, "cdist": _cdist,
    "conv1d": _conv(1), "conv2d": _conv(2), "conv_transpose1d": _conv(1, True), "conv_transpose2d": _conv(2, True),
    "avg_pool1d": _pool(1, dilation=False), "avg_pool2d": _pool(2, dilation=False), "max_pool1d": _pool(1),
    "max_pool2d": _pool(2), "adaptive_avg_pool1d": _adaptive(1), "adaptive_avg_pool2d": _adaptive(2),
    "adaptive_max_pool1d": _adaptive(1), "adaptive_max_pool2d": _adaptive(2),
    "batch_norm": _batch_norm, "instance_norm": _instance_norm, "layer_norm": _layer_norm, "rms_norm": _layer_norm,
    "group_norm": _group_norm, "embedding": _embedding, "one_hot": _one_hot, "fold": _fold,
    "torch.nn.functional.unfold": _unfold_windows,
    "interpolate": _interpolate, "upsample": _interpolate,
    "upsample_nearest": functools.partial(_interpolate, mode="nearest"),
    "upsample_bilinear": functools.partial(_interpolate, mode="bilinear"),
    "scaled_dot_product_attention": _attention, "torch.linalg.norm": _linalg_norm,
    "matrix_norm": _matrix_norm, "pixel_shuffle": _pixel_shuffle, "pixel_unshuffle": _pixel_unshuffle,
    "binary_cross_entropy": _pairs("input", "target", unit=True),
    "binary_cross_entropy_with_logits": _pairs("input", "target"),
    "triplet_margin_loss": _pairs("anchor", "positive", "negative"), "unflatten": _unflatten,
}


def _coherent_rule(space, name):
    return SHAPE_COHERENT.get(f"{space}.{name}") or SHAPE_COHERENT.get(name)


def _redraw(d, ref, want):
    """Tensor spec ``ref`` (or a new one, where the draw gave no tensor) redrawn at ``want``'s shape."""
    old = d.tensors[ref[1]] if ref is not None else {"dtype": "float64", "rg": d.p(0.6), "view": None, "prep": None}
    how = old["view"]
    view = "" if how is None else {"slice": "stride" if how[-1] == 2 else "narrow"}.get(how[0], how[0])
    dtype = "int64" if want.low is not None else \
        "float64" if want.floating and not old["dtype"].startswith("float") else old["dtype"]
    new = d.tensor(want.shape, dtype, old["rg"], view, low=want.low, high=want.high)
    spec = d.tensors.pop()
    if want.unit:
        spec["values"] = np.round(d.rng.random(spec["values"].shape), 3).astype(spec["values"].dtype)
    if want.positive:
        spec["values"] = np.abs(spec["values"])
    spec["prep"] = old["prep"]
    if ref is None:
        d.tensors.append(spec)
        return new
    d.tensors[ref[1]] = spec
    return ref


def _make_coherent(d, seed, program, slots, rule):
    """One program in two: the arguments ``rule`` names redrawn to agree (see SHAPE_COHERENT)."""
    d.rng = np.random.default_rng([seed, 65])  # (a stream of its own: the program's draws above are unchanged)
    if not d.p(0.5):
        return
    given = {n: (program["args"][i] if where == "pos" else program["kwargs"].get(i) if where == "kw"
                 else program["self"]) for n, (where, i, _a) in slots.items()}
    for arg, want in rule(d, given).items():
        if arg not in slots:
            if isinstance(want, Given):
                program["kwargs"][arg] = want.value
            continue
        where, i, a = slots[arg]
        value = want.value if isinstance(want, Given) else want
        if isinstance(want, Shaped):
            old = given[arg]
            if old is None and not a.required:
                continue  # (an optional tensor given as None stays None)
            value = _redraw(d, old if isinstance(old, tuple) and old[:1] == ("T",) else None, want)
        if where == "self":
            program["self"] = value
        elif where == "pos":
            program["args"][i] = value
        else:
            program["kwargs"][i] = value
