"""Does a generative model copy its training set? The distance from each sample to its nearest training image.

A model that memorized would draw training images back: their nearest training image would be themselves, at
distance 0. A model that learned the distribution draws new images, as far from the training set as fresh real
images are. So the yardstick is a held-out real set: its images' distances to the training set are what a model
that never copies should give (and the training images' distances to the *other* training images,
``leave_one_out=True``, are what a perfect copier that jitters a little would give).

Distances are Euclidean, in whatever space the rows live in (pixels here). The nearest row is found from
||a||² + ||b||² − 2 a·b by matrix products in float64, in blocks of rows; its distance is then computed directly as
||a − b||, so a copy is at exactly 0 and rounding never hides one.
"""

from __future__ import annotations

from minigan.engine.backend import np
from minigan.surface.data import host_array

# Samples per block: one block of squared distances is (BLOCK_ROWS, len(reference)) float64.
BLOCK_ROWS = 1024


def _rows(x, name: str):
    a = host_array(x, "memorization_distance", name).astype(np.float64)
    if a.ndim < 1 or a.shape[0] == 0:
        raise ValueError(f"memorization_distance: got {name} of shape {a.shape}, expected (N, ...) with N >= 1 rows")
    a = a.reshape(a.shape[0], -1)  # an image of any shape is one row of its pixels
    if not np.isfinite(a).all():
        raise ValueError(f"memorization_distance: got {name} with NaN or inf entries, expected finite values")
    return a


def memorization_distance(samples, reference, leave_one_out: bool = False, return_index: bool = False):
    """(N,) float64: each row of ``samples`` to its nearest row of ``reference`` (Euclidean, every row flattened).

    ``leave_one_out=True``: ``samples`` IS ``reference`` (the same rows, in the same order), and row i is measured
    against every row but itself (the training set against itself minus each image). ``return_index=True`` also
    returns the (N,) index of each nearest row in ``reference``.
    """
    a, b = _rows(samples, "samples"), _rows(reference, "reference")
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"memorization_distance: samples have {a.shape[1]} values a row, reference {b.shape[1]}; "
                         "compare images of the same size")
    if leave_one_out and (a.shape != b.shape or len(b) < 2):
        raise ValueError(f"memorization_distance: leave_one_out=True measures a set against itself minus each row; "
                         f"got samples {a.shape} and reference {b.shape} (pass the same set twice, >= 2 rows)")
    b_sq = (b * b).sum(axis=1)
    index = np.empty(len(a), dtype=np.int64)
    for start in range(0, len(a), BLOCK_ROWS):
        block = a[start:start + BLOCK_ROWS]
        d2 = (block * block).sum(axis=1)[:, None] + b_sq[None, :] - 2.0 * (block @ b.T)
        if leave_one_out:
            rows = np.arange(len(block))
            d2[rows, start + rows] = np.inf  # a row is not its own neighbour
        index[start:start + len(block)] = d2.argmin(axis=1)
    distance = np.sqrt(((a - b[index]) ** 2).sum(axis=1))  # measured directly: a copy is at exactly 0
    return (distance, index) if return_index else distance
