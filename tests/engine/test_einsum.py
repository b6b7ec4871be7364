"""einsum without PyTorch: operands given as a list equal the product they spell, and gradients of gradients
agree with finite differences (gradgradcheck).

(Its comparisons with PyTorch: tests/pytorch/test_einsum.py.)"""

import numpy as np

import minigan


def test_operands_may_come_as_a_list_and_gradients_of_gradients_are_right():
    rng = np.random.default_rng(1)
    a = minigan.tensor(rng.normal(size=(3, 3)), requires_grad=True)
    b = minigan.tensor(rng.normal(size=(3, 4)), requires_grad=True)
    np.testing.assert_allclose(minigan.einsum("ij,jk", [a, b]).detach().numpy(), (a @ b).detach().numpy())
    assert minigan.gradgradcheck(lambda x, y: (minigan.einsum("ij,jk->ik", x, y) ** 2).sum(), (a, b))
    assert minigan.gradgradcheck(lambda x: minigan.einsum("ii,ij->j", x, x) ** 2, (a,))
