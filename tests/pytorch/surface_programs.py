"""Random programs drawn from the whole public surface, run under minigan and under PyTorch (float64 where floating).

A second generator, apart from tests/pytorch/random_programs.py (which mixes a fixed list of steps): each program here
calls
one public function or method picked among every name the signature survey (tests/pytorch/signature_survey.py) pairs
with
PyTorch's (``torch``, ``torch.Tensor``, ``torch.nn.functional``, ``torch.linalg``, ``torch.nn.init``,
``torch.nn.utils``, ``torch.autograd``), its arguments drawn from the types of one of PyTorch's overloads (the typed
schema of its ATen operator, or the annotations of a function written in Python): tensors of several shapes and
dtypes (float64, float32, int64, bool) holding NaN and ±∞, given as permuted, strided, expanded or sliced views,
tensors as bounds, weights and indices, dims in and out of range, Python and NumPy scalars, dtypes, strings from
each argument's choices.  An in-place method writes into a tensor that does not require grad (a fresh one, a clone
under no_grad, a ``detach_()``ed one) or a non-leaf that does, its operands requiring grad; a call may run under
``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``inference_mode``, as a context or as a decorator of a function
or of a generator.  Every differentiable result is then differentiated with ``create_graph=True``, and the gradients
again (second order).

Both runs are recorded and compared: exceptions (both raise or both succeed; minigan's exception is an instance of
the built-in class of PyTorch's), each result's values (NaN-aware: NaN and ±∞ in the same places), dtype, shape,
``requires_grad``, whether it shares memory with an input (a view) and whether ``flatten()`` of it is a view (its
layout, where a later view or write can tell), the inputs after the call (in-place ops), and the first- and
second-order gradients of every leaf that requires grad.  Differences PyTorch's documentation leaves open or
docs/pytorch.md lists as deliberate are counted under their named reason, never as agreement.

    python tests/pytorch/surface_programs.py --seeds 0:2000        # a summary by class; exits 1 when any differ
    python tests/pytorch/surface_programs.py --seeds 17:18 --show  # one program, and what differed
"""

from __future__ import annotations

import argparse
import functools
import inspect
import math
import re
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # (tests/: the survey is imported as pytorch.*)
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import minigan  # noqa: E402
from pytorch.oracle import fused_multiply_add, pytorch_older_than  # noqa: E402

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


def generate(seed: int) -> dict:
    """A program: the callable (space, name), its arguments as plain data, how the input is made and how the
    call runs."""
    d = Draw(seed)
    space, name, method, overloads = d.pick(catalog())
    args = d.pick(overloads)
    primary = None
    if method or (args and args[0].kind.replace("opt_", "") == "tensor" and not args[0].kwonly):
        primary = d.tensor()
    pos, kw = [], {}
    slots = {"self": ("self", None, None)} if method else {}  # (each argument's place: for SHAPE_COHERENT)
    by_name = d.p(0.2)
    for i, a in enumerate(args):
        if a.kind in ("skip", "unknown") and not a.required:
            by_name = True
            continue
        if i == 0 and not method and primary is not None:
            slots[a.name] = ("pos", len(pos), a)
            pos.append(primary)
            continue
        if not a.required and d.p(0.45):
            by_name = True  # (a default left out: the rest by name)
            continue
        value = draw_arg(d, name, a, primary)
        if a.varargs:
            pos.extend(value[1:] if isinstance(value, list) and value[:1] == ["list"] else
                       (value if isinstance(value, list) else [value]))
            continue
        if a.kwonly or by_name and a.name != "self":  # (PyTorch's functions call it input)
            slots[a.name] = ("kw", a.name, a)
            kw[a.name] = value
            by_name = True
        else:
            slots[a.name] = ("pos", len(pos), a)
            pos.append(value)
    if name == "einsum" and not method:  # (PyTorch's einsum(*args) takes no names: all by position)
        pos, kw = pos + [kw.pop(k) for k in ("equation", "tensors") if k in kw], kw
    prep = None
    if method and name.endswith("_") and not name.startswith("__") and primary is not None:
        prep = d.pick(["fresh", "clone", "detach_", "no_grad_clone", "clone"])
        d.tensors[primary[1]]["prep"] = prep
    program = {"seed": seed, "space": space, "name": name, "method": method, "self": primary, "args": pos,
               "kwargs": kw, "tensors": d.tensors, "mode": d.pick(GRAD_MODES), "weights_seed": seed}
    rule = _coherent_rule(space, name)
    if rule is not None:
        _make_coherent(d, seed, program, slots, rule)
    return program


# ----------------------------------------------------------------------------- running one
def _dtype(lib, name):
    return getattr(lib, name)


