"""PyTorch's pooling and batch-norm options on minigan, compared with torch on float64 inputs.

Pools: dilation, ceil_mode (PyTorch's rule: a last window must start inside the input or its left padding),
return_indices (indices into each plane's flattened H·W), count_include_pad, divisor_override, the 1-D forms;
values, indices, input gradients, second derivatives (gradgradcheck and torch's double backward), reprs and
errors.  BatchNorm: affine=False, bias=False, track_running_stats=False, momentum=None, state_dict keys, reprs.


(Its torch-free tests: tests/library/test_pool_bn_options.py.)"""

import numpy as np
import pytest
from library.helpers_pool_bn_options import SECOND_ORDER, _distinct

import minigan
import minigan.functional as F
from minigan import nn
from minigan.engine import backend
from pytorch.oracle import HAVE_TORCH, NORM_BIAS

if HAVE_TORCH:
    import torch
    import torch.nn.functional as TF

needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")


def run(fn, x, weight, lib):
    """fn(x): its values, its indices (when fn gives a pair, else None) and the gradient of ⟨values, weight⟩ in x,
    as host arrays, with minigan (lib=None) or torch."""
    t = torch.tensor(x, requires_grad=True) if lib else minigan.tensor(x, dtype=np.float64, requires_grad=True)
    out = fn(t)
    y, idx = out if isinstance(out, tuple) else (out, None)
    (y * (torch.tensor(weight) if lib else minigan.tensor(weight, dtype=np.float64))).sum().backward()
    host = (lambda a: a.detach().numpy()) if lib else (lambda a: backend.asnumpy(a.array))
    return host(y), None if idx is None else host(idx), host(t.grad)


