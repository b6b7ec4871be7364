"""Four classes of silently wrong results, each checked as a class over every op a survey can call, against PyTorch
(float64) as the oracle:

1. an integer or bool result never requires grad and is never part of the graph (casts, argmax, comparisons...);
2. a result that shares memory with its input is a view of it (the same version counter, ``_base``), and shares it
   exactly when PyTorch's result does (a view there: a view here; a copy there: a copy here);
3. a backward that masks SELECTS (``where(mask, grad, 0)``): an ∞ or NaN gradient where the mask is off gives 0, as
   in PyTorch, to first and second order (and where PyTorch multiplies, as dropout and amax do, minigan does too);
4. the smaller ones: retain_grad after an in-place change through a view, detach_ on a used leaf, ``+x``,
   ``scatter(dim, index, 0.0)``, ``flatten`` of a 1-D tensor, in-place changes of split/unbind/chunk outputs.

The survey calls every public Tensor method and ``minigan.*`` function (in-place ones aside) on a few inputs with
each argument list of a small catalogue; what runs is checked, and PyTorch runs the same call beside it.


(Its torch-free tests: tests/library/test_right_by_class.py.)"""

import warnings

import numpy as np
import pytest
from conftest import ulps

import minigan
import minigan.functional as MF
from minigan.engine.errors import GraphError
from pytorch.oracle import CLAMP_AT_A_BOUND

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
TF = torch.nn.functional
ERRORS = (RuntimeError, ValueError, TypeError, IndexError, KeyError, AttributeError, NotImplementedError,
          ZeroDivisionError, OverflowError)

# ----------------------------------------------------------------------------- the survey's calls
SKIP = {  # what is not an op on a value: the graph's own methods, conversions out of tensors, random draws, devices
    "backward", "register_hook", "retain_grad", "requires_grad_", "zero_grad", "detach_", "cuda", "cpu", "numpy",
    "tolist", "item", "data", "grad", "grad_fn", "is_leaf", "requires_grad", "name", "array", "device", "shape",
    "dtype", "ndim", "bernoulli", "multinomial", "new_empty", "normal_", "uniform_", "to_here", "type",
    "element_size", "itemsize", "nbytes", "get_device", "dim", "size", "numel", "nelement", "ndimension",
    "is_cuda", "is_cpu", "is_mps", "is_xpu", "is_floating_point", "is_nonzero", "is_same_size", "equal",
    "allclose", "histc", "unique", "manual_seed", "seed", "save", "load", "set_printoptions", "compile",
    "set_default_dtype", "get_default_dtype", "use_deterministic_algorithms", "set_grad_enabled", "no_grad",
    "enable_grad", "inference_mode", "set_num_threads", "get_num_threads", "use_backend", "from_numpy",
    "randn_like", "rand_like", "randint_like", "empty_like", "dropout", "rrelu", "bernoulli_", "tensor", "as_tensor",
}


def _inputs(lib):
    """(name, tensor) pairs: float64 leaves that require grad, of several ranks and layouts."""
    rng = np.random.default_rng(0)
    base = [("scalar", rng.normal(size=())), ("vector", rng.normal(size=(4,))), ("matrix", rng.normal(size=(3, 4))),
            ("square", rng.normal(size=(3, 3))), ("cube", rng.normal(size=(2, 3, 4))), ("row", rng.normal(size=(1, 3)))]
    return [(name, lib.tensor(v, requires_grad=True)) for name, v in base]


def _candidates(lib, x):
    """Argument lists to try after x (most fail for most ops: only what runs is checked)."""
    n = x.ndim
    same = lib.tensor(np.linspace(-1, 1, max(x.numel(), 1)).reshape(tuple(x.shape)))
    index = lib.tensor(np.zeros(tuple(x.shape), dtype=np.int64))
    mask = x.detach() > 0
    out = [(), (0,), (1,), (-1,), (2,), (0, 1), (1, 0), (same,), (mask,), (0.5,), (2.0,), (-0.5, 0.5),
           (lib.int64,), (lib.int32,), (lib.bool,), (lib.uint8,), (lib.float32,), (lib.float16,), ((1, 1),),
           ((2, 1),), (1, 1), (tuple(reversed(range(n))),), (tuple(x.shape),), ((-1,),), (0, 0, 1),
           (same, 0.5), (same, same), (mask, 0.0), (mask, same), (0, index), (0, index, same), (0, index, 0.5),
           (0, lib.tensor([0, 1])), (0, lib.tensor([0, 1]), 0.5), (-1, 0, 2), (2, -1), (1, 2), ([1, 3],), (x,)]
    return out


