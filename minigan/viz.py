"""Pictures for the lessons: 2-D samples over the true modes, image grids, loss curves, the autodiff graph.

    from minigan import viz
    viz.scatter_2d(samples, mixture.modes, "ring.png", std=mixture.std)
    viz.image_grid(fake, "digits.png", nrow=10, row_labels=list(range(10)))   # one row per class
    viz.loss_curves({"D": d_losses, "G": g_losses}, "losses.png", smooth=0.9)
    print(viz.graph_text(loss)); viz.plot_graph(loss, "graph.png")

Every function accepts minigan Tensors, NumPy arrays or CuPy arrays, draws with matplotlib's
non-interactive Agg canvas (no window, no global ``pyplot`` state, safe in scripts, tests and
threads), writes the PNG atomically (a temporary ``.png`` in the same folder, then ``os.replace``,
so a reader never sees half a file) and returns the path it wrote.

matplotlib is optional: ``pip install 'minigan[demos]'``. It is imported only when a picture is
drawn, so ``graph_text`` and the rest of minigan work without it.

One figure style for every picture minigan draws (``STYLE``, applied with ``style()``): the command
line, these functions and the demos all look alike, with font sizes readable on a projected slide.
The demos use it too: ``with viz.style(): fig, ax = plt.subplots(...)``.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import minigan.arguments as arguments
from minigan.engine.backend import asnumpy, np
from minigan.serialization import atomic_write
from minigan.surface.data import host_array

_INSTALL = "pip install 'minigan[demos]'"

# ----------------------------------------------------------------------------- the one figure style
# matplotlib rcParams shared by every figure: sizes a projector keeps legible, light grids, no top or
# right frame, and the Tableau colours, whose order (blue, orange, green, red, ...) the pictures rely on.
STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.framealpha": 0.85,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.6,
    "image.cmap": "viridis",
}
# The colours with a fixed meaning in every picture.
FAKE_COLOR = "tab:blue"    # generated samples, G(z)
REAL_COLOR = "0.35"        # the true distribution: drawn lightly, in grey, under the samples


def style():
    """``with viz.style():`` draw with ``STYLE`` (a ``matplotlib.rc_context``; the old settings come back after)."""
    try:
        import matplotlib
    except ImportError as e:
        raise ImportError(f"minigan.viz needs matplotlib to draw pictures: {_INSTALL}") from e
    return matplotlib.rc_context(STYLE)


# ----------------------------------------------------------------------------- helpers
def figure(figsize):
    """A matplotlib Figure bound to an Agg canvas (never a pyplot window)."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as e:
        raise ImportError(f"minigan.viz needs matplotlib to draw pictures: {_INSTALL}") from e
    fig = Figure(figsize=figsize, dpi=100)
    FigureCanvasAgg(fig)
    return fig


def save_figure(fig, path, fn: str = "save_figure", alt=None) -> str:
    """Write ``fig`` as a PNG to ``path`` atomically, with its alternative text; return ``path`` as a string.

    The alternative text (``describe_figure(fig, alt)``: ``alt``, the measured values a verdict rests on, then
    what each panel plots, from its numbers) goes into the PNG itself (its "Description") and beside it in
    ``alt_path(path)``, NAME.alt.txt: what a screen reader, a page's ``alt`` attribute or a notebook reads."""
    if path is None or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{fn}: got path={path!r}, expected a file name such as 'samples.png'")
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    text = describe_figure(fig, alt)
    with atomic_write(path) as f:  # a temporary file beside it, renamed over it once complete
        fig.savefig(f, format="png", metadata={"Description": text})
    with atomic_write(alt_path(path), "w") as f:
        f.write(text + "\n")
    return str(path)


# ----------------------------------------------------------------------------- alternative text
def alt_path(path) -> Path:
    """Where a figure's alternative text is kept beside it: samples.png -> samples.alt.txt."""
    return Path(path).with_suffix(".alt.txt")


def read_alt(path) -> str | None:
    """The alternative text written with the figure at ``path``: its NAME.alt.txt, else the PNG's Description."""
    side = alt_path(path)
    if side.is_file():
        return side.read_text(encoding="utf-8").strip()
    try:
        from PIL import Image
    except ImportError:
        return None
    with Image.open(path) as im:
        return im.info.get("Description")


def _num(v) -> str:
    """A plotted number as alternative text says it: 3 significant digits, never '-0'."""
    v = float(v)
    return "not a number" if not math.isfinite(v) else f"{v:.3g}".replace("-0", "0") if v == 0 else f"{v:.3g}"


def _shown(label) -> str | None:
    """A legend label, or None for matplotlib's unnamed artists ('_child0', '_nolegend_')."""
    label = str(label or "").strip()
    return None if not label or label.startswith("_") else label


