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
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from minigan.backend import asnumpy, host_array, np
from minigan.serialization import atomic_write

_INSTALL = "pip install 'minigan[demos]'"


# ----------------------------------------------------------------------------- helpers
def _figure(figsize):
    """A matplotlib Figure bound to an Agg canvas (never a pyplot window)."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as e:
        raise ImportError(f"minigan.viz needs matplotlib to draw pictures: {_INSTALL}") from e
    fig = Figure(figsize=figsize, dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _save(fig, path, fn: str) -> str:
    """Write ``fig`` as a PNG to ``path`` atomically; return ``path`` as a string."""
    if path is None or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{fn}: got path={path!r}, expected a file name such as 'samples.png'")
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as f:  # a temporary file beside it, renamed over it once complete
        fig.savefig(f, format="png")
    return str(path)


# ----------------------------------------------------------------------------- 2-D samples
def scatter_2d(samples, modes=None, path=None, title=None, std=None, threshold: float = 3.0,
               max_points: int = 20000) -> str:
    """Generated 2-D ``samples`` (N, 2) over the true mode centres ``modes`` (K, 2); returns the path.

    ``modes`` may also be a ``minigan.data.toy2d.Mixture2D`` (its ``std`` is then the default).
    With ``std``, a circle of radius ``threshold * std`` (3σ) is drawn around every centre: the
    region where the mode metrics count a sample as high quality. Non-finite samples are left out
    (and counted in the title); at most ``max_points`` samples are drawn. Equal aspect, so a ring
    looks like a ring. ``scatter_2d(samples, "out.png")`` (no modes) also works.
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
    finite = np.isfinite(x).all(axis=1)
    dropped = int((~finite).sum())
    x = x[finite][:max_points]

    fig = _figure((5.5, 5.5))
    ax = fig.add_subplot(1, 1, 1)
    ax.scatter(x[:, 0], x[:, 1], s=4, alpha=0.35, color="tab:blue", linewidths=0, label=f"generated ({len(x)})")
    if m is not None:
        ax.scatter(m[:, 0], m[:, 1], s=60, marker="x", color="tab:red", linewidths=2, label=f"true modes ({len(m)})")
        if std is not None:
            from matplotlib.patches import Circle

            for cx, cy in m:
                ax.add_patch(Circle((cx, cy), threshold * std, fill=False, color="tab:red", alpha=0.5, lw=1))
    ax.set_aspect("equal", adjustable="datalim")
    ax.grid(alpha=0.2)
    ax.legend(loc="upper right", fontsize=8)
    full = title or ""
    if dropped:
        full = f"{full} ({dropped} non-finite samples not drawn)".strip()
    if full:
        ax.set_title(full)
    fig.tight_layout()
    return _save(fig, path, fn)


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


