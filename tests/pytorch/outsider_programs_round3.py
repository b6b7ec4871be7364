"""Outsider programs, round 3: short PyTorch programs a student or practitioner writes, run unchanged under PyTorch
and under minigan (the same text, ``torch`` bound to each module), their results compared.

Written from README.md and the public API only, before reading minigan's tests or docs/pytorch.md. The areas: custom
``autograd.Function`` (save_for_backward, mark_dirty, needs_input_grad, set_materialize_grads), hooks on tensors and
modules, ``torch.autograd.functional``, optimizer and scheduler state, module state and containers, in-place ops and
views in training loops, ``torch.save``/``torch.load``, data loading with samplers and collate functions, gradient
clipping, mixed dtypes, a GAN step, WGAN-GP's gradient penalty and the grad-mode switches.

Each program is ``def name(torch) -> result``; a result is any nesting of tuples, lists and dicts of tensors, numbers,
strings, dtypes, sizes and caught exceptions (``caught(fn)``). ``compare`` says how two results differ, or returns
None. ``DIFFERS`` names the programs that differ from PyTorch on purpose, with the reason (docs/pytorch.md).
"""

import copy
import io
import math

import numpy as np

PROGRAMS = {}
# name -> why minigan's result differs from PyTorch's: each a difference docs/pytorch.md documents
DIFFERS = {
    "function_save_for_backward": "type(y.grad_fn).__name__ is minigan's node class, BackwardFunction for a "
                                  "Function (docs/pytorch.md, The graph a learner prints: the class's name)",
    "inference_mode_decorator_and_context": "Tensor.is_inference is not provided: inference_mode is no_grad "
                                            "(docs/pytorch.md)",
    "inference_tensor_in_autograd_refused": "inference_mode is no_grad: no inference tensors to refuse "
                                            "(docs/pytorch.md)",
    "load_state_dict_casts_dtype": "load_state_dict refuses integer (and non-finite) values for a float parameter, "
                                   "where PyTorch's copy_ casts them (docs/guarantees.md; docs/pytorch.md)",
}


def program(fn):
    PROGRAMS[fn.__name__] = fn
    return fn


class Caught:
    """An exception a program caught on purpose: only its class is compared."""

    def __init__(self, exc):
        self.exc = exc

    def __repr__(self):
        return f"Caught({type(self.exc).__name__}: {str(self.exc)[:80]})"


class Raised(Caught):
    """An exception a program did not catch: compared by class as well."""