def _make(lib, spec):
    """(leaf, the tensor given to the call)."""
    leaf = lib.tensor(spec["values"], dtype=_dtype(lib, spec["dtype"]), requires_grad=spec["rg"])
    t = leaf
    how = spec["view"]
    if how is not None:
        if how[0] == "permute":
            t = t.permute(*how[1])
        elif how[0] == "t":
            t = t.t()
        elif how[0] == "slice":
            t = t[(slice(None),) * how[1] + (slice(*how[2:]),)]
        elif how[0] == "expand":
            t = t.expand(*how[1])
    prep = spec["prep"]
    if prep == "fresh":
        t = t.detach().clone()
    elif prep == "clone":
        t = t.clone()
    elif prep == "detach_":
        t = t.clone()
        t.detach_()
    elif prep == "no_grad_clone":
        with lib.no_grad():
            t = t.clone()
    return leaf, t


def _value(lib, v, made):
    if isinstance(v, tuple) and v and v[0] == "T":
        return made[v[1]][1]
    if isinstance(v, tuple) and v and v[0] == "np":
        return getattr(np, v[1])(v[2])
    if isinstance(v, tuple) and v and v[0] == "dtype":
        return getattr(lib, v[1])
    if isinstance(v, list) and v[:1] == ["list"]:
        return [_value(lib, x, made) for x in v[1:]]
    if isinstance(v, list):
        return [_value(lib, x, made) for x in v]
    return v


def _resolve(lib, space, name, target):
    if space == "torch.Tensor":
        return getattr(target, name)
    place = {"torch": lib, "torch.nn.functional": lib.nn.functional, "torch.linalg": lib.linalg,
             "torch.nn.init": lib.nn.init, "torch.nn.utils": lib.nn.utils, "torch.autograd": lib.autograd}[space]
    return getattr(place, name)


def _call_in_mode(lib, mode, call):
    if mode is None:
        return call()
    if mode == "no_grad":
        with lib.no_grad():
            return call()
    if mode == "enable_grad":
        with lib.no_grad(), lib.enable_grad():
            return call()
    if mode == "set_grad_disabled":
        with lib.set_grad_enabled(False):
            return call()
    if mode == "inference_mode":
        with lib.inference_mode():
            return call()
    if mode in ("no_grad_fn", "enable_grad_fn"):
        deco = lib.no_grad() if mode == "no_grad_fn" else lib.enable_grad()

        @deco
        def f():
            return call()

        if mode == "enable_grad_fn":
            with lib.no_grad():
                return f()
        return f()
    deco = {"no_grad_gen": lib.no_grad, "enable_grad_gen": lib.enable_grad, "set_grad_gen": lib.set_grad_enabled,
            "inference_gen": lib.inference_mode}[mode](*([False] if mode == "set_grad_gen" else []))
    # (made only when used: set_grad_enabled(False) turns grad mode off when it is made, as PyTorch's)

    @deco
    def gen():
        yield call()

    if mode == "enable_grad_gen":
        with lib.no_grad():
            return next(gen())
    return next(gen())


def _is_tensor(lib, x):
    return isinstance(x, lib.Tensor)


def _flat(lib, out):
    if _is_tensor(lib, out):
        return [out]
    if isinstance(out, (tuple, list)):
        return [t for x in out for t in _flat(lib, x)]
    return []


def _array(t):  # (force: PyTorch's zero gradients of a second order may be "ZeroTensors", which numpy() refuses)
    return np.array(t.detach().cpu().numpy(force=True), dtype=np.float64 if t.is_floating_point() else None)


def _shares(lib, a, b):
    if a.numel() == 0 or b.numel() == 0:
        return False
    if lib is minigan:
        return bool(np.shares_memory(a.detach().numpy(), b.detach().numpy()))
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


def _plain(x):
    """A non-tensor result as comparable plain data (numbers, bools, tuples of them), or its type's name."""
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, float, np.integer, np.floating)):
        return float(x)
    if isinstance(x, (tuple, list)) and all(isinstance(v, (int, float, bool, np.integer, np.floating)) for v in x):
        return tuple(float(v) for v in x)
    if x is None:
        return None
    return "other"


def _describe(lib, t, inputs):
    floating = t.is_floating_point()
    return {"values": _array(t), "dtype": str(t.dtype).split(".")[-1], "shape": tuple(t.shape),
            "requires_grad": bool(t.requires_grad), "floating": floating,
            "view_of": [k for k, x in enumerate(inputs) if _shares(lib, t, x)],
            "flatten_view": t.numel() > 1 and _shares(lib, t.flatten(), t) and t.ndim > 1}


def _weights(shape, k):
    n = int(np.prod(shape)) if shape else 1
    return (np.linspace(-1.0, 1.5, max(n, 1)) + 0.25 * k).reshape(shape) if n else np.zeros(shape)