def assert_same_as_torch(fn, tfn, x, seed=0):
    with torch.no_grad():
        out = tfn(torch.tensor(x))
    shape = tuple((out[0] if isinstance(out, tuple) else out).shape)
    weight = np.random.default_rng(seed).standard_normal(shape)
    y, idx, g = run(fn, x, weight, None)
    ty, tidx, tg = run(tfn, x, weight, torch)
    assert y.shape == ty.shape
    np.testing.assert_allclose(y, ty, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(g, tg, rtol=1e-12, atol=1e-12)
    if tidx is not None:
        assert idx.dtype == np.int64
        np.testing.assert_array_equal(idx, tidx)


# (input H, W), kernel, stride, padding, dilation: odd and even sizes, stride ≠ kernel, padding, rectangles
GEOMETRIES = [
    ((7, 7), 3, 2, 1, 1),
    ((6, 5), 2, 2, 0, 1),
    ((5, 8), 3, 2, 1, 2),
    ((9, 6), (3, 2), (2, 1), (1, 0), (2, 1)),
    ((8, 7), 2, 3, 1, 2),
    ((4, 4), 2, 3, 1, 1),  # ceil_mode's rule: a third window would start in the right padding, so none
    ((5, 5), 4, 3, 2, 1),
    ((6, 7), 3, None, 0, 1),
]


def _image(hw, seed=0, ties=False):
    rng = np.random.default_rng(seed)
    shape = (2, 3) + hw
    return rng.integers(0, 3, shape).astype(np.float64) if ties else rng.standard_normal(shape)


@needs_torch
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("geometry", GEOMETRIES, ids=str)
def test_max_pool2d_dilation_ceil_mode_and_indices_match_torch(xp_backend, geometry, ceil_mode, ties):
    hw, k, s, p, d = geometry
    x = _image(hw, ties=ties)  # ties: the max and its index must be PyTorch's first maximum
    assert_same_as_torch(lambda a: F.max_pool2d(a, k, s, p, d, ceil_mode, True),
                         lambda a: TF.max_pool2d(a, k, s, p, d, ceil_mode, True), x)
    assert_same_as_torch(nn.MaxPool2d(k, s, p, d, True, ceil_mode), torch.nn.MaxPool2d(k, s, p, d, True, ceil_mode), x)
    assert_same_as_torch(lambda a: F.max_pool2d(a, k, s, p, dilation=d, ceil_mode=ceil_mode),
                         lambda a: TF.max_pool2d(a, k, s, p, dilation=d, ceil_mode=ceil_mode), x)


@needs_torch
@pytest.mark.parametrize("divisor_override", [None, 5, -2])
@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("geometry", [g for g in GEOMETRIES if g[4] == 1], ids=str)
def test_avg_pool2d_divisors_match_torch(xp_backend, geometry, ceil_mode, count_include_pad, divisor_override):
    hw, k, s, p, _ = geometry
    x = _image(hw, seed=1)
    options = (ceil_mode, count_include_pad, divisor_override)
    assert_same_as_torch(lambda a: F.avg_pool2d(a, k, s, p, *options), lambda a: TF.avg_pool2d(a, k, s, p, *options), x)
    assert_same_as_torch(nn.AvgPool2d(k, s, p, *options), torch.nn.AvgPool2d(k, s, p, *options), x)


@needs_torch
def test_avg_pool2d_ceil_mode_divides_by_the_part_inside_the_padded_input():
    # 6×6, k3 s2 p1, ceil: the last window covers input rows 5..7, of which row 6 is padding and row 7 is past it:
    # PyTorch divides by 2·3 = 6 there (count_include_pad), by the 1·3 input pixels otherwise
    ones = np.ones((1, 1, 6, 6))
    y = F.avg_pool2d(minigan.tensor(ones, dtype=np.float64), 3, 2, 1, ceil_mode=True).detach().numpy()[0, 0]
    np.testing.assert_allclose(y[1], [2 / 3, 1, 1, 0.5])
    np.testing.assert_allclose(y, TF.avg_pool2d(torch.tensor(ones), 3, 2, 1, ceil_mode=True).detach().numpy()[0, 0])
    y = F.avg_pool2d(minigan.tensor(ones, dtype=np.float64), 3, 2, 1, ceil_mode=True, count_include_pad=False)
    np.testing.assert_allclose(y.detach().numpy(), np.ones((1, 1, 4, 4)))


@needs_torch
@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("length,k,s,p,d", [(9, 3, 2, 1, 1), (8, 2, 3, 1, 2), (7, 3, None, 0, 1),
                                            (10, (4,), (3,), (2,), (2,))])
def test_pool1d_options_match_torch(xp_backend, length, k, s, p, d, ceil_mode):
    x = np.random.default_rng(2).standard_normal((2, 3, length))
    assert_same_as_torch(lambda a: F.max_pool1d(a, k, s, p, d, ceil_mode, True),
                         lambda a: TF.max_pool1d(a, k, s, p, d, ceil_mode, True), x)
    assert_same_as_torch(nn.MaxPool1d(k, s, p, d, True, ceil_mode), torch.nn.MaxPool1d(k, s, p, d, True, ceil_mode), x)
    for count_include_pad in (True, False):
        assert_same_as_torch(lambda a: F.avg_pool1d(a, k, s, p, ceil_mode, count_include_pad),  # noqa: B023
                             lambda a: TF.avg_pool1d(a, k, s, p, ceil_mode, count_include_pad), x)  # noqa: B023
        assert_same_as_torch(nn.AvgPool1d(k, s, p, ceil_mode, count_include_pad),
                             torch.nn.AvgPool1d(k, s, p, ceil_mode, count_include_pad), x)


@needs_torch
@pytest.mark.parametrize("name,call", SECOND_ORDER, ids=[c[0] for c in SECOND_ORDER])
def test_pools_double_backward_matches_torch(name, call):
    x0 = _distinct((2, 3, 5, 6))
    rng = np.random.default_rng(5)

    def double_backward(lib, grad):
        x = (torch.tensor(x0, requires_grad=True) if lib is torch else
             minigan.tensor(x0, dtype=np.float64, requires_grad=True))
        y = call(TF if lib is torch else F, x) ** 3
        v = lib.tensor(rng_v, requires_grad=True) if lib is torch else minigan.tensor(rng_v, requires_grad=True)
        (g,) = grad(y, x, v)
        u = torch.tensor(rng_u) if lib is torch else minigan.tensor(rng_u)
        (g * u).sum().backward()
        host = (lambda t: t.detach().numpy()) if lib is torch else (lambda t: backend.asnumpy(t.array))
        return host(g), host(x.grad), host(v.grad)

    shape = tuple(call(TF, torch.tensor(x0)).shape)
    rng_v, rng_u = rng.standard_normal(shape), rng.standard_normal(x0.shape)
    ours = double_backward(minigan, lambda y, x, v: minigan.autograd.grad(y, x, grad_outputs=v, create_graph=True))
    theirs = double_backward(torch, lambda y, x, v: torch.autograd.grad(y, x, grad_outputs=v, create_graph=True))
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-11)