def _results(r):
    """The tensors a call returned (one, or a tuple/list/namedtuple of them)."""
    if isinstance(r, (tuple, list)):
        return [t for t in r if isinstance(t, (minigan.Tensor, torch.Tensor))]
    return [r] if isinstance(r, (minigan.Tensor, torch.Tensor)) else []


def _surface():
    """(label, minigan callable(x, *args), torch callable or None): every method and minigan.* function."""
    calls = []
    for name in sorted(n for n in dir(minigan.Tensor) if not n.startswith("_") and hasattr(minigan.Tensor, n)):
        if name in SKIP or name.endswith("_"):
            continue
        if isinstance(getattr(minigan.Tensor, name), property):  # T, mT: read as attributes
            calls.append((f"x.{name}", lambda x, *a, n=name: getattr(x, n) if not a else None,
                          (lambda x, *a, n=name: getattr(x, n) if not a else None) if hasattr(torch.Tensor, name)
                          else None))
            continue
        calls.append((f"x.{name}", lambda x, *a, n=name: getattr(x, n)(*a),
                      (lambda x, *a, n=name: getattr(x, n)(*a)) if hasattr(torch.Tensor, name) else None))
    for name in sorted(getattr(minigan, "__all__", dir(minigan))):
        fn = getattr(minigan, name, None)
        if name in SKIP or name.endswith("_") or not callable(fn) or isinstance(fn, type) or name.startswith("_"):
            continue
        calls.append((f"minigan.{name}", lambda x, *a, f=fn: f(x, *a),
                      (lambda x, *a, n=name: getattr(torch, n)(x, *a)) if hasattr(torch, name) else None))
    for name in ("relu", "relu6", "hardtanh", "leaky_relu", "elu", "threshold", "softmax", "log_softmax", "gelu",
                 "silu", "softplus", "logsigmoid", "hardsigmoid", "hardswish", "normalize", "pad"):
        calls.append((f"F.{name}", lambda x, *a, n=name: getattr(MF, n)(x, *a),
                      lambda x, *a, n=name: getattr(TF, n)(x, *a)))
    return calls


def _torch_args(args):
    conv = {minigan.int64: torch.int64, minigan.int32: torch.int32, minigan.bool: torch.bool,
            minigan.uint8: torch.uint8, minigan.float32: torch.float32, minigan.float16: torch.float16}
    out = []
    for a in args:
        if isinstance(a, minigan.Tensor):
            out.append(torch.from_numpy(np.array(a.detach().numpy())))
        else:
            try:
                out.append(conv.get(a, a))
            except TypeError:  # unhashable (a list)
                out.append(a)
    return tuple(out)


