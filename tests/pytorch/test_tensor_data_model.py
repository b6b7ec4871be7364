"""The tensor's Python data model against PyTorch's, surveyed by kind: attributes of one's own (and what __dict__,
copy, deepcopy, pickle and save do with them), NumPy's protocols (__array__, __array_wrap__, ufuncs and functions on
a tensor, read-only arrays), the number protocols (__index__, __int__, __float__, __bool__, __format__, round,
divmod), sequences (len, iter, in, reversed, unpacking), hashing and weak references, the legacy constructors'
sharing (Tensor(t), Tensor(storage), Tensor(array)) and matplotlib given tensors.

Each entry of CASES is one line a program writes, run on both libraries; what it gives (a value, a tensor's dtype,
shape and values, an array, or the class of what it raises) must be the same.  DIFFERENT holds what minigan does
otherwise on purpose, each with its reason (docs/pytorch.md's table): the test checks minigan's side and that PyTorch
still differs.  MESSAGES holds the doors whose refusal names what to write instead: PyTorch's class, minigan's words.
"""

import copy
import math
import operator
import os
import pickle
import tempfile
import warnings
import weakref

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402


# ----------------------------------------------------------------------------- what a line gives, comparable
def _seen(value, lib):
    """What a program sees of ``value``, in terms both libraries share."""
    if isinstance(value, BaseException):
        return ("raises", type(value))
    if isinstance(value, lib.Tensor):
        return ("tensor", str(value.dtype).split(".")[-1], tuple(value.shape), value.detach().tolist())
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.tolist())
    if isinstance(value, np.generic):
        return ("numpy scalar", value.dtype.str, value.item())
    if isinstance(value, lib.Size):
        return ("Size", tuple(value))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_seen(v, lib) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, _seen(v, lib)) for k, v in value.items()))
    if isinstance(value, str):
        return ("str", value.replace("torch", "minigan"))
    if isinstance(value, (bool, int, float, complex, type(None))):
        return (type(value).__name__, value)
    return ("object", type(value).__name__)


def _run(program, lib):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return _seen(program(lib), lib)
        except Exception as e:  # (the class is what is compared)
            return _seen(e, lib)


def _same(ours, theirs):
    """minigan's outcome is PyTorch's: equal values (floats to float32 rounding), and a refusal of PyTorch's class
    (minigan's classes subclass PyTorch's: a ShapeError is a RuntimeError and a ValueError)."""
    raised = [isinstance(x, tuple) and len(x) == 2 and x[0] == "raises" for x in (ours, theirs)]
    if any(raised):
        return all(raised) and issubclass(ours[1], theirs[1])
    if isinstance(ours, tuple) and isinstance(theirs, tuple):
        return len(ours) == len(theirs) and all(_same(a, b) for a, b in zip(ours, theirs))
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(_same(a, b) for a, b in zip(ours, theirs))
    if isinstance(ours, float) and isinstance(theirs, float):
        return ours == theirs or (math.isnan(ours) and math.isnan(theirs)) or math.isclose(ours, theirs, rel_tol=1e-6)
    return ours == theirs


def _plt():
    matplotlib = pytest.importorskip("matplotlib", reason="needs matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.close("all")
    return plt


def _saved(lib, x, **keywords):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "x.pt")
        lib.save(x, path)
        return lib.load(path, **keywords)


def _with(lib, **attributes):
    t = lib.tensor([1.0, 2.0])
    t.__dict__.update(attributes)
    return t


def _after(fn, value):
    """``fn(value)`` for its effect, then ``value``."""
    fn(value)
    return value


def _f32():
    return np.ones(2, dtype=np.float32)


def _read_only(a):
    a.setflags(write=False)
    return a


def _no_grad(lib, fn):
    with lib.no_grad():
        return fn()


def _unpack2(t):
    a, b = t
    return a, b


