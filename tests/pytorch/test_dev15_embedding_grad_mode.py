"""F.embedding under every grad mode, of indices of any shape (a 0-d index too, which PyTorch looks up by
index_select, a copy, then views as the row: under no_grad or inference_mode it does not require grad, where a view of
the weight's row did: surface seed 11948724), and its max_norm renormalisation, in place, of the rows picked, in
increasing order, each row's norm read after the writes before it, so that rows sharing memory (an expanded table)
are scaled one after another as PyTorch's are (surface seed 11930454: max_norm=-inf on an expanded table, NaN in
PyTorch, -inf where every norm was read first).  Values, requires_grad, the table after the call and the gradient,
against PyTorch float64."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

TABLE = np.array([[0.011, 1.152, 0.202], [-2.0, 0.5, np.nan], [3.0, -4.0, 0.0], [0.25, -0.0, 1.5]])
INDICES = {"0-d": np.array(2), "0-d nan row": np.array(1), "vector": np.array([2, 0, 2]),
           "matrix": np.array([[1, 2, 1], [3, 2, 0]]), "empty": np.zeros((0, 2), dtype=np.int64)}
MODES = ["grad", "no_grad", "inference_mode", "set_grad_enabled(False)"]


def _mode(lib, mode):
    return {"grad": lib.enable_grad, "no_grad": lib.no_grad, "inference_mode": lib.inference_mode,
            "set_grad_enabled(False)": lambda: lib.set_grad_enabled(False)}[mode]()


def _run(lib, index, mode, table, kwargs, requires_grad, expanded):
    w = lib.tensor(table[:1] if expanded else table, requires_grad=requires_grad)
    weight = w.expand(table.shape[0], -1) if expanded else w
    if "max_norm" in kwargs and requires_grad and not expanded:  # (renormalised in place: a leaf that requires grad
        weight = weight.clone()  # is refused by both, so the table is a copy)
    with _mode(lib, mode):
        out = lib.nn.functional.embedding(lib.tensor(index), weight, **kwargs)
    grad = None
    if out.requires_grad and mode == "grad":
        (grad,) = lib.autograd.grad(out, w, lib.ones_like(out) * 1.5, allow_unused=True)
    return out.detach().numpy(), out.requires_grad, weight.detach().numpy(), None if grad is None else grad.numpy()


def _same(a, b):
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


OPTIONS = [{}, {"padding_idx": 2}, {"scale_grad_by_freq": True}, {"max_norm": 1.0}, {"max_norm": 2.5, "norm_type": 1}]


@pytest.mark.parametrize("requires_grad", [True, False])
@pytest.mark.parametrize("mode", MODES)
def test_embedding_under_grad_modes(mode, requires_grad):
    wrong = []
    for (name, index), kwargs in itertools.product(INDICES.items(), OPTIONS):
        with np.errstate(all="ignore"):
            want, got = (_run(lib, index, mode, TABLE, kwargs, requires_grad, False) for lib in (torch, minigan))
        if not (_same(got[0], want[0]) and got[1] == want[1] and _same(got[2], want[2])
                and (got[3] is None) == (want[3] is None) and (got[3] is None or _same(got[3], want[3]))):
            wrong.append((name, kwargs, got[1], want[1]))
    assert not wrong, f"{len(wrong)} of {len(INDICES) * len(OPTIONS)} differ: {wrong[:4]}"


MAX_NORMS = [-np.inf, -1.0, 0.0, 0.5, 1.0, np.inf, np.nan]
NORM_TYPES = [2.0, 1.0, 3, np.inf]


@pytest.mark.parametrize("expanded", [True, False])
def test_max_norm_renormalises_rows_in_order(expanded):
    wrong, cases = [], list(itertools.product(MAX_NORMS, NORM_TYPES, ["vector", "matrix", "0-d"]))
    for max_norm, norm_type, name in cases:
        kwargs = {"max_norm": max_norm, "norm_type": norm_type}
        table = np.nan_to_num(TABLE, nan=0.7)
        with np.errstate(all="ignore"):
            want, got = (_run(lib, INDICES[name], "grad", table, kwargs, True, expanded) for lib in (torch, minigan))
        if not (_same(got[0], want[0]) and _same(got[2], want[2])):
            wrong.append((max_norm, norm_type, name, got[0].ravel()[:3], want[0].ravel()[:3]))
    assert not wrong, f"{len(wrong)} of {len(cases)} differ: {wrong[:4]}"
