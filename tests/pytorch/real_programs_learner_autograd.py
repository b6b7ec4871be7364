"""test_real_programs_learner.py's programs on autograd: in-place mistakes and in-place writes through views, Jacobians
and Hessians, hooks, custom Functions and their edges, grad modes (the header is in test_real_programs_learner.py)."""


import numpy as np

from pytorch.real_programs_learner_sequences import _load_np
from pytorch.test_real_programs_learner import Raised, _gc, _try


def inplace_mistakes(torch, seed):
    """The errors a learner meets, with PyTorch's exception types."""
    res = {}

    def catch(name, fn):
        try:
            fn()
            res[name] = "ok"
        except Exception as e:  # noqa: BLE001 (the kind is what is compared)
            res[name] = Raised(e)

    w = torch.tensor([1.0, 2.0], requires_grad=True)

    def upd_outside_no_grad():
        w2 = torch.tensor([1.0, 2.0], requires_grad=True)
        w2 -= 0.1

    catch("leaf_inplace", upd_outside_no_grad)
    catch("backward_twice", lambda: [y.backward(), y.backward()] if (y := (w * w).sum()) is not None else None)
    catch("nonscalar_backward", lambda: (w * 2).backward())
    catch("item_multi", lambda: w.item())
    catch("numpy_rg", lambda: w.numpy())
    catch("grad_of_nonleaf_warn", lambda: (w * 2).grad)

    def saved_modified():
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        b = a * 1
        c = b.exp()
        b.add_(1)
        c.sum().backward()

    catch("saved_modified", saved_modified)

    def sigmoid_modified():
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        c = a.sigmoid()
        c.mul_(2)
        c.sum().backward()

    catch("sigmoid_out_modified", sigmoid_modified)
    catch("shape_mismatch", lambda: torch.ones(2, 3) @ torch.ones(2, 3))
    catch("dtype_mismatch_mm", lambda: torch.ones(2, 2) @ torch.ones(2, 2, dtype=torch.float64))
    catch("long_requires_grad", lambda: torch.tensor([1, 2], requires_grad=True))
    catch("int_mean", lambda: torch.tensor([1, 2]).mean())
    catch("ce_float_target_wrong_shape", lambda: torch.nn.functional.cross_entropy(torch.ones(2, 3), torch.ones(2)))
    catch("nll_int32_target", lambda: torch.nn.functional.nll_loss(torch.ones(2, 3), torch.tensor([0, 1],
                                                                                                  dtype=torch.int32)))
    catch("view_noncontig", lambda: torch.ones(2, 3).t().view(6))
    catch("grad_zero_none", lambda: torch.ones(2, requires_grad=True).grad.zero_())
    catch("float_index", lambda: torch.ones(3)[torch.tensor([0.0])])
    catch("bool_tensor_ambiguous", lambda: bool(torch.tensor([1.0, 2.0])))
    catch("int_add_inplace_float", lambda: torch.tensor([1, 2]).add_(1.5))
    catch("requires_grad_nonleaf", lambda: (w * 2).requires_grad_(False))
    # no_grad result then backward
    with torch.no_grad():
        z = (w * 2).sum()
    catch("no_grad_backward", lambda: z.backward())
    catch("detach_backward", lambda: w.detach().sum().backward())
    return res


def nograd_inplace_updates(torch, seed):
    # a learner's SGD with momentum and weight decay by hand, compared with optim.SGD
    nn = torch.nn
    rng = np.random.default_rng(seed)
    X = torch.tensor(rng.normal(size=(8, 3)))
    Y = torch.tensor(rng.integers(0, 2, size=8))
    m1 = nn.Linear(3, 2).double()
    _load_np(torch, m1, rng)
    m2 = nn.Linear(3, 2).double()
    m2.load_state_dict(m1.state_dict())
    bufs = [torch.zeros_like(p) for p in m1.parameters()]
    opt = torch.optim.SGD(m2.parameters(), lr=0.1, momentum=0.9, weight_decay=0.01, dampening=0.0)
    for step in range(5):
        loss = nn.functional.cross_entropy(m1(X), Y)
        m1.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p, b in zip(m1.parameters(), bufs):
                g = p.grad + 0.01 * p
                if step == 0:
                    b.copy_(g)
                else:
                    b.mul_(0.9).add_(g)
                p.add_(b, alpha=-0.1)
        opt.zero_grad()
        nn.functional.cross_entropy(m2(X), Y).backward()
        opt.step()
    return {"m1": [p.detach() for p in m1.parameters()], "m2": [p.detach() for p in m2.parameters()],
            "same": all(bool(torch.allclose(a, b, rtol=1e-12, atol=0)) for a, b in zip(m1.parameters(),
                                                                                        m2.parameters())),
            "buf": bufs[0]}  # (opt.state holds arrays where PyTorch's holds tensors: docs/pytorch.md)


