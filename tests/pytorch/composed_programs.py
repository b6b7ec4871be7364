"""Composed programs: 2-6 public calls that feed one another, run under minigan and under PyTorch, traces compared.

Where the surface programs (surface_programs.py) draw one call each, these compose: views (expand, permute,
transpose, slices with steps, narrow, view/reshape, split/chunk/unbind, squeeze, movedim), in-place ops on views and
on bases (add_, mul_, clamp_, masked_fill_, index_add_, scatter_, copy_, fill_, zero_, x[i] = v, +=), operands that
require grad written into tensors that do not, grad-mode blocks (no_grad, set_grad_enabled(False), enable_grad inside
no_grad, no_grad as a function's and a generator's decorator), detach/detach_, .data (read and assigned),
requires_grad_, retain_grad, register_hook, autograd.grad with create_graph then a second backward,
autograd.Function subclasses, NaN/±inf/-0.0, empty and 0-d tensors, five dtypes and their promotion, NumPy scalars.

A program is a list of steps; each reads tensors of a pool by index and may add one.  The steps are drawn while the
program runs under PyTorch (so shapes fit), then replayed under minigan.  Each step records what a learner looks at:
values, dtype, shape, requires_grad, is_leaf, whether grad_fn is None, view-ness (``_base``, by its place in the
pool), every tensor's version counter and values, or the exception's built-in classes.  A loss made of some tensors is
then differentiated (backward, twice with retain_graph, or autograd.grad with create_graph and a second backward) and
the gradients, retained gradients and what each hook saw are recorded.

A difference is either one of KNOWN's classes (each says why it stays: a difference listed in docs/pytorch.md, or one
measured and left) or a failure.  ``python tests/pytorch/composed_programs.py --seeds 0:2000`` sweeps;
``--show SEED`` prints one program, minimised, with both traces.  (inference_mode is left out: minigan has no
inference tensors, docs/pytorch.md; a hook is never registered under no_grad: PyTorch 2.13 crashes with a
segmentation fault registering one on a view whose base changed in place.)
"""

import math
import random
import warnings

import numpy as np

DTYPES = ["float32", "float64", "float64", "float16", "int64", "int32", "bool"]
FLOATS = ("float16", "float32", "float64")


def _np(t):
    try:
        a = t.detach().numpy(force=True)  # (PyTorch: also an "efficient zero" gradient of create_graph)
    except TypeError:
        a = t.detach().numpy()
    return np.array(a, copy=True)


def _dtype_name(t):
    return str(t.dtype).split(".")[-1]


def _exc_class(e):
    """The built-in classes an exception is an instance of (torch's own classes are mapped to their built-in bases)."""
    builtins_ = (IndexError, TypeError, ValueError, NotImplementedError, ZeroDivisionError, AttributeError,
                 KeyError, AssertionError, RuntimeError)
    return tuple(c.__name__ for c in builtins_ if isinstance(e, c))


