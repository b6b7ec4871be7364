"""The shape functions against PyTorch (tests/pytorch/sweep.py):

* their doors (narrow, split, chunk, unbind, unflatten, flatten, stack, cat, tile, repeat, roll, permute,
  take_along_dim, repeat_interleave, masked_select) check their arguments in PyTorch's order and raise its classes:
  a dim out of range is an IndexError before any size is compared (stack wraps its dim against the first tensor's
  rank + 1), narrow's start is an int or a 0-d integral tensor (RuntimeError for any other tensor, TypeError for a
  float), split's sizes are an int or a sequence of ints (TypeError before the tensor is looked at), unflatten's
  sizes must multiply up to the size of dim (RuntimeError), flatten's start_dim after end_dim is a RuntimeError,
  take_along_dim without dim reads ``input.view(-1)`` (a layout that cannot be viewed flat is refused) and refuses
  negative indices as gather does; repeat's result is contiguous.  Each call over a grid of shapes, layouts and
  arguments: outcome, class, values, dtype, shape and whether flatten() of the result is a view;
* the split functions take their one argument under each overload's name (sections= an int, indices= a list of
  ints, tensor_indices_or_sections= a tensor, tensor_split only); under another overload's name, a TypeError;
* repeat_interleave, broadcast_tensors, atleast_1d/2d/3d, column_stack, dstack, rot90, tensor_split, unflatten and
  the split functions: values, shapes and gradients;
* the in-place forms that change a tensor's shape (t_, transpose_, swapdims_, swapaxes_, squeeze_, unsqueeze_): the
  tensor itself comes back with the out-of-place form's shape and strides, on the same memory (a write through it
  shows in a view taken before), its version counted once; a view stays a view of its base.  A tensor that requires
  grad is refused with a line naming the out-of-place form (PyTorch records the change: docs/pytorch.md's table).
"""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.sweep import sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _inputs(L):
    """Tensors of several shapes and layouts, made the same way in both libraries."""
    def base(*shape):
        return L.tensor(np.arange(int(np.prod(shape)), dtype=float).reshape(shape) - 2.5, dtype=L.float64)
    return {"0-d": base(), "row": base(4), "empty": base(0), "2-d": base(2, 3), "t": base(4, 3).t(),
            "expanded": base(1, 4).expand(3, 4), "3-d": base(2, 3, 4), "p3": base(4, 2, 3).permute(1, 2, 0),
            "empty 2-d": base(3, 0), "strided": base(3, 8)[:, ::2]}


NAMES = ["0-d", "row", "empty", "2-d", "t", "expanded", "3-d", "p3", "empty 2-d", "strided"]
DIMS = [0, 1, -1, -2, 2, -3, 3]


def _long(L, v):
    return L.tensor(v, dtype=L.int64)


DOORS = {
    "narrow": [lambda L, x, d, s=s, n=n: x.narrow(d, s(L) if callable(s) else s, n)
               for s, n in itertools.product(
                   [0, 1, -1, 5, 1.5, lambda L: _long(L, 1), lambda L: L.tensor(1.0),
                    lambda L: _long(L, [1]), lambda L: L.tensor(True)], [1, 0, 2, 1.5])],
    "split": [lambda L, x, d, s=s, f=f: (x.split if f else lambda *a: L.split(x, *a))(s, d)
              for s, f in itertools.product([None, 2, 1, 2.5, [1, 1], (1, 2), [1.5, 0.5], [], 0], [True, False])],
    "unflatten": [lambda L, x, d, s=s: x.unflatten(d, s)
                  for s in [[2, 2], [-1, 2], [2, 3], [-1, -1], [], [1, -1], (3, 1), [2, 2.0], [-2, -2], [0, -1]]],
    "flatten": [lambda L, x, d, e=e: L.flatten(x, d, e) for e in DIMS],
    "stack": [lambda L, x, d, o=o: L.stack([x, o(x)], d) for o in [lambda x: x, lambda x: x[:0], lambda x: x.double(
              ) * 2, lambda x: x.reshape(-1)]] + [lambda L, x, d: L.stack([L.tensor(1.0, dtype=x.dtype), x], d)],
    "cat": [lambda L, x, d, o=o: L.cat([x, o(x)], d) for o in [lambda x: x, lambda x: x.reshape(-1)]],
    "tile": [lambda L, x, d, r=r: L.tile(x, r) for r in [(1, 1), (2,), (-1, 0), (0, 2), (2, -1), (1, 1, 2), ()]],
    "repeat": [lambda L, x, d, r=r: x.repeat(*r)
               for r in [(1, 1), (2, 1), (1, 1, 1), (0, 1), (-1, 1), (2,), (1, 2, 1)]],
    "take_along_dim": [lambda L, x, d, i=i, o=o: L.take_along_dim(x, _long(L, i), *((d,) if o else ()))
                       for i, o in itertools.product([[2, 2, 2], [-1], [0], [[0]], [[1, 0]], [[[0]]]], [False, True])
                       if not (o and i == [-1])],  # (along a dim of a 1-D input, PyTorch 2.13 reads an index out of
    # range modulo the size, [-5] and [4] of 4 entries too, where its docs and its gather refuse one: left out)
    "repeat_interleave": [lambda L, x, d, r=r: x.repeat_interleave(r(L) if callable(r) else r, d)
                          for r in [2, 0, lambda L: _long(L, [[1]]), lambda L: _long(L, 2),
                                    lambda L: _long(L, [1, 2]), lambda L: _long(L, [1, 2, 0])]] + [
        lambda L, x, d: L.repeat_interleave(x), lambda L, x, d: L.repeat_interleave(x.abs().long())],
    "chunk": [lambda L, x, d, c=c: x.chunk(c, d) for c in [1, 2, 3, 0, -1, 2.5]],
    "unbind": [lambda L, x, d: x.unbind(d), lambda L, x, d: L.unbind(x, d)],
    "roll": [lambda L, x, d, s=s: x.roll(s, d) for s in [1, -2, (1, 1), 0]] + [lambda L, x, d: x.roll(1)],
    "permute": [lambda L, x, d: x.permute(d, 0), lambda L, x, d: L.permute(x, (d,))],
    "masked_select": [lambda L, x, d: L.masked_select(x, x > 0), lambda L, x, d: x.masked_select(
        L.tensor([True, False, True])), lambda L, x, d: x.masked_select(L.tensor(1))],
}