def _describe_axes(ax) -> str:
    parts = []
    title = " ".join(t for t in (ax.get_title("left"), ax.get_title(), ax.get_title("right")) if t)
    if title:
        parts.append(f"{title}.")
    images = ax.get_images()
    for axis, label, lim, scale in () if not ax.axison else (("x", ax.get_xlabel(), ax.get_xlim(), ax.get_xscale()),
                                    ("y", ax.get_ylabel(), ax.get_ylim(), ax.get_yscale())):
        if images and not label:
            continue  # an image's pixel coordinates say nothing
        log = " (log scale)" if scale == "log" and "log" not in label else ""
        parts.append(f"{axis} axis{': ' + label if label else ''}, {_num(min(lim))} to {_num(max(lim))}{log}.")
    for line in ax.get_lines():
        x, y = (np.asarray(d, dtype=np.float64).ravel() for d in line.get_data())
        finite = np.isfinite(y) & np.isfinite(x) if x.shape == y.shape else np.isfinite(y)
        name = _shown(line.get_label())
        faint = line.get_alpha() is not None and line.get_alpha() < 0.5
        if not finite.any() or name is None and (finite.sum() < 3 or faint):
            continue  # unnamed short lines (guides, marks) and the faint raw values under a smoothed line
        xs, ys = (x[finite] if x.shape == y.shape else np.arange(finite.sum())), y[finite]
        if len(ys) == 1:
            parts.append(f"{name}: the point ({_num(xs[0])}, {_num(ys[0])}).")
            continue
        if len(ys) == 2 and np.ptp(ys) == 0:
            parts.append(f"{name}: a level line at {_num(ys[0])}.")
            continue
        lo, hi = int(ys.argmin()), int(ys.argmax())
        parts.append(f"{name or 'a line'}: {len(ys)} points from x = {_num(xs[0])} to {_num(xs[-1])}, starting at "
                     f"{_num(ys[0])} and ending at {_num(ys[-1])}, lowest {_num(ys[lo])} (x = {_num(xs[lo])}), "
                     f"highest {_num(ys[hi])} (x = {_num(xs[hi])}).")
    for coll in ax.collections:
        offsets = np.asarray(coll.get_offsets(), dtype=np.float64).reshape(-1, 2)
        offsets = offsets[np.isfinite(offsets).all(axis=1)]
        if len(offsets) < 2:
            continue
        (x0, y0), (x1, y1) = offsets.min(axis=0), offsets.max(axis=0)
        cx, cy = offsets.mean(axis=0)
        parts.append(f"{_shown(coll.get_label()) or 'points'}: {len(offsets)} points with x from {_num(x0)} to "
                     f"{_num(x1)} and y from {_num(y0)} to {_num(y1)}, centred at ({_num(cx)}, {_num(cy)}).")
    for bars in getattr(ax, "containers", []):
        heights = [p.get_height() for p in bars if hasattr(p, "get_height")]
        if heights:
            shown = ", ".join(_num(h) for h in heights[:12]) + (", ..." if len(heights) > 12 else "")
            parts.append(f"{_shown(bars.get_label()) or 'bars'}: {len(heights)} bars of heights {shown}.")
    for im in images:
        a = im.get_array()
        if a is not None:
            rows = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
            parts.append(f"an image of {a.shape[0]} by {a.shape[1]} pixels"
                         + (f", its rows labelled {', '.join(rows)}." if rows else "."))
    words = ["; ".join(" ".join(line.split()) for line in t.get_text().splitlines() if line.strip())
             for t in ax.texts if t.get_visible() and t.get_text().strip()]
    if words:
        parts.append("Written on it: " + "; ".join(words[:8]) + ".")
    return " ".join(parts)


def describe_figure(fig, summary=None) -> str:
    """Alternative text for the matplotlib figure ``fig``, generated from what it plots: ``summary`` (the measured
    values a verdict rests on) first, then each panel: its title, what each axis shows and its range, each line's
    name with where it starts, ends, and its lowest and highest values, each scatter's count, extent and centre,
    the bars' heights, the images' sizes and the text written on the panel."""
    panels = []

    def walk(f):
        if getattr(f, "_suptitle", None) is not None and f._suptitle.get_text():
            panels.append(f._suptitle.get_text().strip() + ".")
        for ax in f.get_axes():
            if ax.get_visible() and (ax.axison or ax.get_images() or ax.texts):
                panels.append(ax)
        for sub in getattr(f, "subfigs", []):
            walk(sub)

    walk(fig)
    axes = [p for p in panels if not isinstance(p, str)]
    text = [" ".join(str(summary).split())] if summary else []
    for p in panels:
        if isinstance(p, str):
            text.append(p)
        else:
            said = _describe_axes(p)
            if said:
                text.append(f"Panel {axes.index(p) + 1} of {len(axes)}: {said}" if len(axes) > 1 else said)
    return " ".join(text) or "an empty figure"


