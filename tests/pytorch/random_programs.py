"""Random programs, run under minigan and under PyTorch (float64, the oracle), or under minigan on two backends.

A program is a list of steps drawn from a seed: casts (to integers and bools and back), views of views (einsum,
split, unbind, chunk, narrow, expand, .T, mT, slicing...), masking ops (relu, clamp, hardtanh, where, maximum,
masked_fill, x[mask] = v...), in-place ops on bases and on views, retain_grad, hooks that send ±∞ into a gradient,
detach and detach_, no_grad, and at the end a first- or second-order backward.  Each step reads tensors of a pool
and adds its result to it; a step whose operands do not fit is skipped (the same way under both libraries, which see
the same shapes).  Both runs are recorded (every tensor's values, dtype, shape, requires_grad, is_leaf; the leaves'
and retained gradients; what each hook saw; the first-order gradients and their requires_grad under second order)
and compared.  Where both refuse at the same step, they agree.  Where PyTorch refuses at backward because a saved
tensor was changed in place and minigan runs (it saved less: an op whose gradient does not read that value), the
program is run again under PyTorch with every saved tensor copied when saved, which gives the TRUE result, and
minigan's must equal it.

    python tests/pytorch/random_programs.py --n 500 --seed 0                              # minigan against PyTorch
    python tests/pytorch/random_programs.py --n 500 --seed 0 --against numpy --backend cupy   # the GPU against the CPU
    python tests/pytorch/random_programs.py --n 50 --against numpy --backend strict       # the CPU stand-in for CuPy

prints one line (programs run, agreeing, both refusing, differing) and exits 1 when any differ, with the first few
differences (a program is reproduced from its seed: ``--seed S --n 1 --show``).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import minigan  # noqa: E402

INF, NAN = math.inf, math.nan


# ----------------------------------------------------------------------------- the steps
# Each step: name -> (kind, applies(meta of its operands), run(lib, F, operands, params)); meta is (shape, dtype kind).
def _float(m):
    return m[1] == "f"


def _nd(n):
    return lambda *ms: _float(ms[0]) and len(ms[0][0]) >= n


def _same(a, b):
    return _float(a) and _float(b) and a[0] == b[0]


def _bcast(a, b):  # b broadcasts into a's shape
    if not (_float(a) and _float(b)):
        return False
    try:
        return np.broadcast_shapes(a[0], b[0]) == tuple(a[0])
    except ValueError:
        return False


def _any_float(a, *rest):
    return _float(a)


def _fl(x):
    return x


def _half(lib, x, big=INF):  # a constant of x's shape, some entries ±∞ (what a hook multiplies a gradient by)
    values = np.resize(np.array([1.0, big, 0.5, -big, 2.0, 1.0, big]), max(x.numel(), 1)).reshape(tuple(x.shape))
    return lib.tensor(values, dtype=x.dtype)


def _weights(lib, x, k):
    values = np.resize(np.linspace(-1.0, 1.5, 7) + 0.25 * k, max(x.numel(), 1)).reshape(tuple(x.shape))
    return lib.tensor(values, dtype=x.dtype)


def _clamp(lib, x, lo, hi, in_place=False):
    """x.clamp(lo, hi), or with REWRITE["clamp_as_2_13"] PyTorch 2.13's derivative where x equals a bound (1 there;
    2.14 made it 0, as hardtanh's: docs/pytorch.md, "Which PyTorch"): x where lo <= x <= hi, the bound elsewhere."""
    if not REWRITE["clamp_as_2_13"]:
        return x.clamp_(lo, hi) if in_place else x.clamp(lo, hi)
    inside = (x >= lo) if hi is None else (x >= lo) & (x <= hi)
    bound = lo if hi is None and isinstance(lo, lib.Tensor) else x.detach().clamp(lo, hi)  # (saves no x)
    out = lib.where(inside, x, bound)
    return x.copy_(out) if in_place else out


