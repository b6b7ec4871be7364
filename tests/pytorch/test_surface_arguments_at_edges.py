"""Arguments at their edges, each checked as a class against PyTorch float64: thresholds and bins, n=0, infinite
tolerances, second orders, integer tensors given to losses, PyTorch's keyword names, empty and 0-d tensors, bool and
unsigned reductions, the result's layout.  Found by the whole-surface random programs
(tests/pytorch/surface_programs.py) in a held-out slice: silent values first, then refusals and exception types.

(Its torch-free tests: tests/library/test_surface_arguments_at_edges.py.)"""

import math

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome
from pytorch.oracle import CLAMP_AT_A_BOUND, pytorch_since

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

MSE_MIXED = pytorch_since("2.12", "mse_loss differentiates an input whose target has another dtype")

INF, NAN = math.inf, math.nan


def _np(t):
    return t.detach().cpu().numpy() if hasattr(t, "cpu") else np.asarray(t.numpy())


def _same(a, b):
    np.testing.assert_allclose(np.asarray(_np(a), dtype=float), np.asarray(_np(b), dtype=float), rtol=1e-12,
                               atol=1e-300, equal_nan=True)


# ----------------------------------------------------------------------------- softplus with any threshold
# PyTorch computes log1p(exp(βx)) / β wherever βx <= threshold (and x above it): with a threshold above where exp
# overflows (or NaN, which no βx exceeds) a large βx gives inf, and the gradient there is NaN.
@pytest.mark.parametrize("beta, threshold", [(1000.0, NAN), (1000.0, 1e10), (2.0, 800.0), (0.5, -3.0), (3.0, 20.0)])
def test_softplus_any_threshold_as_pytorch(beta, threshold):
    values = np.array([-800.0, -2.0, -1e-3, 0.0, 0.4, 1.223, 30.0, 500.0, INF, -INF])
    results = []
    for lib in (torch, minigan):
        x = lib.tensor(values, dtype=lib.float64, requires_grad=True)
        with np.errstate(over="ignore", invalid="ignore"):  # (e^(βx) overflowing warns, as minigan's exp does)
            y = lib.nn.functional.softplus(x, beta=beta, threshold=threshold)
            (g,) = lib.autograd.grad(y.sum(), x)
        results.append((y, g))
    _same(results[0][0], results[1][0])
    _same(results[0][1], results[1][1])


# ----------------------------------------------------------------------------- histc's bins
# PyTorch puts x in bin int((x − min) · bins / (max − min)) computed in the input's dtype (the last bin holds max):
# where that rounds differently from NumPy's histogram, a count moves to the next bin.
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("bins, low, high", [(100, 0, 0), (7, -1.5, 2.0), (33, 0, 0), (10, -3.3, 0.7)])
def test_histc_bins_as_pytorch(dtype, bins, low, high):
    rng = np.random.default_rng(bins)
    for _ in range(30):
        values = rng.standard_normal(int(rng.integers(1, 300))) * float(rng.choice([1.0, 1.7, 3.1]))
        values = np.round(values, int(rng.integers(1, 4)))
        ours = minigan.tensor(values, dtype=getattr(minigan, dtype)).histc(bins, low, high)
        theirs = torch.tensor(values, dtype=getattr(torch, dtype)).histc(bins, low, high)
        assert _np(ours).dtype == _np(theirs).dtype
        np.testing.assert_array_equal(_np(ours), _np(theirs))


# ----------------------------------------------------------------------------- diff with n=0
def test_diff_zero_times_is_a_new_tensor():
    for lib in (torch, minigan):
        x = lib.tensor([1.0, 2.0, 4.0], dtype=lib.float64, requires_grad=True)
        for y in (lib.diff(x, 0), x.diff(n=0)):
            assert y is not x
            assert y.requires_grad and not y.is_leaf
            with lib.no_grad():
                y.add_(1.0)
            np.testing.assert_array_equal(_np(x), [1.0, 2.0, 4.0])  # (a copy: x is not written through)


