"""clamp and clip against PyTorch (tests/pytorch/sweep.py), through every door (the functions, the methods, in
place, torch's in-place function, out=):

* by every kind of bound: the input's dtype (bool, uint8, int64, float64) by each bound's kind (None, a Python bool,
  int or float, a tensor of bool, uint8, int64 or float64, a 0-d bool tensor), on entries and on an empty tensor:
  PyTorch's result dtype and values, or its exception class in one line.  Two tensor bounds on a bool tensor whose
  dtypes all are bool reach a clamp kernel PyTorch has not for bools (NotImplementedError, "clamp_cpu" not
  implemented for 'Bool'), where a single bool tensor bound (min or max alone) has its own kernel and runs;
* tensor bounds whose shapes do not broadcast together, all three at once, refuse with PyTorch's RuntimeError (a
  ShapeError), where each pair broadcasting let the engine reach NumPy's ValueError (surface seed 11938398: x (3, 1),
  min (1, 3), max (3, 4)); shapes that broadcast run, to PyTorch's values; float64, int64 and bool;
* two tensor bounds that broadcast beyond the input: PyTorch's backward (clamp_backward_min_max) combines its masks
  in place, in the shape of the first mask, and refuses where that shape cannot hold the other's broadcast ("output
  with shape [3, 1] doesn't match the broadcast shape [3, 4]"), for each input whose gradient it computes: minigan's
  backward refuses (a RuntimeError) where PyTorch's does and agrees with its gradients elsewhere; the in-place forms
  refuse at the forward.  PyTorch computes (and so refuses) only the gradients the backward needs: autograd.grad for
  the input alone runs where the bound's gradient would be refused, and backward() into every leaf refuses.
"""

import itertools

import numpy as np
import pytest

from pytorch.sweep import outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DOORS = {
    "clamp": lambda L, x, lo, hi: L.clamp(x, lo, hi),
    "clip": lambda L, x, lo, hi: L.clip(x, min=lo, max=hi),
    "Tensor.clamp": lambda L, x, lo, hi: x.clamp(lo, hi),
    "Tensor.clip": lambda L, x, lo, hi: x.clip(min=lo, max=hi),
    "Tensor.clip by position": lambda L, x, lo, hi: x.clip(lo, hi),
    "clamp by keyword": lambda L, x, lo, hi: L.clamp(x, min=lo, max=hi),
    "clip by position": lambda L, x, lo, hi: L.clip(x, lo, hi),
    "Tensor.clamp_": lambda L, x, lo, hi: x.clone().clamp_(lo, hi),
    "Tensor.clip_": lambda L, x, lo, hi: x.clone().clip_(lo, hi),
    "clamp_": lambda L, x, lo, hi: L.clamp_(x.clone(), min=lo, max=hi),
    "clamp out=": lambda L, x, lo, hi: L.clamp(x, lo, hi, out=L.empty(0, dtype=x.dtype)),
    "min only": lambda L, x, lo, hi: L.clamp(x, min=lo),
    "max only": lambda L, x, lo, hi: x.clamp(max=hi),
}


class NotOneLine(Exception):
    """minigan's refusal in more than one line (its class is PyTorch's to match; one line naming what was wrong is
    minigan's own rule)."""


def _one_line(L, result):
    if L.__name__ == "minigan" and isinstance(result, Exception) and "\n" in str(result).strip():
        raise NotOneLine(str(result))
    return result


# ------------------------------------------------------------------------------------------ every kind of bound
BOUNDS = [None, "True", "1", "0.5", "bool", "uint8", "int64", "float64", "0-d bool"]


def _bound(L, kind, shape):
    if kind is None or kind in ("True", "1", "0.5"):
        return None if kind is None else {"True": True, "1": 1, "0.5": 0.5}[kind]
    if kind == "0-d bool":
        return L.tensor(True)
    values = np.resize(np.array([1, 0, 1]), shape[-1:]) if shape[-1] else np.zeros(0)
    return L.tensor(values).to(getattr(L, kind))


