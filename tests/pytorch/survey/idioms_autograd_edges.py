"""The survey's programs on custom autograd Functions and autograd's edges (tests/pytorch/survey/idioms_harness.py runs
them; ``python idioms_autograd_edges.py [name ...]`` prints their comparison)."""

import sys

from idioms_harness import X, main, seed_params, snippet
from idioms_harness import catch as _catch


@snippet
def function_setup_context_style(torch):
    class MyCube(torch.autograd.Function):
        @staticmethod
        def forward(x):
            result = x ** 3
            dx = 3 * x ** 2
            return result, dx

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, = inputs
            result, dx = output
            ctx.save_for_backward(x, dx)

        @staticmethod
        def backward(ctx, grad_output, grad_dx):
            x, dx = ctx.saved_tensors
            return grad_output * dx + grad_dx * 6 * x

    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    out, dx = MyCube.apply(x)
    g, = torch.autograd.grad(out.sum(), x, create_graph=True)
    g2, = torch.autograd.grad(g.sum(), x)
    return dict(out=out, dx=dx, g=g, g2=g2)


@snippet
def function_linear_needs_input_grad(torch, nn):
    class LinearFunction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input, weight, bias=None):
            ctx.save_for_backward(input, weight, bias)
            output = input.mm(weight.t())
            if bias is not None:
                output += bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def backward(ctx, grad_output):
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_weight = grad_bias = None
            if ctx.needs_input_grad[0]:
                grad_input = grad_output.mm(weight)
            if ctx.needs_input_grad[1]:
                grad_weight = grad_output.t().mm(input)
            if bias is not None and ctx.needs_input_grad[2]:
                grad_bias = grad_output.sum(0)
            return grad_input, grad_weight, grad_bias

    class MyLinear(nn.Module):
        def __init__(self, input_features, output_features, bias=True):
            super().__init__()
            self.weight = nn.Parameter(torch.empty(output_features, input_features))
            if bias:
                self.bias = nn.Parameter(torch.empty(output_features))
            else:
                self.register_parameter("bias", None)
            nn.init.uniform_(self.weight, -0.1, 0.1)
            if self.bias is not None:
                nn.init.uniform_(self.bias, -0.1, 0.1)

        def forward(self, input):
            return LinearFunction.apply(input, self.weight, self.bias)

        def extra_repr(self):
            return f"input_features={self.weight.shape[1]}, output_features={self.weight.shape[0]}"

    m = seed_params(torch, MyLinear(3, 2))
    m2 = seed_params(torch, MyLinear(3, 2, bias=False))
    x = torch.tensor(X((4, 3)))
    y = m(x)
    (y ** 2).sum().backward()
    x2 = torch.tensor(X((4, 3)), requires_grad=True)
    m2(x2).sum().backward()
    return dict(y=y, gw=m.weight.grad, gb=m.bias.grad, gx=x2.grad, r=repr(m), n=len(list(m2.parameters())),
                g2=m2.weight.grad)


@snippet
def function_mark_non_differentiable_sort(torch):
    class SortFn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            sorted_, idx = x.sort()
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(x, idx)
            return sorted_, idx

        @staticmethod
        def backward(ctx, g1, g2):
            x, idx = ctx.saved_tensors
            grad_input = torch.zeros_like(x)
            grad_input.index_add_(0, idx, g1)
            return grad_input

    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    s, i = SortFn.apply(x)
    (s * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
    return dict(s=s, i=i, ir=i.requires_grad, sr=s.requires_grad, g=x.grad)


@snippet
def function_straight_through_quantize(torch, nn):
    class RoundSTE(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, levels):
            ctx.levels = levels
            return torch.round(x * levels) / levels

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output, None

    lin = seed_params(torch, nn.Linear(3, 2))
    x = torch.tensor(X((4, 3)))
    q = RoundSTE.apply(lin(x), 4)
    loss = (q - 0.1).pow(2).mean()
    loss.backward()
    return dict(q=q, g=lin.weight.grad, fn=q.grad_fn is not None)


@snippet
def autograd_grad_lists_and_backward_list(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, -1.0], requires_grad=True)
    y1 = (a * b).sum()
    y2 = (a ** 2 * b).sum()
    ga, gb = torch.autograd.grad([y1, y2], [a, b], grad_outputs=[torch.tensor(1.0), torch.tensor(2.0)], retain_graph=True)
    torch.autograd.backward([y1, y2], [torch.tensor(0.5), torch.tensor(1.0)])
    params = [a, b]
    loss = (a.tanh() * b.sin()).sum()
    grads = torch.autograd.grad(loss, params, create_graph=True)
    v = [torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])]
    gv = sum((g * vi).sum() for g, vi in zip(grads, v))
    hv = torch.autograd.grad(gv, params)
    return dict(ga=ga, gb=gb, a=a.grad, b=b.grad, hv=hv)


