"""F.embedding and nn.Embedding against PyTorch float64 (tests/pytorch/sweep.py):

* the door checks its arguments in PyTorch's order and raises its classes: padding_idx first (AssertionError
  "Padding_idx must be within num_embeddings", read against weight.size(0), so a 0-d weight is an IndexError there),
  max_norm's renormalisation next (a weight of another rank, integer indices, a floating weight: RuntimeError), then
  the lookup (a 2-D weight, int64 or int32 indices: RuntimeError; an index out of range: IndexError).  A weight of any
  dtype is looked up (a bool or integer table gives its rows).  Drawn over a grid: outcome, class, values, dtype and
  the weight's gradient;
* the layer's options: padding_idx (a zero row that gets no gradient), max_norm with its norm_type (rows
  renormalised in place), scale_grad_by_freq, from_pretrained (its torch-free tests:
  tests/library/test_embedding_options.py);
* max_norm measures each picked row with PyTorch's norm, for every norm_type: a row of one entry has the norm |x|
  whatever the order (PyTorch's reduction of one entry), where Σ|x|^p overflows or underflows (2.189 with norm_type
  1000: ∞ in (Σ|x|^p)^(1/p), so its row was scaled to −0.0; 0.16: 0, so scaled by max_norm / 1e-7), and rows of
  several entries are the norm's own rounding, overflow and underflow (surface seed 11961937); over rows of no
  entries (an embedding_dim of 0) PyTorch's renorm takes each picked row's vector_norm, which refuses an ∞, −∞ or
  negative norm_type over nothing (RuntimeError: it has no identity), and computes 0 for the others; with no rows
  picked nothing is measured (surface seed 11903099);
* the result is a new tensor, never a view of its weight, for indices of every shape (0-d included), as PyTorch's
  (an index_select; surface seed 11627023: with a 0-d index minigan's result was the row itself, so a write into it
  changed weight);
* under every grad mode, of indices of any shape (a 0-d index too, which PyTorch looks up by index_select, a copy,
  then views as the row: under no_grad or inference_mode it does not require grad, where a view of the weight's row
  did: surface seed 11948724), and its max_norm renormalisation, in place, of the rows picked, in increasing order,
  each row's norm read after the writes before it, so that rows sharing memory (an expanded table) are scaled one
  after another as PyTorch's are (surface seed 11930454: max_norm=-inf on an expanded table, NaN in PyTorch, -inf
  where every norm was read first): values, requires_grad, the table after the call and the gradient.
"""

import itertools
import math
import random

import numpy as np
import pytest

import minigan
from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _drawn(n, seed):
    draw = random.Random(seed)
    for k in range(n):
        weight = (draw.choice([(4, 3), (4, 3), (4, 3), (), (4,), (0, 3), (2, 3, 4), (1, 1)]),
                  draw.choice(["float64"] * 4 + ["float32", "int64", "bool"]))
        index = (draw.choice([[1], [[0, 3], [2, 2]], 2, [], [-1], [4], [0, 0, 1], [[1]]]),
                 draw.choice(["int64"] * 5 + ["int32", "float64", "bool"]))
        options = {}
        if draw.random() < 0.5:
            options["padding_idx"] = draw.choice([0, 2, -1, 3, 4, -4, -5])
        if draw.random() < 0.3:
            options["max_norm"], options["norm_type"] = draw.choice([0.5, 1.0]), draw.choice([2.0, 1.0, math.inf])
        if draw.random() < 0.3:
            options["scale_grad_by_freq"] = True
        yield weight, index, options, k


def _doors(L, weight, index, options, k):
    (shape, dtype), (index, index_dtype) = weight, index
    values = np.random.default_rng(k).normal(size=shape) * 2
    weight = L.tensor(values, dtype=getattr(L, dtype), requires_grad=dtype.startswith("float"))
    out = L.nn.functional.embedding(L.tensor(np.asarray(index), dtype=getattr(L, index_dtype)), weight, **options)
    if out.requires_grad:
        (out * L.tensor(np.arange(out.numel()).reshape(tuple(out.shape)) % 3, dtype=out.dtype)).sum().backward()
    grad = None if weight.grad is None else close(weight.grad, 1e-6, 1e-8)
    return close(out.detach(), 1e-6, 1e-8), out.requires_grad, grad, close(weight.detach(), 1e-6, 1e-8)


