"""Classes of differences from PyTorch that the whole-surface random programs (tests/pytorch/surface_programs.py) found
where
minigan refused what PyTorch runs, or ran with another layout or value: each checked as a class against PyTorch
float64."""

import numpy as np
import pytest

import minigan

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
