"""Classes of silent differences from PyTorch that the whole-surface random programs (tests/pytorch/surface_programs.py)
found in seeds 3,000,000 to 3,999,999: a value, gradient, requires_grad, dtype or layout that differs while neither
side raises.  Each class is checked as a class against PyTorch float64."""

import math
import warnings

import numpy as np
import pytest

import minigan
from pytorch.oracle import pytorch_since

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF, NAN = math.inf, math.nan
F = {"minigan": minigan.nn.functional, "torch": None}


def _np(t):  # (force: PyTorch's zero gradient of a second order may be a "ZeroTensor", which numpy() refuses)
    return t.detach().cpu().numpy(force=True) if hasattr(t, "cpu") else np.asarray(t.numpy())


def _same(a, b):
    np.testing.assert_allclose(np.asarray(_np(a), dtype=float), np.asarray(_np(b), dtype=float), rtol=1e-12,
                               atol=1e-300, equal_nan=True)


# ----------------------------------------------------------------------------- the layout of elementwise results
# PyTorch's TensorIterator lays an elementwise result out in the order of its operands' strides, the first operand
# that tells two dimensions apart deciding (a broadcast dimension tells nothing): (a.t() + b) is laid out as a.t(),
# (b + a.t()) as b.  NumPy lets row-major win where operands disagree, so a later view or write told them apart.
def _layouts(lib, dtype):
    """Operands of several layouts, made the same way in both libraries: name -> tensor."""
    def base(*shape):
        n = int(np.prod(shape))
        values = np.linspace(-2.3, 3.1, n).reshape(shape)
        if dtype == "int64":
            values = np.round(values * 3)
        return lib.tensor(values, dtype=getattr(lib, dtype))

    return {"t": base(4, 3).t(), "c": base(3, 4), "e": base(1, 4).expand(3, 4), "s": base(3, 8)[:, ::2],
            "row": base(4), "col": base(3, 1), "p3": base(4, 2, 3).permute(1, 2, 0), "c3": base(2, 3, 4),
            "s3": base(2, 3, 8)[..., ::2].transpose(0, 1).transpose(0, 1)}


PAIRS = [("t", "c"), ("c", "t"), ("e", "t"), ("t", "row"), ("col", "t"), ("s", "t"), ("t", "s"), ("p3", "c3"),
         ("c3", "p3"), ("p3", "t"), ("s3", "p3")]


def _layout(t):
    """The strides of the dimensions longer than 1 (what a later view or flatten() can tell)."""
    return tuple(s for n, s in zip(t.shape, t.stride()) if n != 1), t.is_contiguous()


def _binary(name):
    ops = {"add": lambda m, a, b: a + b, "sub": lambda m, a, b: a - b, "mul": lambda m, a, b: a * b,
           "truediv": lambda m, a, b: a / b, "pow": lambda m, a, b: a ** b,
           "lt": lambda m, a, b: a < b, "ge": lambda m, a, b: a >= b, "eq": lambda m, a, b: a == b,
           "ne": lambda m, a, b: a.ne(b), "max": lambda m, a, b: m.max(a, b), "clamp_min": lambda m, a, b: a.clamp(
               min=b), "clip_max": lambda m, a, b: a.clip(max=b)}
    if name in ops:
        return ops[name]
    return lambda m, a, b: getattr(m, name)(a, b)


BINARY = ["add", "sub", "mul", "truediv", "pow", "lt", "ge", "eq", "ne", "max", "clamp_min", "clip_max", "maximum",
          "minimum", "atan2", "hypot", "fmod", "remainder", "xlogy", "logaddexp", "true_divide", "greater",
          "less_equal", "logical_and", "logical_or", "logical_xor", "rsub", "subtract", "multiply", "divide",
          "floor_divide", "dist", "isclose"]


