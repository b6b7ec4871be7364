"""The kernels beside dcgan-bn-28's GEMMs, each as 03c74881 ran it against another form, paired in one process:
alternating rounds on the same arrays at the iteration's sizes (batch 64), CPU time (the time other jobs hold the
core is left out), and the medians.  Each pair first checks that both give the same numbers (to the bit, or where
the other form sums in another order, to float32 rounding).

    env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/conv_kernels_paired.py \
        [--rounds 15] [--only WORDS ...]
    ... conv_kernels_paired.py --iterations 5 [--rounds 11]   (whole dcgan-bn-28 iterations, batch norm's two
                                                              kernels as 03c74881 wrote them and as now, in turn)

Landed (the new form is minigan's now):
* batch norm's affine step y = γ/σ·(x − μ) + β (forward) and its training dx (backward): a new array for the
  product against ``ops/norm.py``'s, which write over x − μ, a temporary of each pass; at dcgan-bn-28's shapes: D's
  (64, 128, 7, 7) (3 an iteration), G's (64, 64, 14, 14) and (64, 6272) (1 each), the 4-D ones batch-last views as
  the convolutions give them.

Tried and not landed (the other form is this file's own):
* col2im's adds (``backend.add_windows`` on a CPU): the kh·kw strided slices against (kh/sh)·(kw/sw) block shifts,
  for the 4×4 stride-2 kernels (G's 128→64 transposed convolution and D's 64→128 input gradient: 7² → 16² padded,
  4 an iteration; G's 64→1 and D's 1→64: 14² → 30², 2 an iteration).
* the transposed convolution 128→64, 7² → 14², k4 s2 p1, whole (GEMM, col2im, crop) against sub-pixel convolutions:
  each of the 4 output parities a 2×2 convolution of x (an im2col of 2×2 windows and a GEMM with K = 4·C_in),
  written into its parity of the result: no scatter-add, the same FLOPs.
* im2col of D's 64→128 layer: the padded copy and one strided-view copy against one slice copy per kernel offset
  from the unpadded input (no padded copy; the border windows' zeros written directly).
* LeakyReLU's gradient where the gradient arrives row-major and x batch-last (D's (64, 128, 7, 7), after the
  Linear layer's backward; 3 an iteration): as is, against the gradient laid out as x first.
"""

import argparse
import time
import timeit
from functools import partial

import numpy as np

from minigan.engine import backend
from minigan.engine.ops import activation, conv, norm


# ----------------------------------------------------------------------------- batch norm (landed)
def affine_old(centred, scale, beta):  # 03c74881's _affine
    y = scale * centred
    y += beta
    return y


def batch_norm_dx_old(dy, centred, sum_dy, sum_dy_xhat, inv_std, gamma, m):  # 03c74881's _batch_norm_dx
    dx = dy - sum_dy / m
    dx -= centred * (sum_dy_xhat * inv_std / m)
    dx *= gamma * inv_std
    return dx


def _y(kernel, x, mean, scale, beta):  # x − μ made afresh for each call: the new kernel writes over it
    return kernel(x - mean, scale, beta) if kernel is affine_old else kernel(np, x - mean, scale, beta)


def _dx(kernel, dy, x, mean, *factors):
    return kernel(dy, x - mean, *factors) if kernel is batch_norm_dx_old else kernel(np, dy, x - mean, *factors)


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
        yield f"batch norm y {shape}", partial(_y, affine_old, *factors), partial(_y, norm._affine, *factors), True
        factors = (dy, x, mean, sum_dy, sum_dy_xhat, inv_std, gamma, m)
        yield (f"batch norm dx {shape}", partial(_dx, batch_norm_dx_old, *factors),
               partial(_dx, norm._batch_norm_dx, *factors), True)


# ----------------------------------------------------------------------------- col2im by block shifts (not landed)
def add_windows_by_blocks(out, cols, stride):
    """col2im's adds for a kernel of whole strides: tap (p, q) = (a·sh + r, b·sw + t) of window (i, j) lands on block
    (i + a, j + b) at (r, t) within it, so each block shift (a, b) is one slice add of sh·sw taps."""
    (sh, sw), (c, kh, kw, ho, wo, n) = stride, cols.shape
    k, l_ = kh // sh, kw // sw
    blocks = out[:, : sh * (ho + k - 1), : sw * (wo + l_ - 1)].reshape(c, ho + k - 1, sh, wo + l_ - 1, sw, n)
    taps = cols.reshape(c, k, sh, l_, sw, ho, wo, n).transpose(0, 1, 3, 5, 2, 6, 4, 7)  # [c, a, b, i, r, j, t, n]
    for a in range(k):
        for b in range(l_):
            blocks[:, a : a + ho, :, b : b + wo] += taps[:, a, b]
    return out