class Lib:
    """What a program needs of a library: minigan or torch, under one face."""

    def __init__(self, name):
        if name == "torch":
            import torch as L
        else:
            import minigan as L
        self.name, self.L = name, L
        self.autograd = L.autograd

    def dtype(self, name):
        return getattr(self.L, name)

    def function_classes(self):
        """Three autograd.Function subclasses, the same code for both libraries."""
        Function = self.L.autograd.Function

        class Cube(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x * x

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return 3 * x * x * g

        class ScaleTwo(Function):  # a non-tensor argument, gradient None for it
            @staticmethod
            def forward(ctx, x, k):
                ctx.k = k
                return x * k, x + 1

            @staticmethod
            def backward(ctx, g1, g2):
                return g1 * ctx.k + g2, None

        class Clip(Function):  # saves a mask, marks it non-differentiable
            @staticmethod
            def forward(ctx, x):
                mask = x > 0
                ctx.save_for_backward(mask)
                ctx.mark_non_differentiable(mask)
                return x.clamp(min=0), mask

            @staticmethod
            def backward(ctx, g, gmask):
                (mask,) = ctx.saved_tensors
                return g * mask

        class First(Function):  # returns a view of its input (PyTorch makes the output a view of it)
            @staticmethod
            def forward(ctx, x):
                ctx.shape = x.shape
                return x[:1] if x.dim() else x

            @staticmethod
            def backward(ctx, g):
                if len(ctx.shape) == 0:
                    return g
                return self.L.cat([g, g.new_zeros((ctx.shape[0] - 1,) + tuple(ctx.shape[1:]))]) * 2

        return {"Cube": Cube, "ScaleTwo": ScaleTwo, "Clip": Clip, "First": First}


def grad_mode_ctx(lib, mode):
    """The context manager of a step's grad mode (None: none)."""
    L = lib.L
    if mode == "no_grad":
        return L.no_grad()
    if mode == "set_false":
        return L.set_grad_enabled(False)
    if mode == "enable_in_no_grad":
        class Both:
            def __enter__(self):
                self.a = L.no_grad()
                self.a.__enter__()
                self.b = L.enable_grad()
                self.b.__enter__()

            def __exit__(self, *exc):
                self.b.__exit__(*exc)
                self.a.__exit__(*exc)
        return Both()
    return None


# ------------------------------------------------------------------------------------------------------------------
# Observations

def observe(lib, t, pool):
    """What a learner sees of one tensor."""
    if not hasattr(t, "dtype"):
        return ("notensor", repr(type(t).__name__))
    base = getattr(t, "_base", None)
    base_ix = -2 if base is None else next((i for i, p in enumerate(pool) if p is base), -1)
    v = _np(t)
    return {"shape": tuple(t.shape), "dtype": _dtype_name(t), "rg": bool(t.requires_grad), "leaf": bool(t.is_leaf),
            "fn": t.grad_fn is not None, "base": base_ix, "values": v}


def versions(pool):
    out = []
    for p in pool:
        try:
            out.append(p._version)
        except Exception:  # noqa: BLE001  (a tensor without one)
            out.append(None)
    return out


# ------------------------------------------------------------------------------------------------------------------
# Drawing

def _shape(r):
    nd = r.choice([0, 1, 1, 2, 2, 2, 3, 3])
    return tuple(r.choice([0, 1, 2, 3, 3, 4]) if r.random() < 0.08 else r.choice([1, 2, 3, 4]) for _ in range(nd))


def _values(r, shape, dtype):
    n = int(np.prod(shape)) if shape else 1
    if dtype == "bool":
        return np.array([r.random() < 0.5 for _ in range(n)], dtype=bool).reshape(shape)
    if dtype in ("int64", "int32"):
        return np.array([r.randint(-4, 5) for _ in range(n)], dtype=dtype).reshape(shape)
    special = [math.nan, math.inf, -math.inf, -0.0, 0.0]
    vals = [r.choice(special) if r.random() < 0.06 else round(r.uniform(-2, 2), 3) for _ in range(n)]
    return np.array(vals, dtype=dtype).reshape(shape)


def _scalar(r):
    k = r.randrange(8)
    return [("py", 2.5), ("py", -1), ("np", "float64", 1.5), ("np", "float32", 0.5), ("np", "int64", 3),
            ("py", True), ("np", "bool_", True), ("py", 0.0)][k]


def make_scalar(spec):
    if spec[0] == "py":
        return spec[1]
    return getattr(np, spec[1])(spec[2])


def draw_step(r, lib, pool):
    """One step, drawn from the state of the pool under PyTorch."""
    n = len(pool)
    i = r.randrange(n)
    x = pool[i]
    nd, shape = x.dim(), tuple(x.shape)
    kinds = ["view", "view", "compute", "compute", "inplace", "inplace", "meta", "function", "new"]
    kind = r.choice(kinds)
    mode = r.choice([None] * 6 + ["no_grad", "set_false", "enable_in_no_grad", "no_grad_fn", "no_grad_gen"])
    st = {"kind": kind, "i": i, "mode": mode}
    if kind == "new":
        dt = r.choice(DTYPES)
        shp = shape if r.random() < 0.6 else _shape(r)
        st.update(op="leaf", dtype=dt, values=_values(r, shp, dt), rg=dt in FLOATS and r.random() < 0.7)
        return st
    if kind == "view":
        ops = ["permute", "transpose", "slice", "narrow", "view", "reshape", "expand",
               "unsqueeze", "squeeze", "t", "flatten", "movedim", "chunk", "unbind", "T", "view_as",
               "split_slice", "detach", "data", "index_int"]
        op = r.choice(ops)
        st["op"] = op
        if op == "permute":
            p = list(range(nd))
            r.shuffle(p)
            st["args"] = p
        elif op in ("transpose", "movedim"):
            st["args"] = [r.randrange(-nd, nd) if nd else 0, r.randrange(-nd, nd) if nd else 0]
        elif op in ("slice", "narrow", "chunk", "index_int", "unbind", "split_slice", "index_int"):
            if nd == 0:
                st["op"] = "unsqueeze"
                st["args"] = [0]
            else:
                d = r.randrange(nd)
                size = shape[d]
                a = r.randrange(0, size + 1)
                if op == "slice":
                    st["args"] = [d, a if r.random() < 0.5 else None, r.choice([None, size, a + 2, -1]),
                                  r.choice([1, 2, 3])]
                elif op == "narrow":
                    st["args"] = [d, min(a, size), r.randrange(0, size - min(a, size) + 1)]
                elif op == "unfold":
                    st["args"] = [d, r.randrange(1, size + 1) if size else 1, r.choice([1, 2])]
                elif op in ("select", "index_int"):
                    st["args"] = [d, r.randrange(-size, size) if size else 0]
                elif op == "chunk":
                    st["args"] = [d, r.choice([1, 2, 3])]
                elif op == "split_slice":
                    st["args"] = [d, r.choice([1, 2])]
                else:
                    st["args"] = [d]
                st["k"] = r.randrange(4)
        elif op == "diagonal":
            if nd < 2:
                st["op"] = "unsqueeze"
                st["args"] = [0]
            else:
                d1, d2 = r.sample(range(nd), 2)
                st["args"] = [r.choice([0, 0, 1, -1]), d1, d2]
        elif op in ("view", "reshape"):
            numel = int(np.prod(shape)) if shape else 1
            cands = [(-1,), (numel,), (1, numel), (numel, 1)]
            for a in (2, 3, 4):
                if numel % a == 0 and numel:
                    cands.append((a, -1))
                    cands.append((-1, a))
            if numel == 1:
                cands.append(())
            st["args"] = list(r.choice(cands))
        elif op == "expand":
            new = list(shape)
            if new and r.random() < 0.6:
                ones = [k for k, s in enumerate(new) if s == 1]
                if ones:
                    new[r.choice(ones)] = r.choice([2, 3])
            if r.random() < 0.5 or not new:
                new = [r.choice([1, 2])] + new
            if new and r.random() < 0.3:
                new[r.randrange(len(new))] = -1
            st["args"] = new
        elif op in ("unsqueeze",):
            st["args"] = [r.randrange(-nd - 1, nd + 1)]
        elif op == "squeeze":
            st["args"] = [r.randrange(-nd, nd)] if nd and r.random() < 0.6 else []
        elif op == "view_as":
            st["j"] = r.randrange(n)
        return st
    if kind == "compute":
        ops = ["add", "mul", "sub", "div", "maximum", "pow", "where", "matmul", "cat", "stack", "clamp",
               "masked_fill", "exp", "tanh", "sin", "abs", "neg", "sqrt", "log", "sigmoid", "relu", "square",
               "reciprocal", "sum", "mean", "amax", "cumsum", "norm", "to", "clone", "contiguous", "rsub_scalar",
               "iop", "index_select", "gather", "softmax", "mul_scalar", "add_scalar", "div_scalar", "pow_scalar",
               "gt"]
        op = r.choice(ops)
        st["op"] = op
        st["j"] = r.randrange(n)
        st["scalar"] = _scalar(r)
        st["dim"] = r.randrange(-nd, nd) if nd else None
        st["keepdim"] = r.random() < 0.4
        st["dtype"] = r.choice(DTYPES)
        st["lo"], st["hi"] = r.choice([(-0.5, 0.5), (None, 0.3), (0.1, None), (1, 0)])
        st["seed"] = r.randrange(10 ** 6)
        return st
    if kind == "inplace":
        ops = ["add_", "mul_", "sub_", "div_", "clamp_", "masked_fill_", "index_add_", "scatter_", "copy_", "fill_",
               "zero_", "exp_", "relu_", "iadd", "imul", "setitem", "add_alpha", "neg_", "sigmoid_",
               "requires_grad_", "detach_", "retain_grad", "hook", "hook_scale"]
        op = r.choice(ops)
        st["op"] = op
        st["j"] = r.randrange(n)
        st["scalar"] = _scalar(r)
        st["dim"] = r.randrange(nd) if nd else 0
        st["seed"] = r.randrange(10 ** 6)
        st["lo"], st["hi"] = r.choice([(-0.5, 0.5), (None, 0.3), (0.1, None)])
        if op.startswith("hook"):
            st["mode"] = None  # (see the module's docstring)
        return st
    if kind == "meta":
        st["op"] = r.choice(["detach", "data", "requires_grad_", "retain_grad", "hook", "set_data", "detach_",
                             "grad_now", "backward_now"])
        st["j"] = r.randrange(n)
        st["seed"] = r.randrange(10 ** 6)
        if st["op"] == "hook":
            st["mode"] = None
        return st
    st["op"] = r.choice(["Cube", "ScaleTwo", "Clip", "First"])
    st["scalar"] = _scalar(r)
    return st


# ------------------------------------------------------------------------------------------------------------------
# Running one step

def _rand_like_np(seed, shape, dtype):
    g = np.random.default_rng(seed)
    if dtype == "bool":
        return g.random(shape) < 0.5
    if dtype.startswith("int"):
        return g.integers(-3, 4, shape).astype(dtype)
    return np.round(g.uniform(-2, 2, shape), 3).astype(dtype)


def run_step(lib, st, pool, hooks):
    L = lib.L
    if st["kind"] == "new":
        return L.tensor(st["values"], dtype=lib.dtype(st["dtype"]), requires_grad=st["rg"])
    x = pool[st["i"]]
    op = st["op"]
    y = pool[st["j"]] if "j" in st and st["j"] < len(pool) else x
    T = lambda a: L.tensor(a)  # noqa: E731
    if st["kind"] == "new":
        t = L.tensor(st["values"], dtype=lib.dtype(st["dtype"]), requires_grad=st["rg"])
        return t
    if st["kind"] == "view":
        a = st.get("args", [])
        if op == "permute":
            return x.permute(*a)
        if op == "transpose":
            return x.transpose(*a)
        if op == "movedim":
            return x.movedim(*a)
        if op == "slice":
            d, start, stop, step = a
            return x[(slice(None),) * d + (slice(start, stop, step),)]
        if op == "narrow":
            return x.narrow(*a)
        if op == "unfold":
            return x.unfold(*a)
        if op == "select":
            return x.select(*a)
        if op == "index_int":
            return x[(slice(None),) * a[0] + (a[1],)]
        if op == "chunk":
            parts = x.chunk(a[1], a[0])
            return parts[st["k"] % len(parts)]
        if op == "split_slice":
            parts = x.split(a[1], a[0])
            return parts[st["k"] % len(parts)]
        if op == "unbind":
            parts = x.unbind(a[0])
            return parts[st["k"] % len(parts)] if parts else x
        if op == "diagonal":
            return x.diagonal(*a)
        if op == "view":
            return x.view(*a) if a else x.view(())
        if op == "reshape":
            return x.reshape(*a) if a else x.reshape(())
        if op == "expand":
            return x.expand(*a)
        if op == "unsqueeze":
            return x.unsqueeze(*a)
        if op == "squeeze":
            return x.squeeze(*a)
        if op == "t":
            return x.t()
        if op == "T":
            return x.T if x.dim() in (0, 2) else x.permute(*reversed(range(x.dim())))
        if op == "flatten":
            return x.flatten()
        if op == "view_as":
            return x.view_as(y)
        if op == "detach":
            return x.detach()
        if op == "data":
            return x.data
    if st["kind"] == "compute":
        s = make_scalar(st["scalar"])
        dim, kd = st["dim"], st["keepdim"]
        if op in ("add", "mul", "sub", "div", "maximum", "pow"):
            return getattr(L, op)(x, y)
        if op == "where":
            return L.where(x > 0, x, y)
        if op == "matmul":
            return x @ y
        if op in ("cat", "stack"):
            return getattr(L, op)([x, y], dim=dim or 0)
        if op == "clamp":
            return x.clamp(st["lo"], st["hi"])
        if op == "masked_fill":
            return x.masked_fill(y > 0, s)
        if op in ("exp", "tanh", "sin", "abs", "neg", "sqrt", "log", "sigmoid", "relu", "square", "reciprocal",
                  "clone", "contiguous"):
            return getattr(x, op)()
        if op in ("sum", "mean", "amax", "cumsum"):
            if dim is None or op == "cumsum" and dim is None:
                return getattr(x, op)() if op != "cumsum" else x.cumsum(0)
            return getattr(x, op)(dim) if op == "cumsum" else getattr(x, op)(dim, keepdim=kd)
        if op == "norm":
            return x.norm()
        if op == "softmax":
            return x.softmax(dim if dim is not None else 0)
        if op == "to":
            return x.to(lib.dtype(st["dtype"]))
        if op == "rsub_scalar":
            return s - x
        if op == "mul_scalar":
            return x * s
        if op == "add_scalar":
            return x + s
        if op == "div_scalar":
            return x / s
        if op == "pow_scalar":
            return x ** s
        if op == "gt":
            return x > s
        if op == "iop":
            z = x.clone()
            z += y
            return z
        if op in ("index_select", "gather"):
            d = 0 if dim is None else dim
            size = x.shape[d] if x.dim() else 1
            idx = np.random.default_rng(st["seed"]).integers(0, max(size, 1), (2,))
            if op == "index_select":
                return x.index_select(d, T(idx))
            ishape = list(x.shape)
            if ishape:
                ishape[d] = 2
            gi = np.random.default_rng(st["seed"]).integers(0, max(size, 1), ishape)
            return x.gather(d, T(gi))
    if st["kind"] == "inplace" or st["kind"] == "meta":
        s = make_scalar(st.get("scalar", ("py", 1.0)))
        if op in ("add_", "mul_", "sub_", "div_"):
            src = y if (st["seed"] % 2) else s
            return getattr(x, op)(src)
        if op == "add_alpha":
            return x.add_(y, alpha=2)
        if op == "clamp_":
            return x.clamp_(st["lo"], st["hi"])
        if op == "masked_fill_":
            return x.masked_fill_(y > 0, s)
        if op == "index_add_":
            d = st["dim"]
            size = x.shape[d] if x.dim() else 1
            g = np.random.default_rng(st["seed"])
            idx = g.integers(0, max(size, 1), (2,))
            sshape = list(x.shape)
            if sshape:
                sshape[d] = 2
            src = y if tuple(y.shape) == tuple(sshape) else L.tensor(_rand_like_np(st["seed"], sshape, _dtype_name(x)))
            return x.index_add_(d, T(idx), src)
        if op == "scatter_":
            d = st["dim"]
            size = x.shape[d] if x.dim() else 1
            ishape = list(x.shape)
            g = np.random.default_rng(st["seed"])
            idx = g.integers(0, max(size, 1), ishape)
            return x.scatter_(d, T(idx), y if y.shape == x.shape else s)
        if op == "copy_":
            return x.copy_(y)
        if op == "fill_":
            return x.fill_(s)
        if op in ("zero_", "exp_", "relu_", "neg_", "sigmoid_"):
            return getattr(x, op)()
        if op == "iadd":
            x += y
            return x
        if op == "imul":
            x *= s
            return x
        if op == "setitem":
            if x.dim() == 0:
                x[...] = s
            else:
                x[0] = y[0] if y.dim() and y.shape[1:] == x.shape[1:] else s
            return x
        if op == "requires_grad_":
            return x.requires_grad_()
        if op == "detach_":
            return x.detach_()
        if op == "detach":
            return x.detach()
        if op == "data":
            return x.data
        if op == "set_data":
            x.data = y
            return x
        if op == "retain_grad":
            x.retain_grad()
            return x
        if op in ("hook", "hook_scale"):
            k = len(hooks)
            hooks.append([])

            def hook(g, k=k, scale=op == "hook_scale"):
                hooks[k].append(_np(g))
                return g * 2 if scale else None
            x.register_hook(hook)
            return x
        if op == "grad_now":
            out = (x * x).sum() if x.dtype.is_floating_point else x.sum()
            gs = lib.autograd.grad(out, [x], create_graph=True, allow_unused=True)
            return gs[0] if gs[0] is not None else x
        if op == "backward_now":
            out = (x * x).sum() if x.dtype.is_floating_point else x.sum()
            out.backward(retain_graph=bool(st["seed"] % 2))
            return x.grad * 1 if x.grad is not None else x  # (the grad's own version is PyTorch's internal detail)
    if st["kind"] == "function":
        fns = lib.function_classes()
        if op == "Cube":
            return fns["Cube"].apply(x)
        if op == "ScaleTwo":
            return fns["ScaleTwo"].apply(x, make_scalar(st["scalar"]))[st.get("k", 0) % 2]
        if op == "Clip":
            return fns["Clip"].apply(x)[0]
        if op == "First":
            return fns["First"].apply(x)
    raise AssertionError("unknown step " + repr(st))


def run_with_mode(lib, st, pool, hooks):
    mode = st["mode"]
    L = lib.L
    if mode == "no_grad_fn":
        @L.no_grad()
        def f():
            return run_step(lib, st, pool, hooks)
        return f()
    if mode == "no_grad_gen":
        @L.no_grad()
        def g():
            yield run_step(lib, st, pool, hooks)
        return next(g())
    ctx = grad_mode_ctx(lib, mode)
    if ctx is None:
        return run_step(lib, st, pool, hooks)
    with ctx:
        return run_step(lib, st, pool, hooks)


def finish(lib, fin, pool, hooks):
    """The loss and its derivatives: what each leaf, retained tensor and hook saw."""
    L = lib.L
    out = []
    picks = [k for k in fin["picks"] if k < len(pool)]
    terms = []
    for k in picks:
        t = pool[k]
        if t.dtype.is_floating_point and t.requires_grad:
            w = L.tensor(_rand_like_np(fin["seed"] + k, tuple(t.shape), "float64")).to(t.dtype)
            terms.append((t * w).sum() if fin["square"] == 0 else (t * t * w).sum())
    if not terms:
        return [("noloss",)]
    loss = terms[0]
    for term in terms[1:]:
        loss = loss + term.to(loss.dtype) if term.dtype != loss.dtype else loss + term
    worst = max((_tol(_dtype_name(p)), _dtype_name(p)) for p in pool)[1]  # (the loosest tolerance of any value)
    out.append(("loss", _np(loss), _dtype_name(loss), bool(loss.requires_grad), worst))
    leaves = [p for p in pool if p.requires_grad and p.is_leaf]
    if fin["how"] == "backward":
        loss.backward(retain_graph=fin["twice"])
        if fin["twice"]:
            loss.backward()
    else:
        gs = lib.autograd.grad(loss, leaves, create_graph=True, allow_unused=True) if leaves else ()
        out.append(("grads", [None if g is None else (_np(g), bool(g.requires_grad)) for g in gs]))
        second = [(g * g).sum() for g in gs if g is not None and g.requires_grad and g.dtype.is_floating_point]
        if second:
            s2 = second[0]
            for term in second[1:]:
                s2 = s2 + term
            s2.backward()
    for k, p in enumerate(pool):
        g = p.grad if (p.is_leaf or p.requires_grad) else None
        out.append(("grad", k, None if g is None else (_np(g), _dtype_name(g))))
    out.append(("hooks", [[h for h in hk] for hk in hooks]))
    return out


def execute(libname, prog, draw_seed=None):
    """Run a program; with draw_seed, draw it as it runs (torch) and return (program, trace)."""
    lib = Lib(libname)
    r = random.Random(draw_seed) if draw_seed is not None else None
    pool, trace, hooks = [], [], []
    steps = prog["steps"] if prog else []
    if r is not None:
        steps = []
        nleaf = r.choice([1, 1, 2])
        for _ in range(nleaf):
            dt = r.choice(["float64", "float64", "float32"] + DTYPES)
            shp = _shape(r)
            steps.append({"kind": "new", "op": "leaf", "i": 0, "mode": None, "dtype": dt,
                          "values": _values(r, shp, dt), "rg": dt in FLOATS and r.random() < 0.85})
        nsteps = r.randint(2, 6)
    k = 0
    while True:
        if r is not None:
            if k >= nleaf + nsteps:
                break
            if k >= nleaf:
                steps.append(draw_step(r, lib, pool))
        elif k >= len(steps):
            break
        st = steps[k]
        k += 1
        if st["i"] >= len(pool) and st["kind"] != "new":
            trace.append(("skip",))
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t = run_with_mode(lib, st, pool, hooks)
        except Exception as e:  # noqa: BLE001
            trace.append(("raise", _exc_class(e), type(e).__name__, str(e)[:200]))
            continue
        if hasattr(t, "dtype"):
            pool.append(t)
            try:
                trace.append(("ok", observe(lib, t, pool), versions(pool), [_np(p) for p in pool]))
            except Exception as e:  # noqa: BLE001
                trace.append(("raise_obs", _exc_class(e), type(e).__name__, str(e)[:200]))
        else:
            trace.append(("ok", "none"))
    if r is not None:
        fin = {"picks": r.sample(range(len(pool)), min(len(pool), r.choice([1, 2]))) if pool else [],
               "seed": r.randrange(1000), "square": r.randrange(2), "how": r.choice(["backward", "grad"]),
               "twice": r.random() < 0.15}
        prog = {"steps": steps, "fin": fin}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trace.append(("finish", finish(lib, prog["fin"], pool, hooks)))
    except Exception as e:  # noqa: BLE001
        trace.append(("raise_fin", _exc_class(e), type(e).__name__, str(e)[:200]))
    return prog, trace


# ------------------------------------------------------------------------------------------------------------------
# Comparing

def _tol(dt):
    return {"float16": 2e-2, "float32": 2e-5}.get(dt, 1e-9)


def same_values(a, b, dt="float64"):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "biu" or b.dtype.kind in "biu":
        return a.dtype == b.dtype and np.array_equal(a, b)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    if not np.array_equal(np.isnan(a64), np.isnan(b64)):
        return False
    fin = np.isfinite(a64) & np.isfinite(b64)
    if not np.array_equal(np.isinf(a64), np.isinf(b64)) or not np.array_equal(a64[~fin & ~np.isnan(a64)],
                                                                              b64[~fin & ~np.isnan(b64)]):
        return False
    t = _tol(dt)
    return bool(np.allclose(a64[fin], b64[fin], rtol=t, atol=t))


def compare_entry(a, b):
    """None when two trace entries agree, else a short description."""
    if a[0] != b[0]:
        if a[0].startswith("raise") or b[0].startswith("raise"):
            return "torch %s / minigan %s" % (a[0] + (":" + a[2] if a[0].startswith("raise") else ""),
                                              b[0] + (":" + b[2] + " " + b[3] if b[0].startswith("raise") else ""))
        return "kind %s/%s" % (a[0], b[0])
    if a[0] in ("raise", "raise_fin"):
        # PyTorch's class must be one minigan's exception is an instance of
        if not set(a[1]) <= set(b[1]):
            return "exception class torch %s%s / minigan %s%s: %s" % (a[2], a[1], b[2], b[1], b[3])
        return None
    if a[0] == "skip":
        return None
    if a[0] == "ok":
        if a[1] == "none" or b[1] == "none":
            return None if a[1] == b[1] else "result none/tensor"
        oa, ob = a[1], b[1]
        for key in ("shape", "dtype", "rg", "leaf", "fn", "base"):
            if oa[key] != ob[key]:
                return "%s torch %r / minigan %r" % (key, oa[key], ob[key])
        worst = max((_tol(str(v.dtype)), str(v.dtype)) for v in a[3])[1]  # (a float32 value rounded once, then
        if not same_values(oa["values"], ob["values"], worst):  # widened, differs by float32's ulp)
            return "values"
        if any(va is not None and va != vb for va, vb in zip(a[2], b[2])):
            return "versions torch %r / minigan %r" % (a[2], b[2])
        for k, (pa, pb) in enumerate(zip(a[3], b[3])):
            if not same_values(pa, pb, worst):
                return "pool[%d] values after step" % k
        return None
    if a[0] == "finish":
        fa, fb = a[1], b[1]
        worst = fa[0][4] if fa and fa[0][0] == "loss" else "float64"
        if len(fa) != len(fb):
            return "finish length"
        for ea, eb in zip(fa, fb):
            if ea[0] != eb[0]:
                return "finish %s/%s" % (ea[0], eb[0])
            if ea[0] == "loss":
                if ea[2:] != eb[2:] or not same_values(ea[1], eb[1], ea[4]):
                    return "loss %r/%r" % (ea[2:], eb[2:])
            elif ea[0] == "grads":
                for ga, gb in zip(ea[1], eb[1]):
                    if (ga is None) != (gb is None):
                        return "autograd.grad None torch %s / minigan %s" % (ga is None, gb is None)
                    if ga is not None and (ga[1] != gb[1] or not same_values(ga[0], gb[0], worst)):
                        return "autograd.grad value/requires_grad (rg %s/%s)" % (ga[1], gb[1])
            elif ea[0] == "grad":
                ga, gb = ea[2], eb[2]
                if (ga is None) != (gb is None):
                    return "pool[%d].grad None torch %s / minigan %s" % (ea[1], ga is None, gb is None)
                if ga is not None and (ga[1] != gb[1] or not same_values(ga[0], gb[0], worst)):
                    return "pool[%d].grad values/dtype" % ea[1]
            elif ea[0] == "hooks":
                if len(ea[1]) != len(eb[1]):
                    return "hook count"
                for ha, hb in zip(ea[1], eb[1]):
                    if len(ha) != len(hb):
                        return "hook calls torch %d / minigan %d" % (len(ha), len(hb))
                    for x, y in zip(ha, hb):
                        if not same_values(x, y, str(x.dtype)):
                            return "hook saw other values"
    return None


def first_difference(prog, ta, tb):
    """(the index of the first entry where two traces differ, a short description), or (None, None)."""
    for k, (a, b) in enumerate(zip(ta, tb)):
        d = compare_entry(a, b)
        if d:
            steps = prog["steps"]
            where = ("%s/%s/%s" % (steps[k]["kind"], steps[k]["op"], steps[k]["mode"]) if k < len(steps)
                     else "finish/" + prog["fin"]["how"])
            return k, where + " :: " + d
    if len(ta) != len(tb):
        return min(len(ta), len(tb)), "trace length"
    return None, None


def compare(prog_or_seed):
    """(the program, the index of its first difference, what differs): a seed is drawn, a program replayed."""
    if isinstance(prog_or_seed, int):
        prog, ta = execute("torch", None, draw_seed=prog_or_seed)
    else:
        prog = prog_or_seed
        _, ta = execute("torch", prog)
    _, tb = execute("minigan", prog)
    k, d = first_difference(prog, ta, tb)
    return prog, k, d


def _made(prog):
    """For each step, the pool index it made under PyTorch (None when it made none)."""
    _, trace = execute("torch", prog)
    made, n = [], 0
    for e in trace[:len(prog["steps"])]:
        if e[0] == "ok" and e[1] != "none" or e[0] == "raise_obs":
            made.append(n)
            n += 1
        else:
            made.append(None)
    return made


def _drop(prog, k, made):
    p = made[k]
    steps = []
    for q, s in enumerate(prog["steps"]):
        if q == k:
            continue
        s = dict(s)
        for key in ("i", "j"):
            if key in s and p is not None and s["kind"] != "new":
                if s[key] == p:
                    return None
                if s[key] > p:
                    s[key] -= 1
        steps.append(s)
    fin = dict(prog["fin"])
    if p is not None:
        if p in fin["picks"]:
            return None
        fin["picks"] = [x - 1 if x > p else x for x in fin["picks"]]
    return {"steps": steps, "fin": fin}


def minimise(prog):
    """Drop steps while the program still differs the same way."""
    _, k0, d0 = compare(prog)
    if k0 is None:
        return prog, None
    key = d0.split(" :: ")[1].split(" ")[0]
    changed = True
    while changed:
        changed = False
        made = _made(prog)
        for k in range(len(prog["steps"]) - 1, -1, -1):
            cand = _drop(prog, k, made)
            if cand is None:
                continue
            try:
                _, k1, d1 = compare(cand)
            except Exception:  # noqa: BLE001
                continue
            if k1 is not None and d1.split(" :: ")[1].split(" ")[0] == key:
                prog, d0, changed = cand, d1, True
                break
    return prog, d0


def describe(prog):
    lines = []
    for s in prog["steps"]:
        s = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in s.items()}
        lines.append(repr(s))
    lines.append("fin " + repr(prog["fin"]))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------------------------
