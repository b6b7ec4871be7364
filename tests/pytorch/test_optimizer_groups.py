"""The optimizers' parameters and parameter groups as PyTorch's take them, every optimizer both libraries have
(tests/pytorch/sweep.py):

* a group without ``params`` is a KeyError; a key that is no hyperparameter (``{"params": ..., "name": "encoder"}``,
  the way many training scripts tag their groups) is kept in ``param_groups``, printed, written by ``state_dict()``
  and restored by ``load_state_dict()``, and changes no step; a group with no parameters may be added (found by a
  program of tests/pytorch/corpus_optimizers.py: minigan refused a group's extra keys and an empty group with a
  ValueError, a group without ``params`` with a TypeError).  Each value compared with its Python type;
* ``state_dict()`` hands back the groups' hyperparameters as the group holds them: ``betas`` is a tuple in the group,
  so in ``state_dict()["param_groups"]``, in a checkpoint saved and loaded, and in the group of an optimizer that
  loaded it (minigan's state_dict turned tuples into lists);
* ``lr=0``, which PyTorch takes (its check is ``0 <= lr``): tutorials make one only to load a saved state into
  (``optimizer = SGD(model.parameters(), lr=0)``, then ``load_state_dict``), and a step with it changes nothing; a
  negative lr is refused by both;
* tensors that do not require grad: a plain tensor whose ``.grad`` the program sets by hand (a gradient computed
  another way) is moved by ``step()``, one with no ``.grad`` is left alone, and a frozen Parameter too (values after
  two steps, and the state_dict's entries).
"""

import copy
import io
import itertools
import warnings

import pytest

import minigan
from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

KINDS = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "NAdam", "RAdam", "Adadelta"]


def _typed(x):
    """A group's values with their Python types (a tuple is not a list, 1 is not 1.0)."""
    if isinstance(x, close):
        return x
    if isinstance(x, dict):
        return [(k, _typed(v)) for k, v in x.items()]
    if isinstance(x, (list, tuple)):
        return type(x).__name__, [_typed(v) for v in x]
    return type(x).__name__, x


def _params(L):
    return [L.nn.Parameter(L.tensor([1.0, -2.0, 0.5], dtype=L.float64)),
            L.nn.Parameter(L.tensor([[0.3, 0.2]], dtype=L.float64))]


def _train(L, opt, params, steps=3):
    for _ in range(steps):
        opt.zero_grad()
        ((params[0] ** 2).sum() + (params[1] * 3).sum() + params[0].prod()).backward()
        opt.step()
    return [close(p.detach(), 1e-12, 1e-15) for p in params]  # (the updates' rounding order may differ)


def _groups(opt):
    return [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]


def _loaded(L, K):
    ps, qs = _params(L), _params(L)
    _train(L, K([{"params": ps, "name": "saved", "extra": 3}], lr=0.1), ps, 1)
    other = K([{"params": qs, "name": "own", "mine": 1}], lr=0.1)
    other.load_state_dict(copy.deepcopy(K([{"params": ps, "name": "saved", "extra": 3}], lr=0.1).state_dict()))
    return _groups(other)


def _added(L, K, group, first):
    opt = K(_params(L)[:first], lr=0.1)
    opt.add_param_group(group(L))
    return _groups(opt), len(opt.param_groups[-1]["params"])


SCENARIOS = {
    "constructor group without params": lambda L, K: K([{"lr": 0.1}], lr=0.1),
    "add_param_group without params": lambda L, K: K(_params(L)[:1], lr=0.1).add_param_group({"lr": 0.1}),
    "constructor groups with names": lambda L, K: _groups(K([{"params": _params(L)[:1], "name": "body"},
                                                           {"params": _params(L)[1:], "name": "head", "lr": 0.5,
                                                            "tag": [1, 2]}], lr=0.1)),
    "add_param_group with a name": lambda L, K: _added(L, K, lambda L: {"params": _params(L)[1:], "name": "head"}, 1),
    "add_param_group empty": lambda L, K: _added(L, K, lambda L: {"params": []}, 2),
    "steps with named groups": lambda L, K: (lambda ps: _train(L, K([{"params": ps[:1], "name": "a"},
                                                                     {"params": ps[1:], "name": "b", "lr": 0.05}],
                                                                    lr=0.1), ps))(_params(L)),
    "state_dict of named groups": lambda L, K: K([{"params": _params(L), "name": "all", "note": "x"}],
                                                 lr=0.1).state_dict()["param_groups"],
    "repr of a named group": lambda L, K: repr(K([{"params": _params(L), "name": "all"}], lr=0.1)).replace(
        "minigan.", "torch."),
    "load_state_dict keeps the saved names": _loaded,
}


def _param_group_keys(L, kind, scenario):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _typed(SCENARIOS[scenario](L, getattr(L.optim, kind)))


