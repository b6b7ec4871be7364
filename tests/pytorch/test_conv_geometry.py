"""The convolutions' dilation, groups, padding='same'/'valid' and padding_mode, against PyTorch and finite
differences: values, first and second gradients, layer reprs and init, and the door's refusals.

(Its torch-free tests: tests/library/test_conv_geometry.py.)"""

import itertools

import numpy as np
import pytest
from library.helpers_conv_geometry import rng

import minigan
import minigan.functional as F

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _same_as_torch(ours, theirs, arrays, tol=1e-10):
    """Values, gradients (of a random weighting) and the gradients of the gradients' squared norm."""
    ms = [minigan.tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    my, ty = ours(*ms), theirs(*ts)
    assert my.shape == tuple(ty.shape)
    np.testing.assert_allclose(my.detach().numpy(), ty.detach().numpy(), rtol=tol, atol=tol)
    w = rng.standard_normal(my.shape)
    mg = minigan.autograd.grad((my * minigan.tensor(w)).sum(), ms, create_graph=True)
    tg = torch.autograd.grad((ty * torch.tensor(w)).sum(), ts, create_graph=True)
    for a, b in zip(mg, tg):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=tol, atol=tol)
    mgg = minigan.autograd.grad(sum((g * g).sum() for g in mg), ms, allow_unused=True)
    tgg = torch.autograd.grad(sum((g * g).sum() for g in tg), ts, allow_unused=True)
    for a, b in zip(mgg, tgg):  # (the bias's gradient is a constant: no second gradient, or a zero one)
        if a is None or b is None:
            assert all(v is None or not v.detach().numpy().any() for v in (a, b))
        else:
            np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-9, atol=1e-9)


GEOMETRIES = list(itertools.product([1, 2, 4], [(1, 1), (2, 3)], [(1, 1), (2, 1)], [(0, 0), (2, 1)],
                                    [(3, 3), (2, 1)]))