test_embedding_checks_values_and_gradients_as_pytorch = sweep(_doors, list(_drawn(500, 3)), group=lambda *c: "500")


@pytest.mark.parametrize("padding_idx", [4, -5, 9])
def test_embedding_layer_refuses_a_padding_idx_outside_its_table_as_pytorch(padding_idx):
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        torch.nn.Embedding(4, 3, padding_idx=padding_idx)
    with pytest.raises(AssertionError, match="padding_idx"):
        minigan.nn.Embedding(4, 3, padding_idx=padding_idx)


def _layer(L, k, options):
    rng = np.random.default_rng(k)
    layer = L.nn.Embedding(6, 3, **options).double()
    padding_row = layer.weight.detach()[options["padding_idx"]] if "padding_idx" in options else None
    layer.load_state_dict({"weight": L.tensor(rng.standard_normal((6, 3)) * 2)})
    out = layer(L.tensor(np.array([[0, 1, 2, 1], [5, 1, 3, 3]])))
    (out * L.tensor(rng.standard_normal(tuple(out.shape)))).sum().backward()
    return repr(layer), padding_row, close(out.detach(), 1e-12), close(layer.weight.grad, 1e-12, 1e-15), \
        close(layer.weight.detach(), 1e-12)  # (max_norm's writes)


test_embedding_options_equal_pytorch = sweep(_layer, list(enumerate([
    dict(padding_idx=2), dict(padding_idx=-1), dict(max_norm=1.0), dict(max_norm=0.5, norm_type=1.0),
    dict(scale_grad_by_freq=True), dict(padding_idx=1, max_norm=1.2, scale_grad_by_freq=True)])))


def test_from_pretrained_is_frozen_unless_asked():
    table = minigan.randn(4, 2)
    frozen = minigan.nn.Embedding.from_pretrained(table)
    assert not frozen.weight.requires_grad and np.array_equal(frozen.weight.detach().numpy(), table.detach().numpy())
    assert minigan.nn.Embedding.from_pretrained(table, freeze=False).weight.requires_grad
    assert repr(frozen) == repr(torch.nn.Embedding.from_pretrained(torch.randn(4, 2)))


ROWS = [-0.22, -2.423, 2.189, 1.505, -0.16, 0.0, 1e-3, 12.0, -300.0, float("nan"), float("inf")]


def _norm_types(L, dim, dtype, norm_type, max_norm):
    # each row of the table a different mix of the values above; indices pick some rows, one twice
    weight = L.tensor(np.array([np.roll(ROWS, k)[:dim] for k in range(len(ROWS))]), dtype=getattr(L, dtype))
    out = L.nn.functional.embedding(L.tensor(np.array([2, 4, 3, 0, 4, 7, 8, 9, 10])), weight, max_norm=max_norm,
                                    norm_type=norm_type)
    return [close(t.to(L.float64), 1e-6) for t in (out, weight)]


NORM_TYPES = [1000.0, 400.0, 50.0, 3.0, 2.0, 1.0, 0.5, 0.0, -1.0, -2.5, math.inf, -math.inf, math.nan]
test_embedding_max_norm_scales_rows_by_pytorchs_norm_of_every_order = sweep(_norm_types, list(itertools.product(
    [1, 2, 3], ["float64", "float32"], NORM_TYPES, [1.0, -1.5, 0.5, 1e-3])),
    group=lambda dim, dtype, *c: f"{dim}-{dtype}")


def _empty_rows(L, shape, picked, norm_type, max_norm):
    idx = L.tensor(picked, dtype=L.int64)
    return L.nn.functional.embedding(idx, L.zeros(shape, dtype=L.float64), max_norm=max_norm, norm_type=norm_type)


