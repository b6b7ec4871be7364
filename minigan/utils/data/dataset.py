"""The datasets, where PyTorch keeps them (``from torch.utils.data.dataset import Dataset``): the same
classes as ``minigan.utils.data``'s."""

import sys

from minigan.surface import missing as _missing
from minigan.utils.data import ConcatDataset, Dataset, Subset, TensorDataset, random_split

__path__ = []  # (no submodules: so that ``from ... import`` of a name it lacks asks surface/missing.py's finder, and
# the advice, not a bare "cannot import name", is the ImportError)
__all__ = ["ConcatDataset", "Dataset", "Subset", "TensorDataset", "random_split"]


def __getattr__(name):
    """A name PyTorch"s module has and minigan lacks: one line saying what to use instead (surface/missing.py)."""
    raise _missing.attribute_error("torch.utils.data.dataset", name, sys.modules[__name__])
