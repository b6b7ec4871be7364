"""repr(tensor) prints exactly as PyTorch prints the same values (minigan/_tensor_str.py): the int, fixed and
scientific styles with their padding, 80-column wrapping, summarization above 1000 elements, nested brackets,
0-d and empty tensors, nan/inf/-0.0, every dtype, and the device/dtype/requires_grad/grad_fn suffixes.  The one
dtype prints with the library's name (``dtype=minigan.float64`` for ``dtype=torch.float64``)."""

import re

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch")


def _theirs(t) -> str:
    return repr(t).replace("torch.", "minigan.")


def _both(array, **kwargs):
    """The same values as a minigan and a torch tensor (torch.tensor copies, so the dtype is the array's)."""
    return minigan.tensor(array, **kwargs), torch.tensor(array, **kwargs)


def _random(rng, shape, dtype, scale):
    return (rng.standard_normal(shape) * scale).astype(dtype)


SHAPES = [(), (5,), (3, 4), (2, 3, 4), (2, 2, 2, 2), (1, 1), (4, 1, 3)]
SCALES = [1.0, 1e-6, 1e-3, 0.5, 100.0, 5000.0, 1e9, 1e30]


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("scale", SCALES)
def test_random_floats_print_as_pytorchs(dtype, shape, scale):
    rng = np.random.default_rng(abs(hash((dtype, shape, scale))) % 2 ** 32)
    if dtype == "float16" and scale > 1e4:
        scale = 1000.0  # (float16 tops out at 65504)
    ours, theirs = _both(_random(rng, shape, dtype, scale))
    assert repr(ours) == _theirs(theirs)
    assert str(ours) == repr(ours)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("shape", SHAPES)
def test_whole_numbered_floats_print_with_a_trailing_point(dtype, shape):
    rng = np.random.default_rng(1)
    for high in (2, 10, 1000, 10 ** 5):
        if dtype == "float16" and high > 1000:
            continue
        values = rng.integers(-high, high, size=shape).astype(dtype)
        ours, theirs = _both(values)
        assert repr(ours) == _theirs(theirs)


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8", "bool"])
@pytest.mark.parametrize("shape", SHAPES)
def test_integers_and_bools_print_as_pytorchs(dtype, shape):
    rng = np.random.default_rng(2)
    low = 0 if dtype in ("uint8", "bool") else -100
    high = 2 if dtype == "bool" else 100 if dtype in ("int8", "uint8") else 10 ** 6
    ours, theirs = _both(rng.integers(low, high, size=shape).astype(dtype))
    assert repr(ours) == _theirs(theirs)


SPECIAL = [
    [2.5], 2.5, 0.0, -0.0, 3.0, float("nan"), float("inf"), -float("inf"), 1e-5, 1e10, 123456789.0,
    [0.0, 0.0], [-0.0, 1.0], [-0.0, 1.5], [-0.0, 1e-8], [float("nan"), 1.0], [float("nan"), 1.5],
    [float("inf"), 2.0, -float("inf")], [float("nan"), float("inf")], [1e-5, 1.0], [1.0, 1000.0], [1.0, 1001.0],
    [1e8, 1.0], [1.1e8], [1e-4], [9.9e-5], [1.0, -2.0, 3.0], [[0.1, -20.5], [300.25, 0.0]],
    [[1e-10, float("nan")], [-0.0, 7.0]], [12345.678, 0.001], [[1, 2], [3, 4]], [[-1, 200], [3, 4]],
    [True, False], [[True], [False]], 7, -7, True,
]


@pytest.mark.parametrize("values", SPECIAL, ids=str)
@pytest.mark.parametrize("dtype", [None, "float64", "float16"])
def test_special_values_print_as_pytorchs(values, dtype):
    flat = np.ravel(values).tolist()
    if dtype is not None and not any(isinstance(v, float) for v in flat):
        return
    if dtype == "float16" and any(np.isfinite(v) and abs(v) > 65504 for v in flat):
        return  # (past float16's range)
    ours = minigan.tensor(values, dtype=None if dtype is None else getattr(minigan, dtype))
    theirs = torch.tensor(values, dtype=None if dtype is None else getattr(torch, dtype))
    assert repr(ours) == _theirs(theirs)


