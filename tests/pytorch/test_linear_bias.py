"""F.linear's bias as PyTorch's: (out,), or any shape that broadcasts into the output (…, out) without growing it --
a number, a row, one per sample -- with its gradient summed back to its own shape; a bias that would grow the output
is refused (RuntimeError)."""

import numpy as np
import pytest

import minigan
import minigan.functional as MF

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _run(lib, F, x, w, b):
    try:
        leaves = [lib.tensor(a, requires_grad=True) for a in (x, w, b)]
        y = F.linear(*leaves)
        grads = lib.autograd.grad((y * 1.5).sum(), leaves)
    except Exception as e:  # noqa: BLE001
        return type(e)
    return [np.asarray(t.detach().numpy()) for t in (y,) + tuple(grads)]


@pytest.mark.parametrize("x_shape", [(2, 3, 5), (6, 5), (5,), (2, 2, 5, 5), (0, 5), (2, 0, 5)])
def test_linear_takes_a_bias_that_broadcasts_into_its_output(x_shape):
    rng = np.random.default_rng(len(x_shape))
    x, w = rng.standard_normal(x_shape), rng.standard_normal((4, 5))
    found = []
    for b_shape in [(4,), (1,), (), (3, 4), (2, 3, 4), (5, 2, 3, 4), (3,), (1, 4), (6, 4), (2, 2, 5, 4)]:
        if len(x_shape) == 1 and len(b_shape) > 1:  # (PyTorch's vector input with a matrix bias: not compared)
            continue
        b = rng.standard_normal(b_shape)
        theirs, ours = _run(torch, torch.nn.functional, x, w, b), _run(minigan, MF, x, w, b)
        if isinstance(theirs, type) or isinstance(ours, type):
            same = isinstance(theirs, type) and isinstance(ours, type) and issubclass(ours, RuntimeError)
        else:
            same = all(a.shape == t.shape and np.allclose(a, t, rtol=1e-12) for a, t in zip(ours, theirs))
        if not same:
            found.append(f"linear(x {x_shape}, bias {b_shape}): {str(ours)[:100]} vs {str(theirs)[:100]}")
    assert not found, "\n".join(found)


def test_linear_with_an_empty_input_or_weight_is_pytorchs_empty_product():
    for x_shape, w_shape in [((0, 3), (0, 3)), ((4, 3), (0, 3)), ((0, 3), (2, 3)), ((4, 0), (2, 0)),
                             ((2, 0, 3), (5, 3))]:
        rng = np.random.default_rng(1)
        x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[:1])
        theirs, ours = _run(torch, torch.nn.functional, x, w, b), _run(minigan, MF, x, w, b)
        assert not isinstance(ours, type) and not isinstance(theirs, type), (x_shape, w_shape, ours, theirs)
        assert all(a.shape == t.shape and np.allclose(a, t) for a, t in zip(ours, theirs)), (x_shape, w_shape)


def test_linear_refuses_a_bias_of_another_dtype():
    x, w = np.ones((3, 2)), np.ones((4, 2))
    for b_shape in [(4,), (3, 4), (1,)]:
        with pytest.raises(RuntimeError):
            torch.nn.functional.linear(torch.tensor(x), torch.tensor(w), torch.ones(b_shape, dtype=torch.float32))
        with pytest.raises(RuntimeError):
            MF.linear(minigan.tensor(x), minigan.tensor(w), minigan.ones(*b_shape, dtype=minigan.float32))
