"""A layer's size arguments (features, channels, embeddings, groups, heads) against PyTorch's constructors: a size
of 0 makes an empty layer that runs, as PyTorch's (a Linear(0, 3) gives its bias; an Embedding(3, 0) empty rows),
a negative one raises PyTorch's class (RuntimeError for a size, ValueError for groups and heads: minigan's
DomainError is both), one that is no int PyTorch's TypeError.  Where PyTorch's constructor takes a bool or a float
without a check of its own (Linear(True, 3), MultiheadAttention(4, 2.0), LazyLinear(2.5) till its first call),
minigan refuses it with TypeError (docs/pytorch.md)."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

LAYERS = {
    "Linear.in_features": lambda t, v: t.nn.Linear(v, 3),
    "Linear.out_features": lambda t, v: t.nn.Linear(3, v),
    "Conv2d.in_channels": lambda t, v: t.nn.Conv2d(v, 2, 1),
    "Conv2d.out_channels": lambda t, v: t.nn.Conv2d(2, v, 1),
    "Conv2d.groups": lambda t, v: t.nn.Conv2d(2, 2, 1, groups=v),
    "Conv1d.out_channels": lambda t, v: t.nn.Conv1d(2, v, 1),
    "ConvTranspose2d.in_channels": lambda t, v: t.nn.ConvTranspose2d(v, 2, 1),
    "BatchNorm1d.num_features": lambda t, v: t.nn.BatchNorm1d(v),
    "BatchNorm2d.num_features": lambda t, v: t.nn.BatchNorm2d(v),
    "InstanceNorm2d.num_features": lambda t, v: t.nn.InstanceNorm2d(v, affine=True),
    "Embedding.num_embeddings": lambda t, v: t.nn.Embedding(v, 3),
    "Embedding.embedding_dim": lambda t, v: t.nn.Embedding(3, v),
    "PReLU.num_parameters": lambda t, v: t.nn.PReLU(v),
    "GroupNorm.num_groups": lambda t, v: t.nn.GroupNorm(v, 2),
    "GroupNorm.num_channels": lambda t, v: t.nn.GroupNorm(1, v),
    "MultiheadAttention.embed_dim": lambda t, v: t.nn.MultiheadAttention(v, 1),
    "MultiheadAttention.num_heads": lambda t, v: t.nn.MultiheadAttention(4, v),
    "MultiheadAttention.kdim": lambda t, v: t.nn.MultiheadAttention(4, 1, kdim=v),
    "LazyLinear.out_features": lambda t, v: t.nn.LazyLinear(v),
}
VALUES = {"0": 0, "1": 1, "-1": -1, "-3": -3, "2.0": 2.0, "2.5": 2.5, "'2'": "2", "None": None, "True": True,
          "np.int64(0)": np.int64(0), "np.int64(2)": np.int64(2)}


def _made(lib, make, value):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return make(lib, value)
    except Exception as exc:  # noqa: BLE001 - the class is the result
        return exc


CASES = [(layer, value) for layer in LAYERS for value in VALUES]


# the arguments that must be positive (PyTorch refuses 0 groups or heads; GroupNorm(0, C) divides by it first, and
# GroupNorm(-1, 2) or GroupNorm(np.int64(0), 2) passes PyTorch's divisibility check and makes a layer that cannot run)
AT_LEAST_ONE = {"Conv2d.groups", "GroupNorm.num_groups", "MultiheadAttention.embed_dim", "MultiheadAttention.num_heads"}


@pytest.mark.parametrize("layer, value", CASES, ids=[f"{a}={b}" for a, b in CASES])
def test_size_argument_as_pytorchs_constructor(layer, value):
    v = VALUES[value]
    theirs, mine = _made(torch, LAYERS[layer], v), _made(minigan, LAYERS[layer], v)
    if v is None and layer.endswith("kdim"):  # (kdim=None: the default, embed_dim)
        assert not isinstance(mine, Exception) and not isinstance(theirs, Exception)
    elif not isinstance(v, (int, np.integer)) or isinstance(v, bool):  # no int: TypeError (PyTorch's, or where its
        assert isinstance(mine, TypeError), repr(mine)  # divisibility check or laziness came first: minigan's)
    elif isinstance(theirs, Exception):
        assert isinstance(mine, ValueError if isinstance(theirs, ZeroDivisionError) else type(theirs)), \
            f"minigan {mine!r}, PyTorch {theirs!r}"
    elif v < (1 if layer in AT_LEAST_ONE else 0) or "Lazy" in layer and v < 0:
        assert isinstance(mine, ValueError) and isinstance(mine, RuntimeError), repr(mine)
    else:
        assert not isinstance(mine, Exception), repr(mine)
        def shapes(m):  # (a lazy layer's parameters have no shape yet)
            return [tuple(p.shape) if "Lazy" not in layer else 0 for p in m.parameters()]

        assert shapes(mine) == shapes(theirs)


ZERO_SIZED = {
    "Linear(0, 3)": (lambda t: t.nn.Linear(0, 3), lambda t: t.ones(2, 0)),
    "Linear(3, 0)": (lambda t: t.nn.Linear(3, 0), lambda t: t.ones(2, 3)),
    "Conv2d(0, 2, 1)": (lambda t: t.nn.Conv2d(0, 2, 1), lambda t: t.ones(1, 0, 3, 3)),
    "Embedding(3, 0)": (lambda t: t.nn.Embedding(3, 0), lambda t: t.tensor([1, 2])),
    "Embedding(0, 3)": (lambda t: t.nn.Embedding(0, 3), lambda t: t.zeros(0, dtype=t.int64)),
    "PReLU(0)": (lambda t: t.nn.PReLU(0), lambda t: t.ones(2, 0)),
    "GroupNorm(1, 0)": (lambda t: t.nn.GroupNorm(1, 0), lambda t: t.ones(2, 0, 3)),
}


@pytest.mark.parametrize("name", list(ZERO_SIZED))
def test_a_zero_sized_layer_runs_forward_and_backward_as_pytorchs(name):
    def run(lib):
        make, data = ZERO_SIZED[name]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = make(lib)
        y = m(data(lib))
        if y.requires_grad:
            (y * 2).sum().backward()
        return (tuple(y.shape), np.asarray(y.detach().numpy()).tolist() if "Linear(0" not in name else tuple(y.shape),
                [None if p.grad is None else np.asarray(p.grad.numpy()).tolist() for p in m.parameters()
                 if "Linear(0" not in name])

    assert run(minigan) == run(torch)
