"""Classes of differences from PyTorch the surface programs (tests/pytorch/surface_programs.py) found, each checked
against
PyTorch float64 as a class: the values and gradients of a function at every special input, and refusals where
PyTorch refuses (a wrong argument that ran silently).

(Its torch-free tests: tests/library/test_surface_classes.py.)"""

import math

import numpy as np
import pytest

import minigan
from pytorch.oracle import NANSUM_INT

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF = math.inf


def _both(fn):
    """fn(lib) under minigan and under PyTorch: (result or the exception's class) for each."""
    out = []
    for lib in (minigan, torch):
        try:
            out.append(fn(lib))
        except Exception as e:  # noqa: BLE001 - the class is compared
            out.append(type(e))
    return out


def _refused_alike(fn):
    ours, theirs = _both(fn)
    assert isinstance(theirs, type), "PyTorch runs this: not a refusal to compare"
    assert isinstance(ours, type) and issubclass(ours, theirs), (ours, theirs)


# ----------------------------------------------------------------------------- logaddexp at ±∞
A = [INF, -INF, INF, 1.0, 3.0, 2.0, -INF, -800.0, 800.0, 0.5]
B = [INF, -INF, 1.0, -INF, 3.0, -1.0, 2.0, -801.0, 700.0, -INF]


def test_logaddexp_at_infinities_matches_pytorch():
    """log(eᵃ + eᵇ) is ∞ where either is ∞, −∞ where both are −∞: m + log(e^(a−m) + e^(b−m)) with m = ∞ gave NaN."""
    def run(lib):
        a = lib.tensor(A, dtype=lib.float64, requires_grad=True)
        b = lib.tensor(B, dtype=lib.float64, requires_grad=True)
        y = lib.logaddexp(a, b)
        ga, gb = lib.autograd.grad(y.sum(), (a, b))
        return [t.detach().numpy() for t in (y, ga, gb)]

    (y, ga, gb), (ty, tga, tgb) = _both(run)
    np.testing.assert_array_equal(y, ty)
    finite = np.isfinite(tga)  # (∞ and ∞, −∞ and −∞: PyTorch's gradient is NaN there)
    np.testing.assert_allclose(ga[finite], tga[finite], rtol=1e-12)
    np.testing.assert_allclose(gb[finite], tgb[finite], rtol=1e-12)
    assert finite.sum() == len(A) - 2


def test_logaddexp_second_order_at_ties_matches_pytorch():
    """At a = b the second derivative is σ'(0) = 1/4: max(a, b) + log(1 + e^−|a−b|) gave 0 there (the kinks of max
    and |·| are each differentiated to 0)."""
    a0, b0 = np.array([1.0, -2.0, 3.0, 0.5, 2.0, 0.0]), np.array([0.5, -2.0, -1.0, 0.5, 7.0, 0.0])

    def run(lib):
        a = lib.tensor(a0, dtype=lib.float64, requires_grad=True)
        b = lib.tensor(b0, dtype=lib.float64, requires_grad=True)
        ga, gb = lib.autograd.grad(lib.logaddexp(a, b).sum(), (a, b), create_graph=True)
        w = lib.tensor(np.arange(1.0, 7.0), dtype=lib.float64)
        return [g.numpy() for g in lib.autograd.grad((ga * w).sum() + (gb * w * w).sum(), (a, b))]

    ours, theirs = _both(run)
    for g, tg in zip(ours, theirs):
        np.testing.assert_allclose(g, tg, rtol=1e-12, atol=1e-15)


def test_logaddexp_method_and_integers_at_infinities():
    x = minigan.tensor([INF, -INF, 0.0])
    np.testing.assert_array_equal(x.logaddexp(minigan.tensor([1.0, -INF, -INF])).numpy(),
                                  torch.tensor([INF, -INF, 0.0]).logaddexp(torch.tensor([1.0, -INF, -INF])).numpy())


# ----------------------------------------------------------------------------- movedim refuses what PyTorch refuses
@pytest.mark.parametrize("source, destination", [(0, 3), ((0, 0), (1, 2)), ((0, 1), (1, 1)), ((0, 1), (1,)),
                                                 ((0,), (0, 1)), (-4, 0)])