# ----------------------------------------------------------------------------- the survey
CASES = {
    # attributes of one's own, and what copies, pickles and files do with them
    "t.g = v; t.g": lambda lib: _with(lib, g=lib.ones(3)).g,
    "t.__dict__": lambda lib: sorted(_with(lib, g=1, note="hi").__dict__),
    "vars(t)": lambda lib: sorted(vars(_with(lib, g=1))),
    "'g' in dir(t)": lambda lib: "g" in dir(_with(lib, g=1)),
    "del t.g": lambda lib: hasattr(_after(lambda t: delattr(t, "g"), _with(lib, g=1)), "g"),
    "a fresh tensor's __dict__": lambda lib: lib.zeros(2).__dict__,
    "copy.copy(t).g": lambda lib: copy.copy(_with(lib, g=lib.ones(2))).g,
    "copy.copy shares the attribute": lambda lib: (lambda t: copy.copy(t).g is t.g)(_with(lib, g=lib.ones(2))),
    "copy.deepcopy(t).g": lambda lib: copy.deepcopy(_with(lib, g=lib.ones(2))).g,
    "deepcopy copies the attribute": lambda lib: (lambda t: copy.deepcopy(t).g is t.g)(_with(lib, g=lib.ones(2))),
    "pickle keeps t.g": lambda lib: pickle.loads(pickle.dumps(_with(lib, g=lib.ones(2), note="hi"))).note,
    "deepcopy of a non-leaf with t.g": lambda lib: copy.deepcopy(
        _after(lambda y: setattr(y, "g", 1), lib.ones(2, requires_grad=True) * 2)),
    "a view, detach, clone, .data: no t.g": lambda lib: (lambda t: [hasattr(x, "g") for x in (
        t[:1], t.detach(), t.clone(), t.data)])(_with(lib, g=1)),
    "state_dict's tensor has no p.g": lambda lib: hasattr(
        _after(lambda m: setattr(m.weight, "g", 1), lib.nn.Linear(2, 2)).state_dict()["weight"], "g"),
    "Parameter: pickle keeps p.g": lambda lib: pickle.loads(pickle.dumps(
        _after(lambda p: setattr(p, "g", 7), lib.nn.Parameter(lib.ones(2))))).g,
    "Parameter: copy.copy keeps p.g": lambda lib: copy.copy(
        _after(lambda p: setattr(p, "g", 7), lib.nn.Parameter(lib.ones(2)))).g,
    "Parameter: deepcopy drops p.g": lambda lib: copy.deepcopy(
        _after(lambda p: setattr(p, "g", 7), lib.nn.Parameter(lib.ones(2)))).g,
    "save/load keeps t.g": lambda lib: _saved(lib, _with(lib, g=lib.tensor([3.0, 4.0]), note="hi")).g,
    "save/load of a dict keeps t.note": lambda lib: _saved(lib, {"w": _with(lib, note="hi")})["w"].note,
    "a misspelt attribute": lambda lib: lib.ones(2).gard,
    "del t.grad": lambda lib: _after(lambda t: delattr(t, "grad"), _after(
        lambda t: t.sum().backward(), lib.ones(2, requires_grad=True))).grad,
    "t.shape = ...": lambda lib: setattr(lib.ones(2), "shape", (2,)),
    "t.dtype = ...": lambda lib: setattr(lib.ones(2), "dtype", lib.float64),
    "t.ndim = ...": lambda lib: setattr(lib.ones(2), "ndim", 2),
    "t.is_leaf = ...": lambda lib: setattr(lib.ones(2), "is_leaf", True),
    "t.grad_fn = ...": lambda lib: setattr(lib.ones(2), "grad_fn", None),
    "t.device = ...": lambda lib: setattr(lib.ones(2), "device", "cpu"),
    "t.T = ...": lambda lib: setattr(lib.ones(2, 2), "T", lib.ones(2, 2)),
    "t.requires_grad = 1": lambda lib: setattr(lib.ones(2), "requires_grad", 1),
    "t.grad = a wrong shape": lambda lib: setattr(lib.ones(2), "grad", lib.ones(3)),
    # NumPy's protocols
    "np.asarray(t)": lambda lib: np.asarray(lib.tensor([1.5, -2.0])),
    "np.asarray(t) shares": lambda lib: (lambda t: (np.asarray(t).__setitem__(0, 9), t)[1])(lib.ones(2)),
    "np.array(t) copies": lambda lib: (lambda t: (np.array(t).__setitem__(0, 9), t)[1])(lib.ones(2)),
    "np.asarray(t, float64)": lambda lib: np.asarray(lib.tensor([1.5]), dtype=np.float64),
    "np.asarray(t).flags.writeable": lambda lib: np.asarray(lib.ones(2)).flags.writeable,
    "np.asarray(t requiring grad)": lambda lib: np.asarray(lib.ones(2, requires_grad=True)),
    "np.exp(t requiring grad)": lambda lib: np.exp(lib.ones(2, requires_grad=True)),
    "np.exp(Parameter)": lambda lib: np.exp(lib.nn.Parameter(lib.ones(2))),
    "np.mean(losses), 0-d tensors": lambda lib: np.mean([lib.tensor(1.5), lib.tensor(2.5)]),
    "np.mean(losses) requiring grad": lambda lib: np.mean([lib.ones((), requires_grad=True) * 1.5,
                                                           lib.ones((), requires_grad=True) * 2.5]),
    "np.asarray(t requiring grad) under no_grad": lambda lib: _no_grad(lib, lambda: np.asarray(
        lib.ones(2, requires_grad=True))),
    "np.float32(0-d)": lambda lib: np.float32(lib.tensor(1.5)),
    "np.array([one-element, ...], float32)": lambda lib: np.array([lib.tensor([1.5]), lib.tensor([2.0])],
                                                                   dtype=np.float32),
    "np.exp(t.detach())": lambda lib: np.exp(lib.ones(2, requires_grad=True).detach()),
    "np.exp(t)": lambda lib: np.exp(lib.tensor([0.5, -2.0, 3.0])),
    "np.exp(0-d)": lambda lib: np.exp(lib.tensor(2.0)),
    "np.exp(int64)": lambda lib: np.exp(lib.tensor([1, 2])),
    "np.isfinite(t)": lambda lib: np.isfinite(lib.tensor([1.0, float("inf"), float("nan")])),
    "np.isfinite(0-d)": lambda lib: np.isfinite(lib.tensor(1.0)),
    "np.isfinite(t).all()": lambda lib: bool(np.isfinite(lib.tensor([1.0, 2.0])).all()),
    "np.isnan(t).any()": lambda lib: np.isnan(lib.tensor([1.0, 2.0])).any(),
    "np.sqrt(t) of negatives": lambda lib: np.sqrt(lib.tensor([4.0, -1.0])),
    "np.log(t)": lambda lib: np.log(lib.tensor([1.0, 2.0])),
    "np.abs(t)": lambda lib: np.abs(lib.tensor([-1.5, 2.0])),
    "np.maximum(t, 0)": lambda lib: np.maximum(lib.tensor([-1.5, 2.0]), 0),
    "np.add(t, t)": lambda lib: np.add(lib.tensor([1.5, 2.0]), lib.tensor([1.0, 1.0])),
    "np.add(array, t)": lambda lib: np.add(np.ones(2), lib.tensor([1.5, 2.0])),
    "np.add(t, 1, out=array)": lambda lib: np.add(lib.tensor([1.5, 2.0]), 1, out=np.zeros(2)),
    "np.exp(t, out=t)": lambda lib: np.exp(lib.ones(2), out=lib.ones(2)),
    "np.add.reduce(t)": lambda lib: np.add.reduce(lib.tensor([1.5, 2.0])),
    "np.add.accumulate(t)": lambda lib: np.add.accumulate(lib.tensor([1.5, 2.0])),
    "np.multiply.outer(t, t)": lambda lib: np.multiply.outer(lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0])),
    "np.modf(t)": lambda lib: np.modf(lib.tensor([1.5, -2.25])),
    "np.round(t, 1)": lambda lib: np.round(lib.tensor([1.26, -2.0]), 1),
    "np.clip(int64, 1, 2)": lambda lib: np.clip(lib.tensor([0, 1, 3]), 1, 2),
    "np.cumsum(t)": lambda lib: np.cumsum(lib.tensor([1.5, 2.0])),
    "np.argsort(t)": lambda lib: np.argsort(lib.tensor([2.0, 1.0])),
    "np.argmax(t)": lambda lib: np.argmax(lib.tensor([2.0, 5.0, 1.0])),
    "np.transpose(t)": lambda lib: np.transpose(lib.ones(2, 3)),
    "np.reshape(t)": lambda lib: np.reshape(lib.arange(4.0), (2, 2)),
    "np.repeat(t, 2)": lambda lib: np.repeat(lib.tensor([1.0, 2.0]), 2),
    "np.squeeze(t)": lambda lib: np.squeeze(lib.ones(1, 2)),
    "np.concatenate([t, t])": lambda lib: np.concatenate([lib.ones(2), lib.zeros(1)]),
    "np.stack([t, t])": lambda lib: np.stack([lib.ones(2), lib.zeros(2)]),
    "np.sort(t)": lambda lib: np.sort(lib.tensor([2.0, 1.0])),
    "np.where(t > 0)": lambda lib: np.where(lib.tensor([1.0, -1.0, 2.0]) > 0),
    "np.where(np.isfinite(t), t, 0)": lambda lib: (lambda t: np.where(np.isfinite(t), t, 0))(lib.tensor([1.0, 2.0])),
    "np.array([t, t])": lambda lib: np.array([lib.ones(2), lib.zeros(2)]),
    "np.array([0-d, 0-d])": lambda lib: np.array([lib.tensor(1.5), lib.tensor(2.0)]),
    "np.allclose(t, t)": lambda lib: np.allclose(lib.ones(2), lib.ones(2)),
    "np.linalg.norm(t)": lambda lib: np.linalg.norm(lib.tensor([3.0, 4.0])),
    "np.histogram(t)": lambda lib: np.histogram(lib.tensor([1.0, 2.0, 3.0]), bins=2),
    "np.shape(t)": lambda lib: np.shape(lib.ones(2, 3)),
    "np.ndim(t)": lambda lib: np.ndim(lib.ones(2, 3)),
    "np.sum(t)": lambda lib: np.sum(lib.ones(2)),
    "np.mean(t)": lambda lib: np.mean(lib.ones(2)),
    "np.zeros(0-d int)": lambda lib: np.zeros(lib.tensor(3)),
    "array[0-d int]": lambda lib: np.arange(5)[lib.tensor(3)],
    "array[int vector]": lambda lib: np.arange(5)[lib.tensor([1, 3])],
    "array[bool vector]": lambda lib: np.arange(3)[lib.tensor([True, False, True])],
    "array[0] = 0-d": lambda lib: _after(lambda a: a.__setitem__(0, lib.tensor(2.5)), np.zeros(2)),
    "t * array": lambda lib: lib.tensor([1.5, 2.0]) * np.ones(2),
    "t + array (float32)": lambda lib: lib.tensor([1.5, 2.0]) + np.ones(2, dtype=np.float32),
    "np.float64 * t": lambda lib: np.float64(2) * lib.tensor([1.5, 2.0]),
    "np.float32 + t": lambda lib: np.float32(2) + lib.tensor([1.5, 2.0]),
    "np.int64 * int64": lambda lib: np.int64(2) * lib.tensor([1, 2]),
    "np.float64 + 0-d": lambda lib: np.float64(2) + lib.tensor(1.5),
    "t.numpy() of a read-only array's tensor": lambda lib: lib.tensor(_read_only(np.ones(2))).numpy().flags.writeable,
    "tensor(read-only array)": lambda lib: lib.tensor(_read_only(np.arange(3.0))),
    "from_numpy(read-only array)": lambda lib: lib.from_numpy(_read_only(np.arange(3.0))),
    "as_tensor(read-only array)": lambda lib: lib.as_tensor(_read_only(np.arange(3.0))),
    # the number protocols
    "list[0-d int]": lambda lib: [10, 20, 30, 40][lib.tensor(2)],
    "list[one-element int]": lambda lib: [10, 20, 30][lib.tensor([2])],
    "list[one-element 2-d]": lambda lib: [10, 20][lib.tensor([[1]])],
    "list[0-d float]": lambda lib: [10, 20][lib.tensor(1.0)],
    "list[0-d bool]": lambda lib: [10, 20][lib.tensor(True)],
    "operator.index(bool)": lambda lib: operator.index(lib.tensor(True)),
    "range(0-d)": lambda lib: list(range(lib.tensor(3))),
    "hex(0-d)": lambda lib: hex(lib.tensor(255)),
    "int(0-d float)": lambda lib: int(lib.tensor(-3.7)),
    "int(one-element)": lambda lib: int(lib.tensor([[4.2]])),
    "int(t)": lambda lib: int(lib.ones(2)),
    "float(0-d int)": lambda lib: float(lib.tensor(5)),
    "float(t)": lambda lib: float(lib.ones(2)),
    "complex(0-d)": lambda lib: complex(lib.tensor(2.5)),
    "bool(0-d)": lambda lib: bool(lib.tensor(0.0)),
    "bool(one-element)": lambda lib: bool(lib.tensor([3])),
    "bool(t)": lambda lib: bool(lib.ones(2)),
    "bool(empty)": lambda lib: bool(lib.ones(0)),
    "if t < 0.5": lambda lib: "yes" if lib.tensor(0.25) < 0.5 else "no",
    "format(0-d, '.2f')": lambda lib: format(lib.tensor(3.7), ".2f"),
    "f'{0-d:>10}'": lambda lib: f"{lib.tensor(3.7):>10}",
    "f'{0-d int:d}'": lambda lib: f"{lib.tensor(5):d}",
    "f'{0-d int:05d}'": lambda lib: f"{lib.tensor(5):05d}",
    "f'{0-d:e}'": lambda lib: f"{lib.tensor(1234.5):e}",
    "f'{0-d:%}'": lambda lib: f"{lib.tensor(0.25):%}",
    "format(0-d, '')": lambda lib: format(lib.tensor(3.7), ""),
    "f'{0-d bool}'": lambda lib: f"{lib.tensor(True)}",
    "f'{t}'": lambda lib: f"{lib.tensor([1.5, 2.0])}",
    "format(t, '.2f')": lambda lib: format(lib.tensor([1.5, 2.0]), ".2f"),
    "format(one-element, '.3f')": lambda lib: format(lib.tensor([2.5]), ".3f"),
    "'%.3f' % 0-d": lambda lib: "%.3f" % lib.tensor(2.5),
    "'%d' % 0-d int": lambda lib: "%d" % lib.tensor(7),
    "round(0-d)": lambda lib: round(lib.tensor(3.7)),
    "round(0-d, 2)": lambda lib: round(lib.tensor(3.7), 2),
    "math.floor(0-d)": lambda lib: math.floor(lib.tensor(3.7)),
    "math.ceil(0-d)": lambda lib: math.ceil(lib.tensor(3.2)),
    "math.trunc(0-d)": lambda lib: math.trunc(lib.tensor(3.7)),
    "math.sqrt(0-d)": lambda lib: math.sqrt(lib.tensor(4.0)),
    "math.isclose(0-d, x)": lambda lib: math.isclose(lib.tensor(0.5), 0.5),
    "divmod(t, 2)": lambda lib: divmod(lib.tensor([7.0, -7.0]), 2),
    "divmod(7, t)": lambda lib: divmod(7, lib.tensor([2.0, -3.0])),
    "t // 2 (negatives)": lambda lib: lib.tensor([7.0, -7.0]) // 2,
    "t % 2 (negatives)": lambda lib: lib.tensor([7.0, -7.0]) % 2,
    "7 % t": lambda lib: 7 % lib.tensor([2.0, -3.0]),
    "int64 // int64": lambda lib: lib.tensor([7, -7]) // lib.tensor([2, 2]),
    "2 ** t": lambda lib: 2 ** lib.tensor([1.0, 3.0]),
    "abs(t)": lambda lib: abs(lib.tensor([-1.5, 2.0])),
    "+t, -t": lambda lib: (+lib.tensor([1.5]), -lib.tensor([1.5])),
    "~bool": lambda lib: ~lib.tensor([True, False]),
    "~int64": lambda lib: ~lib.tensor([0, 5]),
    # sequences
    "len(t)": lambda lib: len(lib.ones(3, 2)),
    "len(0-d)": lambda lib: len(lib.tensor(1.0)),
    "list(t)": lambda lib: list(lib.tensor([1.5, 2.0])),
    "list(2-d)": lambda lib: list(lib.tensor([[1, 2], [3, 4]])),
    "iter(0-d)": lambda lib: list(lib.tensor(1.0)),
    "3.0 in t": lambda lib: 3.0 in lib.tensor([1.0, 3.0]),
    "7 in t": lambda lib: 7 in lib.tensor([1.0, 3.0]),
    "0-d in t": lambda lib: lib.tensor(3.0) in lib.tensor([1.0, 3.0]),
    "row in 2-d": lambda lib: lib.tensor([1, 2]) in lib.tensor([[1, 2], [3, 4]]),
    "'a' in t": lambda lib: "a" in lib.tensor([1.0]),
    "None in t": lambda lib: None in lib.tensor([1.0]),
    "reversed(t)": lambda lib: reversed(lib.tensor([1.5, 2.0, 3.0])),
    "reversed(2-d)": lambda lib: reversed(lib.tensor([[1, 2], [3, 4]])),
    "reversed(0-d)": lambda lib: reversed(lib.tensor(1.0)),
    "a, b, c = t": lambda lib: tuple(lib.tensor([1.5, 2.0, 3.0])),
    "a, b = t (3 entries)": lambda lib: _unpack2(lib.tensor([1.5, 2.0, 3.0])),
    "a, b = 2-d": lambda lib: _unpack2(lib.tensor([[1, 2], [3, 4]])),
    "sorted(t)": lambda lib: sorted(lib.tensor([2.0, 1.0, 3.0])),
    "max(t)": lambda lib: max(lib.tensor([2.0, 1.0, 3.0])),
    "sum(t)": lambda lib: sum(lib.tensor([2.0, 1.0, 3.0])),
    "zip(t, t)": lambda lib: list(zip(lib.tensor([1.0, 2.0]), lib.tensor([3, 4]))),
    "enumerate(t)": lambda lib: list(enumerate(lib.tensor([1.0, 2.0]))),
    "[1, 2] * 0-d int": lambda lib: [1, 2] * lib.tensor(2),
    # hashing and weak references
    "hash(t) by identity": lambda lib: (lambda t: (hash(t) == hash(t), hash(t) == hash(t.clone())))(lib.ones(2)),
    "{t, t}": lambda lib: (lambda t: len({t, t}))(lib.ones(2)),
    "{t: 1}[t]": lambda lib: (lambda t: {t: 1}[t])(lib.ones(2)),
    "equal tensors are two keys": lambda lib: len({lib.ones(2): 1, lib.ones(2): 2}),
    "weakref.ref(t)() is t": lambda lib: (lambda t: weakref.ref(t)() is t)(lib.ones(2)),
    "WeakSet": lambda lib: (lambda t: len(weakref.WeakSet([t])))(lib.ones(2)),
    "WeakKeyDictionary": lambda lib: (lambda t: len(weakref.WeakKeyDictionary({t: 1})))(lib.ones(2)),
    "WeakValueDictionary": lambda lib: (lambda t: weakref.WeakValueDictionary({"t": t})["t"] is t)(lib.ones(2)),
    "a weak reference dies with t": lambda lib: weakref.ref(lib.ones(2))() is None,
    # the legacy constructors: they share a tensor, a storage, an array of their dtype
    "Tensor(t) shares": lambda lib: (lambda t: (lib.Tensor(t).zero_(), t)[1])(lib.ones(2)),
    "Tensor(t) is not t": lambda lib: (lambda t: lib.Tensor(t) is t)(lib.ones(2)),
    "Tensor(t)._base is t": lambda lib: (lambda t: lib.Tensor(t)._base is t)(lib.ones(2)),
    "Tensor(t[1:])._base is t": lambda lib: (lambda t: lib.Tensor(t[1:])._base is t)(lib.ones(3)),
    "Tensor(t).is_leaf": lambda lib: lib.Tensor(lib.ones(2)).is_leaf,
    "Tensor(t) shares the version": lambda lib: (lambda t: (lib.Tensor(t).add_(1), t._version)[1])(lib.ones(2)),
    "Tensor(t requiring grad)": lambda lib: (lambda r: (r.requires_grad, r.is_leaf, r.grad_fn.name()))(
        lib.Tensor(lib.ones(2, requires_grad=True))),
    "Tensor(t requiring grad): backward": lambda lib: (lambda t: ((lib.Tensor(t) * 3).sum().backward(), t.grad)[1])(
        lib.ones(2, requires_grad=True)),
    "Tensor(t requiring grad).add_(1)": lambda lib: lib.Tensor(lib.ones(2, requires_grad=True)).add_(1),
    "Tensor(int64 t)": lambda lib: (lambda t: (lib.Tensor(t).zero_(), t)[1])(lib.tensor([1, 2])),
    "Tensor(transposed t) shares": lambda lib: (lambda t: (lib.Tensor(t.t()).zero_(), t)[1])(lib.ones(2, 2)),
    "Parameter(data=t, requires_grad=True)": lambda lib: lib.nn.Parameter(data=lib.ones(2), requires_grad=True),
    "Parameter(t) shares": lambda lib: (lambda t: (lib.nn.Parameter(t).data.zero_(), t)[1])(lib.ones(2)),
    "a subclass of Tensor": lambda lib: (lambda T: type(T(lib.ones(2))).__name__)(type("Mine", (lib.Tensor,), {})),
    "Tensor(Parameter)": lambda lib: type(lib.Tensor(lib.nn.Parameter(lib.ones(2)))) is lib.Tensor,
    "FloatTensor(float32 t) shares": lambda lib: (lambda t: (lib.FloatTensor(t).zero_(), t)[1])(lib.ones(2)),
    "FloatTensor(float64 t)": lambda lib: lib.FloatTensor(lib.ones(2, dtype=lib.float64)),
    "LongTensor(float64 t)": lambda lib: lib.LongTensor(lib.ones(2, dtype=lib.float64)),
    "DoubleTensor(float64 t) shares": lambda lib: (lambda t: (lib.DoubleTensor(t).zero_(), t)[1])(
        lib.ones(2, dtype=lib.float64)),
    "Tensor(t.storage()) shares": lambda lib: (lambda t: (lib.Tensor(t.storage()).zero_(), t)[1])(lib.ones(3)),
    "Tensor(view.storage()) is the whole": lambda lib: lib.Tensor(lib.arange(6.0)[2:4].storage()),
    "Tensor(int64 storage)": lambda lib: lib.Tensor(lib.ones(2, dtype=lib.long).storage()),
    "DoubleTensor(float32 storage)": lambda lib: lib.DoubleTensor(lib.ones(2).storage()),
    "LongTensor(int64 storage) shares": lambda lib: (lambda t: (lib.LongTensor(t.storage()).zero_(), t)[1])(
        lib.ones(2, dtype=lib.long)),
    "Tensor(untyped storage)": lambda lib: lib.Tensor(lib.tensor([1.5, 2.0]).untyped_storage()),
    "Tensor(6 untyped bytes)": lambda lib: lib.Tensor(lib.ones(3, dtype=lib.int16).untyped_storage()).shape,
    "DoubleTensor(untyped storage)": lambda lib: lib.DoubleTensor(lib.ones(2, dtype=lib.float64).untyped_storage()),
    "Tensor(float32 array) shares": lambda lib: (lambda a: (lib.Tensor(a).zero_(), a)[1])(_f32()),
    "Tensor(float64 array) copies": lambda lib: (lambda a: (lib.Tensor(a).zero_(), a)[1])(np.ones(2)),
    "Tensor(int64 array)": lambda lib: lib.Tensor(np.ones(2, dtype=np.int64)),
    "Tensor(strided float32 array) shares": lambda lib: (lambda a: (lib.Tensor(a[:, 0]).zero_(), a)[1])(
        np.ones((2, 2), dtype=np.float32)),
    "Tensor(0-d float32 array) shares": lambda lib: (lambda a: (lib.Tensor(a).zero_(), a)[1])(
        np.array(3, dtype=np.float32)),
    "DoubleTensor(float64 array) shares": lambda lib: (lambda a: (lib.DoubleTensor(a).zero_(), a)[1])(np.ones(2)),
    "LongTensor(int64 array) shares": lambda lib: (lambda a: (lib.LongTensor(a).zero_(), a)[1])(
        np.ones(2, dtype=np.int64)),
    "Tensor(list)": lambda lib: lib.Tensor([1, 2]),
    "Tensor(tuple)": lambda lib: lib.Tensor((1, 2)),
    "Tensor(list of 0-d)": lambda lib: lib.Tensor([lib.tensor(1.0), lib.tensor(2.0)]),
    "Tensor(2, 3)": lambda lib: lib.Tensor(2, 3).shape,
    "Tensor(t, t)": lambda lib: lib.Tensor(lib.ones(2), lib.ones(2)),
    "Tensor(storage, 2)": lambda lib: lib.Tensor(lib.ones(3).storage(), 2),
    # matplotlib given tensors
    "plt.axis(tensor * zoom)": lambda lib: (lambda plt: (plt.plot(lib.linspace(-1, 1, 5), lib.linspace(-1, 1, 5) ** 2),
                                                         plt.axis(lib.tensor((-1.1, 1.1, -1.1, 1.1)) * 1.5),
                                                         [float(v) for v in plt.axis()])[2])(_plt()),
    "plt.xlim(0-d, 0-d)": lambda lib: (lambda plt: (plt.plot([0, 1]), plt.xlim(lib.tensor(-2.0), lib.tensor(2.0)))[1])(
        _plt()),
    "plt.ylim(t)": lambda lib: (lambda plt: (plt.plot([0, 1]), plt.ylim(lib.tensor([0.0, 3.0])))[1])(_plt()),
    "plt.plot(x, y) data": lambda lib: _plt().plot(lib.tensor([0.0, 1.0]), lib.tensor([2.0, 3.0]))[0].get_xydata(),
    "plt.plot(y).get_ydata() values": lambda lib: np.asarray(_plt().plot(lib.tensor([2.0, 3.0]))[0].get_ydata()),
    "plt.plot(0-d, 0-d)": lambda lib: _plt().plot(lib.tensor(1.0), lib.tensor(2.0), "o")[0].get_xydata(),
    "plt.plot(list of 0-d)": lambda lib: _plt().plot([lib.tensor(1.0), lib.tensor(2.0)])[0].get_ydata(),
    "plt.plot(int64)": lambda lib: np.asarray(_plt().plot(lib.arange(3))[0].get_ydata()),
    "plt.plot(t requiring grad)": lambda lib: _plt().plot(lib.ones(2, requires_grad=True)),
    "plt.scatter(c=t) colours": lambda lib: _plt().scatter(lib.ones(3), lib.ones(3), c=lib.tensor([0.1, 0.5, 0.9])
                                                           ).get_array(),
    "plt.scatter(s=t) sizes": lambda lib: _plt().scatter(lib.ones(2), lib.ones(2), s=lib.tensor([4.0, 9.0])
                                                         ).get_sizes(),
    "plt.plot(color=t)": lambda lib: _plt().plot([0, 1], color=lib.tensor([0.1, 0.2, 0.3]))[0].get_color(),
    "plt.imshow(t)": lambda lib: _plt().imshow(lib.tensor([[0.0, 1.0], [0.5, 0.25]])).get_array().tolist(),
    "plt.hist(t)": lambda lib: _plt().hist(lib.tensor([1.0, 2.0, 2.5, 3.0]), bins=2)[0],
    "plt.bar(t, t)": lambda lib: [float(r.get_height())
                                  for r in _plt().bar(lib.arange(3), lib.tensor([1.0, 2.0, 3.0]))],
    "plt.text at 0-d": lambda lib: [float(v)
                                    for v in _plt().text(lib.tensor(0.5), lib.tensor(0.25), "a").get_position()],
    "plt.axhline(0-d)": lambda lib: [float(v) for v in _plt().axhline(lib.tensor(0.5)).get_ydata()],
    "plt.contourf(t)": lambda lib: _plt().contourf(lib.tensor([[0.0, 1.0], [2.0, 3.0]])).levels.tolist(),
    "ax.set_xticks(t)": lambda lib: (lambda ax: (ax.set_xticks(lib.tensor([0.0, 1.0])), ax.get_xticks())[1])(
        _plt().gca()),
}