@pytest.mark.parametrize("name", BINARY)
def test_binary_result_laid_out_as_pytorch(name):
    fn = _binary(name)
    for first, second in PAIRS:
        results = []
        for lib in (torch, minigan):
            ops = _layouts(lib, "float64")
            with np.errstate(all="ignore"):  # (a negative number to a fractional power: NaN, as in PyTorch)
                results.append(fn(lib, ops[first], ops[second]))
        assert _layout(results[1]) == _layout(results[0]), (name, first, second)
        _same(results[1], results[0])


TRIPLES = [("t", "c", "c"), ("c", "t", "t"), ("e", "t", "c"), ("row", "t", "c"), ("s", "c", "t"), ("p3", "c3", "c3"),
           ("c3", "p3", "t"), ("col", "row", "t")]
TERNARY = {"where": lambda m, a, b, c: m.where(a > 0.3, b, c), "addcmul": lambda m, a, b, c: m.addcmul(a, b, c),
           "addcdiv": lambda m, a, b, c: a.addcdiv(b, c, value=0.5), "lerp": lambda m, a, b, c: m.lerp(a, b, c),
           "lerp_number": lambda m, a, b, c: a.lerp(b + c, 0.75), "clamp": lambda m, a, b, c: m.clamp(a, b, c + 1),
           "clip": lambda m, a, b, c: a.clip(b - 1, c)}


@pytest.mark.parametrize("name", sorted(TERNARY))
def test_ternary_result_laid_out_as_pytorch(name):
    for layouts in TRIPLES:
        results = []
        for lib in (torch, minigan):
            ops = _layouts(lib, "float64")
            results.append(TERNARY[name](lib, *(ops[k] for k in layouts)))
        assert _layout(results[1]) == _layout(results[0]), (name, layouts)
        _same(results[1], results[0])


LOSSES = ["l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss", "soft_margin_loss", "binary_cross_entropy",
          "binary_cross_entropy_with_logits", "kl_div", "poisson_nll_loss"]


@pytest.mark.parametrize("name", LOSSES)
def test_unreduced_loss_laid_out_as_pytorch(name):
    """reduction='none': an elementwise result of input and target."""
    for first, second in PAIRS:
        results = []
        for lib in (torch, minigan):
            ops = _layouts(lib, "float64")
            x, y = ops[first], ops[second]
            if name == "binary_cross_entropy":
                x, y = x.sigmoid(), y.sigmoid()
            if x.shape != y.shape:  # (the losses take a target of the input's shape)
                x, y = lib.broadcast_tensors(x, y)
            results.append(getattr(lib.nn.functional, name)(x, y, reduction="none"))
        assert _layout(results[1]) == _layout(results[0]), (name, first, second)
        _same(results[1], results[0])


# ----------------------------------------------------------------------------- logcumsumexp's gradient
# PyTorch differentiates logcumsumexp by its own formula (exp(reverse logcumsumexp(log g± − out) + x), the positive
# and negative parts of the gradient apart): NaN at a ±∞ entry, a value elsewhere, differentiable again.  minigan's
# scan of logaddexp gave other values there (and a number over a dimension of size 1, where PyTorch's is NaN).
@pytest.mark.parametrize("values, dim", [([[1.217, 2.8, INF]], -2), ([[-0.732, 0.023, -INF]], 0),
                                         ([1.5, -2.0, INF, 0.3, -INF, 2.0], 0), ([[0.2, INF, -1.0], [NAN, 1, 3]], 1),
                                         ([[0.2, -0.4, 1.0], [2.5, 1.0, -3.0]], 0), ([-INF, -INF, 1.0, 4.0], 0)])
