"""Deep random graphs against PyTorch float64, to third order.

Each seed draws one program of 8-30 lines over 1-3 float64 leaves (0-d scalars among them, shapes that broadcast
against each other) from the differentiable surface: elementwise functions, views (slices, transposes, expand,
reshape), reductions, matmul/linear/conv, indexing with gather/scatter, softmax/logsumexp, norms and losses, and now
and then an in-place op on a non-leaf, a ``detach()``, a ``no_grad()`` block or a ``retain_grad()``.  Values are
used more than once (fan-out), leaves repeat, and the program is plain text: the same lines run with ``torch`` and
``F`` bound to PyTorch or to minigan, so a program printed with ``--show`` is its own repro.

For each program it compares the output's value, dtype and ``requires_grad``; ``autograd.grad`` of it to first,
second and third order (``create_graph=True``, random ``grad_outputs``, ``allow_unused=True``), each gradient's
value and ``requires_grad`` (and which are None); ``backward()`` into the leaves' and retained ``.grad``; and the
exception class where either side refuses (both must refuse, with the same built-in class).  Values agree within
1e-7 of the larger of each element's and the tensor's magnitude, NaN where NaN.

A differing program is put in a class by its first line whose value already differs (the program cut after that
line, its value the output): the class is that line's op and the stage that differs.  Documented differences
(docs/pytorch.md) are told apart and named with the doc's line.

    python tests/pytorch/graph_programs.py --seeds 0:1000          # counts by class, one seed each
    python tests/pytorch/graph_programs.py --seeds 17:18 --show    # one program, its lines and its differences
"""

from __future__ import annotations

import argparse
import builtins
import collections
import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
for _path in (ROOT, ROOT / "tests"):  # (tests/: the oracle's version is read from pytorch.oracle)
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import pytest  # noqa: E402

import minigan  # noqa: E402
from pytorch.oracle import pytorch_older_than  # noqa: E402

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


class _Composite:
    """PyTorch's functional with layer_norm and batch_norm written out: the fused kernels' double backward takes
    the saved mean and 1/std as constants, so PyTorch's own third derivative of them is wrong (layer_norm of
    [[1.3, -0.4, 0.2], [0.5, 0.1, -2.0]] gives -3.01 where its composition gives 16.57).  Third orders of programs
    that use them are compared with this."""

    def __getattr__(self, name):
        return getattr(torch.nn.functional, name)

    @staticmethod
    def _norm(x, dims, eps):
        m = x.mean(dims, keepdim=True)
        return (x - m) / torch.sqrt(((x - m) ** 2).mean(dims, keepdim=True) + eps)

    def layer_norm(self, x, shape, weight=None, bias=None, eps=1e-5):
        y = self._norm(x, tuple(range(x.dim() - len(shape), x.dim())), eps)
        y = y if weight is None else y * weight
        return y if bias is None else y + bias

    def batch_norm(self, x, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
                   eps=1e-5):
        assert training and running_mean is None and weight is None and bias is None
        return self._norm(x, (0,) + tuple(range(2, x.dim())), eps)


LIBS = {"torch": {"torch": torch, "F": torch.nn.functional},
        "minigan": {"torch": minigan, "F": minigan.nn.functional},
        "torch-composite": {"torch": torch, "F": _Composite()}}
FUSED_NORMS = ("F.layer_norm(", "F.batch_norm(")

# Documented differences: (the op of the class's line, a test of its inputs in PyTorch's run) -> the doc's line.
KINKED_AT_NAN = ("hardtanh", "relu6", "hardshrink", "softshrink", "elu", "selu", "celu", "hardswish", "logit_eps")
TIE_OPS = ("max", "min", "amax", "amin", "maximum", "minimum", "median", "sort", "topk", "kthvalue", "cummax",
           "cummin", "argmax_gather", "argsort_gather", "quantile", "aminmax", "vector_norm_inf", "cdist")
DOC_KINK_NAN = ("docs/pytorch.md, Special values: \"the gradient at a NaN input of hardtanh, relu6, hardshrink, "
                "softshrink, elu, selu, celu, hardswish, logit with eps\"")
