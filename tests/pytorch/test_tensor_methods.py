"""The method forms of minigan/_tensor_math.py (x.sin(), x.lerp(...), x.new_zeros(...), f"{loss:.3f}", the
advice for a missing attribute), equal to PyTorch's.

(Its torch-free tests: tests/library/test_tensor_methods.py.)"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

A = np.array([[0.5, -1.5, 2.0], [1.0, 0.25, -0.75]])
B = np.array([[1.5, 0.5, -2.0], [0.3, -1.0, 0.8]])
METHODS = [
    ("sin", ()), ("atanh", ()), ("log1p", ()), ("floor", ()), ("round", ()), ("frac", ()), ("rsqrt", ()),
    ("atan2", ("B",)), ("hypot", ("B",)), ("lerp", ("B", 0.3)), ("remainder", ("B",)), ("amax", (1,)),
    ("clamp_min", (0.1,)), ("flip", (0,)), ("tril", ()), ("repeat", (2, 1)), ("tile", (1, 2)), ("ravel", ()),
    ("logaddexp", ("B",)), ("xlogy", ("ABS_B",)), ("masked_fill", ("MASK", 0.0)), ("where", ("MASK", "B")),
    ("multiply", ("B",)), ("divide", ("B",)), ("absolute", ()), ("negative", ()), ("movedim", (0, 1)),
    ("maximum", ("B",)), ("minimum", ("B",)), ("half", ()), ("short", ()),
]


def _args(lib, args):
    table = {"B": lib.tensor(B), "ABS_B": lib.tensor(np.abs(B)), "MASK": lib.tensor(A > 0)}
    return [table.get(a, a) if isinstance(a, str) else a for a in args]


@pytest.mark.parametrize("name, args", METHODS, ids=[n for n, _ in METHODS])
def test_methods_equal_pytorch_with_gradients(name, args):
    values = np.abs(A) * 0.4 if name in ("atanh", "rsqrt", "log1p", "xlogy") else A
    x, tx = minigan.tensor(values, dtype=minigan.float64, requires_grad=True), torch.tensor(values, requires_grad=True)
    y, ty = getattr(x, name)(*_args(minigan, args)), getattr(tx, name)(*_args(torch, args))
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-10)
    if ty.requires_grad:
        (y * 1.5).sum().backward()
        (ty * 1.5).sum().backward()
        np.testing.assert_allclose(x.grad.detach().numpy(), tx.grad.detach().numpy(), rtol=1e-10)


def test_format_new_and_device_predicates():
    loss = minigan.tensor(0.123456)
    assert f"{loss:.3f}" == f"{torch.tensor(0.123456):.3f}" == "0.123"
    with pytest.raises(TypeError, match="format spec"):
        f"{minigan.zeros(2):.3f}"
    x = minigan.ones(2, 3, dtype=minigan.float64)
    assert x.new_zeros(4).dtype == minigan.float64 and x.new_ones((2, 2)).shape == (2, 2)
    assert x.new_full((3,), 7.0).detach().numpy().tolist() == [7.0] * 3 and x.new_tensor([1,
                                                                                          2]).dtype == minigan.float64
    assert x.is_cpu == (x.device == "cpu") and not x.is_xpu and x.ndimension() == 2
    classes = ["a", "b", "c"]
    assert classes[minigan.tensor([0.1, 0.9, 0.3]).argmax(0)] == "b"  # __index__, as PyTorch
    with pytest.raises(TypeError, match="integer tensors of a single element"):
        classes[minigan.tensor(1.0)]


@pytest.mark.filterwarnings("ignore::UserWarning")  # PyTorch warns of a correction beyond n (the case of 3)
@pytest.mark.parametrize("kwargs", [{}, {"correction": 0}, {"correction": 2}, {"dim": 1, "correction": 0},
                                    {"dim": 0, "correction": 3}, {"dim": 1, "keepdim": True, "unbiased": False}])
def test_var_and_std_take_pytorchs_correction(kwargs):
    results = []
    for lib in (minigan, torch):
        x = lib.tensor(A, requires_grad=True)
        with np.errstate(all="ignore"):  # (correction 3 over 2 rows: ∞, as PyTorch's)
            var, std = x.var(**kwargs), lib.std(x, **kwargs)
            mean_pair = lib.var_mean(x, **kwargs)
        if kwargs.get("correction") != 3:  # (beyond n, PyTorch's gradient uses n − correction < 0 unclamped)
            (var.sum() + std.sum()).backward()
        outs = [t.detach().numpy() for t in (var, std, *mean_pair)]
        results.append(outs + [None if x.grad is None else x.grad.detach().numpy()])
    for u, t in zip(*results):
        if u is not None:
            np.testing.assert_allclose(u, t, rtol=1e-12)


@pytest.mark.parametrize("bounds", ["min", "max", "both", "crossed"])
def test_clamp_with_tensor_bounds_as_pytorch(bounds):
    """Bounds per element (broadcast), the gradient to x where it is kept and to a bound where it is taken; where
    min > max, max, as PyTorch's min(max(x, min), max)."""
    x0, lo0, hi0 = np.array([[1.0, -2.0, 3.0], [4.0, 0.5, -6.0]]), np.array([0.0, -1.0, 3.5]), np.array([[2.0], [0.25]])
    results = []
    for lib in (minigan, torch):
        x, lo, hi = (lib.tensor(v, requires_grad=True) for v in (x0, lo0, hi0))
        kwargs = {"min": dict(min=lo), "max": dict(max=hi), "both": dict(min=lo, max=hi),
                  "crossed": dict(min=lo + 10, max=hi)}[bounds]
        out = x.clamp(**kwargs)
        (out * lib.tensor(np.arange(6.0).reshape(2, 3))).sum().backward()
        results.append([out.detach().numpy()] + [None if t.grad is None else t.grad.detach().numpy() for t in (x, lo,
                                                                                                               hi)])
        y = x.detach().clone()
        y.clamp_(**{k: v.detach() for k, v in kwargs.items()})
        results[-1].append(y.detach().numpy())
    for u, t in zip(*results):
        assert (u is None) == (t is None)
        if u is not None:
            np.testing.assert_allclose(u, t, rtol=1e-12)
