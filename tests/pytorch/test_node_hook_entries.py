"""A node's hook (``y.grad_fn.register_hook(hook)``) sees PyTorch's grad_inputs: one entry per entry of the node's
next_functions, in PyTorch's order.  minigan's node can hold an entry PyTorch's has not (the number of ``x ** 2``,
``2 ** x`` and ``x.fill_(2)``, a constant here) or lack one (a convolution without bias): the hook sees and returns
PyTorch's entries, and what it returns reaches the inputs as PyTorch's does."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

RNG = np.random.default_rng(0)
X = RNG.uniform(0.5, 1.5, (1, 2, 4, 4))
W = RNG.uniform(-1, 1, (3, 2, 3, 3))
B = RNG.uniform(-1, 1, 3)
WT = RNG.uniform(-1, 1, (2, 3, 3, 3))


def leaves(lib):
    return [lib.tensor(a, dtype=lib.float64, requires_grad=True) for a in (X, W, B, WT)]


PROGRAMS = {  # (the output whose node gets the hook, from the leaves x, w, b, wt)
    "x ** 2": lambda lib, x, w, b, wt: x ** 2,
    "x.pow(2.5)": lambda lib, x, w, b, wt: x.pow(2.5),
    "2 ** x": lambda lib, x, w, b, wt: 2 ** x,
    "x ** x": lambda lib, x, w, b, wt: x ** x,
    "x.clone().fill_(2)": lambda lib, x, w, b, wt: x.clone().fill_(2.0) * x,
    "x * 3": lambda lib, x, w, b, wt: x * 3,
    "x + b": lambda lib, x, w, b, wt: x + b[:1],
    "conv2d with bias": lambda lib, x, w, b, wt: lib.nn.functional.conv2d(x, w, b, padding=1),
    "conv2d without bias": lambda lib, x, w, b, wt: lib.nn.functional.conv2d(x, w, padding=1),
    "conv_transpose2d without bias": lambda lib, x, w, b, wt: lib.nn.functional.conv_transpose2d(x, wt),
    "conv_transpose2d with bias": lambda lib, x, w, b, wt: lib.nn.functional.conv_transpose2d(x, wt, b),
}


def run(lib, name, scale):
    x, w, b, wt = leaves(lib)
    y = PROGRAMS[name](lib, x, w, b, wt)
    node = y.grad_fn if name != "x.clone().fill_(2)" else y.grad_fn.next_functions[0][0]
    seen = []

    def hook(grad_inputs, grad_outputs):
        seen.append([None if g is None else tuple(g.shape) for g in grad_inputs])
        return tuple(None if g is None else g * scale for g in grad_inputs)

    node.register_hook(hook)
    y.sum().backward()
    grads = [None if t.grad is None else np.asarray(t.grad.detach().numpy()) for t in (x, w, b, wt)]
    return seen, len(node.next_functions), grads


@pytest.mark.parametrize("scale", [3.0, 0.0])
@pytest.mark.parametrize("name", PROGRAMS)
def test_a_node_hook_sees_and_returns_pytorchs_entries(name, scale):
    theirs, mine = run(torch, name, scale), run(minigan, name, scale)
    assert mine[0] == theirs[0]  # the entries the hook saw: how many, which are None, their shapes
    assert mine[1] == theirs[1]
    for a, b in zip(mine[2], theirs[2]):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


SECOND_ORDER = {  # a node whose gradients, under create_graph, PyTorch's double backward reads from its operands
    "conv2d": lambda lib, x, w, b, wt: lib.nn.functional.conv2d(x, w, b, padding=1),
    "conv_transpose2d": lambda lib, x, w, b, wt: lib.nn.functional.conv_transpose2d(x, wt, b),
    "batch_norm": lambda lib, x, w, b, wt: lib.nn.functional.batch_norm(x, None, None, w[0, :, 0, 0], b[:2],
                                                                         training=True),
}


def under_create_graph(lib, name, upstream):
    """What a node hook sees under create_graph (each gradient's requires_grad and shape), with an upstream of ones
    (``y.sum()``) or of 2·y (``(y ** 2).sum()``), and the weight's gradient after the hook doubled it."""
    x, w, b, wt = leaves(lib)
    x.requires_grad_(False)  # (a gradient that requires grad only because it reads the weight, as PyTorch's does)
    y = SECOND_ORDER[name](lib, x, w, b, wt)
    seen = []

    def hook(grad_inputs, grad_outputs):
        seen.append([None if g is None else (g.requires_grad, tuple(g.shape)) for g in grad_inputs])
        return tuple(None if g is None else g * 2 for g in grad_inputs)

    y.grad_fn.register_hook(hook)
    weight = wt if name == "conv_transpose2d" else w
    (gw,) = lib.autograd.grad(y.sum() if upstream == "ones" else (y ** 2).sum(), weight, create_graph=True)
    return seen, gw.requires_grad, np.asarray(gw.detach().numpy())


@pytest.mark.parametrize("upstream", ["ones", "2y"])
@pytest.mark.parametrize("name", SECOND_ORDER)
def test_a_node_hook_under_create_graph_sees_pytorchs_gradients(name, upstream):
    """The hook runs after the gradients are read as PyTorch's node gives them (GRADIENT_ADJUSTMENTS), not before."""
    theirs, mine = under_create_graph(torch, name, upstream), under_create_graph(minigan, name, upstream)
    assert mine[:2] == theirs[:2]
    np.testing.assert_allclose(mine[2], theirs[2], rtol=1e-10, atol=1e-12)