test_param_group_keys_as_pytorch = sweep(_param_group_keys, list(itertools.product(KINDS, SCENARIOS)),
                                         cover=[lambda kind, scenario: scenario])


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


def _group(L, kind, where):
    p = L.nn.Parameter(L.ones(2, dtype=L.float64))
    opt = getattr(L.optim, kind)([p], lr=0.1)
    p.grad = L.ones(2, dtype=L.float64)
    opt.step()
    saved = opt.state_dict()
    buffer = io.BytesIO()
    L.save(saved, buffer)
    buffer.seek(0)
    loaded = L.load(buffer)
    again = getattr(L.optim, kind)([p])
    again.load_state_dict(loaded)
    return {"state_dict": saved["param_groups"][0], "loaded": loaded["param_groups"][0],
            "group": again.param_groups[0], "resaved": again.state_dict()["param_groups"][0]}[where]


def _group_types(L, kind, where):
    """A group's values in state_dict(), in a checkpoint saved and loaded, in the group of an optimizer that loaded
    it, and in its state_dict() again: those of the keys both libraries' groups hold (PyTorch's hold keys minigan's
    lack: its fused, foreach...)."""
    shared = _group(minigan, kind, where).keys() & _group(torch, kind, where).keys() - {"params"}
    group = _group(L, kind, where)
    return [(k, _typed(group[k])) for k in sorted(shared)]


test_group_values_keep_their_python_types = sweep(_group_types, list(itertools.product(
    KINDS, ["state_dict", "loaded", "group", "resaved"])), cover=[lambda kind, where: kind])


def _lr_zero(L, kind):
    """A step of lr=0 changes nothing; a saved state loads into an lr=0 optimizer, its lr coming back."""
    L.manual_seed(0)
    model = L.nn.Linear(3, 2).double()
    trained = getattr(L.optim, kind)(model.parameters(), lr=0.1)
    model(L.ones(4, 3, dtype=L.float64)).sum().backward()
    trained.step()
    before = [p.detach().clone() for p in model.parameters()]
    fresh = getattr(L.optim, kind)(model.parameters(), lr=0)
    lrs = [fresh.param_groups[0]["lr"]]
    fresh.load_state_dict(trained.state_dict())  # (the tutorial's use: the saved lr comes back)
    lrs.append(fresh.param_groups[0]["lr"])
    zero = getattr(L.optim, kind)(model.parameters(), lr=0)
    model.zero_grad()
    model(L.ones(4, 3, dtype=L.float64)).sum().backward()
    zero.step()
    return lrs, [L.equal(b, p.detach()) for b, p in zip(before, model.parameters())]


test_lr_zero_is_taken_a_step_changes_nothing_and_a_saved_state_loads = sweep(_lr_zero, KINDS)


def _negative_lr(L, kind):
    L.manual_seed(0)
    return getattr(L.optim, kind)(L.nn.Linear(3, 2).double().parameters(), lr=-0.1)


test_a_negative_lr_is_refused_by_both = sweep(_negative_lr, KINDS)
WITHOUT_GRAD = {
    "SGD": {"lr": 0.1, "momentum": 0.9}, "Adam": {"lr": 0.1}, "AdamW": {"lr": 0.1}, "RMSprop": {"lr": 0.01},
    "Adagrad": {"lr": 0.1}, "Adadelta": {}, "Adamax": {"lr": 0.1}, "NAdam": {"lr": 0.1}, "RAdam": {"lr": 0.1},
}


def _without_grad(L, kind, manual, frozen, dtype):
    dt = getattr(L, dtype)
    hand = L.tensor([1.0, -2.0, 0.5], dtype=dt)  # requires no grad: its .grad set by hand
    untouched = L.tensor([4.0, 5.0], dtype=dt)  # requires no grad, never gets one
    learned = L.tensor([0.3, -0.7], dtype=dt, requires_grad=True)
    params = [hand, untouched, learned] + ([L.nn.Parameter(L.tensor([2.0], dtype=dt), requires_grad=False)]
                                           if frozen else [])
    opt = getattr(L.optim, kind)(params, **WITHOUT_GRAD[kind])
    for step in range(2):
        opt.zero_grad()
        (learned ** 2).sum().backward()
        if manual:
            hand.grad = L.tensor([0.5, -1.0, 2.0], dtype=dt) * (step + 1)
        opt.step()
    return [close(p.detach(), 1e-6 if dtype == "float32" else 1e-12) for p in params], sorted(opt.state_dict()["state"])


test_tensors_without_grad_are_taken = sweep(_without_grad, [
    (kind, manual, frozen, dtype) for kind in WITHOUT_GRAD for manual, frozen in [(True, False), (False, False),
                                                                                  (True, True)]
    for dtype in ["float32", "float64"]])