UNARY = {  # out of place, one float tensor
    "relu": lambda lib, F, x: x.relu(), "relu_sqrt": lambda lib, F, x: x.relu().sqrt(),
    "clamp": lambda lib, F, x: _clamp(lib, x, -0.5, 1.0), "clamp_min": lambda lib, F, x: _clamp(lib, x, 0.0, None),
    "hardtanh": lambda lib, F, x: F.hardtanh(x), "relu6": lambda lib, F, x: F.relu6(x * 4.0),
    "threshold": lambda lib, F, x: F.threshold(x, 0.5, -1.0), "leaky": lambda lib, F, x: F.leaky_relu(x, 0.1),
    "abs": lambda lib, F, x: x.abs(), "sign": lambda lib, F, x: x.sign(), "floor": lambda lib, F, x: x.floor(),
    "round": lambda lib, F, x: x.round(), "sigmoid": lambda lib, F, x: x.sigmoid(), "tanh": lambda lib, F, x: x.tanh(),
    "exp": lambda lib, F, x: (x * 0.3).exp(), "square": lambda lib, F, x: x * x, "neg": lambda lib, F, x: -x,
    "scale": lambda lib, F, x: x * 1.5, "sqrt_abs": lambda lib, F, x: x.abs().sqrt(),
    "masked_fill": lambda lib, F, x: x.masked_fill(x.detach() < 0, 0.5),
    "where_self": lambda lib, F, x: lib.where(x.detach() > 0, x, x * 0.5),
    "max_all": lambda lib, F, x: x.max(), "sum": lambda lib, F, x: x.sum(), "mean0": lambda lib, F, x: x.mean(0),
    "clone": lambda lib, F, x: x.clone(), "detach": lambda lib, F, x: x.detach(), "pos": lambda lib, F, x: +x,
    "contiguous": lambda lib, F, x: x.contiguous(),
}
UNARY_ND = {  # need at least one dimension
    "amax": lambda lib, F, x: x.amax(-1), "max_dim": lambda lib, F, x: x.max(-1)[0],
    "softmax": lambda lib, F, x: x.softmax(-1), "index_fill": lambda lib, F, x: x.index_fill(0, lib.tensor([0]), 2.0),
    "scatter_n": lambda lib, F, x: x.scatter(0, lib.zeros((1,) + tuple(x.shape[1:]), dtype=lib.int64), 3.0),
    "cumsum": lambda lib, F, x: x.cumsum(-1), "flip": lambda lib, F, x: x.flip(0),
    "repeat": lambda lib, F, x: x.repeat(*([1] * x.ndim)), "tile": lambda lib, F, x: x.tile((2,)),
}
CASTS = {  # to integers or bools and back: constants
    "long_double": lambda lib, F, x: x.long().double(), "bool_double": lambda lib, F, x: x.bool().double(),
    "to_int": lambda lib, F, x: x.to(lib.int64), "int": lambda lib, F, x: x.int(), "bool": lambda lib, F, x: x > 0,
    "type_as_int": lambda lib, F, x: x.type_as(lib.tensor([1, 2])), "to_dtype": lambda lib, F, x: x.to(dtype=lib.int32),
    "short": lambda lib, F, x: x.short(), "round_long": lambda lib, F, x: x.round().long(),
    "cast_mul": lambda lib, F, x: x.long().double() * x, "argmax": lambda lib, F, x: x.argmax(),
    "float": lambda lib, F, x: x.double(),  # (an integer tensor back to float64; a float64 one: itself)
}
BINARY = {  # two float tensors, the second broadcast into the first's shape
    "add": lambda lib, F, x, y: x + y, "sub": lambda lib, F, x, y: x - y, "mul": lambda lib, F, x, y: x * y,
    "div": lambda lib, F, x, y: x / (y * y + 1.0), "maximum": lambda lib, F, x, y: lib.maximum(x, y.expand_as(x)),
    "minimum": lambda lib, F, x, y: lib.minimum(x, y.expand_as(x)),
    "where": lambda lib, F, x, y: lib.where(y.detach() > 0, x, y),
    "clamp_t": lambda lib, F, x, y: _clamp(lib, x, y.detach() - 0.5, y.detach() + 0.5),
    "clamp_tt": lambda lib, F, x, y: _clamp(lib, x, y, None), "mix_int": lambda lib, F, x, y: x * y.long(),
}
VIEWS = {  # name: (the rank it needs, the view)
    "T": (2, lambda lib, x: x.T if x.ndim == 2 else x.mT), "mT": (2, lambda lib, x: x.mT),
    "t": (1, lambda lib, x: x.t()), "row0": (1, lambda lib, x: x[0]), "tail": (1, lambda lib, x: x[1:]),
    "col1": (2, lambda lib, x: x[:, 1]), "step": (1, lambda lib, x: x[..., ::2]),
    "narrow": (1, lambda lib, x: x.narrow(-1, 1, 1)), "unsq": (0, lambda lib, x: x.unsqueeze(0)),
    "expand": (0, lambda lib, x: x.unsqueeze(0).expand(2, *x.shape)),
    "expand_same": (1, lambda lib, x: x.expand(*x.shape)),
    "flatten": (0, lambda lib, x: x.flatten()),
    "view": (0, lambda lib, x: x.reshape(-1) if REWRITE["view_as_reshape"] else x.view(-1)),
    "reshape": (0, lambda lib, x: x.reshape(-1)), "permute": (2, lambda lib, x: x.permute(1, 0, *range(2, x.ndim))),
    "split0": (1, lambda lib, x: x.split(2)[0]), "split1": (1, lambda lib, x: x.split(2, -1)[-1]),
    "chunk": (1, lambda lib, x: x.chunk(2, -1)[0]), "unbind": (1, lambda lib, x: x.unbind(0)[-1]),
    "tsplit": (1, lambda lib, x: x.tensor_split(2, -1)[0]),
    "einsum_t": (2, lambda lib, x: lib.einsum("...ij->...ji", x)),
    "einsum_id": (1, lambda lib, x: lib.einsum("...i->...i", x)),
    "einsum_diag": (2, lambda lib, x: lib.einsum("ii->i", x[: min(x.shape[:2]), : min(x.shape[:2])]) if x.ndim == 2
                    else x[0]),
    "movedim": (2, lambda lib, x: x.movedim(0, -1)), "squeeze": (0, lambda lib, x: x.unsqueeze(-1).squeeze(-1)),
}
IN_PLACE = {  # name: (does it read a second tensor?, the op on x (and y, broadcast into x's shape))
    "add_": (True, lambda lib, x, y: x.add_(y)), "mul_": (True, lambda lib, x, y: x.mul_(y)),
    "sub_": (True, lambda lib, x, y: x.sub_(y)), "div_": (True, lambda lib, x, y: x.div_(y * y + 1.0)),
    "copy_": (True, lambda lib, x, y: x.copy_(y)), "mul_s": (False, lambda lib, x, y: x.mul_(2.0)),
    "add_s": (False, lambda lib, x, y: x.add_(0.5)), "zero_": (False, lambda lib, x, y: x.zero_()),
    "fill_": (False, lambda lib, x, y: x.fill_(0.25)),
    "clamp_": (False, lambda lib, x, y: _clamp(lib, x, -0.5, 0.5, in_place=True)),
    "relu_": (False, lambda lib, x, y: x.relu_()), "tanh_": (False, lambda lib, x, y: x.tanh_()),
    "neg_": (False, lambda lib, x, y: x.neg_()), "abs_": (False, lambda lib, x, y: x.abs_()),
    "pow_": (False, lambda lib, x, y: x.pow_(2)), "sigmoid_": (False, lambda lib, x, y: x.sigmoid_()),
    "masked_fill_": (False, lambda lib, x, y: x.masked_fill_(x.detach() < 0, -0.5)),
    "set_mask": (False, lambda lib, x, y: x.__setitem__(x.detach() > 0.5, 0.0)),
    "set_all": (False, lambda lib, x, y: x.__setitem__(Ellipsis, 1.5)),
    "set_row": (True, lambda lib, x, y: x.__setitem__(0, y[0] if y.ndim == x.ndim and y.ndim else y)),
    "set_mask_t": (True, lambda lib, x, y: x.__setitem__(y.detach() > 0, 2.0) if y.shape == x.shape else None),
    "index_fill_": (False, lambda lib, x, y: x.index_fill_(0, lib.tensor([0]), -1.0)),
    "scatter_": (False, lambda lib, x, y: x.scatter_(0, lib.zeros((1,) + tuple(x.shape[1:]), dtype=lib.int64), 0.5)),
}