@snippet
def grad_max_min_ties(torch):
    def g(fn):
        x = torch.tensor([1.0, 3.0, 3.0, 2.0], requires_grad=True)
        fn(x).backward()
        return x.grad
    m = torch.tensor([[1.0, 4.0, 4.0], [2.0, 2.0, 0.0]], requires_grad=True)
    m.max(dim=1).values.sum().backward()
    return dict(mx=g(lambda x: x.max()), mn=g(lambda x: (-x).min()),
                amax=g(lambda x: x.amax()), mxd=g(lambda x: x.max(dim=0).values), mxm=g(lambda x: torch.maximum(x, torch.full((4,), 3.0)).sum()),
                row=m.grad.sum(1), nrm=g(lambda x: x.norm(p=float("inf"))))


@snippet
def grad_median_ties(torch):
    x = torch.tensor([2.0, 2.0, 1.0], requires_grad=True)
    x.median().backward()
    y = torch.tensor([[3.0, 1.0, 3.0, 5.0]], requires_grad=True)
    y.median().backward()
    return dict(gx=x.grad, gy=y.grad)


@snippet
def grad_clamp_tensor_bounds(torch):
    x = torch.tensor([-2.0, 0.5, 3.0, 1.0], requires_grad=True)
    lo = torch.tensor([-1.0, 0.0, 1.0, 1.0], requires_grad=True)
    hi = torch.tensor([0.0, 1.0, 2.0, 1.0], requires_grad=True)
    (x.clamp(min=lo, max=hi) * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = torch.tensor([1.0, 1.0, 4.0], requires_grad=True)
    (torch.maximum(a, b) + torch.minimum(a, b) * 2).sum().backward()
    return dict(gx=x.grad, glo=lo.grad, ghi=hi.grad, ga=a.grad, gb=b.grad)


@snippet
def grad_kinks_at_zero(torch, F):
    def g(fn, vals=(-1.0, 0.0, 1.0)):
        x = torch.tensor(list(vals), requires_grad=True)
        fn(x).sum().backward()
        return x.grad
    return dict(abs=g(torch.abs), relu=g(torch.relu), lrelu=g(lambda x: F.leaky_relu(x, 0.2)), sign=g(torch.sign),
                elu=g(F.elu), htanh=g(lambda x: F.hardtanh(x), (-1.0, 1.0, 0.5)), relu6=g(F.relu6, (0.0, 6.0, 3.0)),
                clamp=g(lambda x: x.clamp(-1.0, 1.0), (-1.0, 1.0, 2.0)), clmin=g(lambda x: x.clamp(min=0.0)),
                hsig=g(F.hardsigmoid, (-3.0, 3.0, 0.0)), sl1=g(lambda x: F.smooth_l1_loss(x, torch.zeros(3), reduction="none")),
                l1=g(lambda x: F.l1_loss(x, torch.zeros(3), reduction="none")), thr=g(lambda x: F.threshold(x, 0.0, -5.0)))


@snippet
def grad_where_unselected_nan(torch):
    x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
    y = torch.where(x > 0, x.sqrt(), torch.zeros_like(x))
    y.sum().backward()
    g1 = x.grad.clone()
    x.grad = None
    safe = torch.where(x > 0, x, torch.ones_like(x))
    z = torch.where(x > 0, safe.sqrt(), torch.zeros_like(x))
    z.sum().backward()
    g2 = x.grad.clone()
    a = torch.tensor([1.0, -2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    torch.where(a > b, a, b * 2).sum().backward()
    return dict(g1=g1, g2=g2, ga=a.grad, gb=b.grad)


@snippet
def grad_at_zero_norm_sqrt_pow(torch):
    def g(fn, vals):
        x = torch.tensor(vals, requires_grad=True)
        fn(x).backward()
        return x.grad
    e = torch.tensor([1.0, 2.0], requires_grad=True)
    (torch.zeros(2) ** e).sum().backward()
    return dict(norm=g(lambda x: x.norm(), [0.0, 0.0]), sqrt=g(lambda x: x.sqrt().sum(), [0.0, 4.0]),
                pow2=g(lambda x: (x ** 2).sum(), [0.0, -1.0]), pow05=g(lambda x: x.pow(0.5).sum(), [0.0, 1.0]),
                pow0=g(lambda x: (x ** 0).sum(), [0.0, 2.0]), expb=e.grad, n1=g(lambda x: x.norm(p=1), [0.0, -2.0]),
                vn=g(lambda x: torch.linalg.vector_norm(x), [0.0, 0.0, 0.0]), dist=g(lambda x: torch.dist(x, torch.zeros(2)), [0.0, 0.0]),
                log=g(lambda x: x.log().sum(), [0.0, 1.0]), xlogx=g(lambda x: torch.xlogy(x, x).sum(), [0.0, 1.0]))


@snippet
def retain_graph_repeated_backward(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x ** 3).sum()
    y.backward(retain_graph=True)
    a = x.grad.clone()
    y.backward(retain_graph=True)
    b = x.grad.clone()
    y.backward()
    c = x.grad.clone()
    return dict(a=a, b=b, c=c, again=_catch(lambda: y.backward(), RuntimeError))


@snippet
def autograd_grad_grad_outputs(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = torch.tensor([0.5, -1.0], requires_grad=True)
    y = x[:2] * w * 2
    (gx, gw) = torch.autograd.grad(y, (x, w), grad_outputs=torch.tensor([1.0, 10.0]), retain_graph=True)
    g2 = torch.autograd.grad([y.sum(), (x ** 2).sum()], x, retain_graph=True)
    g3 = torch.autograd.grad(y, x, torch.ones_like(y), retain_graph=True)
    err = _catch(lambda: torch.autograd.grad(y, x), RuntimeError)
    return dict(gx=gx, gw=gw, g2=g2, g3=g3, t=type(g3).__name__, err=err, none=x.grad is None)


@snippet
def autograd_allow_unused(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = torch.tensor([3.0], requires_grad=True)
    y = (x * 2).sum()
    g = torch.autograd.grad(y, [x, z], allow_unused=True, retain_graph=True)
    err = _catch(lambda: torch.autograd.grad(y, [x, z], retain_graph=True), RuntimeError)
    nog = torch.tensor([1.0])
    err2 = _catch(lambda: torch.autograd.grad(y, [nog]), RuntimeError)
    return dict(g0=g[0], g1=g[1] is None, err=err, err2=err2)


@snippet
def functional_jacobian_hessian(torch):
    F = torch.autograd.functional

    def f(x):
        return torch.stack([x[0] * x[1], x[0] ** 2, torch.sin(x[1])])

    def s(x):
        return (x ** 3).sum() + x[0] * x[1]
    x = torch.tensor([1.0, 2.0])
    J = F.jacobian(f, x)
    H = F.hessian(s, x)
    Jt = F.jacobian(lambda a, b: a * b, (torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])))
    out, vjp = F.vjp(f, x, torch.tensor([1.0, 0.0, 1.0]))
    out2, jvp = F.jvp(f, x, torch.tensor([1.0, 1.0]))
    _, hv = F.hvp(s, x, torch.tensor([1.0, 0.0]))
    return dict(J=J, H=H, Jt0=Jt[0], Jt1=Jt[1], n=len(Jt), out=out, vjp=vjp, jvp=jvp, hv=hv, rg=J.requires_grad)


@snippet
def tensor_hooks_modify_and_remove(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    calls = []
    h1 = x.register_hook(lambda g: calls.append(("leaf", g.tolist())))
    y = x * 3
    y.register_hook(lambda g: g * 2)
    y.register_hook(lambda g: g + 1)
    y.sum().backward()
    first = x.grad.clone()
    h1.remove()
    x.grad = None
    z = x * 3
    h = z.register_hook(lambda g: g * 0)
    h.remove()
    z.sum().backward()
    return dict(first=first, calls=calls, second=x.grad)


@snippet
def data_writes_and_requires_grad(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    w.data.mul_(2)
    y.backward()
    g = w.grad.clone()
    w.data = torch.tensor([5.0, 6.0])
    leaf = w.is_leaf
    v = w.detach()
    v.requires_grad_()
    (v * 2).sum().backward()
    nl = w * 2
    err = _catch(lambda: nl.requires_grad_(False), RuntimeError)
    u = torch.ones(2)
    u.requires_grad_(True)
    u.requires_grad_(False)
    return dict(g=g, w=w, leaf=leaf, vg=v.grad, err=err, u=u.requires_grad, wg=w.grad, rg=w.requires_grad)


@snippet
def grad_broadcast_reduce_and_repeat(torch):
    a = torch.tensor(X((3, 1)), requires_grad=True)
    b = torch.tensor(X((1, 4), 2), requires_grad=True)
    c = torch.tensor(X((2,), 3), requires_grad=True)
    d = torch.tensor(X((4,), 4), requires_grad=True)
    out = (a + b) * torch.arange(12.0).reshape(3, 4)
    out2 = c.repeat(3) * torch.arange(6.0)
    out3 = c.expand(2, 2) * torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    out4 = d[torch.tensor([0, 0, 3, 3, 3])]
    (out.sum() + out2.sum() + out3.sum() + out4.sum()).backward()
    return dict(a=a.grad, b=b.grad, c=c.grad, d=d.grad)


@snippet
def grad_prod_cumprod_with_zeros(torch):
    def g(fn, vals):
        x = torch.tensor(vals, requires_grad=True)
        fn(x).backward()
        return x.grad
    return dict(p1=g(lambda x: x.prod(), [2.0, 0.0, 3.0]), p2=g(lambda x: x.prod(), [0.0, 0.0, 3.0]),
                p0=g(lambda x: x.prod(), [2.0, 4.0, 3.0]), cp=g(lambda x: x.cumprod(0).sum(), [2.0, 0.0, 3.0]),
                pd=g(lambda x: x.view(2, 2).prod(dim=1).sum(), [0.0, 5.0, 2.0, 3.0]))


@snippet
def grad_sort_topk_cummax(torch):
    v = X((6,), 3)
    def g(fn):
        x = torch.tensor(v, requires_grad=True)
        fn(x).backward()
        return x.grad
    w = torch.arange(6.0)
    return dict(sort=g(lambda x: (x.sort().values * w).sum()), topk=g(lambda x: (x.topk(3).values * w[:3]).sum()),
                cm=g(lambda x: (x.cummax(0).values * w).sum()), kth=g(lambda x: x.kthvalue(2).values),
                med=g(lambda x: x.median()), lse=g(lambda x: torch.logsumexp(x, 0)), cs=g(lambda x: (x.cumsum(0) * w).sum()))


@snippet
def grad_softmax_with_neg_inf_mask(torch, F):
    x = torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]], requires_grad=True)
    mask = torch.tensor([[False, False, True], [True, False, False]])
    p = F.softmax(x.masked_fill(mask, float("-inf")), dim=-1)
    (p * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    y = torch.tensor([1.0, 2.0], requires_grad=True)
    lp = F.log_softmax(torch.stack([y, torch.tensor([float("-inf"), 0.0])]), dim=1)
    lp[0].sum().backward()
    return dict(p=p, g=x.grad, gy=y.grad, lp=lp)


@snippet
def grad_mean_std_var_dims(torch):
    x = torch.tensor(X((3, 4)), requires_grad=True)
    (x.std(dim=1).sum() + x.var(0, unbiased=False).sum() + x.mean((0, 1)) * 2).backward()
    g = x.grad.clone()
    c = torch.tensor([2.0, 2.0, 2.0], requires_grad=True)
    c.std().backward()
    return dict(g=g, gc=c.grad)


@snippet
def grad_through_index_ops(torch):
    x = torch.tensor(X((3, 4)), requires_grad=True)
    src = torch.tensor(X((2, 4), 2), requires_grad=True)
    idx = torch.tensor([2, 0, 2])
    out = (x.index_select(0, idx) * torch.arange(12.0).view(3, 4)).sum()
    out = out + x.masked_fill(x > 0, 0.0).sum() * 2 + x.masked_select(x < 0).pow(2).sum()
    out = out + x.gather(1, torch.tensor([[0, 0], [1, 3], [2, 2]])).sum()
    out = out + torch.zeros(3, 4).index_add(0, torch.tensor([1, 1]), src).pow(2).sum()
    out = out + torch.zeros(3, 4).scatter(0, torch.tensor([[0, 1, 2, 0], [2, 2, 1, 1]]), src).mul(torch.arange(12.0).view(3, 4)).sum()
    out = out + x[torch.tensor([0, 0, 1]), torch.tensor([1, 1, 3])].sum() + x[x.abs() > 1].sum()
    out.backward()
    return dict(out=out, gx=x.grad, gs=src.grad)


@snippet
def set_grad_enabled_function_form(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.set_grad_enabled(False)
    a = x * 2
    inside = torch.is_grad_enabled()
    torch.set_grad_enabled(True)
    b = x * 2
    with torch.set_grad_enabled(False):
        c = x * 2
    with torch.no_grad():
        with torch.enable_grad():
            d = x * 2
    return dict(a=a.requires_grad, inside=inside, b=b.requires_grad, c=c.requires_grad, d=d.requires_grad, now=torch.is_grad_enabled())


@snippet
def grad_normalize_cosine_at_zero(torch, F):
    x = torch.tensor([[0.0, 0.0], [3.0, 4.0]], requires_grad=True)
    F.normalize(x, dim=1).sum().backward()
    g1 = x.grad.clone()
    x.grad = None
    F.cosine_similarity(x, torch.tensor([[1.0, 0.0], [0.0, 1.0]]), dim=1).sum().backward()
    g2 = x.grad.clone()
    x.grad = None
    F.pairwise_distance(x, torch.tensor([[0.0, 0.0], [3.0, 4.0]])).sum().backward()
    return dict(g1=g1, g2=g2, g3=x.grad, n=F.normalize(x, p=1, dim=0))


@snippet
def backward_errors_and_leaf_grad(torch):
    x = torch.tensor([1.0, 2.0])
    w = torch.tensor([1.0], requires_grad=True)
    y = w * 2
    y.backward()
    return dict(nograd=_catch(lambda: (x * 2).sum().backward(), RuntimeError),
                nonscalar=_catch(lambda: (w * torch.ones(2)).backward(), RuntimeError), yg=y.grad is None,
                yl=y.is_leaf, wl=w.is_leaf, xl=x.is_leaf, gf=y.grad_fn is not None, wgf=w.grad_fn is None,
                wrong=_catch(lambda: (w * torch.ones(2)).backward(torch.ones(3)), RuntimeError))


if __name__ == "__main__":
    main(sys.argv[1:])