def test_movedim_refuses_dims_that_do_not_pair(source, destination):
    """Out of range, repeated, or a source and destination of other lengths: minigan took the dims modulo the rank
    and zipped the lists (a silent other permutation, or StopIteration)."""
    _refused_alike(lambda lib: lib.movedim(lib.ones(2, 3, 4), source, destination))
    _refused_alike(lambda lib: lib.ones(2, 3, 4).moveaxis(source, destination))


def test_movedim_still_moves():
    x = np.arange(24.0).reshape(2, 3, 4)
    for s, d in [(0, -1), ((0, 2), (2, 0)), ((-1,), (0,)), ([1, 0], [0, 2])]:
        assert minigan.from_numpy(x).movedim(s, d).shape == torch.from_numpy(x).movedim(s, d).shape


# ----------------------------------------------------------------------------- inner with other last dims
@pytest.mark.parametrize("a, b", [((2, 5), (1,)), ((5,), (1,)), ((1,), (3, 5)), ((2, 3), (4, 2))])
def test_inner_refuses_last_dims_that_differ(a, b):
    """inner(x, y) contracts the last dims, which must be equal: minigan broadcast a 1 against any size."""
    _refused_alike(lambda lib: lib.inner(lib.ones(*a, dtype=lib.float64), lib.ones(*b, dtype=lib.float64)))


# ----------------------------------------------------------------------------- hstack / vstack of 0-d tensors
@pytest.mark.parametrize("name", ["hstack", "vstack", "dstack", "column_stack"])
def test_stacking_0d_tensors_as_pytorch(name):
    """hstack and vstack make each tensor at least 1-d / 2-d first, as PyTorch's (minigan refused 0-d ones)."""
    ours, theirs = _both(lambda lib: getattr(lib, name)([lib.tensor(1.0, dtype=lib.float64),
                                                         lib.tensor(2.0, dtype=lib.float64)]))
    assert not isinstance(ours, type), ours
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    ours, theirs = _both(lambda lib: getattr(lib, name)([lib.tensor(1.0, dtype=lib.float64),
                                                         lib.ones(1, dtype=lib.float64)]))
    assert not isinstance(ours, type), ours
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


# ----------------------------------------------------------------------------- numpy() under no_grad
def test_numpy_of_a_tensor_requiring_grad_under_no_grad():
    """PyTorch refuses numpy() of a tensor that requires grad only while grad mode is on."""
    def run(lib):
        x = lib.ones(2, dtype=lib.float64, requires_grad=True)
        with lib.no_grad():
            return x.numpy()

    ours, theirs = _both(run)
    assert not isinstance(theirs, type) and not isinstance(ours, type), ours
    np.testing.assert_array_equal(ours, theirs)
    _refused_alike(lambda lib: lib.ones(2, requires_grad=True).numpy())


# ----------------------------------------------------------------------------- keepdim without a dim
@pytest.mark.parametrize("name", ["nansum", "nanmean"])
@pytest.mark.parametrize("shape", [(2, 3), (4,), (2, 1, 3)])
def test_nan_reductions_keep_every_dim_without_a_dim(name, shape):
    """nansum/nanmean(keepdim=True) with no dim keep all dims as ones, as sum and mean do (minigan dropped them)."""
    x = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    x.reshape(-1)[1] = np.nan
    ours, theirs = _both(lambda lib: getattr(lib.tensor(x), name)(keepdim=True))
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy())
    ours, theirs = _both(lambda lib: getattr(lib, name)(lib.tensor(x), keepdim=True))
    assert tuple(ours.shape) == tuple(theirs.shape)


@pytest.mark.parametrize("name", ["max", "min"])
@pytest.mark.parametrize("call", [
    lambda lib, f, x, y: getattr(x, f)(0, other=y), lambda lib, f, x, y: getattr(x, f)(other=y, dim=0),
    lambda lib, f, x, y: getattr(x, f)(y, 0), lambda lib, f, x, y: getattr(x, f)(y, keepdim=True),
    lambda lib, f, x, y: getattr(x, f)(other=y, keepdim=True), lambda lib, f, x, y: getattr(x, f)(0, x2=y),
    lambda lib, f, x, y: getattr(lib, f)(x, 0, other=y), lambda lib, f, x, y: getattr(lib, f)(x, y, 0),
    lambda lib, f, x, y: getattr(lib, f)(x, y, keepdim=True)])