def _survey():
    """Every call that runs in minigan: (label, input name, args, minigan's x, its results, torch's x, results or
    None where PyTorch has no such call or refuses it).  Warnings and NumPy's floating-point errors are silenced
    around the whole survey (around each of its 135,000 calls, they had cost about a tenth of its time)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return _calls()


def _calls():
    rows = []
    for label, ours, theirs in _surface():
        for (name, x), (_, tx) in zip(_inputs(minigan), _inputs(torch)):
            for args in _candidates(minigan, x):
                if args and args[0] is x:
                    args = (x.detach() * 1.0,)
                try:
                    r = ours(x, *args)
                except ERRORS + (minigan.engine.errors.MiniganError,):
                    continue
                targs = (tx.detach() * 1.0,) if args and isinstance(args[0], minigan.Tensor) and \
                    args[0].shape == x.shape and args[0].dtype == x.dtype and args == (args[0],) else None
                t = None
                if theirs is not None:
                    try:
                        t = theirs(tx, *(_torch_args(args) if targs is None else targs))
                    except Exception:  # noqa: BLE001 - PyTorch refusing is fine: only minigan's result is checked
                        t = None
                rows.append((label, name, args, x, _results(r), tx, None if t is None else _results(t)))
    return rows


_SURVEY = []


def survey():
    if not _SURVEY:
        _SURVEY.extend(_survey())
    return _SURVEY


def _shares(a, b):
    return bool(np.shares_memory(np.asarray(a), np.asarray(b)))


# ----------------------------------------------------------------------------- 1. integer and bool results
def test_no_integer_or_bool_result_requires_grad():
    seen, wrong = set(), []
    for label, name, args, _x, results, _tx, _theirs in survey():
        for r in results:
            if r.dtype.kind in "biu":
                seen.add(label)
                if r.requires_grad or r.grad_fn is not None:
                    wrong.append(f"{label}{args} on {name}: {r.dtype} result requires grad")
    assert not wrong, wrong[:20]
    # the survey reached the casts, the arg-reductions and the comparisons (a check that cannot miss them all)
    for label in ("x.long", "x.int", "x.bool", "x.short", "x.byte", "x.char", "x.to", "x.astype", "x.type_as",
                  "x.argmax", "x.argmin", "x.argsort", "x.eq", "x.gt", "x.isnan", "minigan.argmax", "x.sort", "x.max",
                  "x.topk", "x.lt"):
        assert label in seen, label
    assert len(seen) >= 40, sorted(seen)


def test_integer_results_agree_with_pytorch_on_requires_grad():
    """Where PyTorch runs the same call, its results and minigan's agree on dtype kind and requires_grad."""
    compared = 0
    for label, name, args, _x, results, _tx, theirs in survey():
        if theirs is None or len(theirs) != len(results):
            continue
        for r, t in zip(results, theirs):
            if r.dtype.kind in "biu" or t.dtype in (torch.int64, torch.int32, torch.bool, torch.uint8, torch.int16):
                assert (r.dtype.kind in "biu") == (not t.dtype.is_floating_point), (label, args, name, r.dtype, t.dtype)
                assert r.requires_grad == t.requires_grad, (label, args, name)
                compared += 1
    assert compared >= 100, compared


@pytest.mark.parametrize("cast", ["long", "int", "bool", "short", "byte", "char", "to_int64", "type_as", "to_dtype",
                                  "astype", "argmax", "gt", "max_indices"])
def test_backward_through_an_integer_result_raises_or_ignores_it_as_pytorch(cast):
    def run(lib):
        x = lib.tensor([1.5, 2.5, -0.5], dtype=lib.float64, requires_grad=True)
        c = {"long": lambda: x.long(), "int": lambda: x.int(), "bool": lambda: x.bool(),
             "short": lambda: x.short(), "byte": lambda: x.byte(), "char": lambda: x.char(),
             "to_int64": lambda: x.to(lib.int64), "type_as": lambda: x.type_as(lib.tensor([1, 2])),
             "to_dtype": lambda: x.to(dtype=lib.int32), "astype": lambda: x.to(lib.int64),
             "argmax": lambda: x.argmax(), "gt": lambda: x > 0, "max_indices": lambda: x.max(0)[1]}[cast]()
        assert not c.requires_grad and c.grad_fn is None and c.is_leaf
        (c.double() * x).sum().backward()  # the integer result is a constant: d/dx = c
        grad = x.grad.detach().numpy().copy()
        try:
            c.double().sum().backward()
            return grad, "ran"
        except (RuntimeError, GraphError):
            return grad, "raised"

    ours, theirs = run(minigan), run(torch)
    np.testing.assert_array_equal(ours[0], theirs[0])
    assert ours[1] == theirs[1] == "raised"


def test_in_place_into_an_integer_tensor_is_not_recorded():
    for lib in (minigan, torch):
        x = lib.tensor([1.5, 2.5], dtype=lib.float64, requires_grad=True)
        i = lib.zeros(2, dtype=lib.int64)
        i.copy_(x * 2)
        i[0] = x[1]
        assert i.tolist() == [2, 5] and not i.requires_grad and i.grad_fn is None


