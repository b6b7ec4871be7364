"""Programs run unchanged under PyTorch and under minigan (tests/pytorch/corpus.py, test_corpus.py): custom
autograd.Function: save_for_backward, mark_dirty, needs_input_grad, set_materialize_grads, once_differentiable, apply's
forms and the gradients a backward may return."""



from pytorch.corpus import caught, data, fill_, registry

PROGRAMS, program = registry()


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
def set_grad_enabled_as_function_returns(torch):
    prev = torch.is_grad_enabled()
    r = torch.set_grad_enabled(False)
    inside = torch.is_grad_enabled()
    torch.set_grad_enabled(prev)
    return type(r).__name__, inside, torch.is_grad_enabled()


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
