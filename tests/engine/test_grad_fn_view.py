"""The graph as a learner prints it (minigan/surface/node_view.py), on minigan alone: ``grad_fn.next_functions`` as
``(node, output index)`` pairs with ``AccumulateGrad`` for a leaf, the node of one output of several, a one-line
message for a PyTorch node name minigan lacks, and a node keeping the name it showed.

(Its comparisons with PyTorch: tests/pytorch/test_grad_fn_view.py.)"""

import gc
import re

import pytest

import minigan
from engine.helpers_grad_fn_view import _lib_graph
from minigan.autograd.graph import AccumulateGrad


def test_next_functions_are_pytorch_pairs_with_accumulate_grad_for_a_leaf():
    w, b, y = _lib_graph(minigan)
    assert y.grad_fn is y.grad_fn and isinstance(y.grad_fn, minigan.autograd.graph.Node)
    (sig, i), = y.grad_fn.next_functions
    assert i == 0 and sig.name() == "SigmoidBackward0"
    add = sig.next_functions[0][0]
    mul, acc_b = [n for n, _ in add.next_functions]
    assert isinstance(acc_b, AccumulateGrad) and acc_b.variable is b and acc_b.next_functions == ()
    assert acc_b.name() == "torch::autograd::AccumulateGrad" and type(acc_b).__name__ == "AccumulateGrad"
    acc_w, const = mul.next_functions
    assert acc_w[0].variable is w and const == (None, 0)
    assert (w * 3).grad_fn.next_functions[0][0] is acc_w[0]  # one AccumulateGrad per leaf while it is held
    assert re.fullmatch(r"<SumBackward0 object at 0x[0-9a-f]+>", repr(y.grad_fn))
    assert re.fullmatch(r"<AccumulateGrad object at 0x[0-9a-f]+>", repr(acc_b))
    assert type(y.grad_fn).__name__ == "Sum"  # minigan's class names, as the lessons write them
    y.grad_fn.metadata["note"] = 1
    y.backward()
    assert y.grad_fn.metadata == {"note": 1} and y.grad_fn.next_functions[0][0] is sig  # both outlive backward
    assert y.grad_fn.edges == (sig,) and mul.edges[0] is w  # the engine's own edges, which the walk follows
    del acc_w, acc_b, add, mul, sig
    gc.collect()
    assert not AccumulateGrad._made.get(id(w))  # nothing held: nothing kept


class _Split(minigan.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        return g1 * 2 + g2 * 3


def test_an_output_of_a_function_with_several_is_its_node_and_index():
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    a, b = _Split.apply(x)
    (first, i), (second, j) = (a + b).grad_fn.next_functions
    assert (i, j) == (0, 1) and first is second and first.name() == "_SplitBackward"
    assert re.fullmatch(r"<minigan\.autograd\.function\._SplitBackward object at 0x[0-9a-f]+>", repr(first))
    assert first.next_functions[0][0].variable is x
    assert a.grad_fn.name() == "_SplitBackward" and a.grad_fn.next_functions == first.next_functions  # as PyTorch's


def test_a_pytorch_graph_name_minigan_lacks_says_so_in_one_line():
    with pytest.raises(minigan.NotInMinigan, match="saved_tensors_hooks: not provided"):
        minigan.autograd.graph.saved_tensors_hooks  # noqa: B018


def test_a_node_keeps_the_name_it_showed():
    x = minigan.ones(3, 4, requires_grad=True)
    y, z = x.sum(1), x.sum(1)
    assert y.grad_fn.name() == "SumBackward1"  # asked before backward: PyTorch's name for the call
    (y.sum() + z.sum()).backward()
    assert y.grad_fn.name() == "SumBackward1"  # and ever after
    assert z.grad_fn.name() == "SumBackward0"  # first asked after backward freed it: the commonest call's name