# ----------------------------------------------------------------------------- isclose with infinite tolerances
# PyTorch: equal entries are close; others only where |a − b| is finite and <= atol + rtol·|b|, so an infinite
# entry against a finite one, or +inf against −inf, is never close, whatever the tolerances.
@pytest.mark.parametrize("rtol", [0.0, 1e-5, 0.1, 1e300, INF])
@pytest.mark.parametrize("atol", [0.0, 1e-8, INF])
@pytest.mark.parametrize("equal_nan", [False, True])
def test_isclose_infinite_tolerances_as_pytorch(rtol, atol, equal_nan):
    specials = [INF, -INF, NAN, 1.0, 2.0, -1e308, 0.0]
    a = np.array([x for x in specials for _ in specials])
    b = np.array([y for _ in specials for y in specials])
    results = []
    for lib in (torch, minigan):
        x, y = lib.tensor(a, dtype=lib.float64), lib.tensor(b, dtype=lib.float64)
        results.append((_np(lib.isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan)),
                        lib.allclose(x[:8], y[:8], rtol=rtol, atol=atol, equal_nan=equal_nan),
                        lib.allclose(x[3:5], y[3:5], rtol=rtol, atol=atol, equal_nan=equal_nan)))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    assert results[0][1:] == results[1][1:]


# ----------------------------------------------------------------------------- logaddexp's second order
# PyTorch differentiates its formula d/da = 1/(1 + e^(b − a)): where an input is infinite, or a − b overflows e^, the
# second order is NaN (inf/inf), and 0·(−inf) signs follow it.
def test_logaddexp_second_order_as_pytorch():
    va = np.array([0.5, -1.2, INF, -INF, 3.0, INF, -INF, 0.0, 1e3, 2.0])
    vb = np.array([[1.5, 2.0, 1.0, 1.0, INF, INF, -INF, 0.0, -1e3, 2.0]]).repeat(2, 0)
    w = np.linspace(-1, 1, 20).reshape(2, 10)
    results = []
    for lib in (torch, minigan):
        a = lib.tensor(va, dtype=lib.float64, requires_grad=True)
        b = lib.tensor(vb, dtype=lib.float64, requires_grad=True)
        with np.errstate(all="ignore"):
            y = lib.logaddexp(a, b)
            ga, gb = lib.autograd.grad((y * lib.tensor(w)).sum(), [a, b], create_graph=True)
            second = lib.autograd.grad((ga * ga).sum() + (gb * lib.tensor(w)).sum(), [a, b])
        results.append([y, ga, gb, *second])
    for ours, theirs in zip(results[1], results[0]):
        _same(theirs, ours)


# ----------------------------------------------------------------------------- addcdiv's second order
# PyTorch's d/dtensor2 = −value·tensor1/(tensor2·tensor2): differentiated again where tensor2 is infinite it is NaN
# (∞/∞), where a division composed would give 0; the in-place form the same.
@pytest.mark.parametrize("in_place", [False, True])
def test_addcdiv_second_order_as_pytorch(in_place):
    v1, v2 = np.array([[1.5, -2.0, 3.0, 0.5, 4.0]]), np.array([2.0, -0.5, INF, -INF, 1e-3])
    w = np.linspace(-1, 1, 10).reshape(2, 5)
    results = []
    for lib in (torch, minigan):
        x = lib.tensor(np.ones((2, 5)), dtype=lib.float64)
        t1 = lib.tensor(v1, dtype=lib.float64, requires_grad=True)
        t2 = lib.tensor(v2, dtype=lib.float64, requires_grad=True)
        with np.errstate(all="ignore"):
            y = x.addcdiv_(t1, t2, value=0.7) if in_place else lib.addcdiv(x, t1, t2, value=0.7)
            g1, g2 = lib.autograd.grad((y * lib.tensor(w)).sum(), [t1, t2], create_graph=True)
            second = lib.autograd.grad((g1 * g1).sum() + (g2 * lib.tensor(w)).sum(), [t1, t2])
        results.append([y, g1, g2, *second])
    for ours, theirs in zip(results[1], results[0]):
        _same(theirs, ours)