def test_the_elementwise_max_takes_no_dim(name, call):
    """max(other) and min(other) take nothing else: a dim or keepdim beside them is PyTorch's TypeError (minigan
    dropped it and gave the elementwise result); max(other) alone, by either name, runs as PyTorch's."""
    _refused_alike(lambda lib: call(lib, name, lib.ones(2, 3), lib.zeros(2, 3)))
    for alone in (lambda lib: getattr(lib.ones(2, 3), name)(other=lib.zeros(2, 3)),
                  lambda lib: getattr(lib, name)(lib.ones(2, 3), lib.zeros(2, 3))):
        ours, theirs = _both(alone)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("dim", [0, -1, None])
def test_arg_reductions_of_a_0d_tensor_keep_it_0d(name, dim):
    ours, theirs = _both(lambda lib: getattr(lib.tensor(3.0, dtype=lib.float64), name)(dim, True))
    assert tuple(ours.shape) == tuple(theirs.shape) == ()
    ours, theirs = _both(lambda lib: getattr(lib.ones(2, 3, dtype=lib.float64), name)(dim, True))
    assert tuple(ours.shape) == tuple(theirs.shape)


# ----------------------------------------------------------------------------- histc's range when min equals max
@pytest.mark.parametrize("low, high", [(0.0, 0.0), (0.5, 0.5), (1000.0, 1000.0), (-2.0, 3.0)])
def test_histc_uses_the_data_range_when_min_equals_max(low, high):
    x = np.array([1.0, 2.0, 2.5, 4.0, -1.0])
    ours, theirs = _both(lambda lib: lib.tensor(x, dtype=lib.float64).histc(4, low, high))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    ours, theirs = _both(lambda lib: lib.histc(lib.tensor([2.0, 2.0], dtype=lib.float64), 3, low, high))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


# ----------------------------------------------------------------------------- ELU with a non-finite alpha
@pytest.mark.parametrize("name", ["elu", "celu"])
@pytest.mark.parametrize("alpha", [math.nan, INF, -INF, 0.5])
def test_elu_is_x_on_the_positive_side_whatever_alpha(name, alpha):
    """ELU and CELU are x for x > 0: 0·α gave NaN there when α is NaN or ±∞.  Values and gradients as PyTorch's."""
    x = np.array([1.5, 0.25, 0.0, -0.5, -3.0])

    def run(lib):
        t = lib.tensor(x, dtype=lib.float64, requires_grad=True)
        y = getattr(lib.nn.functional, name)(t, alpha)
        with np.errstate(all="ignore"):  # (∞ · 0 on the negative side's backward: NaN there, in both)
            (g,) = lib.autograd.grad(y.sum(), t)
        return y.detach().numpy(), g.numpy()

    (y, g), (ty, tg) = _both(run)
    np.testing.assert_array_equal(y, ty)
    positive = x > 0
    np.testing.assert_array_equal(g[positive], tg[positive])


# ----------------------------------------------------------------------------- logcumsumexp never hands its input back
@pytest.mark.parametrize("shape, dim", [((1, 3), 0), ((3, 1), 1), ((1,), 0), ((), 0)])
def test_logcumsumexp_over_one_entry_is_a_new_tensor(shape, dim):
    """Over a dim of size 1 minigan returned the input itself: a later in-place change of the result changed x."""
    def run(lib):
        x = lib.ones(shape, dtype=lib.float64)
        y = x.logcumsumexp(dim)
        y.add_(1.0)
        return y is x, x.numpy().copy()

    (same, x), (tsame, tx) = _both(run)
    assert same == tsame is False
    np.testing.assert_array_equal(x, tx)


