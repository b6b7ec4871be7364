"""In-place ops, views and indexed assignment: PyTorch's semantics, by the graph's structure.

Each case is one of the reproductions that used to give a different answer from PyTorch; the expected
numbers are the closed forms (and PyTorch's answers)."""

import numpy as np
import pytest

import minigan
from minigan.engine.errors import GraphError


def leaf(values):
    return minigan.tensor(np.array(values, dtype=np.float64), requires_grad=True)


def test_an_in_place_op_does_not_reroute_the_gradient_of_earlier_consumers():
    x = leaf([1.0, 2.0])
    a = x * 1
    b = -a
    a.mul_(5)
    b.sum().backward()
    np.testing.assert_array_equal(x.grad.detach().numpy(), [-1.0, -1.0])  # b = -x, whatever a became later

    x = leaf([1.0, 2.0, 3.0])
    a = x * 2
    s = a.sum()
    a.zero_()
    s.backward()
    np.testing.assert_array_equal(x.grad.detach().numpy(), [2.0, 2.0, 2.0])


def test_clone_and_cat_before_an_in_place_op_keep_their_gradient():
    x = leaf([1.0, 2.0])
    a = x * 1
    c = a.clone()
    d = minigan.cat([a, a])
    a.mul_(10)
    (c.sum() + d.sum() + a.sum()).backward()
    np.testing.assert_array_equal(x.grad.detach().numpy(), [13.0, 13.0])  # 1 (clone) + 2 (cat) + 10 (a)
    x = leaf([1.0, 2.0])
    a = x * 3
    b = a * 1
    a.add_(1)
    (g,) = minigan.autograd.grad(b.sum(), x)
    np.testing.assert_array_equal(g.detach().numpy(), [3.0, 3.0])


def test_self_aliasing_in_place_ops():
    x = leaf([1.0, 2.0])
    a = x * 1
    a.add_(a)  # a = 2x
    a.sum().backward()
    np.testing.assert_array_equal(x.grad.detach().numpy(), [2.0, 2.0])
    x = leaf([1.0, 2.0])
    a = x * 1
    a.mul_(a)  # PyTorch refuses: mul_ saved its operand, which it then overwrote
    with pytest.raises(GraphError, match="modified in place"):
        a.sum().backward()
    x = leaf([1.0, 2.0])
    a = x * 1
    a += a
    (a * x).sum().backward()  # d/dx (2x·x) = 4x
    np.testing.assert_array_equal(x.grad.detach().numpy(), [4.0, 8.0])


def test_indexing_every_axis_with_an_int_is_a_view():
    x = minigan.zeros(2, 3)
    x[1].fill_(7)
    x[0, 2].add_(1)
    v = x[0]
    v += 1
    np.testing.assert_array_equal(x.detach().numpy(), [[1, 1, 2], [7, 7, 7]])
    w = leaf([[1.0, 2.0], [3.0, 4.0]])
    with minigan.no_grad():
        w[0, 1].mul_(10)  # a no_grad update of one weight is kept
    assert w.detach().numpy()[0, 1] == 20.0


def test_an_in_place_op_on_a_view_rewrites_the_base_history():
    x = leaf([1.0, 2.0])
    a = x * 1
    a[0].mul_(x[1])  # a = [x0·x1, x1]
    a.sum().backward()
    np.testing.assert_array_equal(x.grad.detach().numpy(), [2.0, 2.0])  # [x1, x0 + 1]
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    a = x * 1
    col = a[:, 0]  # a view made before the change sees it
    a[0].mul_(3)
    (col * col).sum().backward()  # col = [3·x00, x10]
    np.testing.assert_array_equal(x.grad.detach().numpy(), [[18.0, 0.0], [6.0, 0.0]])


def test_in_place_on_a_leaf_or_its_view_is_refused_outside_no_grad():
    w = leaf([1.0, 2.0])
    with pytest.raises(GraphError, match="mul_: a leaf tensor that requires grad"):
        w.mul_(2)
    with pytest.raises(GraphError, match="a view of a leaf tensor"):
        w[0].mul_(2)
    with minigan.no_grad():
        w[0].mul_(2)
    np.testing.assert_array_equal(w.detach().numpy(), [2.0, 2.0])


