"""The order backward runs the nodes in, stated without PyTorch: newest first (PyTorch's engine, whose ready queue
always runs the node with the largest sequence number; tests/pytorch/test_gradient_summation_order.py compares the
gradients with PyTorch's bit for bit).  Newest first is a topological order because a node's inputs are recorded
before it; in float32 it decides how the contributions to one gradient round."""

import random

import numpy as np

import minigan
from minigan.engine.graph import Node
from minigan.engine.walk import topological_order


def random_graph(seed):
    """A random graph of adds, products, views, in-place ops and Functions over two leaves; its last value."""
    r = random.Random(seed)
    pool = [minigan.tensor(np.linspace(-1.0, 1.0, 5), requires_grad=True) for _ in range(2)]

    class Twice(minigan.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2.0

        @staticmethod
        def backward(ctx, g):
            return g * 2.0

    for _ in range(r.randint(2, 12)):
        a, b = r.choice(pool), r.choice(pool)
        op = r.randrange(5)
        if op == 0:
            t = a + b
        elif op == 1:
            t = a * b
        elif op == 2:
            t = a[1:] * 1.0 + b[:-1]
            t = minigan.cat([t, b[:1]])
        elif op == 3:
            t = a * 1.0
            t[:2].mul_(b[:2])  # a write through a view: the base's history becomes a new node
        else:
            t = Twice.apply(a)
        pool.append(t)
    return pool[-1]


def test_the_order_is_newest_first_and_each_node_comes_before_its_producers():
    for seed in range(200):
        y = random_graph(seed)
        order = topological_order([y.grad_fn])
        numbers = [fn.sequence_nr for fn in order]
        assert numbers == sorted(numbers, reverse=True) and len(set(numbers)) == len(numbers), seed
        place = {fn: i for i, fn in enumerate(order)}
        for fn in order:
            for e in fn.edges:
                if isinstance(e, Node):
                    assert place[e] > place[fn], (seed, type(fn).__name__, type(e).__name__)


def test_hooks_are_called_newest_node_first():
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    calls = []
    a = x * 2.0
    b = x * 3.0
    c = a + b
    for name, t in (("a", a), ("b", b), ("c", c)):
        t.register_hook(lambda g, name=name: calls.append(name))
    c.sum().backward()
    assert calls == ["c", "b", "a"]  # (a depth-first walk from c reaches a first: c, a, b)


def test_a_freed_graph_keeps_its_order():
    x = minigan.tensor([0.5, -1.0], requires_grad=True)
    y = (x.exp() * x + x * 3.0).sum()
    before = [fn.sequence_nr for fn in topological_order([y.grad_fn])]
    y.backward()  # frees what forward saved
    assert [fn.sequence_nr for fn in topological_order([y.grad_fn])] == before


def test_three_contributions_are_summed_newest_first_in_float32():
    x = minigan.tensor(np.array([1.0, 3.0], dtype=np.float32), requires_grad=True)
    u = x * 1.0
    (u * 1e8 + u * -1e8 + u * 0.3).sum().backward()  # products made oldest to newest: 1e8, -1e8, 0.3
    f = np.float32
    newest_first = (f(0.3) + f(-1e8)) + f(1e8)  # 0: 0.3 is lost against 1e8 (oldest first gives 0.3)
    assert newest_first != (f(1e8) + f(-1e8)) + f(0.3)
    np.testing.assert_array_equal(x.grad.numpy(), [newest_first, newest_first])
