"""Programs run unchanged under PyTorch and under minigan (tests/pytorch/corpus.py, test_corpus.py): hooks on tensors
and modules: their order, what a hook may return, removal, kwargs, full backward and pre-hooks."""

import copy

from pytorch.corpus import (
    caught,
    data,
    fill_,
    registry,
)

PROGRAMS, program = registry()


@program
def tensor_hook_doubles_grad(torch):
    x = data(torch, 4).requires_grad_()
    handle = x.register_hook(lambda g: g * 2)
    (x * x).sum().backward()
    first = x.grad.clone()
    handle.remove()
    x.grad = None
    (x * x).sum().backward()
    return first, x.grad


@program
def tensor_hook_observes_intermediate(torch):
    seen = []
    x = data(torch, 3).requires_grad_()
    h = x.tanh()
    h.register_hook(lambda g: seen.append(g.clone()))
    (h * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    return seen, x.grad


@program
def retain_grad_intermediate(torch):
    x = data(torch, 2, 3).requires_grad_()
    h = x * 3
    h.retain_grad()
    y = h.relu().sum()
    y.backward()
    return h.grad, h.retains_grad, x.grad, h.is_leaf


@program
def module_forward_hook_features(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.ReLU(), torch.nn.Linear(5, 2)))
    features = {}

    def save(name):
        def hook(module, inputs, output):
            features[name] = output.detach()
        return hook

    handles = [net[0].register_forward_hook(save("fc1")), net[1].register_forward_hook(save("relu"))]
    out = net(data(torch, 3, 4))
    for h in handles:
        h.remove()
    net(data(torch, 3, 4, offset=5.0))
    return out, features["fc1"], features["relu"]


@program
def module_forward_hook_replaces_output(torch):
    lin = fill_(torch, torch.nn.Linear(3, 3))
    lin.register_forward_hook(lambda m, i, o: o * 0 + 1)
    out = lin(data(torch, 2, 3))
    return out, out.requires_grad


@program
def module_forward_pre_hook(torch):
    lin = fill_(torch, torch.nn.Linear(3, 2))
    calls = []

    def pre(module, inputs):
        calls.append(tuple(inputs[0].shape))
        return (inputs[0] * 2,)

    lin.register_forward_pre_hook(pre)
    out = lin(data(torch, 4, 3))
    return out, calls


@program
def module_full_backward_hook(torch):
    lin = fill_(torch, torch.nn.Linear(3, 2))
    record = []

    def hook(module, grad_input, grad_output):
        record.append(([g.shape if g is not None else None for g in grad_input],
                       [g.clone() for g in grad_output]))

    lin.register_full_backward_hook(hook)
    x = data(torch, 4, 3).requires_grad_()
    lin(x).pow(2).sum().backward()
    return record, x.grad


@program
def module_backward_hook_scales_grad_input(torch):
    act = torch.nn.Tanh()
    act.register_full_backward_hook(lambda m, gi, go: (gi[0] * 0.5,))
    x = data(torch, 5).requires_grad_()
    act(x).sum().backward()
    return x.grad


