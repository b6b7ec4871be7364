"""Programs run unchanged under PyTorch and under minigan (tests/pytorch/corpus.py, test_corpus.py): the grad-mode
switches: no_grad, enable_grad, set_grad_enabled and inference_mode as contexts, decorators and functions."""



from pytorch.corpus import caught, data, fill_, registry

PROGRAMS, program = registry()


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


@program
def view_inplace_leaf_under_no_grad(torch):
    w = torch.ones(2, 3, requires_grad=True)
    with torch.no_grad():
        w[0].mul_(5)
        w.t()[1].zero_()
    (w * w).sum().backward()
    return w, w.grad


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
def no_grad_result_requires_grad_later(torch):
    w = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        y = w * 2
    y.requires_grad_()
    (y * 3).sum().backward()
    return y.grad, w.grad is None, y.is_leaf


@program
def no_grad_inside_forward_for_a_target_network(torch):
    nn = torch.nn

    class WithTarget(nn.Module):
        def __init__(self):
            super().__init__()
            self.online = nn.Linear(2, 2)
            self.target = nn.Linear(2, 2)
            self.target.load_state_dict(self.online.state_dict())

        def forward(self, x):
            with torch.no_grad():
                t = self.target(x)
            return (self.online(x) - t).pow(2).mean(), t

    m = fill_(torch, WithTarget()).double()
    x = data(torch, 3, 2, dtype=torch.float64)
    loss, t = m(x)
    loss.backward()
    return loss, t.requires_grad, m.online.weight.grad, m.target.weight.grad is None
