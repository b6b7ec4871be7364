"""minigan.autograd.functional against torch.autograd.functional (float64, the oracle): vjp, jvp, jacobian,
hessian, vhp and hvp on single and tuple inputs and outputs, unused inputs (zeros, or a refusal with strict=True),
create_graph (results that differentiate again), and the Jacobian against finite differences."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

MF, TF = minigan.autograd.functional, torch.autograd.functional
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


CASES = {
    "jacobian_tuple": lambda lib, F: F.jacobian(two_outputs, (lib.tensor(A), lib.tensor(B))),
    "jacobian_single": lambda lib, F: F.jacobian(lambda a: a.exp() * a.sum(), lib.tensor(A)),
    "jacobian_matrix_in": lambda lib, F: F.jacobian(lambda b: b.t() @ b, lib.tensor(B)),
    "jacobian_unused": lambda lib, F: F.jacobian(unused_b, (lib.tensor(A), lib.tensor(B))),
    "hessian_single": lambda lib, F: F.hessian(scalar, lib.tensor(A)),
    "hessian_tuple": lambda lib, F: F.hessian(scalar_of_two, (lib.tensor(A), lib.tensor(B))),
    "vjp": lambda lib, F: F.vjp(two_outputs, (lib.tensor(A), lib.tensor(B)),
                                (lib.tensor([1.0, 2.0]), lib.tensor(3.0))),
    "vjp_scalar_no_v": lambda lib, F: F.vjp(scalar, lib.tensor(A)),
    "jvp": lambda lib, F: F.jvp(two_outputs, (lib.tensor(A), lib.tensor(B)),
                                (lib.tensor(A * 0 + 1), lib.tensor(B * 2))),
    "jvp_unused": lambda lib, F: F.jvp(unused_b, (lib.tensor(A), lib.tensor(B)), (lib.tensor(A), lib.tensor(B))),
    "vhp": lambda lib, F: F.vhp(scalar, lib.tensor(A), lib.tensor([1.0, -1.0, 0.5])),
    "hvp": lambda lib, F: F.hvp(scalar_of_two, (lib.tensor(A), lib.tensor(B)), (lib.tensor(A), lib.tensor(B))),
}


def _flat(x):
    if isinstance(x, (tuple, list)):
        return [y for item in x for y in _flat(item)]
    return [x.detach().numpy()]


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_match_pytorch(name):
    ours, theirs = _flat(CASES[name](minigan, MF)), _flat(CASES[name](torch, TF))
    assert len(ours) == len(theirs)
    for u, t in zip(ours, theirs):
        assert u.shape == t.shape
        np.testing.assert_allclose(u, t, rtol=1e-12, atol=1e-12)


def test_the_jacobian_is_the_finite_difference_quotient():
    f = lambda a: (a.exp() * a.sum()).sin()  # noqa: E731
    jac = MF.jacobian(f, minigan.tensor(A)).detach().numpy()
    h = 1e-6
    for j in range(3):
        step = np.eye(3)[j] * h
        column = (f(minigan.tensor(A + step)).detach().numpy() - f(minigan.tensor(A - step)).detach().numpy()) / (2 * h)
        np.testing.assert_allclose(jac[:, j], column, rtol=1e-6, atol=1e-8)


def test_create_graph_keeps_the_results_differentiable():
    results = []
    for lib, F in ((minigan, MF), (torch, TF)):
        a = lib.tensor(A, requires_grad=True)
        hess = F.hessian(scalar, a, create_graph=True)
        (third,) = lib.autograd.grad(hess.sum(), a)  # a third derivative, through the Hessian
        results.append(third.detach().numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)


def test_strict_refuses_an_unused_input_and_bad_arguments_are_refused():
    for lib, F in ((minigan, MF), (torch, TF)):
        with pytest.raises(RuntimeError):
            F.jacobian(unused_b, (lib.tensor(A), lib.tensor(B)), strict=True)
        with pytest.raises((RuntimeError, ValueError)):  # v is needed: the output has more than one element
            F.vjp(two_outputs, (lib.tensor(A), lib.tensor(B)))
    with pytest.raises(NotImplementedError, match="strategy='forward-mode' needs vectorize=True"):  # PyTorch's
        MF.jacobian(scalar, minigan.tensor(A), strategy="forward-mode")  # (test_autograd_functional_strategies)
    with pytest.raises(TypeError, match="inputs must be a Tensor or a tuple of Tensors"):
        MF.jacobian(scalar, [1.0, 2.0])