test_renorm_of_empty_rows_as_pytorchs = sweep(_empty_rows, [
    (*s, n, m) for s in [((4, 0), [0, 1, 2]), ((4, 0), []), ((0, 3), []), ((4, 3), [1, 3])]
    for n in [math.inf, -math.inf, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, math.nan] for m in [1.0, -math.inf]])
INDICES = [np.int64(1), np.array(0), np.array([2]), np.array([1, 1, 0]), np.array([[0, 2], [1, 0]]),
           np.zeros((0,), np.int64), np.zeros((2, 0), np.int64)]


def _copies(L, index, options, requires_grad):
    weight = L.tensor(np.arange(12.0).reshape(3, 4) - 5, dtype=L.float64, requires_grad=requires_grad)
    out = L.nn.functional.embedding(L.tensor(np.asarray(index)), weight, **options)
    with L.no_grad():
        out.add_(100.0) if out.numel() else None  # (a write into the result must leave weight as it was)
    return out.detach(), weight.detach()


test_a_write_into_the_result_leaves_weight = sweep(_copies, list(itertools.product(
    INDICES, [{}, {"padding_idx": 1}, {"max_norm": 1.0}, {"scale_grad_by_freq": True}], [False, True])),
    ids=lambda index, options, rg: f"{np.asarray(index).shape}-{options}-{rg}")
TABLE = np.array([[0.011, 1.152, 0.202], [-2.0, 0.5, np.nan], [3.0, -4.0, 0.0], [0.25, -0.0, 1.5]])
PICKED = {"0-d": np.array(2), "0-d nan row": np.array(1), "vector": np.array([2, 0, 2]),
          "matrix": np.array([[1, 2, 1], [3, 2, 0]]), "empty": np.zeros((0, 2), dtype=np.int64)}
MODES = {"grad": lambda L: L.enable_grad(), "no_grad": lambda L: L.no_grad(),
         "inference_mode": lambda L: L.inference_mode(), "set_grad_enabled(False)": lambda L: L.set_grad_enabled(False)}


def _grad_modes(L, mode, requires_grad, name, kwargs, table=TABLE, expanded=False):
    w = L.tensor(table[:1] if expanded else table, requires_grad=requires_grad)
    weight = w.expand(table.shape[0], -1) if expanded else w
    if "max_norm" in kwargs and requires_grad and not expanded:  # (renormalised in place: a leaf that requires grad
        weight = weight.clone()  # is refused by both, so the table is a copy)
    with MODES[mode](L):
        out = L.nn.functional.embedding(L.tensor(PICKED[name]), weight, **kwargs)
    grad = None
    if out.requires_grad and mode == "grad":
        (grad,) = L.autograd.grad(out, w, L.ones_like(out) * 1.5, allow_unused=True)
    return out.detach(), out.requires_grad, weight.detach(), grad


test_embedding_under_grad_modes = sweep(_grad_modes, [
    (mode, rg, name, kwargs) for rg in [True, False] for mode in MODES for name in PICKED
    for kwargs in [{}, {"padding_idx": 2}, {"scale_grad_by_freq": True}, {"max_norm": 1.0},
                   {"max_norm": 2.5, "norm_type": 1}]], group=lambda mode, rg, *c: f"{mode}-{rg}")


def _in_order(L, expanded, max_norm, norm_type, name):
    out, _, weight, _ = _grad_modes(L, "grad", True, name, {"max_norm": max_norm, "norm_type": norm_type},
                                    np.nan_to_num(TABLE, nan=0.7), expanded)
    return out, weight


test_max_norm_renormalises_rows_in_order = sweep(_in_order, list(itertools.product(
    [True, False], [-np.inf, -1.0, 0.0, 0.5, 1.0, np.inf, np.nan], [2.0, 1.0, 3, np.inf], ["vector", "matrix", "0-d"])),
    group=lambda expanded, *c: expanded)