def test_a_zero_d_loss_can_change_in_place():
    x = leaf([1.0, 2.0])
    d_loss = (x * x).sum()
    d_loss_fake = x.sum()
    d_loss += 1.0 - d_loss_fake  # the classic hinge-style update of a 0-d loss
    d_loss.backward()
    np.testing.assert_array_equal(x.grad.detach().numpy(), [1.0, 3.0])  # 2x - 1


def test_only_what_a_derivative_needs_is_saved():
    w = leaf([1.0, 2.0])
    y = w * 2.0
    with minigan.no_grad():
        w.mul_(0.5)  # y's derivative with respect to w is the constant 2: nothing of w was saved
    y.sum().backward()
    np.testing.assert_array_equal(w.grad.detach().numpy(), [2.0, 2.0])
    x = leaf([1.0, 2.0])
    y = x * w
    with minigan.no_grad():
        w.mul_(2)  # here w was saved (for x's gradient): the error names the op, what changed and the fix
    with pytest.raises(GraphError, match=r"Mul saved its input 1 \(shape \(2,\)\).*modified in place.*out-of-place"):
        y.sum().backward()


def test_indexed_assignment_under_no_grad_and_recorded():
    x = minigan.zeros(3, 4)
    x[0, 1] = 5.0
    x[x > 4] = 2.0
    x[:, 3] = minigan.tensor([1.0, 2.0, 3.0])
    x[np.array([2, 0])] = minigan.ones(4) * 9
    np.testing.assert_array_equal(x.detach().numpy(), [[9] * 4, [0, 0, 0, 2], [9] * 4])
    base = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    v = leaf([10.0, 20.0])
    y = base * 1
    y[:, 1] = v * v  # the gradient to v: the gradient read at [:, 1]; to base: 0 there
    (y * minigan.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype="float64")).sum().backward()
    np.testing.assert_array_equal(base.grad.detach().numpy(), [[1.0, 0.0, 3.0], [4.0, 0.0, 6.0]])
    np.testing.assert_array_equal(v.grad.detach().numpy(), [2 * 10.0 * 2.0, 2 * 20.0 * 5.0])
    x_ = leaf([[1.0, 2.0, 3.0]]) * 1
    x_[:, :2] *= 0.0
    np.testing.assert_array_equal(x_.detach().numpy(), [[0.0, 0.0, 3.0]])


def test_a_float32_leaf_gets_a_float32_grad_from_a_float64_constant():
    w = minigan.tensor([1.0, 2.0], requires_grad=True)
    (w * minigan.tensor([3.0, 4.0], dtype="float64")).sum().backward()
    assert w.grad.dtype == np.float32
    np.testing.assert_array_equal(w.grad.detach().numpy(), [3.0, 4.0])


def test_statistics_of_too_few_samples_and_empty_axes_follow_pytorch(recwarn):
    assert np.isnan(minigan.tensor([1.0]).var().item()) and np.isnan(minigan.tensor([1.0]).std().item())
    assert np.isnan(minigan.zeros(0).mean().item()) and minigan.zeros(0).sum().item() == 0.0
    empty = minigan.zeros(2, 0)
    assert empty.softmax(-1).shape == (2, 0) and empty.log_softmax(-1).shape == (2, 0)
    np.testing.assert_array_equal(empty.logsumexp(-1).detach().numpy(), [-np.inf, -np.inf])


def test_a_read_only_array_becomes_a_writable_parameter():
    p = minigan.nn.Parameter(np.broadcast_to(np.float32(1.0), (3,)))
    opt = minigan.optim.SGD([p], lr=0.5)
    (p * p).sum().backward()
    opt.step()
    np.testing.assert_array_equal(p.detach().numpy(), [0.0, 0.0, 0.0])


def test_retain_grad_follows_the_tensor_through_an_in_place_op():
    x = leaf([1.0, 2.0])
    a = x * 1
    a.retain_grad()
    a.mul_(3)
    (a * a).sum().backward()
    np.testing.assert_array_equal(a.grad.detach().numpy(), 2 * 3 * np.array([1.0,
                                                                             2.0]))  # the gradient of a's last value
