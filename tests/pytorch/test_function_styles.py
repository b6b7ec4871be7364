"""``autograd.Function`` in PyTorch's two styles (forward(ctx, ...), or forward(...) with setup_context) and with
several outputs (a tuple, with mark_non_differentiable and set_materialize_grads), each checked against PyTorch:
values, gradients of first and second order, what backward receives and how often it runs, and the errors.

(Its torch-free tests: tests/library/test_function_styles.py.)"""

import numpy as np
import pytest
from library.helpers_function_styles import VALUES, cube_and_slope, powers

import minigan
from pytorch.oracle import pytorch_since


def both(torch):
    """The same leaf in minigan and in PyTorch."""
    return (minigan.tensor(VALUES, dtype="float64", requires_grad=True),
            torch.tensor(VALUES, dtype=torch.float64, requires_grad=True))


def close(a, b):
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12, atol=1e-12)


# ----------------------------------------------------------------------------- the Functions, for either library
def cube(lib):
    """The separate style: forward without ctx, and setup_context."""
    class Cube(lib.autograd.Function):
        @staticmethod
        def forward(x):
            return x ** 3

        @staticmethod
        def setup_context(ctx, inputs, output):
            (x,) = inputs
            ctx.save_for_backward(x)

        @staticmethod
        def backward(ctx, g):  # d(x³)/dx = 3x²
            (x,) = ctx.saved_tensors
            return g * 3 * x ** 2
    return Cube