# ----------------------------------------------------------------------------- 2-D samples
def mode_summary(metrics: dict) -> str:
    """The mode metrics in three lines, each beside its reference value (for a figure or a frame)."""
    k = metrics["num_modes"]
    return (f"{metrics['modes_covered']}/{k} modes covered\n"
            f"{100 * metrics['high_quality']:.1f}% high quality (perfect sampler: 98.9%)\n"
            f"reverse KL {metrics['reverse_kl']:.3f} (0 = balanced, log {k} = {math.log(k):.2f}: one mode)")


def _view_limits(x, m, margin: float = 0.35):
    """Axis limits holding the true modes and the bulk (0.5-99.5%) of the samples, square."""
    parts = [] if m is None else [m.min(axis=0) - margin, m.max(axis=0) + margin]
    if len(x):
        parts += [np.quantile(x, 0.005, axis=0) - 0.1, np.quantile(x, 0.995, axis=0) + 0.1]
    if not parts:
        return (-1.0, 1.0), (-1.0, 1.0)
    lo, hi = np.min(parts, axis=0), np.max(parts, axis=0)
    centre, half = (lo + hi) / 2, max(float((hi - lo).max()) / 2, 1e-6)
    return (centre[0] - half, centre[0] + half), (centre[1] - half, centre[1] + half)


def draw_modes(ax, modes, std=None, threshold: float = 3.0, label: bool = True):
    """The true modes, lightly: a pale disc of radius ``threshold * std`` and a small grey ``+`` per centre,
    under everything else, so samples sitting on a mode stay visible. Returns the artists drawn."""
    from matplotlib.patches import Circle

    m = np.asarray(modes, dtype=np.float64)
    drawn = []
    if std is not None:
        for i, (cx, cy) in enumerate(m):
            drawn.append(ax.add_patch(Circle((cx, cy), threshold * std, facecolor=REAL_COLOR, alpha=0.15,
                                             edgecolor=REAL_COLOR, lw=0.6, zorder=1,
                                             label=f"true mode: {threshold:g}σ region" if label and i == 0 else None)))
    drawn.append(ax.scatter(m[:, 0], m[:, 1], s=25, marker="+", color=REAL_COLOR, linewidths=1, zorder=1,
                            label=f"true mode centres ({len(m)})" if label else None))
    return drawn


def scatter_2d(samples, modes=None, path=None, title=None, std=None, threshold: float = 3.0,
               max_points: int = 20000, metrics=None, real=None) -> str:
    """Generated 2-D ``samples`` (N, 2) over the true mode centres ``modes`` (K, 2); returns the path.

    ``modes`` may also be a ``minigan.data.toy2d.Mixture2D`` (its ``std`` is then the default).
    The modes are drawn lightly, under the samples: a small grey ``+`` per centre and, with ``std``,
    a pale disc of radius ``threshold * std`` (3σ): the region where the mode metrics count a sample
    as high quality. With modes and ``std`` the figure also shows the mode metrics (modes covered,
    % high quality, reverse KL) beside their reference values: computed from ``samples``, or the
    dict ``metrics`` when given (``metrics=False``: none). Non-finite samples are left out (and
    counted in the title); at most ``max_points`` samples are drawn. Equal aspect, so a ring looks
    like a ring. ``scatter_2d(samples, "out.png")`` (no modes) also works. ``real`` (M, 2): real data
    points, drawn lightly under the samples (a learner's own points, which have no modes).
    """
    fn = "scatter_2d"
    if path is None and isinstance(modes, (str, os.PathLike)):
        modes, path = None, modes
    if path is None:
        raise TypeError(f"{fn}: missing path, expected a file name such as 'samples.png'")
    if modes is not None and hasattr(modes, "modes") and hasattr(modes, "std"):  # a Mixture2D
        std = modes.std if std is None else std
        modes = modes.modes
    x = host_array(samples, fn, "samples")
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"{fn}: got samples of shape {x.shape}, expected (N, 2)")
    m = None
    if modes is not None:
        m = host_array(modes, fn, "modes")
        if m.ndim != 2 or m.shape[1] != 2:
            raise ValueError(f"{fn}: got modes of shape {m.shape}, expected (K, 2)")
    if std is not None:
        std = float(std)
        if not (math.isfinite(std) and std > 0):
            raise ValueError(f"{fn}: got std={std!r}, expected a positive finite number")
    if metrics is not None and metrics is not False and not isinstance(metrics, dict):
        raise TypeError(f"{fn}: got metrics of type {type(metrics).__name__}, expected a dict of mode metrics")
    if metrics is None and m is not None and std is not None and len(x):
        from minigan.metrics.mixture import mode_metrics

        metrics = mode_metrics(x, m, std, threshold=threshold)
    finite = np.isfinite(x).all(axis=1)
    dropped = int((~finite).sum())
    x = x[finite][:max_points]

    with style():
        fig = figure((5.8, 5.8))
        ax = fig.add_subplot(1, 1, 1)
        if m is not None:
            draw_modes(ax, m, std, threshold)
        if real is not None:
            r = host_array(real, fn, "real")[:max_points]
            ax.scatter(r[:, 0], r[:, 1], s=6, alpha=0.5, color=REAL_COLOR, linewidths=0, zorder=1,
                       label=f"real data ({len(r)})")
            m = r if m is None else m  # the view holds the data too
        ax.scatter(x[:, 0], x[:, 1], s=5, alpha=0.45, color=FAKE_COLOR, linewidths=0, zorder=2,
                   label=f"generated G(z) ({len(x)})")
        (x0, x1), (y0, y1) = _view_limits(x, m)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        ax.legend(loc="upper right", markerscale=2)
        if metrics:
            ax.text(0.02, 0.02, mode_summary(metrics), transform=ax.transAxes, fontsize=8.5, va="bottom",
                    ha="left", zorder=4, bbox=dict(boxstyle="round,pad=0.4", fc="white", ec="0.7", alpha=0.9))
        full = title or ""
        if dropped:
            full = f"{full} ({dropped} non-finite samples not drawn)".strip()
        if full:
            ax.set_title(full)
        fig.tight_layout()
        return save_figure(fig, path, fn)


