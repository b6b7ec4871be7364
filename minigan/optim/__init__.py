"""Optimizers: one file per update rule, each quoting the equations it implements.

    opt = minigan.optim.Adam(model.parameters(), lr=2e-4, betas=(0.5, 0.999))
    loss.backward(); opt.step(); opt.zero_grad()

``param_groups`` holds each group's hyperparameters (``group["lr"]`` is what ``step()`` reads), and
``minigan.optim.lr_scheduler`` changes them on a schedule (StepLR, MultiStepLR, CosineAnnealingLR, OneCycleLR, ...).
``SGD``, ``RMSprop``, ``Adam`` (and ``amsgrad=True``), ``AdamW``, ``Adagrad``, ``Adadelta``, ``Adamax``,
``RAdam`` and ``NAdam`` match
``torch.optim`` step for step; ``OptimisticSGD`` and
``OptimisticAdam`` implement Daskalakis et al. 2018 ("Training GANs with Optimism").
"""

import sys

from minigan.optim import lr_scheduler
from minigan.optim.adadelta import Adadelta
from minigan.optim.adagrad import Adagrad
from minigan.optim.adam import Adam, AdamW
from minigan.optim.adamax import Adamax
from minigan.optim.nadam import NAdam
from minigan.optim.optimistic_adam import OptimisticAdam
from minigan.optim.optimistic_sgd import OptimisticSGD
from minigan.optim.optimizer import Optimizer
from minigan.optim.radam import RAdam
from minigan.optim.rmsprop import RMSprop
from minigan.optim.sgd import SGD
from minigan.surface import missing as _missing

__all__ = ["lr_scheduler", "Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "Adagrad", "Adadelta", "Adamax", "RAdam",
           "NAdam", "OptimisticAdam", "OptimisticSGD"]


def __getattr__(name):
    """A PyTorch name minigan does not have: one line saying what to use instead (minigan/surface/missing.py)."""
    raise _missing.attribute_error('torch.optim', name, sys.modules[__name__])
