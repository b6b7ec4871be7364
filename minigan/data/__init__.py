"""Datasets: 2-D Gaussian mixtures, your own 2-D points, the bundled 8x8 digits, Fashion-MNIST / MNIST and any
MNIST-format IDX folder; ``spec.py`` parses the ``--data`` strings that name them.

Everything here returns host NumPy arrays (float32 images/points, int64 labels); callers move
batches to the GPU themselves.
"""

from minigan.data.digits import load_digits
from minigan.data.fashion import FASHION_CLASSES, fashion_mnist, mnist
from minigan.data.idx import IDXFormatError, load_idx_folder, read_idx, write_idx
from minigan.data.spec import IMAGE_DATASETS, Points2D, load_image_dataset, load_images, parse_data
from minigan.data.toy2d import Mixture2D, grid, grid_modes, modes, parse_dataset, ring, ring_modes

# The most classes a labelled data set may have (its largest label + 1): a classifier or a conditional
# GAN has one output or embedding row per class, so a corrupt label of 2**31 must be refused up front.
MAX_CLASSES = 1_000

__all__ = [
    "FASHION_CLASSES",
    "IDXFormatError",
    "IMAGE_DATASETS",
    "MAX_CLASSES",
    "Mixture2D",
    "Points2D",
    "fashion_mnist",
    "grid",
    "grid_modes",
    "load_digits",
    "load_idx_folder",
    "load_image_dataset",
    "load_images",
    "mnist",
    "modes",
    "parse_data",
    "parse_dataset",
    "read_idx",
    "ring",
    "ring_modes",
    "write_idx",
]