# ----------------------------------------------------------------------------- 2. memory: a view, or a copy
# PyTorch's documented view ops (https://pytorch.org/docs/stable/tensor_view.html), each as minigan spells it.
VIEW_OPS = {
    "x[0]": lambda lib, x: x[0], "x[:, 1]": lambda lib, x: x[:, 1], "x[..., ::2]": lambda lib, x: x[..., ::2],
    "x[1:, None]": lambda lib, x: x[1:, None], "T": lambda lib, x: x.T, "mT": lambda lib, x: x.mT,
    "t": lambda lib, x: x.t(), "transpose": lambda lib, x: x.transpose(0, 1), "permute": lambda lib, x: x.permute(1, 0),
    "view": lambda lib, x: x.view(-1), "view_as": lambda lib, x: x.view_as(x.reshape(-1)),
    "reshape": lambda lib, x: x.reshape(4, 3), "flatten": lambda lib, x: x.flatten(),
    "unflatten": lambda lib, x: x.unflatten(1, (2, 2)), "unsqueeze": lambda lib, x: x.unsqueeze(0),
    "squeeze": lambda lib, x: x.unsqueeze(1).squeeze(1), "expand": lambda lib, x: x[None].expand(2, 3, 4),
    "expand_same": lambda lib, x: x.expand(3, 4), "expand_as": lambda lib, x: x[:1].expand_as(x),
    "narrow": lambda lib, x: x.narrow(1, 1, 2), "movedim": lambda lib, x: x.movedim(0, 1),
    "swapaxes": lambda lib, x: x.swapaxes(0, 1), "swapdims": lambda lib, x: x.swapdims(0, 1),
    "unbind": lambda lib, x: x.unbind(1)[2], "split": lambda lib, x: x.split(2, 1)[1],
    "split_sizes": lambda lib, x: x.split([1, 3], 1)[1], "chunk": lambda lib, x: x.chunk(2, 1)[0],
    "tensor_split": lambda lib, x: x.tensor_split(3, 1)[1], "hsplit": lambda lib, x: x.hsplit(2)[1],
    "vsplit": lambda lib, x: x.vsplit(3)[2], "einsum_ji": lambda lib, x: lib.einsum("ij->ji", x),
    "einsum_ij": lambda lib, x: lib.einsum("ij->ij", x), "einsum_diag": lambda lib, x: lib.einsum("ii->i", x[:, :3]),
    "contiguous": lambda lib, x: x.contiguous(), "positive": lambda lib, x: +x,
}
COPY_OPS = {  # documented to copy (or to copy when the layout needs it)
    "repeat_1": lambda lib, x: x.repeat(1, 1), "tile_1": lambda lib, x: x.tile((1, 1)), "repeat": lambda lib, x:
    x[:1].repeat(2, 1), "tile": lambda lib, x: x.tile((2,)), "clone": lambda lib, x: x.clone(),
    "flip": lambda lib, x: x.flip(0), "t_contiguous": lambda lib, x: x.t().contiguous(),
    "reshape_copy": lambda lib, x: x.t().reshape(-1), "flatten_copy": lambda lib, x: x.t().flatten(),
    "einsum_sum": lambda lib, x: lib.einsum("ij->j", x), "roll": lambda lib, x: x.roll(1, 0),
    "index": lambda lib, x: x[[0, 2]], "mask": lambda lib, x: x[x > 0], "to_same": lambda lib, x: x.to(lib.float32),
}


LEGACY = ("minigan.DoubleTensor", "minigan.FloatTensor")  # torch.DoubleTensor(t) aliases t: see docs/pytorch.md


def _torch_shares(r, x):
    return r.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()


@pytest.mark.parametrize("name", sorted(VIEW_OPS) + sorted(COPY_OPS))
def test_a_result_is_a_view_exactly_when_pytorchs_is(name):
    op = {**VIEW_OPS, **COPY_OPS}[name]
    rng = np.random.default_rng(1)
    v = rng.normal(size=(3, 4))
    x0, t0 = minigan.tensor(v, requires_grad=True), torch.tensor(v, requires_grad=True)
    x, t = x0 * 1.0, t0 * 1.0  # a non-leaf, so that in-place changes of the result are recorded
    r, s = op(minigan, x), op(torch, t)
    assert (r is x) == (s is t), name
    shares = _shares(r.array, x.array)
    assert shares == _torch_shares(s, t), f"{name}: minigan shares memory: {shares}"
    if shares and r is not x:
        assert r._counter is x._counter and r._base is x, name  # a registered view: x's version counter
    assert r.is_leaf == s.is_leaf and r.requires_grad == s.requires_grad, name


@pytest.mark.parametrize("name", ["einsum_ji", "einsum_ij", "einsum_diag", "T", "mT", "narrow", "expand_same",
                                  "t", "transpose", "unflatten", "movedim", "view", "contiguous"])