def caught(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the class is the result
        return Caught(exc)
    return "no exception"


def fill_(torch, module, scale=0.3):
    """Deterministic weights (the two libraries' random streams differ): a sine of each parameter's index."""
    with torch.no_grad():
        for i, p in enumerate(module.parameters()):
            values = torch.sin(torch.arange(p.numel(), dtype=torch.float64) * 0.7 + i) * scale
            p.copy_(values.reshape(p.shape).to(p.dtype))
    return module


def data(torch, *shape, dtype=None, offset=0.0):
    n = math.prod(shape)
    x = torch.cos(torch.arange(n, dtype=torch.float64) * 1.3 + offset).reshape(shape)
    return x.to(dtype or torch.float32)


# ------------------------------------------------------------------------------------------------ the comparison


def _is_tensor(x):
    return hasattr(x, "detach") and hasattr(x, "requires_grad") and hasattr(x, "dtype")


def normalize(x):
    if isinstance(x, Caught):
        return x
    if _is_tensor(x):
        t = x.detach()
        return {"tensor": np.asarray(t.numpy()), "dtype": str(x.dtype).split(".")[-1], "shape": tuple(x.shape),
                "requires_grad": bool(x.requires_grad)}
    if type(x).__name__ == "dtype" or str(type(x)).endswith("dtype'>"):
        return ("dtype", str(x).split(".")[-1])
    if type(x).__name__ == "Size":
        return tuple(int(v) for v in x)
    if isinstance(x, dict):
        return {k: normalize(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(normalize(v) for v in x) if type(x) in (list, tuple) else tuple(normalize(v) for v in x)
    if isinstance(x, np.generic):
        return x.item()
    return x


def compare(mine, theirs, where="result", rtol=1e-5, atol=1e-6):
    """None where ``mine`` (minigan's normalized result) matches ``theirs`` (PyTorch's), else what differs."""
    if isinstance(theirs, Caught) or isinstance(mine, Caught):
        if not (isinstance(theirs, Caught) and isinstance(mine, Caught)):
            return f"{where}: minigan {mine!r}, PyTorch {theirs!r}"
        if not isinstance(mine.exc, type(theirs.exc)):
            return f"{where}: minigan raised {mine!r}, PyTorch {theirs!r}"
        return None
    if isinstance(theirs, dict) and "tensor" in theirs:
        if not (isinstance(mine, dict) and "tensor" in mine):
            return f"{where}: minigan gave {type(mine).__name__}, PyTorch a tensor"
        for key in ("dtype", "shape", "requires_grad"):
            if mine[key] != theirs[key]:
                return f"{where}.{key}: minigan {mine[key]}, PyTorch {theirs[key]}"
        a, b = mine["tensor"], theirs["tensor"]
        if a.dtype.kind in "fc" or b.dtype.kind in "fc":
            if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
                return f"{where}: values differ by {np.nanmax(np.abs(a - b)) if a.size else 0}:\n{a}\nvs\n{b}"
        elif not np.array_equal(a, b):
            return f"{where}: values {a} vs {b}"
        return None
    if isinstance(theirs, dict):
        if not isinstance(mine, dict) or list(mine) != list(theirs):
            return f"{where}: keys {list(mine) if isinstance(mine, dict) else mine} vs {list(theirs)}"
        for k in theirs:
            d = compare(mine[k], theirs[k], f"{where}[{k!r}]", rtol, atol)
            if d:
                return d
        return None
    if isinstance(theirs, (list, tuple)):
        if not isinstance(mine, (list, tuple)) or len(mine) != len(theirs):
            return f"{where}: {mine!r} vs {theirs!r}"
        for i, (m, t) in enumerate(zip(mine, theirs)):
            d = compare(m, t, f"{where}[{i}]", rtol, atol)
            if d:
                return d
        return None
    if isinstance(theirs, float) and isinstance(mine, (int, float)) and not isinstance(mine, bool):
        if not (math.isclose(mine, theirs, rel_tol=rtol, abs_tol=atol) or (math.isnan(mine) and math.isnan(theirs))):
            return f"{where}: {mine!r} vs {theirs!r}"
        return None
    if type(mine) is not type(theirs) or mine != theirs:
        return f"{where}: {mine!r} ({type(mine).__name__}) vs {theirs!r} ({type(theirs).__name__})"
    return None


def run(fn, torch):
    try:
        return normalize(fn(torch))
    except Exception as exc:  # noqa: BLE001 - an uncaught exception is a result too
        return Raised(exc)


# ------------------------------------------------------------------------------------------- custom autograd.Function


@program
def function_save_for_backward(torch):
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    x = data(torch, 3, 2, dtype=torch.float64).requires_grad_()
    y = Exp.apply(x)
    y.sum().backward()
    return y, x.grad, type(y.grad_fn).__name__.endswith("Backward")


@program
def function_needs_input_grad(torch):
    seen = []

    class MulAdd(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b, c):
            ctx.save_for_backward(a, b)
            return a * b + c

        @staticmethod
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            seen.append(tuple(ctx.needs_input_grad))
            ga = g * b if ctx.needs_input_grad[0] else None
            gb = g * a if ctx.needs_input_grad[1] else None
            gc = g if ctx.needs_input_grad[2] else None
            return ga, gb, gc

    a = data(torch, 4).requires_grad_()
    b = data(torch, 4, offset=1.0)
    c = data(torch, 4, offset=2.0).requires_grad_()
    MulAdd.apply(a, b, c).sum().backward()
    return a.grad, b.grad, c.grad, seen


@program
def function_mark_dirty(torch):
    class AddOne_(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    w = data(torch, 5, dtype=torch.float64).requires_grad_()
    h = w * 2
    out = AddOne_.apply(h)
    (out * out).sum().backward()
    return out, out is h, w.grad


@program
def function_set_materialize_grads(torch):
    received = []

    class Split(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            received.append((g1 is None, g2 is None))
            total = 0
            if g1 is not None:
                total = total + g1 * 2
            if g2 is not None:
                total = total + g2 * 3
            return total

    x = data(torch, 3).requires_grad_()
    a, b = Split.apply(x)
    a.sum().backward()
    return x.grad, received


@program
def function_materialized_zeros(torch):
    received = []

    class Split(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            received.append((g1 is None, g2 is None, g2.sum().item() if g2 is not None else None))
            return g1 * 2 + g2 * 3

    x = data(torch, 3).requires_grad_()
    a, b = Split.apply(x)
    b.sum().backward()
    return x.grad, received


@program
def function_non_tensor_argument(torch):
    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, factor, name):
            ctx.factor = factor
            ctx.name = name
            return x * factor

        @staticmethod
        def backward(ctx, g):
            return g * ctx.factor, None, None

    x = data(torch, 2, 3).requires_grad_()
    y = Scale.apply(x, 2.5, "scale")
    y.pow(2).mean().backward()
    return y, x.grad


@program
def function_mark_non_differentiable(torch):
    class SortWithIndex(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            values, index = x.sort()
            ctx.mark_non_differentiable(index)
            ctx.save_for_backward(index)
            return values, index

        @staticmethod
        def backward(ctx, g, _):
            (index,) = ctx.saved_tensors
            out = torch.zeros_like(g)
            out.scatter_(0, index, g)
            return out

    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, index = SortWithIndex.apply(x)
    (values * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
    return values, index, index.requires_grad, x.grad


@program
def function_double_backward(torch):
    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x ** 2

    x = data(torch, 4, dtype=torch.float64).requires_grad_()
    y = Cube.apply(x).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    return g, h


@program
def function_gradcheck(torch):
    class Softplus(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return torch.log1p(torch.exp(x))

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * torch.sigmoid(x)

    x = data(torch, 5, dtype=torch.float64).requires_grad_()
    return torch.autograd.gradcheck(Softplus.apply, (x,))


@program
def function_returns_wrong_count(torch):
    class Bad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x + y

        @staticmethod
        def backward(ctx, g):
            return g

    x = data(torch, 3).requires_grad_()
    y = data(torch, 3).requires_grad_()
    out = Bad.apply(x, y).sum()
    return caught(out.backward)


@program
def function_in_a_module(torch):
    class ClampGrad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone()

        @staticmethod
        def backward(ctx, g):
            return g.clamp(-0.1, 0.1)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(3, 2)

        def forward(self, x):
            return ClampGrad.apply(self.fc(x))

    net = fill_(torch, Net())
    x = data(torch, 4, 3)
    loss = (net(x) * 10).sum()
    loss.backward()
    return loss, net.fc.weight.grad, net.fc.bias.grad


# ------------------------------------------------------------------------------------------------------- hooks


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


# -------------------------------------------------------------------------------------- torch.autograd.functional


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


# ------------------------------------------------------------------------------------- optimizers and schedulers


def _regression(torch):
    x = data(torch, 8, 3)
    y = (x @ torch.tensor([[1.0], [-2.0], [0.5]])) + 0.3
    return x, y


@program
def adam_state_dict_round_trip(torch):
    x, y = _regression(torch)

    def make():
        return fill_(torch, torch.nn.Linear(3, 1))

    def step(model, opt):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    a = make()
    opt_a = torch.optim.Adam(a.parameters(), lr=0.05, betas=(0.8, 0.99))
    for _ in range(3):
        step(a, opt_a)
    saved_model = copy.deepcopy(a.state_dict())
    saved_opt = copy.deepcopy(opt_a.state_dict())
    for _ in range(3):
        step(a, opt_a)

    b = make()
    b.load_state_dict(saved_model)
    opt_b = torch.optim.Adam(b.parameters(), lr=0.05)
    opt_b.load_state_dict(saved_opt)
    for _ in range(3):
        step(b, opt_b)
    state = opt_b.state_dict()
    return (a.weight, b.weight, a.bias, b.bias, sorted(state["state"]), state["state"][0]["step"],
            state["param_groups"][0]["betas"], state["param_groups"][0]["params"])


@program
def sgd_momentum_state(torch):
    w = torch.tensor([1.0, -1.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)
    for _ in range(4):
        opt.zero_grad()
        (w ** 2).sum().backward()
        opt.step()
    return w, opt.state[w]["momentum_buffer"], list(opt.state_dict()["state"][0])


@program
def param_groups_different_lr(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1)))
    opt = torch.optim.SGD([
        {"params": net[0].parameters()},
        {"params": net[2].parameters(), "lr": 0.5},
    ], lr=0.01, momentum=0.5)
    x, y = _regression(torch)
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(x), y).backward()
        opt.step()
    return ([g["lr"] for g in opt.param_groups], [g["momentum"] for g in opt.param_groups],
            net[0].weight, net[2].weight)


@program
def add_param_group_later(torch):
    enc = fill_(torch, torch.nn.Linear(3, 3))
    head = fill_(torch, torch.nn.Linear(3, 1), scale=0.5)
    opt = torch.optim.Adam(enc.parameters(), lr=0.01)
    x, y = _regression(torch)
    for i in range(4):
        if i == 2:
            opt.add_param_group({"params": head.parameters(), "lr": 0.1})
        opt.zero_grad()
        torch.nn.functional.mse_loss(head(enc(x).relu()), y).backward()
        opt.step()
    return (len(opt.param_groups), opt.param_groups[1]["lr"], opt.param_groups[1]["betas"], head.weight,
            enc.weight, opt.state_dict()["param_groups"][1]["params"])


@program
def add_param_group_duplicate(torch):
    lin = torch.nn.Linear(2, 2)
    opt = torch.optim.SGD(lin.parameters(), lr=0.1)
    return caught(opt.add_param_group, {"params": [lin.weight]})


@program
def zero_grad_set_to_none(torch):
    lin = fill_(torch, torch.nn.Linear(2, 1))
    opt = torch.optim.SGD(lin.parameters(), lr=0.1)
    lin(data(torch, 3, 2)).sum().backward()
    opt.zero_grad(set_to_none=False)
    kept = (lin.weight.grad, lin.bias.grad)
    lin(data(torch, 3, 2)).sum().backward()
    opt.zero_grad()
    return kept, lin.weight.grad is None, lin.bias.grad is None


@program
def module_zero_grad(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    lin(data(torch, 3, 2)).sum().backward()
    lin.zero_grad(set_to_none=False)
    zeros = lin.weight.grad.clone()
    lin.zero_grad()
    return zeros, lin.weight.grad


@program
def chained_schedulers(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    s1 = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    s2 = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    lrs = []
    for _ in range(6):
        opt.step()
        s1.step()
        s2.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs, s1.get_last_lr(), s2.get_last_lr()


@program
def chained_scheduler_class(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    sched = torch.optim.lr_scheduler.ChainedScheduler([
        torch.optim.lr_scheduler.ConstantLR(opt, factor=0.1, total_iters=2),
        torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9),
    ])
    lrs = []
    for _ in range(5):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    return lrs


@program
def sequential_lr_warmup(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)
    warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.25, total_iters=3)
    decay = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
    sched = torch.optim.lr_scheduler.SequentialLR(opt, [warm, decay], milestones=[3])
    lrs = []
    for _ in range(8):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


@program
def lambda_and_multistep(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([{"params": [w]}, {"params": [torch.zeros(1, requires_grad=True)], "lr": 0.5}], lr=1.0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=[lambda e: 1 / (e + 1), lambda e: 0.9 ** e])
    out = []
    for _ in range(3):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr())
    opt2 = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    ms = torch.optim.lr_scheduler.MultiStepLR(opt2, milestones=[1, 3], gamma=0.1)
    for _ in range(4):
        opt2.step()
        ms.step()
        out.append(ms.get_last_lr())
    return out


@program
def scheduler_state_dict_resume(torch):
    def make():
        w = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([w], lr=0.2)
        return opt, torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.3)

    opt, sched = make()
    for _ in range(3):
        opt.step()
        sched.step()
    state = sched.state_dict()
    opt2, sched2 = make()
    opt2.load_state_dict(opt.state_dict())
    sched2.load_state_dict(state)
    opt2.step()
    sched2.step()
    return state["last_epoch"], state["step_size"], sched2.get_last_lr(), opt2.param_groups[0]["lr"]


@program
def reduce_lr_on_plateau(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.Adam([w], lr=1.0)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
    lrs = []
    for val in [1.0, 0.9, 0.95, 0.95, 0.95, 0.5, 0.6, 0.7]:
        sched.step(val)
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


@program
def one_cycle_lr(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=6)
    out = []
    for _ in range(5):
        opt.step()
        sched.step()
        out.append((opt.param_groups[0]["lr"], opt.param_groups[0]["momentum"]))
    return out


# ---------------------------------------------------------------------------------------- modules and their state


class _Block:  # built inside a program, so that each library's nn.Module is its base
    @staticmethod
    def make(torch):
        class Block(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = torch.nn.Linear(4, 4)
                self.norm = torch.nn.BatchNorm1d(4)
                self.head = torch.nn.Linear(4, 2)
                self.register_buffer("steps", torch.zeros((), dtype=torch.long))
                self.register_buffer("scratch", torch.ones(2), persistent=False)

            def forward(self, x):
                if self.training:
                    self.steps += 1
                return self.head(self.norm(self.conv(x)).relu())

        return fill_(torch, Block())


@program
def state_dict_keys_and_buffers(torch):
    net = _Block.make(torch)
    sd = net.state_dict()
    return (list(sd), [n for n, _ in net.named_buffers()], [n for n, _ in net.named_parameters()],
            sd["norm.num_batches_tracked"], sd["steps"])


@program
def load_state_dict_strict_false(torch):
    net = _Block.make(torch)
    sd = net.state_dict()
    del sd["head.bias"]
    sd["extra.weight"] = torch.zeros(1)
    result = net.load_state_dict(sd, strict=False)
    return sorted(result.missing_keys), sorted(result.unexpected_keys)


@program
def load_state_dict_strict_error(torch):
    net = _Block.make(torch)
    sd = net.state_dict()
    del sd["head.bias"]
    return caught(net.load_state_dict, sd)


@program
def load_state_dict_shape_mismatch(torch):
    a = torch.nn.Linear(3, 2)
    b = torch.nn.Linear(4, 2)
    return caught(a.load_state_dict, b.state_dict())


@program
def train_eval_batchnorm_dropout(torch):
    net = _Block.make(torch)
    x = data(torch, 6, 4)
    net.train()
    y_train = net(x)
    modes = [m.training for m in net.modules()]
    net.eval()
    y_eval = net(x)
    drop = torch.nn.Dropout(0.5).eval()
    return (y_train, y_eval, modes, [m.training for m in net.modules()], net.norm.running_mean,
            net.norm.running_var, net.steps, drop(x).equal(x))


@program
def named_modules_and_apply(torch):
    net = torch.nn.Sequential(
        torch.nn.Linear(2, 3), torch.nn.ReLU(),
        torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh()), torch.nn.Linear(3, 1))

    def init(m):
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.constant_(m.weight, 0.1)
            torch.nn.init.zeros_(m.bias)

    net.apply(init)
    names = [(name, type(m).__name__) for name, m in net.named_modules()]
    children = [type(m).__name__ for m in net.children()]
    return names, children, net(torch.ones(2, 2)), sum(p.numel() for p in net.parameters())


@program
def requires_grad_freeze(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)))
    net[0].requires_grad_(False)
    net(data(torch, 3, 2)).sum().backward()
    trainable = [n for n, p in net.named_parameters() if p.requires_grad]
    return trainable, net[0].weight.grad is None, net[1].weight.grad


@program
def sequential_slicing_and_indexing(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 4), torch.nn.Sigmoid())
    fill_(torch, net)
    head = net[:2]
    tail = net[2:]
    x = data(torch, 2, 2)
    return (type(head).__name__, len(head), len(tail), type(net[-1]).__name__,
            (tail(head(x)) - net(x)).abs().max(), [type(m).__name__ for m in net[::2]])


@program
def sequential_append_insert_delete(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 2))
    net.append(torch.nn.ReLU())
    net.insert(1, torch.nn.Tanh())
    net.extend([torch.nn.Identity(), torch.nn.Linear(2, 1)])
    del net[2]
    return [type(m).__name__ for m in net], list(net.state_dict())


@program
def sequential_ordered_dict(torch):
    from collections import OrderedDict

    net = torch.nn.Sequential(OrderedDict([("fc", torch.nn.Linear(3, 2)), ("act", torch.nn.Softplus())]))
    fill_(torch, net)
    return list(net.state_dict()), type(net.act).__name__, net(data(torch, 2, 3))


@program
def module_list_loop(torch):
    class Deep(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.ModuleList([torch.nn.Linear(3, 3) for _ in range(3)])
            self.layers.append(torch.nn.Linear(3, 1))

        def forward(self, x):
            for layer in self.layers[:-1]:
                x = x + torch.tanh(layer(x))
            return self.layers[-1](x)

    net = fill_(torch, Deep())
    out = net(data(torch, 4, 3))
    out.sum().backward()
    return (out, len(net.layers), type(net.layers[1:]).__name__, net.layers[0].weight.grad,
            list(net.state_dict())[-2:])


@program
def module_dict_heads(torch):
    heads = torch.nn.ModuleDict({"cls": torch.nn.Linear(3, 4), "reg": torch.nn.Linear(3, 1)})
    heads.update({"aux": torch.nn.Linear(3, 2)})
    fill_(torch, heads)
    x = data(torch, 2, 3)
    outs = {k: heads[k](x) for k in heads}
    return (list(heads.keys()), list(outs), {k: v.shape for k, v in outs.items()}, "reg" in heads,
            heads.pop("aux").out_features, len(heads))


@program
def parameter_list_and_dict(torch):
    class Mix(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.ws = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2) * i) for i in range(3)])
            self.named = torch.nn.ParameterDict({"scale": torch.nn.Parameter(torch.tensor(2.0))})

        def forward(self, x):
            return sum(w * x for w in self.ws) * self.named["scale"]

    m = Mix()
    m(torch.tensor([1.0, 2.0])).sum().backward()
    return list(m.state_dict()), [w.grad for w in m.ws], m.named["scale"].grad


@program
def module_to_double_and_dtype(torch):
    net = fill_(torch, torch.nn.Linear(2, 2)).double()
    out = net(data(torch, 3, 2, dtype=torch.float64))
    err = caught(net, data(torch, 3, 2))
    half = torch.nn.Linear(2, 2).to(torch.float64)
    return out.dtype, net.weight.dtype, err, half.bias.dtype


# --------------------------------------------------------------------------------- in-place ops and views in loops


@program
def manual_sgd_in_place(torch):
    w = torch.tensor([2.0, -3.0], requires_grad=True)
    for _ in range(5):
        loss = (w ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            w.grad.zero_()
    return w, w.requires_grad, w.is_leaf, w.grad


@program
def in_place_on_leaf_refused(torch):
    w = torch.ones(3, requires_grad=True)
    return caught(w.add_, 1), caught(lambda: w.__setitem__(0, 5.0))


@program
def modified_saved_tensor_refused(torch):
    x = torch.ones(3, requires_grad=True)
    h = x * 2
    y = h.exp()
    y.mul_(2)  # exp saved its output
    return caught(y.sum().backward)


@program
def in_place_on_view_of_nonleaf(torch):
    x = data(torch, 2, 3, dtype=torch.float64).requires_grad_()
    h = x * 2
    row = h[0]
    row.mul_(10)
    h.sum().backward()
    return h, x.grad, type(h.grad_fn).__name__


@program
def slice_assignment_in_forward(torch):
    x = data(torch, 4, dtype=torch.float64).requires_grad_()
    out = torch.zeros(4, dtype=torch.float64)
    out[1:3] = x[:2] ** 2
    out[0] = x[3]
    out.sum().backward()
    return out, x.grad, out.requires_grad


@program
def relu_inplace_in_model(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(inplace=True), torch.nn.Linear(4, 1)))
    x = data(torch, 5, 3)
    net(x).sum().backward()
    return net[0].weight.grad, net[2].weight.grad


@program
def view_shares_storage(torch):
    a = torch.arange(6.0)
    v = a.view(2, 3)
    t = v.t()
    v[1, 1] = 100.0
    return a, t, t.is_contiguous(), caught(t.view, 6), t.reshape(6), t.contiguous().view(6)


@program
def detach_shares_storage(torch):
    x = torch.ones(3, requires_grad=True)
    d = x.detach()
    d[0] = 5.0
    y = x * 2
    return x, d.requires_grad, y


@program
def ema_update_in_place(torch):
    net = fill_(torch, torch.nn.Linear(2, 2))
    ema = copy.deepcopy(net)
    for p in ema.parameters():
        p.requires_grad_(False)
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    for _ in range(3):
        opt.zero_grad()
        net(data(torch, 4, 2)).pow(2).mean().backward()
        opt.step()
        with torch.no_grad():
            for pe, p in zip(ema.parameters(), net.parameters()):
                pe.mul_(0.9).add_(p, alpha=0.1)
    return ema.weight, ema.bias, ema.weight.requires_grad, net.weight


# ------------------------------------------------------------------------------------------------- save and load


@program
def save_load_state_dict_bytesio(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2)))
    net(data(torch, 4, 3))
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    buf.seek(0)
    state = torch.load(buf)
    fresh = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
    fresh.load_state_dict(state)
    fresh.eval()
    net.eval()
    x = data(torch, 2, 3, offset=1.0)
    return list(state), fresh(x), net(x), state["1.running_mean"]