def _kinds(L, door, dtype, shape, lo, hi):
    x = L.tensor(np.resize(np.array([1, 0, 0, 1]), shape)).to(getattr(L, dtype))
    return _one_line(L, outcome(DOORS[door], L, x, _bound(L, lo, shape), _bound(L, hi, shape)))


test_clamp_by_every_kind_of_bound_as_pytorch = sweep(
    _kinds, [(door, dtype, shape, lo, hi) for dtype in ["bool", "uint8", "int64", "float64"]
             for door in sorted(DOORS) if not door.endswith(("only", "position", "keyword"))
             for shape in [(2, 3), (0, 3)] for lo, hi in itertools.product(BOUNDS, BOUNDS)],
    group=lambda door, dtype, shape, lo, hi: f"{dtype}-{door}-{shape}")

# ------------------------------------------------------------------------------------------ bounds that broadcast
SHAPES = [(3, 1), (1, 3), (3, 4), (4,), (2, 1, 1), (), (3, 0)]


def _values(shape, dtype, k):
    v = np.sin(np.arange(int(np.prod(shape))) + k).reshape(shape) * 2
    return v > 0 if dtype == "bool" else v.astype(dtype)


def _broadcast(L, door, dtype, shapes):
    x, lo, hi = (L.tensor(_values(s, dtype, k)) for k, s in enumerate(shapes))
    return DOORS[door](L, x, lo, hi)


test_clamp_bounds_broadcast_or_refuse = sweep(
    _broadcast, [(door, dtype, shapes) for dtype in ["float64", "int64", "bool"] for door in DOORS
                 if door not in ("Tensor.clip", "clamp by keyword", "clip by position")
                 for shapes in itertools.product(SHAPES, repeat=3)],
    group=lambda door, dtype, shapes: f"{door}-{dtype}")

# ------------------------------------------------------------------------------------------ gradients
GRAD_SHAPES = [(3, 1), (), (4,), (1, 4), (3, 4), (2, 1, 1)]


def _leaves(L, shapes, grads):
    rng = np.random.default_rng(sum(map(len, shapes)))
    return [L.tensor(rng.standard_normal(s).round(2) + k, dtype=L.float64, requires_grad=g)
            for s, g, k in zip(shapes, grads, (0, -0.5, 0.5))]


def _gradients(L, door, shapes, grads):
    leaves = _leaves(L, shapes, grads)
    out = DOORS[door](L, *leaves)
    wanted = [t for t in leaves if t.requires_grad]
    return out.detach(), outcome(lambda: L.autograd.grad(out.sum(), wanted)) if wanted else None


test_tensor_bounds_refuse_at_backward_where_pytorchs_do = sweep(
    _gradients, [(door, (x, lo, hi), grads) for door in ["Tensor.clamp", "Tensor.clip", "clamp by keyword",
                                                         "clip by position", "Tensor.clamp_"]
                 for x in [(3, 1), (4,), ()] for lo, hi in itertools.product(GRAD_SHAPES, GRAD_SHAPES)
                 for grads in [(True, False, False), (False, True, False), (False, False, True), (True, True, True)]],
    group=lambda door, shapes, grads: f"{door}-{shapes[0]}")


def _asked(L, door, shapes, asked):
    """Every leaf requires grad; autograd.grad asks for those in ``asked`` (None: backward() into all of them)."""
    leaves = _leaves(L, shapes, (True, True, True))
    out = DOORS[door](L, *leaves)
    if asked is None:
        out.sum().backward()
        return [t.grad for t in leaves]
    return L.autograd.grad(out.sum(), [leaves[i] for i in asked])


test_only_the_gradients_computed_can_refuse = sweep(
    _asked, [(door, ((3, 1), lo, hi), asked) for door in ["Tensor.clamp", "Tensor.clip", "clamp by keyword",
                                                               "clip by position"]
             for lo, hi in itertools.product(GRAD_SHAPES, GRAD_SHAPES)
             for asked in [(0,), (1,), (2,), (0, 1), (0, 2), (1, 2), None]],
    group=lambda door, shapes, asked: door)