@needs_torch
@pytest.mark.parametrize("args,kwargs", [
    ((2,), {}), ((2, 2, 0, 1), {}), (((2, 3), 1, (1, 0), 2, True, True), {}), ((3,), {"stride": (1, 2)}),
    ([[2, 2]], {"padding": 1, "ceil_mode": True}),
])
def test_pool_reprs_match_torch(args, kwargs):
    assert repr(nn.MaxPool2d(*args, **kwargs)) == repr(torch.nn.MaxPool2d(*args, **kwargs))
    avg_kwargs = {k: v for k, v in kwargs.items() if k in ("stride", "padding", "ceil_mode")}
    assert repr(nn.AvgPool2d(*args[:3], **avg_kwargs)) == repr(torch.nn.AvgPool2d(*args[:3], **avg_kwargs))
    one = [a[0] if isinstance(a, (tuple, list)) else a for a in args]
    one_kwargs = {k: v[0] if isinstance(v, tuple) else v for k, v in kwargs.items()}
    assert repr(nn.MaxPool1d(*one, **one_kwargs)) == repr(torch.nn.MaxPool1d(*one, **one_kwargs))
    avg_one = {k: v for k, v in one_kwargs.items() if k in ("stride", "padding", "ceil_mode")}
    assert repr(nn.AvgPool1d(*one[:3], **avg_one)) == repr(torch.nn.AvgPool1d(*one[:3], **avg_one))
    assert repr(nn.AvgPool2d(3, 1, 1, True, False, 2)) == repr(torch.nn.AvgPool2d(3, 1, 1, True, False, 2))
    assert repr(nn.AvgPool2d(3, 1, 1)) == "AvgPool2d(kernel_size=3, stride=1, padding=1)"
    assert repr(nn.MaxPool2d(2, 2, 0, 1)) == \
        "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"


