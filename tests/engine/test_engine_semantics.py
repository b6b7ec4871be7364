"""PyTorch's tensor semantics in the engine, checked on their own terms: .grad is a Tensor with its checks, in-place
ops change the array itself and follow PyTorch's rules for leaves and non-leaves, the version counter catches a
saved tensor changed in place, copy versus shared memory (tensor, from_numpy, Parameter), grad mode per thread,
autograd.grad computing no share that no requested input needs, and backward(inputs=) refusing what PyTorch
refuses.

(Its comparisons with PyTorch: tests/pytorch/test_engine_semantics.py.)"""

import threading

import numpy as np
import pytest

import minigan
import minigan.functional as F
from minigan import nn, optim
from minigan.engine.errors import GraphError, ShapeError


# ----------------------------------------------------------------------------- .grad is a Tensor
def test_grad_is_a_tensor_with_tensor_methods(xp_backend):
    x = minigan.tensor([1.0, -2.0, 3.0], requires_grad=True)
    (x * x).sum().backward()
    assert isinstance(x.grad, minigan.Tensor)
    assert x.grad.shape == x.shape and x.grad.dtype == x.dtype and not x.grad.requires_grad
    np.testing.assert_allclose(x.grad.detach().cpu().numpy(), [2.0, -4.0, 6.0])
    np.testing.assert_allclose(x.grad.sign().detach().cpu().numpy(), [1.0, -1.0, 1.0])
    x.grad.zero_()
    np.testing.assert_allclose(x.grad.detach().cpu().numpy(), 0.0)
    x.grad = None
    assert x.grad is None


def test_grad_setter_checks_type_shape_and_dtype():
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="grad: expected a Tensor"):
        x.grad = np.zeros(2, dtype=np.float32)
    with pytest.raises(ShapeError, match=r"grad: got a Tensor of shape \(3,\)"):
        x.grad = minigan.zeros(3)
    with pytest.raises(ShapeError, match="dtype"):
        x.grad = minigan.zeros(2, dtype="float64")
    x.grad = minigan.ones(2)
    assert x.grad.sum().item() == 2.0


def test_grads_of_two_leaves_never_share_an_array():
    a = minigan.tensor([1.0, 2.0], requires_grad=True)
    b = minigan.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()  # Add hands the same gradient to both
    a.grad.zero_()
    np.testing.assert_allclose(b.grad.detach().cpu().numpy(), [1.0, 1.0])


def test_zero_grad_sets_none_as_pytorch():
    model = nn.Linear(3, 2)
    F.mse_loss(model(minigan.randn(4, 3)), minigan.zeros(4, 2)).backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    opt = optim.SGD(model.parameters(), lr=0.1)
    F.mse_loss(model(minigan.randn(4, 3)), minigan.zeros(4, 2)).backward()
    opt.zero_grad()
    assert all(p.grad is None for p in model.parameters())


# ----------------------------------------------------------------------------- in-place ops
def test_hand_written_sgd_step_under_no_grad_trains_a_model(xp_backend):
    minigan.manual_seed(0)
    x = minigan.randn(64, 3)
    y = x @ minigan.tensor([[1.0], [-2.0], [0.5]]) + 0.3
    model = nn.Linear(3, 1)
    params = list(model.parameters())
    ids = [id(p) for p in params]
    first = None
    for _ in range(200):
        loss = F.mse_loss(model(x), y)
        first = first if first is not None else loss.item()
        model.zero_grad()
        loss.backward()
        with minigan.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad  # the classic update: changes p in place
    assert [id(p) for p in model.parameters()] == ids  # the same Parameter objects, still leaves
    assert all(p.is_leaf and p.requires_grad for p in model.parameters())
    assert loss.item() < 1e-3 * first


@pytest.mark.parametrize("op, args, expected", [
    ("add_", (2.0,), [3.0, 4.0]), ("sub_", (1.0,), [0.0, 1.0]), ("mul_", (3.0,), [3.0, 6.0]),
    ("div_", (2.0,), [0.5, 1.0]), ("zero_", (), [0.0, 0.0]), ("fill_", (7.0,), [7.0, 7.0]),
    ("copy_", ([5.0, 6.0],), [5.0, 6.0]), ("clamp_", (1.5, None), [1.5, 2.0]),
])
def test_each_in_place_op_changes_the_array_itself(op, args, expected):
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    array = x.array
    with minigan.no_grad():
        out = getattr(x, op)(*[minigan.tensor(a) if isinstance(a, list) else a for a in args])
    assert out is x and x.array is array and x.is_leaf and x.requires_grad
    np.testing.assert_allclose(x.detach().cpu().numpy(), expected)
    assert x._version == 1