@pytest.mark.parametrize("line", list(CASES))
def test_the_line_gives_what_pytorch_gives(line):
    ours, theirs = _run(CASES[line], minigan), _run(CASES[line], torch)
    assert _same(ours, theirs), f"{line}: minigan {ours!r:.300}, PyTorch {theirs!r:.300}"


# ----------------------------------------------------------------------------- different on purpose
def _tensor_of(values, dtype):
    return lambda seen: seen[0] == "tensor" and seen[1] == dtype and _same(seen[3], values)


DIFFERENT = {  # line: (program, what minigan gives, why); docs/pytorch.md's table says the same
    "array * t": (lambda lib: np.ones(2) * lib.tensor([1.5, 2.0]), _tensor_of([1.5, 2.0], "float64"),
                  "an operator between an array and a tensor is the tensor's operator, as t * array is (PyTorch "
                  "refuses the array first: TypeError)"),
    "array - t": (lambda lib: np.ones(2) - lib.tensor([1.5, 2.0]), _tensor_of([-0.5, -1.0], "float64"), "as above"),
    "array < t": (lambda lib: np.ones(2) < lib.tensor([1.5, 0.5]), _tensor_of([True, False], "bool"), "as above"),
    "array @ t": (lambda lib: np.ones((1, 2), dtype=np.float32) @ lib.tensor([1.5, 2.0]),
                  _tensor_of([3.5], "float32"), "as above"),
    "0-d array * t": (lambda lib: np.array(2.0) * lib.tensor([1.5]), _tensor_of([3.0], "float32"), "as above"),
    "array += t": (lambda lib: _after(lambda a: a.__iadd__(lib.tensor([1.5, 2.0])), np.ones(2)),
                   lambda seen: seen == ("ndarray", "<f8", [2.5, 3.0]),
                   "the array's own in-place sum, NumPy's meaning, as array + t is a sum (PyTorch: TypeError)"),
    "np.add(t requiring grad, 1)": (lambda lib: np.add(lib.ones(2, requires_grad=True), 1),
                                    _tensor_of([2.0, 2.0], "float32"),
                                    "an operator's ufunc is the tensor's operator, recorded (PyTorch reads the "
                                    "tensor with numpy(), which refuses)"),
    "Tensor(t, requires_grad=True)": (lambda lib: (lambda t: (lambda r: (r.requires_grad, r._base is t))(
        lib.Tensor(t, requires_grad=True)))(lib.ones(2)),
        lambda seen: seen == ("tuple", (("bool", True), ("bool", False))),
        "minigan's Tensor takes requires_grad=, dtype= and device= and then copies (PyTorch's refuses them with data)"),
    "Tensor(float32 array, requires_grad=False)": (
        lambda lib: (lambda a: (lib.Tensor(a, requires_grad=False).zero_(), a)[1])(_f32()),
        lambda seen: seen == ("ndarray", "<f4", [0.0, 0.0]),
        "minigan's keywords at their defaults are as if left out: the array is shared (PyTorch's refuses them)"),
    "Tensor(np.float32(2))": (lambda lib: lib.Tensor(np.float32(2)), _tensor_of(2.0, "float32"),
                              "a NumPy number is a 0-d array's value, as tensor() reads it (PyTorch's legacy "
                              "constructor wants a sequence)"),
    "plt.plot(t).get_ydata()": (lambda lib: type(_plt().plot(lib.ones(2))[0].get_ydata()).__name__,
                                 lambda seen: seen == ("str", "Tensor"),
                                 "matplotlib reads PyTorch's tensors by their class name (cbook._is_torch_array) "
                                 "and keeps other arrays as given: a line holds (a copy of) the tensor it was given, "
                                 "drawn the same"),
    "hash(t) == id(t)": (lambda lib: (lambda t: hash(t) == id(t))(lib.ones(2)), lambda seen: seen == ("bool", False),
                         "a tensor hashes by identity in both, by object's own hash here (id / 16, a C slot): a hash "
                         "written in Python, id(x), took a dict lookup from 0.7 to 1.6 µs, and an optimizer looks its "
                         "state up by parameter at every step"),
    "from_numpy(read-only array).add_(1)": (lambda lib: lib.from_numpy(_read_only(np.ones(2))).add_(1),
                                            lambda seen: seen[0] == "raises" and issubclass(seen[1], RuntimeError),
                                            "writing memory NumPy holds read-only is refused (PyTorch writes it: "
                                            "undefined behaviour, by its own warning)"),
}


