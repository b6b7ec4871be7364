"""Programs run unchanged under PyTorch and under minigan (tests/pytorch/corpus.py, test_corpus.py): backward and
autograd.grad with their arguments and refusals, .grad and .data, retain_grad, graphs a learner walks
(grad_fn.next_functions), gradients at kinks and ties, and torch.autograd.functional (jacobian, hessian, vjp, jvp,
hvp)."""

import copy

from pytorch.corpus import (
    _regression,
    caught,
    data,
    fill_,
    registry,
)

PROGRAMS, program = registry()


@program
def jacobian_of_a_layer(torch):
    from_f = torch.autograd.functional

    def f(x):
        return torch.tanh(x @ torch.tensor([[1.0, 2.0], [0.5, -1.0], [0.0, 3.0]], dtype=torch.float64))

    x = data(torch, 3, dtype=torch.float64)
    return from_f.jacobian(f, x)


@program
def jacobian_two_inputs(torch):
    def f(a, b):
        return a * b.sum(), a.exp()

    a = data(torch, 2, dtype=torch.float64)
    b = data(torch, 3, dtype=torch.float64, offset=1.0)
    return torch.autograd.functional.jacobian(f, (a, b))


@program
def hessian_of_quadratic_form(torch):
    A = torch.tensor([[2.0, 1.0], [1.0, 3.0]], dtype=torch.float64)

    def f(x):
        return 0.5 * x @ A @ x + torch.sin(x).sum()

    x = torch.tensor([0.3, -0.7], dtype=torch.float64)
    return torch.autograd.functional.hessian(f, x)


@program
def vjp_and_jvp(torch):
    def f(x):
        return x ** 2 * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)

    x = data(torch, 3, dtype=torch.float64)
    v = torch.ones(3, dtype=torch.float64)
    out1, vj = torch.autograd.functional.vjp(f, x, v)
    out2, jv = torch.autograd.functional.jvp(f, x, v)
    return out1, vj, out2, jv


@program
def hvp_vhp(torch):
    def f(x):
        return (x ** 3).sum() + x[0] * x[1]

    x = data(torch, 3, dtype=torch.float64)
    v = torch.tensor([1.0, 0.0, -1.0], dtype=torch.float64)
    return torch.autograd.functional.hvp(f, x, v), torch.autograd.functional.vhp(f, x, v)


@program
def jacobian_create_graph(torch):
    x = data(torch, 2, dtype=torch.float64).requires_grad_()
    jac = torch.autograd.functional.jacobian(lambda t: t.sin() * t.sum(), x, create_graph=True)
    jac.trace().backward()
    return jac, jac.requires_grad, x.grad


@program
def jacobian_strict_independent(torch):
    x = data(torch, 2, dtype=torch.float64)
    return caught(torch.autograd.functional.jacobian, lambda t: torch.ones(2, dtype=torch.float64), x, strict=True)


