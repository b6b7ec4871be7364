"""More classes of silently wrong results, each checked as a class against PyTorch (float64) as the oracle:

1. a tensor bound or weight of an op, in place or not, is an operand of the graph (its gradient flows, and an
   in-place op on a tensor that does not require grad comes to require it), never a constant captured by the op;
2. a NaN in a tensor bound gives what PyTorch's gives (NaN), and the gradients PyTorch's masks give;
3. ``prod``'s backward, on any layout, to first and second order, with zeros and NaN among the entries;
4. a result's layout where a later view or write can tell (``flatten()`` a view, ``scatter_`` writing through);
5. ``.data`` and ``.grad`` assignments refuse what PyTorch refuses;
6. grad-mode decorators on functions, generator functions and coroutines;
7. what PyTorch accepts is accepted: a bool mask of a 0-d tensor, NumPy scalars wherever numbers go;
8. PyTorch's exception types, whatever NumPy's version raises inside (each refusal raised by minigan's own check);
9. relu's backward, a select on the gradient's bits on a CPU, in every float dtype and layout.

The NumPy scalars at the doors that refused them (7) and the exception types (8) are compared with PyTorch's
recorded answers, without PyTorch, in tests/pytorch/test_recorded_numpy_scalars_and_refusals.py; that the record is
PyTorch's: tests/pytorch/test_records_are_pytorchs.py.
"""

import asyncio
import warnings

import numpy as np
import pytest

import minigan
from pytorch.oracle import CLAMP_AT_A_BOUND, CLAMP_NAN_BOUND

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
NAN, INF = float("nan"), float("inf")


def _both(values, requires_grad=False):
    """The same float64 leaf in PyTorch and in minigan."""
    a = np.array(values, dtype=np.float64)
    return torch.tensor(a, requires_grad=requires_grad), minigan.tensor(a, requires_grad=requires_grad)


def _np(t):
    return None if t is None else np.asarray(t.detach().numpy())


def _same(expected, got, what=""):
    np.testing.assert_allclose(_np(got), _np(expected), rtol=1e-12, atol=1e-12, equal_nan=True, err_msg=what)


# ----------------------------------------------------------------------------- 1. tensor operands of in-place ops
X, BOUND = [1.0, -2.0, 3.0, 0.5], [0.0, 0.0, 5.0, 0.5]
IN_PLACE_WITH_TENSOR = {  # name: x, b -> x changed in place, with b (which requires grad) an operand
    "clamp_(min=)": lambda x, b: x.clamp_(min=b),
    "clamp_(max=)": lambda x, b: x.clamp_(max=b),
    "clamp_(min, max)": lambda x, b: x.clamp_(b, b + 1),
    "clamp_min_": lambda x, b: x.clamp_min_(b),
    "clamp_max_": lambda x, b: x.clamp_max_(b),
    "clip_": lambda x, b: x.clip_(b, None),
    "clip_(max=)": lambda x, b: x.clip_(max=b),
    "lerp_(end)": lambda x, b: x.lerp_(b, 0.25),
    "lerp_(weight)": lambda x, b: x.lerp_(b * 0 + 2, b),
    "masked_fill_(value)": lambda x, b: x.masked_fill_(x.detach() > 0, b.sum()),
    "addcmul_": lambda x, b: x.addcmul_(b, b, value=0.5),
    "addcdiv_": lambda x, b: x.addcdiv_(b, b + 3),
    "copy_": lambda x, b: x.copy_(b),
    "add_(alpha=)": lambda x, b: x.add_(b, alpha=2),
    "sub_": lambda x, b: x.sub_(b),
    "mul_": lambda x, b: x.mul_(b),
    "div_": lambda x, b: x.div_(b + 3),
    "pow_": lambda x, b: x.abs_().pow_(b),
    "atan2_": lambda x, b: x.atan2_(b),
    "hypot_": lambda x, b: x.hypot_(b),
    "xlogy_": lambda x, b: x.xlogy_(b + 1),
    "x[i] = b": lambda x, b: x.__setitem__(slice(0, 2), b[1:3]),
    "index_fill_(value)": lambda x, b: x.index_fill_(0, _index(x, [0, 2]), b[2]),
    "index_add_": lambda x, b: x.index_add_(0, _index(x, [1, 1]), b[:2]),
    "index_copy_": lambda x, b: x.index_copy_(0, _index(x, [3, 0]), b[:2]),
    "scatter_": lambda x, b: x.scatter_(0, _index(x, [2, 0, 3, 1]), b),
    "scatter_add_": lambda x, b: x.scatter_add_(0, _index(x, [2, 0, 1, 1]), b),
    "index_put_": lambda x, b: x.index_put_((_index(x, [1]),), b[2:3]),
}