# ----------------------------------------------------------------------------- losses given integer tensors
# PyTorch composes these of ops that promote: an integer tensor beside a floating one is taken in their common dtype,
# and (for the first five) integers alone give the default float dtype; a bool pair, or integers alone in the others,
# are refused by both.
INT_VALUES, OTHER_INTS = np.array([[1, 2, 3], [0, -1, 2]]), np.array([[2, -1, 0], [1, 1, -1]])
FLOAT_VALUES = np.array([[0.5, 1.5, 2.0], [1.0, 2.0, 0.3]])
LOSSES = {
    "poisson_nll_loss": lambda F, a, b: F.poisson_nll_loss(a, b),
    "margin_ranking_loss": lambda F, a, b: F.margin_ranking_loss(a, b, b.sign()),
    "pairwise_distance": lambda F, a, b: F.pairwise_distance(a, b),
    "triplet_margin_loss": lambda F, a, b: F.triplet_margin_loss(a, b, b * 2),
    "cosine_embedding_loss": lambda F, a, b: F.cosine_embedding_loss(a, b, b[:, 0].sign()),
    "cosine_similarity": lambda F, a, b: F.cosine_similarity(a, b),
    "hinge_embedding_loss": lambda F, a, b: F.hinge_embedding_loss(a, b),
    "soft_margin_loss": lambda F, a, b: F.soft_margin_loss(a, b),
    "multilabel_soft_margin_loss": lambda F, a, b: F.multilabel_soft_margin_loss(a, b),
    "mse_loss": lambda F, a, b: F.mse_loss(a, b),
    "l1_loss": lambda F, a, b: F.l1_loss(a, b),
    "smooth_l1_loss": lambda F, a, b: F.smooth_l1_loss(a, b),
}


def _loss_run(lib, name, first, second):
    made = []
    for kind, values in ((first, INT_VALUES), (second, OTHER_INTS)):
        if kind == "float64":
            values = FLOAT_VALUES if values is INT_VALUES else FLOAT_VALUES[::-1].copy()
        made.append(lib.tensor(values if kind != "bool" else values > 0, dtype=getattr(lib, kind),
                               requires_grad=kind == "float64"))
    out = outcome(lambda: LOSSES[name](lib.nn.functional, *made))
    if isinstance(out, Exception):
        return type(out)
    grads = lib.autograd.grad(out.sum(), [t for t in made if t.requires_grad]) if out.requires_grad else ()
    return out, grads


def _loss_cases():
    """Every loss with every pair of kinds; margin_ranking_loss's gradient at its kink (ties, margin 0) is clamp_min's
    at its bound, 1 in PyTorch 2.13 (the oracle's, which minigan keeps) and 0 from 2.14."""
    kinds = [("int64", "int64"), ("int64", "float64"), ("float64", "int64"), ("bool", "bool")]
    return [pytest.param(k, n, marks=[CLAMP_AT_A_BOUND] if n == "margin_ranking_loss" and "float64" in k else
                         [MSE_MIXED] if n == "mse_loss" and "float64" in k else [],
                         id=f"kinds{i}-{n}") for i, k in enumerate(kinds) for n in sorted(LOSSES)]


@pytest.mark.parametrize("kinds, name", _loss_cases())
def test_losses_of_integer_tensors_as_pytorch(name, kinds):
    theirs, ours = _loss_run(torch, name, *kinds), _loss_run(minigan, name, *kinds)
    if isinstance(theirs, type):
        assert isinstance(ours, type), f"minigan ran where PyTorch raised {theirs.__name__}"
        return
    assert not isinstance(ours, type), f"minigan raised {ours.__name__} where PyTorch ran"
    assert str(ours[0].dtype).split(".")[-1] == str(theirs[0].dtype).split(".")[-1]
    if str(ours[0].dtype).endswith("float32") or name == "poisson_nll_loss" and kinds[0] == "int64":
        # (float32 arithmetic, to its precision: integers alone, or exp of an integer input, in both libraries)
        np.testing.assert_allclose(_np(ours[0]), _np(theirs[0]), rtol=1e-6)
        return
    _same(theirs[0], ours[0])
    for g_theirs, g_ours in zip(theirs[1], ours[1]):
        _same(g_theirs, g_ours)


# ----------------------------------------------------------------------------- PyTorch's keyword names
# Each argument can be given by the name PyTorch's signature gives it (inspect / the signature survey):
# x.permute(dims=), x.repeat(repeats=), x.expand(size=, implicit=), x.reshape(shape=), x.uniform_(from=, to=).
KEYWORD_CALLS = {
    "permute(dims=)": lambda x: x.permute(dims=(2, 0, 1)),
    "repeat(repeats=)": lambda x: x.repeat(repeats=(1, 2, 1, 1)),
    "expand(size=)": lambda x: x[:, :1].expand(size=(2, 3, 4)),
    "expand(implicit=)": lambda x: x[:, :1].expand((2, 3, 4), implicit=False),
    "expand(*sizes, implicit=)": lambda x: x[:, :1].expand(2, 3, 4, implicit=True),
    "reshape(shape=)": lambda x: x.reshape(shape=(4, 6)),
}


