"""autograd.functional against torch.autograd.functional (float64, the oracle; tests/pytorch/sweep.py):

* vjp, jvp, jacobian, hessian, vhp and hvp on single and tuple inputs and outputs, unused inputs (zeros, or a
  refusal with strict=True), create_graph (results that differentiate again); the Jacobian against finite
  differences;
* each mistake a user makes: a function of several elements where one is needed (hessian, vhp, hvp), v left out
  where the inputs or outputs have several elements, v of another shape or count, inputs, outputs or v that are a
  list or a number where PyTorch takes a Tensor or a tuple of Tensors: PyTorch's class, minigan's message naming
  the function called;
* jacobian's ``strategy`` and hessian's ``outer_jacobian_strategy``: an unknown strategy is an AssertionError;
  'forward-mode' refuses create_graph=True (NotImplementedError), then strict=True (RuntimeError), then
  vectorize=False (NotImplementedError), in PyTorch's order; with vectorize=True it gives the Jacobian (minigan
  computes it row by row in reverse mode: the same values).
"""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.sweep import close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

RNG = np.random.default_rng(0)
A, B = RNG.normal(size=(3,)), RNG.normal(size=(2, 3))


def two_outputs(a, b):
    return (b @ a).tanh() * a.sum(), (a * a).sum()


def scalar(a):
    return (a ** 3).sum() + a[0] * a[1] + (a[2] * 2).exp()


def scalar_of_two(a, b):
    return ((b @ a) ** 2).sum() + (b * b).sum() * a[0]


def unused_b(a, b):
    return a.sin()


def _leaves(x, rtol=1e-12, atol=1e-12, flag=True):
    """Each tensor of a result, and (with ``flag``) whether it requires grad (PyTorch's forward mode nests lists
    where its reverse mode nests tuples)."""
    return [t for item in x for t in _leaves(item, rtol, atol, flag)] if isinstance(x, (tuple, list)) else \
        [(close(x.detach(), rtol, atol), flag and x.requires_grad)]


CALLS = {
    "jacobian_tuple": lambda L, F: F.jacobian(two_outputs, (L.tensor(A), L.tensor(B))),
    "jacobian_single": lambda L, F: F.jacobian(lambda a: a.exp() * a.sum(), L.tensor(A)),
    "jacobian_matrix_in": lambda L, F: F.jacobian(lambda b: b.t() @ b, L.tensor(B)),
    "jacobian_unused": lambda L, F: F.jacobian(unused_b, (L.tensor(A), L.tensor(B))),
    "jacobian_unused_strict": lambda L, F: F.jacobian(unused_b, (L.tensor(A), L.tensor(B)), strict=True),
    "hessian_single": lambda L, F: F.hessian(scalar, L.tensor(A)),
    "hessian_tuple": lambda L, F: F.hessian(scalar_of_two, (L.tensor(A), L.tensor(B))),
    "vjp": lambda L, F: F.vjp(two_outputs, (L.tensor(A), L.tensor(B)), (L.tensor([1.0, 2.0]), L.tensor(3.0))),
    "vjp_scalar_no_v": lambda L, F: F.vjp(scalar, L.tensor(A)),
    "vjp_no_v": lambda L, F: F.vjp(two_outputs, (L.tensor(A), L.tensor(B))),
    "jvp": lambda L, F: F.jvp(two_outputs, (L.tensor(A), L.tensor(B)), (L.tensor(A * 0 + 1), L.tensor(B * 2))),
    "jvp_unused": lambda L, F: F.jvp(unused_b, (L.tensor(A), L.tensor(B)), (L.tensor(A), L.tensor(B))),
    "vhp": lambda L, F: F.vhp(scalar, L.tensor(A), L.tensor([1.0, -1.0, 0.5])),
    "hvp": lambda L, F: F.hvp(scalar_of_two, (L.tensor(A), L.tensor(B)), (L.tensor(A), L.tensor(B))),
}


def _third(L):
    """A third derivative, through a Hessian made with create_graph=True."""
    a = L.tensor(A, requires_grad=True)
    return _leaves(L.autograd.grad(L.autograd.functional.hessian(scalar, a, create_graph=True).sum(), a))


test_results_match_pytorch = sweep(lambda L, name: _leaves(CALLS[name](L, L.autograd.functional)), list(CALLS))
test_create_graph_keeps_the_results_differentiable = sweep(_third, [()], ids=lambda: "third derivative")


def test_the_jacobian_is_the_finite_difference_quotient():
    f = lambda a: (a.exp() * a.sum()).sin()  # noqa: E731
    jac = minigan.autograd.functional.jacobian(f, minigan.tensor(A)).detach().numpy()
    h = 1e-6
    for j in range(3):
        step = np.eye(3)[j] * h
        column = (f(minigan.tensor(A + step)).detach().numpy() - f(minigan.tensor(A - step)).detach().numpy()) / (2 * h)
        np.testing.assert_allclose(jac[:, j], column, rtol=1e-6, atol=1e-8)