# The classes a difference may belong to and stay: (name, why, test of the two trace entries where they first differ)

def _msg(e):
    return e[3] if e[0].startswith("raise") else ""


KNOWN = [
    ("a freed graph walked again through nodes that saved nothing",
     "PyTorch frees only saved values, so a second walk through nodes that saved none (sum, mean, add, views) runs; "
     "minigan frees the whole node and refuses (GraphError, a RuntimeError): measured, left",
     lambda a, b: "second time" in _msg(b) and not a[0].startswith("raise")),
    ("a saved tensor changed in place that minigan's backward does not read",
     "docs/pytorch.md: PyTorch refuses at backward, minigan's result is the true one",
     lambda a, b: "modified by an inplace operation" in _msg(a) and not b[0].startswith("raise")),
    ("a saved tensor detach_()ed in place that minigan's backward does not read",
     "docs/pytorch.md (a saved tensor changed in place or detach_()ed): PyTorch refuses at backward, minigan runs",
     lambda a, b: "detached in-place" in _msg(a) and not b[0].startswith("raise")),
    ("the version of a vector-matrix product",
     "PyTorch computes x @ W for a 1-d x through an internal in-place op, so its result starts at version 1 (an "
     "implementation detail); minigan's at 0: measured, left",
     lambda a, b: False),  # (told by classify, which sees the step)
    ("view() of a computed tensor that NumPy laid out otherwise",
     "docs/pytorch.md: PyTorch refuses, minigan copies",
     lambda a, b: "view size is not compatible" in _msg(a) and b[0] == "ok"),
    ("x.data = another tensor after x was used in the graph",
     "PyTorch's recorded nodes then read the new data (or check the old shape), minigan's keep the values they saved: "
     "measured, left",
     lambda a, b: "invalid gradient at index" in _msg(a)),
    ("a stale view used by an op that records nothing",
     "docs/pytorch.md: a split/chunk/unbind (or no_grad) view whose base changed in place, used by an op that records "
     "nothing (an integer cast): PyTorch refuses at the next recorded op, minigan at that op",
     lambda a, b: "changed in place since" in _msg(b) and a[0] == "ok" and not a[1]["fn"] and not a[1]["rg"]),
    ("an autograd.Function that records nothing, returning its input",
     "nothing recorded: minigan returns the input detached (a tensor on its memory), PyTorch a view of the input: "
     "measured, left (the values and flags agree)",
     lambda a, b: False),  # (told by classify, which sees the step)
    ("an empty gradient through a view regenerated after an in-place change",
     "PyTorch regenerates the grad_fn of a view whose base changed in place as AsStridedBackward0, whose backward of "
     "0 elements returns plain zeros (no graph), so autograd.grad(create_graph=True) gives an empty gradient that "
     "does not require grad; minigan replays the view's own ops (PermuteBackward0 ...), as PyTorch does without the "
     "in-place change: an implementation detail, measured, left (the values agree)",
     lambda a, b: False),  # (told by classify, which sees the steps)
]