def _slices(cols, shape):
    return backend.add_windows_by_slices(np.zeros(shape, np.float32), cols, (2, 2), (1, 1))


def _blocks(cols, shape):
    return add_windows_by_blocks(np.zeros(shape, np.float32), cols, (2, 2))


def col2im_pairs(rng):
    for c, h in ((64, 7), (1, 14)):
        cols = rng.standard_normal((c, 4, 4, h, h, 64)).astype(np.float32)
        shape = (c, 2 * (h - 1) + 4, 2 * (h - 1) + 4, 64)
        yield f"col2im {c}×{shape[1]}²×64", partial(_slices, cols, shape), partial(_blocks, cols, shape), True


# ----------------------------------------------------------------------------- sub-pixel convolutions (not landed)
def conv_transpose_gemm_col2im(x, w):
    """ConvTranspose2d's forward for k4 s2 p1 as minigan runs it: x (C_in, H, W, N), w (C_in, C_out, 4, 4)."""
    c_in, h, wd, n = x.shape
    c_out = w.shape[1]
    cols = backend.matmul(w.reshape(c_in, c_out * 16).T, x.reshape(c_in, h * wd * n))
    return conv.col2im(cols, (c_out, 2 * h + 2, 2 * wd + 2, n), 4, 4, 2, 2)[:, 1:-1, 1:-1]


def conv_transpose_sub_pixel(x, w):
    """The same as 4 sub-pixel convolutions: output row 2m takes x rows m − 1, m with kernel rows 3, 1; row 2m + 1
    takes x rows m, m + 1 with kernel rows 2, 0 (likewise columns); each a 2×2 convolution of the padded x."""
    c_in, h, wd, n = x.shape
    c_out = w.shape[1]
    padded = np.zeros((c_in, h + 2, wd + 2, n), x.dtype)
    padded[:, 1:-1, 1:-1] = x
    out = np.empty((c_out, h, 2, wd, 2, n), x.dtype)
    taps = ((3, 1), (2, 0))  # the kernel rows (columns) of the window's first and second row, by output parity
    s = padded.strides
    for r in (0, 1):
        for t in (0, 1):
            windows = np.lib.stride_tricks.as_strided(padded[:, r:, t:], shape=(c_in, 2, 2, h, wd, n),
                                                      strides=(s[0], s[1], s[2], s[1], s[2], s[3]))
            cols = np.ascontiguousarray(windows).reshape(c_in * 4, h * wd * n)
            w_rt = w[:, :, list(taps[r])][:, :, :, list(taps[t])].transpose(1, 0, 2, 3).reshape(c_out, c_in * 4)
            out[:, :, r, :, t] = backend.matmul(w_rt, cols).reshape(c_out, h, wd, n)
    return out.reshape(c_out, 2 * h, 2 * wd, n)


def sub_pixel_pairs(rng):
    x = rng.standard_normal((128, 7, 7, 64)).astype(np.float32)
    w = (rng.standard_normal((128, 64, 4, 4)) * 0.05).astype(np.float32)
    yield ("conv_transpose 128→64 7²→14²", partial(conv_transpose_gemm_col2im, x, w),
           partial(conv_transpose_sub_pixel, x, w), False)


# ----------------------------------------------------------------------------- im2col without the padded copy
def im2col_padded(x, k, s, pad):  # as Conv2d.forward makes its columns
    return conv.im2col(conv.to_batch_last(x, pad, pad), k, k, s, s)


def im2col_by_offsets(x, k, s, pad):
    """One slice copy per kernel offset (p, q) from the unpadded (C, H, W, N) input; the windows' rows and columns
    that fall in the padding get zeros."""
    n, c, h, w = x.shape
    xb = np.ascontiguousarray(x.transpose(1, 2, 3, 0))  # (no copy for a batch-last view)
    ho, wo = (h + 2 * pad - k) // s + 1, (w + 2 * pad - k) // s + 1
    cols = np.empty((c, k, k, ho, wo, n), x.dtype)
    for p in range(k):
        i0, i1 = (max(0, pad - p) + s - 1) // s, min(ho, (h - 1 - p + pad) // s + 1)  # the windows inside x
        for q in range(k):
            j0, j1 = (max(0, pad - q) + s - 1) // s, min(wo, (w - 1 - q + pad) // s + 1)
            dst = cols[:, p, q]
            dst[:, :i0], dst[:, i1:], dst[:, i0:i1, :j0], dst[:, i0:i1, j1:] = 0, 0, 0, 0
            r0, c0 = s * i0 + p - pad, s * j0 + q - pad
            dst[:, i0:i1, j0:j1] = xb[:, r0 : r0 + s * (i1 - i0 - 1) + 1 : s, c0 : c0 + s * (j1 - j0 - 1) + 1 : s]
    return cols.reshape(c * k * k, ho * wo * n)