def _index(x, values):
    return (torch if isinstance(x, torch.Tensor) else minigan).tensor(values)


def _clamps_marked(names):  # their inputs meet a bound exactly: the derivative there is PyTorch 2.13's; clamp(max=)
    # or clamp(min=) alone, a NaN number, gives NaN everywhere (as clamp_max(NaN) does), which 2.11 ignored
    at_a_bound = [n for n in names if n.startswith(("clamp", "clip", "minigan.cl")) and n != "clamp(NaN number)"]
    return [pytest.param(n, marks=[CLAMP_AT_A_BOUND] if n in at_a_bound else [CLAMP_NAN_BOUND]
                         if n == "clamp(NaN number)" else []) for n in names]


@pytest.mark.parametrize("detached", [False, True], ids=["plain", "detach_"])
@pytest.mark.parametrize("name", _clamps_marked(IN_PLACE_WITH_TENSOR))
def test_an_in_place_ops_tensor_operand_is_in_the_graph(name, detached):
    """x does not require grad (a constant, or a result taken out of the graph by detach_()); b does: x comes to
    require grad, and b's gradient through x is PyTorch's."""
    grads = []
    for lib_i in (0, 1):
        b = _both(BOUND, requires_grad=True)[lib_i]
        if detached:
            x = _both(X, requires_grad=True)[lib_i] * 1
            x.detach_()
        else:
            x = _both(X)[lib_i]
        IN_PLACE_WITH_TENSOR[name](x, b)
        assert x.requires_grad, (name, ["torch", "minigan"][lib_i])
        (x * _both([1.0, 2.0, 3.0, 4.0])[lib_i]).sum().backward()
        grads.append(b.grad)
    _same(grads[0], grads[1], name)


# ----------------------------------------------------------------------------- 2. NaN in tensor bounds
XS = [1.0, NAN, -2.0, 3.0, 0.5, 2.0, NAN, -INF, 1.0, 4.0, INF, 1.0]
LO = [0.0, 0.0, NAN, 5.0, NAN, 2.0, NAN, 0.0, 1.0, INF, -INF, 2.0]
HI = [2.0, 1.0, 1.0, NAN, 0.4, 1.0, 0.0, NAN, 1.0, 5.0, INF, 2.0]
BOUNDED = {
    "clamp(min, max)": lambda lib, x, lo, hi: x.clamp(lo, hi),
    "clamp(min=)": lambda lib, x, lo, hi: x.clamp(min=lo),
    "clamp(max=)": lambda lib, x, lo, hi: x.clamp(max=hi),
    "clamp(0-d bound)": lambda lib, x, lo, hi: x.clamp(min=lo[2]),
    "clamp(broadcast bound)": lambda lib, x, lo, hi: x.reshape(3, 4).clamp(lo[:4], hi[4:8]),
    "clip": lambda lib, x, lo, hi: x.clip(lo, hi),
    "minigan.clamp": lambda lib, x, lo, hi: lib.clamp(x, lo, hi),
    "minigan.clip": lambda lib, x, lo, hi: lib.clip(x, min=lo),
    "clamp_min": lambda lib, x, lo, hi: x.clamp_min(lo),
    "clamp_max": lambda lib, x, lo, hi: x.clamp_max(hi),
    "minigan.clamp_min": lambda lib, x, lo, hi: lib.clamp_min(x, lo),
    "minigan.clamp_max": lambda lib, x, lo, hi: lib.clamp_max(x, hi),
    "clamp_": lambda lib, x, lo, hi: (x * 1).clamp_(lo, hi),
    "clamp_min_": lambda lib, x, lo, hi: (x * 1).clamp_min_(lo),
    "clamp_max_": lambda lib, x, lo, hi: (x * 1).clamp_max_(hi),
    "lerp": lambda lib, x, lo, hi: x.lerp(lo, hi),
    "lerp_": lambda lib, x, lo, hi: (x * 1).lerp_(lo, hi),
    "maximum": lambda lib, x, lo, hi: lib.maximum(x, lo),
    "minimum": lambda lib, x, lo, hi: lib.minimum(x, hi),
    "where": lambda lib, x, lo, hi: lib.where(x > 0, lo, hi),
    "masked_fill": lambda lib, x, lo, hi: x.masked_fill(lo > 0, hi[3]),
    "addcmul": lambda lib, x, lo, hi: x.addcmul(lo, hi),
    "clamp(numbers)": lambda lib, x, lo, hi: x.clamp(-1.0, 1.0),
    "clamp(NaN number)": lambda lib, x, lo, hi: x.clamp(max=NAN),
}