@program
def save_load_checkpoint_dict(torch, tmp=None):
    import os
    import tempfile

    net = fill_(torch, torch.nn.Linear(2, 1))
    opt = torch.optim.Adam(net.parameters(), lr=0.1)
    net(torch.ones(1, 2)).sum().backward()
    opt.step()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "ckpt.pt")
        torch.save({"epoch": 3, "model": net.state_dict(), "opt": opt.state_dict(), "note": "hi",
                    "history": [0.5, 0.25]}, path)
        ckpt = torch.load(path)
    net2 = torch.nn.Linear(2, 1)
    net2.load_state_dict(ckpt["model"])
    opt2 = torch.optim.Adam(net2.parameters(), lr=0.1)
    opt2.load_state_dict(ckpt["opt"])
    return ckpt["epoch"], ckpt["note"], ckpt["history"], net2.weight, opt2.state_dict()["state"][0]["exp_avg"]


@program
def save_load_tensors_keep_dtype_and_views(torch):
    a = torch.arange(10, dtype=torch.int32)
    b = torch.tensor([True, False])
    c = torch.linspace(0, 1, 5, dtype=torch.float64)
    buf = io.BytesIO()
    torch.save([a, b, c, a[2:5]], buf)
    buf.seek(0)
    la, lb, lc, lv = torch.load(buf, weights_only=True)
    return la, lb, lc, lv, lv.shape


@program
def save_load_requires_grad(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    buf = io.BytesIO()
    torch.save({"w": w}, buf)
    buf.seek(0)
    w2 = torch.load(buf)["w"]
    return w2, w2.requires_grad, w2.is_leaf


# ------------------------------------------------------------------------------------------------- data loading


@program
def loader_sequential_batches(torch):
    from_data = torch.utils.data
    x = torch.arange(10.0).reshape(5, 2)
    y = torch.arange(5)
    loader = from_data.DataLoader(from_data.TensorDataset(x, y), batch_size=2)
    batches = [(xb, yb) for xb, yb in loader]
    return len(loader), batches


@program
def loader_drop_last_and_len(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(7.0))
    loader = torch.utils.data.DataLoader(ds, batch_size=3, drop_last=True)
    return len(ds), len(loader), [b[0] for b in loader], ds[2]


@program
def loader_custom_collate(torch):
    seqs = [torch.arange(n, dtype=torch.float32) for n in (3, 1, 2, 4)]

    def pad(batch):
        longest = max(len(s) for s in batch)
        out = torch.zeros(len(batch), longest)
        for i, s in enumerate(batch):
            out[i, :len(s)] = s
        return out, torch.tensor([len(s) for s in batch])

    loader = torch.utils.data.DataLoader(seqs, batch_size=2, collate_fn=pad)
    return list(loader)


@program
def loader_with_sampler(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(6.0) * 10)
    sampler = torch.utils.data.SubsetRandomSampler([4, 1]) if False else [5, 3, 1, 0]
    loader = torch.utils.data.DataLoader(ds, batch_size=3, sampler=sampler)
    seq = list(torch.utils.data.SequentialSampler(ds))
    batches = list(torch.utils.data.BatchSampler(torch.utils.data.SequentialSampler(range(5)), 2, False))
    return [b[0] for b in loader], seq, batches


@program
def loader_batch_sampler(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(5.0), torch.arange(5) % 2)
    bs = torch.utils.data.BatchSampler(range(5), batch_size=2, drop_last=True)
    loader = torch.utils.data.DataLoader(ds, batch_sampler=bs)
    return [(a, b) for a, b in loader], len(loader)


@program
def loader_dict_samples_default_collate(torch):
    class Pairs(torch.utils.data.Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return {"x": torch.full((2,), float(i)), "label": i, "weight": 0.5 * i}

    batch = next(iter(torch.utils.data.DataLoader(Pairs(), batch_size=3)))
    return batch["x"], batch["label"], batch["weight"]


@program
def random_split_lengths(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(10.0))
    a, b = torch.utils.data.random_split(ds, [7, 3], generator=torch.Generator().manual_seed(0))
    c, d = torch.utils.data.random_split(range(10), [0.8, 0.2])
    return len(a), len(b), len(c), len(d), type(a).__name__


@program
def subset_and_concat(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(5.0))
    sub = torch.utils.data.Subset(ds, [4, 0])
    both = torch.utils.data.ConcatDataset([sub, ds])
    return len(both), both[0], both[2], both[-1]


@program
def training_loop_epochs(torch):
    x, y = _regression(torch)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=3)
    model = fill_(torch, torch.nn.Linear(3, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(3):
        total = 0.0
        for xb, yb in loader:
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
        losses.append(total / len(loader.dataset))
    return losses, model.weight


# ----------------------------------------------------------------------------------------------- gradient clipping


@program
def clip_grad_norm_total(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Linear(3, 1)))
    (net(data(torch, 4, 3)) * 20).sum().backward()
    total = torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
    after = torch.sqrt(sum((p.grad ** 2).sum() for p in net.parameters()))
    return total, after, net[0].weight.grad


@program
def clip_grad_norm_inf_and_value(torch):
    w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    (w * torch.tensor([4.0, -5.0, 0.5])).sum().backward()
    total = torch.nn.utils.clip_grad_norm_([w], max_norm=2.0, norm_type=float("inf"))
    g1 = w.grad.clone()
    w.grad = torch.tensor([4.0, -5.0, 0.5])
    torch.nn.utils.clip_grad_value_([w], clip_value=1.0)
    return total, g1, w.grad


@program
def clip_grad_norm_single_tensor_and_none(torch):
    a = torch.tensor([3.0, 4.0], requires_grad=True)
    b = torch.tensor([1.0], requires_grad=True)  # never used: grad None
    (a * 2).sum().backward()
    total = torch.nn.utils.clip_grad_norm_([a, b], 1.0, norm_type=2)
    total2 = torch.nn.utils.clip_grad_norm_(a, 10.0)
    return total, total2, a.grad, b.grad


# ------------------------------------------------------------------------------------------------- mixed dtypes


@program
def mixed_dtype_arithmetic(torch):
    f32 = torch.tensor([1.5, 2.5])
    f64 = torch.tensor([1.0, 2.0], dtype=torch.float64)
    i64 = torch.tensor([1, 2])
    i32 = torch.tensor([1, 2], dtype=torch.int32)
    b = torch.tensor([True, False])
    return ((f32 + f64).dtype, (f32 * i64).dtype, (i64 / i32).dtype, (i64 // 2).dtype, (i32 + b).dtype,
            (b + b).dtype, (i64 * 2.5).dtype, (f32 + torch.tensor(1.0, dtype=torch.float64)).dtype,
            (i32 + torch.tensor(7)).dtype, f32 + f64)


@program
def mixed_dtype_grads(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    x = torch.tensor([3.0, 4.0], dtype=torch.float64)
    y = (w * x).sum()
    y.backward()
    return y.dtype, w.grad.dtype, w.grad


@program
def cross_entropy_long_targets_float_logits(torch):
    logits = data(torch, 4, 3).requires_grad_()
    target = torch.tensor([0, 2, 1, 2])
    loss = torch.nn.functional.cross_entropy(logits, target)
    loss.backward()
    err = caught(torch.nn.functional.cross_entropy, logits, target.int().float())
    return loss, logits.grad, err, (logits.argmax(1) == target).float().mean()


@program
def int_tensor_requires_grad_refused(torch):
    return (caught(torch.tensor, [1, 2], requires_grad=True),
            caught(lambda: torch.arange(3).requires_grad_()))


@program
def accuracy_with_bool_and_sum(torch):
    pred = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    labels = torch.tensor([1, 0, 0])
    correct = (pred.argmax(dim=1) == labels)
    return correct, correct.sum(), correct.sum().item(), correct.float().mean().item(), correct.dtype


@program
def half_cast_round_trip(torch):
    x = torch.tensor([1.0 / 3, 1000.1, 65519.0, 1e-8])
    h = x.half()
    return h, h.float(), h.dtype, (h + 1).dtype, (h * torch.tensor(2.0)).dtype


# ------------------------------------------------------------------------------------------------- GANs


def _gan(torch):
    G = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.LeakyReLU(0.2), torch.nn.Linear(4, 2)))
    D = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.LeakyReLU(0.2), torch.nn.Linear(4, 1)),
              scale=0.5)
    return G, D


