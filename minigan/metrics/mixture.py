"""Mode metrics for 2-D Gaussian mixtures (the VEEGAN / PacGAN / Unrolled-GAN protocol).

Given N generated points and the K true centres (all Gaussians with the same ``std``):

* a sample is *high quality* when its distance to the nearest centre is at most ``threshold * std``
  (3 std by default: for a perfect sampler that keeps 1 - exp(-4.5) ~ 98.9% of the points in 2-D);
* a mode is *covered* when at least ``min_count`` high-quality samples have it as nearest centre;
* the *reverse KL* is KL(p_hat || uniform) = sum_k p_hat_k log(p_hat_k K), where p_hat is the
  histogram of the nearest modes of the high-quality samples (0 log 0 = 0). It is 0 for a perfect
  sampler and log K when every high-quality sample sits on one mode.

Convention when NO sample is high quality: reverse_kl = log K, the value of a total collapse (the
sampler captured no mode, which is at least as bad as capturing one). Non-finite samples (NaN, inf)
count as not high quality rather than raising, so a diverged generator scores badly instead of crashing.

Everything is computed on the host in float64; NumPy arrays, CuPy arrays and minigan Tensors are accepted.
"""

from __future__ import annotations

from minigan.engine.backend import np
from minigan.surface.data import host_array


def mode_metrics(samples, modes, std: float, threshold: float = 3.0, min_count: int = 1) -> dict:
    """VEEGAN/PacGAN mode metrics of ``samples`` (N, 2) against the centres ``modes`` (K, 2).

    Returns {"modes_covered": int, "high_quality": fraction in [0, 1], "reverse_kl": float,
    "mode_counts": list of K ints (high-quality samples per mode), "num_modes": K, "num_samples": N}.
    """
    fn = "mode_metrics"
    x = host_array(samples, fn, "samples")
    m = host_array(modes, fn, "modes")
    if x.ndim != 2 or x.shape[1] != 2 or x.shape[0] == 0:
        raise ValueError(f"{fn}: got samples of shape {x.shape}, expected (N, 2) with N >= 1")
    if m.ndim != 2 or m.shape[1] != 2 or m.shape[0] == 0:
        raise ValueError(f"{fn}: got modes of shape {m.shape}, expected (K, 2) with K >= 1")
    if not np.isfinite(m).all():
        raise ValueError(f"{fn}: got modes with NaN or inf entries, expected finite centres")
    try:
        std, threshold = float(std), float(threshold)
    except (TypeError, ValueError):
        raise ValueError(
            f"{fn}: got std={std!r}, threshold={threshold!r}, expected positive numbers"
        ) from None
    if not (np.isfinite(std) and std > 0):
        raise ValueError(f"{fn}: got std={std!r}, expected a positive finite number")
    if not (np.isfinite(threshold) and threshold > 0):
        raise ValueError(f"{fn}: got threshold={threshold!r}, expected a positive finite number")
    if isinstance(min_count, bool) or not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ValueError(f"{fn}: got min_count={min_count!r}, expected a positive integer")

    n, k = x.shape[0], m.shape[0]
    finite = np.isfinite(x).all(axis=1)
    x = np.where(finite[:, None], x, 0.0)  # keep inf/NaN out of the arithmetic; masked out below

    # nearest centre of every sample, by direct differences (exact); in blocks of rows so that the
    # (rows, K, 2) temporary stays small even for millions of samples
    nearest = np.empty(n, dtype=np.int64)
    nearest_d2 = np.empty(n, dtype=np.float64)
    rows = max(1, 2**20 // k)
    for start in range(0, n, rows):
        d2 = ((x[start : start + rows, None, :] - m[None, :, :]) ** 2).sum(axis=2)
        nearest[start : start + rows] = d2.argmin(axis=1)
        nearest_d2[start : start + rows] = d2.min(axis=1)
    hq = finite & (nearest_d2 <= (threshold * std) ** 2)

    counts = np.bincount(nearest[hq], minlength=k)
    num_hq = int(counts.sum())
    if num_hq == 0:
        reverse_kl = float(np.log(k))  # the documented convention: as bad as a one-mode collapse
    else:
        p = counts[counts > 0] / num_hq  # 0 log 0 = 0: empty modes contribute nothing
        reverse_kl = float(np.sum(p * np.log(p * k)))
    return {
        "modes_covered": int((counts >= min_count).sum()),
        "high_quality": num_hq / n,
        "reverse_kl": max(reverse_kl, 0.0),  # KL >= 0; clamp float rounding of a perfect histogram
        "mode_counts": [int(c) for c in counts],
        "num_modes": int(k),
        "num_samples": int(n),
    }


def mixture_metrics(samples, mixture, threshold: float = 3.0, min_count: int = 1) -> dict:
    """``mode_metrics`` against a ``minigan.data.toy2d.Mixture2D`` (its modes and std)."""
    if not (hasattr(mixture, "modes") and hasattr(mixture, "std")):
        raise TypeError(
            f"mixture_metrics: got mixture of type {type(mixture).__name__}, expected a Mixture2D "
            "(minigan.data.toy2d.parse_dataset('ring'))"
        )
    return mode_metrics(samples, mixture.modes, mixture.std, threshold=threshold, min_count=min_count)