@program
def hook_on_parameter_gradient_clipping(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    for p in lin.parameters():
        p.register_hook(lambda g: g.clamp(-0.5, 0.5))
    (lin(data(torch, 6, 2)) * 4).sum().backward()
    return lin.weight.grad, lin.bias.grad


@program
def post_accumulate_grad_hook(torch):
    w = data(torch, 3, dtype=torch.float64).requires_grad_()
    log = []
    w.register_post_accumulate_grad_hook(lambda p: log.append(p.grad.clone()))
    (w * 2).sum().backward()
    (w * 3).sum().backward()
    return log, w.grad


@program
def hook_returns_wrong_shape(torch):
    x = torch.ones(3, requires_grad=True)
    x.register_hook(lambda g: g[:2])
    return caught((x * 2).sum().backward)


@program
def forward_hook_with_kwargs(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    seen = []

    def hook(module, args, kwargs, output):
        seen.append((len(args), sorted(kwargs)))
        return output + 1

    lin.register_forward_hook(hook, with_kwargs=True)
    out = lin(input=data(torch, 1, 2))
    return out, seen


@program
def hook_on_tensor_without_grad_refused(torch):
    return caught(torch.ones(2).register_hook, lambda g: g)


@program
def hooks_run_in_order_and_chain(torch):
    order = []
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.register_hook(lambda g: order.append(("first", g.tolist())) or g + 1)
    y.register_hook(lambda g: order.append(("second", g.tolist())) or g * 10)
    y.sum().backward()
    return order, x.grad


@program
def tensor_hook_fires_for_autograd_grad(torch):
    seen = []
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * x
    h.register_hook(lambda g: seen.append(g.clone()))
    (gx,) = torch.autograd.grad(h.sum() * 2, x)
    return seen, gx, x.grad is None


@program
def module_full_backward_pre_hook(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    seen = []

    def pre(module, grad_output):
        seen.append(grad_output[0].clone())
        return (grad_output[0] * 0,)

    lin.register_full_backward_pre_hook(pre)
    x = torch.ones(3, 2, requires_grad=True)
    lin(x).sum().backward()
    return seen, x.grad, lin.weight.grad


@program
def module_backward_hook_two_inputs(torch):
    class Add(torch.nn.Module):
        def forward(self, a, b):
            return a * b

    m = Add()
    record = []
    m.register_full_backward_hook(lambda mod, gi, go: record.append([g if g is None else g.clone() for g in gi]))
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0])
    m(a, b).sum().backward()
    return record, a.grad


@program
def forward_hooks_prepend_and_remove(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    order = []
    h1 = lin.register_forward_hook(lambda m, i, o: order.append("a"))
    lin.register_forward_hook(lambda m, i, o: order.append("b"))
    lin.register_forward_hook(lambda m, i, o: order.append("c"), prepend=True)
    lin(torch.ones(1, 2))
    h1.remove()
    h1.remove()
    lin(torch.ones(1, 2))
    return order


@program
def forward_pre_hook_with_kwargs(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))

    def pre(module, args, kwargs):
        return (kwargs["input"] * 3,), {}

    lin.register_forward_pre_hook(pre, with_kwargs=True)
    return lin(input=torch.ones(1, 2))


@program
def hook_on_shared_module_called_twice(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    calls = []
    lin.register_forward_hook(lambda m, i, o: calls.append(tuple(o.shape)))
    y = lin(lin(torch.ones(3, 2)))
    return calls, y


@program
def forward_pre_hook_returns_single_tensor(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    lin.register_forward_pre_hook(lambda m, args: args[0] + 1)
    return lin(torch.zeros(1, 2))


@program
def forward_hook_without_kwargs_sees_args_only(torch):
    class Scale(torch.nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    m = Scale()
    seen = []
    m.register_forward_hook(lambda mod, args, out: seen.append((len(args), out.tolist())))
    m(torch.ones(2), factor=3.0)
    m(torch.ones(2), 4.0)
    return seen


@program
def forward_hook_always_call(torch):
    class Boom(torch.nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    m = Boom()
    calls = []
    m.register_forward_hook(lambda mod, args, out: calls.append("always"), always_call=True)
    m.register_forward_hook(lambda mod, args, out: calls.append("normal"))
    return caught(m, torch.ones(1)), calls


@program
def hooks_on_container_and_child_order(torch):
    inner = torch.nn.Linear(2, 2)
    outer = torch.nn.Sequential(inner, torch.nn.ReLU())
    order = []
    outer.register_forward_pre_hook(lambda m, a: order.append("outer pre"))
    outer.register_forward_hook(lambda m, a, o: order.append("outer"))
    inner.register_forward_pre_hook(lambda m, a: order.append("inner pre"))
    inner.register_forward_hook(lambda m, a, o: order.append("inner"))
    outer.register_full_backward_hook(lambda m, gi, go: order.append("outer backward"))
    inner.register_full_backward_hook(lambda m, gi, go: order.append("inner backward"))
    outer(torch.ones(1, 2, requires_grad=True)).sum().backward()
    return order


@program
def backward_pre_hook_returns_single_tensor(torch):
    lin = fill_(torch, torch.nn.Linear(2, 1))
    lin.register_full_backward_pre_hook(lambda m, go: go[0] * 10)  # a bare tensor, not a tuple: refused
    x = torch.ones(1, 2, requires_grad=True)
    return caught(lin(x).sum().backward)


@program
def backward_hook_module_with_tuple_output(torch):
    class Split(torch.nn.Module):
        def forward(self, x):
            return x * 2, x.sum(), "label"

    m = Split()
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append([None if g is None else g.tolist() for g in go]))
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a, b, _ = m(x)
    (a.sum() + b * 3).backward()
    return seen, x.grad


@program
def deepcopy_module_with_hooks(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    calls = []
    lin.register_forward_hook(lambda m, a, o: calls.append(1))
    twin = copy.deepcopy(lin)
    twin(torch.ones(1, 2))
    return len(calls), list(twin.state_dict())


@program
def double_backward_through_hooks(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x ** 3
    y.register_hook(lambda g: g * 2)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    return g, h


@program
def tensor_hook_returns_other_dtype_or_number(torch):
    x = torch.ones(2, requires_grad=True)
    x.register_hook(lambda g: g.double())
    err1 = caught((x * 2).sum().backward)
    return err1, x.grad


@program
def tensor_hook_returns_number(torch):
    y = torch.ones(2, requires_grad=True)
    y.register_hook(lambda g: 3.0)
    return caught((y * 2).sum().backward)


@program
def forward_pre_hook_with_kwargs_bad_return(torch):
    lin = torch.nn.Linear(2, 2)
    lin.register_forward_pre_hook(lambda m, args, kwargs: args, with_kwargs=True)
    return caught(lin, torch.ones(1, 2))


@program
def forward_hook_on_dict_output(torch):
    class Heads(torch.nn.Module):
        def forward(self, x):
            return {"a": x * 2, "b": x.sum()}

    m = Heads()
    m.register_forward_hook(lambda mod, args, out: {**out, "c": out["a"] + 1})
    out = m(torch.ones(2))
    return sorted(out), out["c"]


@program
def module_call_hook_order_with_backward_pre(torch):
    lin = fill_(torch, torch.nn.Linear(2, 1))
    order = []
    lin.register_full_backward_pre_hook(lambda m, go: order.append("pre") or None)
    lin.register_full_backward_hook(lambda m, gi, go: order.append("hook") or None)
    x = torch.ones(1, 2, requires_grad=True)
    x.register_hook(lambda g: order.append("x") or None)
    lin(x).sum().backward()
    return order


@program
def grad_of_intermediate_with_hooks_allow_unused(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    z = torch.tensor([5.0], requires_grad=True)
    y = (h ** 2).sum()
    gh, gz = torch.autograd.grad(y, [h, z], allow_unused=True)
    return gh, gz


@program
def hook_sees_grad_under_accumulation(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    w.register_hook(lambda g: seen.append(g.clone()))
    (w * 2).sum().backward()
    (w * 3).sum().backward()
    return seen, w.grad