REWRITE = {"view_as_reshape": False,  # the truth where PyTorch refuses a view its layout cannot give: a reshape
           "clone_operand": False,  # the truth where an in-place op's operand overlaps what it writes: a copy of it
           "clamp_as_2_13": False}  # PyTorch 2.13's clamp where PyTorch 2.14 or newer runs: its derivative at a bound


# ----------------------------------------------------------------------------- drawing a program
def generate(seed: int, length: int | None = None) -> list:
    """A program: a list of (kind, name, i, j, flag) steps; i, j pick operands from the pool (mod its size)."""
    rng = np.random.default_rng(seed)
    kinds = ["unary"] * 4 + ["unary_nd"] * 2 + ["cast"] * 2 + ["binary"] * 3 + ["view"] * 6 + ["inplace"] * 5 + \
        ["inplace_nograd", "nograd", "retain_grad", "hook", "hook_inf", "detach_", "requires_grad_", "leaf_view"]
    tables = {"unary": UNARY, "unary_nd": UNARY_ND, "cast": CASTS, "binary": BINARY, "view": VIEWS,
              "inplace": IN_PLACE, "inplace_nograd": IN_PLACE, "nograd": UNARY}
    program = []
    for _ in range(length or int(rng.integers(2, 12))):
        kind = kinds[int(rng.integers(len(kinds)))]
        names = sorted(tables.get(kind, {"-": None}))
        program.append((kind, names[int(rng.integers(len(names)))], int(rng.integers(100)), int(rng.integers(100)),
                        int(rng.integers(4))))
    ending = ["backward", "backward", "second", "grad_inf"][int(rng.integers(4))]
    return [("start", "-", seed, 0, 0)] + program + [("end", ending, 0, 0, 0)]