@pytest.mark.parametrize("shape", [(0,), (0, 3), (2, 0), (3, 0, 2), (0, 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool", "uint8"])
def test_empty_tensors_name_their_size_and_dtype(shape, dtype):
    ours, theirs = _both(np.zeros(shape, dtype=dtype))
    assert repr(ours) == _theirs(theirs)


@pytest.mark.parametrize("shape", [(30,), (100,), (3, 25), (2, 2, 40), (1, 81)])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_long_rows_wrap_at_80_columns(shape, dtype):
    rng = np.random.default_rng(3)
    values = rng.standard_normal(shape) * 1000 if dtype[0] == "f" else rng.integers(-10 ** 9, 10 ** 9, shape)
    ours, theirs = _both(values.astype(dtype))
    assert repr(ours) == _theirs(theirs)


@pytest.mark.parametrize("shape", [(1001,), (1000,), (2000,), (40, 50), (10, 10, 11), (7, 7, 7, 7), (3, 400), (400, 3),
                                   (2, 1000), (1001, 1)])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "uint8"])
def test_more_than_1000_elements_are_summarized(shape, dtype):
    rng = np.random.default_rng(4)
    values = rng.standard_normal(shape) * 3 if dtype[0] == "f" else rng.integers(0, 200, shape)
    ours, theirs = _both(values.astype(dtype))
    assert repr(ours) == _theirs(theirs)


def test_summarized_style_is_picked_from_the_shown_values_only():
    values = np.arange(100, 1200, dtype=np.float32)
    values[500] = 0.5  # a hidden fraction (and a hidden small value) change neither the style nor the width
    ours, theirs = _both(values)
    assert repr(ours) == _theirs(theirs) == "tensor([ 100.,  101.,  102.,  ..., 1197., 1198., 1199.])"


def test_reference_outputs():
    """A few prints as PyTorch's documentation and tutorials show them."""
    assert repr(minigan.tensor([1.0, 2.5])) == "tensor([1.0000, 2.5000])"
    assert repr(minigan.tensor(2.5)) == "tensor(2.5000)"
    assert repr(minigan.zeros(0, 3)) == "tensor([], size=(0, 3))"
    assert repr(minigan.tensor([1, 2], dtype=minigan.float64)) == "tensor([1., 2.], dtype=minigan.float64)"
    assert repr(minigan.ones(2, 2, 2)) == ("tensor([[[1., 1.],\n         [1., 1.]],\n\n"
                                           "        [[1., 1.],\n         [1., 1.]]])")


@pytest.mark.parametrize("op", [lambda L, x: x * 2, lambda L, x: x + x, lambda L, x: x.sum(), lambda L, x: x.exp(),
                                lambda L, x: x - 1, lambda L, x: x / 3, lambda L, x: x.tanh(), lambda L, x: x.mean(),
                                lambda L, x: -x, lambda L, x: x.sigmoid()])
def test_a_result_names_its_grad_fn(op):
    rng = np.random.default_rng(5)
    values = rng.standard_normal((2, 3)).astype(np.float32)
    ours, theirs = (op(L, L.tensor(values, requires_grad=True)) for L in (minigan, torch))
    assert repr(ours) == _theirs(theirs)


@pytest.mark.parametrize("op", [lambda L, x: x.relu(), lambda L, x: x @ x.T, lambda L, x: x.reshape(3, 2),
                                lambda L, x: x[0], lambda L, x: x.max(), lambda L, x: x.float() ** 2])
def test_a_result_whose_op_pytorch_names_otherwise_prints_the_same_values(op):
    rng = np.random.default_rng(6)
    values = rng.standard_normal((2, 3))
    ours, theirs = (repr(op(L, L.tensor(values, requires_grad=True))) for L in (minigan, torch))
    pattern = r"grad_fn=<\w+Backward\d*>"
    assert re.search(pattern, ours)
    assert re.sub(pattern, "grad_fn", ours) == re.sub(pattern, "grad_fn", theirs.replace("torch.", "minigan."))


def test_leaves_that_require_grad_and_parameters():
    for values in ([1.0, 2.5], [[1e-8, 2.0]], 3.0):
        ours, theirs = _both(values, requires_grad=True)
        assert repr(ours) == _theirs(theirs)
        assert repr(minigan.nn.Parameter(ours.detach())) == _theirs(torch.nn.Parameter(theirs.detach()))
    p = minigan.nn.Parameter(minigan.tensor([1.0]), requires_grad=False)
    assert repr(p) == _theirs(torch.nn.Parameter(torch.tensor([1.0]), requires_grad=False))
    assert repr(p).startswith("Parameter containing:\ntensor(")


@pytest.mark.parametrize("width", [68, 70, 72, 74, 76, 78])
def test_suffixes_move_to_a_new_line_past_80_columns(width):
    """A suffix that would pass column 80 starts a new line under the first bracket."""
    values = np.full((width - 10) // 8, 1.5, dtype=np.float64)
    for kwargs in ({}, {"requires_grad": True}):
        ours, theirs = _both(values, **kwargs)
        assert repr(ours) == _theirs(theirs)
        assert repr(ours * 2) == _theirs(theirs * 2)


def test_a_user_function_names_its_node_as_pytorch():
    def make(L):
        class Square(L.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, grad):
                (x,) = ctx.saved_tensors
                return 2 * x * grad
        return Square

    ours = make(minigan).apply(minigan.tensor([1.0, 2.0], requires_grad=True))
    theirs = make(torch).apply(torch.tensor([1.0, 2.0], requires_grad=True))
    assert repr(ours) == _theirs(theirs) == "tensor([1., 4.], grad_fn=<SquareBackward>)"


def test_fuzz_against_pytorch():
    rng = np.random.default_rng(7)
    for _ in range(300):
        ndim = rng.integers(0, 5)
        shape = tuple(rng.integers(1, 6, size=ndim))
        dtype = rng.choice(["float32", "float64", "float16", "int64", "int8"])
        if dtype[0] == "f":
            values = rng.standard_normal(shape) * 10.0 ** rng.integers(-6, 4)
            if rng.random() < 0.3:
                values = np.round(values)
            mask = rng.random(shape) < 0.1
            values = np.where(mask, rng.choice([np.nan, np.inf, -np.inf, -0.0, 0.0], size=shape), values)
        else:
            values = rng.integers(-100, 100, size=shape)
        ours, theirs = _both(np.asarray(values).astype(dtype))
        assert repr(ours) == _theirs(theirs), (shape, dtype)


@pytest.mark.skipif(not minigan.cuda.is_available(), reason="needs a GPU")
def test_a_gpu_tensor_names_its_device_first():
    ours = minigan.tensor([1.0, 2.5], device="cuda", requires_grad=True)
    assert repr(ours) == "tensor([1.0000, 2.5000], device='cuda:0', requires_grad=True)"
    assert repr(minigan.zeros(0, 2, device="cuda")) == "tensor([], device='cuda:0', size=(0, 2))"


def test_device_comes_first_among_the_suffixes():
    """(Without a GPU: a stand-in that says it lives on cuda, to check PyTorch's order of the suffixes.)"""
    from types import SimpleNamespace

    from minigan.surface.printing import tensor_repr

    x = minigan.tensor([1.0, 2.5], dtype=minigan.float64)
    on_gpu = SimpleNamespace(array=x.array, device=minigan.device("cuda:0"), grad_fn=None, requires_grad=True)
    assert tensor_repr(on_gpu) == ("tensor([1.0000, 2.5000], device='cuda:0', dtype=minigan.float64,\n"
                                   "       requires_grad=True)")  # (PyTorch's line, with "torch.float64", passes 80)
    empty = SimpleNamespace(array=minigan.zeros(0, 2).array, device=minigan.device("cuda:0"), grad_fn=None,
                            requires_grad=False)
    assert tensor_repr(empty) == "tensor([], device='cuda:0', size=(0, 2))"