DOC_TIES = "docs/pytorch.md, Special values: \"maximum's ½ to each input at a tie\" (ties: the first extreme)"
DOC_ZERO_TENSOR = ("docs/pytorch.md, What is left: \"a zero gradient of a second-order backward (sign's, abs's) "
                   "that meets ∞ or NaN\" (PyTorch's efficient zero tensor stays 0)")
DOC_CONSTANT_NORM = ("docs/pytorch.md, Special values: \"batch_norm (instance_norm, group_norm with a weight) of a "
                     "channel or group whose values are all equal\"")

# Classes found and still open: (a pattern of class names, why it stays).  The suite fails on any other class, and
# an entry goes once its programs agree (a fix's own test, written first, is what keeps it fixed).
KNOWN: list = [
    (r": grad3 refused by PyTorch only$",
     "PyTorch's own third order fails with its internal error 'ZeroTensors are immutable' (a zero gradient its "
     "double backward writes in place: after clamp_ with a tensor bound, margin_ranking_loss); minigan computes"),
    (r"^std(@\w+)?: grad\d value$",
     "std of values equal up to rounding: PyTorch's mean leaves a variance of 1e-33, whose 1/std gradient is large, "
     "where minigan's is exactly 0 (docs: std's gradient 0 for a constant sample)"),
    (r"after a \.data write$",
     "a write through .data between forward and backward: PyTorch's backward reads what its nodes saved, minigan's "
     "composite ops saved other intermediates"),
    (r"value \(PyTorch's NaN, not minigan's\)$",
     "PyTorch's NaN where minigan's value is finite: std of a constant sample at second order, and PyTorch's own "
     "overflow at extreme inputs (gelu tanh's third derivative at |x| > 30, mish's second at 8e7)"),
]


DOC_WRITTEN_NORM = ("docs/pytorch.md, Casts, views, masks and in-place changes: \"the third order of layer_norm "
                    "whose input shares memory with a tensor written through .data after the forward\" (no PyTorch "
                    "reference)")


def written_norm(program, k):
    """Whether a layer_norm at or before line k reads a leaf's memory (the leaf or a view of it) that a .data write
    after it changes: the composition the oracle's third order comes from saved no input, so it reads the unwritten
    values where PyTorch's fused first and second orders (and minigan's) read the written ones (seed 1223718)."""
    import re
    lines = program[0]
    writes = [j for j in range(k + 1) if lines[j][0] == "leaf_write data"]
    for j in range(len(program[1]), k + 1):
        if lines[j][0].split("@")[0] != "layer_norm" or not any(w > j for w in writes):
            continue
        try:
            ns = _namespace(program, j, "torch")
        except Exception:                              # noqa: BLE001
            continue
        t = ns.get(re.search(r"F\.layer_norm\((\w+)", lines[j][2]).group(1))
        written = {lines[w][2].split(".data")[0].strip() for w in writes if w > j}
        if isinstance(t, torch.Tensor) and any(
                t.untyped_storage().data_ptr() == ns[x].untyped_storage().data_ptr() for x in written if x in ns):
            return True
    return False


def known(key):
    """The reason a class is still open, or None."""
    import re
    return next((why for pattern, why in KNOWN if re.search(pattern, key)), None)
from pytorch.graph_programs_draw import HELD_OUT, draw  # noqa: E402  (drawing a program)

# ---------------------------------------------------------------------------------------------------------------
# Running a program in one library, and comparing

def _builtin(exc):
    """The built-in exception class an exception is (PyTorch's and minigan's own classes subclass them)."""
    return next(c for c in type(exc).__mro__ if getattr(builtins, c.__name__, None) is c)


def _arr(t):
    if t is None:
        return None
    if not hasattr(t, "shape"):
        return np.asarray(t)
    return np.array(t.detach().numpy(force=True) if isinstance(t, torch.Tensor) else t.detach().numpy(), copy=True)


def _gouts(seed, stage, shapes):
    rng = np.random.default_rng([seed, stage])
    return [np.round(rng.normal(size=tuple(s)), 3) for s in shapes]