@pytest.mark.parametrize("line", list(DIFFERENT))
def test_differs_from_pytorch_on_purpose(line):
    program, ours_is, _why = DIFFERENT[line]
    ours, theirs = _run(program, minigan), _run(program, torch)
    assert ours_is(ours), f"{line}: minigan gives {ours!r:.300}"
    assert not _same(ours, theirs), f"{line}: PyTorch now gives minigan's {theirs!r:.300}: move the line to CASES"


# ----------------------------------------------------------------------------- refusals that name what to write
MESSAGES = {  # line: (program, words minigan's message holds)
    "t.shape = ...": (CASES["t.shape = ..."], ("x.shape = ...", "reshape")),
    "t.dtype = ...": (CASES["t.dtype = ..."], ("x.dtype = ...", "x.to(dtype)")),
    "t.ndim = ...": (CASES["t.ndim = ..."], ("x.ndim = ...", "unsqueeze")),
    "t.is_leaf = ...": (CASES["t.is_leaf = ..."], ("x.is_leaf = ...", "detach")),
    "t.grad_fn = ...": (CASES["t.grad_fn = ..."], ("x.grad_fn = ...", "detach")),
    "t.device = ...": (CASES["t.device = ..."], ("x.device = ...", "x.to(device)")),
    "t.T = ...": (CASES["t.T = ..."], ("x.T = ...", "x.t()")),
    "round(0-d, 2)": (CASES["round(0-d, 2)"], ("round(x, 2)", "x.round()", "round(x.item(), 2)")),
    "'a' in t": (CASES["'a' in t"], ("v in x", "str", "a number")),
    "np.exp(t, out=t)": (CASES["np.exp(t, out=t)"], ("out=tensor", "exp_()")),
    "np.exp(t requiring grad)": (CASES["np.exp(t requiring grad)"], ("NumPy reads a tensor", "t.detach()")),
    "np.mean(losses) requiring grad": (CASES["np.mean(losses) requiring grad"], ("np.mean(losses)", "loss.item()")),
    "FloatTensor(float64 t)": (CASES["FloatTensor(float64 t)"], ("FloatTensor(t)", "float64", "t.to(")),
    "DoubleTensor(float32 storage)": (CASES["DoubleTensor(float32 storage)"], ("DoubleTensor(storage)", "float32")),
    "format(t, '.2f')": (CASES["format(t, '.2f')"], ("'.2f'", "x.item()")),
    "bool(t)": (CASES["bool(t)"], ("ambiguous", ".any()")),
}


@pytest.mark.parametrize("line", list(MESSAGES))
def test_a_refusal_names_the_line_and_what_to_write(line):
    program, words = MESSAGES[line]
    with pytest.raises(Exception) as ours, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program(minigan)
    theirs = _run(program, torch)
    assert theirs[0] == "raises" and isinstance(ours.value, theirs[1]), (line, type(ours.value), theirs)
    missing = [w for w in words if w not in str(ours.value)]
    assert not missing, f"{line}: {ours.value} lacks {missing}"
    assert "\n" not in str(ours.value).strip(), f"{line}: more than one line: {ours.value}"