# ----------------------------------------------------------------------------- a dtype a kernel does not take
DTYPE_REFUSALS = {
    "bitwise_and": lambda lib, x, i: lib.bitwise_and(x, x), "bitwise_or": lambda lib, x, i: x.bitwise_or(i),
    "bitwise_xor": lambda lib, x, i: lib.bitwise_xor(i, x), "bitwise_not": lambda lib, x, i: lib.bitwise_not(x),
    "bitwise_left_shift": lambda lib, x, i: x.bitwise_left_shift(x),
    "bitwise_right_shift_": lambda lib, x, i: x.clone().bitwise_right_shift_(i), "and_": lambda lib, x, i: x & i,
    "gelu": lambda lib, x, i: lib.nn.functional.gelu(i), "softmax": lambda lib, x, i: i.softmax(0),
    "log_softmax": lambda lib, x, i: lib.log_softmax(i, 0), "elu": lambda lib, x, i: lib.nn.functional.elu(i),
    "hardswish": lambda lib, x, i: lib.nn.functional.hardswish(i), "glu": lambda lib, x, i: lib.nn.functional.glu(i),
}


@pytest.mark.parametrize("name", sorted(DTYPE_REFUSALS))
def test_a_dtype_the_kernel_does_not_take_raises_pytorchs_class(name):
    """PyTorch raises NotImplementedError ("not implemented for 'Double'"); minigan raised a TypeError only."""
    _refused_alike(lambda lib: DTYPE_REFUSALS[name](lib, lib.ones(4, dtype=lib.float64), lib.ones(4, dtype=lib.int64)))


# ----------------------------------------------------------------------------- normal() with tensors that require grad
@pytest.mark.parametrize("which", ["mean", "std", "both"])
def test_normal_of_tensors_that_require_grad_is_recorded_with_a_zero_gradient(which):
    """PyTorch records the draw (NormalBackward): the result requires grad and mean's and std's gradients are 0;
    minigan's result did not require grad (so autograd.grad through it raised)."""
    def run(lib):
        m = lib.tensor([0.0, 1.0, -2.0], dtype=lib.float64, requires_grad=which != "std")
        s = lib.tensor([1.0, 0.5, 2.0], dtype=lib.float64, requires_grad=which != "mean")
        mean, std = (m, s) if which == "both" else (m, 1.0) if which == "mean" else (0.0, s)
        y = lib.normal(mean, std)
        inputs = [t for t in (m, s) if t.requires_grad]
        return y.requires_grad, [g.numpy() for g in lib.autograd.grad((y * 2.0).sum(), inputs)]

    (rg, grads), (trg, tgrads) = _both(run)
    assert rg == trg is True
    for g, tg in zip(grads, tgrads):
        np.testing.assert_array_equal(g, tg)


# ----------------------------------------------------------------------------- pixel_shuffle is never a view
@pytest.mark.parametrize("name", ["pixel_shuffle", "pixel_unshuffle"])
@pytest.mark.parametrize("r", [1, 2])
@pytest.mark.parametrize("strided", [False, True])
def test_pixel_shuffle_returns_a_new_tensor(name, r, strided):
    """PyTorch's pixel_shuffle copies; minigan's reshapes gave a view of the input where no entry moves (r = 1, or a
    strided input), so a later in-place change of the result changed the input."""
    def run(lib):
        base = lib.arange(2 * 4 * 4 * 8, dtype=lib.float64).reshape(2, 4, 4, 8)
        x = base[..., ::2] if strided else base[..., :4]
        y = getattr(lib.nn.functional, name)(x, r)
        y.add_(1.0)
        return base.numpy().copy()

    ours, theirs = _both(run)
    np.testing.assert_array_equal(ours, theirs)


# ----------------------------------------------------------------------------- nonzero's layout
@pytest.mark.parametrize("name", ["nonzero", "argwhere"])
@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4), (5,), (1, 3)])
def test_nonzero_is_laid_out_as_pytorchs(name, shape):
    """PyTorch's nonzero is (n, ndim) with each dim's indices contiguous (column-major): flatten() of it is a copy and
    view(-1) is refused; minigan's was row-major, so flatten() was a view that a later write went through."""
    x = (np.arange(np.prod(shape)).reshape(shape) % 3 != 1).astype(np.float64)

    def run(lib):
        idx = getattr(lib, name)(lib.tensor(x))
        flat = idx.flatten()
        flat.add_(100)
        return idx.numpy().copy()

    ours, theirs = _both(run)
    np.testing.assert_array_equal(ours, theirs)