def test_logcumsumexp_gradient_as_pytorch(values, dim):
    results = []
    for lib in (torch, minigan):
        x = lib.tensor(values, dtype=lib.float64, requires_grad=True)
        with np.errstate(all="ignore"):
            y = lib.logcumsumexp(x, dim)
            w = lib.tensor(np.linspace(-1.0, 1.5, y.numel()).reshape(tuple(y.shape)), dtype=lib.float64)
            (g,) = lib.autograd.grad((y * w).sum(), x, create_graph=True)
            (g2,) = lib.autograd.grad((g * w.flip(tuple(range(w.ndim)))).sum(), x)
        results.append((y, g, g2))
    for ours, theirs in zip(results[1], results[0]):
        np.testing.assert_allclose(_np(ours), _np(theirs), rtol=1e-10, atol=1e-12, equal_nan=True)


# ----------------------------------------------------------------------------- smooth_l1_loss and huber_loss at ±∞
# PyTorch's gradient of either is a select of three branches of d = input − target (−δ, d, δ): at an infinite d the
# gradient is ±δ, finite.  minigan's composed where() sent the unused branch d²'s derivative (2·∞) times 0: NaN.
@pytest.mark.parametrize("name, kwargs", [("smooth_l1_loss", {}), ("smooth_l1_loss", {"beta": 0.5}),
                                          ("huber_loss", {}), ("huber_loss", {"delta": 2.0}),
                                          ("smooth_l1_loss", {"beta": 0.0})])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_smooth_l1_and_huber_gradient_at_infinity_as_pytorch(name, kwargs, reduction):
    x_values = [[0.414, -0.474, 0.761, INF], [0.074, NAN, -0.218, -INF], [0.5, -1.049, 1.0, 0.402]]
    y_values = [[0.007, -0.846, 0.289, -0.634], [-0.637, 1.061, 3.203, -0.867], [0.0, INF, -1.0, 0.402]]
    results = []
    for lib in (torch, minigan):
        x = lib.tensor(x_values, dtype=lib.float64, requires_grad=True)
        y = lib.tensor(y_values, dtype=lib.float64, requires_grad=True)
        with np.errstate(all="ignore"):
            loss = getattr(lib.nn.functional, name)(x, y, reduction=reduction, **kwargs)
            w = lib.tensor(np.linspace(-1.0, 1.5, loss.numel()).reshape(tuple(loss.shape)), dtype=lib.float64)
            gx, gy = lib.autograd.grad((loss * w).sum(), (x, y), create_graph=True)
            second = lib.autograd.grad((gx * gx.detach() + gy).sum(), (x, y), allow_unused=True)
        results.append([loss, gx, gy] + [s if s is not None else lib.zeros_like(x) for s in second])
    for ours, theirs in zip(results[1], results[0]):
        np.testing.assert_allclose(_np(ours), _np(theirs), rtol=1e-10, atol=1e-12, equal_nan=True)


# ----------------------------------------------------------------------------- index_fill's gradient to its value
# PyTorch sends the value the sum of the gradient over the filled slices, each slice once however often its index
# repeats (derivatives.yaml: grad.index_select(dim, unique(index)).sum()); minigan counted each repeat.
@pytest.mark.parametrize("shape, dim, index", [((), 0, [0, 0, 0]), ((5,), 0, [1, 3, 1, 1]), ((3, 4), 1, [2, 0, 2]),
                                               ((3, 4), 0, [0, 2, 0]), ((2, 3, 4), -1, [3, 3])])
def test_index_fill_value_gradient_as_pytorch(shape, dim, index):
    results = []
    for lib in (torch, minigan):
        n = int(np.prod(shape))
        x = lib.tensor(np.linspace(-1.0, 2.0, n).reshape(shape), dtype=lib.float64, requires_grad=True)
        v = lib.tensor(0.75, dtype=lib.float64, requires_grad=True)
        y = x.index_fill(dim, lib.tensor(index), v)
        w = lib.tensor(np.linspace(-1.0, 1.5, n).reshape(shape), dtype=lib.float64)
        results.append((y,) + lib.autograd.grad((y * w).sum(), (x, v)))
    for ours, theirs in zip(results[1], results[0]):
        _same(ours, theirs)