def test_an_in_place_change_through_a_view_reaches_the_base_history(name):
    """t = view(v); t.mul_(3): v's values AND history change (the issue's einsum case: dL/dx = 3(A + Bᵀ))."""
    def run(lib):
        rng = np.random.default_rng(2)
        x = lib.tensor(rng.normal(size=(3, 4)), requires_grad=True)
        w = lib.tensor(rng.normal(size=(3, 4)))
        v = x * 1.0
        r = VIEW_OPS[name](lib, v)
        r.mul_(3.0)
        (v * w).sum().backward()
        return v.detach().numpy().copy(), x.grad.numpy().copy()

    for a, b in zip(run(minigan), run(torch)):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_every_result_sharing_memory_is_a_registered_view():
    """The whole survey: any result sharing memory with its input is a view of it (same version counter, the input's
    base), and it shares memory exactly when PyTorch's result of the same call does."""
    checked, sharing, wrong = 0, 0, []
    for label, name, args, x, results, tx, theirs in survey():
        for k, r in enumerate(results):
            checked += 1
            if r is x or not _shares(r.array, x.array):
                share = False
            else:
                share, sharing = True, sharing + 1
                base = x if x._base is None else x._base
                detached = label in ("x.detach", "minigan.detach") or label == "x.view" and args and \
                    isinstance(args[0], minigan.dtype)  # (x's counter, no base: PyTorch's detach and view(dtype))
                if r._counter is not x._counter or (not detached and r._base is not base):
                    wrong.append(f"{label}{args} on {name}: shares memory, not a view")
            if theirs is not None and len(theirs) == len(results) and r is not x and label not in LEGACY:
                s = theirs[k]
                if s is not tx and share != _torch_shares(s, tx) and s.numel() and r.numel():
                    wrong.append(f"{label}{args} on {name}: shares memory {share}, PyTorch's {not share}")
    assert not wrong, wrong[:30]
    assert checked >= 2000 and sharing >= 150, (checked, sharing)


def test_no_result_is_a_view_of_a_temporary():
    """A registered view (``_base`` set) shares memory with the call's input or arguments: never with a temporary made
    on the way (max(dim)'s values, topk's, median's, quantile's, roll's and rot90's are new tensors, as PyTorch's),
    unless PyTorch's result is one too (repeat_interleave by an int count: a flatten of its own copy there)."""
    wrong = []
    for label, name, args, x, results, tx, theirs in survey():
        if label == "minigan.meshgrid":  # (views of its arguments, a 0-d comparison's NumPy scalar among them)
            continue
        operands = [x] + [a for a in args if isinstance(a, minigan.Tensor)]
        for k, r in enumerate(results):
            if theirs is not None and len(theirs) == len(results) and theirs[k] is not tx and \
                    theirs[k]._base is not None and not _torch_shares(theirs[k], tx):
                continue  # PyTorch's result is a view of a temporary of its own
            if r._base is not None and r.numel() and not any(
                    r._base is a or r._base is a._base or _shares(r.array, a.array) for a in operands):
                wrong.append(f"{label}{args} on {name}")
    assert not wrong, wrong[:30]


