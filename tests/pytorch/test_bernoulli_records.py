"""bernoulli and bernoulli_ record what PyTorch records: a draw from probabilities that require grad requires grad
(its gradient to them is zero: a draw has no derivative), an empty tensor included, whose draw PyTorch records
without looking at the probabilities' shape; a draw with a number p records nothing of its own."""

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [((0, 3), (3, 1)), ((0, 3), (4,)), ((0,), ()), ((2, 3), (3,)), ((2, 3), (2, 3)), ((3,), ())]


def _draw(lib, shape, p_shape, how, p_grad, self_grad):
    p = lib.full(p_shape, 0.5, dtype=lib.float64, requires_grad=p_grad)
    base = lib.zeros(shape, dtype=lib.float64, requires_grad=self_grad)
    x = base.clone() if self_grad else base
    if how == "tensor p":
        out = x.bernoulli_(p)
    elif how == "keyword p":
        out = x.bernoulli_(p=p)
    elif how == "number p":
        out = x.bernoulli_(0.5)
    else:
        out = lib.bernoulli(p.expand(shape) if shape != p_shape and 0 not in shape else p)
    return out, x, p, base


@pytest.mark.parametrize("how", ["tensor p", "keyword p", "number p", "bernoulli(p)"])
@pytest.mark.parametrize("shape,p_shape", SHAPES)
@pytest.mark.parametrize("p_grad,self_grad", [(True, False), (False, True), (True, True), (False, False)])
def test_a_draws_requires_grad_and_gradients_are_pytorchs(shape, p_shape, how, p_grad, self_grad):
    if how == "bernoulli(p)" and 0 in shape:
        shape = p_shape = (0, 3)
    ours, theirs = _draw(minigan, shape, p_shape, how, p_grad, self_grad), _draw(torch, shape, p_shape, how, p_grad,
                                                                                 self_grad)
    for a, b in zip(ours[:2], theirs[:2]):
        assert a.requires_grad == b.requires_grad and (a.grad_fn is None) == (b.grad_fn is None)
        assert tuple(a.shape) == tuple(b.shape)
    if theirs[0].requires_grad:
        leaves = [i for i in (2, 3) if theirs[i].requires_grad]
        g_theirs = torch.autograd.grad(theirs[0].sum(), [theirs[i] for i in leaves], allow_unused=True)
        g_ours = minigan.autograd.grad(ours[0].sum(), [ours[i] for i in leaves], allow_unused=True)
        for a, b in zip(g_ours, g_theirs):
            assert (a is None) == (b is None)
            if b is not None:
                assert a.tolist() == b.tolist()  # (zeros: a draw has no derivative)
