"""``Module.load_state_dict`` and ``state_dict()``'s versions against PyTorch (tests/pytorch/sweep.py):

* ``load_state_dict(sd, assign=True)``: the state dict's tensors become the module's own (a Parameter given is the
  module's parameter itself; a plain Tensor becomes a Parameter with the module's requires_grad; the state dict's
  dtype is kept, where a copy would cast), over modules with parameters, buffers and frozen parameters, strict or not;
* a state dict lacking a buffer or a parameter: PyTorch's state_dict() carries each module's version
  (sd._metadata; BatchNorm's is 2).  A BatchNorm count missing from a state dict of version 2 is a missing key; from
  one of no version (a plain dict, an older checkpoint) the module keeps its count.  Any other buffer or parameter
  missing is a missing key.  State dicts made by the same library and by PyTorch, strict or not;
* state_dict()._metadata holds each module's version, as PyTorch's.
"""

import itertools
import warnings

import numpy as np
import pytest

import minigan
from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

MODULES = {
    "linear": lambda lib: lib.nn.Linear(3, 2),
    "batchnorm": lambda lib: lib.nn.BatchNorm1d(3),
    "lstm": lambda lib: lib.nn.LSTM(2, 3),
    "sequential": lambda lib: lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.LayerNorm(4), lib.nn.Linear(4, 1)),
}


def _record(lib, kind, keep_vars, dtype, frozen, strict):
    rng = np.random.default_rng(0)
    source, target = MODULES[kind](lib), MODULES[kind](lib)
    if frozen:
        next(iter(target.parameters())).requires_grad_(False)
    sd = source.state_dict(keep_vars=keep_vars)
    with lib.no_grad():
        for v in sd.values():
            if v.dtype.is_floating_point:
                v.copy_(lib.tensor(rng.normal(size=tuple(v.shape))))
    sd = {k: (v.to(getattr(lib, dtype)) if v.dtype.is_floating_point else v) for k, v in sd.items()}
    if not strict:
        sd.pop(next(iter(sd)))
    result = target.load_state_dict(sd, strict=strict, assign=True)
    own = target.state_dict(keep_vars=True)
    return {"keys": (list(result.missing_keys), list(result.unexpected_keys)),
            "kinds": {k: type(v).__name__ for k, v in own.items()},
            "requires_grad": {k: v.requires_grad for k, v in own.items()},
            "dtypes": {k: str(v.dtype).split(".")[-1] for k, v in own.items()},
            "values": {k: v.detach().numpy().tolist() for k, v in own.items() if k in sd},  # (the rest: own init)
            "same_object": {k: own[k] is sd[k] for k in sd}}


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("frozen", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("keep_vars", [False, True])
@pytest.mark.parametrize("kind", sorted(MODULES))
def test_assign_makes_the_state_dicts_tensors_the_modules(kind, keep_vars, dtype, frozen, strict):
    ours = _record(minigan, kind, keep_vars, dtype, frozen, strict)
    theirs = _record(torch, kind, keep_vars, dtype, frozen, strict)
    for what in theirs:
        if what == "values":
            for k in theirs[what]:
                np.testing.assert_allclose(ours[what][k], theirs[what][k], rtol=1e-6, err_msg=k)
        else:
            assert ours[what] == theirs[what], what


def _dropped(L, sd, key):
    del sd[key]
    return sd


def _plain(L, sd, key):
    return {k: v for k, v in sd.items() if k != key}


def _old_version(L, sd, key):
    sd._metadata[key.rpartition(".")[0]]["version"] = 1
    return _dropped(L, sd, key)


STATE_EDITS = {"del from state_dict()": _dropped, "a plain dict without it": _plain, "version 1": _old_version}


def _without(L, edit, key, strict, made_by):
    """The missing and unexpected keys, the count kept or lost, the running mean (to float32's last bits)."""
    by = torch if made_by == "PyTorch" else L
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = by.nn.Sequential(by.nn.Linear(2, 3), by.nn.BatchNorm1d(3))
        net = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.BatchNorm1d(3))
        with L.no_grad():
            net[0].weight.copy_(L.tensor(np.linspace(-1.0, 1.0, 6).reshape(3, 2)))
            net[0].bias.copy_(L.tensor([0.5, -0.25, 0.0]))
        net(L.tensor(np.arange(8.0).reshape(4, 2), dtype=L.float32))  # (a count of 1 to keep or lose)
        result = net.load_state_dict(STATE_EDITS[edit](L, source.state_dict(), key), strict=strict)
    return (list(result.missing_keys), list(result.unexpected_keys), int(net[1].num_batches_tracked),
            close(net[1].running_mean, 0, 1e-5))


test_a_state_dict_without_a_buffer_loads_as_pytorchs = sweep(_without, list(itertools.product(
    STATE_EDITS, ["1.num_batches_tracked", "1.running_mean", "1.running_var", "1.weight", "0.bias"], [True, False],
    ["the same library", "PyTorch"])))


def _versions(L):
    net = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.BatchNorm1d(3), L.nn.Sequential(L.nn.BatchNorm2d(3)),
                          L.nn.InstanceNorm1d(3), L.nn.LayerNorm(3))
    return dict(net.state_dict()._metadata), dict(net.state_dict(prefix="net.")._metadata)


test_a_state_dict_carries_each_modules_version_as_pytorchs = sweep(_versions, [()], ids=lambda: "versions")
