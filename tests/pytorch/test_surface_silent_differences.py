"""Classes of differences from PyTorch that the whole-surface random programs (tests/pytorch/surface_programs.py) found
where minigan refused what PyTorch runs, or ran with another layout or value: each checked as a class against PyTorch
float64.

Classes of silent differences from PyTorch that the whole-surface random programs (tests/pytorch/surface_programs.py)
found in seeds 3,000,000 to 3,999,999: a value, gradient, requires_grad, dtype or layout that differs while neither
side raises.  Each class is checked as a class against PyTorch float64."""

import math
import warnings

import numpy as np
import pytest

import minigan
from pytorch.oracle import pytorch_since

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


VALUES = np.arange(1.0, 25.0).reshape(2, 3, 4) / 7.0

# ----------------------------------------------------------------------------- a view made under no_grad
# PyTorch: a view made under no_grad (or inference_mode) of a tensor that requires grad requires grad itself and is a
# leaf with no grad_fn; what is computed from it later, with gradients recorded, requires grad too, but no gradient
# flows back through it (not to its base, not into its own .grad).
VIEWS = {
    "t": lambda x: x[0].t(), "unsqueeze": lambda x: x.unsqueeze(0), "movedim": lambda x: x.movedim(-1, 0),
    "permute": lambda x: x.permute(2, 0, 1), "view": lambda x: x.view(6, 4), "expand": lambda x: x[:1].expand(3, 3, 4),
    "narrow": lambda x: x.narrow(2, 1, 2), "select": lambda x: x[1], "slice": lambda x: x[:, ::2],
    "unbind": lambda x: x.unbind(1)[0], "transpose": lambda x: x.transpose(0, 2), "ravel": lambda x: x.ravel(),
}


def _no_grad_view(lib, view, mode, base_kind):
    x = lib.tensor(VALUES, dtype=lib.float64, requires_grad=True)
    base = x if base_kind == "leaf" else x * 1.0
    with (lib.no_grad() if mode == "no_grad" else lib.inference_mode()):
        v = VIEWS[view](base)
    out = (v * lib.tensor(np.linspace(-1, 2, v.numel()).reshape(v.shape), dtype=lib.float64)).sum() + v.sum() * 0.5
    record = [v.requires_grad, v.is_leaf, v.grad_fn is None, out.requires_grad]
    record += [g is None for g in lib.autograd.grad(out, [x, v], allow_unused=True, retain_graph=True)]
    if out.requires_grad:
        out.backward()
    record += [v.grad is None, x.grad is None]
    return record


@pytest.mark.parametrize("base_kind", ["leaf", "computed"])
@pytest.mark.parametrize("mode", ["no_grad", "inference_mode"])
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_a_view_made_under_no_grad_requires_grad_and_passes_no_gradient(view, mode, base_kind):
    assert _no_grad_view(minigan, view, mode, base_kind) == _no_grad_view(torch, view, mode, base_kind)


def test_a_view_of_a_no_grad_view_made_with_gradients_recorded_passes_none_either():
    def run(lib):
        x = lib.tensor(VALUES, dtype=lib.float64, requires_grad=True)
        with lib.no_grad():
            v = x.t() if x.ndim == 2 else x.permute(2, 1, 0)
        u = v[0]  # recorded: a node, whose input's gradient goes nowhere
        out = (u * 3.0).sum()
        out.backward()
        return [u.requires_grad, u.grad_fn is None, v.grad is None, x.grad is None]

    assert run(minigan) == run(torch)


def test_changing_a_no_grad_view_in_place_with_gradients_recorded_is_refused_as_pytorch_refuses():
    for lib in (minigan, torch):
        x = lib.tensor(VALUES, dtype=lib.float64, requires_grad=True)
        with lib.no_grad():
            v = x[0]
        with pytest.raises(RuntimeError):
            v.mul_(2.0)
        with lib.no_grad():  # (under no_grad it changes the memory, as an optimizer's step does)
            v.mul_(2.0)
        assert float(x[0, 0, 0]) == pytest.approx(2 / 7)


# ----------------------------------------------------------------------------- layouts: PyTorch's preserve_format
# clone and the *_like functions keep the input's order of strides (memory_format=torch.preserve_format: a permuted
# input gives a permuted result, so its flatten() is a copy), and a cast, or an op that casts an integer input
# first, gives a broadcast (expanded) input's result row-major, as PyTorch's TensorIterator does.
def _inputs(lib):
    base = np.arange(48.0).reshape(4, 3, 4) / 5.0
    return {
        "permuted": lambda: lib.tensor(base[:2], dtype=lib.float64).permute(2, 0, 1),
        "transposed": lambda: lib.tensor(base[0], dtype=lib.float64).t(),
        "sliced and permuted": lambda: lib.tensor(base, dtype=lib.float64)[::2].permute(2, 0, 1),
        "expanded": lambda: lib.tensor(base[:1], dtype=lib.float64).expand(3, 3, 4),
        "expanded integers": lambda: lib.tensor(base[:1].astype(np.int64)).expand(3, 3, 4),
        "permuted integers": lambda: lib.tensor(base[:2].astype(np.int64)).permute(2, 0, 1),
    }