def _start(lib, seed, device=None):
    rng = np.random.default_rng(seed)
    kw = {} if device is None else {"device": device}

    def leaf(shape, grad):
        return lib.tensor(rng.integers(-4, 5, size=shape) / 2.0, dtype=lib.float64, requires_grad=grad, **kw)

    return [leaf((3, 4), True), leaf((4,), True), leaf((4, 4), True), leaf((3, 4), False), leaf((2, 3, 4), True)]


def _meta(t):
    return (tuple(t.shape), "f" if t.dtype.is_floating_point else "i") if hasattr(t.dtype, "is_floating_point") \
        else (tuple(t.shape), "f" if t.dtype.kind == "f" else "i")


# ----------------------------------------------------------------------------- running one
class Refused(Exception):
    """A library refused a step (the step number and the error)."""


def run(lib, program, device=None):
    """Run ``program`` under ``lib`` (minigan or torch); a dict: the outcome and everything recorded."""
    F = lib.nn.functional
    seed = program[0][2]
    pool = _start(lib, seed, device)
    leaves = list(pool)
    retained, hook_log = [], []
    for step, (kind, name, i, j, flag) in enumerate(program[1:-1], 1):
        x, y = pool[i % len(pool)], pool[j % len(pool)]
        if kind.startswith("inplace") and flag:  # (mostly not a leaf: PyTorch refuses those; once in four, any)
            if len(pool) == 5:
                continue
            x = pool[5 + i % (len(pool) - 5)]
        mx, my = _meta(x), _meta(y)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = _step(lib, F, kind, name, x, y, mx, my, flag, pool, leaves, retained, hook_log, program[-1][1])
        except Exception as e:  # noqa: BLE001 - a refusal of either library is recorded, compared by step
            return {"outcome": "raised", "step": step, "error": f"{type(e).__name__}: {str(e)[:200]}"}
        if out is not None:
            pool.append(out)
    return _finish(lib, program[-1][1], pool, leaves, retained, hook_log)