def im2col_pairs(rng):
    x = batch_last(rng, (64, 64, 14, 14))
    yield "im2col 64×14²×64, k4 s2 p1", partial(im2col_padded, x, 4, 2, 1), partial(im2col_by_offsets, x, 4, 2, 1), True


# ----------------------------------------------------------------------------- LeakyReLU's gradient, layouts
def leaky_grad(x, grad, laid_out):
    if laid_out:  # the gradient copied into x's layout first (empty_like keeps x's), then the same kernel
        grad, given = np.empty_like(x), grad
        np.copyto(grad, given)
    return activation._leaky_relu_grad(np, grad, x, np.float32(0.2), np.float32(1 - np.float32(0.2)))


def leaky_pairs(rng):
    x, grad = batch_last(rng, (64, 128, 7, 7)), rng.standard_normal((64, 128, 7, 7)).astype(np.float32)
    yield "leaky_relu grad, row-major grad", partial(leaky_grad, x, grad, False), partial(leaky_grad, x, grad, True), \
        True


# ----------------------------------------------------------------------------- whole iterations
def iterations(rounds, number):
    """dcgan-bn-28's iteration (the bench's, batch 64) with batch norm's two kernels as 03c74881 wrote them and as
    ``ops/norm.py`` has them, in turn: CPU ms an iteration, each round's median."""
    import minigan
    from minigan.cli.bench import workloads as bench
    from minigan.process import keep_freed_memory

    minigan.set_num_threads(1)
    keep_freed_memory()  # as python -m minigan.bench does
    bench.RUN.update(torch=None, batch=64)
    step, _, _ = bench.make_workload("dcgan-bn-28", bench.minigan_framework(), 64)
    now = (norm._affine, norm._batch_norm_dx)
    before = (backend.fused(lambda xp, *a: affine_old(*a)), backend.fused(lambda xp, *a: batch_norm_dx_old(*a)))
    times = {"03c74881": [], "now": []}
    for i in range(rounds):
        for name in (("03c74881", "now") if i % 2 == 0 else ("now", "03c74881")):
            norm._affine, norm._batch_norm_dx = before if name == "03c74881" else now
            step()  # (one iteration first: the other side's arrays leave the allocator's caches)
            began = time.process_time()
            for _ in range(number):
                step()
            times[name].append((time.process_time() - began) / number * 1e3)
    norm._affine, norm._batch_norm_dx = now
    medians = {name: float(np.median(t)) for name, t in times.items()}
    for name, t in times.items():
        print(f"dcgan-bn-28 iteration, {name:8s} median {medians[name]:7.2f} CPU-ms ({min(t):.2f}–{max(t):.2f}, "
              f"{rounds} rounds of {number})")
    print(f"now / 03c74881 {medians['now'] / medians['03c74881']:.3f}")


def pairs(rng):
    yield from batch_norm_pairs(rng)
    yield from col2im_pairs(rng)
    yield from sub_pixel_pairs(rng)
    yield from im2col_pairs(rng)
    yield from leaky_pairs(rng)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="alternating rounds of each pair (default 15)")
    parser.add_argument("--only", nargs="+", default=None, help="the pairs whose name holds one of these words")
    parser.add_argument("--iterations", type=int, default=None, help="time N whole iterations a round instead")
    args = parser.parse_args(argv)
    if args.iterations:
        return iterations(args.rounds, args.iterations)
    for name, old, new, exact in pairs(np.random.default_rng(0)):
        if args.only and not any(word in name for word in args.only):
            continue
        a, b = old(), new()
        assert np.array_equal(a, b) if exact else np.allclose(a, b, rtol=1e-4, atol=1e-4 * np.abs(a).max()), name
        number = max(1, int(0.05 / max(1e-6, timeit.timeit(old, number=1, timer=time.process_time))))
        times = {"old": [], "new": []}
        for i in range(args.rounds):  # alternating, and which goes first alternates too
            for side in (("old", "new") if i % 2 == 0 else ("new", "old")):
                fn = old if side == "old" else new
                times[side].append(timeit.timeit(fn, number=number, timer=time.process_time) / number * 1e3)
        old_ms, new_ms = (float(np.median(times[s])) for s in ("old", "new"))
        spread = {s: f"{min(t):.3f}–{max(t):.3f}" for s, t in times.items()}
        print(f"{name:32s} 03c74881 {old_ms:7.3f} ms ({spread['old']})  other {new_ms:7.3f} ms ({spread['new']})  "
              f"other/03c74881 {new_ms / old_ms:.2f}", flush=True)


if __name__ == "__main__":
    main()
