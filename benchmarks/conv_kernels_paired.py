"""The kernels beside dcgan-bn-28's GEMMs, each old form against its new one, paired in one process: alternating
rounds on the same arrays at the iteration's sizes (batch 64), CPU time (the time other jobs hold the core is left
out), and the medians.  Each pair checks first that both give the same numbers.

    env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/conv_kernels_paired.py [ROUNDS]

* col2im's adds (``backend.add_windows`` on a CPU): the kh·kw strided slices against the (kh/sh)·(kw/sw) block
  shifts, for the 4×4 stride-2 kernels of dcgan-28 (G's 128→64 transposed convolution and D's 64→128 input
  gradient: 7² → 16² padded, 4 an iteration; G's 64→1 and D's 1→64: 14² → 30², 2 an iteration).  (The block
  shifts were not landed: the kernel below is this file's own.)
* batch norm's affine step y = γ/σ·(x − μ) + β (forward) and its training dx (backward), as 03c74881 wrote them
  (a new array for the product) against ``ops/norm.py``'s, which write over x − μ, a temporary of each pass; at
  dcgan-bn-28's three shapes: D's (64, 128, 7, 7) (3 an iteration), G's (64, 64, 14, 14) and (64, 6272) (1 each),
  the 4-D ones batch-last views as the convolutions give them.
"""

import sys
import time
import timeit
from functools import partial

import numpy as np

from minigan.engine import backend
from minigan.engine.ops import norm


def add_windows_by_blocks(out, cols, stride):
    """col2im's adds for a kernel of whole strides, by block shifts (tried, not landed): tap (p, q) = (a·sh + r,
    b·sw + t) of window (i, j) lands on block (i + a, j + b) at (r, t) within it."""
    (sh, sw), (c, kh, kw, ho, wo, n) = stride, cols.shape
    k, l_ = kh // sh, kw // sw
    blocks = out[:, : sh * (ho + k - 1), : sw * (wo + l_ - 1)].reshape(c, ho + k - 1, sh, wo + l_ - 1, sw, n)
    taps = cols.reshape(c, k, sh, l_, sw, ho, wo, n).transpose(0, 1, 3, 5, 2, 6, 4, 7)  # [c, a, b, i, r, j, t, n]
    for a in range(k):
        for b in range(l_):
            blocks[:, a : a + ho, :, b : b + wo] += taps[:, a, b]
    return out


def affine_old(centred, scale, beta):  # 03c74881's _affine
    y = scale * centred
    y += beta
    return y


def batch_norm_dx_old(dy, centred, sum_dy, sum_dy_xhat, inv_std, gamma, m):  # 03c74881's _batch_norm_dx
    dx = dy - sum_dy / m
    dx -= centred * (sum_dy_xhat * inv_std / m)
    dx *= gamma * inv_std
    return dx


def col2im_pairs(rng):
    for c, h in ((64, 7), (1, 14)):
        cols = rng.standard_normal((c, 4, 4, h, h, 64)).astype(np.float32)
        hp = 2 * (h - 1) + 4
        yield (f"col2im {c}×{hp}²×64", partial(_slices, cols, (c, hp, hp, 64)), partial(_blocks, cols, (c, hp, hp, 64)))


def _slices(cols, shape):
    return backend.add_windows_by_slices(np.zeros(shape, np.float32), cols, (2, 2), (1, 1))


def _blocks(cols, shape):
    return add_windows_by_blocks(np.zeros(shape, np.float32), cols, (2, 2))


def batch_last(rng, shape):
    """A float32 (N, C, H, W) array as the convolutions give it: a view of a (C, H, W, N) buffer."""
    n, c, h, w = shape
    return rng.standard_normal((c, h, w, n)).astype(np.float32).transpose(3, 0, 1, 2)


def batch_norm_pairs(rng):
    for shape in ((64, 128, 7, 7), (64, 64, 14, 14), (64, 6272)):
        x = batch_last(rng, shape) if len(shape) == 4 else rng.standard_normal(shape).astype(np.float32)
        dy = batch_last(rng, shape) if len(shape) == 4 else rng.standard_normal(shape).astype(np.float32)
        axes = (0,) + tuple(range(2, x.ndim))
        keep = (1, shape[1]) + (1,) * (x.ndim - 2)
        gamma, beta = (rng.standard_normal(keep).astype(np.float32) for _ in "gb")
        mean = x.mean(axis=axes, keepdims=True)
        inv_std = 1 / np.sqrt(((x - mean) ** 2).mean(axis=axes, keepdims=True) + np.float32(1e-5))
        m = float(x.size // shape[1])
        sum_dy = dy.sum(axis=axes, keepdims=True)
        sum_dy_xhat = (dy * (x - mean)).sum(axis=axes, keepdims=True) * inv_std
        factors = (x, mean, gamma * inv_std, beta)
        yield f"batch norm y {shape}", partial(_y, affine_old, *factors), partial(_y, norm._affine, *factors)
        factors = (dy, x, mean, sum_dy, sum_dy_xhat, inv_std, gamma, m)
        yield f"batch norm dx {shape}", partial(_dx, batch_norm_dx_old, *factors), partial(_dx, norm._batch_norm_dx,
                                                                                         *factors)


def _y(kernel, x, mean, scale, beta):  # x − μ made afresh for each call: the new kernel writes over it
    return kernel(x - mean, scale, beta) if kernel is affine_old else kernel(np, x - mean, scale, beta)


def _dx(kernel, dy, x, mean, *factors):
    return kernel(dy, x - mean, *factors) if kernel is batch_norm_dx_old else kernel(np, dy, x - mean, *factors)


def pairs():
    rng = np.random.default_rng(0)
    yield from col2im_pairs(rng)
    yield from batch_norm_pairs(rng)


def main(rounds=11):
    for name, old, new in pairs():
        assert np.array_equal(old(), new()), name  # (to the bit: the same operations in the same order)
        number = max(1, int(0.05 / max(1e-6, timeit.timeit(old, number=1, timer=time.process_time))))
        times = {"old": [], "new": []}
        for i in range(rounds):  # alternating, and which goes first alternates too
            for side in (("old", "new") if i % 2 == 0 else ("new", "old")):
                fn = old if side == "old" else new
                times[side].append(timeit.timeit(fn, number=number, timer=time.process_time) / number * 1e3)
        old_ms, new_ms = (float(np.median(times[s])) for s in ("old", "new"))
        spread = {s: f"{min(t):.3f}–{max(t):.3f}" for s, t in times.items()}
        print(f"{name:28s} old {old_ms:7.3f} ms ({spread['old']})  new {new_ms:7.3f} ms ({spread['new']})  "
              f"new/old {new_ms / old_ms:.2f}", flush=True)


if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