@pytest.mark.parametrize("name", _clamps_marked(BOUNDED))
def test_a_nan_bound_or_weight_gives_pytorchs_values_and_gradients(name):
    results = []
    for lib_i, lib in enumerate((torch, minigan)):
        leaves = [_both(v, requires_grad=True)[lib_i] for v in (XS, LO, HI)]
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            out = BOUNDED[name](lib, *leaves)
            weight = _both(np.linspace(1, 2, out.numel()).reshape(tuple(out.shape)))[lib_i]
            grads = lib.autograd.grad((out * weight).sum(), leaves, allow_unused=True)
        results.append((out, grads))
    (t_out, t_grads), (m_out, m_grads) = results
    _same(t_out, m_out, f"{name}: value")
    for i, (tg, mg) in enumerate(zip(t_grads, m_grads)):
        assert (tg is None) == (mg is None) or _np(tg if mg is None else mg).any() == 0, (name, i)
        if tg is not None and mg is not None:
            _same(tg, mg, f"{name}: gradient of input {i}")


@pytest.mark.parametrize("call", [lambda x, b: x.clamp(0.5, b), lambda x, b: x.clamp(b, 1.5),
                                  lambda x, b: x.clamp_(-1.0, b)])
def test_a_number_and_a_tensor_bound_together_are_refused_as_pytorch_refuses_them(call):
    for x, b in zip(_both(X), _both(BOUND)):
        with pytest.raises(TypeError):
            call(x, b)


# ----------------------------------------------------------------------------- 3. prod's backward
PROD_VIEWS = {"plain": lambda x: x, "rows 1: and every other column": lambda x: x[1:][:, ::2],
              "transposed": lambda x: x.t(),
              "one row": lambda x: x[1:2], "one column": lambda x: x[:, :1], "every third column": lambda x: x[:, ::3],
              "transposed, every other row": lambda x: x.t()[::2], "empty": lambda x: x[:0]}


@pytest.mark.parametrize("view", list(PROD_VIEWS))
def test_prods_gradient_is_pytorchs_on_any_layout_with_zeros_and_nan_and_differentiable_again(view):
    """First order equal to PyTorch's (its formula: out / x where no entry is 0, so a NaN entry's own gradient is
    NaN; exclusive products otherwise), and second order (without NaN entries) equal too, gradient requiring grad
    exactly where PyTorch's does."""
    rng = np.random.default_rng(65)
    for trial in range(30):
        shape = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
        a = rng.normal(size=shape)
        a[rng.random(shape) < 0.25] = 0.0
        if trial % 2:
            a[rng.random(shape) < 0.15] = NAN
        dim, keepdim = [None, 0, 1, -1][trial % 4], bool(trial % 3)
        results = []
        for lib_i, lib in enumerate((torch, minigan)):
            x = _both(a, requires_grad=True)[lib_i]
            v = PROD_VIEWS[view](x)
            y = v.prod() if dim is None else v.prod(dim, keepdim=keepdim)
            w = _both(np.arange(1.0, 1 + y.numel()).reshape(tuple(y.shape)))[lib_i]
            with np.errstate(all="ignore"):
                (g,) = lib.autograd.grad((y * w).sum(), x, create_graph=True)
                gg = lib.autograd.grad((g * 3.0).sum(), x)[0] if g.requires_grad and not np.isnan(a).any() else None
            results.append((y, g, g.requires_grad, gg))
        (ty, tg, trg, tgg), (my, mg, mrg, mgg) = results
        what = f"{view}, dim={dim}, keepdim={keepdim}, x={a.tolist()}"
        _same(ty, my, what)
        _same(tg, mg, what)
        assert trg == mrg, what
        if tgg is not None:
            _same(tgg, mgg, what)