def run(lib, program) -> dict:
    """Run ``program`` under ``lib`` (minigan or torch): the outcome and everything recorded, and whether grad
    mode was left on (a context or decorator that did not restore it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        record = _run(lib, program)
    record["grad_mode_after"] = lib.is_grad_enabled()
    if not record["grad_mode_after"]:
        lib.set_grad_enabled(True)
    return record


def _error(e, stage):
    return {"outcome": "raised", "stage": stage, "type": type(e), "error": f"{type(e).__name__}: {str(e)[:160]}"}


def _run(lib, program):
    made = [_make(lib, spec) for spec in program["tensors"]]
    inputs = [t for _, t in made]
    leaves = [leaf for leaf, _ in made if leaf.requires_grad]
    record = {"outcome": "ok"}
    try:
        target = made[program["self"][1]][1] if program["self"] is not None else None
        fn = _resolve(lib, program["space"], program["name"], target)
        args = [_value(lib, v, made) for v in program["args"]]
        kwargs = {k: _value(lib, v, made) for k, v in program["kwargs"].items()}
        out = _call_in_mode(lib, program["mode"], lambda: fn(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 - a refusal is recorded and compared
        return _error(e, "call")
    try:
        results = _flat(lib, out)
        record["plain"] = None if results else _plain(out)
        record["results"] = [_describe(lib, t, inputs) for t in results]
        record["inputs_after"] = [_describe(lib, t, []) for t in inputs]
        record["is_self"] = [r is target for r in results] if target is not None else []
    except Exception as e:  # noqa: BLE001
        return _error(e, "record")
    try:
        diff = [t for t in results if t.requires_grad and t.is_floating_point()]
        if program["self"] is not None and program["tensors"][program["self"][1]]["prep"] and \
                target.requires_grad and not any(t is target for t in diff):
            diff.append(target)
        targets = [x for x in leaves]
        record["first"], record["second"] = None, None
        if diff and targets:
            loss = sum((t * lib.tensor(_weights(tuple(t.shape), k), dtype=t.dtype)).sum() for k, t in enumerate(diff))
            grads = lib.autograd.grad(loss, targets, create_graph=True, allow_unused=True)
            record["first"] = [None if g is None else _array(g) for g in grads]
            live = [(k, g) for k, g in enumerate(grads) if g is not None and g.requires_grad]
            if live:
                s = sum((g * lib.tensor(_weights(tuple(g.shape), k + 3), dtype=g.dtype)).sum() for k, g in live)
                second = lib.autograd.grad(s, targets, allow_unused=True)
                record["second"] = [None if g is None else _array(g) for g in second]
    except Exception as e:  # noqa: BLE001
        return _error(e, "backward")
    return record


# ----------------------------------------------------------------------------- comparing two runs
def _builtin(exc_type):
    for t in exc_type.__mro__:
        if t.__module__ == "builtins":
            return t
    return Exception


def _same(a, b, rtol, atol, grads=False):
    """NaN-aware: NaN and ±∞ in the same places, finite values close.  For gradients, where both are non-finite
    the kind is not compared (docs/pytorch.md: an ∞ gradient through two formulas of one derivative)."""
    if a.shape != b.shape:
        return False
    if grads:
        fa, fb = np.isfinite(a), np.isfinite(b)
        return np.array_equal(fa, fb) and np.allclose(a[fa], b[fa], rtol=rtol, atol=atol)
    return np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True) if a.dtype.kind == "f" else np.array_equal(a, b)


def _zero_if_none(a, b):
    if a is None and b is not None:
        return np.zeros_like(b)
    return a


def differences(ours, theirs, program) -> list:
    """(what, detail) pairs: what differs between two records (empty: they agree)."""
    if ours["grad_mode_after"] != theirs["grad_mode_after"]:
        return [("grad mode", f"left {'on' if ours['grad_mode_after'] else 'off'} vs "
                              f"{'on' if theirs['grad_mode_after'] else 'off'}")]
    if ours["outcome"] != theirs["outcome"]:
        return [("outcome", f"minigan {ours.get('error', 'ran')} | PyTorch {theirs.get('error', 'ran')}")]
    if ours["outcome"] == "raised":
        if ours["stage"] != theirs["stage"]:
            return [("stage", f"minigan {ours['stage']} {ours['error']} | PyTorch {theirs['stage']} {theirs['error']}")]
        want = _builtin(theirs["type"])
        if not isinstance(ours["type"], type) or not issubclass(ours["type"], want):
            return [("exception type", f"minigan {ours['error']} | PyTorch {theirs['error']}")]
        return []
    found = []
    random = program["name"] in RANDOM or program["name"] in UNINITIALISED or program["space"] == "torch.nn.init" \
        and program["name"] not in ("constant_", "ones_", "zeros_", "eye_", "dirac_") or _attention_drops(program)
    f32 = any(spec["dtype"] == "float32" for spec in program["tensors"]) or "float32" in str(program["args"]) + \
        str(program["kwargs"]) or "'np'" in str(program["args"]) + str(program["kwargs"])
    rtol, atol = (1e-4, 1e-5) if f32 else (1e-7, 1e-9)
    numbers = all(isinstance(v, (float, tuple)) for v in (ours["plain"], theirs["plain"]))
    if ours["plain"] != theirs["plain"] and not (numbers and _same(np.array(ours["plain"], dtype=float),
                                                                   np.array(theirs["plain"], dtype=float), rtol, atol)):
        if not random:
            found.append(("value", f"{ours['plain']} vs {theirs['plain']}"))
    if len(ours["results"]) != len(theirs["results"]):
        return found + [("results", f"{len(ours['results'])} vs {len(theirs['results'])} tensors")]
    for key in ("results", "inputs_after"):
        for k, (a, b) in enumerate(zip(ours[key], theirs[key])):
            for field in ("dtype", "shape", "requires_grad"):
                if a[field] != b[field]:
                    found.append((field, f"{key}[{k}]: {a[field]} vs {b[field]}"))
            if key == "results":
                if a["view_of"] != b["view_of"]:
                    found.append(("view", f"results[{k}] shares memory with inputs {a['view_of']} vs {b['view_of']}"))
                if a["flatten_view"] != b["flatten_view"]:
                    found.append(("layout", f"results[{k}].flatten() is a view: {a['flatten_view']} vs "
                                            f"{b['flatten_view']}"))
            tol = (1e-4, 1e-5) if "float32" in (a["dtype"], b["dtype"]) or "float16" in a["dtype"] else (rtol, atol)
            if a["shape"] == b["shape"] and not random and not _same(a["values"], b["values"], *tol):
                found.append(("value", f"{key}[{k}]: {a['values'].ravel()[:5]} vs {b['values'].ravel()[:5]}"))
    if ours["is_self"] != theirs["is_self"]:
        found.append(("identity", f"result is the tensor written: {ours['is_self']} vs {theirs['is_self']}"))
    if random:
        return found
    for key in ("first", "second"):
        a_list, b_list = ours[key], theirs[key]
        if a_list is None and b_list is None:
            continue
        n = len(a_list or b_list)
        a_list, b_list = a_list or [None] * n, b_list or [None] * n
        for k, (a, b) in enumerate(zip(a_list, b_list)):
            a, b = _zero_if_none(a, b), _zero_if_none(b, a)
            if a is not None and not _same(a, b, rtol, atol, grads=True):
                found.append((f"{key}-order grad", f"leaf {k}: {a.ravel()[:5]} vs {b.ravel()[:5]}"))
    return found


# Differences docs/pytorch.md lists as deliberate: (test on the program and the difference, the documented reason).
def _attention_drops(program):
    """scaled_dot_product_attention with a dropout_p above 0 (keyword or fifth argument) draws its mask at random."""
    if program["name"] != "scaled_dot_product_attention":
        return False
    p = program["kwargs"].get("dropout_p", program["args"][4] if len(program["args"]) > 4 else 0.0)
    p = p[2] if isinstance(p, tuple) and p[:1] == ("np",) else p  # (a NumPy scalar, drawn as ("np", dtype, value))
    return isinstance(p, (int, float)) and p > 0


def _nan_argument(program):
    """A NaN among the numbers given (hardtanh's min_val or max_val), a Python float or a NumPy scalar."""
    numbers = [v[2] if isinstance(v, tuple) and v and v[0] == "np" else v
               for v in list(program["args"]) + list(program["kwargs"].values())]
    return any(isinstance(v, float) and v != v for v in numbers)


def _infinite_scale(program):
    """scaled_dot_product_attention given a scale of ±∞ (keyword or seventh argument; a float or a NumPy scalar)."""
    scale = program["kwargs"].get("scale", program["args"][6] if len(program["args"]) > 6 else None)
    scale = scale[2] if isinstance(scale, tuple) and scale[:1] == ("np",) else scale
    return program["name"] == "scaled_dot_product_attention" and isinstance(scale, float) and abs(scale) == np.inf


def _has(program, value):
    return any(np.any(np.isnan(s["values"])) if value == "nan" else np.any(np.isinf(s["values"]))
               for s in program["tensors"] if s["values"].dtype.kind == "f")


def _constant(values):
    """Whether an input holds one value in every entry (a constant sample, or one entry that a view expands)."""
    if values.size == 0 or values.dtype.kind != "f":
        return False
    return bool(np.all((values == values.flat[0]) & np.isfinite(values)))  # (finite: NaN and ±∞ are compared)


def _primary_dtype(p):
    return p["tensors"][p["self"][1]]["dtype"] if p["self"] is not None else \
        (p["tensors"][0]["dtype"] if p["tensors"] else "")


def _zero_d_mask_index(p):
    """Whether index_put's indices (a list of tensors) hold a 0-d bool tensor."""
    return p["name"] in ("index_put", "index_put_") and any(
        a[0] == "list" and any(isinstance(r, tuple) and r[0] == "T" and p["tensors"][r[1]]["dtype"] == "bool"
                               and p["tensors"][r[1]]["values"].ndim == 0 for r in a[1:])
        for a in list(p["args"]) + list(p["kwargs"].values()) if isinstance(a, list) and a)


def _number(program, name, position, default):
    """The number given as ``name`` (a keyword, or the argument at ``position``), a NumPy scalar read as its value."""
    args = program["args"]
    v = program["kwargs"].get(name, args[position] if len(args) > position else default)
    return v[2] if isinstance(v, tuple) and v and v[0] == "np" else v


def _matrices(t):
    """A tensor's values as the program's view shows them (an expanded row repeated), for a rank to be read."""
    view = t["view"]
    return np.broadcast_to(t["values"], view[1]) if view and view[0] == "expand" else t["values"]


def _rank_deficient(program):
    """Whether the input of a matrix norm is a float matrix (or batch) of rank below its smaller size."""
    t = program["tensors"][program["self"][1]] if program["self"] is not None else None
    if t is None or t["values"].dtype.kind != "f" or t["values"].ndim < 2 or t["values"].size == 0:
        return False
    a = _matrices(t)
    return bool(np.isfinite(a).all() and np.any(np.linalg.matrix_rank(a) < min(a.shape[-2:])))


def _bicubic_kept_by_scale(program):
    """interpolate/upsample in bicubic mode, align_corners False, whose scale_factor keeps both sizes (⌊n·s⌋ = n)."""
    t = program["tensors"][program["self"][1]] if program["self"] is not None else None
    mode, factor = _number(program, "mode", 3, "nearest"), _number(program, "scale_factor", 2, None)
    if t is None or mode != "bicubic" or _number(program, "align_corners", 4, None) or factor is None \
            or t["values"].ndim != 4:
        return False
    factors = [_number({"args": [], "kwargs": {"f": f}}, "f", 0, None) for f in factor] \
        if isinstance(factor, (list, tuple)) and not (factor and factor[0] == "np") else [factor] * 2
    n = _matrices(t).shape[2:]
    return all(isinstance(f, (int, float)) for f in factors) and len(factors) == 2 and factors != [1, 1] \
        and all(int(k * f) == k for k, f in zip(n, factors))


def _outcome(d, who):
    """Whether the outcome difference is '<who> ran' (minigan or PyTorch)."""
    return f"{who} ran" in d


def _float32_cancellation(program):
    """Whether minigan's second-order gradients of the program run in float64 are PyTorch's float32 ones (within
    float32's tolerance): its derivative is right, and its float32 value is rounding where terms cancel (vector_norm
    with 0 < p < 1 of equal entries, whose second derivative is 0 in exact arithmetic: surface seed 11774501)."""
    if not any(t["dtype"] == "float32" for t in program["tensors"]):
        return False
    wide = {**program, "tensors": [{**t, "dtype": "float64" if t["dtype"] == "float32" else t["dtype"]}
                                   for t in program["tensors"]]}
    import torch

    with np.errstate(all="ignore"):
        ours, theirs = run(minigan, wide)["second"], run(torch, program)["second"]
    return ours is not None and theirs is not None and len(ours) == len(theirs) and all(
        _same(_zero_if_none(a, b), _zero_if_none(b, a), 1e-4, 1e-5, grads=True) for a, b in zip(ours, theirs)
        if a is not None or b is not None)


def _batch_norm_eval_forms(program):
    """Whether F.batch_norm in evaluation differs only by where the rounding falls: PyTorch's CPU kernel computes
    x·a + (β − μ·a), a = γ/√(σ² + ε), fused (one rounding each: surface seeds 12295832, 11889429) or, without FMA,
    in two; minigan (x − μ)·a + β.  Each side's result is checked against its own formula, on the program's inputs."""
    import torch

    values = {}
    for lib in (minigan, torch):
        made = [_make(lib, spec) for spec in program["tensors"]]
        args = [_value(lib, v, made) for v in program["args"]]
        kwargs = {k: _value(lib, v, made) for k, v in program["kwargs"].items()}
        try:
            bound = inspect.signature(torch.nn.functional.batch_norm).bind(*args, **kwargs)
            with lib.no_grad():
                y = lib.nn.functional.batch_norm(*args, **kwargs)
        except Exception:  # noqa: BLE001 - not a run this rule can read
            return False
        bound.apply_defaults()
        values[lib.__name__] = (y, bound.arguments)
    (ours, _), (theirs, given) = values["minigan"], values["torch"]
    if given["training"] or given["running_var"] is None:
        return False
    x = given["input"].detach().numpy()
    dt = x.dtype.type
    if dt not in (np.float32, np.float64) or any(
            given[k] is not None and given[k].dtype != given["input"].dtype
            for k in ("running_mean", "running_var", "weight", "bias")):
        return False
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean, var = (given[k].detach().numpy().reshape(shape) for k in ("running_mean", "running_var"))
    w = given["weight"].detach().numpy().reshape(shape) if given["weight"] is not None else dt(1)
    b = given["bias"].detach().numpy().reshape(shape) if given["bias"] is not None else np.zeros_like(mean)
    with np.errstate(all="ignore"):
        a = dt(1) / np.sqrt(var + dt(given["eps"])) * w
        fused, apart = fused_multiply_add(x, a, fused_multiply_add(-mean, a, b)), x * a + (b - mean * a)
        mine = a * (x - mean) + b

    def same(p, q):
        return p.shape == q.shape and bool(np.all((p == q) | (np.isnan(p) & np.isnan(q))))

    ours, theirs = minigan.backend.asnumpy(ours.detach().data), theirs.detach().numpy()
    return same(ours, mine) and (same(theirs, fused) or same(theirs, apart)) and not same(ours, theirs)


DOCS = "docs/pytorch.md"
# Differences docs/pytorch.md (or the signature survey's list) names as deliberate: (test on the program, the kind of
# difference and its detail; the reason, naming where it is written).
# docs/pytorch.md's row: the activations whose gradient at a NaN input PyTorch's CPU kernels give in two forms
KINKED = ("hardtanh", "hardtanh_", "relu6", "hardshrink", "softshrink", "elu", "elu_", "selu", "selu_", "celu",
          "celu_", "hardswish", "logit", "logit_")
DOCUMENTED = [
    (lambda p, w, d: w == "second-order grad" and _infinite_scale(p),
     f"{DOCS}, Special values: the second order of scaled_dot_product_attention by PyTorch's math with a scale of "
     "±∞, through a query row whose scores are all −∞ (PyTorch's safe softmax multiplies the row's zero weights by "
     "the scale's infinite terms: NaN; minigan's zero mask gives 0)"),
    (lambda p, w, d: p["name"] in ("vector_norm", "norm") and w == "second-order grad" and _float32_cancellation(p),
     f"{DOCS}, Special values: a float32 second derivative that is 0 in exact arithmetic (vector_norm with "
     "0 < p < 1 of equal entries: PyTorch's rounding cancels to 0, minigan's leaves float32's noise)"),
    (lambda p, w, d: p["name"] == "group_norm" and w == "outcome" and "minigan ran" in d and "PyTorch Runtime" in d
     and ("does not have a device" in d or "is invalid for input of size" in d),
     f"{DOCS}, Casts, views, masks and in-place changes: the backward of group_norm with weight=None and a bias "
     "that requires grad (PyTorch's kernel reads the absent weight and refuses)"),
    (lambda p, w, d: p["name"] in ("layer_norm", "batch_norm", "instance_norm") and w == "outcome"
     and "minigan ran" in d and "Expected a proper Tensor but got None" in d,
     f"{DOCS}, Casts, views, masks and in-place changes: the second order of layer_norm, batch_norm or "
     "instance_norm with weight=None and a bias, through both first gradients (PyTorch's double backward reads the "
     "absent weight and refuses)"),
    (lambda p, w, d: w == "outcome" and "PyTorch _LinAlgError: linalg.svd" in d and "minigan ran" in d
     and any(np.any(np.isinf(t["values"])) for t in p["tensors"]),
     f"{DOCS}, Special values: the SVD-based norms of a matrix holding ±inf (MKL's LAPACK gives NaN or fails to "
     "converge by where the inf sits; minigan NaN)"),
    (lambda p, w, d: p["name"] == "binary_cross_entropy_with_logits" and (w == "value" or w.endswith("grad"))
     and p["self"] is not None and np.any(np.isinf(p["tensors"][p["self"][1]]["values"])),
     f"{DOCS}, Special values: binary_cross_entropy_with_logits at a logit of ±∞ (∞ − ∞ = NaN on one side in "
     "PyTorch's formula, on the other in minigan's)"),
    (lambda p, w, d: p["name"] in ("pixel_shuffle", "pixel_unshuffle") and w == "outcome" and "PyTorch Runtime" in d
     and ("shuffle" in d.lower() and "invalid gradient" in d or "'channel' dimension" in d)
     and any(s["values"].size == 0 for s in p["tensors"]),
     f"{DOCS}, Casts, views, masks and in-place changes: the backward of pixel_shuffle or pixel_unshuffle of an empty "
     "tensor (PyTorch's refuses: its backward, the other op, returns an empty input's shape unchanged)"),
    (lambda p, w, d: _zero_d_mask_index(p),
     f"{DOCS}, Casts, views, masks and in-place changes: index_put with a 0-d bool index (PyTorch's kernel drops it; "
     "minigan's is x[indices] = values, as PyTorch documents index_put_)"),
    (lambda p, w, d: w.endswith("grad") and (_has(p, "nan") or _nan_argument(p)) and p["name"] in KINKED,
     f"{DOCS}, Special values: the gradient at a NaN input of the kinked activations (PyTorch's CPU kernels: two "
     "forms by position; minigan: the element-by-element one)"),
    (lambda p, w, d: p["name"] in ("sort", "argsort", "topk", "median", "nanmedian", "kthvalue", "mode", "quantile",
                                   "nanquantile", "unique", "msort") and w in ("value", "first-order grad",
                                                                               "second-order grad"),
     f"{DOCS}, Dtypes: the order of equal values and the index picked among ties (sort, topk, median, kthvalue)"),
    (lambda p, w, d: p["name"] in ("interpolate", "upsample") and w == "outcome" and ("trilinear" in d or "antialias"
                                                                                     in d or "3-D" in d),
     f"{DOCS}, Different on purpose: interpolate takes 1-D and 2-D inputs, not trilinear or antialias"),
    (lambda p, w, d: p["name"] == "is_inference_mode_enabled",
     f"{DOCS}, Different on purpose: inference_mode is the same as no_grad"),
    (lambda p, w, d: "sparse_grad" in d or "sparse" in d and "layout" in d or "sparse=True is not provided" in d,
     f"{DOCS}, Coming from PyTorch: sparse_grad=True (and a sparse layout, and embedding's sparse=True: its table's "
     "row for nn.Embedding) raise one line naming it"),
    (lambda p, w, d: (p["name"] in ("stride", "view", "storage_offset") and (w == "value" or "stride" in d)
                      or p["name"] in ("gradcheck", "gradgradcheck") and "with stride 0" in d)
     and any(s["values"].size == 0 for s in p["tensors"]),
     f"{DOCS}, Casts, views, masks and in-place changes: the strides of an empty tensor made from NumPy (NumPy's in "
     "PyTorch, which ATen calls arbitrary; row-major in minigan; so a slice's storage_offset too)"),
    (lambda p, w, d: p["name"] in ("conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d") and w == "layout"
     and d.startswith("results[0].flatten() is a view"),
     f"{DOCS}, Layouts: the convolutions' results are transposed views of their batch-last products (flatten() "
     "copies; PyTorch's layout costs a tenth to a fifth of a dcgan-28 iteration, docs/performance.md)"),
    (lambda p, w, d: p["name"] in ("std", "var", "std_mean", "var_mean") and (w == "value" or w.endswith("grad"))
     and p["self"] is not None and _constant(p["tensors"][p["self"][1]]["values"]),
     f"{DOCS}, Special values: var and std over every entry of equal values whose mean rounds (PyTorch's kernel "
     "for one result leaves a variance of 1e-33 and a gradient that is not 0; minigan's is 0, as along a dim)"),
    (lambda p, w, d: p["name"] == "batch_norm" and w == "value" and _batch_norm_eval_forms(p),
     f"{DOCS}, Special values: batch_norm's x·a + (β − μ·a), fused, in PyTorch's kernel against minigan's "
     "(x − μ)·a + β (a channel whose values are near μ, or an infinite weight: ∞ − ∞)"),
    (lambda p, w, d: p["name"] == "batch_norm" and w == "layout" and d.startswith("results[0].flatten() is a view"),
     f"{DOCS}, Layouts: batch_norm's result follows its input's layout (a row-major copy after every convolution "
     "would double its forward)"),
    (lambda p, w, d: p["name"] in ("nll_loss", "cross_entropy") and "grad_input must be contiguous" in d,
     f"{DOCS}, Dtypes: nll_loss's backward of a non-contiguous 4-D input (PyTorch's kernel refuses it, a bug it has "
     "acknowledged; minigan computes, as PyTorch does for other dimensions)"),
    (lambda p, w, d: pytorch_older_than("2.13") and ("look up dimensions by name" in d or "passed a dimname" in d),
     f"{DOCS}, Which PyTorch: dim=None, which PyTorch 2.11 and 2.12 read as a dimension's name (a RuntimeError); "
     "minigan follows 2.13"),
    (lambda p, w, d: p["name"] == "cdist" and (w == "value" or w.endswith("grad")) and _has(p, "nan")
     and _number(p, "p", 2, 2.0) == np.inf,
     f"{DOCS}, Special values: cdist(p=inf) of a NaN difference (PyTorch's kernel passes it over, minigan NaN)"),
    (lambda p, w, d: p["name"] in ("matrix_norm", "norm") and w == "second-order grad"
     and _number(p, "ord", 1, None) in (2, -2, "nuc") and _rank_deficient(p),
     f"{DOCS}, Special values: the second order of the SVD-based norms of a matrix of lower rank (MKL's singular "
     "values there are tiny and distinct, NumPy's 0 or other tiny ones: minigan NaN, or both rounding noise)"),
    (lambda p, w, d: p["name"] in ("addmm", "addmm_", "addbmm", "addbmm_") and w == "value"
     and _number(p, "alpha", 99, 1) in (np.inf, -np.inf) and "nan" in d and "inf" in d,
     f"{DOCS}, Special values: addmm and addbmm with alpha = ±∞ over terms of both signs (MKL's gemm scales each "
     "term, NaN, or the sum, ±∞, by the sizes and layout; minigan each term)"),
    (lambda p, w, d: p["name"] in ("interpolate", "upsample") and w.endswith("grad") and _bicubic_kept_by_scale(p),
     f"{DOCS}, Casts, views, masks and in-place changes: bicubic interpolate by a scale_factor that keeps both sizes "
     "(PyTorch's backward copies the gradient, its forward interpolates; minigan's is its forward's derivative)"),
]

# Classes another change is fixing now, counted apart so the rest shows: (test on the program, what and detail;
# the class).  None now: the last ones (in-place clamp's tensor bounds, NaN bounds, prod's second order, NumPy
# scalars as Python numbers, grad-mode decorators of generators) were fixed, and a stale entry would hide a regression.
KNOWN = []
INFERENCE = f"{DOCS}, Different on purpose: inference_mode is no_grad (minigan has no inference tensors)"


def _rerun_without(program, found):
    """(verdict, class) of a difference that goes away without a feature, or None: inference_mode run as no_grad."""
    if program["mode"] in ("inference_mode", "inference_gen"):
        as_no_grad = {**program, "mode": {"inference_mode": "no_grad", "inference_gen": "no_grad_gen"}[program["mode"]]}
        if not _differences_of(as_no_grad):
            return "documented", INFERENCE
    return None


def _differences_of(program):
    import torch

    with np.errstate(all="ignore"):
        return differences(run(minigan, program), run(torch, program), program)


def classify(program, found):
    """The class of the first difference: a known or documented reason, else the kind of difference."""
    for what, detail in found:
        for test, reason in KNOWN:
            if test(program, what, detail):
                return "known", reason
    known = _rerun_without(program, found)
    if known:
        return known
    for what, detail in found:
        for test, reason in DOCUMENTED:
            if test(program, what, detail):
                return "documented", reason
    what, detail = found[0]
    if what == "exception type":
        ours, theirs = re.match(r"minigan (\w+)", detail).group(1), re.search(r"\| PyTorch (\w+)", detail).group(1)
        return "differ", f"exception type: minigan {ours} where PyTorch raises {theirs}"
    if what == "outcome":
        return "differ", "minigan raises where PyTorch runs" if detail.startswith("minigan ") and \
            not detail.startswith("minigan ran") else "minigan runs where PyTorch raises"
    return "differ", what


def _kills_pytorch(program):
    """torch.range with an integer dtype and a step that truncates to 0 (0 < |step| < 1): PyTorch 2.13's range
    kernel divides by the truncated step and the process dies of SIGFPE (surface seed 11918019), never run."""
    if program["name"] != "range" or program["space"] != "torch":
        return False
    dtype, step = program["kwargs"].get("dtype"), program["kwargs"].get(
        "step", program["args"][2] if len(program["args"]) > 2 else 1)
    step = step[2] if isinstance(step, tuple) and step[:1] == ("np",) else step
    integer = isinstance(dtype, tuple) and dtype[:1] == ("dtype",) and "int" in str(dtype[1])
    return integer and isinstance(step, (int, float)) and 0 < abs(step) < 1


KILLS_PYTORCH = (f"{DOCS}, Which PyTorch: torch.range with an integer dtype and a step that truncates to 0 (PyTorch "
                 "2.13 dies of SIGFPE: not run; minigan refuses, as arange)")


def compare(program) -> tuple:
    """('agree' | 'both_raise' | 'differ' | 'known' | 'documented', class, differences)."""
    import torch

    if _kills_pytorch(program):
        return "documented", KILLS_PYTORCH, [("outcome", "PyTorch dies of SIGFPE: not run")]
    with np.errstate(all="ignore"):
        ours = run(minigan, program)
        theirs = run(torch, _torch_program(program))
    found = differences(ours, theirs, program)
    if not found:
        return ("both_raise" if ours["outcome"] == "raised" else "agree"), "", []
    verdict, what = classify(program, found)
    return verdict, what, found


def _torch_program(program):
    return program


# ----------------------------------------------------------------------------- sweeps and the command line
def sweep(start, stop, show=False) -> dict:
    counts = {"agree": 0, "both_raise": 0, "differ": 0, "known": 0, "documented": 0}
    classes, examples, names = {}, {}, {}
    for seed in range(start, stop):
        program = generate(seed)
        verdict, what, found = compare(program)
        counts[verdict] += 1
        if what:
            classes[what] = classes.get(what, 0) + 1
            names.setdefault(what, {})
            key = f"{program['space'].replace('torch.nn.functional', 'F').replace('torch.', '')}.{program['name']}"
            names[what][key] = names[what].get(key, 0) + 1
            examples.setdefault(what, (seed, found[:3]))
        if show:
            print(seed, program["space"], program["name"], program["mode"], program["args"], program["kwargs"])
            print("  ", verdict, what, found[:4])
    return {"counts": counts, "classes": classes, "examples": examples, "names": names}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="0:500", help="a range of seeds A:B (default 0:500)")
    parser.add_argument("--show", action="store_true", help="print each program and its differences")
    parser.add_argument("--names", type=int, default=8, help="how many names to list per class (default 8)")
    args = parser.parse_args(argv)
    start, stop = (int(x) for x in args.seeds.split(":"))
    minigan.set_num_threads(1)
    import torch

    torch.set_num_threads(1)
    result = sweep(start, stop, args.show)
    c = result["counts"]
    print(f"surface programs {start}:{stop}: {stop - start} run; {c['agree']} agree, {c['both_raise']} both raise "
          f"(the same exception class), {c['documented']} differ as docs/pytorch.md documents, {c['known']} in known "
          f"classes being fixed, {c['differ']} differ")
    for what, n in sorted(result["classes"].items(), key=lambda kv: -kv[1]):
        seed, found = result["examples"][what]
        top = sorted(result["names"][what].items(), key=lambda kv: -kv[1])
        print(f"  {n:5d}  {what}: " + ", ".join(f"{k} {c}" for k, c in top[:args.names]) +
              (f", ... ({len(top)} names)" if len(top) > args.names else ""))
        print(f"           e.g. seed {seed}: {'; '.join(f'{w}: {d}' for w, d in found)[:400]}")
    return 1 if c["differ"] else 0


if __name__ == "__main__":
    sys.exit(main())