@pytest.mark.parametrize("call", sorted(KEYWORD_CALLS))
def test_keyword_names_as_pytorch(call):
    values = np.arange(24.0).reshape(2, 3, 4)
    theirs = KEYWORD_CALLS[call](torch.tensor(values, dtype=torch.float64))
    ours = KEYWORD_CALLS[call](minigan.tensor(values, dtype=minigan.float64))
    assert tuple(ours.shape) == tuple(theirs.shape)
    _same(theirs, ours)


def test_uniform_takes_from_and_to_by_name():
    minigan.manual_seed(3)
    by_name = minigan.zeros(50, dtype=minigan.float64).uniform_(**{"from": 2.0, "to": 3.0})
    minigan.manual_seed(3)
    by_position = minigan.zeros(50, dtype=minigan.float64).uniform_(2.0, 3.0)
    np.testing.assert_array_equal(by_name.numpy(), by_position.numpy())
    assert torch.zeros(3).uniform_(**{"from": 2.0, "to": 3.0}).min() >= 2.0  # (PyTorch's names)


# ----------------------------------------------------------------------------- amin/amax of bools and empties, take
# amin of a bool or unsigned tensor is its least entry (−x, which the maximum of negatives relies on, would wrap);
# an empty tensor reduced along a dimension of nonzero size is an empty result (only reducing a size-0 dim is
# refused); take reads a negative index from the end of the flattened input, as PyTorch's.
REDUCTIONS = {
    "amin": lambda x: x.amin(), "amax": lambda x: x.amax(), "amin(1)": lambda x: x.amin(1),
    "amax(0, keepdim)": lambda x: x.amax(0, keepdim=True), "amin((0, 1))": lambda x: x.amin((0, 1)),
}


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int64", "float64"])
@pytest.mark.parametrize("call", sorted(REDUCTIONS))
def test_amin_amax_of_every_dtype_as_pytorch(dtype, call):
    values = np.array([[3, 0, 7], [5, 2, 9]])
    results = []
    for lib in (torch, minigan):
        x = lib.tensor(values if dtype != "bool" else values > 2, dtype=getattr(lib, dtype))
        results.append(REDUCTIONS[call](x))
    assert str(results[1].dtype).split(".")[-1] == str(results[0].dtype).split(".")[-1]
    np.testing.assert_array_equal(_np(results[1]), _np(results[0]))


@pytest.mark.parametrize("call", ["amax(1)", "amin(1)", "amax(0)", "amin()", "amax((1, 2))"])
def test_reductions_of_empty_tensors_as_pytorch(call):
    outcomes = []
    for lib in (torch, minigan):
        x = lib.zeros((0, 3, 2), dtype=lib.float64)
        dims = eval(call[4:])  # noqa: S307  (the dims written in the parameter's name)
        fn = getattr(x, call[:4])
        try:
            out = fn() if dims == () else fn(dims)
            outcomes.append(("ran", tuple(out.shape)))
        except (RuntimeError, IndexError, ValueError) as e:
            outcomes.append(("raised", type(e).__mro__[-2].__name__))
    assert outcomes[0][0] == outcomes[1][0] and (outcomes[0][0] == "raised" or outcomes[0] == outcomes[1])


def test_take_reads_negative_indices_from_the_end():
    values, index = np.arange(12.0).reshape(3, 4), np.array([[-1, 0], [-12, 5]])
    results = []
    for lib in (torch, minigan):
        x = lib.tensor(values, dtype=lib.float64, requires_grad=True)
        out = x.take(lib.tensor(index))
        (g,) = lib.autograd.grad((out * lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64)).sum(), x)
        results.append((out, g))
    _same(results[0][0], results[1][0])
    _same(results[0][1], results[1][1])
    with pytest.raises(IndexError):
        minigan.tensor(values).take(minigan.tensor([-13]))