def classify(prog, k, ta, tb):
    """The KNOWN class of a difference at entry k (None when it is in none)."""
    a, b = ta[k], tb[k]
    for name, _why, test in KNOWN:
        if test(a, b):
            return name
    if any(s["op"] == "set_data" for s in prog["steps"][:k + 1]):
        return "x.data = another tensor after x was used in the graph"
    if k < len(prog["steps"]) and prog["steps"][k]["op"] == "matmul" and a[0] == b[0] == "ok" and \
            isinstance(a[1], dict) and (a[2][-1], b[2][-1]) == (1, 0) and a[2][:-1] == b[2][:-1]:
        return "the version of a vector-matrix product"
    grads = [e[1] for e in (a[1] + b[1] if a[0] == b[0] == "finish" else []) if e[0] == "grads"]
    empty = len(grads) == 2 and any(u is not None and u[0].size == 0 and (u[1], v[1]) == (False, True)
                                    for u, v in zip(*grads))  # (the class's own difference, at least once)
    if empty and any(s["kind"] == "inplace" for s in prog["steps"]) and all(
            (u is None) == (v is None) and (u is None or u[0].size == 0 and not u[1] or  # (the finish's first
                                            u[1] == v[1] and same_values(u[0], v[0], str(u[0].dtype)))  # difference
            for u, v in zip(*grads)):  # is then an empty gradient's requires_grad; the later ones follow from it)
        return "an empty gradient through a view regenerated after an in-place change"
    if k < len(prog["steps"]) and prog["steps"][k]["op"] == "First" and a[0] == b[0] == "ok" and \
            not a[1]["rg"] and a[1]["base"] != -2 and b[1]["base"] == -2:
        return "an autograd.Function that records nothing, returning its input"
    return None


