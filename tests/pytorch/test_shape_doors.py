"""The doors of the shape functions (narrow, split, chunk, unbind, unflatten, flatten, stack, cat, tile, repeat,
roll, permute, take_along_dim, repeat_interleave, masked_select) check their arguments in PyTorch's order and raise
its classes: a dim out of range is an
IndexError before any size is compared (stack wraps its dim against the first tensor's rank + 1), narrow's start is
an int or a 0-d integral tensor (RuntimeError for any other tensor, TypeError for a float), split's sizes are an int
or a sequence of ints (TypeError before the tensor is looked at), unflatten's sizes must multiply up to the size of
dim (RuntimeError), flatten's start_dim after end_dim is a RuntimeError, take_along_dim without dim reads
``input.view(-1)`` (a layout that cannot be viewed flat is refused) and refuses negative indices as gather does;
repeat's result is contiguous.  Each call over a grid of shapes, layouts and arguments against PyTorch float64:
outcome, class, values, dtype, shape and whether flatten() of the result is a view."""

import itertools
import warnings

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import builtin_class as _builtin

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _inputs(lib):
    """Tensors of several shapes and layouts, made the same way in both libraries."""
    def base(*shape, dtype="float64"):
        values = np.arange(int(np.prod(shape)), dtype=float).reshape(shape) - 2.5
        return lib.tensor(values, dtype=getattr(lib, dtype))
    return {"0-d": base(), "row": base(4), "empty": base(0), "2-d": base(2, 3), "t": base(4, 3).t(),
            "expanded": base(1, 4).expand(3, 4), "3-d": base(2, 3, 4), "p3": base(4, 2, 3).permute(1, 2, 0),
            "empty 2-d": base(3, 0), "strided": base(3, 8)[:, ::2]}


NAMES = ["0-d", "row", "empty", "2-d", "t", "expanded", "3-d", "p3", "empty 2-d", "strided"]
DIMS = [0, 1, -1, -2, 2, -3, 3]


def _long(lib, v):
    return lib.tensor(v, dtype=lib.int64)


CALLS = {
    "narrow": [lambda lib, x, d, s=s, n=n: x.narrow(d, s(lib) if callable(s) else s, n)
               for s, n in itertools.product(
                   [0, 1, -1, 5, 1.5, lambda lib: _long(lib, 1), lambda lib: lib.tensor(1.0),
                    lambda lib: _long(lib, [1]), lambda lib: lib.tensor(True)], [1, 0, 2, 1.5])],
    "split": [lambda lib, x, d, s=s, f=f: (x.split if f else lambda *a: lib.split(x, *a))(s, d)
              for s, f in itertools.product([None, 2, 1, 2.5, [1, 1], (1, 2), [1.5, 0.5], [], 0], [True, False])],
    "unflatten": [lambda lib, x, d, s=s: x.unflatten(d, s)
                  for s in [[2, 2], [-1, 2], [2, 3], [-1, -1], [], [1, -1], (3, 1), [2, 2.0], [-2, -2], [0, -1]]],
    "flatten": [lambda lib, x, d, e=e: lib.flatten(x, d, e) for e in DIMS],
    "stack": [lambda lib, x, d, o=o: lib.stack([x, o(x)], d) for o in [lambda x: x, lambda x: x[:0], lambda x: x.double(
              ) * 2, lambda x: x.reshape(-1)]] + [lambda lib, x, d: lib.stack([lib.tensor(1.0, dtype=x.dtype), x], d)],
    "cat": [lambda lib, x, d, o=o: lib.cat([x, o(x)], d) for o in [lambda x: x, lambda x: x.reshape(-1)]],
    "tile": [lambda lib, x, d, r=r: lib.tile(x, r) for r in [(1, 1), (2,), (-1, 0), (0, 2), (2, -1), (1, 1, 2), ()]],
    "repeat": [lambda lib, x, d, r=r: x.repeat(*r)
               for r in [(1, 1), (2, 1), (1, 1, 1), (0, 1), (-1, 1), (2,), (1, 2, 1)]],
    "take_along_dim": [lambda lib, x, d, i=i, o=o: lib.take_along_dim(x, _long(lib, i), *((d,) if o else ()))
                       for i, o in itertools.product([[2, 2, 2], [-1], [0], [[0]], [[1, 0]], [[[0]]]], [False, True])
                       if not (o and i == [-1])],  # (along a dim of a 1-D input, PyTorch 2.13 reads an index out of
    # range modulo the size, [-5] and [4] of 4 entries too, where its docs and its gather refuse one: left out)
    "repeat_interleave": [lambda lib, x, d, r=r: x.repeat_interleave(r(lib) if callable(r) else r, d)
                          for r in [2, 0, lambda lib: _long(lib, [[1]]), lambda lib: _long(lib, 2),
                                    lambda lib: _long(lib, [1, 2]), lambda lib: _long(lib, [1, 2, 0])]] + [
        lambda lib, x, d: lib.repeat_interleave(x), lambda lib, x, d: lib.repeat_interleave(x.abs().long())],
    "chunk": [lambda lib, x, d, c=c: x.chunk(c, d) for c in [1, 2, 3, 0, -1, 2.5]],
    "unbind": [lambda lib, x, d: x.unbind(d), lambda lib, x, d: lib.unbind(x, d)],
    "roll": [lambda lib, x, d, s=s: x.roll(s, d) for s in [1, -2, (1, 1), 0]] + [lambda lib, x, d: x.roll(1)],
    "permute": [lambda lib, x, d: x.permute(d, 0), lambda lib, x, d: lib.permute(x, (d,))],
    "masked_select": [lambda lib, x, d: lib.masked_select(x, x > 0), lambda lib, x, d: x.masked_select(
        lib.tensor([True, False, True])), lambda lib, x, d: x.masked_select(lib.tensor(1))],
}