# ----------------------------------------------------------------------------- bernoulli's draw is recorded
# PyTorch records bernoulli(x) of an x that requires grad (BernoulliBackward0, a zero gradient), as it records
# normal(mean, std) and poisson(x): the draw requires grad.  minigan's was a constant.
@pytest.mark.parametrize("grad_mode", ["enable_grad", "no_grad"])
def test_bernoulli_draw_requires_grad_as_pytorch(grad_mode):
    for shape in [(), (3,), (2, 3)]:
        seen = []
        for lib in (torch, minigan):
            x = lib.tensor(np.linspace(0.1, 0.9, int(np.prod(shape))).reshape(shape), dtype=lib.float64,
                           requires_grad=True)
            with getattr(lib, grad_mode)():
                draw = lib.bernoulli(x)
            grad = lib.autograd.grad((draw * 3).sum(), x)[0] if draw.requires_grad else None
            seen.append((draw.requires_grad, draw.dtype == x.dtype, None if grad is None else _np(grad).tolist()))
        assert seen[1] == seen[0]


# ----------------------------------------------------------------------------- elu, selu, celu at 0: second order
# PyTorch's first derivative of elu takes its negative branch at x <= 0 (α·eˣ), and its second derivative only where
# x < 0 (elu_double_backward's mask): 0 at x = 0 exactly.  minigan's composed relu + α(e^min(x, 0) − 1) gave α there.
@pytest.mark.parametrize("name, kwargs", [("elu", {}), ("elu", {"alpha": 0.5}), ("selu", {}), ("celu", {}),
                                          ("celu", {"alpha": 2.0}), ("elu", {"alpha": -1.5})])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_elu_family_second_order_at_zero_as_pytorch(name, kwargs, dtype):
    values = [[1.929, 0.0, -0.507, -0.519], [-1.213, 0.135, -0.0, 0.564], [-INF, INF, NAN, -30.0]]
    results = []
    for lib in (torch, minigan):
        x = lib.tensor(values, dtype=getattr(lib, dtype), requires_grad=True)
        w = lib.tensor(np.linspace(-1.0, 1.5, 12).reshape(3, 4), dtype=getattr(lib, dtype))
        y = getattr(lib.nn.functional, name)(x, **kwargs)
        (g,) = lib.autograd.grad((y * w).sum(), x, create_graph=True)
        (g2,) = lib.autograd.grad((g * w.flip((0, 1))).sum(), x)
        results.append((y, g, g2))
    for ours, theirs in zip(results[1], results[0]):
        np.testing.assert_allclose(_np(ours), _np(theirs), rtol=1e-6 if dtype == "float32" else 1e-12, atol=1e-7,
                                   equal_nan=True)


# ----------------------------------------------------------------------------- soft_margin_loss's dtype
# PyTorch's soft_margin_loss writes into a tensor of the input's dtype (neg_out(output, input).mul_(target)...): a
# float32 input with a float64 target gives float32, where promotion gave minigan float64.
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("float64", "float32"), ("float32", "float32")])
def test_soft_margin_loss_dtype_as_pytorch(reduction, dtypes):
    results = []
    for lib in (torch, minigan):
        x = lib.tensor([[0.103], [0.668], [-0.796]], dtype=getattr(lib, dtypes[0]), requires_grad=True)
        y = lib.tensor([[1.0], [-1.0], [1.22]], dtype=getattr(lib, dtypes[1]))
        loss = lib.nn.functional.soft_margin_loss(x, y, reduction=reduction)
        results.append((str(loss.dtype).split(".")[-1], loss, lib.autograd.grad(loss.sum(), x)[0]))
    assert results[1][0] == results[0][0]
    for ours, theirs in zip(results[1][1:], results[0][1:]):
        np.testing.assert_allclose(_np(ours), _np(theirs), rtol=1e-6)