# ----------------------------------------------------------------------------- 3. masking backwards select
INF = float("inf")
X = [0.5, -1.0, 2.0, 0.0, -3.0, 6.0, 1.0]
UPSTREAM = [INF, -INF, 2.0, INF, float("nan"), -INF, INF]  # ±∞ and NaN, in masked-out places too
MASKING = {  # name: f(lib, x) -> y of x's shape (or a reduction, whose gradient is taken with ∞)
    "relu": lambda lib, x: x.relu(), "relu_sqrt": lambda lib, x: x.relu().sqrt(),
    "F.relu": lambda lib, x: _F(lib).relu(x), "clamp": lambda lib, x: x.clamp(-0.5, 1.5),
    "clamp_min": lambda lib, x: x.clamp(min=0.0), "clamp_max": lambda lib, x: x.clamp(max=1.0),
    "clamp_tensors": lambda lib, x: x.clamp(x.detach() * 0 - 0.5, x.detach() * 0 + 1.0),
    "hardtanh": lambda lib, x: _F(lib).hardtanh(x), "relu6": lambda lib, x: _F(lib).relu6(x),
    "threshold": lambda lib, x: _F(lib).threshold(x, 0.7, -2.0), "leaky_relu": lambda lib, x: _F(lib).leaky_relu(x),
    "leaky_relu_0": lambda lib, x: _F(lib).leaky_relu(x, 0.0), "abs": lambda lib, x: x.abs(),
    "maximum": lambda lib, x: lib.maximum(x, x.detach().flip(0)), "minimum": lambda lib, x: lib.minimum(x, x.flip(0)),
    "maximum_ties": lambda lib, x: lib.maximum(x, x.detach() * 0 + 1.0),
    "where": lambda lib, x: lib.where(x > 0, x, x * 2), "masked_fill": lambda lib, x: x.masked_fill(x < 0, 0.5),
    "index_fill": lambda lib, x: x.index_fill(0, lib.tensor([1, 3]), 7.0),
    "setitem_mask": lambda lib, x: _set(x * 1.0, x.detach() < 0, 0.0),
    "setitem_all": lambda lib, x: _set(x * 1.0, Ellipsis, 1.0), "setitem_slice": lambda lib, x: _set(x * 1.0,
                                                                                                    slice(1, 3), 0.0),
    "setitem_index": lambda lib, x: _set(x * 1.0, lib.tensor([0, 2]), 9.0),
    "fill_": lambda lib, x: (x * 1.0).fill_(2.0), "zero_": lambda lib, x: (x * 1.0).zero_(),
    "copy_": lambda lib, x: (x * 1.0).copy_(x.detach()), "view_fill_": lambda lib, x: _view_fill(x),
    "sign": lambda lib, x: x.sign(), "floor": lambda lib, x: x.floor(), "round": lambda lib, x: x.round(),
    "trunc": lambda lib, x: x.trunc(), "ceil": lambda lib, x: x.ceil(), "frac": lambda lib, x: x.frac(),
    "max_all": lambda lib, x: x.max(), "min_all": lambda lib, x: x.min(), "amax": lambda lib, x: x.amax(),
    "amax_dim": lambda lib, x: x.reshape(1, -1).amax(1), "max_dim": lambda lib, x: x.reshape(1, -1).max(1)[0],
    "norm_inf": lambda lib, x: x.norm(float("inf")), "dropout_all": lambda lib, x: _F(lib).dropout(x, 1.0),
    "max_pool": lambda lib, x: _F(lib).max_pool2d(x[:6].reshape(1, 1, 2, 3), 2, 1).reshape(-1),
    "gather": lambda lib, x: x.gather(0, lib.tensor([1, 1, 2])), "index": lambda lib, x: x[lib.tensor([0, 0, 5])],
    "masked_select": lambda lib, x: x.masked_select(x > 0), "tril": lambda lib, x: x[:6].reshape(2, 3).tril(),
    "einsum_trace": lambda lib, x: lib.einsum("ii", x[:4].reshape(2, 2)),
    "einsum_diag": lambda lib, x: lib.einsum("ii->i", x[:4].reshape(2, 2)),
    "scatter": lambda lib, x: x.scatter(0, lib.tensor([0, 3]), x.detach()[:2] * 0 + 5.0),
    "div_floor": lambda lib, x: x.div(2.0, rounding_mode="floor"),
}
SECOND_ORDER = ["relu", "hardtanh", "relu6", "clamp", "clamp_tensors", "maximum", "minimum", "where", "masked_fill",
                "leaky_relu", "abs", "setitem_mask", "setitem_slice", "max_all", "amax", "fill_", "sign", "threshold",
                "index_fill", "einsum_diag", "gather"]  # (max_pool's: docs/pytorch.md: x.grad None, PyTorch's 0)


def _no_graph(result):
    return isinstance(result[0], str)


def _F(lib):
    return MF if lib is minigan else TF


def _set(y, index, value):
    y[index] = value
    return y


def _view_fill(x):
    y = x * 1.0
    y[1:4].fill_(0.0)
    return y


def _upstream(lib, y, requires_grad=False):
    values = np.resize(np.array(UPSTREAM), max(y.numel(), 1)).reshape(tuple(y.shape))
    return lib.tensor(values, requires_grad=requires_grad)


def _masking(lib, name, order):
    x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
    with np.errstate(all="ignore"):
        y = MASKING[name](lib, x)
        if order == 1:
            g = _upstream(lib, y)
            y.backward(g)
            return [None if x.grad is None else x.grad.detach().numpy(force=True).copy()]
        g = _upstream(lib, y, requires_grad=True)
        (gx,) = lib.autograd.grad(y, x, g, create_graph=True)
        if not gx.requires_grad:
            return ["no graph", gx.detach().numpy().copy()]
        (gx * lib.tensor(np.linspace(1, 2, len(X)))).sum().backward()
        return [gx.detach().numpy().copy()] + [None if t.grad is None else t.grad.detach().numpy(force=True).copy()
                                                for t in (x, g)]