def inplace_views_learner(torch, seed):
    rng = np.random.default_rng(seed)
    out = {}
    x = torch.tensor(rng.normal(size=(3, 4)), requires_grad=True)
    y = x * 1
    row = y[1]
    row.mul_(2)
    col = y[:, 2]
    col.add_(1)
    y.t()[0].zero_()
    (y ** 2).sum().backward()
    out["xg"] = x.grad
    out["y"] = y
    out["fn"] = y.grad_fn.name()
    a = torch.tensor(rng.normal(size=4), requires_grad=True)
    b = a.clone()
    b[b < 0] = 0
    b.relu_()
    b = b.clamp(max=0.5)
    b.sum().backward()
    out["ag"] = a.grad
    c = torch.tensor(rng.normal(size=(2, 3)), requires_grad=True)
    d = c.exp()
    e = d.view(3, 2)
    e.add_(1)
    out["view_mod_err"] = _try(lambda: d.sum().backward())
    out["c_grad"] = c.grad
    f = torch.tensor(rng.normal(size=3), requires_grad=True)
    g = f.sigmoid()
    h = g.unsqueeze(0)
    out["unsq_err"] = _try(lambda: (h.mul_(2), g.sum().backward()))
    out["f_grad"] = f.grad
    k = torch.zeros(3, 3, dtype=torch.float64)
    src = torch.tensor(rng.normal(size=3), requires_grad=True)
    idx = torch.arange(3)
    k[idx, idx] = src
    k[0].add_(src)
    (k * torch.arange(9.0, dtype=torch.float64).view(3, 3)).sum().backward()
    out["diag_copy"] = src.grad
    out["k_fn"] = k.grad_fn.name()
    out["k_rg"] = k.requires_grad
    return out


def jacobian_hessian(torch, seed):
    rng = np.random.default_rng(seed)
    AF = torch.autograd.functional
    A = torch.tensor(rng.normal(size=(3, 3)))

    def f(x):
        return torch.tanh(A @ x) * x

    def energy(x):
        return (x ** 4).sum() / 4 + x @ A @ x

    x = torch.tensor(rng.normal(size=3))
    J = AF.jacobian(f, x)
    H = AF.hessian(energy, x)
    _, vjp = AF.vjp(f, x, torch.ones(3, dtype=torch.float64))
    _, jvp = AF.jvp(f, x, torch.ones(3, dtype=torch.float64))
    _, hvp = AF.hvp(energy, x, torch.ones(3, dtype=torch.float64))
    Jc = AF.jacobian(f, x, create_graph=True)
    xr = x.clone().requires_grad_()
    Jr = AF.jacobian(f, xr, create_graph=True)
    Jr.trace().backward()
    # Newton's method by hand
    z = torch.tensor(rng.normal(size=3), requires_grad=True)
    for _ in range(3):
        e = energy(z)
        (g,) = torch.autograd.grad(e, z, create_graph=True)
        Hm = torch.stack([torch.autograd.grad(g[i], z, retain_graph=True)[0] for i in range(3)])
        with torch.no_grad():
            z -= torch.tensor(np.linalg.solve(Hm.numpy(), g.detach().numpy()))
    return {"J": J, "H": H, "vjp": vjp, "jvp": jvp, "hvp": hvp, "Jc_rg": Jc.requires_grad, "xr_grad": xr.grad, "z": z}


