"""2-D Gaussian mixtures: the ring and the grid of the VEEGAN / PacGAN / Unrolled-GAN papers.

A mixture is K equally likely isotropic Gaussians with a common standard deviation ``std``:

* ``ring``: K centres on a circle of ``radius`` at angles 2*pi*i/K, i = 0..K-1 (default 8 modes,
  radius 1, std 0.01);
* ``grid``: a K x K grid centred at the origin with ``spacing`` between neighbours (default 5 x 5
  = 25 modes at {-4, -2, 0, 2, 4}^2, std 0.05).

Samples are float32 host NumPy arrays of shape (n, 2); callers move them to the GPU themselves.
Randomness comes from ``rng`` (a ``numpy.random.Generator``) or, by default, from minigan's seeded
NumPy generator, so ``minigan.manual_seed(s)`` makes every draw repeatable.
"""

from __future__ import annotations

from dataclasses import dataclass

from minigan.arguments import positive_float, positive_int
from minigan.engine.backend import np
from minigan.surface import random

ACCEPTED_SPECS = '"ring", "grid", "ring:K", "grid:K", "digits", "idx:PATH"'


def ring_modes(k: int = 8, radius: float = 1.0):
    """The (k, 2) float32 centres of the ring: angle 2*pi*i/k for i = 0..k-1 (no repeated endpoint)."""
    k = positive_int("ring_modes", "k", k)
    radius = positive_float("ring_modes", "radius", radius)
    angles = 2.0 * np.pi * np.arange(k) / k  # float64 first, so cos/sin are exact to float32 rounding
    return np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1).astype(np.float32)


def grid_modes(k: int = 5, spacing: float = 2.0):
    """The (k*k, 2) float32 centres of a k x k grid centred at the origin, ``spacing`` apart.

    For k=5, spacing=2 these are {-4, -2, 0, 2, 4}^2, ordered by x, then y.
    """
    k = positive_int("grid_modes", "k", k)
    spacing = positive_float("grid_modes", "spacing", spacing)
    coords = (np.arange(k) - (k - 1) / 2.0) * spacing
    xs, ys = np.meshgrid(coords, coords, indexing="ij")
    return np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float32)


def sample_mixture(n: int, modes, std: float, rng=None, fn: str = "sample_mixture"):
    """n float32 samples (n, 2) from equally weighted isotropic Gaussians at ``modes`` (K, 2)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"{fn}: got n={n!r}, expected a non-negative integer number of samples")
    std = positive_float(fn, "std", std)
    modes = np.asarray(modes, dtype=np.float64)
    if modes.ndim != 2 or modes.shape[1] != 2 or modes.shape[0] == 0:
        raise ValueError(f"{fn}: got modes of shape {modes.shape}, expected (K, 2) with K >= 1")
    rng = random.generator(np) if rng is None else rng
    which = rng.integers(0, modes.shape[0], size=int(n))
    noise = rng.standard_normal((int(n), 2))
    return (modes[which] + std * noise).astype(np.float32)


def ring(n: int, k: int = 8, radius: float = 1.0, std: float = 0.01, rng=None):
    """n samples (float32, (n, 2)) from k Gaussians on a circle of ``radius`` (PacGAN's 2D-ring)."""
    return sample_mixture(n, ring_modes(k, radius), std, rng, fn="ring")


def grid(n: int, k: int = 5, spacing: float = 2.0, std: float = 0.05, rng=None):
    """n samples (float32, (n, 2)) from a k x k grid of Gaussians (PacGAN's 2D-grid for k=5)."""
    return sample_mixture(n, grid_modes(k, spacing), std, rng, fn="grid")


@dataclass(frozen=True)
class Mixture2D:
    """A named 2-D mixture: its centres (K, 2) float32 and the common std of every Gaussian."""

    name: str
    modes: object  # (K, 2) float32 NumPy array
    std: float

    @property
    def num_modes(self) -> int:
        return int(self.modes.shape[0])

    def sample(self, n: int, rng=None):
        """n float32 samples (n, 2) on the host (see ``sample_mixture``)."""
        return sample_mixture(n, self.modes, self.std, rng, fn=f"Mixture2D({self.name!r}).sample")


def ring_mixture(k: int = 8, radius: float = 1.0, std: float = 0.01) -> Mixture2D:
    return Mixture2D("ring" if k == 8 else f"ring:{k}", ring_modes(k, radius), float(std))


def grid_mixture(k: int = 5, spacing: float = 2.0, std: float = 0.05) -> Mixture2D:
    return Mixture2D("grid" if k == 5 else f"grid:{k}", grid_modes(k, spacing), float(std))


def parse_dataset(spec: str) -> Mixture2D:
    """The 2-D mixture named by ``spec``: "ring" (8 modes), "grid" (5x5), "ring:K" or "grid:K".

    The image datasets of the command line ("digits", "idx:PATH") are not 2-D mixtures; they are
    loaded with ``minigan.data.digits.load_digits`` and ``minigan.data.idx.load_idx_folder``.
    """
    if not isinstance(spec, str):
        raise ValueError(f"parse_dataset: got {spec!r}, expected a string, one of {ACCEPTED_SPECS}")
    text = spec.strip().lower()
    name, sep, arg = text.partition(":")
    if name in ("digits", "idx"):
        raise ValueError(
            f"parse_dataset: got {spec!r}, an image dataset, not a 2-D mixture: load it with "
            "minigan.data.digits.load_digits or minigan.data.idx.load_idx_folder"
        )
    if name not in ("ring", "grid"):
        raise ValueError(f"parse_dataset: got {spec!r}, expected one of {ACCEPTED_SPECS}")
    if not sep:
        return ring_mixture() if name == "ring" else grid_mixture()
    if not arg.isdigit() or int(arg) < 1:
        raise ValueError(
            f"parse_dataset: got {spec!r}, expected {name}:K with K a positive integer "
            f"(accepted forms: {ACCEPTED_SPECS})"
        )
    k = int(arg)
    return ring_mixture(k) if name == "ring" else grid_mixture(k)


def modes(spec: str):
    """(centres (K, 2) float32, std) of the mixture named by ``spec`` (see ``parse_dataset``)."""
    mix = parse_dataset(spec)
    return mix.modes, mix.std
