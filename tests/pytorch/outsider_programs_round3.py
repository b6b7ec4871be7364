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
import math
import warnings

import numpy as np


def registry():
    """A corpus's table of programs, by name, and the decorator that enters a program in it."""
    programs = {}

    def program(fn):
        programs[fn.__name__] = fn
        return fn
    return programs, program


PROGRAMS, program = registry()
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


def agree(fn, torch, minigan):
    """``fn`` runs under PyTorch, and under minigan it gives what it gives under PyTorch (their warnings silenced)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, mine = run(fn, torch), run(fn, minigan)
    assert not isinstance(theirs, Raised), f"the program fails under PyTorch: {theirs!r}"
    difference = compare(mine, theirs)
    assert difference is None, difference


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


# The rest of the programs: each part registers its own as it is imported.
from pytorch import (  # noqa: E402, F401
    outsider_programs_round3_b,
    outsider_programs_round3_c,
    outsider_programs_round3_d,
    outsider_programs_round3_e,
)
