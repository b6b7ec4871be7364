"""The survey's programs on autograd's hooks, views and grad modes (tests/pytorch/survey/idioms_harness.py runs them;
``python idioms_autograd_hooks_views.py [name ...]`` prints their comparison)."""

import sys

from idioms_harness import U, X, main, seed_params, snippet
from idioms_harness import catch as _catch


@snippet
def hook_scales_intermediate_grad(torch):
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    seen = []
    y = x * x
    y.register_hook(lambda g: g * 10)
    z = y.sum() * 0.5
    x.register_hook(lambda g: seen.append(g.clone()))
    z.backward()
    return dict(g=x.grad, seen=seen)


@snippet
def hook_order_and_removal_on_leaf(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    h1 = w.register_hook(lambda g: g + 1)
    h2 = w.register_hook(lambda g: g * 3)
    (w * 2).sum().backward()
    a = w.grad.clone()
    h1.remove()
    w.grad.zero_()
    (w * 2).sum().backward()
    b = w.grad.clone()
    h2.remove()
    h2.remove()
    w.grad = None
    (w * 2).sum().backward()
    return dict(a=a, b=b, c=w.grad)


@snippet
def hook_on_non_requiring_tensor(torch):
    t = torch.ones(2)
    return _catch(lambda: t.register_hook(lambda g: g), RuntimeError)


@snippet
def retain_grad_on_views(torch):
    x = torch.tensor(X((2, 3)), requires_grad=True)
    y = x * 2
    row = y[1]
    row.retain_grad()
    flat = y.view(-1)
    flat.retain_grad()
    tr = y.t()
    tr.retain_grad()
    loss = (row ** 2).sum() + (flat * torch.arange(6.0)).sum() + tr[0].sum()
    loss.backward()
    return dict(row=row.grad, flat=flat.grad, tr=tr.grad, y=y.grad is None, x=x.grad, leaf=row.is_leaf)


@snippet
def retain_grad_sees_hook_result_and_hook_called_once(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    calls = []

    def hook(g):
        calls.append(g.clone())
        return g * 10

    y.register_hook(hook)
    z = (y ** 2).sum() + y.sum() + (y * x).sum()
    z.backward()
    return dict(y=y.grad, x=x.grad, calls=calls, n=len(calls))


@snippet
def retain_grad_accumulates_nonleaf(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    z = (y ** 2).sum()
    z.backward(retain_graph=True)
    a = y.grad.clone()
    z.backward()
    return dict(a=a, b=y.grad, x=x.grad)


@snippet
def grads_through_view_ops(torch):
    x = torch.tensor(X((2, 3, 2)), requires_grad=True)
    a = x.view(6, 2)[::2]
    b = x.permute(2, 0, 1).reshape(2, 6)
    c = x.transpose(0, 2).flatten()[1:4]
    d = x.unsqueeze(0).expand(3, 2, 3, 2)
    e = x.narrow(1, 1, 2).squeeze()
    loss = (a * 2).sum() + (b[0] ** 2).sum() + (c * torch.tensor([1.0, -1.0, 2.0])).sum() + d.sum() + e.prod()
    loss.backward()
    return x.grad


@snippet
def inplace_on_view_of_nonleaf(torch):
    x = torch.tensor(X((3, 4)), requires_grad=True)
    y = x.clone()
    y.view(-1)[[0, 5]] = 0.0
    y.t()[1].mul_(2)
    v = y[0]
    v.sub_(y[1].detach())
    y[:, 2:].exp_()
    (y * torch.tensor(U((3, 4)))).sum().backward()
    return dict(y=y, g=x.grad)


@snippet
def inplace_view_changes_base_grad_fn(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    before = y.grad_fn is not None
    y[1:].pow_(2)
    z = y.sum()
    z.backward()
    return dict(before=before, y=y, g=x.grad, rg=y.requires_grad)


@snippet
def autograd_grad_materialize(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = torch.tensor([[3.0]], requires_grad=True)
    y = (x ** 2).sum()
    g = torch.autograd.grad(y, [x, z], allow_unused=True, materialize_grads=True)
    return dict(g0=g[0], g1=g[1])


@snippet
def autograd_grad_list_outputs_unused(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([0.5], requires_grad=True)
    c = torch.tensor([4.0], requires_grad=True)
    o1 = (a * b).sum()
    o2 = (a ** 2).sum()
    g = torch.autograd.grad([o1, o2], [a, b, c], allow_unused=True, retain_graph=True)
    h = torch.autograd.grad(o1, (b,), retain_graph=True)
    k = torch.autograd.grad([o1, o2], a, grad_outputs=[None, torch.tensor(3.0)])
    return dict(g0=g[0], g1=g[1], g2=g[2] is None, t=type(g).__name__, h=h, k=k, grads=[a.grad, b.grad])


@snippet
def hessian_vector_product_mlp(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)), seed=3)
    x = torch.tensor(X((5, 3)))
    loss = (net(x) ** 2).mean()
    params = list(net.parameters())
    grads = torch.autograd.grad(loss, params, create_graph=True)
    vs = [torch.tensor(X(tuple(p.shape), 10 + i)) for i, p in enumerate(params)]
    gv = sum((g * v).sum() for g, v in zip(grads, vs))
    hv = torch.autograd.grad(gv, params)
    return dict(g=[g.detach() for g in grads], hv=list(hv), rg=grads[0].requires_grad)


@snippet
def gradient_penalty_into_param_grads(torch, nn):
    D = seed_params(torch, nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)), seed=5)
    real = torch.tensor(X((4, 2), 1))
    fake = torch.tensor(X((4, 2), 2))
    alpha = torch.tensor(U((4, 1), 3))
    inter = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = D(inter)
    g = torch.autograd.grad(outputs=out, inputs=inter, grad_outputs=torch.ones_like(out), create_graph=True,
                            retain_graph=True, only_inputs=True)[0]
    gp = ((g.view(g.size(0), -1).norm(2, dim=1) - 1) ** 2).mean() * 10
    gp.backward()
    return dict(gp=gp, grads=[p.grad for p in D.parameters()], ig=inter.grad)


@snippet
def backward_inputs_nonleaf_and_subset(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    h = a * b
    out = (h ** 2).sum()
    out.backward(inputs=[h], retain_graph=True)
    hg = h.grad.clone()
    out.backward(inputs=[b], retain_graph=True)
    bg = b.grad.clone()
    torch.autograd.backward(out, inputs=[a, b])
    return dict(hg=hg, bg=bg, a=a.grad, b=b.grad)


@snippet
def set_grad_enabled_decorator(torch):
    try:
        @torch.set_grad_enabled(False)
        def frozen(x):
            return x * 2, torch.is_grad_enabled()

        after_decorating = torch.is_grad_enabled()
    finally:
        torch.set_grad_enabled(True)
    x = torch.ones(2, requires_grad=True)
    a, st = frozen(x)
    return dict(a=a.requires_grad, st=st, after_decorating=after_decorating, now=torch.is_grad_enabled())


@snippet
def no_grad_enable_grad_decorators(torch):
    @torch.no_grad()
    def nog(x):
        with torch.enable_grad():
            inner = x * 3
        return x * 2, inner

    @torch.enable_grad()
    def eg(x):
        return x * 4

    x = torch.ones(2, requires_grad=True)
    b, inner = nog(x)
    with torch.no_grad():
        c = eg(x)
        still = torch.is_grad_enabled()
    return dict(b=b.requires_grad, inner=inner.requires_grad, c=c.requires_grad, still=still,
                now=torch.is_grad_enabled())


@snippet
def set_grad_enabled_nested_states(torch):
    x = torch.ones(1, requires_grad=True)
    st = []
    with torch.set_grad_enabled(False):
        st.append(torch.is_grad_enabled())
        with torch.set_grad_enabled(True):
            st.append(torch.is_grad_enabled())
            y = x * 2
        with torch.enable_grad():
            with torch.no_grad():
                st.append(torch.is_grad_enabled())
        st.append(torch.is_grad_enabled())
    st.append(torch.is_grad_enabled())
    mode = True
    with torch.set_grad_enabled(mode and False):
        z = x * 2
    return dict(st=st, y=y.requires_grad, z=z.requires_grad, ygf=y.grad_fn is not None)


@snippet
def inference_mode_basic(torch, nn):
    net = seed_params(torch, nn.Linear(3, 2))
    x = torch.tensor(X((2, 3)))
    with torch.inference_mode():
        y = net(x)
        inside = torch.is_inference_mode_enabled()
        g = torch.is_grad_enabled()
    with torch.inference_mode(False):
        z = net(x)
        inside2 = torch.is_inference_mode_enabled()

    @torch.inference_mode()
    def predict(v):
        return net(v).argmax(1)
    return dict(y=y, rg=y.requires_grad, inside=inside, g=g, z=z.requires_grad, inside2=inside2, p=predict(x),
                after=torch.is_inference_mode_enabled())


@snippet
def detach_shares_memory_and_version(torch):
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a * 2
    d = b.detach()
    d[0] = 100.0
    shared = b[0].item()
    c = a.sigmoid()
    c.detach().zero_()
    err = _catch(lambda: c.sum().backward(), RuntimeError)
    e = a.exp()
    e.detach().add_(0)
    err2 = _catch(lambda: e.sum().backward(), RuntimeError)
    return dict(shared=shared, b=b, err=err, err2=err2, dreq=d.requires_grad, dleaf=d.is_leaf)


@snippet
def requires_grad_chain_returns_self(torch):
    t = torch.zeros(3)
    r = t.requires_grad_()
    same = r is t
    r2 = t.requires_grad_(False)
    u = torch.tensor(X((2,))).requires_grad_().mul(2).sum()
    p = torch.ones(2, dtype=torch.float64).requires_grad_(True)
    return dict(same=same, same2=r2 is t, rg=t.requires_grad, u=u.requires_grad, leaf=u.is_leaf, p=p.requires_grad,
                int_err=_catch(lambda: torch.ones(2, dtype=torch.int64).requires_grad_(), RuntimeError))


@snippet
def data_assignment_shape_change(torch, nn):
    lin = seed_params(torch, nn.Linear(2, 3))
    lin.weight.data = torch.ones(3, 2) * 0.5
    out1 = lin(torch.ones(1, 2))
    p = nn.Parameter(torch.ones(2))
    p.data = torch.arange(4.0)
    req = p.requires_grad
    (p * p).sum().backward()
    return dict(out1=out1, p=p, req=req, g=p.grad, t=type(p).__name__, leaf=p.is_leaf)


@snippet
def leaf_grad_accumulation_and_zero(torch):
    w = torch.tensor([1.0, -1.0], requires_grad=True)
    (w * 3).sum().backward()
    g1 = w.grad
    a = g1.clone()
    (w ** 2).sum().backward()
    same = g1 is w.grad
    b = w.grad.clone()
    r = w.grad.zero_()
    (w * w * w).sum().backward()
    return dict(a=a, b=b, same=same, zr=r is w.grad, c=w.grad, greq=w.grad.requires_grad)


@snippet
def manual_grad_set_and_accumulate(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    w.grad = torch.tensor([10.0, 10.0])
    (w * 2).sum().backward()
    g = w.grad.clone()
    wrong = _catch(lambda: setattr(w, "grad", torch.zeros(3)), RuntimeError)
    dt = _catch(lambda: setattr(w, "grad", torch.zeros(2, dtype=torch.int64)), RuntimeError)
    return dict(g=g, wrong=wrong, dt=dt)


@snippet
def no_grad_result_then_requires_grad(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        y = x * 2
    leaf = y.is_leaf
    y.requires_grad_()
    (y ** 2).sum().backward()
    return dict(leaf=leaf, yg=y.grad, xg=x.grad is None, gf=y.grad_fn is None)


@snippet
def autograd_errors_nonscalar_and_nograd(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    c = torch.tensor([1.0, 2.0])
    return dict(nonscalar=_catch(lambda: torch.autograd.grad(y, x, retain_graph=True), RuntimeError),
                nograd=_catch(lambda: torch.autograd.grad((c * 2).sum(), c), RuntimeError),
                noinput=_catch(lambda: torch.autograd.grad(y.sum(), torch.ones(1, requires_grad=True)), RuntimeError),
                freed=_catch(lambda: [y.sum().backward(), y.sum().backward()], RuntimeError))


@snippet
def double_backward_second_derivative(torch):
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = (x ** 3 + torch.sin(x)).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    diag = []
    for i in range(3):
        (h,) = torch.autograd.grad(g[i], x, retain_graph=True)
        diag.append(h[i])
    g.sum().backward()
    return dict(g=g.detach(), diag=torch.stack(diag), xg=x.grad, gf=g.grad_fn is not None)


@snippet
def grad_wrt_intermediate_activation(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)))
    x = torch.tensor(X((2, 3)))
    h = net[1](net[0](x))
    out = net[2](h)
    (gh,) = torch.autograd.grad(out[:, 1].sum(), h, retain_graph=True)
    gx = torch.autograd.grad(out[:, 0].sum(), [h, net[0].weight])
    return dict(gh=gh, gx=list(gx), pg=net[0].weight.grad is None)


@snippet
def backward_on_one_element_nonscalar(torch, nn):
    lin = seed_params(torch, nn.Linear(3, 1))
    out = lin(torch.tensor(X((1, 3))))
    out.backward()
    g1 = lin.weight.grad.clone()
    lin.zero_grad()
    nn.functional.binary_cross_entropy_with_logits(out.detach() + lin(torch.ones(1, 3)), torch.ones(1, 1),
                                                   reduction="none").backward()
    return dict(shape=out.shape, g1=g1, g2=lin.weight.grad,
                err=_catch(lambda: lin(torch.ones(2, 3)).backward(), RuntimeError))


@snippet
def hook_grad_clip_during_training(torch, nn, optim):
    net = seed_params(torch, nn.Linear(3, 1))
    handles = [p.register_hook(lambda g: g.clamp(-0.1, 0.1)) for p in net.parameters()]
    opt = optim.SGD(net.parameters(), lr=1.0)
    x = torch.tensor(X((4, 3)) * 5)
    log = []
    for step in range(3):
        opt.zero_grad()
        loss = (net(x) ** 2).mean()
        loss.backward()
        log.append((loss.item(), net.weight.grad.clone()))
        opt.step()
        if step == 1:
            for h in handles:
                h.remove()
    return dict(log=log, w=net.weight)


@snippet
def is_leaf_and_grad_fn_matrix(torch):
    a = torch.ones(2)
    b = torch.ones(2, requires_grad=True)
    c = b * 2
    d = c.detach()
    e = b[0]
    f = b.clone()
    g = torch.zeros(2).requires_grad_()
    return dict(leaf=[t.is_leaf for t in (a, b, c, d, e, f, g)], rg=[t.requires_grad for t in (a, b, c, d, e, f, g)],
                gfn=[t.grad_fn is None for t in (a, b, c, d, e, f, g)])


if __name__ == "__main__":
    main(sys.argv[1:])