@program
def backward_twice_needs_retain_graph(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.clone()
    y.backward()
    second = x.grad.clone()
    z = (x.exp() * x).sum()
    z.backward()
    return first, second, caught(z.backward)


@program
def backward_non_scalar_needs_gradient(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    err = caught(y.backward)
    y.backward(torch.tensor([1.0, 0.5]))
    return err, x.grad


@program
def autograd_grad_allow_unused(torch):
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    y = a * a
    err = caught(torch.autograd.grad, y, [a, b], retain_graph=True)
    ga, gb = torch.autograd.grad(y, [a, b], allow_unused=True, retain_graph=True)
    ga2, gb2 = torch.autograd.grad(y, [a, b], allow_unused=True, materialize_grads=True)
    return err, ga, gb is None, gb2


@program
def grad_accumulates_across_backward(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    for k in range(3):
        (w * (k + 1)).sum().backward()
    return w.grad


@program
def gradient_accumulation_loop(torch):
    x, y = _regression(torch)
    model = fill_(torch, torch.nn.Linear(3, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    opt.zero_grad()
    for i in range(0, 8, 2):
        loss = torch.nn.functional.mse_loss(model(x[i:i + 2]), y[i:i + 2]) / 4
        loss.backward()
    grad = model.weight.grad.clone()
    opt.step()
    full = fill_(torch, torch.nn.Linear(3, 1))
    torch.nn.functional.mse_loss(full(x), y).backward()
    return grad, full.weight.grad, model.weight


@program
def leaf_grad_of_nonleaf_is_none(torch):
    x = torch.ones(2, requires_grad=True)
    h = x * 2
    h.sum().backward()
    return h.grad is None, h.is_leaf, x.is_leaf, h.grad_fn is not None, x.grad_fn is None


@program
def parameters_to_vector_round_trip(torch):
    net = fill_(torch, torch.nn.Linear(3, 2))
    vec = torch.nn.utils.parameters_to_vector(net.parameters())
    torch.nn.utils.vector_to_parameters(vec * 2, net.parameters())
    return vec, net.weight, net.bias, vec.requires_grad


@program
def deepcopy_model_independent(torch):
    net = fill_(torch, torch.nn.Linear(2, 2))
    twin = copy.deepcopy(net)
    with torch.no_grad():
        twin.weight.add_(1.0)
    return net.weight, twin.weight, twin.weight.requires_grad, type(twin.weight).__name__


@program
def backward_with_multiple_roots(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y1 = x * 2
    y2 = x ** 2
    torch.autograd.backward([y1.sum(), y2], [None, torch.tensor([1.0, -1.0])])
    return x.grad


@program
def hessian_two_inputs(torch):
    def f(a, b):
        return (a * b ** 2).sum()

    a = torch.tensor([1.0, 2.0], dtype=torch.float64)
    b = torch.tensor([0.5, -1.0], dtype=torch.float64)
    return torch.autograd.functional.hessian(f, (a, b))


@program
def jacobian_vectorize(torch):
    x = data(torch, 3, dtype=torch.float64)
    return torch.autograd.functional.jacobian(lambda t: t.cumsum(0) * t, x, vectorize=True)


@program
def detect_anomaly_nan(torch):
    x = torch.tensor([0.0], requires_grad=True)

    def go():
        with torch.autograd.detect_anomaly():
            y = torch.sqrt(x) * 0
            y.backward()

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return caught(go)


@program
def retain_grad_on_leaf_and_on_constant(torch):
    x = torch.ones(2, requires_grad=True)
    x.retain_grad()
    (x * 2).sum().backward()
    return x.grad, caught(torch.ones(2).retain_grad)


@program
def jacobian_scalar_input_and_output(torch):
    x = torch.tensor(0.5, dtype=torch.float64)
    return (torch.autograd.functional.jacobian(lambda t: t.sin() * 2, x),
            torch.autograd.functional.jacobian(lambda t: (t ** 2).sum(), torch.ones(3, dtype=torch.float64)),
            torch.autograd.functional.jacobian(lambda t: t.outer(t), torch.tensor([1.0, 2.0], dtype=torch.float64)))


@program
def jacobian_tuple_out_tuple_in(torch):
    def f(a, b):
        return a + b, a * b

    a = torch.tensor([1.0, 2.0], dtype=torch.float64)
    b = torch.tensor([3.0, 4.0], dtype=torch.float64)
    jac = torch.autograd.functional.jacobian(f, (a, b))
    return len(jac), len(jac[0]), jac[1][1], type(jac).__name__


@program
def vjp_scalar_output_no_v_and_errors(torch):
    x = torch.tensor([1.0, 2.0], dtype=torch.float64)
    out, g = torch.autograd.functional.vjp(lambda t: (t ** 3).sum(), x)
    return out, g, caught(torch.autograd.functional.vjp, lambda t: t ** 3, x), \
        caught(torch.autograd.functional.hessian, lambda t: t ** 3, x)


@program
def hvp_create_graph(torch):
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    v = torch.tensor([1.0, 1.0], dtype=torch.float64)
    out, hv = torch.autograd.functional.hvp(lambda t: (t ** 4).sum(), x, v, create_graph=True)
    hv.sum().backward()
    return out, hv, hv.requires_grad, x.grad


@program
def data_and_grad_data_idioms(torch):
    net = fill_(torch, torch.nn.Linear(2, 1))
    net(torch.ones(3, 2)).sum().backward()
    net.weight.grad.data.zero_()
    net.bias.data.fill_(0.5)
    net.weight.data = net.weight.data * 2
    out = net(torch.ones(1, 2))
    return net.weight, net.bias, net.weight.grad, out, net.weight.requires_grad, net.weight.is_leaf


@program
def sigmoid_inplace_then_backward(torch):
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    h = x * 2
    h.sigmoid_()
    h.sum().backward()
    return h, x.grad


@program
def autograd_grad_non_scalar_needs_grad_outputs(torch):
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    err = caught(torch.autograd.grad, y, x, retain_graph=True)
    (g,) = torch.autograd.grad([y], [x], grad_outputs=[torch.tensor([1.0, 2.0, 3.0])])
    return err, g


@program
def autograd_grad_batched(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x ** 2
    (jac,) = torch.autograd.grad(y, x, grad_outputs=torch.eye(2), is_grads_batched=True)
    return jac


@program
def backward_inputs_argument(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    (a * b).sum().backward(inputs=[a])
    return a.grad, b.grad is None, caught(lambda: (a * b).sum().backward(inputs=[]))


@program
def grad_outputs_none_for_scalar(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y1 = (x ** 2).sum()
    y2 = (x ** 3).sum()
    gs = torch.autograd.grad([y1, y2], x, grad_outputs=[None, torch.tensor(2.0)])
    return gs


@program
def grad_assignment_checks(torch):
    w = torch.ones(2, requires_grad=True)

    def wrong_dtype():
        w.grad = torch.ones(2, dtype=torch.float64)

    def wrong_shape():
        w.grad = torch.ones(3)

    def not_tensor():
        w.grad = [1.0, 2.0]

    w.grad = torch.full((2,), 0.5)
    return caught(wrong_dtype), caught(wrong_shape), caught(not_tensor), w.grad


@program
def nonleaf_grad_assignment_and_read(torch):
    import warnings

    x = torch.ones(2, requires_grad=True)
    y = x * 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before = y.grad
        y.grad = torch.ones(2)
        after = y.grad
    return before is None, after


@program
def jacobian_forward_mode_strategy(torch):
    x = torch.ones(2, dtype=torch.float64)
    f = torch.autograd.functional.jacobian
    return caught(f, lambda t: t * 2, x, strategy="forward-mode"), caught(f, lambda t: t * 2, x, strategy="sideways")


@program
def backward_refusals(torch):
    x = torch.ones(2, requires_grad=True)
    plain = torch.ones(2)
    return (caught(plain.sum().backward), caught(torch.autograd.grad, plain.sum(), x),
            caught((x * 2).backward, torch.ones(3)), caught(torch.autograd.grad, (x * 2).sum(), plain),
            caught(torch.autograd.grad, x * 2, x, grad_outputs=torch.ones(3)))


@program
def autograd_backward_grad_tensors_keyword(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.autograd.backward(x * 3, grad_tensors=torch.tensor([1.0, -1.0]))
    return x.grad


@program
def vector_round_trip_of_grads(torch):
    net = fill_(torch, torch.nn.Linear(2, 2))
    net(torch.ones(1, 2)).sum().backward()
    flat = torch.nn.utils.parameters_to_vector(p.grad for p in net.parameters())
    return flat, flat.shape


@program
def walk_grad_fn_next_functions(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor(0.5, requires_grad=True)
    y = (w * 3 + b).sum()

    def walk(fn, depth=0):
        if fn is None:
            return []
        names = [(depth, fn.name())]
        for nxt, _ in fn.next_functions:
            names += walk(nxt, depth + 1)
        return names

    leaves = [f.variable is w for f, _ in y.grad_fn.next_functions[0][0].next_functions[0][0].next_functions
              if f is not None and hasattr(f, "variable")]
    return walk(y.grad_fn), leaves, w.grad_fn is None, y.is_leaf, (w * 3).is_leaf


@program
def requires_grad_toggling_mid_training(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1))).double()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    x = data(torch, 3, 2, dtype=torch.float64)
    history = []
    for step in range(4):
        net[0].requires_grad_(step % 2 == 1)
        opt.zero_grad()
        loss = net(x).pow(2).mean()
        loss.backward()
        history.append((net[0].weight.grad is None, net[1].weight.grad is None))
        opt.step()
    return history, net[0].weight, net[1].weight


@program
def custom_function_once_differentiable_straight_through(torch):
    once_differentiable = torch.autograd.function.once_differentiable  # (an import would name PyTorch itself)

    class RoundSTE(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.round()

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            return g.clamp(-1, 1)

    x = torch.tensor([0.4, 1.6, -2.5], dtype=torch.float64, requires_grad=True)
    y = RoundSTE.apply(x)
    (y * torch.tensor([3.0, -0.5, 1.0], dtype=torch.float64)).sum().backward()
    g2 = None
    x2 = x.detach().clone().requires_grad_()
    (gx,) = torch.autograd.grad(RoundSTE.apply(x2).sum(), x2, create_graph=True)
    g2 = caught(gx.sum().backward)
    return y, x.grad, gx, g2


@program
def grad_is_none_until_backward_then_accumulates(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    before = w.grad
    r = caught(lambda: w.grad.zero_())
    for _ in range(3):
        (w ** 2).sum().backward()
    acc = w.grad.clone()
    w.grad.zero_()
    (w * 5).sum().backward()
    w.grad = None
    (w * 7).sum().backward()
    return before, r, acc, w.grad


@program
def data_assignment_swaps_values(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    lin.weight.data = torch.eye(2)
    same_param = lin.weight
    lin.bias.data.fill_(0.5)
    y = lin(torch.tensor([[1.0, 2.0]]))
    y.sum().backward()
    lin.weight.data = torch.zeros(3)  # a new shape is allowed through .data
    refused = caught(setattr, lin.weight, "data", torch.zeros(3, dtype=torch.int64))
    return (y, same_param is lin.weight, lin.weight.grad, lin.weight.shape, lin.weight.requires_grad, refused,
            caught(lin, torch.ones(1, 2)))


@program
def grad_assignment_shape_and_dtype_checks(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    r1 = caught(setattr, w, "grad", torch.zeros(3))
    r2 = caught(setattr, w, "grad", torch.zeros(2, dtype=torch.float64))
    r3 = caught(setattr, w, "grad", [0.0, 0.0])
    w.grad = torch.ones(2)
    (w * 2).sum().backward()
    return r1, r2, r3, w.grad


@program
def std_var_of_single_element_and_nans(torch):
    one = torch.tensor([2.0])
    x = torch.tensor([1.0, float("nan"), 3.0])
    return (one.std(), one.var(unbiased=False), x.max(), x.argmax(), x.sort().values, x.sum(), x.nansum(),
            x.nanmean(), torch.tensor([float("nan"), 1.0]).min(), torch.maximum(x, torch.tensor(2.0)),
            torch.fmax(x, torch.tensor(2.0)), x.clamp(0, 2), x.topk(1).values, torch.isnan(x).nonzero())


@program
def softmax_dims_and_numerics(torch):
    F = torch.nn.functional
    x = torch.tensor([[1000.0, 1000.0, -1000.0], [0.0, 1.0, 2.0]])
    return (F.softmax(x, dim=1), F.log_softmax(x, dim=-1), F.softmax(x, 0).sum(0),
            torch.softmax(x, 1, dtype=torch.float64).dtype, F.softmin(x, 1), x.softmax(-1).argmax(-1),
            torch.logsumexp(x, 1), F.softmax(torch.full((2,), -float("inf")), 0))


@program
def clamp_with_tensor_bounds_and_inplace(torch):
    x = torch.tensor([-2.0, 0.5, 3.0], requires_grad=True)
    lo = torch.tensor([-1.0, 1.0, 0.0])
    hi = torch.tensor([0.0, 2.0, 2.5])
    y = x.clamp(min=lo, max=hi)
    y.sum().backward()
    z = torch.tensor([5, -5, 0])
    z.clamp_(min=-1)
    return (y, x.grad, z, torch.clamp(torch.tensor([1, 5]), max=2.5), caught(torch.clamp, x),
            torch.clamp(torch.tensor([1.0, 5.0]), min=3.0, max=2.0), x.detach().clip(max=0))


@program
def gradients_at_ties_and_kinks(torch):
    out = {}
    for name, f in [("max", lambda x: x.max()), ("amax", lambda x: x.amax()),
                    ("max_dim", lambda x: x.max(0).values), ("min", lambda x: x.min()),
                    ("relu", lambda x: x.relu().sum()), ("abs", lambda x: x.abs().sum()),
                    ("clamp", lambda x: x.clamp(0.0, 3.0).sum()),
                    ("maximum", lambda x: torch.maximum(x, x.flip(0)).sum()),
                    ("median", lambda x: x.median()), ("sort", lambda x: (x.sort().values * torch.arange(4.0)).sum()),
                    ("topk", lambda x: x.topk(2).values.sum()), ("norm", lambda x: (x * 0).norm()),
                    ("sqrt0", lambda x: (x * 0).sqrt().sum()), ("sign", lambda x: x.sign().sum()),
                    ("round", lambda x: x.round().sum()), ("where", lambda x: torch.where(x > 1, x, x * 0).sum())]:
        x = torch.tensor([0.0, 3.0, 3.0, 1.0], requires_grad=True)
        f(x).backward()
        out[name] = x.grad
    return out


@program
def std_and_normalize_of_constant_inputs(torch):
    F = torch.nn.functional
    x = torch.ones(3, requires_grad=True)
    s = x.std()
    s.backward()
    z = torch.zeros(2, 3, requires_grad=True)
    n = F.normalize(z, dim=1)
    n.sum().backward()
    c = torch.tensor([2.0, 2.0], requires_grad=True)
    cs = F.cosine_similarity(c[None], torch.zeros(1, 2))
    cs.sum().backward()
    return s, x.grad, n, z.grad, cs, c.grad


@program
def where_gradient_nan_trap(torch):
    x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
    y = torch.where(x > 0, x.sqrt(), torch.zeros_like(x))  # the classic: sqrt's nan gradient leaks through where
    y.sum().backward()
    leaked = x.grad.clone()
    x.grad = None
    safe = torch.where(x > 0, x, torch.ones_like(x)).sqrt()
    torch.where(x > 0, safe, torch.zeros_like(x)).sum().backward()
    return y, leaked, x.grad


@program
def factories_with_requires_grad_keywords(torch):
    noise = torch.randint(0, 5, (3,), dtype=torch.float64, requires_grad=True)  # a float leaf from integers
    (noise * 2).sum().backward()
    s = torch.scalar_tensor(2.5, dtype=torch.float64, requires_grad=True)
    (s ** 2).backward()
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        r = torch.range(0, 2, layout=torch.strided)
    return (noise.grad, noise.requires_grad, noise.dtype, s.grad, r, caught(torch.randint, 3, (2,), requires_grad=True),
            caught(torch.scalar_tensor, 1, dtype=torch.int64, requires_grad=True))
