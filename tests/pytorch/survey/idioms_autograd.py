import sys

import numpy as np
from idioms_harness import main, snippet


@snippet
def backward_basic(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x ** 2).sum()
    y.backward()
    g1 = x.grad.clone()
    z = (3 * x).mean()
    z.backward()  # accumulates
    return dict(g1=g1, g2=x.grad, leaf=x.is_leaf, yleaf=y.is_leaf, req=y.requires_grad, gfn=y.grad_fn is not None,
                xgfn=x.grad_fn is None)


@snippet
def backward_nonscalar(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    try:
        y.backward()
        r = "ok"
    except RuntimeError:
        r = "RuntimeError"
    y.backward(torch.ones_like(y))
    return dict(r=r, g=x.grad)


@snippet
def retain_graph(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    g = x.grad.clone()
    z = (x.exp() * x).sum()
    z.backward()
    try:
        z.backward()
        r = "no error"
    except RuntimeError:
        r = "RuntimeError"
    return dict(g=g, r=r)


@snippet
def autograd_grad_create_graph(torch):
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = (x ** 3).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    g2 = torch.autograd.grad(g.sum(), x)[0]
    return dict(g=g, g2=g2, xgrad=x.grad is None, greq=g.requires_grad)


@snippet
def grad_allow_unused(torch):
    a = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(2.0, requires_grad=True)
    y = a * 3
    try:
        torch.autograd.grad(y, [a, b], retain_graph=True)
        r = "no error"
    except RuntimeError:
        r = "RuntimeError"
    ga, gb = torch.autograd.grad(y, [a, b], allow_unused=True)
    return dict(r=r, ga=ga, gb=gb is None)


@snippet
def hooks_tensor(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    h = x.register_hook(lambda g: seen.append(g.clone()))
    y = x * 2
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    h.remove()
    (x * 1).sum().backward()
    return dict(seen=seen, g=x.grad)


@snippet
def retain_grad_nonleaf(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    z = y * y
    w = z.sum()
    w.backward()
    return dict(yg=y.grad, zg=z.grad is None, xg=x.grad)


@snippet
def detach_no_grad(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        y = x * 2
    z = x.detach()
    z2 = x.detach().clone()
    @torch.no_grad()
    def f(t):
        return t * 3
    w = f(x)
    with torch.inference_mode():
        v = x + 1
    with torch.set_grad_enabled(False):
        u = x * 1
    return dict(y=y.requires_grad, z=z.requires_grad, w=w.requires_grad, v=v.requires_grad, u=u.requires_grad,
                en=torch.is_grad_enabled(), z2=z2)


@snippet
def requires_grad_(torch):
    x = torch.ones(2)
    x.requires_grad_()
    y = torch.zeros(2).requires_grad_(True)
    (x * y + x).sum().backward()
    w = torch.ones(2, requires_grad=True)
    w.requires_grad_(False)
    return dict(xg=x.grad, yg=y.grad, w=w.requires_grad)


@snippet
def grad_zeroing_manual(torch):
    w = torch.tensor([1.0, -1.0], requires_grad=True)
    for _ in range(3):
        loss = ((w - 3) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
        w.grad.zero_()
    return dict(w=w, g=w.grad)


@snippet
def grad_data_update(torch):
    w = torch.tensor([1.0, -1.0], requires_grad=True)
    for _ in range(3):
        loss = ((w - 3) ** 2).sum()
        loss.backward()
        w.data = w.data - 0.1 * w.grad.data
        w.grad.data.zero_()
    return dict(w=w, g=w.grad)


@snippet
def inplace_leaf_error(torch):
    w = torch.ones(2, requires_grad=True)
    try:
        w += 1
        r = "no error"
    except RuntimeError:
        r = "RuntimeError"
    return r


@snippet
def custom_function(torch):
    class MyReLU(torch.autograd.Function):
        @staticmethod
        def forward(ctx, inp):
            ctx.save_for_backward(inp)
            return inp.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            (inp,) = ctx.saved_tensors
            g = grad_output.clone()
            g[inp < 0] = 0
            return g

    x = torch.tensor([-1.0, 2.0, 3.0], requires_grad=True)
    y = MyReLU.apply(x)
    (y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    return dict(y=y, g=x.grad)


@snippet
def custom_function_grad_reverse(torch):
    class GradReverse(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, alpha):
            ctx.alpha = alpha
            return x.view_as(x)

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output.neg() * ctx.alpha, None

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    GradReverse.apply(x, 0.5).sum().backward()
    return x.grad


@snippet
def grad_of_nonleaf_warning(torch):
    x = torch.tensor([1.0], requires_grad=True)
    y = x * 2
    (y * 3).sum().backward()
    return dict(yg=y.grad is None, xg=x.grad)


@snippet
def gradient_penalty(torch):
    rng = np.random.default_rng(0)
    W = torch.tensor(rng.standard_normal((4, 1)).astype(np.float32), requires_grad=True)
    real = torch.tensor(rng.standard_normal((3, 4)).astype(np.float32))
    fake = torch.tensor(rng.standard_normal((3, 4)).astype(np.float32))
    alpha = torch.tensor(rng.random((3, 1)).astype(np.float32))
    interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = torch.tanh(interp @ W)
    grads = torch.autograd.grad(outputs=out, inputs=interp, grad_outputs=torch.ones_like(out),
                                create_graph=True, retain_graph=True, only_inputs=True)[0]
    gp = ((grads.view(grads.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()
    gp.backward()
    return dict(gp=gp, Wg=W.grad)


@snippet
def backward_inputs_param(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    (a * b).sum().backward(inputs=[a])
    return dict(a=a.grad, b=b.grad is None)


@snippet
def autograd_backward_fn(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    y1 = (a * 2).sum()
    y2 = (a ** 2).sum()
    torch.autograd.backward([y1, y2])
    return a.grad


@snippet
def jacobian_functional(torch):
    def f(x):
        return x ** 2 + x.sum()
    J = torch.autograd.functional.jacobian(f, torch.tensor([1.0, 2.0]))
    H = torch.autograd.functional.hessian(lambda x: (x ** 3).sum(), torch.tensor([1.0, 2.0]))
    return dict(J=J, H=H)


@snippet
def variable_legacy(torch):
    Variable = torch.autograd.Variable
    x = Variable(torch.ones(2), requires_grad=True)
    y = (x * 3).sum()
    y.backward()
    return dict(g=x.grad, d=y.data, t=type(x.data).__name__)


@snippet
def detect_anomaly_ctx(torch):
    with torch.autograd.detect_anomaly():
        x = torch.tensor([1.0], requires_grad=True)
        (x * 2).sum().backward()
    return x.grad


@snippet
def grad_through_indexing_and_cat(torch):
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = torch.cat([x[0], x[:, 1] * 2, x[x > 2]])
    z = torch.stack([y, y.flip(0)]).max(dim=0)[0]
    z.pow(2).sum().backward()
    return x.grad


@snippet
def grad_setitem_nonleaf(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    y[1] = 0
    y[torch.tensor([True, False, False])] *= 5
    y.sum().backward()
    return x.grad


@snippet
def no_grad_param_requires(torch):
    lin = torch.nn.Linear(2, 2)
    with torch.no_grad():
        out = lin(torch.ones(1, 2))
    return dict(r=out.requires_grad, p=lin.weight.requires_grad, gfn=out.grad_fn is None)


if __name__ == "__main__":
    main(sys.argv[1:])