def _outcome(lib, name, k, call, x_name, dim):
    x = _inputs(lib)[x_name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = call(lib, x, dim)
        except Exception as e:  # noqa: BLE001  (the class is what is compared)
            return "raised", type(e), f"{type(e).__name__}: {e}"
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return "ran", [(np.array(o.numpy(), dtype=float), str(o.dtype).split(".")[-1], tuple(o.shape),
                    np.shares_memory(o.flatten().numpy(), o.numpy()) if o.numel() > 1 else None) for o in outs]


# Each door on each input: a seeded slice by default that holds every door and every input, the rest under -m parity
@pytest.mark.parametrize("x_name", NAMES)
@pytest.mark.parametrize("name", list(CALLS))
def test_shape_doors_as_pytorch(name, x_name):
    found = []
    for k, call in enumerate(CALLS[name]):
        for dim in DIMS:
            theirs, ours = _outcome(torch, name, k, call, x_name, dim), _outcome(minigan, name, k, call, x_name, dim)
            where = f"{name} #{k} on {x_name}, dim {dim}"
            if theirs[0] != ours[0]:
                found.append(f"{where}: PyTorch {theirs[-1] if theirs[0] == 'raised' else 'ran'}, minigan "
                             f"{ours[-1] if ours[0] == 'raised' else 'ran'}")
            elif theirs[0] == "raised":
                if not issubclass(ours[1], _builtin(theirs[1])):
                    found.append(f"{where}: PyTorch {theirs[2]}, minigan {ours[2]}")
            elif len(theirs[1]) != len(ours[1]) or any(
                    a[1:] != b[1:] or not np.array_equal(a[0], b[0]) for a, b in zip(theirs[1], ours[1])):
                found.append(f"{where}: PyTorch {[a[1:] for a in theirs[1]]}, minigan {[b[1:] for b in ours[1]]}")
    assert not found, f"{len(found)} calls of {name} on {x_name} differ from PyTorch, e.g.\n" + "\n".join(found[:10])


@pytest.mark.parametrize("name", ["tensor_split", "hsplit", "vsplit", "dsplit"])
def test_split_functions_take_the_argument_under_each_overloads_name(name):
    """PyTorch's parser names the one argument per overload: sections= (an int), indices= (a list of ints),
    tensor_indices_or_sections= (a tensor; tensor_split only); given under another overload's name, a TypeError."""
    found = []
    for form, keyword, value in itertools.product(
            ["function", "method"], ["sections", "indices", "tensor_indices_or_sections"],  # (indices_or_sections=,
            # the documentation's name, which PyTorch's parser refuses, minigan takes: not compared)
            [2, [1, 2], (1,), "tensor 2", "tensor [1, 2]", 1.5]):
        outcomes = []
        for lib in (torch, minigan):
            x = lib.arange(24.0).reshape(2, 3, 4)
            v = lib.tensor(eval(value.split(" ", 1)[1])) if isinstance(value, str) else value  # noqa: S307
            try:
                out = getattr(lib, name)(x, **{keyword: v}) if form == "function" else getattr(x, name)(**{keyword: v})
                outcomes.append(("ran", [tuple(o.shape) for o in out], [o.numpy().tolist() for o in out]))
            except Exception as e:  # noqa: BLE001  (the class is what is compared)
                outcomes.append(("raised", type(e), f"{type(e).__name__}: {e}"))
        theirs, ours = outcomes
        if theirs[0] != ours[0] or theirs[0] == "ran" and theirs != ours or \
                theirs[0] == "raised" and not issubclass(ours[1], _builtin(theirs[1])):
            found.append(f"{name} {form} {keyword}={value!r}: PyTorch {theirs[1:2]} "
                         f"{theirs[-1] if theirs[0] == 'raised' else ''}, minigan {ours[1:2]} "
                         f"{ours[-1] if ours[0] == 'raised' else ''}")
    assert not found, f"{len(found)} calls differ from PyTorch:\n" + "\n".join(found[:10])
