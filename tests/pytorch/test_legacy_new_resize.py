"""``x.new(...)``, PyTorch's legacy constructor, and ``resize_`` / ``resize_as_``: what PyTorch gives, values,
dtypes, shapes and errors.  Programs from before PyTorch 0.4 zero a gradient as
``p.grad = Variable(p.grad.data.new().resize_as_(p.grad.data).zero_())`` (several of the GAN and VAE programs of a
widely read collection); PyTorch still runs it.

(Its torch-free tests: tests/library/test_legacy_new_resize.py.)"""

import numpy as np
import pytest

import minigan

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="needs torch (a test-only oracle)")


def outcome(fn):
    """fn's result as (values, dtype name, shape), or the error it raised."""
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 - the error is compared with PyTorch's
        return e
    return r.tolist(), str(r.dtype).split(".")[-1], tuple(r.shape)


def same_outcome(mine, theirs):
    """The same values, dtype and shape; or both raised, minigan an error of PyTorch's error's type (a minigan
    error class derives from the Python type PyTorch raises) in one line."""
    if isinstance(theirs, Exception):
        assert isinstance(mine, type(theirs)), (mine, theirs)
        assert len(str(mine).strip().splitlines()) == 1, mine
    else:
        assert mine == theirs


@needs_torch
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
@pytest.mark.parametrize("call", [
    lambda lib, x: x.new(),
    lambda lib, x: x.new([1, 2]),
    lambda lib, x: x.new((2, 3)),  # a tuple is data, as a list is
    lambda lib, x: x.new([[1.5, 2], [3, 4]]),
    lambda lib, x: x.new(2.5),  # neither a size nor data: a TypeError
])
def test_new_gives_what_pytorch_gives(call, dtype):
    same_outcome(outcome(lambda: call(minigan, minigan.ones(2, 3, dtype=getattr(minigan, dtype)))),
                 outcome(lambda: call(torch, torch.ones(2, 3, dtype=getattr(torch, dtype)))))


@needs_torch
def test_new_with_sizes_has_the_shape_dtype_and_device():
    for sizes in [(2, 3), (4,), (0,)]:
        mine = minigan.ones(1, dtype=minigan.float64).new(*sizes)
        theirs = torch.ones(1, dtype=torch.float64).new(*sizes)
        assert tuple(mine.shape) == tuple(theirs.shape) and str(mine.dtype).split(".")[-1] == "float64"
        assert mine.device == "cpu" and not mine.requires_grad
    assert tuple(minigan.ones(1).new(minigan.Size([2, 5])).shape) == (2, 5)  # a Size is a shape
    assert tuple(torch.ones(1).new(torch.Size([2, 5])).shape) == (2, 5)


@needs_torch
@pytest.mark.parametrize("call", [
    lambda lib: lib.arange(6.0).resize_(3, 2),  # the same number of elements: the values in order
    lambda lib: lib.arange(6.0).resize_((3, 2)),
    lambda lib: lib.arange(6.0).resize_(2, 2),  # fewer: the first ones
    lambda lib: lib.arange(6.0).resize_as_(lib.ones(2, 3)),
    lambda lib: lib.arange(6.0).resize_(6),
    lambda lib: lib.ones(2, requires_grad=True).resize_(3),  # refused, as PyTorch refuses it
    lambda lib: lib.ones(2, 2).resize_(-1),
])
def test_resize_gives_what_pytorch_gives(call):
    mine, theirs = outcome(lambda: call(minigan)), outcome(lambda: call(torch))
    same_outcome(mine, theirs)
    if "require grad" in str(theirs):
        assert "cannot resize variables that require grad" in str(mine)


@needs_torch
def test_the_old_zero_grad_idiom_runs_and_trains_as_in_pytorch():
    """``p.grad = Variable(p.grad.data.new().resize_as_(p.grad.data).zero_())`` between steps, as the old GAN
    programs reset their gradients: the same parameters as PyTorch after three steps."""
    w0 = np.random.default_rng(0).standard_normal((3, 2))
    x0 = np.random.default_rng(1).standard_normal((4, 3))
    results = []
    for lib in (minigan, torch):
        w = lib.tensor(w0, requires_grad=True)
        x = lib.tensor(x0)
        for _ in range(3):
            loss = (x @ w).pow(2).mean()
            loss.backward()
            w.data -= 0.1 * w.grad.data
            data = w.grad.data
            w.grad = lib.autograd.Variable(data.new().resize_as_(data).zero_())
            assert w.grad.abs().sum().item() == 0.0 and tuple(w.grad.shape) == (3, 2)
        results.append(w.detach().numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)