# ----------------------------------------------------------------------------- refusals PyTorch makes
REFUSED = {
    "clamp()": lambda lib: lib.ones(2, dtype=lib.float64).clamp(),
    "clamp(None, None)": lambda lib: lib.clamp(lib.ones(2, dtype=lib.int64), None, None),
    "clip()": lambda lib: lib.ones(2, dtype=lib.float64).clip(),
    "clamp_()": lambda lib: lib.ones(2, dtype=lib.float64).clamp_(),
    "retain_grad without requires_grad": lambda lib: lib.ones(2, dtype=lib.float64).retain_grad(),
    "retain_grad of an integer tensor": lambda lib: lib.ones(2, dtype=lib.int64).retain_grad(),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_as_pytorch_refuses(name):
    """clamp with neither bound returned the tensor; retain_grad of a tensor that does not require grad did nothing
    (a later .grad read None without a word)."""
    _refused_alike(REFUSED[name])


# ----------------------------------------------------------------------------- linspace at NaN and ±∞
LINSPACES = [(0.0, INF, 1), (0.0, INF, 3), (math.nan, 1.0, 3), (1.0, math.nan, 4), (-INF, INF, 3), (0.0, 1.0, 5),
             (0.0, 1.0, 2), (INF, INF, 3), (2.0, -3.0, 6), (0.0, 1.0, 0), (-1.5, 2.5, 7)]


@pytest.mark.parametrize("start, end, steps", LINSPACES)
def test_linspace_as_pytorchs_at_special_endpoints(start, end, steps):
    """PyTorch fills the first half from start and the second from end with one step, so a NaN or ∞ step gives NaN
    everywhere and one step gives start; NumPy's linspace sets the last entry to end (NaN step: [nan, nan, end])."""
    ours, theirs = _both(lambda lib: lib.linspace(start, end, steps, dtype=lib.float64))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-15)  # (NaN where PyTorch's are)


def test_linspace_takes_0d_tensor_endpoints_and_refuses_others():
    ours, theirs = _both(lambda lib: lib.linspace(lib.tensor(1.0), lib.tensor(2.0), 5))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    _refused_alike(lambda lib: lib.linspace(0.0, lib.ones(2), 3))


# ----------------------------------------------------------------------------- transposing a 0-d tensor
@pytest.mark.parametrize("name", ["transpose", "swapaxes", "swapdims"])
@pytest.mark.parametrize("dims", [(0, 0), (0, -1), (-1, -1)])
def test_transposing_a_0d_tensor_gives_it_back(name, dims):
    """PyTorch takes dims 0 and -1 of a 0-d tensor (all of it); minigan raised a bare IndexError from a list."""
    ours, theirs = _both(lambda lib: getattr(lib.tensor(3.0, dtype=lib.float64), name)(*dims))
    assert not isinstance(ours, type), ours
    assert ours.shape == () and float(ours) == float(theirs)
    _refused_alike(lambda lib: getattr(lib.tensor(3.0), name)(0, 1))


# ----------------------------------------------------------------------------- cosine_similarity broadcast along dim
@pytest.mark.parametrize("s1, s2, dim", [((4, 4), (4, 1), 1), ((4, 1), (4, 3), 1), ((1, 3), (4, 3), 0),
                                         ((2, 1, 5), (2, 3, 5), 1), ((3, 4), (4,), -1)])