@program
def tiny_gan_step(torch):
    G, D = _gan(torch)
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-2, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-2, betas=(0.5, 0.999))
    bce = torch.nn.BCEWithLogitsLoss()
    real = data(torch, 6, 2)
    z = data(torch, 6, 2, offset=0.5)
    out = []
    for _ in range(2):
        fake = G(z)
        opt_d.zero_grad()
        d_loss = bce(D(real), torch.ones(6, 1)) + bce(D(fake.detach()), torch.zeros(6, 1))
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        g_loss = bce(D(fake), torch.ones(6, 1))
        g_loss.backward()
        opt_g.step()
        out.append((d_loss.item(), g_loss.item()))
    return out, G[0].weight, D[2].weight, fake.requires_grad


@program
def gan_step_without_detach_leaves_g_grads(torch):
    G, D = _gan(torch)
    fake = G(data(torch, 3, 2))
    d_loss = torch.nn.functional.softplus(D(fake)).mean()
    d_loss.backward()
    return G[0].weight.grad, D[0].weight.grad


@program
def wgan_gp_penalty(torch):
    G, D = _gan(torch)
    real = data(torch, 5, 2)
    fake = G(data(torch, 5, 2, offset=2.0)).detach()
    alpha = torch.linspace(0, 1, 5).unsqueeze(1)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = D(mixed)
    (grads,) = torch.autograd.grad(scores, mixed, grad_outputs=torch.ones_like(scores), create_graph=True,
                                   retain_graph=True)
    penalty = ((grads.norm(2, dim=1) - 1) ** 2).mean()
    loss = D(fake).mean() - D(real).mean() + 10 * penalty
    loss.backward()
    return penalty, grads.requires_grad, D[0].weight.grad, D[2].bias.grad, mixed.grad


@program
def wgan_weight_clipping(torch):
    _, D = _gan(torch)
    opt = torch.optim.RMSprop(D.parameters(), lr=0.05)
    for _ in range(2):
        opt.zero_grad()
        (D(data(torch, 4, 2, offset=1.0)).mean() - D(data(torch, 4, 2)).mean()).backward()
        opt.step()
        for p in D.parameters():
            p.data.clamp_(-0.2, 0.2)
    return [p.clone() for p in D.parameters()]


@program
def r1_penalty_real_only(torch):
    _, D = _gan(torch)
    real = data(torch, 4, 2).requires_grad_()
    out = D(real).sum()
    (g,) = torch.autograd.grad(out, real, create_graph=True)
    r1 = g.pow(2).sum(dim=1).mean()
    r1.backward()
    return r1, D[0].weight.grad, real.grad


# ------------------------------------------------------------------------------------------------- grad modes


@program
def no_grad_decorator(torch):
    @torch.no_grad()
    def evaluate(model, x):
        return model(x)

    model = fill_(torch, torch.nn.Linear(2, 2))
    out = evaluate(model, data(torch, 3, 2))
    return out.requires_grad, torch.is_grad_enabled(), evaluate.__name__


@program
def inference_mode_decorator_and_context(torch):
    @torch.inference_mode()
    def predict(model, x):
        return model(x)

    model = fill_(torch, torch.nn.Linear(2, 2))
    out = predict(model, data(torch, 1, 2))
    with torch.inference_mode():
        inner = torch.is_inference_mode_enabled()
        y = model(data(torch, 1, 2))
    with torch.inference_mode(False):
        off = torch.is_inference_mode_enabled()
    return out.requires_grad, inner, off, y.requires_grad, torch.is_inference_mode_enabled(), y.is_inference()


@program
def inference_tensor_in_autograd_refused(torch):
    with torch.inference_mode():
        x = torch.ones(2)
    w = torch.ones(2, requires_grad=True)
    return caught(lambda: (w * x).sum().backward()), caught(x.add_, 1), w.grad


@program
def set_grad_enabled_forms(torch):
    x = torch.ones(2, requires_grad=True)
    with torch.set_grad_enabled(False):
        a = x * 2
    with torch.set_grad_enabled(True):
        b = x * 2
    torch.set_grad_enabled(False)
    c = x * 2
    torch.set_grad_enabled(True)
    is_train = False
    with torch.set_grad_enabled(is_train):
        d = x * 2

    @torch.set_grad_enabled(False)
    def f(t):
        return t * 2

    return a.requires_grad, b.requires_grad, c.requires_grad, d.requires_grad, f(x).requires_grad, \
        torch.is_grad_enabled()


@program
def enable_grad_inside_no_grad(torch):
    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        with torch.enable_grad():
            y = x * 3
        z = x * 3

    @torch.enable_grad()
    def f(t):
        return t * 2

    with torch.no_grad():
        w = f(x)
    return y.requires_grad, z.requires_grad, w.requires_grad


@program
def no_grad_on_a_method_and_generator(torch):
    class Sampler:
        def __init__(self):
            self.w = torch.ones(2, requires_grad=True)

        @torch.no_grad()
        def sample(self, n):
            return self.w * n

    s = Sampler()

    @torch.no_grad()
    def gen():
        for i in range(2):
            yield s.w * i, torch.is_grad_enabled()

    got = list(gen())
    return s.sample(3).requires_grad, [(t.requires_grad, e) for t, e in got], torch.is_grad_enabled()


@program
def no_grad_nested_exception_restores(torch):
    def fail():
        with torch.no_grad():
            raise ValueError("inside")

    err = caught(fail)
    return err, torch.is_grad_enabled()


@program
def requires_grad_inside_no_grad(torch):
    with torch.no_grad():
        w = torch.zeros(3, requires_grad=True)
        y = w + 1
        p = torch.nn.Parameter(torch.ones(2))
    return w.requires_grad, y.requires_grad, p.requires_grad, y.grad_fn is None


# ------------------------------------------------------------------------------------------------- more autograd


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


# ------------------------------------------------------------------------------------------------- a second pass


@program
def function_setup_context_style(torch):
    class Mul(torch.autograd.Function):
        @staticmethod
        def forward(x, k):
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            _, k = inputs
            ctx.k = k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    x = data(torch, 3).requires_grad_()
    Mul.apply(x, 4.0).sum().backward()
    return x.grad


@program
def function_once_differentiable(torch):
    from_function = torch.autograd.function

    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @from_function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = data(torch, 3, dtype=torch.float64).requires_grad_()
    y = Square.apply(x).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    return g, caught(lambda: g.sum().backward())


