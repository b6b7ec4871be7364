"""cat skips a 1-D empty tensor (``tensor([])``) in its shape checks, as PyTorch's, but keeps it in the graph: the
result requires grad when the empty tensor does, and its gradient is empty (minigan dropped it, so the result of
``cat([empty_that_requires_grad, y])`` did not require grad).  Compared with PyTorch over the empty tensor's place,
the other tensors' shapes and dims, which of them require grad, and grad mode."""

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _run(lib, place, shape, dim, others_grad, grad_mode):
    empty = lib.zeros(0, dtype=lib.float64, requires_grad=True)
    others = [lib.ones(shape, dtype=lib.float64, requires_grad=others_grad) * (k + 2) for k in range(2)]
    others = [o.detach().requires_grad_(others_grad) for o in others]
    tensors = others[:place] + [empty] + others[place:]
    with lib.set_grad_enabled(grad_mode):
        out = lib.cat(tensors, dim)
    record = (tuple(out.shape), out.requires_grad, out.detach().numpy().tolist())
    if out.requires_grad:
        leaves = [t for t in tensors if t.requires_grad]
        grads = lib.autograd.grad((out * lib.arange(out.numel(), dtype=lib.float64).reshape(out.shape)).sum(), leaves)
        record += tuple(tuple(g.shape) for g in grads) + tuple(g.numpy().tolist() for g in grads)
    return record


@pytest.mark.parametrize("grad_mode", [True, False])
@pytest.mark.parametrize("others_grad", [True, False])
@pytest.mark.parametrize("shape,dim", [((3,), 0), ((2, 3), 0), ((2, 3), 1), ((2, 3), -1), ((1, 2, 2), 2)], ids=str)
@pytest.mark.parametrize("place", [0, 1, 2])
def test_cat_keeps_an_empty_vector_in_the_graph(place, shape, dim, others_grad, grad_mode):
    assert _run(minigan, place, shape, dim, others_grad, grad_mode) == _run(torch, place, shape, dim, others_grad,
                                                                            grad_mode)