def test_minigans_refusals_say_what_to_write():
    with pytest.raises(NotImplementedError, match="strategy='forward-mode' needs vectorize=True"):  # PyTorch's
        minigan.autograd.functional.jacobian(scalar, minigan.tensor(A), strategy="forward-mode")
    with pytest.raises(TypeError, match="inputs must be a Tensor or a tuple of Tensors"):
        minigan.autograd.functional.jacobian(scalar, [1.0, 2.0])


X, Y = np.array([0.3, -1.2]), np.array([[0.5, 2.0, -0.7]])
FUNCTIONS = ("vjp", "jvp", "jacobian", "hessian", "vhp", "hvp")
TAKES_V = {"vjp", "jvp", "vhp", "hvp"}
MISTAKES = ("right", "vector_function", "v_left_out", "v_shape", "v_count", "v_list", "v_number", "inputs_list",
            "inputs_number", "inputs_tuple_of_list", "output_list", "output_number", "one_element_v_left_out")


def _mistake(L, function, mistake):
    """The function called, then what the call a user writes gives (its refusal caught: what it says is checked)."""
    x, y = L.tensor(X), L.tensor(Y)
    vector = lambda a: a.sin() * 2
    f = (lambda a: (a * a).sum().exp()) if function in ("hessian", "vhp", "hvp") else vector
    func, inputs, v = {
        "right": (f, x, x),
        "vector_function": (vector, x, x),
        "v_left_out": (f, x, None),
        "v_shape": (f, x, L.ones(3, dtype=L.float64)),
        "v_count": (f, x, (x, x)),
        "v_list": (f, x, [x]),
        "v_number": (f, x, 1.0),
        "inputs_list": (f, [x], x),
        "inputs_number": (f, 2.0, x),
        "inputs_tuple_of_list": ((lambda a, b: (a.sum() * b.sum()).tanh()) if function in ("hessian", "vhp", "hvp")
                                 else lambda a, b: a * b.sum(), (x, [y]), (x, y)),
        "output_list": (lambda a: [a * 2], x, x),
        "output_number": (lambda a: 3.0, x, x),
        "one_element_v_left_out": (lambda a: (a * 3).sum(), x[:1], None),
    }[mistake]
    got = outcome(getattr(L.autograd.functional, function), func, inputs, *([v] if function in TAKES_V else []))
    return function, got if isinstance(got, Exception) else _leaves(got, 1e-10)


test_a_mistake_gets_pytorchs_exception_class = sweep(_mistake, [
    (f, m) for f in FUNCTIONS for m in MISTAKES if f in TAKES_V or not m.startswith("v_")],
    also=lambda ours, theirs: isinstance(ours[1], Exception) and not str(ours[1]).startswith(f"{ours[0]}:") and
    "the message does not name the function called")


def _strategy(L, which, strategy, vectorize, strict, create_graph, two_inputs):
    a = L.tensor([0.5, -1.0, 2.0], dtype=L.float64)
    b = L.tensor([1.5, 0.25, -0.5], dtype=L.float64)
    inputs = (a, b) if two_inputs else a
    flag = not vectorize  # (requires_grad: PyTorch's vmap marks an entry that minigan's rows, a constant, leave out)
    if which == "jacobian":
        f = (lambda x, y: (x * y.sin(), (x ** 2).sum() * y)) if two_inputs else (lambda x: x.sin() * x.sum())
        return _leaves(L.autograd.functional.jacobian(f, inputs, create_graph=create_graph, strict=strict,
                                                      vectorize=vectorize, strategy=strategy), 1e-12, 1e-14, flag)
    f = (lambda x, y: (x ** 3 * y).sum()) if two_inputs else (lambda x: (x.sin() * x.sum()).sum())
    return _leaves(L.autograd.functional.hessian(f, inputs, create_graph=create_graph, strict=strict,
                                                 vectorize=vectorize, outer_jacobian_strategy=strategy),
                   1e-12, 1e-14, flag)


def _strategy_case(which, strategy, vectorize, strict, create_graph, two_inputs):
    """A case; one where PyTorch runs vmap (vectorize=True, not refused) under -m parity only (its first costs 1 s)."""
    vmap = vectorize and not strict and not (strategy == "forward-mode" and create_graph) and strategy != "sideways"
    return pytest.param(which, strategy, vectorize, strict, create_graph, two_inputs,
                        marks=[pytest.mark.parity] if vmap else [])


test_strategies_as_pytorchs = sweep(_strategy, [
    _strategy_case(which, strategy, *flags, two_inputs) for which in ["jacobian", "hessian"]
    for strategy in ["reverse-mode", "forward-mode", "sideways"] for flags in itertools.product([False, True], repeat=3)
    for two_inputs in [False, True]], cover=[lambda which, strategy, vectorize, strict, create_graph, _: (
        strategy, strict, create_graph)])  # (by default each strategy with each of strict and create_graph: the
# order of the refusals)
