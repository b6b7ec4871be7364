"""Drawing graph_programs.py's programs: each seed's lines over its leaves, from templates of the differentiable
surface, as plain text for either library."""

import random
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
HELD_OUT = range(1_000_000, 1_100_000)   # the final measurement: never drawn while developing


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
        self.ns = {"torch": torch, "F": torch.nn.functional}  # graph_programs.LIBS["torch"]
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
