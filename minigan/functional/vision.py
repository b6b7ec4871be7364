"""Vision functions: ``pad``, ``interpolate`` and the ``upsample`` forms (nearest, linear, cubic), ``pixel_shuffle``.
"""

from __future__ import annotations

import warnings

from minigan.engine import backend, checks
from minigan.engine.errors import DomainError, DtypeError, ShapeError
from minigan.engine.ops import pool as P
from minigan.engine.ops import shape as S
from minigan.functional._common import _float, _tensor
from minigan.functional.pool import adaptive_avg_pool1d, adaptive_avg_pool2d
from minigan.surface.layout import laid_out
from minigan.surface.operands import fits
from minigan.surface.reading import read_by_backward
from minigan.surface.shapes import normalize_pad


def pad(input, pad, mode="constant", value=None):
    """Padding.  PyTorch's form: a flat tuple (left, right, top, bottom, ...) pads the LAST dimension first, two
    numbers per dimension.  NumPy's form: an int, or one (before, after) pair per axis.  ``mode``: "constant"
    (``value``, 0 by default), or, as PyTorch's, "reflect" (mirrored about the edge, which is not repeated),
    "replicate" (the edge repeated) and "circular" (wrapped around), each reading x at computed indices."""
    input = x = _tensor(input, "pad")
    keeps = x.ndim in (4, 5) and mode != "circular"  # (PyTorch's: a channels-last batch stays so, but circularly)
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', got "
                                  f"{mode!r}")  # (PyTorch's class)
    flat = isinstance(pad, (tuple, list)) and all(checks.is_integer(v) for v in pad)
    if flat and mode != "constant":  # PyTorch's checks, in its order (the value, then what the mode's kernels pad)
        if len(pad) // 2 <= input.ndim and value not in (None, 0):
            raise DomainError(f"pad: value is for mode='constant' only, got value={value!r} with mode={mode!r}")
        if len(pad) // 2 <= input.ndim and (input.ndim not in (len(pad) // 2 + 1, len(pad) // 2 + 2) or len(pad) > 6):
            raise NotImplementedError(f"pad: mode={mode!r} pads the last 1 to 3 dimensions of one sample or "
                                      f"a batch: {len(pad)} sizes need a {len(pad) // 2 + 1}-D or "
                                      f"{len(pad) // 2 + 2}-D input, got shape {tuple(input.shape)}")
        k = len(pad) // 2  # (reflect's and replicate's kernels: every size but a batch's non-zero, then no bools)
        if mode != "circular" and k <= input.ndim and 0 in input.shape[input.ndim - k - 1:]:
            raise ShapeError(f"pad: mode={mode!r} needs a {k + 1}-D or {k + 2}-D (batch) input whose sizes other "
                             f"than the batch's are non-zero, got shape {tuple(input.shape)}")
        if mode != "circular" and k <= input.ndim and input.dtype.kind == "b":
            kernel = f"{'reflection' if mode == 'reflect' else 'replication'}_pad{k}d"
            raise DtypeError(f"pad: mode={mode!r} has no bool kernel, as in PyTorch (\"{kernel}\" not implemented for "
                             "'Bool'); pad x.int() or x.float()")
    if flat:
        if len(pad) % 2 or len(pad) // 2 > input.ndim:
            raise ShapeError(f"pad: PyTorch-style pad {tuple(pad)} must hold an even number of sizes, two for each "
                             f"of at most {input.ndim} dimensions (input shape {tuple(input.shape)})")
        pairs = [(pad[i], pad[i + 1]) for i in range(0, len(pad), 2)][::-1]  # from the last dimension backwards
        pad = [(0, 0)] * (input.ndim - len(pairs)) + pairs
        if any(v < 0 for pair in pad for v in pair):  # a negative size crops that side, as in PyTorch
            input = input[tuple(slice(max(-b, 0), n - max(-a, 0)) for (b, a), n in zip(pad, input.shape))]
            pad = [(max(b, 0), max(a, 0)) for b, a in pad]
    widths = normalize_pad(pad, input.ndim)
    if mode == "constant":
        fits("pad", value, input.dtype)  # (NaN, ∞ or a number beyond an integer dtype: PyTorch's checked conversion,
        if input.dtype.kind == "u" and checks.is_number(value) and value < 0:  # which refuses a negative unsigned one)
            raise DomainError(f"pad: the value {value!r} cannot be converted to {input.dtype} without overflow")
        if not any(v for pair in widths for v in pair):  # nothing grows (no pad, or only crops): PyTorch's clone
            return input.clone()  # of the cropped input, which keeps its layout (preserve_format)
        return laid_out(S.Pad.apply(input, pad_width=widths, value=0.0 if value is None else value), x, keeps)
    if value not in (None, 0):
        raise DomainError(f"pad: value is for mode='constant' only, got value={value!r} with mode={mode!r}")
    xp, gathered = backend.get_array_module(input.array), False
    if mode != "circular":  # (PyTorch's reflect and replicate pads are kernels whose backward reads x; circular's
        input = read_by_backward(input)  # is a composite of slices, as here)
    for axis, (before, after) in enumerate(widths):
        if before or after:
            gathered = True
            n = input.shape[axis]
            if mode == "reflect" and (before >= n or after >= n):
                raise ShapeError(f"pad: reflect padding ({before}, {after}) must be less than the dimension's size {n}")
            if mode == "circular" and (before > n or after > n):
                raise ShapeError(f"pad: circular padding ({before}, {after}) must be at most the dimension's size {n}")
            i = xp.arange(-before, n + after)  # the position in x that each padded position reads
            if mode == "reflect":
                i = (n - 1) - xp.abs((n - 1) - xp.abs(i))  # mirrored at 0 and at n − 1
            else:
                i = xp.clip(i, 0, n - 1) if mode == "replicate" else i % n
            input = input[(slice(None),) * axis + (i,)]
    input = input if gathered else input.clone()  # (nothing padded, or only cropped: a new tensor still, as PyTorch's)
    return laid_out(input, x, keeps)  # (as PyTorch's: an index along a middle axis leaves another layout)


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated in PyTorch for ``interpolate``, which it calls (with PyTorch's warning)."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", UserWarning,
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """Deprecated in PyTorch: ``interpolate(mode="nearest")``."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  UserWarning, stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Deprecated in PyTorch: ``interpolate(mode="bilinear", align_corners=True)``."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
                  UserWarning, stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


_RESIZE_MODES = {3: ("nearest", "nearest-exact", "linear", "area"),
                 4: ("nearest", "nearest-exact", "bilinear", "bicubic", "area")}


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None,
                antialias=False):
    """Resize x (N, C, L) or (N, C, H, W) to ``size`` or by ``scale_factor`` (a number or one per axis), with
    PyTorch's modes and index rules: ``nearest`` takes input pixel ⌊o·in/out⌋ (``nearest-exact``: the one whose
    centre is nearest), ``linear``/``bilinear`` blend the two nearest input pixels along each axis, ``bicubic``
    four (Keys' cubic convolution, a = −0.75), ``area`` averages (adaptive average pooling).  ``align_corners``
    (linear modes): True lines up the corner pixels, False (PyTorch's default) the pixel centres."""
    input = _tensor(input, "interpolate")  # (PyTorch's order: the arguments, the axes and mode, then the dtype)
    if align_corners is not None and mode in ("nearest", "nearest-exact", "area"):
        raise ValueError(f"interpolate: align_corners is for the linear and cubic modes only, not mode={mode!r} "
                         "(PyTorch refuses it too)")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    given = size if size is not None else scale_factor
    if isinstance(given, (tuple, list)) and len(given) != input.ndim - 2:
        raise ValueError(f"interpolate: {'size' if size is not None else 'scale_factor'} {given!r} must name one size "
                         f"for each of the input's {max(input.ndim - 2, 0)} spatial axes (input shape "
                         f"{tuple(input.shape)}, (N, C, L) or (N, C, H, W))")
    if recompute_scale_factor and size is not None:
        raise ValueError("interpolate: recompute_scale_factor is for a scale_factor, not an explicit size")
    if antialias and not (mode in ("bilinear", "bicubic") and input.ndim == 4):
        raise ValueError(f"interpolate: antialias is for the bilinear and bicubic modes of a 4-D input, got "
                         f"mode={mode!r} and shape {tuple(input.shape)}")
    if input.ndim not in _RESIZE_MODES:  # (NotImplementedError, as PyTorch's)
        raise NotImplementedError(f"interpolate: input must be 3-D (N, C, L) or 4-D (N, C, H, W), got shape "
                                  f"{tuple(input.shape)}")
    modes, axes = _RESIZE_MODES[input.ndim], tuple(range(2, input.ndim))
    if mode not in modes:
        raise NotImplementedError(f"interpolate: mode for a {input.ndim}-D input must be one of {modes}, got "
                                  f"mode={mode!r}")
    if not (mode.startswith("nearest") and input.dtype == backend.np.uint8 or mode == "area"):  # (nearest picks
        input = _float(input, "interpolate")  # pixels: PyTorch's kernels take a uint8 image or mask too, no other
        # integer or bool; area is adaptive_avg_pool, whose dtype check passes an integer input with no output pixel)
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not provided (it matters when shrinking)")
    if size is not None:
        out = _per_axis(size, len(axes), "size", checks.is_integer, int, positive=mode != "area")  # (adaptive
        scales = (None,) * len(axes)  # pooling to no pixel is PyTorch's empty result)
    else:
        scales = _per_axis(scale_factor, len(axes), "scale_factor", checks.is_number, float)
        out = tuple(int(input.shape[a] * s) for a, s in zip(axes, scales))  # ⌊n·s⌋, as PyTorch
        scales = (None,) * len(axes) if recompute_scale_factor else tuple(float(s) for s in scales)
    empty = (tuple(input.shape[a] for a in axes) if mode == "area" else  # (area pools: to 0 pixels, or channels)
             (input.shape[1],) + tuple(input.shape[a] for a in axes) + out)  # (an empty batch: resized, as PyTorch)
    if 0 in empty:
        raise DomainError(f"interpolate: input shape {tuple(input.shape)} resized to {out} in mode={mode!r}: "
                          f"{'each input size' if mode == 'area' else 'the channels, each input and output size'} "
                          "must be above 0 (PyTorch refuses it too)")
    if mode == "area":
        return adaptive_avg_pool2d(input, out) if input.ndim == 4 else adaptive_avg_pool1d(input, out)
    repeats = [s if s is not None else n / input.shape[a] for a, n, s in zip(axes, out, scales)]
    x, keeps = input, input.ndim == 4  # (PyTorch's: a channels-last batch stays so; its 1-D modes are row-major)
    if mode == "nearest" and input.ndim == 4 and all(float(r).is_integer() for r in repeats) and repeats != [1, 1]:
        # (a scale of 1 goes the per-axis way: the op's broadcast would hand back the input's own memory, where
        # PyTorch's kernel writes a new tensor)
        return laid_out(P.UpsampleNearest2d.apply(input, scale=tuple(int(r) for r in repeats)), x)  # (one op)
    for axis, n, scale in zip(axes, out, scales):  # one axis at a time: each mode is separable
        if mode.startswith("nearest"):
            input = _nearest_resize(input, axis, n, scale, exact=mode == "nearest-exact")
        else:
            input = (_cubic_resize if mode == "bicubic" else _linear_resize)(input, axis, n, bool(align_corners), scale)
    return laid_out(input, x, keeps)  # (as PyTorch's upsampling kernels allocate their result)


def _per_axis(value, count, name, kind, number, positive=True):
    """One ``number`` (int or float) per resized axis, each of the ``kind`` its test accepts (NumPy's too) and > 0
    (or ≥ 0 where not ``positive``)."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * count
    if len(values) != count or not all(kind(v) and (v > 0 if positive else v >= 0) for v in values):
        raise DomainError(f"interpolate: {name} must be a {'positive' if positive else 'non-negative'} number or one "
                          f"for each of the {count} resized axes, got {value!r}")  # (PyTorch's RuntimeError; a
        # DomainError is a ValueError too)
    return tuple(number(v) for v in values)


def _source_coordinate(size, n, align_corners, scale, xp, clamp=True):
    """The input coordinate i + λ of each output pixel o (PyTorch's area_pixel_compute_source_index)."""
    o = xp.arange(size, dtype=xp.float64)
    if align_corners:  # the first and last pixels of both grids coincide
        return o * ((n - 1) / (size - 1)) if size > 1 else o * 0
    source = (o + 0.5) * (n / size if scale is None else 1 / scale) - 0.5  # pixel centres coincide
    return xp.maximum(source, 0) if clamp else source  # (1/scale_factor when one was given, as PyTorch's)


def _take(x, axis, index):
    return x[(slice(None),) * axis + (index,)]


def _nearest_resize(x, axis, size, scale, exact):
    """Output pixel o takes input pixel ⌊o·s⌋ (nearest-exact: ⌊(o + ½)·s⌋), s = in/out or 1/scale_factor, with
    the roundings of PyTorch's CPU kernels, so that the same pixels are picked: nearest in float32; nearest-exact
    with s in the input's precision and (o + ½)·s formed in float64, then rounded to float32."""
    n, xp = x.shape[axis], backend.get_array_module(x.array)
    if not exact:
        s = xp.float32(n) / xp.float32(size) if scale is None else xp.float32(1 / scale)
        o = xp.arange(size, dtype=xp.float32) * s
    else:
        s = (n / size if scale is None else 1 / scale) if x.dtype == xp.float64 else \
            (xp.float32(n) / xp.float32(size) if scale is None else xp.float32(1 / scale))
        o = ((xp.arange(size, dtype=xp.float64) + 0.5) * xp.float64(s)).astype(xp.float32)
    return _take(x, axis, xp.minimum(xp.floor(o).astype(xp.int64), n - 1))


def _linear_resize(x, axis, size, align_corners, scale):
    """x resized to ``size`` along ``axis`` by linear interpolation: out[o] = (1 − λ)·x[i] + λ·x[i + 1], where the
    output pixel o maps to the input coordinate i + λ.  An axis kept at its size is copied, as PyTorch's kernels do
    whatever the scale: both taps on pixel o, λ = 0 (a neighbour's NaN stays out; ∞ gives ∞·1 + ∞·0 = NaN)."""
    n, xp = x.shape[axis], backend.get_array_module(x.array)
    kept = n == size
    source = xp.arange(size, dtype=xp.float64) if kept else _source_coordinate(size, n, align_corners, scale, xp)
    lower = xp.minimum(xp.floor(source).astype(xp.int64), n - 1)
    upper = lower if kept else xp.minimum(lower + 1, n - 1)
    weight = (source - lower).astype(x.dtype).reshape((size,) + (1,) * (x.ndim - axis - 1))
    return _take(x, axis, lower) * (1 - weight) + _take(x, axis, upper) * weight


def _cubic_resize(x, axis, size, align_corners, scale, a=-0.75):
    """Keys' (1981) cubic convolution: out[o] = Σₖ wₖ(λ)·x[i − 1 + k], k = 0…3, indices clamped to the edge."""
    n, xp = x.shape[axis], backend.get_array_module(x.array)
    source = _source_coordinate(size, n, align_corners, scale, xp, clamp=False)
    i = xp.floor(source)
    t = source - i
    near = lambda d: ((a + 2) * d - (a + 3)) * d * d + 1  # the kernel on |d| ≤ 1
    far = lambda d: ((a * d - 5 * a) * d + 8 * a) * d - 4 * a  # on 1 < |d| < 2
    shape = (size,) + (1,) * (x.ndim - axis - 1)
    out = None
    for k, w in enumerate((far(t + 1), near(t), near(1 - t), far(2 - t))):
        index = xp.clip(i.astype(xp.int64) - 1 + k, 0, n - 1)
        term = _take(x, axis, index) * w.astype(x.dtype).reshape(shape)
        out = term if out is None else out + term
    return out


def _shuffled(op, input, r, what):
    """pixel_shuffle's and pixel_unshuffle's door, PyTorch's: an input (*, C, H, W) of any dtype and at least 3
    dimensions (leading ones are batch axes), and a positive factor (RuntimeErrors there)."""
    input, r = _tensor(input, op), int(r)
    if input.ndim < 3:
        raise ShapeError(f"{op}: input must be (*, C, H, W), at least 3-D, got shape {tuple(input.shape)}")
    if r <= 0:
        raise DomainError(f"{op}: {what} must be positive, got {r}")
    return input, r, tuple(input.shape[:-3]), input.ndim - 3


def pixel_shuffle(input, upscale_factor):
    """(*, C·r², H, W) → (*, C, H·r, W·r) (Shi et al. 2016, sub-pixel convolution)."""
    input, r, lead, k = _shuffled("pixel_shuffle", input, upscale_factor, "upscale_factor")
    c, h, w = input.shape[-3:]
    if c % (r * r):
        raise ShapeError(f"pixel_shuffle: {c} channels are not divisible by upscale_factor² = {r * r}")
    out = input.reshape(*lead, c // (r * r), r, r, h, w).permute(*range(k), k, k + 3, k + 1, k + 4, k + 2)
    return laid_out(out.reshape(*lead, c // (r * r), h * r, w * r), input, k == 1)  # (as PyTorch's: new memory, also
    # where no entry moves)


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H·r, W·r) → (*, C·r², H, W), the inverse of pixel_shuffle."""
    input, r, lead, k = _shuffled("pixel_unshuffle", input, downscale_factor, "downscale_factor")
    c, h, w = input.shape[-3:]
    if h % r or w % r:
        raise ShapeError(f"pixel_unshuffle: height and width {(h, w)} are not divisible by {r}")
    if input.numel() == 0:  # (PyTorch's: an empty input comes back as a copy of its own shape)
        return input.clone()
    out = input.reshape(*lead, c, h // r, r, w // r, r).permute(*range(k), k, k + 2, k + 4, k + 1, k + 3)
    return laid_out(out.reshape(*lead, c * r * r, h // r, w // r), input, k == 1)  # (as PyTorch's: new memory)