def _step(lib, F, kind, name, x, y, mx, my, flag, pool, leaves, retained, hook_log, program_end):
    if kind in ("unary", "nograd"):
        if not _float(mx):
            return None
        if kind == "nograd":
            with lib.no_grad():
                return UNARY[name](lib, F, x)
        return UNARY[name](lib, F, x)
    if kind == "unary_nd":
        return UNARY_ND[name](lib, F, x) if _nd(1)(mx) else None
    if kind == "cast":
        return CASTS[name](lib, F, x) if _float(mx) or name == "float" else None
    if kind == "binary":
        return BINARY[name](lib, F, x, y) if _bcast(mx, my) else None
    if kind == "view":
        rank, view = VIEWS[name]
        if len(mx[0]) < rank or (rank and mx[0][0] < 2 and name in ("tail", "split0")):
            return None
        return view(lib, x)
    if kind in ("inplace", "inplace_nograd"):
        reads, op = IN_PLACE[name]
        if not _float(mx) or (reads and not _bcast(mx, my)) or (name.startswith(("set", "index", "scatter"))
                                                                 and not mx[0]):
            return None
        if name == "set_row" and not _bcast(mx[0][1:] and (mx[0][1:], "f") or ((), "f"), (my[0][1:], "f")):
            return None
        if reads and REWRITE["clone_operand"]:
            y = y.clone()
        if kind == "inplace_nograd":
            with lib.no_grad():
                op(lib, x, y)
        else:
            op(lib, x, y)
        return None
    if kind == "retain_grad":
        if x.requires_grad and x.dtype == lib.float64:
            x.retain_grad()
            retained.append(x)
        return None
    if kind in ("hook", "hook_inf"):
        if not x.requires_grad or x.grad_fn is None and not x.is_leaf:  # (grad_fn first: PyTorch's register_hook
            return None  # crashes on a split output whose base changed, where grad_fn raises)
        # (±1e3 for a second-order program: PyTorch's zero gradients there are "efficient zero tensors", which stay 0
        # times ∞, where any other zeros give NaN: docs/pytorch.md)
        scale = _half(lib, x, 1e3 if program_end == "second" else INF) if kind == "hook_inf" else None
        log = len(hook_log)
        hook_log.append([])

        def hook(g, scale=scale, log=log):
            hook_log[log].append(np.array(g.detach().numpy(force=True), dtype=np.float64))
            return g * scale if scale is not None else None

        x.register_hook(hook)
        return None
    if kind == "detach_":
        if any(t._base is x for t in pool):  # (not a base with views: docs/pytorch.md)
            return None
        x.detach_()
        return None
    if kind == "requires_grad_":
        if not _float(mx) or x._base is not None or any(t._base is x for t in pool):  # (not a view, nor a base
            return None  # with views: docs/pytorch.md)
        if x.is_leaf and not x.requires_grad:
            x.requires_grad_()
            leaves.append(x)
        return None
    if kind == "leaf_view":  # a view of a leaf, changed in place under no_grad (how an optimizer writes a slice)
        if not (_float(mx) and x.is_leaf and mx[0]):
            return None
        with lib.no_grad():
            x[0].mul_(0.5)
        return None
    raise ValueError(kind)