def run(program, lib, seed, out=None, upto=None):
    """Runs the program's lines with ``torch`` and ``F`` bound to ``lib``; returns what it saw, stage by stage:
    [(stage, ("raised", class) | (value, dtype, requires_grad) | list of such)]."""
    lines, leaves, retained, out0 = program
    out = out or out0
    lines = lines if upto is None else lines[:upto]
    mod = LIBS[lib]["torch"]
    seen = []
    for pass_ in ("grad", "backward"):
        ns = dict(LIBS[lib])
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for i, (_, _, code) in enumerate(lines):
                    stage = f"line {i}"
                    exec(compile(code, "<program>", "exec"), ns)
                stage = "forward"
                y = ns[out]
                xs = [ns[x] for x in leaves]
                if pass_ == "grad":
                    seen.append(("forward", _result(y)))
                    if not y.is_floating_point():
                        return seen
                    prev, ys = None, [y]
                    for order in (1, 2, 3):
                        stage = f"grad{order}"
                        if order > 1:
                            ys = [g for g in prev if g is not None and g.requires_grad]
                            if not ys:
                                break
                        gos = [mod.tensor(a, dtype=mod.float64) for a in _gouts(seed, order, [t.shape for t in ys])]
                        prev = mod.autograd.grad(ys, xs, grad_outputs=gos, create_graph=True, retain_graph=True,
                                                 allow_unused=True)
                        seen.append((stage, [_result(g) for g in prev]))
                else:
                    stage = "backward"
                    go = mod.tensor(_gouts(seed, 1, [y.shape])[0], dtype=mod.float64)
                    y.backward(go)
                    seen.append(("backward", [_result(ns[x].grad) for x in leaves]
                                 + [_result(ns[r].grad) for r in retained if r in ns]))
        except Exception as e:                         # noqa: BLE001  (a refusal is a result to compare)
            seen.append((stage, ("raised", _builtin(e).__name__, str(e).split("\n")[0][:160],
                                 {c.__name__ for c in type(e).__mro__ if getattr(builtins, c.__name__, None) is c})))
    return seen


def _result(t):
    if t is None:
        return None
    return (_arr(t), str(t.dtype).split(".")[-1], bool(t.requires_grad))


def _close(a, b):
    """a (minigan's) against b (PyTorch's): same shape, NaN where NaN, within 1e-7 of the magnitudes."""
    if a.shape != b.shape:
        return False
    if a.dtype.kind != "f" or b.dtype.kind != "f":
        return np.array_equal(a, b)
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        return False
    fin = np.isfinite(b)
    if not np.array_equal(a[~fin & ~np.isnan(b)], b[~fin & ~np.isnan(b)]):
        return False
    if not np.array_equal(np.isfinite(a), fin):
        return False
    a, b = a[fin], b[fin]
    scale = max(np.abs(b).max(initial=0.0), np.abs(a).max(initial=0.0))
    return bool(np.all(np.abs(a - b) <= 1e-7 * np.maximum(np.abs(b), scale) + ATOL))


ATOL = 1e-9   # a gradient that is 0 in exact arithmetic comes out as rounding noise of the magnitudes around it


def oracle(program, seed):
    """PyTorch's run; its third order from the composite norms where the program uses the fused ones."""
    seen = run(program, "torch", seed)
    if any(f in code for _, _, code in program[0] for f in FUSED_NORMS):
        third = dict((st, v) for st, v in run(program, "torch-composite", seed) if st == "grad3")
        seen = [(st, third.get(st, v)) if st == "grad3" else (st, v) for st, v in seen]
    return seen


def _diff_one(m, t):
    if m is None or t is None:
        return None if m is None and t is None else ("None" if t is None else "not None")
    if m[1] != t[1]:
        return "dtype"
    if not _close(m[0], t[0]):
        a, b = m[0], t[0]
        if a.shape == b.shape and a.dtype.kind == b.dtype.kind == "f":
            if (np.isnan(a) & ~np.isnan(b)).any():
                return "value (NaN where PyTorch's is not)"
            if (np.isnan(b) & ~np.isnan(a)).any():
                return "value (PyTorch's NaN, not minigan's)"
            if (np.isinf(a) != np.isinf(b)).any():
                return "value (±inf on one side)"
        return "value"
    if m[2] != t[2]:
        return "requires_grad"
    return None