def _door(L, name, k, x_name, dim):
    out = DOORS[name][k](L, _inputs(L)[x_name], dim)
    return [(o, bool(np.shares_memory(o.flatten().numpy(), o.numpy())) if o.numel() > 1 else None)
            for o in (out if isinstance(out, (tuple, list)) else (out,))]


# Each door on each input (one test item each, its calls and dims together): by default every seventh, which holds
# every door and every input, and each door on an input of each rank and on the empty ones; the rest under -m parity
test_shape_doors_as_pytorch = sweep(_door, [
    (name, k, x_name, dim) for name in DOORS for x_name in NAMES for k in range(len(DOORS[name])) for dim in DIMS],
    group=lambda name, k, x_name, dim: f"{name}-{x_name}", every=7,
    cover=[lambda name, k, x_name, dim: (name, {"0-d": 0, "row": 1, "2-d": 2, "3-d": 3}.get(x_name)),
           lambda name, k, x_name, dim: (name, x_name) if x_name.startswith("empty") else None])


def _split_keyword(L, name, form, keyword, value):
    x = L.arange(24.0).reshape(2, 3, 4)
    v = L.tensor(eval(value.split(" ", 1)[1])) if isinstance(value, str) else value  # noqa: S307
    try:
        return getattr(L, name)(x, **{keyword: v}) if form == "function" else getattr(x, name)(**{keyword: v})
    except TypeError:  # (a keyword the signature lacks is Python's TypeError, raised before minigan's code runs)
        return "TypeError"


# (indices_or_sections=, the documentation's name, which PyTorch's parser refuses, minigan takes: not compared)
test_split_functions_take_the_argument_under_each_overloads_name = sweep(_split_keyword, list(itertools.product(
    ["tensor_split", "hsplit", "vsplit", "dsplit"], ["function", "method"],
    ["sections", "indices", "tensor_indices_or_sections"], [2, [1, 2], (1,), "tensor 2", "tensor [1, 2]", 1.5])),
    group=lambda name, *_: name)
X = np.arange(12.0).reshape(3, 4) - 5
FUNCTIONS = {
    "repeat_interleave_flat": lambda L, x: L.repeat_interleave(x, 2),
    "repeat_interleave_dim": lambda L, x: x.repeat_interleave(3, dim=1),
    "repeat_interleave_counts": lambda L, x: L.repeat_interleave(x, L.tensor([1, 0, 2]), dim=0),
    "repeat_interleave of counts alone": lambda L, x: L.repeat_interleave(L.tensor([2, 0, 1])),
    "broadcast_tensors": lambda L, x: L.broadcast_tensors(x, x[0], x[:, :1]),
    "atleast_1d": lambda L, x: L.atleast_1d(x[0, 0]),
    "atleast_2d_many": lambda L, x: L.atleast_2d(x[0], x[0, 0], x),
    "atleast_3d": lambda L, x: L.atleast_3d([x, x[0], x[0, 0]]),
    "column_stack": lambda L, x: L.column_stack([x[0], x[1], x[2]]),
    "column_stack_2d": lambda L, x: L.column_stack([x, x[:, 0]]),
    "dstack": lambda L, x: L.dstack([x, x * 2]),
    "rot90": lambda L, x: L.rot90(x),
    "rot90_2": lambda L, x: L.rot90(x, 2),
    "rot90_-1_dims": lambda L, x: L.rot90(x.reshape(3, 2, 2), -1, (2, 0)),
    "rot90_3": lambda L, x: L.rot90(x, 3, [1, 0]),
    "tensor_split_sections": lambda L, x: L.tensor_split(x, 3, dim=1),
    "tensor_split_indices": lambda L, x: x.tensor_split([1, 5], dim=1),
    "tensor_split_flat": lambda L, x: L.tensor_split(x.reshape(-1), 5),
    "unflatten": lambda L, x: x.unflatten(1, (2, -1)),
    "unflatten_top": lambda L, x: L.unflatten(x, 0, (3, 1)),
    "rot90_method": lambda L, x: x.rot90(1, (1, 0)),
    "hsplit": lambda L, x: L.hsplit(x, 2),
    "vsplit": lambda L, x: x.vsplit([1]),
    "dsplit": lambda L, x: L.dsplit(x.reshape(3, 2, 2), 2),
    "hsplit_1d": lambda L, x: x.reshape(-1).hsplit(4),
}