@needs_torch
@pytest.mark.parametrize("call,error,message", [
    (lambda f, x: f.max_pool2d(x, 2, padding=2), ValueError, r"max_pool2d: padding \(2, 2\) must be at most half"),
    (lambda f, x: f.max_pool2d(x, 2, dilation=0), ValueError, "max_pool2d: dilation must be >= 1, got 0"),
    (lambda f, x: f.max_pool2d(x, 2, stride=0), ValueError, "max_pool2d: stride must be >= 1, got 0"),
    (lambda f, x: f.max_pool2d(x, 0), ValueError, "max_pool2d: kernel_size must be >= 1, got 0"),
    (lambda f, x: f.max_pool2d(x, 2, padding=-1), ValueError, "max_pool2d: padding must be >= 0, got -1"),
    (lambda f, x: f.max_pool2d(x, 3, dilation=3), minigan.ShapeError,
     "max_pool2d: kernel 7×7 is larger than the padded input 5×5"),
    (lambda f, x: f.avg_pool2d(x, 6), minigan.ShapeError, "avg_pool2d: kernel 6×6 is larger than the padded input"),
    (lambda f, x: f.avg_pool2d(x, 2, divisor_override=0), ValueError, "avg_pool2d: divisor_override must not be 0"),
    (lambda f, x: f.max_pool1d(x[:, :, 0], 2, padding=2), ValueError, r"max_pool1d: padding \(0, 2\) must be"),
    (lambda f, x: f.avg_pool1d(x[:, :, 0], 7), minigan.ShapeError, "avg_pool1d: kernel 1×7 is larger"),
    (lambda f, x: f.max_pool1d(x, 2), minigan.ShapeError, r"max_pool1d: input must be 3-D \(N, C, L\)"),
])
def test_pool_errors_are_one_line_where_torch_raises(call, error, message):
    x = np.random.default_rng(0).standard_normal((1, 2, 5, 5))
    with pytest.raises(RuntimeError):
        call(TF, torch.tensor(x))
    with pytest.raises(error, match=message) as caught:
        call(F, minigan.tensor(x, dtype=np.float64))
    assert "\n" not in str(caught.value)


@needs_torch
@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # −inf·w summed: the test reads values
def test_max_pool_never_picks_padding_even_next_to_minus_inf_or_nan():
    # PyTorch takes a window's first pixel inside the input, then only a strictly greater one (or a NaN)
    inf = np.inf
    for x in (np.full((1, 1, 3, 3), -inf), np.array([[[[-inf, 1, -inf], [np.nan, -inf, 2], [-inf, -inf, -inf]]]])):
        for k, s, p, d in [(3, 2, 1, 1), (2, 1, 1, 2), (3, 3, 1, 1)]:
            assert_same_as_torch(lambda a: F.max_pool2d(a, k, s, p, d, True, True),  # noqa: B023
                                 lambda a: TF.max_pool2d(a, k, s, p, d, True, True), x)  # noqa: B023


# ----------------------------------------------------------------------------- BatchNorm
BN_OPTIONS = [
    {},
    {"affine": False},
    {"track_running_stats": False},
    {"momentum": None},
    {"affine": False, "track_running_stats": False, "momentum": None},
    {"bias": False, "momentum": 0.3, "eps": 1e-3},
]


@needs_torch
@NORM_BIAS
@pytest.mark.parametrize("options", BN_OPTIONS, ids=str)
@pytest.mark.parametrize("cls,shape", [("BatchNorm1d", (6, 4)), ("BatchNorm1d", (5, 4, 3)),
                                       ("BatchNorm2d", (3, 4, 3, 5))])
def test_batch_norm_options_match_torch(cls, shape, options):
    ours, theirs = getattr(nn, cls)(4, **options).double(), getattr(torch.nn, cls)(4, **options).double()
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert (ours.weight is None) == (theirs.weight is None) and (ours.bias is None) == (theirs.bias is None)
    assert (ours.running_mean is None) == (theirs.running_mean is None)
    rng = np.random.default_rng(6)
    for step, training in enumerate([True, True, True, False, True, False]):  # running stats move, then are used
        ours.train(training), theirs.train(training)
        x = rng.standard_normal(shape) * 2 + step
        y, _, g = run(ours, x, np.random.default_rng(step).standard_normal(shape), None)
        ty, _, tg = run(theirs, x, np.random.default_rng(step).standard_normal(shape), torch)
        np.testing.assert_allclose(y, ty, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(g, tg, rtol=1e-10, atol=1e-10)
        for name, value in theirs.state_dict().items():
            np.testing.assert_allclose(ours.state_dict()[name], value.detach().numpy(), rtol=1e-12, atol=1e-12,
                                       err_msg=name)
    for (name, p), tp in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(backend.asnumpy(p.grad.array), tp.grad.detach().numpy(), rtol=1e-10, atol=1e-10,
                                   err_msg=name)
