"""Utilities named as in ``torch.utils``: ``minigan.utils.data`` (Dataset, TensorDataset, DataLoader)."""

from minigan.utils import data

__all__ = ["data"]