def _function(L, name):
    x = L.tensor(X, requires_grad=True)
    out = FUNCTIONS[name](L, x)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    total = sum(((o * L.tensor(np.arange(o.numel(), dtype=np.float64).reshape(tuple(o.shape)))).sum()
                 for o in outs if o.numel() and o.is_floating_point()), start=x.sum() * 0)
    total.backward()
    return [o.detach() for o in outs], x.grad


test_values_and_gradients_match_pytorch = sweep(_function, sorted(FUNCTIONS), every=1)  # (all: 25 small calls)


def test_repeat_interleave_rot90_and_tensor_split_refuse_in_one_line():
    with pytest.raises(ValueError, match="repeats must be >= 0"):
        minigan.repeat_interleave(minigan.tensor(X), -1)
    with pytest.raises(ValueError, match="two different axes"):
        minigan.rot90(minigan.tensor(X), 1, (0, 0))
    with pytest.raises(ValueError, match="sections must be >= 1"):
        minigan.tensor_split(minigan.tensor(X), 0)


IN_PLACE = {  # a call on a (1, 2, 3) tensor
    "t_ of a matrix": lambda x: x[0].clone().t_(),
    "t_ of a vector": lambda x: x.reshape(-1).clone().t_(),
    "t_ of 3 dims": lambda x: x.t_(),
    "transpose_(0, 2)": lambda x: x.transpose_(0, 2),
    "transpose_(-1, 1)": lambda x: x.transpose_(-1, 1),
    "transpose_(0, 3)": lambda x: x.transpose_(0, 3),
    "swapdims_(1, 2)": lambda x: x.swapdims_(1, 2),
    "swapaxes_(0, 1)": lambda x: x.swapaxes_(0, 1),
    "squeeze_()": lambda x: x.squeeze_(),
    "squeeze_(0)": lambda x: x.squeeze_(0),
    "squeeze_(1) of a size 2": lambda x: x.squeeze_(1),
    "unsqueeze_(1)": lambda x: x.unsqueeze_(1),
    "unsqueeze_(-1)": lambda x: x.unsqueeze_(-1),
    "unsqueeze_(4)": lambda x: x.unsqueeze_(4),
    "unsqueeze_ of an int64": lambda x: x.long().unsqueeze_(0),
}


def _in_place(L, name):
    """Whether the tensor itself comes back, its shape, strides, values after a write through it (its last element,
    x's too), version, a view taken before, and whether x is a view."""
    x = L.arange(6.0).reshape(1, 2, 3)
    before = x[0, 1]
    out = IN_PLACE[name](x)
    out[(-1,) * out.ndim] = 100
    return out is x, tuple(out.shape), out.stride(), out, out._version, before, x._base is not None


test_shape_in_place_as_pytorch = sweep(_in_place, list(IN_PLACE), every=1)  # (all: 15 small calls)


def _view_in_place(L):
    """A view changed in place keeps looking into its base: the base's later change in place shows through its new
    shape, and a write through it shows in the base."""
    base = L.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
    v = base[1]
    v.unsqueeze_(0)
    base.add_(10)
    v[0, 2] = -1
    return tuple(v.shape), v._base is base, v, base, v._version


test_a_view_stays_a_view_of_its_base = sweep(_view_in_place, [()], ids=lambda: "unsqueeze_ of a row")


def test_returns_the_tensor_itself():
    x = minigan.ones(3)
    assert x.unsqueeze_(0) is x and x.shape == (1, 3)


@pytest.mark.parametrize("make", [lambda: minigan.ones(2, requires_grad=True),
                                  lambda: minigan.ones(2, requires_grad=True) * 2,
                                  lambda: minigan.ones(2, 3, requires_grad=True)[0]])
def test_in_a_graph_refused_naming_the_out_of_place_form(make):
    with pytest.raises(RuntimeError, match=r"x = x\.unsqueeze\(\.\.\.\)"):
        make().unsqueeze_(0)
