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
import random
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
HELD_OUT = range(1_000_000, 1_100_000)   # the final measurement: never drawn while developing

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


# ---------------------------------------------------------------------------------------------------------------
# Drawing a program

def _num(rng):
    return rng.choice([0.5, -0.5, 1.5, -1.5, 2.0, 0.3, -0.7, 3.0])


def _dims(t):
    return list(range(t.dim()))


class Draw:
    """Draws a program line by line, running each line in PyTorch as it goes to know its shapes; a line PyTorch
    refuses is drawn again (or, rarely, kept as the program's last line: both must refuse it)."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.nrng = np.random.default_rng(seed)
        self.ns = dict(LIBS["torch"])
        self.lines, self.names, self.leaves, self.retained = [], [], [], []
        self.refused = False

    # -- picking values
    def vals(self, pred=None, nonleaf=False):
        out = []
        for n in self.names:
            t = self.ns.get(n)
            if not isinstance(t, torch.Tensor) or not t.is_floating_point():
                continue
            try:                                        # (PyTorch refuses to read grad_fn of some views)
                if nonleaf and (n in self.leaves or t._base is not None and t._base.is_leaf):
                    continue
                if pred is None or pred(t):
                    out.append(n)
            except RuntimeError:
                continue
        return out

    def pick(self, pred=None, nonleaf=False):
        cands = self.vals(pred, nonleaf)
        if not cands:
            return None
        if self.rng.random() < 0.6:
            return self.rng.choice(cands[-3:])
        return self.rng.choice(cands)

    def t(self, name):
        return self.ns[name]

    # -- leaves
    def draw_leaves(self):
        a, b = self.rng.choice([2, 3, 4]), self.rng.choice([2, 3, 4, 5])
        pool = [(a, b), (a, b), (b,), (a, 1), (1, b), (), (a,), (b, a), (2, a, b)]
        nan_at = self.rng.random() < 0.04
        for i in range(self.rng.choice([1, 2, 2, 3, 3])):
            shape = pool[0] if i == 0 and self.rng.random() < 0.6 else self.rng.choice(pool)
            arr = np.round(self.nrng.normal(size=shape), 3)
            arr = arr + (0.0 if shape == () else np.arange(arr.size).reshape(shape) * 1e-3)  # no exact ties
            if nan_at and i == 0 and arr.size:
                arr.reshape(-1)[self.rng.randrange(arr.size)] = self.rng.choice([np.nan, np.inf, -np.inf])
            name = f"x{i}"
            lit = repr(float(arr)) if shape == () else repr(arr.tolist())
            code = f"{name} = torch.tensor({lit}, dtype=torch.float64, requires_grad=True)"
            code = code.replace("nan", "float('nan')").replace("inf", "float('inf')")
            self.run_line(code, name, "leaf")
            self.leaves.append(name)

    def run_line(self, code, name, op):
        exec(compile(code, "<program>", "exec"), self.ns)
        self.lines.append((op, name, code))
        if name and name not in self.names:
            self.names.append(name)

    # -- one line
    def draw_line(self, k):
        for _ in range(60):
            op, make = self.rng.choices(TEMPLATES, weights=WEIGHTS)[0]
            self.subname = None
            try:
                code = make(self)
            except (IndexError, ValueError, KeyError, TypeError):
                continue
            if code is None:
                continue
            op = op if self.subname is None else f"{op} {self.subname}"
            name = f"v{k}"
            wrap = self.rng.random()
            if isinstance(code, tuple):                 # a statement: in-place, retain_grad
                line = code[1].replace("{out}", name)
                newname = name if "{out}" in code[1] else None
            elif wrap < 0.04:
                line, newname, op = f"with torch.no_grad():\n    {name} = {code}", name, op + "@no_grad"
            elif wrap < 0.07:
                line, newname, op = f"{name} = ({code}).detach()", name, op + "@detach"
            else:
                line, newname = f"{name} = {code}", name
            snapshot = {n: self.ns[n] for n in self.names}
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    exec(compile(line, "<program>", "exec"), self.ns)
            except Exception:                           # noqa: BLE001  (PyTorch refused: draw again, or keep)
                self.ns.update(snapshot)
                if self.rng.random() < 0.01:
                    self.lines.append((op, None, line))
                    self.refused = True
                    return True
                continue
            if op == "retain_grad":
                self.retained.append(code[2])
            self.lines.append((op, newname, line))
            if newname and newname not in self.names:
                self.names.append(newname)
            return True
        return False


def draw(seed):
    """The program of a seed: (lines, leaves, retained, output name)."""
    if seed in HELD_OUT:
        raise SystemExit(f"seed {seed} is held out (1,000,000-1,099,999): the final measurement runs it")
    d = Draw(seed)
    d.draw_leaves()
    n = d.rng.randint(8, 30)
    k = 0
    while k < n and not d.refused:
        if not d.draw_line(k):
            break
        k += 1
    outs = d.vals(lambda t: t.requires_grad)
    out = outs[-1] if outs else (d.vals() or d.leaves)[-1]
    if not d.refused and d.rng.random() < 0.3:            # fan-in: dangling values join the output
        extra = [v for v in outs[-6:-1] if d.t(v).numel()]
        if extra:
            terms = " + ".join(f"{v}.sum() * {_num(d.rng)}" for v in d.rng.sample(extra, min(2, len(extra))))
            d.lines.append(("fanin", "out", f"out = {out}.sum() + {terms}"))
            out = "out"
    return d.lines, d.leaves, d.retained, out


# -- templates: each returns an expression over picked values (None when nothing fits)

def U(fmt, pred=None):
    def make(d):
        a = d.pick(pred)
        if a is None:
            return None
        ta = d.t(a)
        dim = d.rng.choice(_dims(ta)) if ta.dim() else 0
        return fmt.format(a=a, c=_num(d.rng), d=dim, n=ta.shape[dim] if ta.dim() else 1)
    return make


def _bcast(ta, tb):
    try:
        torch.broadcast_shapes(ta.shape, tb.shape)
        return True
    except RuntimeError:
        return False


def B(fmt, same=False, third=False, distinct=False):
    """Two values that broadcast (or have one shape); ``distinct`` where f(a, a) is a constant whose rounding
    differs between libraries (kl_div(a, a) = 0, cosine_similarity(a, a) = 1) and a later sqrt or log magnifies it."""
    def make(d):
        a = d.pick()
        if a is None:
            return None
        ta = d.t(a)
        fit = (lambda t: t.shape == ta.shape) if same else (lambda t: _bcast(ta, t))
        b = d.pick(fit)
        if distinct and b == a:
            return None
        c2 = d.pick(fit) if third else None
        dim = d.rng.choice(_dims(ta)) if ta.dim() else 0
        return fmt.format(a=a, b=b, b2=c2, c=_num(d.rng), d=dim, r=d.rng.choice(["mean", "sum", "none"]))
    return make


def M(fmt):
    """a @ m and relatives: m's rows (or length) match a's last size."""
    def make(d):
        a = d.pick(lambda t: t.dim() >= 1)
        if a is None:
            return None
        n = d.t(a).shape[-1]
        m = d.pick(lambda t: (t.dim() >= 2 and t.shape[-2] == n) or (t.dim() == 1 and t.shape[0] == n))
        w = d.pick(lambda t: t.dim() == 2 and t.shape[-1] == n)
        v = d.pick(lambda t: t.dim() == 1 and t.shape[0] == n)
        return fmt.format(a=a, m=m, w=w, v=v)
    return make


def IDX(fmt):
    """Indexing with index tensors drawn for the picked dim: idx (any, repeats), perm (a permutation along dim),
    gidx (a's shape, values in range), mask."""
    def make(d):
        a = d.pick(lambda t: t.dim() >= 1 and t.numel() > 0)
        if a is None:
            return None
        ta = d.t(a)
        dim = d.rng.randrange(ta.dim())
        n = ta.shape[dim]
        idx = [d.rng.randrange(n) for _ in range(d.rng.randint(1, 4))]
        g = d.nrng.integers(0, n, size=tuple(ta.shape)).tolist()
        perm = np.argsort(d.nrng.random(tuple(ta.shape)), axis=dim).tolist()
        s = d.pick(lambda t: t.shape == ta.shape)
        return fmt.format(a=a, s=s, d=dim, idx=f"torch.tensor({idx})", gidx=f"torch.tensor({g})",
                          perm=f"torch.tensor({perm})", c=_num(d.rng), flat=f"torch.tensor({idx})")
    return make


def VIEW(d):
    a = d.pick()
    if a is None:
        return None
    ta = d.t(a)
    nd = ta.dim()
    choices = ["{a}.unsqueeze(0)", "{a}.reshape(-1)", "{a}.flatten()", "{a}.expand(2, *{a}.shape)",
               "{a}.view_as({a})", "{a}.unsqueeze(-1).expand(*{a}.shape, 2)"]
    if nd >= 1:
        choices += ["{a}[1:]", "{a}[..., -1]", "{a}[0]", "{a}.narrow(0, 0, 1)", "{a}.flip(-1)", "{a}.roll(1, 0)",
                    "{a}.unbind(0)[-1]", "{a}.chunk(2, -1)[0]", "{a}.split(1, 0)[-1]", "{a}[::2]",
                    "{a}.view(-1)", "{a}.repeat_interleave(2, dim=0)"]
    if nd >= 2:
        choices += ["{a}.t()", "{a}.mT", "{a}.transpose(0, -1)", "{a}[:, ::2]", "{a}[:, 1:]", "{a}.movedim(0, -1)",
                    "{a}.permute(*reversed(range({a}.dim())))", "torch.tril({a})", "torch.triu({a}, 1)",
                    "torch.linalg.diagonal({a})", "{a}.swapaxes(0, 1)", "{a}.unflatten(-1, (1, -1))",
                    "{a}.t().contiguous()", "{a}.repeat(2, 1)", "{a}.tile((1, 2))", "{a}.squeeze()",
                    "torch.atleast_3d({a})", "{a}[:, None, :]", "{a}.t().reshape(-1)"]
    pick = d.rng.choice(choices)
    d.subname = pick.replace("{a}", "a").replace(" ", "")
    return pick.format(a=a)


def INPLACE(d):
    """An in-place op on a value that is not a leaf (sometimes a view of one: PyTorch refuses that)."""
    n = d.pick(nonleaf=d.rng.random() < 0.95)
    if n is None:
        return None
    tn = d.t(n)
    b = d.pick(lambda t: _bcast(tn, t) and torch.broadcast_shapes(tn.shape, t.shape) == tn.shape)
    c = _num(d.rng)
    ops = [f"{n}.mul_({c})", f"{n}.sigmoid_()", f"{n}.tanh_()", f"{n}.clamp_(-0.5, 0.6)", f"{n}.relu_()",
           f"{n}.exp_()", f"{n}.add_({c})", f"{n}.zero_()", f"{n}.sin_()", f"{n}.square_()"]
    if b:
        ops += [f"{n}.add_({b})", f"{n}.mul_({b})", f"{n}.sub_({b}, alpha={c})", f"{n}.copy_({b})",
                f"{n}.clamp_(min={b})", f"{n}.clamp_(max={b})", f"{n}.div_({b}.square() + 1)",
                f"{n}.addcmul_({b}, {b})", f"{n}.lerp_({b}, 0.3)", f"{n}.masked_fill_({b} > 0, {c})",
                f"{n}.clamp_min_({b})", f"{n}.atan2_({b})", f"{n}.hypot_({b})"]
    sets = []
    if tn.dim() >= 1:
        sets += [f"{n}[0] = {c}", f"{n}[..., -1] = {c}", f"{n}[{n} > 0] = 0.0"]
        if b and d.t(b).dim() == tn.dim():
            sets += [f"{n}[0] = {b}[0] * 2"]
    if sets and d.rng.random() < 0.3:
        line = d.rng.choice(sets)
        d.subname = "setitem " + line.split("[", 1)[1].split("]")[0].replace(n, "a")
        return ("stmt", line, n)
    line = d.rng.choice(ops)
    d.subname = line.split(".", 1)[1].split("(")[0] + ("(b)" if b and f"({b}" in line or f"={b}" in line else "")
    return ("stmt", "{out} = " + line, None)


def LEAF_WRITE(d):
    """A write into a leaf outside the graph (under no_grad, or through .data): later gradients see the new values,
    and a backward that saved the old ones refuses."""
    x = d.rng.choice(d.leaves)
    if d.rng.random() < 0.5:
        d.subname = "no_grad"
        return ("stmt", f"with torch.no_grad():\n    {x}.mul_(0.5)", None)
    d.subname = "data"
    return ("stmt", f"{x}.data.add_(0.25)", None)


def RETAIN(d):
    n = d.pick(lambda t: t.requires_grad and not t.is_leaf)
    return None if n is None else ("stmt", n + ".retain_grad()", n)


TEMPLATES_W = [
    # elementwise, one value
    ("exp", U("{a}.exp()"), 1), ("sin", U("torch.sin({a})"), 2), ("cos", U("{a}.cos()"), 1),
    ("tanh", U("{a}.tanh()"), 2), ("sigmoid", U("torch.sigmoid({a})"), 2), ("atan", U("{a}.atan()"), 1),
    ("asinh", U("torch.asinh({a})"), 1), ("erf", U("torch.erf({a})"), 1), ("softsign", U("F.softsign({a})"), 1),
    ("logsigmoid", U("F.logsigmoid({a})"), 1), ("softplus", U("F.softplus({a}, beta=2.0)"), 1),
    ("gelu", U("F.gelu({a})"), 1), ("gelu_tanh", U("F.gelu({a}, approximate='tanh')"), 1),
    ("silu", U("F.silu({a})"), 1), ("mish", U("F.mish({a})"), 1), ("elu", U("F.elu({a})"), 1),
    ("selu", U("F.selu({a})"), 1), ("celu", U("F.celu({a}, 0.5)"), 1), ("leaky_relu", U("F.leaky_relu({a}, 0.1)"), 1),
    ("relu", U("torch.relu({a})"), 1), ("relu6", U("F.relu6({a} * 4)"), 1),
    ("hardtanh", U("F.hardtanh({a}, -0.5, 0.5)"), 1), ("hardswish", U("F.hardswish({a} * 3)"), 1),
    ("hardsigmoid", U("F.hardsigmoid({a} * 3)"), 1), ("tanhshrink", U("F.tanhshrink({a})"), 1),
    ("softshrink", U("F.softshrink({a}, 0.3)"), 1), ("hardshrink", U("F.hardshrink({a}, 0.3)"), 1),
    ("threshold", U("F.threshold({a}, 0.1, -1.0)"), 1), ("abs", U("{a}.abs()"), 1), ("square", U("{a}.square()"), 1),
    ("pow3", U("{a}.pow(3)"), 1), ("powf", U("({a}.abs() + 0.1) ** {c}"), 1), ("rpow", U("2 ** {a}"), 1),
    ("sqrt", U("{a}.abs().sqrt()"), 1), ("log", U("torch.log({a}.abs() + 0.5)"), 1),
    ("log1p", U("{a}.abs().log1p()"), 1), ("expm1", U("torch.expm1({a})"), 1),
    ("reciprocal", U("torch.reciprocal({a}.square() + 1)"), 1), ("rsqrt", U("({a}.square() + 1).rsqrt()"), 1),
    ("logit", U("torch.logit({a}.sigmoid())"), 1), ("logit_eps", U("torch.logit({a}, eps=0.1)"), 1),
    ("erfinv", U("torch.erfinv({a}.tanh() * 0.9)"), 1),
    ("nan_to_num", U("torch.nan_to_num({a}, posinf=50.0, neginf=-50.0)"), 1),
    ("clamp", U("torch.clamp({a}, -0.4, 0.8)"), 2), ("clamp_min", U("{a}.clamp_min(0.1)"), 1),
    ("trunc", U("torch.trunc({a})"), 0.3), ("sign", U("{a}.sign()"), 0.3), ("frac", U("{a}.frac()"), 0.3),
    ("scale", U("{a} * {c}"), 2), ("rsub", U("{c} - {a}"), 1), ("div_num", U("{a} / {c}"), 1), ("neg", U("-{a}"), 1),
    ("deg2rad", U("torch.deg2rad({a})"), 0.3), ("remainder", U("torch.remainder({a}, 1.5)"), 0.5),
    ("xlogy_self", U("torch.xlogy({a}, {a}.square() + 0.1)"), 0.5),
    # two values
    ("add", B("{a} + {b}"), 3), ("sub", B("{a} - {b}"), 2), ("mul", B("{a} * {b}"), 3),
    ("div", B("{a} / ({b}.square() + 0.5)"), 2), ("maximum", B("torch.maximum({a}, {b})"), 1),
    ("minimum", B("torch.minimum({a}, {b})"), 1), ("atan2", B("torch.atan2({a}, {b})"), 1),
    ("hypot", B("torch.hypot({a}, {b})"), 1), ("logaddexp", B("torch.logaddexp({a}, {b})"), 1),
    ("xlogy", B("torch.xlogy({a}, {b}.square() + 0.1)"), 1), ("where", B("torch.where({a} > 0, {a}, {b})"), 2),
    ("where_cmp", B("torch.where({a} > {b}, {b}, {a} * 2)"), 1), ("masked_fill", B("{a}.masked_fill({b} > 0, {c})"), 1),
    ("lerp", B("torch.lerp({a}, {b}, 0.3)"), 1),
    ("lerp_tensor", B("torch.lerp({a}, {b}, {b2}.sigmoid())", third=True), 1),
    ("addcmul", B("torch.addcmul({a}, {b}, {b2}, value=0.5)", third=True), 1),
    ("addcdiv", B("torch.addcdiv({a}, {b}, {b2}.square() + 1)", third=True), 1),
    ("pow_tensor", B("torch.pow({a}.abs() + 0.5, {b})"), 1), ("clamp_tensor", B("torch.clamp({a}, min={b})"), 1),
    ("clamp_tensor2", B("{a}.clamp(max={b}, min={b2})", third=True), 0.5),
    ("clip_tensor", B("torch.clip({a}, {b}, {b}+1)"), 0.5),
    # reductions
    ("sum", U("{a}.sum()"), 1), ("sum_dim", U("{a}.sum({d})"), 1), ("sum_keep", U("{a}.sum({d}, keepdim=True)"), 1),
    ("mean", U("{a}.mean({d})"), 1), ("prod", U("{a}.prod({d})"), 1), ("prod_all", U("{a}.prod()"), 0.5),
    ("amax", U("{a}.amax({d})"), 1), ("max", U("{a}.max({d}).values"), 1), ("max_all", U("{a}.max()"), 0.5),
    ("min", U("{a}.min({d})[0]"), 0.5), ("amin", U("{a}.amin()"), 0.5), ("logsumexp", U("{a}.logsumexp({d})"), 1.5),
    ("var", U("{a}.var({d})"), 1), ("std", U("{a}.std()"), 1), ("var_mean", U("torch.var_mean({a}, {d})[0]"), 0.5),
    ("norm", U("{a}.norm()"), 1), ("norm1", U("{a}.norm(p=1, dim={d})"), 0.5),
    ("vector_norm3", U("torch.linalg.vector_norm({a}, ord=3, dim={d})"), 0.5),
    ("vector_norm_inf", U("torch.linalg.vector_norm({a}, ord=float('inf'))"), 0.5),
    ("matrix_norm", U("torch.linalg.matrix_norm({a})"), 0.5), ("cumsum", U("{a}.cumsum({d})"), 1),
    ("cumprod", U("{a}.cumprod({d})"), 1), ("logcumsumexp", U("{a}.logcumsumexp({d})"), 1),
    ("cummax", U("{a}.cummax({d}).values"), 0.5), ("cummin", U("torch.cummin({a}, {d})[0]"), 0.3),
    ("softmax", U("{a}.softmax({d})"), 2), ("log_softmax", U("F.log_softmax({a}, {d})"), 1.5),
    ("softmin", U("F.softmin({a}, {d})"), 0.5), ("normalize", U("F.normalize({a}, dim={d})"), 1),
    ("median", U("{a}.median({d}).values"), 0.5), ("median_all", U("{a}.median()"), 0.3),
    ("topk", U("{a}.topk(1, {d}).values"), 0.5), ("sort", U("{a}.sort({d}).values"), 0.5),
    ("kthvalue", U("{a}.kthvalue(1, {d}).values"), 0.3), ("quantile", U("torch.quantile({a}, 0.3, dim={d})"), 0.5),
    ("nansum", U("{a}.nansum({d})"), 0.3),
    ("nanmean", U("torch.nanmean({a})"), 0.3),
    ("trace", U("torch.trace({a})"), 0.3),
    ("aminmax", U("torch.aminmax({a}).max"), 0.3),
    ("diff", U("{a}.diff(dim={d})"), 0.5),
    ("diag", U("torch.diag({a})"), 0.5),
    ("argmax_gather", U("{a}.gather({d}, {a}.argmax({d}, keepdim=True))"), 0.3),
    ("argsort_gather", U("{a}.gather({d}, {a}.argsort({d}))"), 0.3),
    # matmul, linear, conv
    ("matmul", M("{a} @ {m}"), 3),
    ("linear", M("F.linear({a}, {w})"), 2),
    ("linear_bias", M("F.linear({a}, {w}, {w}[:, 0])"), 1),
    ("mv", M("torch.mv({a}, {v})"), 1),
    ("dot", M("torch.dot({a}, {v})"), 0.5),
    ("outer", M("torch.outer({v}, {a})"), 0.5),
    ("einsum", M("torch.einsum('ij,jk->ik', {a}, {m})"), 1),
    ("einsum_t", M("torch.einsum('...j,kj->...k', {a}, {w})"), 1),
    ("tensordot", M("torch.tensordot({a}, {m}, dims=1)"), 0.5), ("cdist", M("torch.cdist({a}, {w})"), 0.5),
    ("addmm", M("torch.addmm({a} @ {m}, {a}, {m}, beta=0.5, alpha=2.0)"), 0.5),
    ("inner", M("torch.inner({a}, {w})"), 0.5),
    ("matrix_power", U("torch.matrix_power({a}, 2)"), 0.3), ("bmm", U("torch.bmm({a}, {a}.mT)"), 0.3),
    ("conv1d", B("F.conv1d({a}.reshape(1, 1, -1), {b}.reshape(-1)[:2].reshape(1, 1, 2), padding=1)"), 1),
    ("conv2d", B("F.conv2d({a}.reshape(1, 1, {a}.shape[-2], -1), {b}.reshape(-1)[:4].reshape(1, 1, 2, 2))"), 1),
    ("conv_transpose1d", B("F.conv_transpose1d({a}.reshape(1, 1, -1), {b}.reshape(-1)[:2].reshape(1, 1, 2))"), 0.5),
    ("avg_pool1d", U("F.avg_pool1d({a}.reshape(1, 1, -1), 2)"), 0.5),
    ("max_pool1d", U("F.max_pool1d({a}.reshape(1, 1, -1), 2)"), 0.5),
    ("pad", U("F.pad({a}, (1, 2))"), 0.5), ("pad_reflect", U("F.pad({a}.unsqueeze(0), (1, 1), mode='reflect')"), 0.5),
    ("interpolate", U("F.interpolate({a}.reshape(1, 1, -1), scale_factor=2, mode='linear')"), 0.5),
    # indexing
    ("index", IDX("{a}[{idx}]"), 1), ("index_dim", IDX("{a}.index_select({d}, {idx})"), 1),
    ("mask_index", IDX("{a}[{a} > 0]"), 1), ("gather", IDX("{a}.gather({d}, {gidx})"), 1),
    ("scatter", IDX("{a}.scatter({d}, {perm}, {s})"), 1), ("scatter_add", IDX("{a}.scatter_add({d}, {gidx}, {s})"), 1),
    ("index_add", IDX("{a}.index_add(0, {idx}, {s}[{idx}] * 2)"), 0.5), ("take", IDX("torch.take({a}, {flat})"), 0.5),
    ("take_along_dim", IDX("torch.take_along_dim({a}, {gidx}, {d})"), 0.5),
    ("index_fill", IDX("{a}.index_fill({d}, {idx}, {c})"), 0.5),
    ("masked_select", IDX("{a}.masked_select({s} > 0)"), 0.5), ("cat", IDX("torch.cat([{a}, {s}], {d})"), 1),
    ("stack", IDX("torch.stack([{a}, {s}, {a}])"), 0.5),
    ("index_put", IDX("torch.index_put({a}, ({idx},), {s}[0] * 2)"), 0.3),
    # losses and norms
    ("mse_loss", B("F.mse_loss({a}, {b}, reduction='{r}')", same=True), 1),
    ("l1_loss", B("F.l1_loss({a}, {b}, reduction='{r}')", same=True), 0.5),
    ("smooth_l1_loss", B("F.smooth_l1_loss({a}, {b}, beta=0.5)", same=True), 0.5),
    ("huber_loss", B("F.huber_loss({a}, {b}, delta=0.7, reduction='{r}')", same=True), 0.5),
    ("bce", B("F.binary_cross_entropy({a}.sigmoid(), {b}.sigmoid(), reduction='{r}')", same=True), 0.5),
    ("bce_logits", B("F.binary_cross_entropy_with_logits({a}, {b}.sigmoid())", same=True), 0.5),
    ("kl_div", B("F.kl_div({a}.log_softmax(-1), {b}.softmax(-1), reduction='batchmean')", same=True,
                 distinct=True), 0.5),
    ("cross_entropy", U("F.cross_entropy({a}, {a}.detach().argmin(-1))"), 0.5),
    ("cross_entropy_prob", B("F.cross_entropy({a}, {b}.softmax(-1))", same=True), 0.5),
    ("nll_loss", U("F.nll_loss({a}.log_softmax(-1), torch.zeros({a}.shape[:1], dtype=torch.long))"), 0.5),
    ("soft_margin_loss", B("F.soft_margin_loss({a}, {b}.sign())", same=True), 0.3),
    ("poisson_nll", B("F.poisson_nll_loss({a}, {b}.abs())", same=True), 0.3),
    ("gaussian_nll", B("F.gaussian_nll_loss({a}, {b}, {b2}.square() + 0.1)", same=True, third=True), 0.3),
    ("cosine_similarity", B("F.cosine_similarity({a}, {b}, dim=-1)", same=True, distinct=True), 0.5),
    ("pairwise_distance", B("F.pairwise_distance({a}, {b})", same=True), 0.5),
    ("margin_ranking", B("F.margin_ranking_loss({a}, {b}, {b2}.sign(), margin=0.1)", same=True, third=True), 0.3),
    ("hinge_embedding", B("F.hinge_embedding_loss({a}, {b}.sign())", same=True), 0.3),
    ("triplet_margin", B("F.triplet_margin_loss({a}, {b}, {b2})", same=True, third=True), 0.3),
    ("dist", B("torch.dist({a}, {b})", same=True), 0.3),
    ("layer_norm", U("F.layer_norm({a}, {a}.shape[-1:])"), 1),
    ("layer_norm_affine", B("F.layer_norm({a}, {a}.shape[-1:], {b}.reshape(-1)[:{a}.shape[-1]], "
                            "{b}.reshape(-1)[-{a}.shape[-1]:])"), 0.3),
    ("rms_norm", U("F.rms_norm({a}, {a}.shape[-1:])"), 0.5),
    ("batch_norm", U("F.batch_norm({a}, None, None, training=True)"), 0.5),
    ("group_norm", U("F.group_norm({a}.reshape(1, 2, -1), 1)"), 0.3),
    # more of the surface
    ("sinh", U("torch.sinh({a})"), 0.5), ("cosh", U("{a}.cosh()"), 0.5), ("exp2", U("torch.exp2({a})"), 0.5),
    ("log2", U("torch.log2({a}.abs() + 0.5)"), 0.3), ("log10", U("({a}.abs() + 0.5).log10()"), 0.3),
    ("glu", U("F.glu({a}.reshape(-1)[:({a}.numel() // 2) * 2])"), 0.5),
    ("prelu", B("F.prelu({a}, {b}.reshape(-1)[:1])"), 0.5),
    ("where_num", U("torch.where({a} > 0.1, {a}, 0.5)"), 0.5),
    ("softmax_dtype", U("F.softmax({a}, {d}, dtype=torch.float64)"), 0.3),
    ("embedding", IDX("F.embedding({idx}, {a}.reshape({a}.shape[0], -1))"), 0.5),
    ("unfold", U("F.unfold({a}.reshape(1, 1, {a}.shape[-2], -1), 2)"), 0.3),
    ("pixel_shuffle", U("F.pixel_shuffle({a}.reshape(1, 4, 1, -1)[:, :, :, :1].expand(1, 4, 1, 1), 2)"), 0.2),
    ("adaptive_avg_pool1d", U("F.adaptive_avg_pool1d({a}.reshape(1, 1, -1), 2)"), 0.3),
    ("adaptive_max_pool1d", U("F.adaptive_max_pool1d({a}.reshape(1, 1, -1), 2)"), 0.3),
    ("interpolate_bilinear",
     U("F.interpolate({a}.reshape(1, 1, {a}.shape[-2], -1), scale_factor=2, mode='bilinear')"), 0.3),
    ("pad_replicate", U("F.pad({a}.unsqueeze(0), (1, 2), mode='replicate')"), 0.3),
    ("pad_circular", U("F.pad({a}.unsqueeze(0), (1, 1), mode='circular')"), 0.3),
    ("rot90", U("torch.rot90({a})"), 0.3), ("tensor_split", U("{a}.tensor_split(2, {d})[1]"), 0.3),
    ("broadcast_to", B("torch.broadcast_to({a}, ({a} + {b}).shape)"), 0.5),
    ("expand_as", B("{a}.expand_as({b} + {a})"), 0.3), ("einsum_diag", U("torch.einsum('ii->i', {a})"), 0.3),
    ("einsum_rowdot", B("torch.einsum('ij,ij->i', {a}, {b})", same=True), 0.3),
    ("index_copy", IDX("{a}.index_copy({d}, {idx}[:1], {a}.narrow({d}, 0, 1) * 3)"), 0.3),
    ("cumsum_rev", U("{a}.flip({d}).cumsum({d}).flip({d})"), 0.3),
    ("repeat", U("{a}.repeat(2, *([1] * {a}.dim()))"), 0.3),
    ("normalize_p1", U("F.normalize({a}, p=1.0, dim={d})"), 0.3), ("lerp_num", U("{a}.lerp({a}.detach(), 0.5)"), 0.2),
    ("logit_softmax", U("({a}.softmax(-1) + 1e-3).log()"), 0.3),
    # views, in-place, graph surgery
    ("view", VIEW, 8), ("inplace", INPLACE, 3), ("retain_grad", RETAIN, 0.7), ("leaf_write", LEAF_WRITE, 0.3),
    ("clone", U("{a}.clone()"), 0.5), ("detach_mul", B("{a}.detach() * {b}"), 0.5),
    ("requires_grad_", U("{a}.detach().requires_grad_()"), 0.2),
]
TEMPLATES = [(n, f) for n, f, _ in TEMPLATES_W]
WEIGHTS = [w for _, _, w in TEMPLATES_W]


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