# ----------------------------------------------------------------------------- 4. layouts a later view can tell
NEW_CONTIGUOUS = {  # ops whose result PyTorch allocates afresh (contiguous, or sort's in the input's layout)
    "cummax": lambda x: x.cummax(0).values, "cummax indices": lambda x: x.cummax(1).indices,
    "cummin": lambda x: x.cummin(0).values, "cumsum": lambda x: x.cumsum(0), "cumprod": lambda x: x.cumprod(1),
    "logcumsumexp": lambda x: x.logcumsumexp(0), "sort": lambda x: x.sort(0).values,
    "sort indices": lambda x: x.sort(1).indices, "argsort": lambda x: x.argsort(0),
    "topk": lambda x: x.topk(2, 0).values, "kthvalue": lambda x: x.kthvalue(2, 1).values,
    "median(dim)": lambda x: x.median(0).values, "sum(dim)": lambda x: x.sum(1), "mean(dim)": lambda x: x.mean(0),
    "amax": lambda x: x.amax(1), "max(dim)": lambda x: x.max(0).values, "var": lambda x: x.var(1),
    "softmax": lambda x: x.softmax(0), "log_softmax": lambda x: x.log_softmax(1), "logsumexp": lambda x: x.logsumexp(0),
    "prod(dim)": lambda x: x.prod(1), "norm(dim)": lambda x: x.norm(dim=0),
    "index_select": lambda x: x.index_select(0, _index(x, [1, 0, 1])),
    "all(dim)": lambda x: (x > 3).all(0), "any(dim)": lambda x: (x > 3).any(1),
    "count_nonzero(dim)": lambda x: x.count_nonzero(0), "masked_fill": lambda x: x.masked_fill(x.detach() > 3, 0.5),
    "repeat_interleave": lambda x: x.repeat_interleave(2, 1), "tril": lambda x: x.tril(),
    "triu": lambda x: x.triu(1),
    "pad": lambda x: (torch.nn.functional if isinstance(x, torch.Tensor) else minigan.nn.functional).pad(x, (1, 1)),
    "logsigmoid": lambda x: (torch.nn.functional if isinstance(x, torch.Tensor) else minigan.nn.functional)
    .logsigmoid(x),
}


@pytest.mark.parametrize("layout", ["permuted", "strided"])
@pytest.mark.parametrize("name", list(NEW_CONTIGUOUS))
def test_a_fresh_result_is_contiguous_where_pytorchs_is_so_flatten_is_a_view_and_writes_go_through(name, layout):
    """cummax of a transposed matrix, flattened, then written in place: PyTorch's result is contiguous, so flatten()
    is a view and the write shows in the result (a copy would leave it unchanged)."""
    seen = []
    for x in _both(np.arange(24.0).reshape(2, 3, 4) % 7):
        x = x.permute(2, 0, 1) if layout == "permuted" else x[..., ::2]
        r = NEW_CONTIGUOUS[name](x)
        with (torch.no_grad() if isinstance(x, torch.Tensor) else minigan.no_grad()):
            r.flatten()[0] = 99  # (written through the flattened tensor)
        seen.append((r.is_contiguous() if isinstance(r, torch.Tensor) else None, _np(r).reshape(-1)[0].item()))
    assert seen[1][1] == seen[0][1], (name, seen)


# ----------------------------------------------------------------------------- 5. .data and .grad assignments
def _lib_dtype(lib, name):
    return getattr(lib, name)


DATA_CASES = [("float32", True, "int64"), ("float32", True, "bool"), ("float32", False, "int64"),
              ("float32", True, "float64"), ("float64", True, "float32"), ("int64", False, "float32")]