def image_grid(images, path, nrow=None, title=None, value_range=None, row_labels=None, pad: int = 1) -> str:
    """A grid of grayscale ``images`` with ``nrow`` images per row (torchvision's meaning); returns the path.

    ``value_range`` maps (low, high) to (black, white); by default it is (-1, 1) when any pixel is
    negative (a tanh generator) and (0, 1) otherwise. Pixels outside the range are clipped, NaN is
    drawn red so a diverged generator is visible. ``row_labels`` names each row (e.g. the class a
    conditional GAN was asked for: ``nrow=10, row_labels=range(10)`` with 10 samples per class).
    """
    fn = "image_grid"
    a = _grid_images(images, fn)
    n, h, w = a.shape
    if nrow is None:
        nrow = math.ceil(math.sqrt(n))
    if isinstance(nrow, bool) or not isinstance(nrow, (int, np.integer)) or nrow < 1:
        raise ValueError(f"{fn}: got nrow={nrow!r}, expected a positive integer (images per row)")
    nrow = min(int(nrow), n)
    rows = math.ceil(n / nrow)
    finite = np.isfinite(a)
    if value_range is None:
        value_range = (-1.0, 1.0) if (finite.any() and a[finite].min() < 0) else (0.0, 1.0)
    try:
        lo, hi = (float(v) for v in value_range)
    except (TypeError, ValueError):
        raise ValueError(f"{fn}: got value_range={value_range!r}, expected (low, high)") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
        raise ValueError(f"{fn}: got value_range={value_range!r}, expected finite low < high")
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

    scale = max(0.12, min(0.6, 8.0 / max(h, w) * 0.12))  # inches per pixel: 8x8 digits get ~1 inch
    fig = _figure((max(2.5, mosaic.shape[1] * scale + 0.8), max(2.0, mosaic.shape[0] * scale + 0.6)))
    ax = fig.add_subplot(1, 1, 1)
    ax.imshow(mosaic, interpolation="nearest")
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
    return _save(fig, path, fn)


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
                panels=None) -> str:
    """One line per series of ``history``; returns the path.

    ``history`` maps a name to a list of values (x = 0, 1, 2, ...) or to a pair ``(steps, values)``.
    ``smooth`` in [0, 1) is the weight of an exponential moving average (0: the raw values; 0.9: a
    calm line for noisy GAN losses, drawn over the faint raw values). NaN/inf values leave gaps.
    ``panels`` (a list of lists of names) draws each group on its own axes, one above the other, so
    quantities of different sizes (a loss, a Wasserstein estimate of 1e-3) each stay readable.
    """
    fn = "loss_curves"
    if not isinstance(history, dict) or not history:
        raise ValueError(f"{fn}: got history of type {type(history).__name__}, expected a non-empty dict "
                         "{name: values or (steps, values)}")
    try:
        smooth = float(smooth)
    except (TypeError, ValueError):
        raise ValueError(f"{fn}: got smooth={smooth!r}, expected a number in [0, 1)") from None
    if not (0.0 <= smooth < 1.0):
        raise ValueError(f"{fn}: got smooth={smooth!r}, expected a number in [0, 1)")
    data = {str(k): _series(k, v, fn) for k, v in history.items()}
    groups = [list(data)] if panels is None else [[str(n) for n in group] for group in panels]
    unknown = [n for group in groups for n in group if n not in data]
    if unknown or not all(groups):
        raise ValueError(f"{fn}: panels must be non-empty lists of names of the history ({sorted(data)}), "
                         f"got {panels!r}")

    fig = _figure((7, 4 if len(groups) == 1 else 1.2 + 2.4 * len(groups)))
    for row, group in enumerate(groups):
        ax = fig.add_subplot(len(groups), 1, row + 1)
        for name in group:
            steps, values = data[name]
            color = f"C{list(data).index(name) % 10}"
            shown = np.where(np.isfinite(values), values, np.nan)
            if smooth > 0:
                ax.plot(steps, shown, color=color, alpha=0.25, lw=0.8)
                ax.plot(steps, _ema(values, smooth), color=color, lw=1.6, label=name)
            else:
                ax.plot(steps, shown, color=color, lw=1.2, label=name)
        if logy:
            ax.set_yscale("log")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        if title and row == 0:
            ax.set_title(title)
    ax.set_xlabel(xlabel)
    fig.tight_layout()
    return _save(fig, path, fn)


