"""Random index expressions, read and written under minigan and under PyTorch (float64, the oracle).

An expression indexes a random 1-4-d tensor with a random mix of what PyTorch takes as an index: ints, slices, None,
..., Python bools, ranges, lists and tuples of ints or bools (nested too), NumPy integer and bool arrays, NumPy
integer scalars, 0-d integer tensors and integer/bool tensors, as one item, a tuple of items, or a list of items
(PyTorch's historic rule: a short list holding a slice, None, ... or a sequence is read as a tuple).  Each is compared
on: the value, shape and dtype of ``x[index]``, the gradient of a getitem, and ``x[index] = v`` with a tensor of
x[index]'s shape, with a number, with a value that broadcasts, and ``x[index] += v`` (its gradient too); and on an
integer tensor, the value and dtype read and a number written.  Where
PyTorch refuses an expression, minigan must refuse it with the same kind of error (IndexError, TypeError, ...).
Two differences are deliberate and counted apart, where minigan refuses what PyTorch runs: PyTorch checks no bounds
when the result is empty (``x[1:1, [7]]`` of a (3, 2) x gives a (0, 1) tensor); and PyTorch counts a NumPy or list
mask as one axis when it works out what ``...`` stands for, so with a mask of 2+ axes before ``...`` and an item
after it, its result reads the wrong axes (``x[m, ..., i]`` of a (2, 1, 3) x with a (2, 1) mask m and a (3, 1) i
gives a (3, 2, 3) tensor; with m a tensor, (3, 2)): minigan refuses both with an IndexError that says why.

    python tests/pytorch/test_index_fuzz.py --n 5000 --seed 0      # prints: expressions, agree, both refuse, differ


(Its torch-free tests: tests/engine/test_index_fuzz.py.)"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


# ----------------------------------------------------------------------------- drawing an expression
# An item is drawn as a spec, ("kind", payload), and built for each library by _build: both get the same objects,
# except tensors, which each library makes from the same array.
def _draw_item(rng, shape, axis):
    n = shape[axis] if axis < len(shape) else 3
    bad = rng.random() < 0.05  # now and then an index out of range, or a mask of the wrong shape

    def ints(size):
        lo, hi = (-n - 2, n + 2) if bad else (-n, n)
        return rng.integers(lo, hi, size=size) if n or bad else np.zeros(size, dtype=np.int64)[:0]

    kind = rng.choice(["int", "slice", "none", "ellipsis", "bool", "list", "nested", "tuple", "range", "boollist",
                       "np", "npbool", "npscalar", "np0d", "tensor0d", "tensor", "booltensor"],
                      p=[.12, .14, .06, .05, .02, .1, .05, .03, .06, .05, .07, .04, .04, .03, .04, .06, .04])
    size = tuple(int(s) for s in rng.integers(1, 4, size=rng.integers(1, 3)))
    if kind == "int":
        return ("int", int(ints(()))) if n or bad else ("slice", (None, None, None))
    if kind == "slice":
        parts = [None if rng.random() < 0.4 else int(rng.integers(-n - 1, n + 2)) for _ in range(2)]
        step = None if rng.random() < 0.6 else int(rng.integers(-1 if bad else 1, 4))
        return ("slice", (parts[0], parts[1], step))
    if kind in ("none", "ellipsis"):
        return (kind, None)
    if kind == "bool":
        return ("bool", bool(rng.random() < 0.7))
    if kind in ("list", "tuple", "np", "tensor"):
        size = size[:1] if kind == "tuple" else size
        a = ints(size if rng.random() < 0.9 else (0,))
        return (kind, a.astype(rng.choice([np.int64, np.int32])) if kind == "np" else a)
    if kind == "nested":
        return ("nested", ints(size))
    if kind == "range":
        start = int(rng.integers(-n if bad else 0, n + 1))
        return ("range", (start, int(rng.integers(start, n + 1 + bad)), int(rng.integers(1, 3))))
    if kind in ("boollist", "npbool", "booltensor"):
        m = int(rng.integers(1, 3)) if kind != "boollist" else 1
        mshape = tuple(shape[axis : axis + m]) if not bad else tuple(int(s) + 1 for s in shape[axis : axis + m])
        return (kind, rng.random(mshape or (1,)) < 0.6)
    if kind in ("npscalar", "np0d", "tensor0d"):
        return (kind, ints(()) if n or bad else np.int64(0))
    raise AssertionError(kind)


def _axes(spec):
    kind, payload = spec
    if kind in ("none", "ellipsis", "bool"):
        return 0
    if kind in ("npbool", "booltensor"):
        return payload.ndim
    return 1


def draw_expression(rng):
    """A shape and an index expression: ("tuple" | "single" | "list", [item specs])."""
    ndim = int(rng.integers(1, 5))
    shape = tuple(int(s) for s in rng.integers(0 if rng.random() < 0.05 else 1, 5, size=ndim))
    k = int(rng.integers(1, 5))
    items, axis = [], 0
    for _ in range(k):
        spec = _draw_item(rng, shape, min(axis, ndim - 1) if rng.random() < 0.97 else axis)
        if spec[0] == "ellipsis" and any(s[0] == "ellipsis" for s in items) and rng.random() < 0.8:
            continue
        items.append(spec)
        axis += _axes(spec)
        if axis >= ndim and rng.random() < 0.8:
            break
    form = "tuple" if len(items) > 1 or rng.random() < 0.3 else "single"
    if len(items) > 1 and rng.random() < 0.1:
        form = "list"
    return shape, form, items


def _build(lib, spec):
    kind, p = spec
    if kind == "int":
        return p
    if kind == "slice":
        return slice(*p)
    if kind == "none":
        return None
    if kind == "ellipsis":
        return Ellipsis
    if kind == "bool":
        return p
    if kind in ("list", "nested", "boollist"):
        return p.tolist()
    if kind == "tuple":
        return tuple(p.tolist())
    if kind == "range":
        return range(*p)
    if kind in ("np", "npbool"):
        return p.copy()
    if kind == "npscalar":
        return np.int64(p)
    if kind == "np0d":
        return np.array(p)
    if kind in ("tensor0d", "tensor", "booltensor"):
        return lib.tensor(p.copy() if kind != "tensor0d" else int(p))
    raise AssertionError(kind)


def build_index(lib, form, items):
    built = [_build(lib, s) for s in items]
    return tuple(built) if form == "tuple" else built[0] if form == "single" else built


def show(shape, form, items):
    def one(spec):
        kind, p = spec
        if kind in ("tensor0d", "tensor", "booltensor"):
            return f"tensor({p.tolist()!r})"
        return repr(_build(None, spec))

    body = ", ".join(one(s) for s in items)
    index = {"tuple": f"({body},)", "single": body, "list": f"[{body}]"}[form]
    return f"x of shape {shape}, x[{index}]"


# ----------------------------------------------------------------------------- running one under a library
def _run(lib, a, index, vals):
    """What one library does with the expression: the records of each part, or the exception class."""
    out = {}
    x = lib.tensor(a, dtype=lib.float64, requires_grad=True)
    y = outcome(lambda: x[index])
    if isinstance(y, Exception):
        return {"get": y}
    g = vals["grad"](tuple(y.shape))
    (y * lib.tensor(g)).sum().backward()
    out["get"] = (tuple(y.shape), str(y.dtype).replace("torch.", "minigan."), y.detach().cpu().numpy().copy(),
                  x.grad.cpu().numpy().copy())
    shape = tuple(y.shape)
    for name, value in (("tensor", vals["value"](shape)), ("number", 2.5), ("broadcast", vals["value"](shape[1:])),
                        ("leading1", vals["value"]((1,) + shape))):
        z = lib.tensor(a, dtype=lib.float64)
        try:
            z[index] = lib.tensor(value) if not isinstance(value, float) else value
            out[name] = z.cpu().numpy().copy()
        except Exception as e:  # noqa: BLE001
            out[name] = type(e)
    xi = lib.tensor(np.round(a * 3).astype(np.int64))  # an integer tensor: read, and a number written
    try:
        yi = xi[index]
        xi[index] = 7
        out["int"] = (str(yi.dtype).replace("torch.", "minigan."), yi.cpu().numpy().copy(), xi.cpu().numpy().copy())
    except Exception as e:  # noqa: BLE001
        out["int"] = type(e)
    leaf = lib.tensor(a, dtype=lib.float64, requires_grad=True)
    v = lib.tensor(vals["value"](shape), requires_grad=True)
    z = leaf * 1
    try:
        z[index] += v
        (z * lib.tensor(vals["grad"](tuple(z.shape)))).sum().backward()
        out["iadd"] = (z.detach().cpu().numpy().copy(), leaf.grad.cpu().numpy().copy(), v.grad.cpu().numpy().copy())
    except Exception as e:  # noqa: BLE001
        out["iadd"] = type(e)
    return out


def _values(seed):
    """Values that depend only on the shape asked for, the same for both libraries."""
    def make(salt):
        return lambda shape: np.random.default_rng([seed, salt, *shape]).standard_normal(shape)
    return {"grad": make(1), "value": make(2)}


def _same_error(mine, theirs):
    """Both refused with the same kind of error (minigan's errors subclass the built-in PyTorch raises)."""
    return isinstance(mine, type(theirs)) or issubclass(type(theirs), RuntimeError) and isinstance(mine, RuntimeError)


def _has_duplicates(index, a):
    """Whether x[index] = v writes some element twice (which value wins is then unspecified in PyTorch)."""
    marks = np.arange(a.size).reshape(a.shape)
    try:
        picked = torch.tensor(marks)[index]
    except Exception:  # noqa: BLE001
        return False
    return picked.numel() != torch.unique(picked).numel()


def compare(seed):
    """("agree" | "both refuse" | "differ", detail) for the expression drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    shape, form, items = draw_expression(rng)
    a = rng.standard_normal(shape)
    vals = _values(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _run(torch, a, build_index(torch, form, items), vals)
        mine = _run(minigan, a, build_index(minigan, form, items), vals)
        duplicates = _has_duplicates(build_index(torch, form, items), a)
    where = show(shape, form, items)
    if isinstance(theirs["get"], Exception):
        if isinstance(mine["get"], Exception) and _same_error(mine["get"], theirs["get"]):
            return "both refuse", where
        got = repr(mine["get"]) if isinstance(mine["get"], Exception) else "a result"
        return "differ", f"{where}: PyTorch raises {theirs['get']!r}, minigan gives {got}"
    if isinstance(mine["get"], Exception):
        if theirs["get"][2].size == 0 and isinstance(mine["get"], IndexError) and "out of bounds" in str(mine["get"]):
            return "minigan stricter", where  # PyTorch checks no bounds when nothing is read: x[1:1, [7]]
        if isinstance(mine["get"], IndexError) and "'...' stands for" in str(mine["get"]):
            return "minigan stricter", where  # PyTorch's ... miscounted after a NumPy mask: its result is garbage
        return "differ", f"{where}: minigan raises {mine['get']!r}"
    for part in theirs:
        t, m = theirs[part], mine[part]
        if isinstance(t, type) or isinstance(m, type):
            if not (isinstance(t, type) and isinstance(m, type) and (issubclass(m, t) or issubclass(t, RuntimeError)
                                                                      and issubclass(m, RuntimeError))):
                return "differ", f"{where}: {part}: PyTorch {t!r}, minigan {m!r}"
            continue
        if duplicates and part != "get":
            continue
        t, m = (t,) if isinstance(t, np.ndarray) else t, (m,) if isinstance(m, np.ndarray) else m
        for i, (ti, mi) in enumerate(zip(t, m)):
            same = ti == mi if not isinstance(ti, np.ndarray) else ti.shape == mi.shape and np.allclose(ti, mi)
            if not same:
                ti, mi = (ti.shape, mi.shape) if isinstance(ti, np.ndarray) else (ti, mi)
                return "differ", f"{where}: {part}[{i}] (of value, grad...): PyTorch {ti!r}, minigan {mi!r}"
    return "agree", where


def survey(n, seed=0):
    counts, differ = {"agree": 0, "both refuse": 0, "minigan stricter": 0, "differ": 0}, []
    for s in range(seed * 1_000_003, seed * 1_000_003 + n):
        verdict, detail = compare(s)
        counts[verdict] += 1
        if verdict == "differ":
            differ.append(f"seed {s}: {detail}")
    return counts, differ


def test_a_few_hundred_index_expressions_agree_with_pytorch():
    counts, differ = survey(300, seed=0)
    assert not differ, f"{counts}\n" + "\n".join(differ[:10])
    assert counts["agree"] > counts["both refuse"]  # the draw mostly makes expressions PyTorch takes


def test_index_expressions_on_each_backend(xp_backend):  # on the GPU's path: lists and NumPy items go to the device
    counts, differ = survey(100, seed=2)
    assert not differ, f"{counts}\n" + "\n".join(differ[:10])


@pytest.mark.slow
def test_thousands_of_index_expressions_agree_with_pytorch():
    counts, differ = survey(4000, seed=1)
    assert not differ, f"{counts}\n" + "\n".join(differ[:10])


def test_the_rows_of_a_batch_picked_by_range_and_labels():  # logprobs[range(n), Yb], a lecture's loss
    a = np.random.default_rng(0).standard_normal((4, 5))
    labels = [1, 0, 3, 3]
    ours, theirs = minigan.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    (-ours.log_softmax(1)[range(4), minigan.tensor(labels)].mean()).backward()
    (-theirs.log_softmax(1)[range(4), torch.tensor(labels)].mean()).backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=10, help="how many differences to print")
    args = parser.parse_args()
    counts, differ = survey(args.n, args.seed)
    print(f"{args.n} expressions: {counts['agree']} agree, {counts['both refuse']} both refuse, "
          f"{counts['minigan stricter']} refused by minigan only (an index out of range where nothing is read, or "
          "... after a NumPy mask), "
          f"{counts['differ']} differ")
    print("\n".join(d[:400] for d in differ[: args.show]))
    sys.exit(1 if differ else 0)