# ----------------------------------------------------------------------------- F.elu_'s kernel arguments
# PyTorch's F.elu_ is its kernel: elu_(input, alpha, scale, input_scale), x·scale where x > 0 and
# scale·α(e^(x·input_scale) − 1) elsewhere; a program may give the extra two by position.
@pytest.mark.parametrize("args", [(1.0, True), (2.0, 3.0, 0.5), (0.5, 1.0, 1.0), (1.5,)])
def test_elu_in_place_takes_the_kernel_arguments(args):
    values = np.array([-3.0, -0.5, 0.0, 0.7, 2.0])
    results = []
    for lib in (torch, minigan):
        leaf = lib.tensor(values, dtype=lib.float64, requires_grad=True)
        y = lib.nn.functional.elu_(leaf * 1.0, *args)
        (g,) = lib.autograd.grad((y * lib.tensor(np.arange(1.0, 6.0))).sum(), leaf)
        results.append((y, g))
    _same(results[0][0], results[1][0])
    _same(results[0][1], results[1][1])


# ----------------------------------------------------------------------------- index ops on a 0-d tensor
# PyTorch takes a 0-d tensor as a vector of one along dim 0 (or −1) in the index and scatter ops; the result is 0-d.
ZERO_D = {
    "index_fill": lambda L, x, i, s: x.index_fill(0, i, 7.0),
    "index_fill(-1)": lambda L, x, i, s: x.index_fill(-1, i, 7.0),
    "index_copy": lambda L, x, i, s: x.index_copy(0, i, s),
    "index_add": lambda L, x, i, s: x.index_add(0, i, s, alpha=2.0),
    "index_select": lambda L, x, i, s: x.index_select(0, i),
    "gather": lambda L, x, i, s: x.gather(0, i.reshape(())),
    "scatter": lambda L, x, i, s: x.scatter(0, i.reshape(()), s),
    "scatter(value)": lambda L, x, i, s: x.scatter(0, i.reshape(()), 4.0),
    "scatter_add": lambda L, x, i, s: x.scatter_add(0, i.reshape(()), s),
}


@pytest.mark.parametrize("call", sorted(ZERO_D))
def test_index_ops_on_a_zero_d_tensor_as_pytorch(call):
    results = []
    for lib in (torch, minigan):
        x = lib.tensor(3.0, dtype=lib.float64, requires_grad=True)
        s = lib.tensor(5.0, dtype=lib.float64, requires_grad=True)
        out = ZERO_D[call](lib, x * 1.0, lib.tensor([0]), s * 1.0)
        grads = lib.autograd.grad(out * 2.5, [x, s], allow_unused=True)
        results.append((out, [0.0 if g is None else g for g in grads]))
    assert tuple(results[1][0].shape) == tuple(results[0][0].shape) == ()
    _same(results[0][0], results[1][0])
    for g_theirs, g_ours in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(float(g_ours), float(g_theirs))


# ----------------------------------------------------------------------------- class weights, nan_to_num(nan=None)
# A class weight of another length than the classes is refused with PyTorch's class (RuntimeError), not an IndexError
# from reading past it; nan_to_num takes None for nan as the default 0, as PyTorch's.
@pytest.mark.parametrize("loss", ["nll_loss", "cross_entropy"])
@pytest.mark.parametrize("classes", [2, 4])
def test_class_weight_of_another_length_is_refused_as_pytorch(loss, classes):
    for lib in (torch, minigan):
        logits = lib.tensor(np.linspace(-1, 1, 6).reshape(2, 3), dtype=lib.float64)
        with pytest.raises(RuntimeError) as caught:
            getattr(lib.nn.functional, loss)(logits, lib.tensor([0, 2]), weight=lib.ones(classes, dtype=lib.float64))
        assert not isinstance(caught.value, IndexError)


def test_nan_to_num_takes_none_for_nan():
    values = np.array([NAN, INF, -INF, 1.5])
    for kwargs in ({"nan": None}, {"nan": None, "posinf": NAN, "neginf": 0.1}):
        theirs = torch.tensor(values).nan_to_num(**kwargs)
        _same(theirs, minigan.tensor(values).nan_to_num(**kwargs))
        _same(theirs, minigan.nan_to_num(minigan.tensor(values), **kwargs))


# ----------------------------------------------------------------------------- dropout's early return
# PyTorch's dropout returns its input itself, any dtype, when not training, with p = 0, or for an empty tensor; an
# integer tensor it would draw a mask for is refused (a RuntimeError).
@pytest.mark.parametrize("dtype", ["float64", "int64"])
@pytest.mark.parametrize("kwargs, shape", [({"training": False}, (2, 3)), ({"p": 0.0}, (2, 3)), ({}, (0, 3)),
                                           ({"p": 0.3}, (2, 3))])
