"""composed_programs.py's first half: the libraries side by side, what a step observes, drawing a step and running
it (the second half compares, minimises and classifies)."""

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