LAYOUT_OPS = {
    "clone": lambda lib, x: x.clone(), "detach().clone()": lambda lib, x: x.detach().clone(),
    "torch.clone": lambda lib, x: lib.clone(x), "zeros_like": lambda lib, x: lib.zeros_like(x),
    "ones_like": lambda lib, x: lib.ones_like(x), "full_like": lambda lib, x: lib.full_like(x, 2.5),
    "empty_like": lambda lib, x: lib.empty_like(x), "rand_like": lambda lib, x: lib.rand_like(x, dtype=lib.float64),
    "randn_like": lambda lib, x: lib.randn_like(x, dtype=lib.float64),
    "zeros_like(dtype=)": lambda lib, x: lib.zeros_like(x, dtype=lib.float32),
    "float()": lambda lib, x: x.float(), "double()": lambda lib, x: x.double(), "long()": lambda lib, x: x.long(),
    "to(float32)": lambda lib, x: x.to(lib.float32), "sin": lambda lib, x: x.sin(), "erfc": lambda lib, x: lib.erfc(x),
    "exp": lambda lib, x: lib.exp(x), "mul": lambda lib, x: x * 2, "neg": lambda lib, x: -x,
    "contiguous": lambda lib, x: x.contiguous(),
}


def _strides(t):
    return tuple(s // t.array.itemsize for s in t.array.strides) if isinstance(t, minigan.Tensor) else t.stride()


@pytest.mark.parametrize("kind", sorted(_inputs(np)))
@pytest.mark.parametrize("op", sorted(LAYOUT_OPS))
def test_a_result_keeps_pytorchs_layout(op, kind):
    out = []
    for lib in (minigan, torch):
        try:
            r = LAYOUT_OPS[op](lib, _inputs(lib)[kind]())
            flat = r.flatten()
            shares = np.shares_memory(flat.numpy(), r.numpy()) if lib is minigan else \
                flat.untyped_storage().data_ptr() == r.untyped_storage().data_ptr()
            out.append((_strides(r), shares))
        except Exception as e:  # noqa: BLE001 - both refuse (an integer input to sin is PyTorch's float)
            out.append(RuntimeError if isinstance(e, RuntimeError) else type(e))
    assert out[0] == out[1]


def test_an_in_place_op_on_a_clone_of_a_permuted_tensor_writes_in_its_layout():
    def run(lib):
        x = lib.tensor(np.arange(12.0).reshape(3, 4), dtype=lib.float64).t().clone()
        x.mul_(2.0)
        flat = x.flatten()
        flat[0] = -1.0  # a copy: x keeps its first entry
        return float(x[0, 0]), _strides(x)

    assert run(minigan) == run(torch)


# ----------------------------------------------------------------------------- clip_grad_norm_ at any max_norm, p
# PyTorch refuses none of these: a negative max_norm flips the gradients, NaN gives NaN, norm_type 0 counts the
# non-zero entries and a negative one is (Σ|g|ᵖ)^(1/p) (vector_norm's), NaN gives NaN.
@pytest.mark.parametrize("norm_type", [2.0, 1, "inf", -1.5, 0, float("nan"), -float("inf"), 3])
@pytest.mark.parametrize("max_norm", [0.5, -1.5, float("nan"), -float("inf"), 0.0, np.float64(-1.5)])
def test_clip_grad_norm_runs_as_pytorchs_at_any_max_norm_and_norm_type(max_norm, norm_type):
    def run(lib):
        values = ([3.0, -4.0, 0.0], [[1.5, 0.0], [2.0, -1.0]])
        ps = [lib.tensor(v, dtype=lib.float64, requires_grad=True) for v in values]
        for p in ps:
            p.grad = p.detach().clone() * 0.5
        total = lib.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
        return [np.array(total.item())] + [p.grad.numpy() for p in ps]

    for ours, theirs in zip(run(minigan), run(torch)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, equal_nan=True)


@pytest.mark.parametrize("clip_value", [0.5, -1.5, float("nan"), 0.0, -float("inf")])
def test_clip_grad_value_runs_as_pytorchs_at_any_clip_value(clip_value):
    def run(lib):
        p = lib.tensor([3.0, -4.0, 0.25], dtype=lib.float64, requires_grad=True)
        p.grad = p.detach().clone()
        lib.nn.utils.clip_grad_value_(p, clip_value)
        return p.grad.numpy()

    np.testing.assert_array_equal(run(minigan), run(torch))


def test_get_total_norm_of_integer_tensors_is_refused_as_pytorch_refuses():
    for lib in (minigan, torch):
        with pytest.raises(RuntimeError):
            lib.nn.utils.get_total_norm([lib.tensor([3, 4])], 2.0)


# ----------------------------------------------------------------------------- two numbers to an arithmetic function
# PyTorch wraps a number given as input beside a number: a 0-d tensor of bool, int64 or the default float dtype (a
# NumPy scalar as the Python number it holds), so torch.mul(2, 3) is tensor(6) and torch.div(1, 2) tensor(0.5).
NUMBERS = [(2, 3), (0.5, np.float64(-np.inf)), (np.float64(0.5), 2.0), (np.float32(1.5), 2), (True, True), (True, 2),
           (2, np.int32(3)), (np.int64(7), 3.5), (-7, 2), (0.1, np.nan), (np.bool_(True), 3)]


@pytest.mark.parametrize("name", ["add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
                                  "floor_divide"])
@pytest.mark.parametrize("pair", NUMBERS, ids=[f"{type(a).__name__}-{type(b).__name__}" for a, b in NUMBERS])
def test_an_arithmetic_function_of_two_numbers_gives_pytorchs_tensor(name, pair):
    out = []
    for lib in (minigan, torch):
        try:
            r = getattr(lib, name)(*pair)
            out.append((str(r.dtype).split(".")[-1], tuple(r.shape), r.item()))
        except Exception as e:  # noqa: BLE001 - both refuse (a bool minus a bool)
            out.append(RuntimeError if isinstance(e, RuntimeError) else type(e))
    if isinstance(out[1], tuple) and isinstance(out[0], tuple) and isinstance(out[1][2], float):
        assert out[0][:2] == out[1][:2] and np.allclose(out[0][2], out[1][2], equal_nan=True), out
    else:
        assert out[0] == out[1]


# ----------------------------------------------------------------------------- var(False): PyTorch's unbiased overload
@pytest.mark.parametrize("call", [
    lambda lib, x: x.std(False), lambda lib, x: x.var(True), lambda lib, x: lib.std(x, False),
    lambda lib, x: lib.var(x, False), lambda lib, x: lib.var_mean(x, False)[0], lambda lib, x: lib.std_mean(x, True)[0],
    lambda lib, x: x.std(0, False), lambda lib, x: x.var(1, False, True),
])
def test_var_and_std_take_a_bool_first_as_unbiased(call):
    ours, theirs = (call(lib, lib.tensor(VALUES[0], dtype=lib.float64)) for lib in (minigan, torch))
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


# ----------------------------------------------------------------------------- nn.init fills of any dtype
# constant_, zeros_, ones_ and eye_ are fills (fill_): PyTorch's take integer and bool tensors too (1.25 → 1).
@pytest.mark.parametrize("dtype", ["int64", "int32", "bool", "float32"])
@pytest.mark.parametrize("fill", [("constant_", 1.25), ("constant_", -2.5), ("constant_", np.float64(1.25)),
                                  ("constant_", float("nan")), ("zeros_",), ("ones_",), ("eye_",)])
def test_an_init_fill_takes_any_dtype_as_pytorchs(fill, dtype):
    out = []
    for lib in (minigan, torch):
        t = lib.zeros(2, 3, dtype=getattr(lib, dtype))
        try:
            r = getattr(lib.nn.init, fill[0])(t, *fill[1:])
            out.append((r is t, str(t.dtype).split(".")[-1], t.tolist()))
        except Exception as e:  # noqa: BLE001 - both refuse (NaN into an integer tensor)
            out.append(RuntimeError if isinstance(e, RuntimeError) else type(e))
    assert out[0] == out[1] or (np.array_equal(np.array(out[0][2]), np.array(out[1][2]), equal_nan=True)
                                and out[0][:2] == out[1][:2]), out


# ----------------------------------------------------------------------------- broadcast_tensors keeps what fits
def test_broadcast_tensors_returns_a_tensor_of_the_common_shape_itself_as_pytorchs():
    """PyTorch's broadcast_tensors gives back a tensor that already has the common shape (no view of it): so under
    no_grad its gradient still flows, and it is the very tensor given."""
    def run(lib):
        x = lib.tensor(VALUES[0], dtype=lib.float64, requires_grad=True)
        y = lib.tensor(VALUES[0, 0], dtype=lib.float64, requires_grad=True)
        with lib.no_grad():
            a, b = lib.broadcast_tensors(x, y)
        g = lib.autograd.grad((a * 2).sum() + (b * 3).sum(), [x, y], allow_unused=True)
        return [a is x, b is y, tuple(b.shape)] + [None if t is None else t.numpy().tolist() for t in g]

    assert run(minigan) == run(torch)


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