def _same(ours, theirs, name):
    """Where a mask is off, exactly 0 (or the ±∞/NaN passed through) as PyTorch; where it is on, the same value
    to a few ulps: PyTorch's kernels and NumPy's need not round a formula such as sqrt's 1/(2√x) alike."""
    np.testing.assert_allclose(ours, theirs, rtol=ulps(ours.dtype, 4), atol=0, equal_nan=True, err_msg=name)


def _at_a_bound(names, marked):  # X holds 0.0 and 1.0: clamp_min(0), clamp_max(1) and clamp_tensors meet a bound
    return [pytest.param(n, marks=[CLAMP_AT_A_BOUND] if n in marked else []) for n in names]


@pytest.mark.parametrize("name", _at_a_bound(sorted(MASKING), {"clamp_min", "clamp_max"}))
def test_masking_backward_matches_pytorch_under_infinite_gradients(name):
    ours, theirs = _masking(minigan, name, 1), _masking(torch, name, 1)
    _same(ours[0], theirs[0], name)


@pytest.mark.parametrize("name", _at_a_bound(SECOND_ORDER, {"clamp_tensors"}))
def test_masking_double_backward_matches_pytorch_under_infinite_gradients(name):
    ours, theirs = _masking(minigan, name, 2), _masking(torch, name, 2)
    assert len(ours) == len(theirs) and (_no_graph(ours)) == (_no_graph(theirs)), (ours, theirs)
    for a, b in zip(ours, theirs):
        if isinstance(a, str):
            continue
        assert (a is None) == (b is None), (name, ours, theirs)
        if a is not None:
            _same(a, b, name)


# ----------------------------------------------------------------------------- 4. the smaller ones
def _both(fn):
    out = []
    for lib in (minigan, torch):
        try:
            out.append(fn(lib))
        except (RuntimeError, GraphError) as e:
            out.append(f"raised {type(e).__name__}")
    return out


def test_retain_grad_follows_an_in_place_change_through_a_view():
    def run(lib):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        v = x * 1
        v.retain_grad()
        v[:1].mul_(2)
        (v * v).sum().backward()
        return v.grad.tolist(), x.grad.tolist()

    ours, theirs = _both(run)
    assert ours == theirs == ([4.0, 4.0], [8.0, 4.0])


def test_retain_grad_of_a_view_follows_its_base_changed_in_place():
    def run(lib):
        x = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        b = x * 1
        v = b[1:]
        v.retain_grad()
        b.mul_(2)
        (v * v).sum().backward()
        return v.grad.tolist(), x.grad.tolist()

    ours, theirs = _both(run)
    assert ours == theirs


def test_detach_in_place_of_a_used_leaf_leaves_grad_none():
    def run(lib):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        w = lib.tensor([3.0, 4.0], dtype=lib.float64, requires_grad=True)
        y = (x * x * w).sum()
        x.detach_()
        y.backward()
        return x.grad, w.grad.tolist(), x.requires_grad, x.is_leaf

    ours, theirs = _both(run)
    assert ours == theirs and ours[0] is None


def test_unary_plus_is_the_tensor_itself():
    for lib in (minigan, torch):
        x = lib.tensor([1.0, -2.0], requires_grad=True)
        assert (+x) is x and lib.positive(x) is x
        with pytest.raises((TypeError, RuntimeError)):
            +lib.tensor([True])


def test_scatter_takes_a_number_as_pytorch():
    index = [[0], [1]]
    for method in ("scatter", "scatter_"):
        out = []
        for lib in (minigan, torch):
            x = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
            out.append(getattr(x, method)(1, lib.tensor(index), 0.0).tolist())
        assert out[0] == out[1] == [[0.0, 2.0], [3.0, 0.0]]
    x = minigan.tensor([[1.0, 2.0]], requires_grad=True)
    y = x.scatter(1, minigan.tensor([[1]]), 5.0)
    y.sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0]]


