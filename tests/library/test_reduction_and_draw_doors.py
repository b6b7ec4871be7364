"""The doors of the reductions, order statistics, nn.init, nn.utils' parameter vectors and the random draws, stated
without PyTorch: the exception classes PyTorch's documentation and kernels give, closed forms, and the gradient of
cumprod against finite differences.  (Each is compared with PyTorch float64 in tests/pytorch/test_reduction_doors.py,
test_init.py, test_parameters.py and test_random.py.)"""

import math
import warnings

import numpy as np
import pytest

import minigan


def test_an_empty_dim_has_no_entry_to_pick_but_an_empty_result_is_fine():
    x = minigan.zeros(3, 0)
    with pytest.raises(IndexError, match="size 0"):
        x.median(1)
    with pytest.raises(IndexError, match="size 0"):
        x.kthvalue(1, 1)
    values, indices = x.median(0)  # (reduced along the dim of size 3: an empty result)
    assert tuple(values.shape) == tuple(indices.shape) == (0,)
    for fn in ("argmax", "argmin"):
        assert tuple(getattr(x, fn)(0).shape) == (0,)
    assert tuple(x.max(0).values.shape) == (0,) and tuple(x.amin(0).shape) == (0,)
    with pytest.raises(IndexError):
        x.argmax(1)


def test_a_0d_tensor_is_its_own_top_entry_and_has_dims_minus_1_and_0_only():
    x = minigan.tensor(2.5, requires_grad=True)
    values, indices = x.topk(0)
    assert values.item() == 2.5 and indices.item() == 0 and values.requires_grad
    for call in (lambda: x.topk(1, 1), lambda: x.cummax(1), lambda: minigan.cumprod(x, -2),
                 lambda: minigan.logcumsumexp(x, 1), lambda: x.kthvalue(1, 2)):
        with pytest.raises(IndexError):
            call()
    with pytest.raises(RuntimeError):
        x.topk(2)


def test_median_and_kthvalue_of_bools_are_not_implemented_but_a_0d_bool_is_its_own_kth_value():
    b = minigan.tensor([True, False, True])
    for call in (lambda: b.median(), lambda: b.median(0), lambda: b.kthvalue(1)):
        with pytest.raises(NotImplementedError):
            call()
    assert minigan.tensor(True).kthvalue(1).values.item() is True


def test_median_of_no_entries_is_nan_in_its_dtype_and_records_the_graph():
    x = minigan.zeros(0, requires_grad=True)
    m = x.median()
    assert math.isnan(m.item()) and m.requires_grad
    assert minigan.zeros(0, dtype=minigan.bool).median().item() is True  # (NaN converted to bool)


@pytest.mark.parametrize("correction", [0, 1, 2, -1.5, -math.inf])
def test_variance_of_no_entries_is_nan_whatever_the_correction(correction):
    x = minigan.zeros(0, 3, dtype=minigan.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert bool(minigan.isnan(x.var(0, correction=correction)).all())
        assert math.isnan(x.std(correction=correction).item())


def test_nansum_counts_nan_as_zero_before_an_integer_dtype():
    x = minigan.tensor([1.5, math.nan, 2.7, -0.5], dtype=minigan.float64)
    assert minigan.nansum(x, dtype=minigan.int64).item() == 1 + 2 + 0  # each entry truncated, NaN as 0


def test_an_integer_dtype_of_an_input_recording_a_gradient_is_refused():
    x = minigan.ones(3, requires_grad=True)
    for call in (lambda: x.sum(dtype=minigan.int64), lambda: minigan.sum(x, 0, dtype=minigan.int32)):
        with pytest.raises(RuntimeError):
            call()
    with minigan.no_grad():
        assert x.sum(dtype=minigan.int64).item() == 3


def _finite_differences(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up) - f(down)) / (2 * eps)
    return grad


@pytest.mark.parametrize("values", [[[0.5, -1.25, 2.0], [3.0, 0.25, -0.75]],
                                    [[0.0, 2.0, 0.0, 3.0], [1.5, 0.0, -2.0, 0.5]],
                                    [[1.0, 2.0], [0.0, 3.0], [4.0, 0.0]]])