def test_augmented_assignment_is_in_place():
    x = minigan.tensor([1.0, 2.0])
    alias = x
    x += 1
    x *= 2
    x -= 1
    x /= 5
    assert alias is x
    np.testing.assert_allclose(x.detach().cpu().numpy(), [0.6, 1.0])


def test_in_place_on_a_leaf_that_requires_grad_outside_no_grad_raises():
    w = minigan.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(GraphError, match="sub_: a leaf tensor that requires grad"):
        w -= 0.1
    with pytest.raises(GraphError, match="no_grad"):
        w.zero_()
    np.testing.assert_allclose(w.detach().cpu().numpy(), [1.0, 2.0])
    assert w._version == 0


def test_in_place_on_a_non_leaf_is_recorded_as_in_pytorch():
    x = minigan.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y += x  # y = 3x, recorded
    y *= x  # y = 3x², recorded
    assert not y.is_leaf and y.requires_grad
    y.sum().backward()
    np.testing.assert_allclose(x.grad.detach().cpu().numpy(), [6.0, 12.0, 18.0])


def test_in_place_shape_and_dtype_errors_name_the_op():
    x = minigan.tensor([1.0, 2.0])
    with pytest.raises(ShapeError, match=r"add_: cannot write a result of shape \(2, 2\) into a place of shape \(2,\)"):
        x.add_(minigan.ones(2, 1))
    n = minigan.tensor(np.array([1, 2]))
    with pytest.raises(TypeError, match="mul_: a minigan.float64 result cannot go in a minigan.int64 tensor"):
        n.mul_(minigan.tensor([0.5, 0.5]))


# ----------------------------------------------------------------------------- the version counter
def test_changing_a_saved_input_in_place_makes_backward_raise():
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    a = minigan.tensor([3.0, 4.0])
    y = (x * a).sum()  # Mul saved a
    a += 1
    with pytest.raises(GraphError, match=r"Mul saved its input 1 .* modified in place"):
        y.backward()


def test_changing_a_saved_output_in_place_makes_backward_raise():
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()  # Exp saved its output
    y += 1
    with pytest.raises(GraphError, match="Exp saved its output"):
        y.sum().backward()


def test_a_detached_alias_shares_the_version_counter():
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    y = x.sigmoid()
    z = y.detach()
    z.mul_(0.0)  # changes y's array too
    assert y._version == 1
    with pytest.raises(GraphError, match="Sigmoid saved its output"):
        y.sum().backward()


def test_an_optimizer_step_between_forward_and_backward_is_detected():
    model = nn.Linear(2, 1)
    opt = optim.SGD(model.parameters(), lr=0.1)
    x = minigan.randn(4, 2, requires_grad=True)
    out = model(x).sum()  # Linear saved the weight
    out2 = model(x).sum()
    out.backward(retain_graph=True)
    opt.step()  # the weight changes in place
    with pytest.raises(GraphError, match="Linear saved its input 1"):
        out2.backward()


def test_load_state_dict_bumps_the_version():
    model = nn.Linear(2, 1)
    out = model(minigan.randn(3, 2, requires_grad=True)).sum()
    model.load_state_dict(nn.Linear(2, 1).state_dict())
    with pytest.raises(GraphError, match="modified in place"):
        out.backward()


# ----------------------------------------------------------------------------- copies and shared memory
def test_tensor_copies_and_from_numpy_shares():
    a = np.array([1.0, 2.0], dtype=np.float32)
    t = minigan.tensor(a)
    s = minigan.from_numpy(a)
    a *= 10
    np.testing.assert_allclose(t.detach().cpu().numpy(), [1.0, 2.0])
    np.testing.assert_allclose(s.detach().cpu().numpy(), [10.0, 20.0])


def test_changing_the_source_array_after_tensor_does_not_change_gradients():
    a = np.array([1.0, 2.0], dtype=np.float32)
    w = minigan.tensor([1.0, 1.0], requires_grad=True)
    y = (w * minigan.tensor(a)).sum()
    a *= 10
    y.backward()
    np.testing.assert_allclose(w.grad.detach().cpu().numpy(), [1.0, 2.0])


