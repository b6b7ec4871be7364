"""Every optimizer checks a hyperparameter of a given name by PyTorch's rule: one table in ``optim/optimizer.py``
(``HYPERPARAMETER_CHECKS``; an optimizer whose PyTorch rule differs, SGD, names its own in
``hyperparameter_checks``), read by ``Optimizer._check_hyperparameters``.  For each optimizer and each of its
hyperparameters, a value the rule refuses raises the rule's error, naming the optimizer; a good value is kept as
given.  No PyTorch needed."""

import inspect
import math

import numpy as np
import pytest

import minigan
from minigan import optim
from minigan.optim.optimizer import HYPERPARAMETER_CHECKS, Optimizer

CLASSES = [c for c in vars(optim).values() if isinstance(c, type) and issubclass(c, Optimizer) and c is not Optimizer]
PAIRS = [(c, name) for c in CLASSES for name in c.hyperparameter_names if name in inspect.signature(c).parameters]
# a wrong value for each kind of rule, and what it must raise
BAD = {"nonnegative": [(-0.1, ValueError), (math.nan, ValueError), ("0.1", TypeError)],  # (∞ taken, as PyTorch's)
       "lr": [(-0.1, ValueError), ("0.1", TypeError)],  # (SGD's takes NaN, as PyTorch's lr < 0 check)
       "not below zero": [(-0.1, ValueError), ("0.1", TypeError), (None, TypeError)],
       "number": [("0.1", TypeError), (None, TypeError)],
       "closed unit": [(1.5, ValueError), (-0.5, ValueError), (math.nan, ValueError)],
       "betas": [((0.9,), TypeError), ((0.9, 1.0), ValueError), ((-0.1, 0.9), ValueError)],
       "flag": [(1, TypeError), (None, TypeError)],
       "optional flag": [(1, TypeError), ("yes", TypeError)],
       "unit": [(1.0, ValueError), (-0.5, ValueError), (math.nan, ValueError)]}


def _kind(cls, name):
    rule = {**HYPERPARAMETER_CHECKS, **cls.hyperparameter_checks}[name]
    return {"check_nonnegative": "nonnegative", "check_lr": "lr", "check_betas": "betas", "check_flag": "flag",
            "check_optional_flag": "optional flag", "check_unit": "unit", "check_not_below_zero": "not below zero",
            "_number": "number", "check_closed_unit": "closed unit"}[rule.__name__]


def _make(cls, **kwargs):
    p = minigan.tensor(np.ones(3), requires_grad=True)
    if cls.__name__ == "OptimisticSGD":
        kwargs.setdefault("lr", 0.1)
    return cls([p], **kwargs)


def test_every_optimizer_is_found():
    assert {c.__name__ for c in CLASSES} >= {"SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax",
                                             "NAdam", "RAdam", "OptimisticAdam", "OptimisticSGD"}


@pytest.mark.parametrize("cls,name", PAIRS, ids=[f"{c.__name__}-{n}" for c, n in PAIRS])
def test_each_hyperparameter_has_its_names_rule(cls, name):
    assert name in HYPERPARAMETER_CHECKS, f"{cls.__name__}.{name} has no rule in HYPERPARAMETER_CHECKS"
    for value, error in BAD[_kind(cls, name)]:
        with pytest.raises(error, match=rf"^{cls.__name__}: {name}"):
            _make(cls, **{name: value})


@pytest.mark.parametrize("cls", CLASSES, ids=[c.__name__ for c in CLASSES])
def test_the_defaults_are_kept_as_given(cls):
    opt = _make(cls)
    assert set(opt.defaults) == set(cls.hyperparameter_names)
    for name, value in opt.defaults.items():
        assert type(value) is type(opt.param_groups[0][name])


def test_a_subclass_written_pytorchs_way_is_taken_as_it_is():
    class Mine(Optimizer):
        def __init__(self, params, lr=0.1, anything="x"):
            super().__init__(params, dict(lr=lr, anything=anything))

    opt = Mine([minigan.tensor(np.ones(2), requires_grad=True)], lr=-1)
    assert opt.defaults == {"lr": -1, "anything": "x"}


def test_a_subclass_adds_a_hyperparameter_without_a_rule():
    class Scaled(optim.SGD):
        hyperparameter_names = (*optim.SGD.hyperparameter_names, "scale")

        def __init__(self, params, lr=0.1, scale=2.0):
            Optimizer.__init__(self, params, lr=lr, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                               maximize=False, foreach=None, differentiable=False, fused=None, scale=scale)

    opt = Scaled([minigan.tensor(np.ones(2), requires_grad=True)])
    assert opt.defaults["scale"] == 2.0
    with pytest.raises(ValueError, match="Scaled: lr"):
        Scaled([minigan.tensor(np.ones(2), requires_grad=True)], lr=-1.0)
