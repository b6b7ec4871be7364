"""Datasets: 2-D Gaussian mixtures, the bundled 8x8 digits, and MNIST-format IDX files a user has.

Everything here returns host NumPy arrays (float32 images/points, int64 labels); callers move
batches to the GPU themselves.
"""

from minigan.data.digits import load_digits
from minigan.data.idx import IDXFormatError, load_idx_folder, read_idx, write_idx
from minigan.data.toy2d import Mixture2D, grid, grid_modes, modes, parse_dataset, ring, ring_modes

__all__ = [
    "IDXFormatError",
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
