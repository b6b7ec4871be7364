"""prod's gradients through zeros against finite differences (gradcheck and gradgradcheck).

(Its comparisons with PyTorch: tests/pytorch/test_rows.py, the rows of prod and cumprod.)"""

import minigan
from engine.helpers_prod import _input


def test_gradcheck_through_zeros():
    x = minigan.tensor(_input((3, 5)), requires_grad=True)
    assert minigan.gradcheck(lambda t: t.prod(1), [x]) and minigan.gradgradcheck(lambda t: t.prod(1), [x])
    assert minigan.gradcheck(lambda t: t.cumprod(1), [x]) and minigan.gradgradcheck(lambda t: t.cumprod(1), [x])