def _finish(lib, ending, pool, leaves, retained, hook_log):
    record = {"outcome": "ok"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            record["tensors"] = [_describe(t) for t in pool]  # (a view whose base changed may refuse to be read)
            outs = [t for t in pool[5:] if t.requires_grad]
            if outs:
                loss = sum((t * _weights(lib, t, k)).sum() for k, t in enumerate(outs))
                if ending == "backward":
                    loss.backward()
                elif ending == "grad_inf" and not outs[-1].is_leaf:  # ±∞ in the gradient of one output (not a
                    outs[-1].backward(_half(lib, outs[-1]))  # leaf view made before its base required grad:
                elif ending == "grad_inf":  # PyTorch's backward refuses those, though they require grad)
                    loss.backward()
                else:
                    wanted = [t for t in leaves if t.requires_grad]
                    grads = lib.autograd.grad(loss, wanted, create_graph=True, allow_unused=True)
                    record["first"] = [None if g is None else (g.requires_grad, _values(g)) for g in grads]
                    second = [(g * _weights(lib, g, k + 3)).sum() for k, g in enumerate(grads)
                              if g is not None and g.requires_grad]
                    if second:
                        sum(second).backward()
            record["tensors_after"] = [_describe(t) for t in pool]
    except Exception as e:  # noqa: BLE001
        return {"outcome": "raised", "step": "backward", "error": f"{type(e).__name__}: {str(e)[:200]}"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (PyTorch's warning for a leaf made a non-leaf by an in-place op)
        record["grads"] = [None if t.grad is None else _values(t.grad) for t in leaves]
        record["retained"] = [None if t.grad is None else _values(t.grad) for t in retained]
    record["hooks"] = hook_log
    return record


def _values(t):
    return np.array(t.detach().numpy(force=True), dtype=np.float64)


def _describe(t):
    dtype = str(t.dtype).replace("torch.", "minigan.")
    return {"values": _values(t), "dtype": dtype, "shape": tuple(t.shape), "requires_grad": bool(t.requires_grad),
            "is_leaf": bool(t.is_leaf)}


# ----------------------------------------------------------------------------- comparing two runs
def _close(a, b, rtol):
    """Equal shapes, the same finite values (to rtol), non-finite in the same places.  Where both are non-finite,
    ∞ or NaN is not compared: the same derivative written two ways gives ∞ − ∞ = NaN in one and ∞ in the other (0
    against NaN, a masking backward's class, is compared)."""
    if a.shape != b.shape:
        return False
    finite = np.isfinite(a)
    return np.array_equal(finite, np.isfinite(b)) and np.allclose(a[finite], b[finite], rtol=rtol, atol=rtol)


def differences(ours, theirs, rtol=1e-9) -> list:
    """What differs between two records (empty: they agree)."""
    if ours["outcome"] != theirs["outcome"]:
        what = {k: ours[k] for k in ("step", "error") if k in ours} or "ran"
        return [f"minigan {ours['outcome']} {what}; the other {theirs['outcome']} "
                f"{ {k: theirs[k] for k in ('step', 'error') if k in theirs} or 'ran'}"]
    if ours["outcome"] == "raised":  # both refuse (minigan may refuse a step sooner: see docs/pytorch.md)
        return []
    found = []
    for key in ("tensors", "tensors_after"):  # (an integer cast of a float computed in another order may round
        # the other way: integers are compared to within 1)
        for k, (a, b) in enumerate(zip(ours[key], theirs[key])):
            for field in ("dtype", "shape", "requires_grad", "is_leaf"):
                if a[field] != b[field]:
                    found.append(f"{key}[{k}].{field}: {a[field]} vs {b[field]}")
            whole = a["dtype"] == b["dtype"] and a["dtype"].startswith(("int", "uint"))
            if a["shape"] == b["shape"] and not (_close(a["values"], b["values"], rtol) or whole and np.allclose(
                    a["values"], b["values"], rtol=0, atol=1)):
                found.append(f"{key}[{k}] values: {a['values'].ravel()[:6]} vs {b['values'].ravel()[:6]}")
    for key in ("grads", "retained"):
        for k, (a, b) in enumerate(zip(ours[key], theirs[key])):
            if (a is None) != (b is None) or (a is not None and not _close(a, b, rtol)):
                found.append(f"{key}[{k}]: {a if a is None else a.ravel()[:6]} vs {b if b is None else b.ravel()[:6]}")
    if "first" in ours or "first" in theirs:
        for k, (a, b) in enumerate(zip(ours.get("first", []), theirs.get("first", []))):
            if (a is None) != (b is None) or (a is not None and (a[0] != b[0] or not _close(a[1], b[1], rtol))):
                found.append(f"first-order grad {k}: {a} vs {b}")
    if len(ours["hooks"]) != len(theirs["hooks"]) or any(
            len(a) != len(b) or any(not _close(u, v, rtol) for u, v in zip(a, b))
            for a, b in zip(ours["hooks"], theirs["hooks"])):
        found.append("hooks saw other gradients")
    return found


def _saved_in_place(record):
    return record["outcome"] == "raised" and record["step"] == "backward" and (
        "inplace operation" in record["error"] or "detached in-place" in record["error"])


# Where minigan refuses and PyTorch runs, by design (docs/pytorch.md): a part of the error message.
KNOWN_REFUSALS = {
    "is a view (one of those split": "a split/chunk/unbind output, whose base changed in place, used by an op that "
                                     "records nothing (an integer cast): PyTorch refuses at the next recorded op",
    "is a view (made under no_grad": "a view made under no_grad, whose base changed in place, used by an op that "
                                     "records nothing: PyTorch refuses at the next recorded op",
}


def known_refusal(ours, theirs):
    """The documented class of a refusal of minigan's where PyTorch runs, or None."""
    if ours["outcome"] != "raised" or theirs["outcome"] != "ok":
        return None
    return next((what for key, what in KNOWN_REFUSALS.items() if key in ours["error"]), None)


def _clamp_changed(torch, program) -> bool:
    """Whether this PyTorch (2.14 or newer) gives clamp's derivative at a bound otherwise than 2.13, and the program
    clamps."""
    newer = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2]) >= (2, 14)
    return newer and any(step[1].startswith("clamp") for step in program)


AS_2_13 = "clamp's derivative where x equals a bound: 1, as PyTorch 2.13's"


def _run_as_2_13(torch, program):
    """The program under PyTorch with 2.13's clamp (PyTorch 2.14 changed its derivative at a bound; minigan keeps
    2.13's, the oracle's: docs/pytorch.md, "Which PyTorch")."""
    REWRITE["clamp_as_2_13"] = True
    try:
        return run(torch, program)
    finally:
        REWRITE["clamp_as_2_13"] = False


def compare_with_torch(program) -> tuple:
    """('agree' | 'both_refuse' | 'true' (PyTorch refuses a changed saved tensor, minigan's result is the true one) |
    'known_refusal' (minigan refuses where PyTorch runs, by design) | 'as_pytorch_2_13' (PyTorch 2.14 or newer
    differs only in clamp's derivative at a bound, which minigan keeps as 2.13's) | 'differ', differences)."""
    import torch

    with np.errstate(all="ignore"):
        ours, theirs = run(minigan, program), run(torch, program)
        if _saved_in_place(theirs) and ours["outcome"] == "ok":
            with torch.autograd.graph.saved_tensors_hooks(lambda t: t.clone(), lambda t: t):
                truth = run(torch, program)
            found = differences(ours, truth)
            if found and _clamp_changed(torch, program):
                with torch.autograd.graph.saved_tensors_hooks(lambda t: t.clone(), lambda t: t):
                    if not differences(ours, _run_as_2_13(torch, program)):
                        return "as_pytorch_2_13", [AS_2_13 + " (and a saved tensor changed in place)"]
            return ("true", ["a saved tensor changed in place (or detach_()ed) that minigan's backward does not "
                             "read"]) if not found else ("differ", found)
        if theirs["outcome"] == "raised" and "view size is not compatible" in theirs["error"] and \
                ours["outcome"] == "ok":  # minigan's view of a computed tensor laid out otherwise: a copy, as reshape
            REWRITE["view_as_reshape"] = True
            try:
                truth = run(torch, program)
            finally:
                REWRITE["view_as_reshape"] = False
            found = differences(ours, truth)
            return ("true", ["view() of a computed tensor NumPy laid out otherwise than PyTorch: a copy"]) \
                if not found else ("differ", found)
    if known_refusal(ours, theirs):
        return "known_refusal", [known_refusal(ours, theirs)]
    found = differences(ours, theirs)
    if found and ours["outcome"] == theirs["outcome"] == "ok":  # an in-place op's operand overlapping what it writes?
        REWRITE["clone_operand"] = True
        try:
            with np.errstate(all="ignore"):
                truth = run(torch, program)
        finally:
            REWRITE["clone_operand"] = False
        if differences(theirs, truth) and not differences(ours, truth):
            return "true", ["an in-place op whose operand overlaps the tensor it writes (x.mul_(a view of x)): "
                            "PyTorch reads entries it has already written, minigan the operand's values before the op"]
    if found and ours["outcome"] == theirs["outcome"] == "ok" and _clamp_changed(torch, program):
        with np.errstate(all="ignore"):
            found = differences(ours, _run_as_2_13(torch, program))
        if not found:
            return "as_pytorch_2_13", [AS_2_13]
    if found:
        return "differ", found
    return ("both_refuse" if ours["outcome"] == "raised" else "agree"), []


def compare_backends(program, backend) -> tuple:
    """minigan on ``backend`` ("cupy", or "strict": the CPU stand-in for CuPy) against minigan on NumPy."""
    with np.errstate(all="ignore"):
        reference = run(minigan, program)
        with _backend(backend):
            other = run(minigan, program)
    found = differences(other, reference, rtol=1e-9)
    if found:
        return "differ", found
    return ("both_refuse" if other["outcome"] == "raised" else "agree"), []


@contextlib.contextmanager
def _backend(name):
    previous = minigan.engine.backend.backend_name()
    if name == "strict":
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        import strict_backend

        with strict_backend.installed():
            minigan.use_backend("cupy")
            try:
                yield
            finally:
                minigan.use_backend(previous)
        return
    minigan.use_backend(name)
    try:
        yield
    finally:
        minigan.use_backend(previous)


def sweep(n, seed=0, against="torch", backend=None) -> dict:
    """Compare ``n`` programs (seeds seed .. seed + n − 1); the counts by verdict, and the first differences."""
    counts = {"agree": 0, "both_refuse": 0, "true": 0, "known_refusal": 0, "as_pytorch_2_13": 0, "differ": 0}
    failures, refusals, trues = [], {}, {}
    for s in range(seed, seed + n):
        program = generate(s)
        verdict, found = compare_with_torch(program) if against == "torch" else compare_backends(program, backend)
        counts[verdict] += 1
        if verdict == "known_refusal":
            refusals[found[0]] = refusals.get(found[0], 0) + 1
        elif verdict in ("true", "as_pytorch_2_13"):
            trues[found[0]] = trues.get(found[0], 0) + 1
        elif found and len(failures) < 10:
            failures.append((s, found[:4]))
    return {"counts": counts, "failures": failures, "known_refusals": refusals, "true_classes": trues}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500, help="how many programs (default 500)")
    parser.add_argument("--seed", type=int, default=0, help="the first program's seed (default 0)")
    parser.add_argument("--against", choices=["torch", "numpy"], default="torch",
                        help="the oracle: PyTorch float64 (default), or minigan on NumPy")
    parser.add_argument("--backend", choices=["numpy", "cupy", "strict"], default="numpy",
                        help="minigan's backend for the run compared (with --against numpy: cupy or strict)")
    parser.add_argument("--show", action="store_true", help="print each program and its differences")
    args = parser.parse_args(argv)
    if args.against == "numpy" and args.backend == "numpy":
        parser.error("--against numpy compares another backend with NumPy: give --backend cupy (or strict)")
    minigan.set_num_threads(1)
    if args.show:
        for s in range(args.seed, args.seed + args.n):
            print(s, generate(s))
    result = sweep(args.n, args.seed, args.against, None if args.against == "torch" else args.backend)
    c = result["counts"]
    print(f"random programs: {args.n} run (minigan on {args.backend} against {args.against}); {c['agree']} agree, "
          f"{c['both_refuse']} both refuse, {c['true']} refused or order-dependent in PyTorch and true in minigan, "
          f"{c['known_refusal']} refused by minigan by design, {c['as_pytorch_2_13']} as PyTorch 2.13 (clamp at a "
          f"bound), {c['differ']} differ")
    for what, count in {**result["true_classes"], **result["known_refusals"]}.items():
        print(f"  {count}: {what}")
    for s, found in result["failures"]:
        print(f"  seed {s}: " + "; ".join(found))
    return 1 if c["differ"] else 0


if __name__ == "__main__":
    sys.exit(main())