def sort(lib, calls):
    """PyTorch's docs' example of mark_non_differentiable; records what its backward receives."""
    class Sort(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            s, idx = x.sort()
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(x, idx)
            return s, idx

        @staticmethod
        def backward(ctx, g1, g2):
            calls.append((g1, g2))
            x, idx = ctx.saved_tensors
            gx = lib.zeros_like(x)
            gx.index_add_(0, idx, g1)
            return gx
    return Sort


# ----------------------------------------------------------------------------- the separate style
def test_the_setup_context_style_gives_pytorchs_values_and_gradients_of_both_orders():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    x, t = both(torch)
    y, u = cube(minigan).apply(x), cube(torch).apply(t)
    close(y, u)
    assert y.requires_grad and not y.is_leaf and "CubeBackward" in repr(y)
    (g,) = minigan.autograd.grad(y.sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(u.sum(), t, create_graph=True)
    close(g, h)
    close(minigan.autograd.grad(g.sum(), x)[0], torch.autograd.grad(h.sum(), t)[0])  # 6x
    x2 = minigan.tensor(VALUES, dtype="float64", requires_grad=True)
    assert minigan.gradcheck(cube(minigan).apply, [x2]) and minigan.gradgradcheck(cube(minigan).apply, [x2])


def _scaled(lib, seen):
    class Scaled(lib.autograd.Function):
        @staticmethod
        def forward(x, scale=2.0):
            return x * scale

        @staticmethod
        def setup_context(ctx, inputs, output):
            seen[lib.__name__] = (len(inputs), inputs[1], lib.is_grad_enabled(), tuple(ctx.needs_input_grad))
            ctx.scale = inputs[1]

        @staticmethod
        def backward(ctx, g):
            return g * ctx.scale, None  # the default is an input: it gets a gradient too (None)
    return Scaled


def test_setup_context_sees_forwards_defaults_as_inputs_and_runs_without_recording():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    seen = {}
    x, t = both(torch)
    _scaled(minigan, seen).apply(x).sum().backward()
    _scaled(torch, seen).apply(t).sum().backward()
    close(x.grad, t.grad)
    assert seen["minigan"] == seen["torch"] == (2, 2.0, False, (True, False))


@pytorch_since("2.13", "Function.apply takes keyword arguments")
def test_apply_takes_forwards_keyword_arguments():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    seen = {}
    x, t = both(torch)
    close(_scaled(minigan, seen).apply(x, scale=3.0), _scaled(torch, seen).apply(t, scale=3.0))
    assert seen["minigan"][:2] == seen["torch"][:2] == (2, 3.0)


def test_separate_style_with_several_outputs_and_a_saved_output_differentiates_twice():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    x, t = both(torch)
    (y, dy), (u, du) = cube_and_slope(minigan).apply(x), cube_and_slope(torch).apply(t)
    close(y, u)
    close(dy, du)
    (g,) = minigan.autograd.grad(y.sum(), x, create_graph=True)   # only the first output: the other gets zeros
    (h,) = torch.autograd.grad(u.sum(), t, create_graph=True)
    close(g, h)
    close(minigan.autograd.grad(g.sum(), x)[0], torch.autograd.grad(h.sum(), t)[0])  # through the saved 3x²: 6x
    for lib, z in ((minigan, x), (torch, t)):  # that backward freed the graph, as PyTorch's
        with pytest.raises(RuntimeError, match="(?i)second time"):
            lib.autograd.grad(y.sum() if lib is minigan else u.sum(), z)
    x, t = both(torch)
    (y, dy), (u, du) = cube_and_slope(minigan).apply(x), cube_and_slope(torch).apply(t)
    (g,) = minigan.autograd.grad((y * dy).sum(), x, create_graph=True)  # both outputs used
    (h,) = torch.autograd.grad((u * du).sum(), t, create_graph=True)
    close(g, h)
    close(minigan.autograd.grad((g * g).sum(), x)[0], torch.autograd.grad((h * h).sum(), t)[0])


# ----------------------------------------------------------------------------- several outputs
def test_pytorchs_sort_example_marks_the_indices_non_differentiable():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    x, t = both(torch)
    ours, theirs = [], []
    (s, idx), (u, jdx) = sort(minigan, ours).apply(x), sort(torch, theirs).apply(t)
    close(s, u)
    np.testing.assert_array_equal(idx.numpy(), jdx.numpy())
    assert (s.requires_grad, idx.requires_grad, s.grad_fn is None, idx.grad_fn) == (True, False, False, None)
    assert "grad_fn=<SortBackward>" in repr(s)
    weights = [1.0, 10.0, 100.0]
    (s * minigan.tensor(weights, dtype="float64")).sum().backward()
    (u * torch.tensor(weights, dtype=torch.float64)).sum().backward()
    close(x.grad, t.grad)
    assert len(ours) == len(theirs) == 1
    (g1, g2), (h1, h2) = ours[0], theirs[0]
    close(g1, h1)
    assert g2.dtype == minigan.int64 and h2.dtype == torch.int64  # zeros for the non-differentiable output
    np.testing.assert_array_equal(g2.numpy(), h2.numpy())
    assert "SortBackward" in repr(s.grad_fn)  # its name outlives backward


@pytest.mark.parametrize("use", ["first", "second", "both", "via grad"])
def test_backward_runs_once_with_every_outputs_gradient(use):
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    results = {}
    for lib, (x, w) in [(minigan, (minigan.tensor(VALUES, dtype="float64", requires_grad=True),
                                   minigan.tensor(1.5, dtype="float64", requires_grad=True))),
                        (torch, (torch.tensor(VALUES, dtype=torch.float64, requires_grad=True),
                                 torch.tensor(1.5, dtype=torch.float64, requires_grad=True)))]:
        calls = []
        a, b, label, c = powers(lib, calls).apply(x, "label", w)
        assert label == "label" and a.grad_fn is not None and c.grad_fn is not None
        if use == "via grad":
            gx, = lib.autograd.grad((a * c).sum() + b.sum(), x)
            results[lib.__name__] = (calls, gx, None)
            continue
        loss = {"first": a.sum(), "second": (b * b).sum(), "both": (a * b).sum() + c.sum()}[use]
        loss.backward()
        results[lib.__name__] = (calls, x.grad, w.grad)
    (ours, gx, gw), (theirs, hx, hw) = results["minigan"], results["torch"]
    assert len(ours) == len(theirs) == 1  # one call per backward pass, as PyTorch
    for g, h in zip(ours[0], theirs[0]):
        assert (g is None) == (h is None)  # None for the string, zeros for an unused output
        if g is not None:
            close(g, h)
    close(gx, hx)
    assert (gw is None) == (hw is None)
    if gw is not None:
        close(gw, hw)


def test_set_materialize_grads_false_gives_none_for_an_unused_output():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    ours, theirs = [], []
    for lib, calls in [(minigan, ours), (torch, theirs)]:
        x = lib.tensor(VALUES, dtype=lib.float64, requires_grad=True)
        w = lib.tensor(1.5, dtype=lib.float64)
        a, b, _, c = powers(lib, calls, materialize=False).apply(x, "label", w)
        b.sum().backward()
        calls.append(x.grad)
    assert [g is None for g in ours[0]] == [g is None for g in theirs[0]] == [True, False, True, True]
    close(ours[1], theirs[1])


def test_several_outputs_differentiate_twice_through_a_differentiable_backward():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    grads = []
    for lib in (minigan, torch):
        x = lib.tensor(VALUES, dtype=lib.float64, requires_grad=True)
        w = lib.tensor(1.5, dtype=lib.float64, requires_grad=True)
        a, b, _, c = powers(lib, []).apply(x, "label", w)
        gx, gw = lib.autograd.grad((a * b).sum() + (c ** 2).sum(), (x, w), create_graph=True)
        hx, hw = lib.autograd.grad((gx ** 2).sum() + gw, (x, w))
        grads.append((gx, gw, hx, hw))
    for g, h in zip(*grads):
        close(g, h)
    x = minigan.tensor(VALUES, dtype="float64", requires_grad=True)
    w = minigan.tensor(1.5, dtype="float64", requires_grad=True)

    def combined(x, w):
        a, b, _, c = powers(minigan, []).apply(x, "label", w)
        return a * b + c
    assert minigan.gradcheck(combined, [x, w]) and minigan.gradgradcheck(combined, [x, w])


def test_outputs_of_an_integer_dtype_or_under_no_grad_do_not_require_grad():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    for lib in (minigan, torch):
        class WithCount(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2, (x > 0).long()  # an integer output: never differentiable

            @staticmethod
            def backward(ctx, g, g_count):
                return g * 2

        x = lib.tensor(VALUES, requires_grad=True)
        y, count = WithCount.apply(x)
        assert y.requires_grad and not count.requires_grad
        y.sum().backward()
        assert x.grad.tolist() == [2.0, 2.0, 2.0]
        with lib.no_grad():
            y, count = WithCount.apply(x)
        assert not y.requires_grad and y.grad_fn is None
        first, second = WithCount.apply(lib.tensor(VALUES))
        assert not first.requires_grad


def test_mark_dirty_with_several_outputs():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    grads, versions = [], []
    for lib in (minigan, torch):
        class DoubleInPlace(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.mul_(2)
                ctx.mark_dirty(x)
                return x, x * 3

            @staticmethod
            def backward(ctx, g, g3):
                return 2 * g + 6 * g3

        x = lib.tensor(VALUES, dtype=lib.float64, requires_grad=True)
        y = x.clone()
        a, b = DoubleInPlace.apply(y)
        assert a is y and b.grad_fn is not None
        versions.append(y._version)  # mul_, then mark_dirty's bump: 2 in PyTorch too
        (a * b).sum().backward()
        grads.append(x.grad)
    close(*grads)
    assert versions[0] == versions[1]


@pytest.mark.parametrize("several", [False, True])
def test_a_saved_input_that_forward_returns_unchanged_stays_an_input_in_double_backward(several):
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    grads = []
    for lib in (minigan, torch):
        class PassThrough(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return (x, x * x) if several else x

            @staticmethod
            def backward(ctx, g, g2=None):  # d(output 0)/dx = x here (as a rule, not the identity), d(x²)/dx = 2x
                (x,) = ctx.saved_tensors
                return g * x + (0 if g2 is None else g2 * 2 * x)

        x = lib.tensor(VALUES, dtype=lib.float64, requires_grad=True)
        out = PassThrough.apply(x)
        y = out[0] + out[1] if several else out
        (g,) = lib.autograd.grad((y * y).sum(), x, create_graph=True)
        grads.append((g, lib.autograd.grad(g.sum(), x)[0]))
    for g, h in zip(*grads):
        close(g, h)


# ----------------------------------------------------------------------------- errors, against PyTorch's
def simple(lib, result, gradients):
    class Simple(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return result(x, y)

        @staticmethod
        def backward(ctx, *grad_outputs):
            return gradients(grad_outputs[0])
    return Simple


def outcome(lib, result, gradients):
    """What a Function with this forward result and these gradients gives: the gradient, or (error class, text)."""
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    try:
        out = simple(lib, result, gradients).apply(x, lib.tensor([3.0, 4.0]))
        if not isinstance(out, lib.Tensor):
            return out
        out.sum().backward()
        return x.grad.tolist()
    except Exception as error:  # noqa: BLE001 - the error is what is compared
        return type(error), str(error)


@pytest.mark.parametrize("case, result, gradients", [
    ("two for two", lambda x, y: x * y, lambda g: (g * 3, None)),
    ("extra Nones are dropped", lambda x, y: x * y, lambda g: (g, None, None)),
    ("one for two", lambda x, y: x * y, lambda g: g),
    ("three for two", lambda x, y: x * y, lambda g: (g, g, g)),
    ("a float", lambda x, y: x * y, lambda g: (3.0, None)),
    ("wrong shape", lambda x, y: x * y, lambda g: (g.sum(), None)),
    ("summed to the input's shape", lambda x, y: x * y, lambda g: (g.expand(3, 2), None)),
    ("a number out", lambda x, y: 3, lambda g: (g, None)),
    ("a tuple of non-Tensors", lambda x, y: (3, "a"), lambda g: (g, None)),
])
def test_mistakes_fail_where_pytorch_fails_with_one_clear_line(case, result, gradients):
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    ours, theirs = outcome(minigan, result, gradients), outcome(torch, result, gradients)
    if isinstance(theirs, tuple) and len(theirs) == 2 and isinstance(theirs[0], type):
        assert isinstance(ours, tuple) and issubclass(ours[0], theirs[0]), (case, ours, theirs)
        assert "\n" not in ours[1] and "Simple.backward" in ours[1] and "return" in ours[1], ours[1]
    else:
        assert ours == theirs, case


def test_a_list_of_tensors_from_forward_and_a_saved_non_tensor_are_refused():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

    class Pair(minigan.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return [x * 2, x * 3]  # PyTorch returns the list with no graph: its gradients would be lost

        @staticmethod
        def backward(ctx, g1, g2):
            return 2 * g1 + 3 * g2

    x = minigan.tensor(VALUES, requires_grad=True)
    with pytest.raises(TypeError, match="return a tuple"):
        Pair.apply(x)
    with minigan.no_grad():
        assert isinstance(Pair.apply(x), list)

    for lib, tensor_class in [(minigan, minigan.tensor), (torch, torch.tensor)]:
        class SavesANumber(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, n):
                ctx.save_for_backward(x, n)
                return x * n

            @staticmethod
            def backward(ctx, g):
                return g, None

        with pytest.raises(TypeError, match="save_for_backward") as error:
            SavesANumber.apply(tensor_class(VALUES, requires_grad=True), 3)
        assert lib is torch or "ctx." in str(error.value) and "\n" not in str(error.value)
