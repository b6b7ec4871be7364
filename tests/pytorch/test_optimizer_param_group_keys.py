"""A parameter group as PyTorch's optimizers take it, for every optimizer kind, against PyTorch: a group without
``params`` is a KeyError; a key that is no hyperparameter (``{"params": ..., "name": "encoder"}``, the way many
training scripts tag their groups) is kept in ``param_groups``, printed, written by ``state_dict()`` and restored by
``load_state_dict()``, and changes no step; a group with no parameters may be added.  Found by a program of
tests/pytorch/corpus_optimizers.py: minigan refused a group's extra keys with a ValueError, an empty group
with a ValueError and a group without ``params`` with a TypeError."""

import copy
import math
import warnings

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

KINDS = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "NAdam", "RAdam", "Adadelta"]


def _params(lib):
    return [lib.nn.Parameter(lib.tensor([1.0, -2.0, 0.5], dtype=lib.float64)),
            lib.nn.Parameter(lib.tensor([[0.3, 0.2]], dtype=lib.float64))]


def _outcome(fn):
    return outcome(lambda: fn())


def _train(lib, opt, params, steps=3):
    for _ in range(steps):
        opt.zero_grad()
        ((params[0] ** 2).sum() + (params[1] * 3).sum() + params[0].prod()).backward()
        opt.step()
    return [p.detach().numpy().tolist() for p in params]


def _groups(opt):
    return [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]


SCENARIOS = {
    "constructor group without params": lambda lib, K: K([{"lr": 0.1}], lr=0.1),
    "add_param_group without params": lambda lib, K: K(_params(lib)[:1], lr=0.1).add_param_group({"lr": 0.1}),
    "constructor groups with names": lambda lib, K: _groups(K([{"params": _params(lib)[:1], "name": "body"},
                                                             {"params": _params(lib)[1:], "name": "head", "lr": 0.5,
                                                              "tag": [1, 2]}], lr=0.1)),
    "add_param_group with a name": lambda lib, K: (lambda o: (o.add_param_group({"params": _params(lib)[1:],
                                                                                 "name": "head"}), _groups(o))[1])(
        K(_params(lib)[:1], lr=0.1)),
    "add_param_group empty": lambda lib, K: (lambda o: (o.add_param_group({"params": []}), _groups(o),
                                                        len(o.param_groups[1]["params"]))[1:])(K(_params(lib), lr=0.1)),
    "steps with named groups": lambda lib, K: (lambda ps: _train(lib, K([{"params": ps[:1], "name": "a"},
                                                                         {"params": ps[1:], "name": "b", "lr": 0.05}],
                                                                        lr=0.1), ps))(_params(lib)),
    "state_dict of named groups": lambda lib, K: [{k: v for k, v in g.items()} for g in K(
        [{"params": _params(lib), "name": "all", "note": "x"}], lr=0.1).state_dict()["param_groups"]],
    "repr of a named group": lambda lib, K: repr(K([{"params": _params(lib), "name": "all"}], lr=0.1)),
    "load_state_dict keeps the saved names": lambda lib, K: (lambda ps, qs: (
        _train(lib, K([{"params": ps, "name": "saved", "extra": 3}], lr=0.1), ps, 1),
        _groups((lambda o2: (o2.load_state_dict(copy.deepcopy(
            K([{"params": ps, "name": "saved", "extra": 3}], lr=0.1).state_dict())), o2)[1])(
            K([{"params": qs, "name": "own", "mine": 1}], lr=0.1)))))(_params(lib), _params(lib)),
}


def _normal(x, lib):
    if isinstance(x, Exception):
        return type(x)
    return x if not isinstance(x, str) else x.replace(lib.__name__ + ".", "torch.")


CASES = [(k, s) for k in KINDS for s in SCENARIOS]


@pytest.mark.parametrize("kind, scenario", CASES, ids=[f"{k}-{s}" for k, s in CASES])
def test_param_group_keys_as_pytorch(kind, scenario):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _outcome(lambda: SCENARIOS[scenario](torch, getattr(torch.optim, kind)))
        mine = _outcome(lambda: SCENARIOS[scenario](minigan, getattr(minigan.optim, kind)))
    if isinstance(theirs, Exception):
        assert isinstance(mine, type(theirs)), f"PyTorch raised {theirs!r}, minigan gave {mine!r}"
    else:
        assert not isinstance(mine, Exception), f"minigan raised {mine!r}, PyTorch gave {theirs!r}"
        assert _close(_normal(mine, minigan), _normal(theirs, torch)), f"minigan {mine!r}, PyTorch {theirs!r}"


def _close(a, b):
    """Equal, floats to 1e-12 relative (the updates' rounding order may differ)."""
    if isinstance(b, float) and isinstance(a, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)
    if isinstance(b, (list, tuple)) and isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(b, dict) and isinstance(a, dict):
        return list(a) == list(b) and all(_close(a[k], b[k]) for k in b)
    return type(a) is type(b) and a == b


def test_a_key_close_to_a_hyperparameter_is_taken_with_a_warning():
    """PyTorch takes ``{"params": ..., "lrr": 0.5}`` silently (the group then runs at the default rate); minigan
    takes it too, and warns, naming the hyperparameter it resembles."""
    p = minigan.nn.Parameter(minigan.ones(2))
    with pytest.warns(UserWarning, match="'lrr'.*'lr'"):
        opt = minigan.optim.SGD([{"params": [p], "lrr": 0.5}], lr=0.1)
    assert opt.param_groups[0]["lr"] == 0.1 and opt.param_groups[0]["lrr"] == 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        minigan.optim.SGD([{"params": [minigan.nn.Parameter(minigan.ones(2))], "name": "x"}], lr=0.1)