def sweep(start, stop):
    """Every program of seeds start..stop-1: counts by KNOWN class, and the differences in none."""
    counts, unknown = {"programs": 0, "agree": 0}, []
    for seed in range(start, stop):
        counts["programs"] += 1
        prog, ta = execute("torch", None, draw_seed=seed)
        _, tb = execute("minigan", prog)
        k, d = first_difference(prog, ta, tb)
        if d is None:
            counts["agree"] += 1
            continue
        name = classify(prog, k, ta, tb)
        if name is None:
            unknown.append((seed, d))
        else:
            counts[name] = counts.get(name, 0) + 1
    return counts, unknown


def show(seed):
    prog, _ = execute("torch", None, draw_seed=seed)
    prog, d = minimise(prog)
    print("seed", seed, "minimised:", d)
    _, ta = execute("torch", prog)
    _, tb = execute("minigan", prog)
    for k, s in enumerate(prog["steps"]):
        print(k, {key: (v.tolist() if isinstance(v, np.ndarray) else v) for key, v in s.items()})
        for who, t in (("  PyTorch:", ta), ("  minigan:", tb)):
            e = t[k] if k < len(t) else None
            if e and e[0] == "ok" and isinstance(e[1], dict):
                e = ("ok", {key: v for key, v in e[1].items() if key != "values"}, e[1]["values"].tolist(), e[2])
            print(who, e)
    print("finish", prog["fin"])
    print("  PyTorch:", ta[-1])
    print("  minigan:", tb[-1])


if __name__ == "__main__":
    import argparse

    import minigan

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="0:1000", help="A:B, the programs' seeds")
    parser.add_argument("--show", type=int, help="print one program, minimised, with both traces")
    args = parser.parse_args()
    minigan.set_num_threads(1)
    if args.show is not None:
        show(args.show)
    else:
        a, b = (int(v) for v in args.seeds.split(":"))
        counts, unknown = sweep(a, b)
        for seed, d in unknown:
            print(seed, d)
        print(counts, "unknown:", len(unknown))
