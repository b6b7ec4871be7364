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
import inspect
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
from pytorch.surface_programs_draw import (  # noqa: E402  (the surface and drawing a call: its first half)
    GRAD_MODES,
    RANDOM,
    UNINITIALISED,
    Draw,
    _coherent_rule,
    _make_coherent,
    catalog,
    draw_arg,
)


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