# ----------------------------------------------------------------------------- results PyTorch makes row-major
# PyTorch's out-of-place scatter, scatter_add, index_add and index_copy start from self.clone(Contiguous); layer_norm
# and interpolate allocate row-major; number ** tensor is written into empty_like(exponent, Contiguous).  minigan
# kept a permuted input's layout (a later view or flatten() told them apart).
ROW_MAJOR = {
    "scatter": lambda m, x: x.scatter(0, m.zeros(3, 4, 5, dtype=m.int64), 1.0),
    "scatter_src": lambda m, x: m.scatter(x, 1, m.zeros(3, 4, 5, dtype=m.int64), x * 2),
    "scatter_add": lambda m, x: x.scatter_add(0, m.zeros(3, 4, 5, dtype=m.int64), x),
    "index_add": lambda m, x: x.index_add(0, m.tensor([0, 1]), m.ones(2, 4, 5, dtype=m.float64)),
    "index_copy": lambda m, x: x.index_copy(2, m.tensor([0, 1]), m.ones(3, 4, 2, dtype=m.float64)),
    "rpow": lambda m, x: 2 ** x, "rpow_float": lambda m, x: 1.5 ** x,
    "layer_norm": lambda m, x: m.nn.functional.layer_norm(x, (5,)),
    "layer_norm_affine": lambda m, x: m.nn.functional.layer_norm(x, (4, 5), m.ones(4, 5, dtype=m.float64),
                                                                 m.zeros(4, 5, dtype=m.float64)),
    "interpolate_nearest_exact": lambda m, x: m.nn.functional.interpolate(x.unsqueeze(0), scale_factor=2,
                                                                          mode="nearest-exact"),
    "interpolate_linear": lambda m, x: m.nn.functional.interpolate(x, scale_factor=2, mode="linear"),
    "interpolate_bilinear": lambda m, x: m.nn.functional.interpolate(x.unsqueeze(0), size=(5, 7), mode="bilinear"),
    "interpolate_nearest": lambda m, x: m.nn.functional.interpolate(x, size=7, mode="nearest"),
}


@pytest.mark.parametrize("name", sorted(ROW_MAJOR))
def test_row_major_results_as_pytorch(name):
    results = []
    for lib in (torch, minigan):
        x = lib.tensor(np.linspace(-2.3, 3.1, 60).reshape(5, 3, 4), dtype=lib.float64).permute(1, 2, 0)
        results.append(ROW_MAJOR[name](lib, x))
    assert _layout(results[1]) == _layout(results[0])
    np.testing.assert_allclose(_np(results[1]), _np(results[0]), rtol=1e-12, atol=1e-14)  # (a normalized 0: roundoff)


# ----------------------------------------------------------------------------- xlogy's gradient where it is 0
# PyTorch's d/dx of xlogy(x, y) is xlogy(grad, y): 0 where the incoming gradient is 0, even where log y is NaN (y < 0)
# or ±∞; grad·log y gave 0·NaN = NaN there.
@pytest.mark.parametrize("other", [-1.5, 0.0, INF, "tensor"])
def test_xlogy_gradient_where_the_incoming_gradient_is_zero_as_pytorch(other):
    values = [[-0.573, -1.156, -0.39, 2.555], [3.628, 0.0, -1.149, -1.129]]
    results = []
    for lib in (torch, minigan):
        x = lib.tensor(values, dtype=lib.float64, requires_grad=True)
        y = lib.tensor([[-1.0, 0.0, 2.0, INF], [NAN, -0.0, 1.5, 3.0]], dtype=lib.float64, requires_grad=True) \
            if other == "tensor" else other
        w = lib.tensor([[0.0, 1.0, -2.0, 0.0], [0.5, 0.0, 0.0, 1.25]], dtype=lib.float64)
        with np.errstate(all="ignore"):
            out = x.xlogy(y)
            grads = lib.autograd.grad((out * w).sum(), [x] + ([y] if other == "tensor" else []), create_graph=True)
            total = sum((g * g.detach()).sum() for g in grads)
            second = lib.autograd.grad(total, x, allow_unused=True)[0] if total.requires_grad else None
        results.append([out, *grads] + ([] if second is None else [second]))
    assert len(results[1]) == len(results[0])
    for ours, theirs in zip(results[1], results[0]):
        np.testing.assert_allclose(_np(ours), _np(theirs), rtol=1e-12, atol=1e-14, equal_nan=True)