@pytest.mark.parametrize("x_dtype,requires_grad,data_dtype", DATA_CASES)
def test_data_assignment_refuses_what_pytorch_refuses(x_dtype, requires_grad, data_dtype):
    """``x.data = <integer tensor>`` on a tensor that requires grad: PyTorch refuses it (its gradient would be kept
    as an integer: x.grad 2 for a true 2.5); what PyTorch allows gives the same dtype and requires_grad."""
    outcomes = []
    for lib in (torch, minigan):
        x = lib.tensor([1, 2], dtype=_lib_dtype(lib, x_dtype), requires_grad=requires_grad)
        try:
            x.data = lib.tensor([1, 0], dtype=_lib_dtype(lib, data_dtype))
            outcomes.append((str(x.dtype).split(".")[-1], x.requires_grad))
        except RuntimeError:
            outcomes.append("RuntimeError")
    assert outcomes[0] == outcomes[1], outcomes


GRAD_CASES = {"int64 grad": lambda lib, x: lib.tensor([1, 2]), "float64 grad": lambda lib, x: x.detach().double(),
              "bool grad": lambda lib, x: x.detach() > 1, "wrong shape": lambda lib, x: lib.zeros(3),
              "0-d": lambda lib, x: lib.tensor(3.0), "itself": lambda lib, x: x, "a list": lambda lib, x: [1.0, 2.0],
              "a number": lambda lib, x: 1.0, "a view of it": lambda lib, x: x.detach(), "None": lambda lib, x: None}


@pytest.mark.parametrize("name", list(GRAD_CASES))
def test_grad_assignment_refuses_what_pytorch_refuses(name):
    outcomes = []
    for lib in (torch, minigan):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        try:
            x.grad = GRAD_CASES[name](lib, x)
            outcomes.append(None if x.grad is None else _np(x.grad).tolist())
        except (RuntimeError, TypeError) as e:
            outcomes.append("RuntimeError" if isinstance(e, RuntimeError) else "TypeError")
    assert outcomes[0] == outcomes[1], outcomes


# ----------------------------------------------------------------------------- 6. grad-mode decorators
def _modes(lib):
    """Each grad-mode decorator, made when called (set_grad_enabled switches the mode as it is made)."""
    return [lambda: lib.no_grad(), lambda: lib.no_grad, lambda: lib.enable_grad(), lambda: lib.set_grad_enabled(False),
            lambda: lib.set_grad_enabled(True), lambda: lib.inference_mode(), lambda: lib.inference_mode(False)]


def _decorated_programs(lib, decorator):
    """What each kind of decorated function sees of grad mode: a function, a generator (each step, what the caller
    sees between steps, what a value sent in and an exception thrown in see), and a coroutine."""
    x = lib.ones(2, requires_grad=True)

    def function():
        return (x * 2).requires_grad

    def generator():
        seen = [lib.is_grad_enabled(), (x * 2).requires_grad]
        sent = yield seen
        seen = [sent, lib.is_grad_enabled()]
        try:
            yield seen
        except KeyError:
            yield ["thrown", lib.is_grad_enabled()]
        return "done"

    async def coroutine():
        await asyncio.sleep(0)
        return lib.is_grad_enabled()

    out = {"function": decorator(function)()}
    outer = not lib.is_grad_enabled()
    with lib.set_grad_enabled(outer):  # the caller's mode, the opposite of the decorator's where they differ
        steps = decorator(generator)()
        out["first step"] = next(steps)
        out["caller between steps"] = lib.is_grad_enabled()
        out["after send"] = steps.send("sent")
        out["after throw"] = steps.throw(KeyError("k"))
        try:
            next(steps)
        except StopIteration as done:
            out["returned"] = done.value
        out["coroutine"] = asyncio.run(decorator(coroutine)())
    return out


@pytest.mark.parametrize("which", range(7))
def test_grad_mode_decorators_on_functions_generators_and_coroutines_are_pytorchs(which):
    results = []
    for lib in (torch, minigan):
        for outer in (True, False):
            with lib.set_grad_enabled(outer):
                results.append(_decorated_programs(lib, _modes(lib)[which]()))
    assert results[:2] == results[2:], results