@pytest.mark.parametrize("groups, dilation, stride, padding, kernel", GEOMETRIES)
def test_conv2d_and_its_transpose_equal_pytorch(groups, dilation, stride, padding, kernel):
    c, o = 4, 8
    x = rng.standard_normal((2, c, 9, 10))
    b = rng.standard_normal(o)
    w = rng.standard_normal((o, c // groups, *kernel))
    geometry = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    _same_as_torch(lambda x, w, b: F.conv2d(x, w, b, **geometry),
                   lambda x, w, b: torch.nn.functional.conv2d(x, w, b, **geometry), [x, w, b])
    w_t = rng.standard_normal((c, o // groups, *kernel))
    for output_padding in [(0, 0), (1, 0)]:  # (1, 0) is below the stride or the dilation only in some
        if output_padding[0] >= max(stride[0], dilation[0]):
            continue
        g = dict(geometry, output_padding=output_padding)
        _same_as_torch(lambda x, w, b, g=g: F.conv_transpose2d(x, w, b, **g),
                       lambda x, w, b, g=g: torch.nn.functional.conv_transpose2d(x, w, b, **g), [x, w_t, b])


@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("kernel, dilation", [((3, 3), (1, 1)), ((4, 2), (1, 1)), ((2, 3), (2, 1)), ((5, 4), (1, 3))])
def test_padding_strings_equal_pytorch(padding, kernel, dilation):
    x, w = rng.standard_normal((2, 4, 9, 10)), rng.standard_normal((6, 2, *kernel))
    _same_as_torch(lambda x, w: F.conv2d(x, w, padding=padding, dilation=dilation, groups=2),
                   lambda x, w: torch.nn.functional.conv2d(x, w, padding=padding, dilation=dilation, groups=2), [x, w])


def test_output_padding_below_the_dilation_only():
    """PyTorch allows output_padding up to the dilation: rows that no window reaches (zero, then the bias)."""
    x, w, b = rng.standard_normal((1, 2, 5, 4)), rng.standard_normal((2, 3, 3, 3)), rng.standard_normal(3)
    g = dict(stride=1, padding=(1, 0), output_padding=(2, 1), dilation=3)
    _same_as_torch(lambda x, w, b: F.conv_transpose2d(x, w, b, **g),
                   lambda x, w, b: torch.nn.functional.conv_transpose2d(x, w, b, **g), [x, w, b])


LAYERS = [
    ("Conv2d", (4, 8, 3), {}),
    ("Conv2d", (4, 8, 3), dict(padding="same", dilation=2, bias=False, padding_mode="reflect")),
    ("Conv2d", (4, 8, (3, 1), 2, 1, 1, 4), {}),  # PyTorch's positional order: stride, padding, dilation, groups
    ("Conv2d", (4, 6, 4), dict(padding="same", padding_mode="circular")),
    ("Conv2d", (4, 6, 3), dict(padding=(2, 1), padding_mode="replicate", groups=2)),
    ("Conv2d", (4, 4, 3), dict(padding="valid", groups=4)),
    ("Conv2d", (4, 8, 2), dict(padding="same")),
    ("ConvTranspose2d", (4, 8, 4, 2, 1), {}),
    ("ConvTranspose2d", (4, 8, 4, 2, 1, 1, 2, False, 2), {}),  # output_padding, groups, bias, dilation
    ("ConvTranspose2d", (4, 8, 3), dict(stride=1, dilation=3, output_padding=2)),
    ("Conv1d", (4, 8, 3), dict(padding=1, groups=2)),
    ("Conv1d", (4, 8, 4), dict(padding="same", padding_mode="reflect", dilation=2)),
    ("Conv1d", (4, 8, 3, 2, 1, 2), {}),
    ("ConvTranspose1d", (4, 6, 3), {}),
    ("ConvTranspose1d", (4, 6, 4, 2, 1), {}),
    ("ConvTranspose1d", (4, 6, 3), dict(stride=2, output_padding=1, groups=2, dilation=2, bias=False)),
]


@pytest.mark.parametrize("name, args, kwargs", LAYERS, ids=[f"{n}{a}{k}" for n, a, k in LAYERS])
def test_layers_take_pytorchs_arguments(name, args, kwargs):
    theirs = getattr(torch.nn, name)(*args, **kwargs).double()
    ours = getattr(minigan.nn, name)(*args, **kwargs).double()
    assert repr(ours) == repr(theirs)
    assert [p.shape for p in ours.parameters()] == [tuple(p.shape) for p in theirs.parameters()]
    ours.load_state_dict({k: minigan.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    x = rng.standard_normal((2, 4, 11, 9) if not name.endswith("1d") else (2, 4, 13))
    tx, mx = torch.tensor(x, requires_grad=True), minigan.tensor(x, requires_grad=True)
    ty, my = theirs(tx), ours(mx)
    np.testing.assert_allclose(my.detach().numpy(), ty.detach().numpy(), rtol=1e-10, atol=1e-10)
    ty.sum().backward()
    my.sum().backward()
    np.testing.assert_allclose(mx.grad.detach().numpy(), tx.grad.detach().numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.weight.grad.detach().numpy(), theirs.weight.grad.detach().numpy(), rtol=1e-10,
                               atol=1e-10)


@pytest.mark.parametrize("geometry", [dict(kernel_size=(2, 3), padding=1, stride=(1, 2)), dict(kernel_size=2),
                                      dict(kernel_size=3, dilation=2, padding=2, stride=2),
                                      dict(kernel_size=(1, 2), stride=2)])
@pytest.mark.parametrize("shape", [(2, 3, 5, 6), (3, 5, 6)], ids=["batched", "unbatched"])
def test_unfold_and_fold_equal_pytorch(geometry, shape):
    """unfold is im2col (a convolution with pixel-picking kernels) and fold its adjoint, col2im: both linear, so
    values and first gradients say everything.  Unbatched, an image (C, H, W) and its columns (C·kh·kw, L)."""
    x = rng.standard_normal(shape)
    cols = torch.nn.functional.unfold(torch.tensor(x), **geometry).detach().numpy()
    for ours, theirs, array in [(lambda t: F.unfold(t, **geometry), lambda t: torch.nn.functional.unfold(t, **geometry),
                                 x),
                                (lambda t: F.fold(t, (5, 6), **geometry),
                                 lambda t: torch.nn.functional.fold(t, (5, 6), **geometry), cols)]:
        m, t = minigan.tensor(array, requires_grad=True), torch.tensor(array, requires_grad=True)
        my, ty = ours(m), theirs(t)
        np.testing.assert_allclose(my.detach().numpy(), ty.detach().numpy(), rtol=1e-12)
        w = rng.standard_normal(tuple(ty.shape))
        (my * minigan.tensor(w)).sum().backward()
        (ty * torch.tensor(w)).sum().backward()
        np.testing.assert_allclose(m.grad.detach().numpy(), t.grad.detach().numpy(), rtol=1e-12)
    assert repr(minigan.nn.Fold((5, 6), **geometry)) == repr(torch.nn.Fold((5, 6), **geometry))
    assert repr(minigan.nn.Unfold(**geometry)) == repr(torch.nn.Unfold(**geometry))