# ----------------------------------------------------------------------------- one operand: its layout kept
# An elementwise op of one tensor (numbers beside it) lays its result out as that tensor, as PyTorch's (empty_like's
# preserved layout): clamp with a NaN bound filled a row-major copy.
UNARY_KEEPS = {"clamp_min_nan": lambda m, x: m.clamp_min(x, NAN), "clamp_max_nan": lambda m, x: x.clamp(max=NAN),
               "clip_nan": lambda m, x: x.clip(NAN, 1.0), "clamp": lambda m, x: x.clamp(-1.0, 1.0),
               "neg": lambda m, x: -x, "exp": lambda m, x: x.exp(), "mul_number": lambda m, x: x * 2.5,
               "rsub_number": lambda m, x: 1 - x, "where_numbers": lambda m, x: m.where(x > 0, x, 0.0),
               "relu": lambda m, x: m.relu(x), "sigmoid": lambda m, x: x.sigmoid(),
               "elu": lambda m, x: m.nn.functional.elu(x),
               "leaky_relu": lambda m, x: m.nn.functional.leaky_relu(x, 0.2), "pow_number": lambda m, x: x ** 2}
# clamp(max=) alone, a NaN number, gives NaN (2.11 ignored the bound; clamp_min(x, NaN) and clip(NaN, 1.0) gave NaN)
ONE_NAN_BOUND = pytorch_since("2.12", "clamp's one bound, a NaN number, gives NaN")


@pytest.mark.parametrize("name", [pytest.param(n, marks=[ONE_NAN_BOUND] if n == "clamp_max_nan" else [])
                                  for n in sorted(UNARY_KEEPS)])
@pytest.mark.parametrize("layout", ["permuted", "expanded"])
def test_one_operand_results_keep_its_layout_as_pytorch(name, layout):
    results = []
    for lib in (torch, minigan):
        x = lib.tensor(np.linspace(-2.3, 3.1, 100).reshape(2, 5, 2, 5), dtype=lib.float64).permute(0, 2, 1, 3)
        x = x if layout == "permuted" else x[:1].expand(3, 2, 5, 5)  # (expanded: PyTorch's result is row-major)
        with np.errstate(all="ignore"):
            results.append(UNARY_KEEPS[name](lib, x))
    assert _layout(results[1]) == _layout(results[0])
    _same(results[1], results[0])


# ----------------------------------------------------------------------------- feature dropout of nothing
# PyTorch's dropout2d of an input with no elements returns the input itself (feature_dropout draws nothing), as
# dropout does: the same tensor, requiring grad as it does, under no_grad too.  minigan's made a new tensor.
@pytest.mark.parametrize("grad_mode", ["enable_grad", "no_grad"])
@pytest.mark.parametrize("shape", [(0, 3), (0, 3, 2, 2), (2, 0, 4), (2, 3, 0, 4)])
def test_dropout2d_of_an_empty_input_is_the_input_as_pytorch(grad_mode, shape):
    seen = []
    for lib in (torch, minigan):
        x = lib.ones(*shape, dtype=lib.float64, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (PyTorch's warnings about 2-D and 3-D inputs)
            with getattr(lib, grad_mode)():
                out = lib.nn.functional.dropout2d(x, 0.5)
        seen.append((out is x, out.requires_grad, tuple(out.shape)))
    assert seen[1] == seen[0]