# ================================================================ second batch
def hooks_more(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    res = {}
    x = torch.tensor(rng.normal(size=3), requires_grad=True)
    y = x * 2
    calls = []
    y.register_hook(lambda g: calls.append("a") or None)
    y.register_hook(lambda g: calls.append("b") or g + 1)
    y.register_hook(lambda g: calls.append(("c", g.tolist())) or None)
    (y * y).sum().backward()
    res["calls"] = calls
    res["xg"] = x.grad
    # hook on a tensor used twice: called once with the summed gradient
    a = torch.tensor(rng.normal(size=2), requires_grad=True)
    seen = []
    h = a * 1
    h.register_hook(lambda g: seen.append(g.tolist()))
    (h * 3 + h.exp()).sum().backward()
    res["seen"] = seen
    # hook returning a gradient for a leaf: the stored grad is the returned one
    w = torch.tensor(rng.normal(size=2), requires_grad=True)
    w.retain_grad()
    w.register_hook(lambda g: torch.zeros_like(g))
    (w * 5).sum().backward()
    res["w_zero"] = w.grad
    try:
        torch.ones(2).register_hook(lambda g: g)
        res["nograd_hook"] = "ok"
    except RuntimeError:
        res["nograd_hook"] = "RuntimeError"
    # backward hook that replaces grad_input
    lin = nn.Linear(3, 2).double()
    _load_np(torch, lin, rng)
    lin.register_full_backward_hook(lambda m, gin, gout: (gin[0] * 0 + 1,))
    xi = torch.tensor(rng.normal(size=(4, 3)), requires_grad=True)
    lin(xi).sum().backward()
    res["replaced"] = xi.grad
    res["lin_wgrad"] = lin.weight.grad
    # forward hook on a module whose output is a tuple (LSTM), and prepend=True ordering
    order = []
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    seq[0].register_forward_hook(lambda m, i, o: order.append(1))
    seq[0].register_forward_hook(lambda m, i, o: order.append(0), prepend=True)
    seq[0].register_forward_pre_hook(lambda m, i: order.append("pre"))
    seq(torch.ones(1, 2))
    res["order"] = order
    # forward hook with_kwargs
    got = []
    seq[1].register_forward_hook(lambda m, args, kwargs, out: got.append((len(args), sorted(kwargs))),
                                 with_kwargs=True)
    seq(torch.ones(1, 2))
    res["kw"] = got
    # post-accumulate-grad hook on a parameter
    return res


def function_more(torch, seed):
    rng = np.random.default_rng(seed)

    class Clamp01(torch.autograd.Function):
        """straight-through estimator"""
        @staticmethod
        def forward(ctx, x):
            return x.clamp(0, 1)

        @staticmethod
        def backward(ctx, g):
            return g

    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    class SumSq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return (x * x).sum() + (y * y).sum(), x.detach() * 0 + 1

        @staticmethod
        def backward(ctx, g, g_aux):
            x, y = ctx.saved_tensors
            return 2 * x * g, 2 * y * g

    class GradReverse(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, lam):
            ctx.lam = lam
            return x.view_as(x)

        @staticmethod
        def backward(ctx, g):
            return g.neg() * ctx.lam, None

    x = torch.tensor(rng.normal(size=5), requires_grad=True)
    (Clamp01.apply(x) * torch.arange(5.0, dtype=torch.float64)).sum().backward()
    a = torch.tensor(rng.normal(size=3), requires_grad=True)
    s = Scale.apply(a, 3.0)
    s2 = Scale.apply(s, torch.tensor(2.0, dtype=torch.float64))
    s2.sum().backward()
    p = torch.tensor(rng.normal(size=2), requires_grad=True)
    q = torch.tensor(rng.normal(size=2))
    tot, aux = SumSq.apply(p, q)
    tot.backward()
    feat = torch.tensor(rng.normal(size=3), requires_grad=True)
    r = GradReverse.apply(feat, 0.5)
    (r * 2).sum().backward()
    nograd = Scale.apply(torch.ones(2, dtype=torch.float64), 2.0)
    with torch.no_grad():
        ng2 = Scale.apply(torch.ones(2, dtype=torch.float64, requires_grad=True), 2.0)
    # a Function used inside a module and checked by gradcheck in float64
    ok = _gc(torch)(lambda t: GradReverse.apply(t, 1.5) * -1 / 1.5, (torch.tensor(rng.normal(size=3),
                                                                              requires_grad=True),),
                    raise_exception=False)
    bad = _gc(torch)(Clamp01.apply, (torch.tensor([0.5, 2.0], dtype=torch.float64, requires_grad=True),),
                     raise_exception=False)
    return {"xg": x.grad, "ag": a.grad, "pg": p.grad, "aux_rg": aux.requires_grad, "fg": feat.grad,
            "ng_rg": nograd.requires_grad, "ng_fn": nograd.grad_fn is None, "ng2_rg": ng2.requires_grad, "ok": ok,
            "bad": bad, "tot": tot}


def function_edges(torch, seed):
    rng = np.random.default_rng(seed)
    out = {}

    class Ident(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = torch.tensor(rng.normal(size=3), requires_grad=True)
    y = Ident.apply(x)
    out["ident_same"] = y is x
    (y * 3).sum().backward()
    out["ident_grad"] = x.grad

    class Saver(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    a = torch.tensor(rng.normal(size=3), requires_grad=True)
    s = Saver.apply(a).sum()
    s.backward()
    out["saver_free"] = _try(lambda: s.backward())
    b = torch.tensor(rng.normal(size=3), requires_grad=True)
    s2 = Saver.apply(b).sum()
    s2.backward(retain_graph=True)
    s2.backward()
    out["retained"] = b.grad

    class BadSave(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(3.0)
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g

    out["save_number"] = _try(lambda: BadSave.apply(torch.ones(2, requires_grad=True)))

    class Mixed(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, n):
            ctx.n = n
            return x * n, n + 1, "tag"

        @staticmethod
        def backward(ctx, g, g_int, g_str):
            return g * ctx.n, None

    c = torch.tensor(rng.normal(size=2), requires_grad=True)
    r, k, tag = Mixed.apply(c, 4)
    r.sum().backward()
    out["mixed"] = (k, tag, c.grad)
    d = torch.tensor(rng.normal(size=2))
    out["nograd_input"] = (Saver.apply(d).requires_grad, Saver.apply(d).grad_fn is None)

    class Outer(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return Saver.apply(x) + 1

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x

    e = torch.tensor(rng.normal(size=2), requires_grad=True)
    o = Outer.apply(e)
    o.sum().backward()
    out["nested"] = (e.grad, o.grad_fn.name())

    class IntGrad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g.double() * 2

    f = torch.tensor(rng.normal(size=2).astype(np.float32), requires_grad=True)
    IntGrad.apply(f).sum().backward()
    out["grad_dtype"] = f.grad

    class ViewOut(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.view(-1)[:2]

        @staticmethod
        def backward(ctx, g):
            res = torch.zeros(ctx.shape if hasattr(ctx, "shape") else (2, 2), dtype=g.dtype)
            res.view(-1)[:2] = g
            return res

    h = torch.tensor(rng.normal(size=(2, 2)), requires_grad=True)
    vo = ViewOut.apply(h)
    (vo * torch.tensor([1.0, 2.0], dtype=torch.float64)).sum().backward()
    out["view_out"] = h.grad
    # hook on a Function's output and retain_grad
    i = torch.tensor(rng.normal(size=3), requires_grad=True)
    so = Saver.apply(i)
    so.retain_grad()
    so.register_hook(lambda g: g * 10)
    so.sum().backward()
    out["hooked"] = (i.grad, so.grad)
    # a Function in a module, trained, gradcheck with eps/atol arguments
    lin = torch.tensor(rng.normal(size=(3, 3)), requires_grad=True)
    ok = _gc(torch)(
        lambda t: Saver.apply(t @ lin), (torch.tensor(rng.normal(size=(2, 3)), requires_grad=True),), eps=1e-6,
        atol=1e-5)
    out["gc"] = ok
    return out


def grad_modes(torch, seed):
    rng = np.random.default_rng(seed)
    x = torch.tensor(rng.normal(size=3), requires_grad=True)
    out = {}

    @torch.no_grad()
    def infer(v):
        return v * 2

    out["decorated"] = infer(x).requires_grad
    with torch.no_grad():
        with torch.enable_grad():
            y = x * 2
        z = x * 2
    out["inner"] = (y.requires_grad, z.requires_grad)
    torch.set_grad_enabled(False)
    w = x * 3
    torch.set_grad_enabled(True)
    out["set_fn"] = w.requires_grad
    with torch.set_grad_enabled(False):
        v = x + 1
    out["set_ctx"] = (v.requires_grad, torch.is_grad_enabled())
    a = x.detach()
    a.requires_grad_()
    out["detach_rg"] = (a.requires_grad, a.is_leaf)
    b = x * 1
    b.detach_()
    out["detach_"] = (b.requires_grad, b.grad_fn is None)
    c = torch.tensor(rng.normal(size=2), requires_grad=True)
    out["grad_shape_err"] = _try(lambda: setattr(c, "grad", torch.zeros(3, dtype=torch.float64)))
    c.grad = torch.ones(2, dtype=torch.float64)
    (c * 2).sum().backward()
    out["grad_after"] = c.grad
    d = torch.tensor(rng.normal(size=2), requires_grad=True)
    loss1, loss2 = (d ** 2).sum(), d.sum() * 3
    torch.autograd.backward([loss1, loss2])
    out["ab"] = d.grad
    e = torch.tensor(rng.normal(size=(2, 2)), requires_grad=True)
    torch.autograd.backward(e * 2, grad_tensors=torch.full((2, 2), 0.5, dtype=torch.float64))
    out["ab_gt"] = e.grad
    f = torch.tensor(rng.normal(size=2), requires_grad=True)
    g = (f.exp() * 2).sum()
    g.backward()
    out["second_err"] = _try(lambda: g.backward())
    h = torch.tensor(rng.normal(size=2), requires_grad=True)
    out["data_set"] = _try(lambda: setattr(h, "data", torch.zeros(2, dtype=torch.float64)))
    out["h_after"] = h
    out["h_rg"] = h.requires_grad
    return out