def test_from_numpy_rejects_what_it_cannot_share():
    with pytest.raises(TypeError, match="from_numpy: expected a NumPy"):
        minigan.from_numpy([1.0, 2.0])


def test_parameter_shares_its_array():
    a = np.zeros(3, dtype=np.float32)
    p = nn.Parameter(a)
    a += 1
    np.testing.assert_allclose(p.detach().cpu().numpy(), 1.0)


# ----------------------------------------------------------------------------- grad mode per thread
def test_no_grad_in_one_thread_does_not_affect_another():
    inside, go, errors, flags = threading.Event(), threading.Event(), [], []

    def evaluator():
        with minigan.no_grad():
            inside.set()
            go.wait(5)

    def trainer():
        inside.wait(5)
        try:
            for _ in range(50):
                x = minigan.tensor([1.0, 2.0], requires_grad=True)
                y = (x * x).sum()
                flags.append(y.requires_grad)
                y.backward()
        except Exception as e:  # pragma: no cover - the failure we test against
            errors.append(e)
        finally:
            go.set()

    threads = [threading.Thread(target=evaluator), threading.Thread(target=trainer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert not errors and flags and all(flags)
    assert minigan.is_grad_enabled()


def test_a_new_thread_starts_with_grad_enabled_whatever_the_caller():
    seen = []
    with minigan.no_grad():
        t = threading.Thread(target=lambda: seen.append(minigan.is_grad_enabled()))
        t.start()
        t.join()
        assert not minigan.is_grad_enabled()
    assert seen == [True]


def test_set_grad_enabled_works_as_a_call_and_as_a_context_manager():
    with minigan.set_grad_enabled(False):
        assert not minigan.is_grad_enabled()
    assert minigan.is_grad_enabled()
    minigan.set_grad_enabled(False)
    try:
        assert not (minigan.tensor([1.0], requires_grad=True) * 2).requires_grad
    finally:
        minigan.set_grad_enabled(True)


# ----------------------------------------------------------------------------- autograd.grad does only what is asked
def test_grad_skips_the_shares_no_requested_input_needs():
    from minigan.engine.ops.linalg import Linear

    seen = []
    original = Linear.backward

    def spy(self, grad):
        seen.append(self.needs_input_grad)
        return original(self, grad)

    Linear.backward = spy
    try:
        x = minigan.randn(4, 3, requires_grad=True)
        critic = nn.Linear(3, 1)
        (gx,) = minigan.autograd.grad(critic(x).sum(), x)
        assert seen[-1][0] and not any(seen[-1][1:])  # only dL/dx was computed, not the weight's share
        assert critic.weight.grad is None and gx.shape == x.shape
        critic(x).sum().backward()
        assert all(seen[-1])  # backward() still computes every share
        assert Linear.backward is spy
    finally:
        Linear.backward = original


# ----------------------------------------------------------------------------- numerics at the edges
def test_the_gradient_of_x_to_the_zero_at_zero_is_zero_as_in_pytorch():
    x = minigan.tensor(np.array([0.0, 2.0]), requires_grad=True)
    (x**0).sum().backward()
    np.testing.assert_array_equal(x.grad.detach().cpu().numpy(), [0.0, 0.0])
    b = minigan.tensor(np.array([0.0, 0.5]), requires_grad=True)
    x.grad = None
    (x**b).sum().backward()  # a tensor exponent, zero in one place
    np.testing.assert_allclose(x.grad.detach().cpu().numpy(), [0.0, 0.5 * 2.0**-0.5])
    np.testing.assert_allclose(b.grad.detach().cpu().numpy(), [0.0, 2.0**0.5 * np.log(2.0)])
    (g,) = minigan.autograd.grad((x**0).sum(), x, create_graph=True)  # zeros with no graph, as PyTorch's zeros_like
    np.testing.assert_array_equal(g.detach().cpu().numpy(), [0.0, 0.0])
    assert not g.requires_grad  # (so no second order at x = 0 to be 0·∞)


def test_backward_inputs_refuses_what_pytorch_refuses():
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    with pytest.raises(RuntimeError, match="inputs"):  # (PyTorch's class: "`inputs` argument to `backward()` cannot
        y.backward(inputs=[])  # be empty")
    with pytest.raises(minigan.engine.errors.GraphError, match="does not require grad"):
        y.backward(inputs=[minigan.tensor([1.0])])