def test_cosine_similarity_broadcasts_before_the_norms(s1, s2, dim):
    """A size-1 dim broadcast along ``dim``: PyTorch broadcasts x1 and x2 first, so ‖x2‖ counts every copy;
    minigan took the norm of the one entry, giving similarities above 1."""
    rng = np.random.default_rng(7)
    a, b = rng.standard_normal(s1), rng.standard_normal(s2)

    def run(lib):
        x1 = lib.tensor(a, dtype=lib.float64, requires_grad=True)
        x2 = lib.tensor(b, dtype=lib.float64, requires_grad=True)
        y = lib.nn.functional.cosine_similarity(x1, x2, dim)
        return [y.detach().numpy()] + [g.numpy() for g in lib.autograd.grad(y.sum(), (x1, x2))]

    for ours, theirs in zip(*_both(run)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------- kl_div's target·log(target)
@pytest.mark.parametrize("reduction", ["none", "sum"])
def test_kl_div_target_log_target_is_pytorchs_xlogy(reduction):
    """PyTorch's pointwise KL is xlogy(t, t) − t·x: 0 where t = 0, NaN where t < 0 or NaN (log of a negative);
    minigan gave 0 for every t ≤ 0 and NaN, so a wrong target passed silently."""
    x0 = np.array([-1.75, -1.0, -0.5, -2.0, -0.25, -INF])
    t0 = np.array([-2.0, 0.0, 0.5, math.nan, INF, 0.25])

    def run(lib):
        x = lib.tensor(x0, dtype=lib.float64, requires_grad=True)
        y = lib.nn.functional.kl_div(x, lib.tensor(t0, dtype=lib.float64), reduction=reduction)
        with np.errstate(all="ignore"):
            (g,) = lib.autograd.grad(y.sum(), x)
        return y.detach().numpy(), g.numpy()

    for ours, theirs in zip(*_both(run)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


# ----------------------------------------------------------------------------- nansum's dtype=


@pytest.mark.parametrize("dtype", [pytest.param(d, marks=NANSUM_INT) for d in ("bool", "int32", "int64")] + ["float32"])
@pytest.mark.parametrize("dim", [None, 0])
def test_nansum_gives_the_dtype_asked_for(dtype, dim):
    """nansum(dtype=) is in that dtype, as sum(dtype=): minigan summed the cast tensor, which gives int64 for bools and
    integers."""
    x = np.array([[1.5, 0.0, -2.0], [0.0, 3.25, 1.0]])

    def run(lib):
        t = lib.tensor(x, dtype=lib.float64)
        r = t.nansum(dtype=getattr(lib, dtype)) if dim is None else lib.nansum(t, dim, dtype=getattr(lib, dtype))
        return str(r.dtype).split(".")[-1], r.tolist()

    ours, theirs = _both(run)
    assert ours == theirs


# ----------------------------------------------------------------------------- ravel is contiguous
@pytest.mark.parametrize("how", ["step", "transposed", "plain", "row"])
def test_ravel_shares_memory_exactly_when_pytorchs_does(how):
    """ravel is contiguous, a copy only when needed: minigan's reshape(-1) kept a strided 1-d tensor as it was (a view
    where PyTorch copies), so a write through the result changed the input."""
    def run(lib):
        base = lib.arange(24.0, dtype=lib.float64)
        x = {"step": base[::2], "transposed": base.reshape(4, 6).t(), "plain": base.reshape(4, 6),
             "row": base.reshape(4, 6)[1]}[how]
        y = x.ravel()
        y.add_(100.0)
        return base.numpy().copy(), lib.ravel(x).numpy().copy()

    for ours, theirs in zip(*_both(run)):
        np.testing.assert_array_equal(ours, theirs)


# ----------------------------------------------------------------------------- prelu keeps the input's shape
@pytest.mark.parametrize("shape", [(), (4,), (2, 3)])
def test_prelu_with_one_weight_keeps_the_shape(shape):
    """A 0-d input with one weight came out of shape (1,): the weight was reshaped to at least one dim."""
    x = np.linspace(-2.0, 1.5, int(np.prod(shape))).reshape(shape)

    def run(lib):
        t = lib.tensor(x, dtype=lib.float64, requires_grad=True)
        w = lib.tensor([0.25], dtype=lib.float64, requires_grad=True)
        y = lib.nn.functional.prelu(t, w)
        return [y.detach().numpy()] + [g.numpy() for g in lib.autograd.grad(y.sum(), (t, w))]

    for ours, theirs in zip(*_both(run)):
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


# ----------------------------------------------------------------------------- linalg.diagonal is a view
@pytest.mark.parametrize("offset, dim1, dim2", [(0, -2, -1), (1, -2, -1), (-1, -2, -1), (0, 0, 2), (2, 1, 0),
                                                (-3, -1, -2), (5, -2, -1)])
def test_linalg_diagonal_is_a_view_as_pytorchs(offset, dim1, dim2):
    """PyTorch's linalg.diagonal is a view (a write through it reaches A); minigan's indexed a copy.  Values and
    gradients as PyTorch's."""
    def run(lib):
        a = lib.arange(2 * 3 * 4, dtype=lib.float64).reshape(2, 3, 4)
        d = lib.linalg.diagonal(a, offset=offset, dim1=dim1, dim2=dim2)
        values = d.numpy().copy()
        d.add_(100.0)
        leaf = lib.arange(24.0, dtype=lib.float64).reshape(2, 3, 4).requires_grad_()
        w = lib.arange(1.0, 1.0 + d.numel(), dtype=lib.float64).reshape(d.shape)
        (g,) = lib.autograd.grad((lib.linalg.diagonal(leaf, offset=offset, dim1=dim1, dim2=dim2) * w).sum(), leaf)
        return values, a.numpy().copy(), g.numpy()

    for ours, theirs in zip(*_both(run)):
        np.testing.assert_array_equal(ours, theirs)


def test_linalg_diagonal_refuses_as_pytorch():
    _refused_alike(lambda lib: lib.linalg.diagonal(lib.ones(3, 3), dim1=0, dim2=0))
    _refused_alike(lambda lib: lib.linalg.diagonal(lib.ones(3)))
    _refused_alike(lambda lib: lib.linalg.diagonal(lib.tensor(1.0)))


# ----------------------------------------------------------------------------- nan_to_num with non-finite replacements
@pytest.mark.parametrize("nan, posinf, neginf", [(INF, 0.5, 2.0), (-INF, None, INF), (0.0, math.nan, -INF),
                                                 (math.nan, -INF, None), (1.0, 2.0, 3.0)])
def test_nan_to_num_replaces_only_what_was_there(nan, posinf, neginf):
    """Each replacement goes where the input had NaN, +∞ or −∞: NaN → ∞ was then replaced again as a +∞ (so
    nan_to_num(nan=inf, posinf=0.5) gave 0.5 for a NaN)."""
    x = np.array([-1.0, -INF, math.nan, INF, 0.25])

    def run(lib):
        t = lib.tensor(x, dtype=lib.float64, requires_grad=True)
        y = lib.nan_to_num(t, nan, posinf, neginf)
        w = lib.tensor([0.5, 0.25, 1.0, 0.75, 0.125], dtype=lib.float64)  # (≤ 1: the largest float times them)
        (g,) = lib.autograd.grad((y * w).sum(), t)
        return y.detach().numpy(), g.numpy()

    for ours, theirs in zip(*_both(run)):
        np.testing.assert_array_equal(ours, theirs)


# ----------------------------------------------------------------------------- chunk of an empty dim
@pytest.mark.parametrize("shape, chunks, dim", [((0, 3), 3, 0), ((0, 3), 1, 0), ((3, 0), 2, 1), ((2, 0, 4), 4, 1)])
def test_chunk_of_an_empty_dim_gives_pytorchs_chunks(shape, chunks, dim):
    """PyTorch gives ``chunks`` empty pieces; minigan gave none (so unpacking them failed)."""
    ours, theirs = _both(lambda lib: [tuple(c.shape) for c in lib.chunk(lib.ones(shape), chunks, dim)])
    assert ours == theirs


# ----------------------------------------------------------------------------- dims given as lists
def test_count_nonzero_takes_a_list_of_dims():
    """count_nonzero(x, [0, 1]) counts over both, as PyTorch's (NumPy refused the list)."""
    x = np.array([[[1.0, 0.0], [2.0, 3.0]], [[0.0, 0.0], [4.0, 0.0]]])
    for dims in ([0, 1], [-1, 0], (1, 2), [2]):
        ours, theirs = _both(lambda lib, dims=dims: lib.count_nonzero(lib.tensor(x), dims).tolist())
        assert ours == theirs
    _refused_alike(lambda lib: lib.count_nonzero(lib.tensor(x), [0, 0]))


def test_roll_without_dims_takes_one_shift_in_a_list():
    """roll(x, [1]) rolls the flattened tensor, as PyTorch's; roll(x, [1, 2]) without dims is refused."""
    x = np.arange(12.0).reshape(3, 4)
    ours, theirs = _both(lambda lib: lib.roll(lib.tensor(x), [1]).tolist())
    assert ours == theirs
    _refused_alike(lambda lib: lib.roll(lib.tensor(x), [1, 2]))