def test_dropout_returns_its_input_as_pytorch(dtype, kwargs, shape):
    outcomes = []
    for lib in (torch, minigan):
        x = lib.ones(shape, dtype=getattr(lib, dtype))
        try:
            outcomes.append(lib.nn.functional.dropout(x, **kwargs) is x)
        except RuntimeError:
            outcomes.append("refused")
    assert outcomes[0] == outcomes[1]


def test_cosine_embedding_loss_refuses_a_target_of_more_dims_as_pytorch():
    for lib in (torch, minigan):
        x = lib.tensor(np.linspace(-1, 1, 6).reshape(2, 3), dtype=lib.float64)
        with pytest.raises(RuntimeError):
            lib.nn.functional.cosine_embedding_loss(x, x * 2, lib.ones(2, 1, dtype=lib.float64))


# ----------------------------------------------------------------------------- more keyword names, feature dropout
def test_copy_and_resize_take_pytorchs_keyword_names():
    values = np.arange(6.0).reshape(2, 3)
    for lib in (torch, minigan):
        x = lib.zeros(2, 3, dtype=lib.float64)
        x.copy_(other=lib.tensor(values, dtype=lib.float64))
        np.testing.assert_array_equal(_np(x), values)
        assert tuple(x.resize_(size=(3, 2)).shape) == (3, 2)


@pytest.mark.parametrize("name, shape", [("dropout1d", (2, 3, 4)), ("dropout2d", (2, 3, 4, 4)), ("dropout1d", (2, 3)),
                                         ("dropout1d", (0, 3))])
def test_feature_dropout_not_training_returns_an_integer_input_as_pytorch(name, shape):
    same = []  # (an unbatched (C, L) input to dropout1d: PyTorch's result is a view of it, not the input itself)
    for lib in (torch, minigan):
        x = lib.ones(shape, dtype=lib.int64)
        same.append(getattr(lib.nn.functional, name)(x, training=False) is x)
    assert same[0] == same[1]


@pytest.mark.parametrize("init", ["kaiming_normal_", "kaiming_uniform_"])
def test_kaiming_init_of_a_zero_element_tensor_is_a_no_op_as_pytorch(init):
    for lib in (torch, minigan):
        x = lib.zeros(0, 3)
        with pytest.warns(UserWarning, match="zero-element"):
            assert getattr(lib.nn.init, init)(x) is x


# ----------------------------------------------------------------------------- sort's result layout
# PyTorch's sort and argsort lay their results out in the order of the input's strides (a permuted or sliced input
# too), but row-major for an expanded input, whose zero strides it does not order by.
LAYOUTS = {
    "expanded": lambda t: t[:1].expand(3, 4, 5), "permuted": lambda t: t.permute(2, 0, 1),
    "sliced": lambda t: t[:, ::2], "permuted slice": lambda t: t.permute(1, 0, 2)[::2], "plain": lambda t: t,
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("fn", ["sort", "argsort"])
def test_sort_result_layout_as_pytorch(layout, fn):
    values = np.random.default_rng(5).standard_normal((3, 4, 5))
    contiguous = []
    for lib in (torch, minigan):
        out = getattr(LAYOUTS[layout](lib.tensor(values, dtype=lib.float64)), fn)(1)
        contiguous.append([t.is_contiguous() for t in (out if fn == "sort" else (out,))])
    assert contiguous[0] == contiguous[1]


@pytest.mark.parametrize("dtype", ["bool", "uint8"])
@pytest.mark.parametrize("call", ["min()", "max()", "min(1)", "min(0, keepdim)"])
def test_min_of_bool_and_unsigned_tensors_as_pytorch(dtype, call):
    values = np.array([[3, 0, 7], [5, 2, 9]])
    fns = {"min()": lambda x: x.min(), "max()": lambda x: x.max(), "min(1)": lambda x: x.min(1)[0],
           "min(0, keepdim)": lambda x: x.min(0, keepdim=True)[0]}
    results = [fns[call](lib.tensor(values if dtype != "bool" else values > 2, dtype=getattr(lib, dtype)))
               for lib in (torch, minigan)]
    assert str(results[1].dtype).split(".")[-1] == str(results[0].dtype).split(".")[-1]
    np.testing.assert_array_equal(_np(results[1]), _np(results[0]))