def compare(mine, theirs):
    """The first difference of two runs: (stage, what) or None."""
    for (ms, mv), (ts, tv) in zip(mine, theirs):
        if ms != ts:
            first = min(ms, ts, key=_order)
            if _raised(mv) and ms == first:
                return (first, "refused by minigan only")
            if _raised(tv) and ts == first:
                return (first, "refused by PyTorch only")
            return (first, "stopped")
        if _raised(mv) or _raised(tv):                 # minigan's class is (or subclasses) PyTorch's built-in
            if not (_raised(mv) and _raised(tv)):
                return (ms, "refused by minigan only" if _raised(mv) else "refused by PyTorch only")
            if tv[1] not in mv[3]:
                return (ms, f"{mv[1]} where PyTorch raises {tv[1]}")
            continue
        mv, tv = (mv, tv) if isinstance(tv, list) else ([mv], [tv])
        if len(mv) != len(tv):
            return (ms, "count")
        for m, t in zip(mv, tv):
            what = _diff_one(m, t)
            if what:
                return (ms, what)
    if len(mine) != len(theirs):
        return ("end", "stages")
    return None


def _raised(v):
    return isinstance(v, tuple) and isinstance(v[0], str)


def _order(stage):
    return ["line", "forward", "grad1", "grad2", "grad3", "backward"].index(stage.split()[0])


# ---------------------------------------------------------------------------------------------------------------
# Classes: the first line whose value already differs, and whether the docs name the difference

