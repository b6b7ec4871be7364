"""The loader, where PyTorch keeps it (``from torch.utils.data.dataloader import DataLoader``): the same
as ``minigan.utils.data``'s."""

import sys

from minigan.surface import missing as _missing
from minigan.utils.data import (  # noqa: F401 (PyTorch's module imports these too; a program may import them from it)
    BatchSampler,
    DataLoader,
    Dataset,
    RandomSampler,
    Sampler,
    SequentialSampler,
    default_collate,
    default_convert,
)

__path__ = []  # (no submodules: so that ``from ... import`` of a name it lacks asks surface/missing.py's finder, and
# the advice, not a bare "cannot import name", is the ImportError)
__all__ = ["DataLoader", "default_collate", "default_convert"]


def __getattr__(name):
    """A name PyTorch's module has and minigan lacks: one line saying what to use instead (surface/missing.py)."""
    raise _missing.attribute_error("torch.utils.data.dataloader", name, sys.modules[__name__])