def test_flatten_of_a_vector_is_itself_and_of_a_scalar_a_view():
    for lib in (minigan, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        assert x.flatten() is x and x.flatten(0, 0) is x
        m = lib.ones(2, 3, requires_grad=True)
        assert m.flatten(1, 1) is m and m.flatten(-1) is m
        s = lib.tensor(3.0, requires_grad=True)
        f = s.flatten()
        assert f is not s and tuple(f.shape) == (1,) and f._base is s and not f.is_leaf


# (PyTorch's tensor_split slices, so its outputs may change in place; a view of split's output may not)
@pytest.mark.parametrize("maker", ["split", "split_sizes", "chunk", "unbind", "tensor_split", "hsplit", "view_of"])
@pytest.mark.parametrize("change", ["mul_", "add_", "setitem", "zero_"])
def test_outputs_of_split_unbind_chunk_refuse_in_place_changes_as_pytorch(maker, change):
    def run(lib, requires_grad, under_no_grad):
        x = lib.tensor(np.arange(8.0).reshape(2, 4), requires_grad=requires_grad)
        base = x * 1.0
        piece = {"split": lambda: base.split(2, 1)[0], "split_sizes": lambda: base.split([1, 3], 1)[1],
                 "chunk": lambda: base.chunk(2)[1], "unbind": lambda: base.unbind(1)[2],
                 "tensor_split": lambda: base.tensor_split(2, 1)[0], "hsplit": lambda: base.hsplit(2)[1],
                 "view_of": lambda: base.split(2, 1)[0][:, :1]}[maker]()
        do = {"mul_": lambda: piece.mul_(2.0), "add_": lambda: piece.add_(1.0),
              "setitem": lambda: piece.__setitem__(0, 5.0), "zero_": lambda: piece.zero_()}[change]
        try:
            if under_no_grad:
                with lib.no_grad():
                    do()
            else:
                do()
        except (RuntimeError, GraphError):
            return "raised"
        return base.detach().numpy().tolist()

    for requires_grad in (True, False):
        for under_no_grad in (True, False):
            ours, theirs = run(minigan, requires_grad, under_no_grad), run(torch, requires_grad, under_no_grad)
            assert ours == theirs, (requires_grad, under_no_grad, ours, theirs)


# ----------------------------------------------------------------------------- found by the random programs
def _run_both(fn):
    out = []
    for lib in (minigan, torch):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out.append(fn(lib))
        except (RuntimeError, GraphError, ValueError) as e:
            out.append(f"raised {type(e).__name__ in ('RuntimeError', 'GraphError', 'ShapeError')}")
    return out


def test_a_view_used_under_no_grad_keeps_its_history_up_to_date():
    """A view whose base changed in place, read once under no_grad, still gets its new history when next used."""
    def run(lib):
        x = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        b = x * 1.0
        v = b[:2]
        b.mul_(3.0)
        with lib.no_grad():
            v * 1.0
        (v * v).sum().backward()
        return x.grad.tolist()

    ours, theirs = _run_both(run)
    assert ours == theirs == [18.0, 36.0, 0.0]


@pytest.mark.parametrize("made", ["split", "unbind", "chunk", "no_grad"])
def test_a_split_or_no_grad_view_whose_base_changed_is_refused_in_a_graph(made):
    def run(lib):
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], dtype=lib.float64, requires_grad=True)
        b = x * 1.0
        if made == "no_grad":
            with lib.no_grad():
                v = b[:2]
        else:
            v = {"split": lambda: b.split(2)[0], "unbind": lambda: b.unbind(0)[1],
                 "chunk": lambda: b.chunk(2)[1]}[made]()
        with lib.no_grad():
            b.mul_(2.0)
        return (v * 2.0).sum().item()

    ours, theirs = _run_both(run)
    assert ours == theirs == "raised True"


def test_view_refuses_a_layout_that_needs_a_copy():
    for lib in (minigan, torch):
        x = lib.ones(3, 4)
        with pytest.raises((RuntimeError, ValueError)):
            x.t().view(-1)
        assert tuple(x.t().reshape(-1).shape) == (12,) and tuple(x[:, ::2].view(6).shape) == (6,)


def test_in_place_change_of_a_view_of_a_detached_leaf_is_refused():
    def run(lib):
        x = lib.ones(2, 3, dtype=lib.float64, requires_grad=True)
        v = x.expand(2, 3)
        x.detach_()
        v.mul_(2.0)
        return v.tolist()

    ours, theirs = _run_both(run)
    assert ours == theirs == "raised True"