def _inputs_of(program, k, arrays=True):
    """PyTorch's values of the names line k reads, as they are just before it runs (as arrays, or the tensors)."""
    import re
    lines = program[0]
    ns = dict(LIBS["torch"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _, _, code in lines[:k]:
            exec(compile(code, "<program>", "exec"), ns)
    names = set(re.findall(r"\b[xv]\d+\b", lines[k][2].split("=", 1)[1]))
    found = [ns[n] for n in names if isinstance(ns.get(n), torch.Tensor)]
    return [t.detach().numpy() for t in found] if arrays else found


PYTORCH_MEDIAN = ("PyTorch 2.13's median(dim) and nanmedian(dim) over an expanded (stride-0) dimension return "
                  "values from the wrong memory (x.expand(2).median(0) of 1.19 gives 2.8e-312)")


def pytorch_bug(program, k, op):
    """Where the oracle itself is wrong at line k (named, so that such a program is not counted against minigan)."""
    try:
        ins = _inputs_of(program, k, arrays=False)
    except Exception:                                  # noqa: BLE001
        return None
    if op.split("@")[0] == "median" and any(0 in t.stride() for t in ins if t.dim()):
        return PYTORCH_MEDIAN
    return None


def constant_channel(program, k):
    """Whether a batch_norm at or before line k normalises a channel whose values are all equal (PyTorch's): its
    kernel's fused multiply-add leaves the rounding of μ/σ there (~1e-14) where minigan's result is 0, and a
    comparison, a sign or a gradient further on can tell (deep-graph seed 1028265: where(batch_norm(x) > 0, ...))."""
    for j in range(len(program[1]), k + 1):
        op, _, code = program[0][j]
        if op.split("@")[0] != "batch_norm":
            continue
        try:
            a = _inputs_of(program, j)[0]
        except Exception:                              # noqa: BLE001
            continue
        if a.ndim >= 2 and a.size and (np.ptp(a, axis=tuple(i for i in range(a.ndim) if i != 1)) == 0).any():
            return True
    return False


DOC_LAST_BIT = ("docs/pytorch.md, Special values: \"remainder (and fmod) of a value whose unit in the last place "
                "exceeds the divisor\", and sin and cos past 2π (decided by the last bit upstream rounding left)")


def _namespace(program, k, lib):
    """The names of the program's lines before line k, run by ``lib`` ("torch" or "minigan")."""
    ns = dict(LIBS[lib])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _, _, code in program[0][:k]:
            exec(compile(code, "<program>", "exec"), ns)
    return ns


def last_bit_remainder(program, k, op):
    """Whether line k, a remainder by a number d (or sin or cos, whose period is 2π), differs from PyTorch's only
    through the entries whose unit in the last place exceeds |d| (there x is a multiple of a power of two above d,
    so x mod d is decided by the last bits upstream rounding left): PyTorch's op of its own input, with minigan's
    input at just those entries (which differ), is minigan's result (held-out deep graphs 1036616: -8.8e35 mod 1.5,
    minigan's 0.5 against -0.0; 1042306: sin of a variance of about 1e62)."""
    import re
    line, base = program[0][k][2], op.split("@")[0]
    match = re.search(r"torch\.remainder\((\w+), ([-0-9.e]+)\)$", line) if base == "remainder" else \
        re.search(r"torch\.sin\((\w+)\)$|(\w+)\.cos\(\)$", line) if base in ("sin", "cos") else None
    if not match:
        return False
    name = match.group(1) or match.group(2)
    d = float(match.group(2)) if base == "remainder" else 2 * np.pi
    apply = {"remainder": lambda lib, t: lib.remainder(t, d), "sin": lambda lib, t: lib.sin(t),
             "cos": lambda lib, t: lib.cos(t)}[base]
    try:
        theirs, ours = (_namespace(program, k, lib)[name].detach().numpy() for lib in ("torch", "minigan"))
        mine = apply(minigan, minigan.tensor(ours)).numpy()
    except Exception:                                  # noqa: BLE001
        return False
    with np.errstate(all="ignore"):
        big = np.isfinite(theirs) & (np.spacing(np.abs(theirs)) > abs(d))
        if not (big & (ours != theirs)).any():
            return False
        return _close(mine, apply(torch, torch.from_numpy(np.where(big, ours, theirs))).numpy())


DOC_SOFTSHRINK_ZERO = ("docs/pytorch.md, Special values: \"softshrink of an x in its band [−λ, λ] that is negative or "
                       "−0.0\" (+0.0 here; PyTorch's −0.0 element by element), told apart by a later op (atan2, 1/x)")


def _explained_by_entries(program, k, chosen):
    """Whether line k's difference comes only from entries of its inputs that ``chosen(t, m)`` marks (t PyTorch's
    array, m minigan's): PyTorch's line run on its own inputs, those entries given minigan's values, is minigan's
    result."""
    import re
    lines = program[0]
    names = set(re.findall(r"\b[xv]\d+\b", lines[k][2].split("=", 1)[1]))
    try:
        theirs, ours = _namespace(program, k, "torch"), _namespace(program, k, "minigan")
        moved = False
        for n in names:
            if isinstance(theirs.get(n), torch.Tensor) and theirs[n].dtype.is_floating_point:
                t, m = theirs[n].detach().numpy(), ours[n].detach().numpy()
                swap = chosen(t, m)
                moved |= bool(swap.any())
                theirs[n] = torch.from_numpy(np.where(swap, m, t))
        if not moved:
            return False
        exec(compile(lines[k][2], "<program>", "exec"), theirs)
        exec(compile(lines[k][2], "<program>", "exec"), ours)
        out = lines[k][1]
        return _close(ours[out].detach().numpy(), theirs[out].detach().numpy())
    except Exception:                                  # noqa: BLE001
        return False


def softshrink_zero_sign(program, k):
    """Whether line k, after a softshrink, differs from PyTorch's only through the sign of zeros it reads (deep-graph
    seed 1245019: atan2(v, v) of softshrink's zeros, −π in PyTorch where minigan's +0.0 gives 0)."""
    if not any("F.softshrink(" in code for _, _, code in program[0][:k]):
        return False
    return _explained_by_entries(program, k, lambda t, m: (t == 0) & (m == 0) & (np.signbit(t) != np.signbit(m)))


DOC_ROUNDED_ZERO = ("docs/pytorch.md, Special values: \"a value that is 0 up to rounding, read by an op that tells "
                    "its sign\" (each library's own rounding decides it)")


def rounded_zero(program, k):
    """Whether line k differs from PyTorch's only through entries it reads that are 0 up to rounding in both runs
    (within 64 units in the last place of the leaves' largest finite value) but not equal (deep-graph seed 1238063:
    layer_norm(x).sum() is 6.7e-16 in PyTorch, -2.8e-17 here, and masked_fill(v1 > 0, ...) follows its sign)."""
    try:
        values = [_namespace(program, k, "torch")[n].detach().numpy() for n in program[1]]
    except Exception:                                  # noqa: BLE001
        return False
    scale = max((float(np.abs(v[np.isfinite(v)]).max(initial=0)) for v in values), default=0.0)
    tiny = 64 * np.finfo(np.float64).eps * scale
    return _explained_by_entries(program, k, lambda t, m: (np.abs(t) <= tiny) & (np.abs(m) <= tiny) & (t != m))


def last_bits_compared(program, k):
    """Whether line k differs from PyTorch's only through entries it reads that differ by rounding (within 64 units
    in the last place of the tensor's largest finite value: each library's rounding upstream), where line k compares
    values equal up to rounding (deep-graph seed 1252619: where(v1 > logit(sigmoid(v1)), ...), sigmoid's last bit
    differs at 6 of 24 entries, and logit amplifies it; 1253389: a logsumexp of one 0.1 compared with 0.1)."""
    def chosen(t, m):
        fin = np.isfinite(t) & np.isfinite(m)
        scale = max(float(np.abs(t[fin]).max(initial=0)), float(np.abs(m[fin]).max(initial=0)))
        with np.errstate(invalid="ignore"):
            return fin & (t != m) & (np.abs(t - m) <= 64 * np.finfo(np.float64).eps * scale)
    return _explained_by_entries(program, k, chosen)


def documented(program, k, op, stage=None, what=None):
    """The doc's line where the difference at line k (at ``stage``, of kind ``what``) is documented, or None."""
    try:
        ins = _inputs_of(program, k)
    except Exception:                                  # noqa: BLE001
        return None
    base = op.split("@")[0]
    if base in ("abs", "norm1") and stage in ("grad2", "grad3") and what == "value (NaN where PyTorch's is not)" \
            and any((~np.isfinite(a)).any() for a in ins if a.dtype.kind == "f"):  # (sign's zero, times NaN or ∞)
        return DOC_ZERO_TENSOR
    if stage == "forward":
        return DOC_LAST_BIT if last_bit_remainder(program, k, op) else \
            DOC_SOFTSHRINK_ZERO if softshrink_zero_sign(program, k) else \
            DOC_ROUNDED_ZERO if rounded_zero(program, k) or last_bits_compared(program, k) else None
    if base in KINKED_AT_NAN and any(np.isnan(a).any() for a in ins):
        return DOC_KINK_NAN
    if base in TIE_OPS and any(a.size != np.unique(a).size or np.isnan(a).any() for a in ins if a.size):
        return DOC_TIES
    if base in TIE_OPS and len(ins) == 2 and ins[0].shape == ins[1].shape and (ins[0] == ins[1]).any():
        return DOC_TIES
    return None


def classify(seed, program=None):
    """(class, line, difference) of a seed's program, or None where minigan agrees with PyTorch."""
    program = program or draw(seed)
    d = compare(run(program, "minigan", seed), oracle(program, seed))
    if d is None:
        return None
    lines, leaves, retained, out = program
    if d[0].startswith("line"):
        k = int(d[0].split()[1])
        return _key(program, k, ("refusal", d[1])), k, d
    for k in range(len(leaves), len(lines)):
        op, name, _ = lines[k]
        if name is None:
            continue
        cut = (lines[:k + 1], leaves, retained, name)
        dk = compare(run(cut, "minigan", seed), oracle(cut, seed))
        if dk is not None:
            return _key(cut, k, dk), k, dk
    return _key(program, len(lines) - 1, d), len(lines) - 1, d


# Derivatives an older PyTorch lacks (docs/pytorch.md, "Which PyTorch"): the op, and the version that brought it
DERIVATIVE_SINCE = {"aminmax": "2.12"}


def _key(program, k, d):
    op = program[0][k][0]
    stage = "refusal" if d[0].startswith("line") else d[0]
    doc = documented(program, k, op, stage, d[1]) if d[1].startswith("value") else None
    since = DERIVATIVE_SINCE.get(op.split("@")[0])
    if since and stage.startswith("grad") and d[1] == "refused by PyTorch only" and pytorch_older_than(since):
        return f"documented: {op}: {stage} {d[1]} (PyTorch {since} brought its derivative)"
    name = f"{op}: {stage} {d[1]}"
    if d[1].startswith("value") and constant_channel(program, k):
        return f"documented: {name} ({DOC_CONSTANT_NORM})"
    if d[1].startswith("value") and pytorch_bug(program, k, op):
        return "pytorch bug: " + name
    if any(o == "leaf_write data" for o, _, _ in program[0][:k + 1]):  # (what a backward reads after it is the
        # class, the write's own line too: a gradient that differs first at the written leaf)
        name += " after a .data write"
        if stage == "grad3" and d[1] == "value" and written_norm(program, k):
            return f"documented: {name} ({DOC_WRITTEN_NORM})"
    return ("documented: " + name) if doc else name


def minimize(seed):
    """The program cut at its class's line, then every line whose removal keeps the class removed: a repro."""
    program = draw(seed)
    got = classify(seed, program)
    if got is None:
        return None, None
    key, k, _ = got
    lines, leaves, retained, out = program
    name = lines[k][1] or out
    cut = [lines[:k + 1], leaves, [r for r in retained if any(ln[1] == r for ln in lines[:k + 1])], name]
    i = len(cut[0]) - 2
    while i >= 0:
        trial = (cut[0][:i] + cut[0][i + 1:], [x for x in cut[1] if x != cut[0][i][1]], cut[2], cut[3])
        try:
            d = compare(run(trial, "minigan", seed), oracle(trial, seed))
        except Exception:                              # noqa: BLE001
            d = None
        if d is not None and _same_kind(d, key):
            cut = list(trial)
        i -= 1
    return key, tuple(cut)


def _same_kind(d, key):
    stage = "refusal" if d[0].startswith("line") else d[0]
    return key.split(": ", 1)[-1].endswith(f"{stage} {d[1]}") or key.split(": ")[-1] == f"{stage} {d[1]}"


def show(program, seed):
    lines, leaves, retained, out = program
    print(f"# seed {seed}: leaves {', '.join(leaves)}; output {out}; retained {retained or '-'}")
    for op, _, code in lines:
        print(code + ("" if op == "leaf" else f"   # {op}"))
    for lib in ("minigan", "torch"):
        for stage, v in run(program, lib, seed):
            brief = v[:3] if _raised(v) else (
                [None if g is None else (np.round(g[0], 6).tolist(), g[2]) for g in v] if isinstance(v, list)
                else (np.round(v[0], 6).tolist(), v[2]))
            print(f"  {lib:8s} {stage:9s} {str(brief)[:300]}")


def sweep(seeds, verbose=False):
    """Counts by class over the seeds, with the first seed of each."""
    counts, first, n = collections.Counter(), {}, 0
    for s in seeds:
        n += 1
        got = classify(s)
        if got is None:
            continue
        key = got[0]
        counts[key] += 1
        first.setdefault(key, s)
        if verbose:
            print(s, key, got[2], flush=True)
    return n, counts, first


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", default="0:200", help="A:B, the seeds A to B-1")
    p.add_argument("--show", action="store_true", help="print each program, its runs and its class")
    p.add_argument("--min", action="store_true", help="print each differing program cut down to a repro")
    p.add_argument("-v", action="store_true", help="a line per differing program as it is found")
    args = p.parse_args(argv)
    a, b = (int(x) for x in args.seeds.split(":"))
    seeds = range(a, b)
    if any(s in HELD_OUT for s in (a, b - 1)) or (a < HELD_OUT.start and b > HELD_OUT.stop):
        raise SystemExit("seeds 1,000,000-1,099,999 are held out: the final measurement runs them")
    torch.set_num_threads(1)
    if args.show or args.min:
        for s in seeds:
            program = draw(s)
            if args.show:
                show(program, s)
            print(f"# class: {classify(s, program)}")
            if args.min:
                key, cut = minimize(s)
                if cut:
                    print(f"# repro of {key}:")
                    show(cut, s)
        return 0
    n, counts, first = sweep(seeds, args.v)
    bad = sum(c for k, c in counts.items() if not k.startswith(("documented", "pytorch bug")) and not known(k))
    for key, c in counts.most_common():
        print(f"{c:6d}  {key:60s} seed {first[key]}")
    print(f"{n} programs: {n - sum(counts.values())} agree, {sum(counts.values())} differ "
          f"({bad} in no documented or known class)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
