"""The dropout family against PyTorch (tests/pytorch/sweep.py):

* the functions (dropout, dropout1d, dropout2d; dropout3d and the alpha dropouts are not in minigan) over input dtype
  x shape x p x training: what runs (with PyTorch's dtype, shape, and whether the input itself comes back), what
  warns, and PyTorch's exception class where it refuses.  Values are compared where nothing is drawn (p = 0, p = 1,
  training=False); with 0 < p < 1 each kept entry is the input scaled by 1/(1 − p), as there;
* with inplace=True where nothing is drawn: PyTorch checks p (and the input's dimensions) first; then, where nothing
  is drawn (not training, p = 0, no entries), its kernel hands back the input itself without writing: no version
  moves, and neither a leaf that requires grad nor an expanded tensor is refused.  Where it draws (p = 1, or
  training), it writes as any in-place op, with its refusals;
* the layers (Dropout, Dropout1d, Dropout2d) check p and inplace at their door and print as PyTorch's;
* nn.MultiheadAttention takes any dropout at construction and reads it as PyTorch's forward does: only in training,
  only above 0 (a negative p drops nothing), refused by dropout itself above 1 (minigan refused any value outside
  [0, 1) when the layer was made, which PyTorch does not).
"""

import itertools
import warnings

import numpy as np
import pytest

import minigan.nn as nn
from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _dropout(L, name, dtype, shape, p, training):
    x = L.tensor(np.arange(1, int(np.prod(shape)) + 1).reshape(shape).astype(dtype))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y = getattr(L.nn.functional, name)(x, p, training)
    v = np.asarray(y.numpy(), dtype=float)
    if training and 0 < p < 1 and v.size:  # drawn: each entry 0 or x / (1 − p)
        v = bool(np.all(np.isclose(v, 0) | np.isclose(v, np.arange(1, v.size + 1).reshape(shape) / (1 - p))))
        return [str(y.dtype).split(".")[-1], tuple(y.shape), y is x, v, bool(caught)]
    return [y, y is x, bool(caught)]


test_dropouts_take_and_refuse_what_pytorchs_do = sweep(_dropout, itertools.product(
    ["dropout", "dropout1d", "dropout2d"], ["float64", "float32", "int64", "bool"],
    [(), (4,), (2, 3), (2, 3, 4), (2, 0, 3), (1, 2, 3, 4), (1, 1, 1, 2, 2)], [0.5, 0.0, 1.0], [True, False]),
    group=lambda name, dtype, shape, p, training: f"{name}-{dtype}")

IN_PLACE_OPS = {"dropout": ((2, 3, 4), "dropout"), "dropout1d": ((2, 3, 4), "dropout1d"),
                "dropout2d": ((2, 3, 4, 5), "dropout2d"), "dropout1d of 4-D": ((2, 3, 4, 5), "dropout1d")}
IN_PLACE_CASES = {"not training": (0.5, False), "p = 0": (0.0, True), "p = 1": (1.0, True), "p = 1.5": (1.5, False),
                  "p = -0.1": (-0.1, True)}


def _in_place(L, op, case, given):
    shape, name = IN_PLACE_OPS[op]
    p, training = IN_PLACE_CASES[case]
    if given == "empty":
        shape = (0,) + shape[1:]
    x = L.ones(shape, dtype=L.float64, requires_grad=given == "leaf requires grad")
    if given == "expanded":
        x = L.ones((1,) + shape[1:], dtype=L.float64).expand(*shape)
    r = getattr(L.nn.functional, name)(x, p, training, inplace=True)
    return [r is x, x._version, x.detach().sum().item()]


test_an_in_place_dropout_that_draws_nothing_writes_nothing = sweep(_in_place, itertools.product(
    IN_PLACE_OPS, IN_PLACE_CASES, ["plain", "leaf requires grad", "expanded", "empty"]))


def _layer(L, name, p):
    return repr(getattr(L.nn, name)(p=p))


# a p outside [0, 1] is PyTorch's ValueError, minigan's naming the layer
test_dropout_layers_check_p_and_print_as_pytorchs = sweep(_layer, itertools.product(
    ["Dropout", "Dropout1d", "Dropout2d"], [-0.1, 1.5, 0, 0.3, 1.0]),
    also=lambda ours, theirs: None if not isinstance(theirs, Exception) or "Dropout" in str(ours) else
    f"a refusal that names the layer, not {ours!r:.200}")


@pytest.mark.parametrize("name", ["Dropout", "Dropout1d", "Dropout2d"])
def test_inplace_must_be_a_bool(name):
    with pytest.raises(TypeError, match="inplace"):
        getattr(nn, name)(p=0.3, inplace=1)


ATTENTION_X = np.random.default_rng(0).standard_normal((3, 2, 4))


def _attention(L, p, training, need_weights):
    L.manual_seed(0)
    m = L.nn.MultiheadAttention(4, 2, dropout=p).double()
    with L.no_grad():
        for i, t in enumerate(m.parameters()):
            t.copy_(L.tensor(np.random.default_rng(i).uniform(-0.5, 0.5, tuple(t.shape))))
    m.train(training)
    x = L.tensor(ATTENTION_X)
    out, weights = m(x, x, x, need_weights=need_weights)
    if training and isinstance(p, float) and 0 < p < 1:  # (drawn: the shape)
        return tuple(out.shape)
    return close(out.detach(), 1e-10, 1e-12)


test_attention_reads_dropout_as_pytorchs_forward = sweep(_attention, itertools.product(
    [0.0, 0.5, 1.0, -0.1, 1.5, "a"], [True, False], [True, False]))