# ----------------------------------------------------------------------------- image grids
def _grid_images(images, fn: str):
    """(N, H, W) host float64 from (N, 1, H, W), (N, H, W) or (N, D) with D a perfect square."""
    a = host_array(images, fn, "images")
    if a.ndim == 4 and a.shape[1] == 1:
        a = a[:, 0]
    elif a.ndim == 2 and a.shape[1] > 0 and math.isqrt(a.shape[1]) ** 2 == a.shape[1]:
        side = math.isqrt(a.shape[1])
        a = a.reshape(-1, side, side)
    elif a.ndim != 3:
        raise ValueError(
            f"{fn}: got images of shape {a.shape}, expected grayscale (N, 1, H, W), (N, H, W) "
            "or flat (N, H*W) with a square H*W"
        )
    if a.shape[0] == 0 or a.shape[1] == 0 or a.shape[2] == 0:
        raise ValueError(f"{fn}: got images of shape {a.shape}, expected at least one non-empty image")
    return a


def image_grid(images, path, nrow=None, title=None, value_range=None, row_labels=None, pad=None) -> str:
    """A grid of grayscale ``images`` with ``nrow`` images per row (torchvision's meaning); returns the path.

    ``value_range`` maps (low, high) to (black, white); by default it is (-1, 1) when any pixel is
    negative (a tanh generator) and (0, 1) otherwise. Pixels outside the range are clipped, NaN is
    drawn red so a diverged generator is visible. ``row_labels`` names each row (e.g. the class a
    conditional GAN was asked for: ``nrow=10, row_labels=range(10)`` with 10 samples per class).
    ``pad`` is the gap between images in pixels (default: a quarter of the image side, at least 1),
    wide enough that a grid of small images never reads as stripes.
    """
    fn = "image_grid"
    a = _grid_images(images, fn)
    n, h, w = a.shape
    if pad is None:
        pad = max(1, min(h, w) // 4)
    if isinstance(pad, bool) or not isinstance(pad, (int, np.integer)) or pad < 0:
        raise ValueError(f"{fn}: got pad={pad!r}, expected a non-negative integer (pixels between images)")
    pad = int(pad)
    if nrow is None:
        nrow = math.ceil(math.sqrt(n))
    nrow = arguments.positive_int(fn, "nrow (images per row)", nrow)
    nrow = min(int(nrow), n)
    rows = math.ceil(n / nrow)
    finite = np.isfinite(a)
    if value_range is None:
        value_range = (-1.0, 1.0) if (finite.any() and a[finite].min() < 0) else (0.0, 1.0)
    lo, hi = arguments.value_range(fn, value_range)
    if row_labels is not None:
        row_labels = [str(r) for r in row_labels]
        if len(row_labels) != rows:
            raise ValueError(f"{fn}: got {len(row_labels)} row_labels for {rows} rows ({n} images, nrow={nrow})")

    # one RGB mosaic: grey pixels, red for NaN/inf, a dark-blue padding between images
    mosaic = np.empty((rows * (h + pad) + pad, nrow * (w + pad) + pad, 3))
    mosaic[:] = (0.15, 0.2, 0.35)
    scaled = np.clip((np.where(finite, a, lo) - lo) / (hi - lo), 0.0, 1.0)
    for i in range(n):
        r, c = divmod(i, nrow)
        y, x = pad + r * (h + pad), pad + c * (w + pad)
        tile = np.repeat(scaled[i][:, :, None], 3, axis=2)
        tile[~finite[i]] = (1.0, 0.0, 0.0)
        mosaic[y : y + h, x : x + w] = tile

    with style():
        scale = min(0.6, max(0.02, 0.96 / max(h, w)))  # inches per pixel: any image ~1 inch (8x8 and 28x28 alike)
        fig = figure((max(2.5, mosaic.shape[1] * scale + 0.8), max(2.0, mosaic.shape[0] * scale + 0.6)))
        ax = fig.add_subplot(1, 1, 1)
        ax.imshow(mosaic, interpolation="nearest")
        ax.grid(False)
        ax.set_xticks([])
        if row_labels is not None:
            ax.set_yticks([pad + r * (h + pad) + (h - 1) / 2 for r in range(rows)])
            ax.set_yticklabels(row_labels)
            ax.tick_params(axis="y", length=0)
        else:
            ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        if title:
            ax.set_title(title)
        fig.tight_layout()
        return save_figure(fig, path, fn)


# ----------------------------------------------------------------------------- loss curves
def _ema(values, weight: float):
    """TensorBoard-style exponential moving average, debiased so it starts at the first value."""
    out = np.empty_like(values)
    acc, norm = 0.0, 0.0
    for i, v in enumerate(values):
        if not np.isfinite(v):
            out[i] = np.nan
            continue
        acc = weight * acc + (1 - weight) * v
        norm = weight * norm + (1 - weight)
        out[i] = acc / norm
    return out


def _series(name, series, fn: str):
    """(steps, values) float64 host arrays from a list of values or a (steps, values) pair."""
    if isinstance(series, tuple) and len(series) == 2:
        steps = host_array(series[0], fn, f"steps of {name!r}")
        values = host_array(series[1], fn, f"values of {name!r}")
    else:
        values = host_array(series, fn, f"history[{name!r}]")
        steps = np.arange(values.size, dtype=np.float64)
    if values.ndim != 1 or steps.ndim != 1 or steps.shape != values.shape:
        raise ValueError(
            f"{fn}: history[{name!r}] has steps of shape {steps.shape} and values of shape {values.shape}, "
            "expected two 1-D sequences of the same length"
        )
    return steps, values


def loss_curves(history, path, title=None, smooth: float = 0.0, logy: bool = False, xlabel: str = "step",
                panels=None, ylabels=None, references=None) -> str:
    """One line per series of ``history``; returns the path.

    ``history`` maps a name to a list of values (x = 0, 1, 2, ...) or to a pair ``(steps, values)``.
    ``smooth`` in [0, 1) is the weight of an exponential moving average (0: the raw values; 0.9: a
    calm line for noisy GAN losses, drawn over the faint raw values). NaN/inf values leave gaps.
    ``panels`` (a list of lists of names) draws each group on its own axes, one above the other, so
    quantities of different sizes (a loss, a Wasserstein estimate of 1e-3) each stay readable.
    ``ylabels`` names each panel's y axis (one string per panel); by default a single name, or "loss"
    for a panel of several series.
    ``references`` maps a series' name to ``(value, label)``: a dashed line at that value in the series'
    colour, such as a GAN's equilibrium (D's loss log 4 and G's log 2 where D(x) = 1/2 everywhere).
    """
    fn = "loss_curves"
    if not isinstance(history, dict) or not history:
        raise ValueError(f"{fn}: got history of type {type(history).__name__}, expected a non-empty dict "
                         "{name: values or (steps, values)}")
    smooth = arguments.fraction(fn, "smooth", smooth)
    data = {str(k): _series(k, v, fn) for k, v in history.items()}
    groups = [list(data)] if panels is None else [[str(n) for n in group] for group in panels]
    unknown = [n for group in groups for n in group if n not in data]
    if unknown or not all(groups):
        raise ValueError(f"{fn}: panels must be non-empty lists of names of the history ({sorted(data)}), "
                         f"got {panels!r}")
    if ylabels is None:
        ylabels = [group[0] if len(group) == 1 else "loss" for group in groups]
    if isinstance(ylabels, str) or len(ylabels) != len(groups):
        raise ValueError(f"{fn}: got ylabels={ylabels!r}, expected a list of {len(groups)} strings (one per panel)")

    with style():
        fig = figure((7, 4 if len(groups) == 1 else 1.2 + 2.4 * len(groups)))
        for row, group in enumerate(groups):
            ax = fig.add_subplot(len(groups), 1, row + 1)
            for name in group:
                steps, values = data[name]
                color = f"C{list(data).index(name) % 10}"
                shown = np.where(np.isfinite(values), values, np.nan)
                if smooth > 0:
                    ax.plot(steps, shown, color=color, alpha=0.25, lw=0.8)
                    ax.plot(steps, _ema(values, smooth), color=color, label=f"{name} (smoothed)")
                else:
                    ax.plot(steps, shown, color=color, lw=1.2, label=name)
                if references and name in references:
                    value, label = references[name]
                    ax.axhline(float(value), color=color, ls="--", lw=1.0, alpha=0.8, label=label)
            if logy:
                ax.set_yscale("log")
            ax.set_ylabel(str(ylabels[row]))
            ax.legend(loc="best")
            if title and row == 0:
                ax.set_title(title)
        ax.set_xlabel(xlabel)
        fig.tight_layout()
        return save_figure(fig, path, fn)


# ----------------------------------------------------------------------------- the autodiff graph
def _scalar_value(t):
    """The value of a one-element tensor as a float (to label its node), else None."""
    return float(asnumpy(t.array).reshape(())) if t.array.size == 1 else None


def _shape_text(shape) -> str:
    """"scalar" for shape (), else the shape as PyTorch prints it: (3, 4)."""
    return "scalar" if shape == () else str(shape)


def trace_graph(tensor) -> list[dict]:
    """The graph that produced ``tensor``, in topological order (every node after its inputs).

    Each node is a dict: ``index``, ``kind`` ("op", "leaf" or "const"), ``label`` (the op's class
    name, or the tensor's ``.name``), ``name`` (how other lines refer to it), ``inputs`` (indices of
    the input nodes, in argument order), ``shape``, ``dtype``, ``requires_grad`` and ``value`` (the
    number a one-element tensor holds, else None). The ops come in the order of the engine's own
    ``topological_order`` (iterative, so a graph thousands of ops deep works). The graph must still be alive: after a
    ``backward()`` without ``retain_graph=True`` its nodes have dropped their inputs.
    """
    from minigan.engine.errors import GraphError
    from minigan.engine.tensor import Tensor as EngineTensor
    from minigan.surface.tensor import Tensor

    if not isinstance(tensor, Tensor):
        raise TypeError(f"trace_graph: got {type(tensor).__name__}, expected a minigan Tensor")

    from minigan.engine.walk import topological_order

    nodes: list[dict] = []
    index: dict[int, int] = {}  # id(Node or leaf Tensor) -> position in `nodes`
    keep = []  # hold the keys alive so that ids stay unique during the walk

    def add_leaf(t):
        i = len(nodes)
        const = not t.requires_grad
        if t.name:
            name = str(t.name)
        elif const and t.array.size == 1:
            name = f"{float(asnumpy(t.array).reshape(())):g}"
        else:
            name = f"%{i}"
        nodes.append({"index": i, "kind": "const" if const else "leaf", "label": name, "name": name, "inputs": [],
                      "shape": tuple(t.shape), "dtype": str(t.dtype), "requires_grad": bool(t.requires_grad),
                      "value": _scalar_value(t)})
        index[id(t)] = i
        keep.append(t)

    if tensor._ctx is None:
        add_leaf(tensor)
        return nodes
    order = topological_order([tensor._ctx])[::-1]  # the engine's order, reversed: every node after its inputs
    for node in order:
        if node.freed:
            raise GraphError(
                f"trace_graph: the graph through {type(node).__name__} was freed by backward(); draw it "
                "before calling backward, or call backward(retain_graph=True)"
            )
    out_tensor: dict[int, object] = {id(tensor._ctx): tensor}  # each node's output, to name and measure it
    # each node's inputs as tensors: a constant the op took as it is (the 2 of x * 2, a NumPy number) drawn as one
    inputs = {node: [t if isinstance(t, EngineTensor) else Tensor._make(t) for t in node.inputs] for node in order}
    for node in order:
        for t, edge in zip(inputs[node], node.edges):
            if edge is not None and edge is t._ctx:
                out_tensor.setdefault(id(edge), t)
    for node in order:
        keys = [edge if edge is not None else t for t, edge in zip(inputs[node], node.edges)]
        for t, k in zip(inputs[node], keys):
            if k is t and id(t) not in index:  # a leaf or a constant, listed where it is first used
                add_leaf(t)
        if getattr(node, "see_through", False):  # a node PyTorch's graph does not have (surface/reading.py's, which
            index[id(node)] = index[id(keys[0])]  # a gradient is read through): drawn as its input, as next_functions
            continue
        i = len(nodes)
        out = out_tensor.get(id(node))
        name = str(out.name) if (out is not None and out.name) else f"%{i}"
        nodes.append({"index": i, "kind": "op", "label": type(node).__name__, "name": name,
                      "inputs": [index[id(k)] for k in keys],
                      "shape": tuple(out.shape) if out is not None else None,
                      "dtype": str(out.dtype) if out is not None else None, "requires_grad": True,
                      "value": _scalar_value(out) if out is not None else None})
        index[id(node)] = i
        keep.append(node)
    return nodes


def graph_text(tensor) -> str:
    """The graph of ``tensor`` as text, one node a line, in topological order::

        0: x = leaf (3,) float32 requires_grad
        1: w = leaf (3,) float32 requires_grad
        2: Mul(x, w) -> shape (3,)
        3: Sum(%2) -> shape ()

    Ops refer to their inputs by name: a leaf's ``.name``, a scalar constant's value, else ``%i``.
    """
    nodes = trace_graph(tensor)
    lines = []
    for n in nodes:
        if n["kind"] == "op":
            args = ", ".join(nodes[j]["name"] for j in n["inputs"])
            prefix = f"{n['name']} = " if not n["name"].startswith("%") else ""
            lines.append(f"{n['index']}: {prefix}{n['label']}({args}) -> shape {n['shape']}")
        else:
            what = "leaf" if n["kind"] == "leaf" else "constant"
            flag = " requires_grad" if n["requires_grad"] else ""
            lines.append(f"{n['index']}: {n['name']} = {what} {n['shape']} {n['dtype']}{flag}")
    return "\n".join(lines)


def plot_graph(tensor, path=None, title=None, max_nodes: int = 200):
    """Draw the autodiff graph of ``tensor``: leaves on the left, data flowing right to the result.

    Layout: a node's column is the length of the longest path from a leaf to it (computed in one
    pass over the topological order), its row its position within that column. Leaves that
    require grad are green, constants grey, ops blue, the result red. Returns the path written,
    or, with ``path=None``, the matplotlib ``Figure`` (to show in a notebook). Graphs with more
    than ``max_nodes`` nodes raise ``ValueError`` (they would be unreadable; use ``graph_text``).
    """
    fn = "plot_graph"
    nodes = trace_graph(tensor)
    if len(nodes) > max_nodes:
        raise ValueError(f"{fn}: the graph has {len(nodes)} nodes, more than max_nodes={max_nodes}; "
                         "use graph_text(tensor), or pass a larger max_nodes")
    depth = [0] * len(nodes)
    for n in nodes:  # topological order: inputs already have their depth
        depth[n["index"]] = 1 + max((depth[j] for j in n["inputs"]), default=-1)
    first_use: dict[int, int] = {}  # a leaf sits just left of its first consumer (a constant beside its op)
    for n in nodes:
        for j in n["inputs"]:
            if nodes[j]["kind"] != "op":
                first_use[j] = min(first_use.get(j, depth[n["index"]]), depth[n["index"]])
    for j, d in first_use.items():
        depth[j] = d - 1
    columns: dict[int, list[int]] = {}
    for n in nodes:
        columns.setdefault(depth[n["index"]], []).append(n["index"])
    tallest = max(len(c) for c in columns.values())
    pos = {}
    for d, members in columns.items():
        for r, i in enumerate(members):
            pos[i] = (d, (len(members) - 1) / 2 - r)  # each column centred on y = 0

    with style():
        fig = figure((max(4.0, 2.0 * len(columns) + 1), max(2.5, 1.1 * tallest + 1)))
        ax = fig.add_subplot(1, 1, 1)
        last = len(nodes) - 1
        boxes = {}
        for n in nodes:  # the boxes first: each arrow below runs from box edge to box edge
            x, y = pos[n["index"]]
            boxes[n["index"]] = ax.text(x, y, _node_text(n), ha="center", va="center", fontsize=8, zorder=3,
                                        bbox=_node_box(n, n["index"] == last))
        for n in nodes:
            for j in n["inputs"]:  # data flows from input j into node n: the arrowhead points at n
                ax.annotate("", xy=(0.0, 0.5), xycoords=boxes[n["index"]], xytext=(1.0, 0.5),
                            textcoords=boxes[j], zorder=2,
                            arrowprops=dict(arrowstyle="-|>", mutation_scale=12, color="0.3", lw=1,
                                            shrinkA=6, shrinkB=6))
        ax.set_xlim(-0.6, max(depth) + 0.6)
        ax.set_ylim(-(tallest - 1) / 2 - 0.7, (tallest - 1) / 2 + 0.7)
        ax.axis("off")
        ax.set_title(title or f"autodiff graph: {sum(n['kind'] == 'op' for n in nodes)} ops, "
                              f"{sum(n['kind'] != 'op' for n in nodes)} leaves (data flows left to right)")
        fig.tight_layout()
        if path is None:
            return fig
        # its alternative text: the graph as graph_text writes it, one node after another
        return save_figure(fig, path, fn, alt="The graph, leaves first: " + "; ".join(graph_text(tensor).splitlines())
                           + ".")


def _node_text(n) -> str:
    """A node's label: op (or leaf name), then its value when it holds one number, else its shape."""
    value = n.get("value")
    detail = f"= {value:.4g}" if value is not None else _shape_text(n["shape"])
    if n["kind"] == "op":
        head = n["label"] if n["name"].startswith("%") else f"{n['name']} = {n['label']}"
        return f"{head}\n{detail}"
    if n["kind"] == "const" and value is not None and n["name"] == f"{value:g}":
        return f"constant\n{n['name']}"  # a scalar constant is named by its value already
    return f"{n['name']}\n{detail}"


def _node_box(n, is_result: bool) -> dict:
    """Green leaves that require grad, grey constants, blue ops, the result red."""
    if n["kind"] == "op":
        return dict(boxstyle="round,pad=0.35", fc="#f4a6a6" if is_result else "#a9c8f0", ec="0.3", lw=0.8)
    if n["kind"] == "leaf":
        return dict(boxstyle="round4,pad=0.35", fc="#b5e3b0", ec="0.3", lw=0.8)
    return dict(boxstyle="square,pad=0.3", fc="#dddddd", ec="0.3", lw=0.8)


# ----------------------------------------------------------------------------- torchvision's save_image
def make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None, pad_value=0.0):
    """torchvision's ``make_grid``: images (B, C, H, W) (or (C, H, W), (H, W)) tiled ``nrow`` per row with
    ``padding`` pixels of ``pad_value`` between them, as a host float array (3, H', W') (one channel is
    repeated to three; a single image comes back unpadded, as in torchvision).

    ``normalize=True`` maps ``value_range`` (low, high), by default the tensor's own (min, max), to
    [0, 1] after clipping to it; otherwise values are kept as they are.
    """
    fn = "make_grid"
    a = host_array(tensor, fn, "tensor")
    if a.ndim == 2:
        a = a[None]
    if a.ndim == 3:
        a = a[None]
    if a.ndim != 4 or a.shape[1] not in (1, 3) or 0 in a.shape:
        raise ValueError(f"{fn}: got a tensor of shape {a.shape}, expected images (B, C, H, W) with C = 1 or 3")
    for name, value in (("nrow", nrow), ("padding", padding)):
        if isinstance(value, bool) or not isinstance(value, int) or value < (1 if name == "nrow" else 0):
            raise ValueError(f"{fn}: {name} must be an int >= {1 if name == 'nrow' else 0}, got {value!r}")
    if a.shape[1] == 1:
        a = np.repeat(a, 3, axis=1)
    if normalize:
        low, high = (float(a.min()), float(a.max())) if value_range is None else map(float, value_range)
        a = (np.clip(a, low, high) - low) / max(high - low, 1e-5)  # torchvision's guard against a flat image
    b, c, h, w = a.shape
    if b == 1:
        return a[0]
    cols = min(nrow, b)
    rows = math.ceil(b / cols)
    grid = np.full((c, rows * (h + padding) + padding, cols * (w + padding) + padding), float(pad_value))
    for k in range(b):  # one slice per image: B is a grid's worth (64), not a batch of pixels
        y, x = divmod(k, cols)
        top, left = y * (h + padding) + padding, x * (w + padding) + padding
        grid[:, top : top + h, left : left + w] = a[k]
    return grid


def save_image(tensor, path, nrow=8, padding=2, normalize=False, value_range=None, pad_value=0.0) -> str:
    """torchvision's ``save_image``: the ``make_grid`` of ``tensor`` written as an 8-bit PNG (pixel =
    ⌊255·v + 0.5⌋ clipped to [0, 255], as torchvision rounds), atomically; returns the path.

    A tanh generator's output in [−1, 1] needs ``normalize=True, value_range=(-1, 1)``.
    """
    from matplotlib.image import imsave

    grid = make_grid(tensor, nrow, padding, normalize, value_range, pad_value)
    pixels = np.clip(np.nan_to_num(grid) * 255 + 0.5, 0, 255).astype(np.uint8).transpose(1, 2, 0)
    if path is None or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"save_image: got path={path!r}, expected a file name such as 'samples.png'")
    with atomic_write(path) as f:  # a temporary file beside it, renamed over it once complete
        imsave(f, pixels, format="png")
    return str(path)


__all__ = ["STYLE", "style", "scatter_2d", "draw_modes", "mode_summary", "image_grid", "loss_curves", "plot_graph",
           "graph_text", "trace_graph", "make_grid", "save_image"]