# ----------------------------------------------------------------------------- 7. what PyTorch accepts
@pytest.mark.parametrize("mask", ["x > 0", "x < 0", "(None, x > 0)", "(x > 0, None)"])
def test_a_bool_mask_of_a_0d_tensor_selects_as_in_pytorch(mask):
    results = []
    for lib in (torch, minigan):
        x = lib.tensor(2.0, requires_grad=True)
        y = x[eval(mask)]
        z = x * 1
        z[z > 0] = x * 3  # (a write through the mask too)
        results.append((tuple(y.shape), y.requires_grad, _np(y).tolist(), lib.autograd.grad(y.sum() + z, x)[0].item()))
    assert results[0] == results[1], results


def _npified(args, real):
    """args with each Python number (not a bool) a NumPy scalar: np.int64 for an int, ``real`` for a float."""
    if isinstance(args, (tuple, list)):
        return type(args)(_npified(a, real) for a in args)
    if isinstance(args, int) and not isinstance(args, bool):
        return np.int64(args)
    return real(args) if isinstance(args, float) else args


def _numpy_scalar_survey(inputs):
    """Every public method and minigan.* function (test_right_by_class's survey) called with NumPy scalars in place
    of Python numbers: where PyTorch takes the call, minigan must, with the same shapes and dtypes."""
    from pytorch import test_right_by_class as survey
    failures = []
    for label, ours, theirs in survey._surface():
        if theirs is None:
            continue
        for (name, x), (_, tx) in zip(survey._inputs(minigan), survey._inputs(torch)):
            if name not in inputs:
                continue
            for args in survey._candidates(minigan, x):
                if (args and args[0] is x) or repr(_npified(args, np.float32)) == repr(args):  # (no number in args)
                    continue
                try:  # what minigan takes with Python numbers
                    survey._call(minigan, ours, x, args)
                except Exception:  # noqa: BLE001
                    continue
                for real in (np.float32, np.float64):
                    numpy_args = _npified(args, real)
                    try:
                        expected = survey._call(torch, theirs, tx, survey._torch_args(numpy_args))
                    except Exception:  # noqa: BLE001 - only what PyTorch takes is checked
                        continue
                    try:
                        got = survey._call(minigan, ours, x, numpy_args)
                    except Exception as e:  # noqa: BLE001
                        failures.append((label, name, numpy_args, repr(e)[:100]))
                        continue
                    for a, b in zip(survey._results(got), survey._results(expected)):
                        dtypes = [str(d).split(".")[-1] for d in (a.dtype, b.dtype)]  # (each library's prefix off)
                        if tuple(a.shape) != tuple(b.shape) or dtypes[0] != dtypes[1]:
                            failures.append((label, name, numpy_args, a.shape, a.dtype, tuple(b.shape), b.dtype))
    return failures


def test_numpy_scalars_are_numbers_across_the_surveyed_surface_fast_slice():
    assert not _numpy_scalar_survey({"scalar"})  # (the 0-d input, where most edge cases are; the rest: slow)


@pytest.mark.slow
def test_numpy_scalars_are_numbers_across_the_surveyed_surface():
    assert not _numpy_scalar_survey({"scalar", "vector", "matrix", "square", "cube", "row"})


# ----------------------------------------------------------------------------- 8. PyTorch's exception types
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_relus_backward_selects_as_pytorchs_in_every_float_dtype_and_layout(dtype):
    """relu's backward on a CPU selects on the gradient's bits: the same as PyTorch's threshold_backward, ∞ and NaN
    upstream where x ≤ 0 giving +0, a NaN input keeping its gradient, on a transposed input too."""
    x = np.array([[0.5, -1.0, 0.0, NAN], [2.0, -0.0, -INF, INF], [1.0, -3.0, 4.0, 0.25]])
    upstream = np.array([[INF, -INF, NAN, 2.0], [NAN, INF, -2.0, -0.0], [-0.0, NAN, -INF, 3.0]])
    grads = []
    for lib in (torch, minigan):
        t = lib.tensor(x.T.copy(), dtype=getattr(lib, dtype), requires_grad=True)
        (g,) = lib.autograd.grad(t.t().relu(), t, lib.tensor(upstream, dtype=getattr(lib, dtype)))
        grads.append(_np(g))
    np.testing.assert_array_equal(grads[1], grads[0])
    assert (np.signbit(grads[1]) == np.signbit(grads[0])).all()