# ----------------------------------------------------------------------------- the autodiff graph
def trace_graph(tensor) -> list[dict]:
    """The graph that produced ``tensor``, in topological order (every node after its inputs).

    Each node is a dict: ``index``, ``kind`` ("op", "leaf" or "const"), ``label`` (the op's class
    name, or the tensor's ``.name``), ``name`` (how other lines refer to it), ``inputs`` (indices of
    the input nodes, in argument order), ``shape``, ``dtype`` and ``requires_grad``. The walk is
    iterative, so a graph thousands of ops deep works. The graph must still be alive: after a
    ``backward()`` without ``retain_graph=True`` its nodes have dropped their inputs.
    """
    from minigan.errors import GraphError
    from minigan.tensor import Tensor

    if not isinstance(tensor, Tensor):
        raise TypeError(f"trace_graph: got {type(tensor).__name__}, expected a minigan Tensor")

    nodes: list[dict] = []
    index: dict[int, int] = {}  # id(Function or leaf Tensor) -> position in `nodes`
    keep = []  # hold the keys alive so that ids stay unique during the walk
    out_tensor: dict[int, object] = {id(tensor._ctx): tensor} if tensor._ctx is not None else {}

    def key(t):
        return t._ctx if t._ctx is not None else t

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
                      "shape": tuple(t.shape), "dtype": str(t.dtype), "requires_grad": bool(t.requires_grad)})
        index[id(t)] = i
        keep.append(t)

    # iterative post-order DFS: a node is emitted once all its inputs have been emitted
    stack = [(key(tensor), False)]
    while stack:
        node, expanded = stack.pop()
        if id(node) in index:
            continue
        if isinstance(node, Tensor):  # a leaf
            add_leaf(node)
            continue
        if node.inputs is None:
            raise GraphError(
                f"trace_graph: the graph through {type(node).__name__} was freed by backward(); draw it "
                "before calling backward, or call backward(retain_graph=True)"
            )
        if not expanded:
            stack.append((node, True))
            for t in reversed(node.inputs):
                if t._ctx is not None:
                    out_tensor.setdefault(id(t._ctx), t)
                if id(key(t)) not in index:
                    stack.append((key(t), False))
            continue
        i = len(nodes)
        out = out_tensor.get(id(node))
        name = str(out.name) if (out is not None and out.name) else f"%{i}"
        nodes.append({"index": i, "kind": "op", "label": type(node).__name__, "name": name,
                      "inputs": [index[id(key(t))] for t in node.inputs],
                      "shape": tuple(out.shape) if out is not None else None,
                      "dtype": str(out.dtype) if out is not None else None, "requires_grad": True})
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

    fig = _figure((max(4.0, 2.0 * len(columns) + 1), max(2.5, 1.1 * tallest + 1)))
    ax = fig.add_subplot(1, 1, 1)
    for n in nodes:  # edges first, under the boxes
        x1, y1 = pos[n["index"]]
        for j in n["inputs"]:
            x0, y0 = pos[j]
            ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                        arrowprops=dict(arrowstyle="-|>", color="0.4", lw=1, shrinkA=18, shrinkB=18))
    last = len(nodes) - 1
    for n in nodes:
        x, y = pos[n["index"]]
        if n["kind"] == "op":
            text = f"{n['label']}\n{n['shape']}"
            if not n["name"].startswith("%"):
                text = f"{n['name']} = {text}"
            color = "#f4a6a6" if n["index"] == last else "#a9c8f0"
            style = "round,pad=0.35"
        else:
            text = f"{n['name']}\n{n['shape']}"
            color = "#b5e3b0" if n["kind"] == "leaf" else "#dddddd"
            style = "round4,pad=0.35" if n["kind"] == "leaf" else "square,pad=0.3"
        ax.text(x, y, text, ha="center", va="center", fontsize=8, zorder=3,
                bbox=dict(boxstyle=style, fc=color, ec="0.3", lw=0.8))
    ax.set_xlim(-0.6, max(depth) + 0.6)
    ax.set_ylim(-(tallest - 1) / 2 - 0.7, (tallest - 1) / 2 + 0.7)
    ax.axis("off")
    ax.set_title(title or f"autodiff graph: {sum(n['kind'] == 'op' for n in nodes)} ops, "
                          f"{sum(n['kind'] != 'op' for n in nodes)} leaves")
    fig.tight_layout()
    if path is None:
        return fig
    return _save(fig, path, fn)


__all__ = ["scatter_2d", "image_grid", "loss_curves", "plot_graph", "graph_text", "trace_graph"]
