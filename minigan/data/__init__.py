"""Datasets: 2-D Gaussian mixtures, the bundled 8x8 digits, and MNIST-format IDX files a user has.

Everything here returns host NumPy arrays (float32 images/points, int64 labels); callers move
batches to the GPU themselves.
"""

from minigan.data.digits import load_digits
from minigan.data.idx import IDXFormatError, load_idx_folder, read_idx, write_idx
from minigan.data.toy2d import Mixture2D, grid, grid_modes, modes, parse_dataset, ring, ring_modes

# The most classes a labelled data set may have (its largest label + 1): a classifier or a conditional
# GAN has one output or embedding row per class, so a corrupt label of 2**31 must be refused up front.
MAX_CLASSES = 1_000

__all__ = [
    "IDXFormatError",
    "MAX_CLASSES",
    "Mixture2D",
    "grid",
    "grid_modes",
    "load_digits",
    "load_idx_folder",
    "modes",
    "parse_dataset",
    "read_idx",
    "ring",
    "ring_modes",
    "write_idx",
]