@program
def function_returns_input_unchanged(torch):
    class Identity(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = data(torch, 3).requires_grad_()
    y = Identity.apply(x)
    y.sum().backward()
    return y is x, x.grad, y.requires_grad


@program
def function_output_no_grad_input(torch):
    class Double(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    y = Double.apply(data(torch, 2))
    return y.requires_grad, y.grad_fn is None


@program
def backward_with_multiple_roots(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y1 = x * 2
    y2 = x ** 2
    torch.autograd.backward([y1.sum(), y2], [None, torch.tensor([1.0, -1.0])])
    return x.grad


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
def tied_weights(torch):
    class Tied(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = torch.nn.Embedding(5, 3)
            self.out = torch.nn.Linear(3, 5, bias=False)
            self.out.weight = self.embed.weight

        def forward(self, idx):
            return self.out(self.embed(idx))

    m = fill_(torch, Tied())
    m(torch.tensor([1, 3])).sum().backward()
    return (list(m.state_dict()), [n for n, _ in m.named_parameters()], len(list(m.parameters())),
            m.embed.weight.grad)


@program
def state_dict_detached_and_keep_vars(torch):
    lin = torch.nn.Linear(2, 2)
    sd = lin.state_dict()
    kv = lin.state_dict(keep_vars=True)
    return (sd["weight"].requires_grad, kv["weight"].requires_grad, type(kv["weight"]).__name__,
            sd["weight"].data_ptr() == lin.weight.data_ptr())


@program
def get_submodule_and_parameter(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(3, 1)))
    return (type(net.get_submodule("1.1")).__name__, tuple(net.get_parameter("1.1.weight").shape),
            caught(net.get_submodule, "2"), [n for n, _ in net[1].named_parameters(prefix="head")],
            len(list(net.parameters(recurse=False))))


@program
def module_repr(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Dropout(0.25), torch.nn.Linear(3, 1,
                                                                                                               bias=False))
    return str(net)


@program
def register_parameter_and_buffer_none(torch):
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_parameter("bias", None)
            self.register_buffer("mask", None)
            self.w = torch.nn.Parameter(torch.ones(2))

    m = M()
    return list(m.state_dict()), m.bias is None, [n for n, _ in m.named_parameters()], m.mask is None


@program
def optimizer_states_for_each_kind(torch):
    out = {}
    for name, make in [("RMSprop", lambda ps: torch.optim.RMSprop(ps, lr=0.01, momentum=0.5)),
                       ("Adagrad", lambda ps: torch.optim.Adagrad(ps, lr=0.1)),
                       ("AdamW", lambda ps: torch.optim.AdamW(ps, lr=0.1, amsgrad=True)),
                       ("Adadelta", lambda ps: torch.optim.Adadelta(ps)),
                       ("Adamax", lambda ps: torch.optim.Adamax(ps, lr=0.1)),
                       ("NAdam", lambda ps: torch.optim.NAdam(ps, lr=0.1)),
                       ("RAdam", lambda ps: torch.optim.RAdam(ps, lr=0.1))]:
        w = torch.tensor([1.0, -2.0], requires_grad=True)
        opt = make([w])
        for _ in range(2):
            opt.zero_grad()
            (w ** 2).sum().backward()
            opt.step()
        state = opt.state_dict()["state"][0]
        out[name] = (w, {k: state[k] for k in sorted(state)})
    return out


@program
def optimizer_load_state_dict_mismatch(torch):
    a = torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1)
    b = torch.optim.SGD([torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True)], lr=0.1)
    return caught(b.load_state_dict, a.state_dict())


@program
def manual_lr_change_mid_training(torch):
    w = torch.tensor([1.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)
    for step in range(4):
        if step == 2:
            for g in opt.param_groups:
                g["lr"] = 0.01
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    return w, opt.defaults["lr"]


@program
def cosine_warm_restarts_and_polynomial(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    s = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.1)
    lrs = []
    for _ in range(7):
        opt.step()
        s.step()
        lrs.append(s.get_last_lr()[0])
    opt2 = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    p = torch.optim.lr_scheduler.PolynomialLR(opt2, total_iters=4, power=2.0)
    for _ in range(5):
        opt2.step()
        p.step()
        lrs.append(p.get_last_lr()[0])
    return lrs


@program
def loader_list_of_tuples_collate(torch):
    samples = [(1, 0.5, "a"), (2, 1.5, "b"), (3, 2.5, "c")]
    batch = next(iter(torch.utils.data.DataLoader(samples, batch_size=3)))
    return batch[0], batch[1], batch[2]


@program
def loader_numpy_samples(torch):
    samples = [np.array([i, i + 1], dtype=np.float32) for i in range(4)]
    batches = list(torch.utils.data.DataLoader(samples, batch_size=2))
    return batches


@program
def loader_shuffle_covers_everything(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(10))
    g = torch.Generator()
    g.manual_seed(3)
    loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True, generator=g)
    seen = torch.cat([b[0] for b in loader])
    return [len(b[0]) for b in loader], seen.sort().values, seen.dtype


@program
def weighted_sampler_length(torch):
    sampler = torch.utils.data.WeightedRandomSampler([0.0, 0.0, 1.0], num_samples=5, replacement=True)
    return list(sampler), len(sampler)


@program
def integer_dtype_edges(torch):
    a = torch.tensor([-2.7, 2.7])
    return (a.to(torch.int64), a.long(), torch.full((2,), 7).dtype, (torch.tensor(3) / 2), torch.tensor(3) // 2,
            (torch.zeros(2, dtype=torch.long) + 0.5).dtype, caught(torch.arange(3).mean),
            torch.tensor([True, True]).sum(), torch.where(torch.tensor([True, False]), 1.0, torch.arange(2)).dtype)


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
def grad_of_sum_of_modules_losses(torch):
    enc = fill_(torch, torch.nn.Linear(3, 2))
    dec = fill_(torch, torch.nn.Linear(2, 3), scale=0.2)
    x = data(torch, 4, 3)
    z = enc(x)
    recon = torch.nn.functional.mse_loss(dec(z), x)
    reg = z.pow(2).mean()
    total = recon + 0.1 * reg
    grads = torch.autograd.grad(total, list(enc.parameters()) + list(dec.parameters()))
    return total, grads


# ------------------------------------------------------------------------------------------ a third pass: the edges


@program
def function_grad_summed_to_input_shape(torch):
    class Broadcasting(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g.expand(2, 3) * 1  # a (2, 3) gradient for a (3,) input: summed to its shape, as PyTorch

    x = torch.ones(3, requires_grad=True)
    Broadcasting.apply(x).sum().backward()
    return x.grad


@program
def function_grad_wrong_shape(torch):
    class Bad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g[:2]

    x = torch.ones(3, requires_grad=True)
    return caught(Bad.apply(x).sum().backward)


@program
def function_grad_other_dtype_cast(torch):
    class Cast(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return (g * 2).double()

    x = torch.ones(3, requires_grad=True)
    Cast.apply(x).sum().backward()
    return x.grad


@program
def function_grad_for_non_tensor_input(torch):
    class Bad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * 2, g.sum()

    x = torch.ones(3, requires_grad=True)
    return caught(Bad.apply(x, 2.0).sum().backward)


@program
def function_saved_output_modified(torch):
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    x = torch.zeros(2, requires_grad=True)
    y = Exp.apply(x)
    y.add_(1)
    return caught(y.sum().backward)


@program
def function_save_none(torch):
    class MaybeScale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(x, None, w)
            return x * w if w is not None else x

        @staticmethod
        def backward(ctx, g):
            x, nothing, w = ctx.saved_tensors
            return g * w, None

    x = torch.ones(2, requires_grad=True)
    MaybeScale.apply(x, torch.tensor([2.0, 3.0])).sum().backward()
    return x.grad


@program
def function_backward_on_non_differentiable_output(torch):
    class ArgMax(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            out = x.argmax().float()
            ctx.mark_non_differentiable(out)
            return out

        @staticmethod
        def backward(ctx, g):
            return None

    x = torch.tensor([1.0, 3.0, 2.0], requires_grad=True)
    out = ArgMax.apply(x)
    return out, out.requires_grad, caught(out.backward)


@program
def function_integer_output(torch):
    class Count(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return (x > 0).sum(), x * 2

        @staticmethod
        def backward(ctx, g_count, g):
            return g * 2

    x = torch.tensor([1.0, -1.0, 2.0], requires_grad=True)
    count, doubled = Count.apply(x)
    doubled.sum().backward()
    return count, count.requires_grad, doubled.requires_grad, x.grad


@program
def function_nested_apply(torch):
    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = torch.tensor([1.5, -2.0], requires_grad=True)
    y = Square.apply(Square.apply(x) + 1)
    y.sum().backward()
    return y, x.grad


@program
def function_mark_dirty_on_leaf_refused(torch):
    class AddOne_(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    w = torch.ones(2, requires_grad=True)
    return caught(AddOne_.apply, w), w


@program
def function_needs_input_grad_none_needed(torch):
    flags = []

    class Mul(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            flags.append(tuple(ctx.needs_input_grad))
            return a * b

        @staticmethod
        def backward(ctx, g):
            return None, None

    y = Mul.apply(torch.ones(2), torch.ones(2))
    with torch.no_grad():
        z = Mul.apply(torch.ones(2, requires_grad=True), torch.ones(2))
    return flags, y.requires_grad, z.requires_grad


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
def retain_grad_on_leaf_and_on_constant(torch):
    x = torch.ones(2, requires_grad=True)
    x.retain_grad()
    (x * 2).sum().backward()
    return x.grad, caught(torch.ones(2).retain_grad)


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
def sgd_closure_returns_loss(torch):
    w = torch.tensor([2.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w - 1).pow(2).sum()
        loss.backward()
        return loss

    losses = [opt.step(closure).item() for _ in range(3)]
    return losses, w


@program
def adam_maximize_amsgrad_weight_decay(torch):
    w = torch.tensor([1.0, -1.0, 0.5], requires_grad=True)
    opt = torch.optim.Adam([w], lr=0.1, amsgrad=True, weight_decay=0.1, maximize=True)
    for i in range(4):
        opt.zero_grad()
        (-(w - i) ** 2).sum().backward()
        opt.step()
    sd = opt.state_dict()
    return w, sorted(sd["state"][0]), sd["state"][0]["max_exp_avg_sq"], sd["param_groups"][0]["maximize"]


@program
def optimizer_named_parameters(torch):
    net = fill_(torch, torch.nn.Linear(2, 1))
    opt = torch.optim.SGD(net.named_parameters(), lr=0.1)
    net(torch.ones(1, 2)).sum().backward()
    opt.step()
    return opt.param_groups[0].get("param_names"), opt.state_dict()["param_groups"][0].get("param_names"), net.weight


@program
def scheduler_initial_lr_in_groups(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    return (opt.param_groups[0]["initial_lr"], sched.last_epoch, sched.get_last_lr(),
            sorted(opt.state_dict()["param_groups"][0]))


@program
def scheduler_without_initial_lr_refused(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.4)
    return caught(torch.optim.lr_scheduler.StepLR, opt, step_size=1, last_epoch=3)


@program
def multiplicative_and_constant_lr(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    s = torch.optim.lr_scheduler.MultiplicativeLR(opt, lr_lambda=lambda e: 0.5)
    out = []
    for _ in range(3):
        opt.step()
        s.step()
        out.append(opt.param_groups[0]["lr"])
    return out


@program
def load_state_dict_casts_dtype(torch):
    lin = torch.nn.Linear(2, 1)
    sd = {"weight": torch.tensor([[1.0, 2.0]], dtype=torch.float64), "bias": torch.tensor([3], dtype=torch.int64)}
    lin.load_state_dict(sd)
    return lin.weight, lin.bias, type(lin.weight).__name__, lin.weight.requires_grad


@program
def load_state_dict_assign(torch):
    lin = torch.nn.Linear(2, 1)
    w = torch.tensor([[1.0, 2.0]], dtype=torch.float64)
    lin.load_state_dict({"weight": w, "bias": torch.zeros(1)}, assign=True)
    return lin.weight.dtype, type(lin.weight).__name__, lin.weight.requires_grad, lin.weight


@program
def double_keeps_integer_buffers(torch):
    bn = torch.nn.BatchNorm1d(3).double()
    bn(torch.ones(4, 3, dtype=torch.float64))
    half = torch.nn.BatchNorm1d(3).half()
    return bn.running_mean.dtype, bn.num_batches_tracked.dtype, bn.num_batches_tracked, half.weight.dtype, \
        half.num_batches_tracked.dtype


@program
def plain_tensor_attribute_not_registered(torch):
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = torch.ones(2)
            self.fc = torch.nn.Linear(2, 2)

    m = M()
    del m.fc
    m.register_module("head", torch.nn.Linear(2, 1))
    return list(m.state_dict()), hasattr(m, "fc"), [n for n, _ in m.named_children()]


@program
def named_modules_shared_once(torch):
    shared = torch.nn.Linear(2, 2)
    net = torch.nn.Sequential(shared, torch.nn.ReLU(), shared)
    return ([n for n, _ in net.named_modules()], [n for n, _ in net.named_modules(remove_duplicate=False)],
            len(list(net.parameters())), list(net.state_dict()))


@program
def module_list_operations(torch):
    ml = torch.nn.ModuleList([torch.nn.Linear(1, 1), torch.nn.ReLU()])
    ml2 = ml + torch.nn.ModuleList([torch.nn.Tanh()])
    ml[1] = torch.nn.Sigmoid()
    ml.insert(0, torch.nn.Identity())
    ml.extend([torch.nn.ELU()])
    popped = ml.pop(1)
    return ([type(m).__name__ for m in ml], [type(m).__name__ for m in ml2], type(popped).__name__,
            type(ml[-2:]).__name__, caught(lambda: ml[10]))


@program
def empty_sequential_and_pop(torch):
    empty = torch.nn.Sequential()
    net = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.ReLU())
    last = net.pop(-1)
    return empty(torch.tensor([1.0, 2.0])), len(empty), type(last).__name__, len(net)


@program
def module_dict_refuses_non_string(torch):
    d = torch.nn.ModuleDict()
    d["a"] = torch.nn.ReLU()
    return caught(lambda: d.__setitem__(1, torch.nn.ReLU())), list(d), caught(lambda: d["b"])


@program
def train_eval_return_self(torch):
    net = torch.nn.Sequential(torch.nn.Dropout(), torch.nn.Linear(1, 1))
    same = net.eval() is net and net.train() is net and net.train(False) is net
    net[0].train()
    return same, net.training, net[0].training, net[1].training, net.apply(lambda m: None) is net, \
        net.to(torch.float64) is net


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
def advanced_index_assign_repeated(torch):
    x = torch.zeros(4)
    idx = torch.tensor([0, 2, 2])
    x[idx] += 1
    y = torch.zeros(4)
    y.index_put_((idx,), torch.tensor(1.0), accumulate=True)
    return x, y


@program
def no_grad_write_into_parameter_row(torch):
    emb = torch.nn.Embedding(4, 2)
    with torch.no_grad():
        emb.weight[0] = 0
        emb.weight[1:].fill_(1.0)
    out = emb(torch.tensor([0, 1]))
    out.sum().backward()
    return emb.weight, emb.weight.grad, emb.weight.requires_grad


@program
def sigmoid_inplace_then_backward(torch):
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    h = x * 2
    h.sigmoid_()
    h.sum().backward()
    return h, x.grad


@program
def view_inplace_leaf_under_no_grad(torch):
    w = torch.ones(2, 3, requires_grad=True)
    with torch.no_grad():
        w[0].mul_(5)
        w.t()[1].zero_()
    (w * w).sum().backward()
    return w, w.grad


@program
def save_whole_model_and_load(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU()))
    buf = io.BytesIO()
    torch.save(net, buf)
    buf.seek(0)
    loaded = torch.load(buf, weights_only=False)
    return type(loaded).__name__, loaded(torch.ones(1, 2)), loaded[0].weight.requires_grad


@program
def load_with_map_location(torch):
    buf = io.BytesIO()
    torch.save({"w": torch.arange(3.0)}, buf)
    buf.seek(0)
    return torch.load(buf, map_location="cpu")["w"]


@program
def default_collate_scalars(torch):
    collate = torch.utils.data.default_collate
    return (collate([1, 2, 3]), collate([1.0, 2.5]), collate([True, False]), collate(["a", "b"]),
            collate([(1, 2.0), (3, 4.0)]), collate([{"a": [1, 2]}, {"a": [3, 4]}]))


@program
def tensor_dataset_size_mismatch(torch):
    return caught(torch.utils.data.TensorDataset, torch.ones(3), torch.ones(4))


@program
def loader_batch_size_none(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(3.0), torch.arange(3))
    return list(torch.utils.data.DataLoader(ds, batch_size=None))


@program
def loader_iterated_twice_and_enumerate(torch):
    loader = torch.utils.data.DataLoader(torch.arange(5), batch_size=2)
    first = [b for b in loader]
    second = [(i, b) for i, b in enumerate(loader)]
    return first, second


@program
def random_split_bad_lengths(torch):
    return caught(torch.utils.data.random_split, range(5), [2, 2]), \
        caught(torch.utils.data.random_split, range(5), [0.5, 0.6])


@program
def clip_grad_norm_nonfinite(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    w.grad = torch.tensor([float("inf"), 1.0])
    err = caught(torch.nn.utils.clip_grad_norm_, [w], 1.0, error_if_nonfinite=True)
    total = torch.nn.utils.clip_grad_norm_([w], 1.0)
    return err, total, w.grad


@program
def clip_grad_norm_one_norm_and_empty(torch):
    a = torch.tensor([1.0, -2.0], requires_grad=True)
    a.grad = torch.tensor([3.0, -4.0])
    total = torch.nn.utils.clip_grad_norm_([a], 1.0, norm_type=1.0)
    empty = torch.nn.utils.clip_grad_norm_([], 1.0)
    return total, a.grad, empty


@program
def model_dtype_mismatch_refused(torch):
    lin = torch.nn.Linear(2, 1)
    return caught(lin, torch.ones(1, 2, dtype=torch.float64)), caught(lin, torch.ones(1, 2, dtype=torch.long))


@program
def losses_with_mixed_dtypes(torch):
    a = torch.tensor([1.0, 2.0])
    b = torch.tensor([1.5, 2.5], dtype=torch.float64)
    return (caught(torch.nn.functional.mse_loss, a, b), torch.nn.functional.l1_loss(a, a.half().float()),
            a.sum(dtype=torch.float64), (torch.tensor(1.0, dtype=torch.float16) + 1.5).dtype,
            torch.nn.functional.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([1.0])).dtype)


@program
def gan_with_label_smoothing_and_frozen_d(torch):
    G, D = _gan(torch)
    bce = torch.nn.BCEWithLogitsLoss()
    real, z = data(torch, 4, 2), data(torch, 4, 2, offset=3.0)
    d_loss = bce(D(real), torch.full((4, 1), 0.9)) + bce(D(G(z).detach()), torch.zeros(4, 1))
    d_loss.backward()
    d_grad = D[0].weight.grad.clone()
    D.zero_grad()
    D.requires_grad_(False)
    g_loss = torch.nn.functional.softplus(-D(G(z))).mean()
    g_loss.backward()
    D.requires_grad_(True)
    return d_loss, d_grad, g_loss, D[0].weight.grad, G[0].weight.grad


@program
def cgan_embedding_concat(torch):
    emb = fill_(torch, torch.nn.Embedding(3, 2))
    G = fill_(torch, torch.nn.Linear(4, 2))
    z = data(torch, 5, 2)
    labels = torch.tensor([0, 1, 2, 1, 0])
    out = G(torch.cat([z, emb(labels)], dim=1))
    out.pow(2).sum().backward()
    return out, emb.weight.grad


@program
def hinge_gan_losses(torch):
    _, D = _gan(torch)
    real, fake = data(torch, 4, 2), data(torch, 4, 2, offset=1.0)
    d_loss = torch.relu(1 - D(real)).mean() + torch.relu(1 + D(fake)).mean()
    d_loss.backward()
    return d_loss, D[2].weight.grad


@program
def no_grad_without_parentheses(torch):
    def go():
        with torch.no_grad:
            pass

    return caught(go), torch.is_grad_enabled()


@program
def inference_mode_false_decorator(torch):
    @torch.inference_mode(mode=False)
    def f(t):
        return t * 2

    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        inside = f(x).requires_grad
    return inside, f(x).requires_grad


@program
def enable_grad_decorator_generator(torch):
    x = torch.ones(2, requires_grad=True)

    @torch.enable_grad()
    def gen():
        yield x * 2
        yield x * 3

    with torch.no_grad():
        outs = [t.requires_grad for t in gen()]
    return outs


@program
def set_grad_enabled_exception_restores(torch):
    def fail():
        with torch.set_grad_enabled(False):
            raise KeyError("x")

    torch.set_grad_enabled(True)
    err = caught(fail)
    return err, torch.is_grad_enabled()


@program
def grad_mode_module_path(torch):
    x = torch.ones(2, requires_grad=True)
    with torch.autograd.no_grad():
        a = x * 2
    with torch.autograd.grad_mode.no_grad():
        b = x * 2
    with torch.autograd.set_grad_enabled(False):
        c = x * 2
    return a.requires_grad, b.requires_grad, c.requires_grad


# ------------------------------------------------------------------------------------------ a fourth pass: the doors


@program
def function_too_few_gradients(torch):
    class Add(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, g):
            return (g,)

    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
    return caught(Add.apply(a, b).sum().backward)


@program
def function_returns_view_of_input(torch):
    class First(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x[0]

        @staticmethod
        def backward(ctx, g):
            out = torch.zeros(3, 2)
            out[0] = g
            return out

    x = data(torch, 3, 2).requires_grad_()
    h = x * 1
    y = First.apply(h)
    err = caught(y.mul_, 2)
    y2 = First.apply(h)
    (y2 * 5).sum().backward()
    return err, x.grad


@program
def function_apply_keyword(torch):
    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k=2.0):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    x = torch.ones(2, requires_grad=True)
    y = Scale.apply(x)
    y.sum().backward()
    return y, x.grad, caught(Scale.apply, x, k=3.0)


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
def optimizer_door_refusals(torch):
    w = torch.ones(2, requires_grad=True)
    return (caught(torch.optim.SGD, [], lr=0.1), caught(torch.optim.SGD, [w * 2], lr=0.1),
            caught(torch.optim.SGD, [w], lr=-1.0), caught(torch.optim.Adam, [w], betas=(1.0, 0.9)),
            caught(torch.optim.Adam, [w], eps=-1.0), caught(torch.optim.SGD, [w], lr=0.1, momentum=-0.5),
            caught(torch.optim.SGD, w, lr=0.1), caught(torch.optim.SGD, [torch.ones(2)], lr=0.1))


@program
def optimizer_duplicate_param_in_group(torch):
    import warnings

    w = torch.ones(2, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt = torch.optim.SGD([w, w], lr=0.1)
    w.grad = torch.ones(2)
    opt.step()
    return w, len(opt.param_groups[0]["params"])


@program
def optimizer_skips_params_without_grad(torch):
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
    opt = torch.optim.Adam([a, b], lr=0.1)
    (a * 2).sum().backward()
    opt.step()
    return a, b, list(opt.state_dict()["state"])


@program
def module_assignment_refusals(torch):
    lin = torch.nn.Linear(2, 2)

    def assign_tensor():
        lin.weight = torch.ones(2, 2)

    def bad_buffer_name():
        lin.register_buffer("a.b", torch.ones(1))

    def bad_parameter():
        lin.register_parameter("extra", torch.ones(1))

    lin.bias = None
    return (caught(assign_tensor), caught(bad_buffer_name), caught(bad_parameter), list(lin.state_dict()),
            caught(lin.to, torch.int64))


@program
def state_dict_prefix_and_attribute_order(torch):
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.b = torch.nn.Linear(1, 1)
            self.register_buffer("z", torch.zeros(1))
            self.a = torch.nn.Parameter(torch.ones(1))

    m = M()
    return list(m.state_dict()), list(m.state_dict(prefix="model.")), [n for n, _ in m.named_parameters()]


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
def loader_door_refusals(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(4.0))
    bs = torch.utils.data.BatchSampler(range(4), 2, False)
    return (caught(torch.utils.data.DataLoader, ds, batch_size=0),
            caught(torch.utils.data.DataLoader, ds, shuffle=True, sampler=[0, 1]),
            caught(torch.utils.data.DataLoader, ds, batch_sampler=bs, batch_size=2),
            caught(torch.utils.data.DataLoader, ds, batch_sampler=bs, drop_last=True),
            caught(torch.utils.data.DataLoader, ds, batch_size=-1))


@program
def tensor_dataset_slices_and_tensor_index(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(6.0).reshape(3, 2), torch.tensor([0, 1, 0]))
    return ds[0:2], ds[torch.tensor(1)], len(ds), ds.tensors[1]


@program
def concat_dataset_indices(torch):
    a = torch.utils.data.TensorDataset(torch.arange(3.0))
    b = torch.utils.data.TensorDataset(torch.arange(10.0, 12.0))
    both = torch.utils.data.ConcatDataset([a, b])
    return both[3], both[-1], both.cumulative_sizes, caught(lambda: both[-6]), caught(lambda: both[5])


@program
def collate_mismatched_and_namedtuple(torch):
    from collections import namedtuple

    Pair = namedtuple("Pair", ["x", "y"])
    batch = torch.utils.data.default_collate([Pair(torch.ones(2), 1), Pair(torch.zeros(2), 2)])
    err = caught(torch.utils.data.default_collate, [torch.ones(2), torch.ones(3)])
    return type(batch).__name__, batch.x, batch.y, err


@program
def clip_grad_norm_float64_and_zero_max(torch):
    w = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
    w.grad = torch.tensor([3.0, 4.0], dtype=torch.float64)
    total = torch.nn.utils.clip_grad_norm_([w], max_norm=0.0)
    v = torch.tensor([1.0], requires_grad=True)
    v.grad = torch.tensor([-5.0])
    torch.nn.utils.clip_grad_value_(v, 2.0)
    return total, w.grad, v.grad


@program
def clip_grad_norm_foreach_and_sequence_of_grads(torch):
    params = [torch.ones(2, requires_grad=True), torch.ones(3, requires_grad=True)]
    for i, p in enumerate(params):
        p.grad = torch.full(p.shape, float(i + 1))
    total = torch.nn.utils.clip_grad_norm_(params, 1.0, foreach=True)
    return total, [p.grad for p in params]


@program
def inference_mode_nested_false(torch):
    with torch.inference_mode():
        with torch.inference_mode(False):
            enabled = torch.is_inference_mode_enabled()
            grad = torch.is_grad_enabled()
        outer = torch.is_inference_mode_enabled()
    return enabled, grad, outer


@program
def no_grad_called_on_function(torch):
    def f(t):
        return t * 2

    g = torch.no_grad()(f)
    x = torch.ones(1, requires_grad=True)
    return g(x).requires_grad, f(x).requires_grad


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
def scheduler_step_epoch_argument_and_print_lr(torch):
    import warnings

    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    s = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt.step()
        s.step()
        s.step()
    return s.get_last_lr(), s.last_epoch, s.state_dict()["_last_lr"], s.base_lrs


@program
def mixed_precision_manual_loss_scaling(torch):
    net = fill_(torch, torch.nn.Linear(2, 1))
    x = data(torch, 4, 2)
    loss = net(x).pow(2).mean()
    (loss * 1024.0).backward()
    for p in net.parameters():
        p.grad.div_(1024.0)
    finite = all(bool(torch.isfinite(p.grad).all()) for p in net.parameters())
    return loss, net.weight.grad, finite


@program
def float64_model_float32_targets_loss(torch):
    net = fill_(torch, torch.nn.Linear(2, 1)).double()
    x = data(torch, 3, 2, dtype=torch.float64)
    y = data(torch, 3, 1)
    out = net(x)
    loss = ((out - y) ** 2).mean()
    loss.backward()
    return loss.dtype, loss, net.weight.grad.dtype, caught(torch.nn.functional.mse_loss, out, y)


# ------------------------------------------------------------------------------------------ a fifth pass


@program
def custom_optimizer_pytorch_style(torch):
    class SignSGD(torch.optim.Optimizer):
        def __init__(self, params, lr=0.01, beta=0.9):
            super().__init__(params, dict(lr=lr, beta=beta))

        @torch.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if "avg" not in state:
                        state["avg"] = torch.zeros_like(p)
                    state["avg"].mul_(group["beta"]).add_(p.grad, alpha=1 - group["beta"])
                    p.add_(state["avg"].sign(), alpha=-group["lr"])

    w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    opt = SignSGD([w], lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        ((w - 0.2) ** 2).sum().backward()
        opt.step()
    sd = opt.state_dict()
    return w, sd["state"][0]["avg"], sd["param_groups"][0]["beta"], type(opt.state[w]["avg"]).__name__


@program
def custom_scheduler_subclass(torch):
    class Halving(torch.optim.lr_scheduler.LRScheduler):
        def get_lr(self):
            return [base / (2 ** self.last_epoch) for base in self.base_lrs]

    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.8)
    sched = Halving(opt)
    out = []
    for _ in range(3):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr()[0])
    return out


@program
def reduce_on_plateau_max_mode_cooldown(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max", factor=0.1, patience=0, threshold=0.1,
                                                   threshold_mode="abs", cooldown=1, min_lr=0.005)
    lrs = []
    for acc in [0.5, 0.55, 0.56, 0.57, 0.9, 0.91, 0.92, 0.93]:
        s.step(acc)
        lrs.append(opt.param_groups[0]["lr"])
    return lrs, s.state_dict()["num_bad_epochs"], s.state_dict()["best"]


@program
def one_cycle_three_phase_linear(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.Adam([w], lr=0.1)
    s = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, epochs=2, steps_per_epoch=4, anneal_strategy="linear",
                                            three_phase=True)
    out = []
    for _ in range(7):
        opt.step()
        s.step()
        out.append((opt.param_groups[0]["lr"], opt.param_groups[0]["betas"][0]))
    return out


@program
def zero_grad_after_create_graph(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)
    (w ** 3).sum().backward(create_graph=True)
    graded = w.grad.requires_grad
    w.grad.sum().backward()
    second = w.grad.clone()
    opt.zero_grad(set_to_none=False)
    return graded, second, w.grad, w.grad.requires_grad, w.grad.grad_fn is None


@program
def jacobian_forward_mode_strategy(torch):
    x = torch.ones(2, dtype=torch.float64)
    f = torch.autograd.functional.jacobian
    return caught(f, lambda t: t * 2, x, strategy="forward-mode"), caught(f, lambda t: t * 2, x, strategy="sideways")


@program
def function_returns_python_number(torch):
    class Norm(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.norm().item()

        @staticmethod
        def backward(ctx, g):
            return g

    out = Norm.apply(torch.tensor([3.0, 4.0], requires_grad=True))
    return out, type(out).__name__


@program
def module_parameters_generator_consumed(torch):
    net = torch.nn.Linear(2, 2)
    params = net.parameters()
    count = sum(1 for _ in params)
    return count, caught(torch.optim.SGD, params, lr=0.1)


@program
def extra_state_round_trip(torch):
    class Counter(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.calls = 0
            self.lin = torch.nn.Linear(1, 1)

        def get_extra_state(self):
            return {"calls": self.calls}

        def set_extra_state(self, state):
            self.calls = state["calls"]

    a = Counter()
    a.calls = 7
    b = Counter()
    b.load_state_dict(a.state_dict())
    return list(a.state_dict()), b.calls


@program
def custom_extra_repr(torch):
    class Scale(torch.nn.Module):
        def __init__(self, k):
            super().__init__()
            self.k = k

        def extra_repr(self):
            return f"k={self.k}"

    net = torch.nn.Sequential(Scale(2), torch.nn.Sequential(Scale(3)))
    return repr(net), repr(Scale(1))


@program
def flatten_unflatten_in_sequential(torch):
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(6, 6), torch.nn.Unflatten(1, (2, 3)))
    fill_(torch, net)
    out = net(data(torch, 4, 2, 3))
    return out.shape, list(net.state_dict()), repr(net[0]), repr(net[2])


@program
def named_parameters_remove_duplicate(torch):
    shared = torch.nn.Linear(1, 1)
    net = torch.nn.Sequential(shared, shared)
    return ([n for n, _ in net.named_parameters()], [n for n, _ in net.named_parameters(remove_duplicate=False)],
            [n for n, _ in net.named_buffers()])


@program
def module_requires_grad_returns_self(torch):
    net = torch.nn.Linear(2, 2)
    same = net.requires_grad_(False) is net
    return same, [p.requires_grad for p in net.parameters()], net.weight.is_leaf


@program
def loader_worker_option_refusals(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(4.0))
    return (caught(torch.utils.data.DataLoader, ds, persistent_workers=True),
            caught(torch.utils.data.DataLoader, ds, prefetch_factor=2),
            caught(torch.utils.data.DataLoader, ds, timeout=-1),
            caught(torch.utils.data.DataLoader, ds, num_workers=-1),
            [b[0] for b in torch.utils.data.DataLoader(ds, batch_size=2, pin_memory=True, num_workers=0)])


@program
def custom_sampler_subclass(torch):
    class EveryOther(torch.utils.data.Sampler):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(0, self.n, 2))

        def __len__(self):
            return (self.n + 1) // 2

    ds = torch.utils.data.TensorDataset(torch.arange(7.0))
    loader = torch.utils.data.DataLoader(ds, batch_size=2, sampler=EveryOther(7))
    return [b[0] for b in loader], len(loader)


@program
def random_sampler_lengths(torch):
    s = torch.utils.data.RandomSampler(range(4), replacement=True, num_samples=6)
    s2 = torch.utils.data.RandomSampler(range(4))
    return (len(s), len(list(s)), sorted(s2), caught(torch.utils.data.RandomSampler, range(4), num_samples=0),
            caught(torch.utils.data.RandomSampler, range(4), replacement=1))


@program
def dataset_add_and_subset_tensor_indices(torch):
    a = torch.utils.data.TensorDataset(torch.arange(3.0))
    b = torch.utils.data.TensorDataset(torch.arange(5.0, 7.0))
    both = a + b
    sub = torch.utils.data.Subset(both, torch.tensor([4, 0]))
    return type(both).__name__, len(both), both[4], sub[0], len(sub)


@program
def clip_norm_type_string_and_int(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    w.grad = torch.tensor([3.0, -4.0])
    total_inf = torch.nn.utils.clip_grad_norm_([w], 100.0, norm_type="inf")
    total_int = torch.nn.utils.clip_grad_norm_([w], 100.0, norm_type=1)
    return total_inf, total_int, total_inf.dtype


@program
def double_backward_through_hooks(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x ** 3
    y.register_hook(lambda g: g * 2)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    return g, h


@program
def load_state_dict_ordered_dict_from_load(torch):
    net = fill_(torch, torch.nn.Linear(2, 1))
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    buf.seek(0)
    state = torch.load(buf)
    fresh = torch.nn.Linear(2, 1)
    result = fresh.load_state_dict(state)
    return type(state).__name__, fresh.weight, list(result.missing_keys), repr(result)


@program
def gradient_penalty_on_images(torch):
    D = fill_(torch, torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(8, 4), torch.nn.Tanh(),
                                         torch.nn.Linear(4, 1)))
    real = data(torch, 3, 2, 2, 2)
    fake = data(torch, 3, 2, 2, 2, offset=1.0)
    eps = torch.tensor([0.2, 0.5, 0.9]).view(3, 1, 1, 1)
    mix = (eps * real + (1 - eps) * fake).requires_grad_()
    (g,) = torch.autograd.grad(D(mix).sum(), mix, create_graph=True)
    gp = ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()
    gp.backward()
    return gp, D[1].weight.grad, D[3].weight.grad


@program
def wgan_critic_iterations_with_frozen_generator(torch):
    G, D = _gan(torch)
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.0, 0.9))
    for p in G.parameters():
        p.requires_grad_(False)
    z = data(torch, 4, 2, offset=0.5)
    for _ in range(3):
        opt_d.zero_grad()
        loss = D(G(z)).mean() - D(data(torch, 4, 2)).mean()
        loss.backward()
        opt_d.step()
    return loss, D[0].weight, G[0].weight.grad is None


@program
def set_grad_enabled_as_function_returns(torch):
    prev = torch.is_grad_enabled()
    r = torch.set_grad_enabled(False)
    inside = torch.is_grad_enabled()
    torch.set_grad_enabled(prev)
    return type(r).__name__, inside, torch.is_grad_enabled()


@program
def bce_with_logits_pos_weight_and_double_targets(torch):
    logits = data(torch, 4, 1).requires_grad_()
    target = torch.tensor([[1.0], [0.0], [1.0], [0.0]], dtype=torch.float64)
    err = caught(torch.nn.functional.binary_cross_entropy_with_logits, logits, target)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target.float(), pos_weight=torch.tensor([3.0]))
    loss.backward()
    return err, loss, logits.grad


# ------------------------------------------------------------------------------------------ a sixth pass


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
def function_save_twice_and_non_tensor_first(torch):
    class Weighted(torch.autograd.Function):
        @staticmethod
        def forward(ctx, weights, x):
            ctx.save_for_backward(x)
            ctx.save_for_backward(x * 0 + sum(weights))
            return x * sum(weights)

        @staticmethod
        def backward(ctx, g):
            (s,) = ctx.saved_tensors
            return None, g * s

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    Weighted.apply([0.5, 1.5], x).sum().backward()
    return x.grad


@program
def loader_sampler_without_len(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(4.0))
    loader = torch.utils.data.DataLoader(ds, batch_size=2, sampler=iter([3, 1, 0]))
    return [b[0] for b in loader], caught(len, torch.utils.data.DataLoader(ds, sampler=iter([0])))


@program
def collate_numpy_dicts_and_default_convert(torch):
    samples = [{"x": np.array([1.0, 2.0]), "n": np.int64(3)}, {"x": np.array([3.0, 4.0]), "n": np.int64(4)}]
    batch = next(iter(torch.utils.data.DataLoader(samples, batch_size=2)))
    converted = torch.utils.data.default_convert([np.array([1, 2]), np.float32(0.5)])
    return batch["x"], batch["n"], converted[0], type(converted[1]).__name__


@program
def optimizer_tensor_lr_and_flags(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    opt = torch.optim.Adam([w], lr=torch.tensor(0.1))
    (w ** 2).sum().backward()
    opt.step()
    err = caught(torch.optim.Adam, [w], foreach=True, fused=True)
    damp = torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=0.1, momentum=0.9, dampening=0.1)
    return w, err, damp.param_groups[0]["dampening"], type(opt.param_groups[0]["lr"]).__name__


@program
def optimizer_state_dict_after_add_param_group(torch):
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(3, requires_grad=True)
    opt = torch.optim.Adam([a], lr=0.1)
    opt.add_param_group({"params": [b], "lr": 0.01})
    (a.sum() + (b * 2).sum()).backward()
    opt.step()
    a2, b2 = torch.ones(2, requires_grad=True), torch.ones(3, requires_grad=True)
    opt2 = torch.optim.Adam([{"params": [a2]}, {"params": [b2]}], lr=0.5)
    opt2.load_state_dict(opt.state_dict())
    (a2.sum() + (b2 * 2).sum()).backward()
    opt2.step()
    return [g["lr"] for g in opt2.param_groups], a2, b2, opt2.state_dict()["state"][1]["step"]


@program
def load_weights_only_refuses_module(torch):
    buf = io.BytesIO()
    torch.save(torch.nn.Linear(1, 1), buf)
    buf.seek(0)
    return caught(torch.load, buf, weights_only=True)


@program
def no_grad_result_requires_grad_later(torch):
    w = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        y = w * 2
    y.requires_grad_()
    (y * 3).sum().backward()
    return y.grad, w.grad is None, y.is_leaf


@program
def scheduler_epoch_argument(torch):
    import warnings

    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    s = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt.step()
        s.step(5)
    return s.last_epoch, opt.param_groups[0]["lr"]


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


# ------------------------------------------------------------------------------------------ a seventh pass


@program
def adam_on_float64_and_float32_params(torch):
    a = torch.tensor([1.0, -1.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.5], requires_grad=True)
    opt = torch.optim.Adam([a, b], lr=0.1)
    for _ in range(2):
        opt.zero_grad()
        ((a ** 2).sum() + (b ** 2).sum()).backward()
        opt.step()
    sd = opt.state_dict()["state"]
    return a, b, sd[0]["exp_avg"].dtype, sd[1]["exp_avg"].dtype, sd[0]["step"].dtype


@program
def clip_grad_norm_mixed_dtypes(torch):
    a = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([12.0], requires_grad=True)
    a.grad = torch.tensor([3.0, 4.0], dtype=torch.float64)
    b.grad = torch.tensor([12.0])
    total = torch.nn.utils.clip_grad_norm_([a, b], 1.0)
    return total, a.grad, b.grad


@program
def save_optimizer_and_scheduler_objects(torch):
    w = torch.tensor([1.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.5, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    w.grad = torch.ones(1)
    opt.step()
    sched.step()
    buf = io.BytesIO()
    torch.save({"opt": opt.state_dict(), "sched": sched.state_dict()}, buf)
    buf.seek(0)
    state = torch.load(buf)
    return state["opt"]["param_groups"][0]["lr"], state["sched"]["last_epoch"], state["opt"]["state"][0]


@program
def subset_indices_and_dataset_attribute(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(5.0))
    sub = torch.utils.data.Subset(ds, [3, 1])
    loader = torch.utils.data.DataLoader(sub, batch_size=5)
    return sub.indices, sub.dataset is ds, [b[0] for b in loader], len(loader), loader.batch_size, loader.drop_last


@program
def module_list_state_dict_and_repr(torch):
    ml = torch.nn.ModuleList([torch.nn.Linear(1, 2), torch.nn.ReLU()])
    pl = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2))])
    md = torch.nn.ModuleDict({"b": torch.nn.Tanh(), "a": torch.nn.Identity()})
    return list(ml.state_dict()), repr(ml), list(pl.state_dict()), repr(md), list(md)


@program
def vector_round_trip_of_grads(torch):
    net = fill_(torch, torch.nn.Linear(2, 2))
    net(torch.ones(1, 2)).sum().backward()
    flat = torch.nn.utils.parameters_to_vector(p.grad for p in net.parameters())
    return flat, flat.shape


@program
def hook_sees_grad_under_accumulation(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    w.register_hook(lambda g: seen.append(g.clone()))
    (w * 2).sum().backward()
    (w * 3).sum().backward()
    return seen, w.grad