@pytest.mark.parametrize("dim", [0, 1])
@pytest.mark.parametrize("create_graph", [False, True])
def test_cumprod_gradient_with_and_without_zeros_is_the_finite_differences(values, dim, create_graph):
    a = np.array(values)
    weights = np.arange(1, a.size + 1, dtype=float).reshape(a.shape) * 0.5
    x = minigan.tensor(a, requires_grad=True)
    g, = minigan.autograd.grad((minigan.cumprod(x, dim) * minigan.tensor(weights)).sum(), x, create_graph=create_graph)
    expected = _finite_differences(lambda v: float((np.cumprod(v, axis=dim) * weights).sum()), a)
    np.testing.assert_allclose(g.detach().numpy(), expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("value, dtype", [(math.inf, "int64"), (math.nan, "int32"), (1e30, "int64"), (300, "uint8"),
                                          (1e39, "float32")])
def test_a_fill_that_its_dtype_cannot_hold_is_a_runtime_error(value, dtype):
    t = minigan.zeros(3, dtype=getattr(minigan, dtype))
    for call in (lambda: t.fill_(value), lambda: minigan.nn.init.constant_(t, value)):
        with pytest.raises(RuntimeError, match="without overflow"):
            call()
    assert minigan.zeros(2, dtype=minigan.uint8).fill_(-1).tolist() == [255, 255]  # (PyTorch's wrap-around)


def test_draws_into_no_entries_and_the_uniform_dtype_check():
    for d in (minigan.int64, minigan.bool):
        assert minigan.zeros(0, 3, dtype=d).normal_().dtype == d  # (no entries: the kernel is never reached)
        with pytest.raises(NotImplementedError):
            minigan.zeros(0, dtype=d).uniform_()
        with pytest.raises(NotImplementedError):
            minigan.zeros(2, dtype=d).normal_()
    with pytest.raises(NotImplementedError):
        minigan.zeros(2, dtype=minigan.int64).uniform_(1000.0, 1.0)  # (the dtype before the bounds)


@pytest.mark.parametrize("call, error", [
    (lambda: minigan.randint(2, 3, (4,), dtype=minigan.bool), RuntimeError),
    (lambda: minigan.randint(0, 300, (4,), dtype=minigan.uint8), RuntimeError),
    (lambda: minigan.randint(-1, 1, (0,), dtype=minigan.uint8), RuntimeError),
    (lambda: minigan.randperm(3, dtype=minigan.bool), NotImplementedError),
    (lambda: minigan.randperm(257, dtype=minigan.uint8), RuntimeError),
    (lambda: minigan.randperm(2050, dtype=minigan.float16), RuntimeError),
    (lambda: minigan.randperm(-1), RuntimeError),
    (lambda: minigan.multinomial(minigan.ones(3), 0), RuntimeError),
    (lambda: minigan.multinomial(minigan.ones(3), 1.5), TypeError),
])
def test_integer_draws_refuse_what_their_dtype_cannot_hold(call, error):
    with pytest.raises(error):
        call()
    assert sorted(minigan.randperm(256, dtype=minigan.uint8).tolist()) == list(range(256))
    assert set(minigan.randint(0, 2, (50,), dtype=minigan.bool).tolist()) <= {False, True}


def test_parameter_vectors_view_each_parameter_and_read_vec_only_for_parameters_there_are():
    strided = minigan.zeros(3, 4).t()  # (its entries cannot be viewed as one row)
    with pytest.raises(RuntimeError):
        minigan.nn.utils.parameters_to_vector([strided])
    with pytest.raises(TypeError):
        minigan.nn.utils.parameters_to_vector(minigan.tensor(1.0))
    minigan.nn.utils.vector_to_parameters(minigan.tensor(1.5), [])  # (no parameter: vec is never sliced)
    p = minigan.zeros(2, 3)
    minigan.nn.utils.vector_to_parameters(minigan.arange(8.0), [p])
    assert p.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


@pytest.mark.parametrize("slope", [np.float32(0.1), np.int64(0), True])
def test_calculate_gain_takes_a_python_number_as_negative_slope(slope):
    with pytest.raises(ValueError, match="negative_slope"):
        minigan.nn.init.calculate_gain("leaky_relu", slope)
    with pytest.raises(ValueError, match="negative_slope"):  # (before the int tensor's dtype is looked at)
        minigan.nn.init.kaiming_normal_(minigan.zeros(3, 4, dtype=minigan.int64), slope)
    assert minigan.nn.init.calculate_gain("leaky_relu", np.float64(0.0)) == pytest.approx(math.sqrt(2.0))


@pytest.mark.parametrize("name", ["sum", "mean", "var", "std", "nansum", "nanmean", "logsumexp"])
@pytest.mark.parametrize("dim", [(), []])
def test_an_empty_list_of_dims_is_every_dim_with_the_gradient_of_the_whole_reduction(name, dim):
    a = np.arange(6.0).reshape(2, 3) * 0.75 - 1
    whole = {"sum": np.sum, "mean": np.mean, "var": lambda v: np.var(v, ddof=1), "std": lambda v: np.std(v, ddof=1),
             "nansum": np.nansum, "nanmean": np.nanmean, "logsumexp": lambda v: np.log(np.exp(v).sum())}[name]
    x = minigan.tensor(a, requires_grad=True)
    out = getattr(minigan, name)(x, dim=dim, keepdim=True)
    assert tuple(out.shape) == (1, 1) and out.item() == pytest.approx(whole(a))
    g, = minigan.autograd.grad(out.sum(), x)
    np.testing.assert_allclose(g.numpy(), _finite_differences(lambda v: float(whole(v)), a), rtol=1e-6, atol=1e-8)
    if name != "logsumexp":
        assert tuple(getattr(x, name)(dim=dim).shape) == ()
