"""Watch ``backward()`` work, one node at a time.

``steps(L)`` runs the engine's own backward walk (``minigan/engine/walk.py``, ``backprop``) over ``L``'s graph and
watches it: the walk calls back at each node it goes through, in its order (every consumer of a value before the
node that produced it), and this module records for each node what a student would write on the board:

* the op and its forward value,
* the gradient arriving (∂L/∂output, summed over every consumer),
* the local derivative, as the op's ``backward`` states it in its one-line comment,
* the share it sends to each input (gradient arriving times local derivative),
* what the leaves' ``.grad`` hold so far (a leaf used twice accumulates).

``frames(L, folder)`` draws one PNG per step, and ``gif(...)`` strings them into an animation::

    from minigan import stepthrough
    for s in stepthrough.steps(L):
        print(s.text())
    stepthrough.gif(stepthrough.frames(L, "out/"), "out/backward.gif")

The walk runs at first order (each op's own ``backward`` on plain arrays, as ``backward()`` runs it), keeps the
graph and fills no ``.grad``, so ``L.backward()`` can run afterwards and must give the same ``.grad``: the lessons
check it.  Everything this module needs from inside the engine is in ``graph_of``, ``is_leaf_edge`` and ``steps``.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from pathlib import Path

from minigan.engine.backend import asnumpy, get_array_module, np
from minigan.engine.graph import Node as GraphNode
from minigan.engine.walk import backprop, topological_order


@dataclass
class Node:
    """One op of the graph, as this view needs it."""

    key: object  # the graph node itself (Tensor.grad_fn of its output)
    op: str  # the op's name, e.g. "Mul"
    inputs: tuple  # the input tensors, in argument order (to name them)
    edges: tuple  # per input, where its gradient goes: the node that produced it, a leaf, or None (a constant)
    backward: object  # grad of the output -> one gradient (or None) per input


def graph_of(output) -> list[Node]:
    """The ops that produced ``output``, consumers first (the order backward() visits them).

    The one adapter between this view and the engine: the public surface (``Tensor.grad_fn``, the
    node's inputs, its ``edges``, its ``backward``) and the engine's own topological order.
    """
    return [Node(fn, type(fn).__name__, tuple(fn.inputs), tuple(fn.edges), fn.backward)
            for fn in topological_order([output.grad_fn])]


def is_leaf_edge(edge) -> bool:
    """Does this edge end at a leaf tensor (whose ``.grad`` accumulates), rather than at another node?"""
    return edge is not None and not isinstance(edge, GraphNode)


def derivative_of(node: Node) -> str:
    """The op's local derivative as its backward states it: the comment on ``def backward`` (or the op's name)."""
    try:
        first = inspect.getsourcelines(node.backward)[0][0]
    except (OSError, TypeError):
        return node.op
    return first.split("#", 1)[1].strip() if "#" in first else node.op


@dataclass
class Step:
    """What happened at one node of the backward pass."""

    index: int  # 1, 2, ... in visiting order
    node: Node
    label: str  # how the picture and the text name the node's output
    value: np.ndarray  # its forward value
    grad_in: np.ndarray  # ∂L/∂(its output), everything its consumers handed in
    derivative: str  # the local derivative's formula
    sends: list = field(default_factory=list)  # (input label, gradient share) per input that needs one
    grads: dict = field(default_factory=dict)  # leaf label -> .grad so far, after this step
    root: str = "L"  # the name of the output backward started from

    def text(self) -> str:
        lines = [f"step {self.index}: {self.label} = {self.node.op}(...)  value {fmt(self.value)}",
                 f"  gradient arriving  ∂{self.root}/∂{self.label} = {fmt(self.grad_in)}",
                 f"  local derivative   {self.derivative}"]
        lines += [f"  sends to {name:<6}     {fmt(share)}" for name, share in self.sends]
        held = ", ".join(f"{k} = {fmt(v)}" for k, v in self.grads.items())
        lines += ["  .grad so far       " + (held or "(no leaf reached yet)")]
        return "\n".join(lines)


def fmt(a) -> str:
    """A short, readable value: a number, or a small array on one line."""
    a = np.asarray(asnumpy(a) if a is not None else np.nan)
    if a.size == 1:
        return f"{float(a.reshape(())):+.4g}"
    return np.array2string(a, precision=3, separator=", ", threshold=6, max_line_width=60)


class Names:
    """Stable names for tensors: their ``.name`` when set, else x1, x2, ... (leaves) and v1, v2, ... (values)."""

    def __init__(self):
        self.names, self.count, self.keep = {}, {"x": 0, "v": 0}, []

    def __call__(self, t) -> str:
        if id(t) not in self.names:
            if getattr(t, "name", None):
                self.names[id(t)] = str(t.name)
            else:
                kind = "x" if t.grad_fn is None else "v"
                self.count[kind] += 1
                self.names[id(t)] = f"{kind}{self.count[kind]}"
            self.keep.append(t)  # keep ids unique while we name
        return self.names[id(t)]


def steps(output, gradient=None) -> list[Step]:
    """Replay ``output.backward(gradient)`` one node at a time; returns one Step per node visited."""
    if output.grad_fn is None:
        raise ValueError("stepthrough.steps: this tensor has no graph (a leaf, or computed under no_grad)")
    name = Names()
    # The walk runs where the graph lives (the ops' backward takes the arrays they saved, a GPU's too); each
    # Step records host copies for the text and the pictures.
    xp = get_array_module(output.array)
    seed = xp.ones_like(output.array) if gradient is None else xp.asarray(getattr(gradient, "array", gradient))
    nodes = {n.key: (i, n) for i, n in enumerate(graph_of(output), 1)}  # the walk's order, numbered from 1
    produced = {output.grad_fn: output}  # graph node -> its output tensor
    grads = {}  # leaf name -> .grad so far
    result = []

    def watch(key, g, shares):  # the walk calls this at each node, after the op's backward
        (i, node), out = nodes[key], produced[key]
        step = Step(i, node, name(out), asnumpy(out.array), asnumpy(g), derivative_of(node), root=name(output))
        for t, edge, share in zip(node.inputs, node.edges, shares):
            if share is None or edge is None:  # no gradient, or a constant
                continue
            on_host = asnumpy(share)
            step.sends.append((name(t), on_host))
            if is_leaf_edge(edge):  # a leaf: accumulate into its .grad
                grads[name(t)] = grads[name(t)] + on_host if name(t) in grads else on_host
            else:  # an intermediate value: the node that produced it is watched later
                produced.setdefault(edge, t)
        step.grads = dict(grads)
        result.append(step)

    retained = [(key, key.retained) for key in nodes]  # retain_grad() keeps nothing while we watch
    for key, _ in retained:
        key.retained = None
    try:
        backprop({output.grad_fn: seed}, list(nodes), retain_graph=True, watch=watch)
    finally:
        for key, kept in retained:
            key.retained = kept
    return result


def count_nodes(output) -> int:
    """How many ops the graph of ``output`` holds (what a second backward through it would visit)."""
    return 0 if output.grad_fn is None else len(graph_of(output))


# ----------------------------------------------------------------------------- pictures
def layout(all_steps: list[Step]) -> dict:
    """x, y of every named value: leaves at the left, the output at the right, one column per depth."""
    edges = [(src, s.label) for s in all_steps for src, _ in s.sends]
    labels = {s.label for s in all_steps} | {src for src, _ in edges}
    depth = {lab: 0 for lab in labels}
    for s in reversed(all_steps):  # producers first: each value one column right of its deepest input
        ins = [src for src, _ in s.sends]
        if ins:
            depth[s.label] = 1 + max(depth[src] for src in ins)
    columns: dict = {}
    for lab in sorted(labels, key=lambda lab: (depth[lab], lab)):
        columns.setdefault(depth[lab], []).append(lab)
    return {lab: (d, (len(col) - 1) / 2 - j) for d, col in columns.items() for j, lab in enumerate(col)}


def draw(all_steps: list[Step], k: int, title: str = ""):
    """The figure of step ``k`` (0-based): the graph, the node being processed in red, the edges its gradient
    travels along this step in red; beside it, the step's numbers. Returns the matplotlib figure."""
    from minigan.lessons import plt as pyplot

    plt = pyplot()
    pos = layout(all_steps)
    step = all_steps[k]
    done = {s.label for s in all_steps[:k]}
    width = max(x for x, _ in pos.values()) + 1
    height = max(2, max(abs(y) for _, y in pos.values()) * 2 + 1)
    fig, (ax, side) = plt.subplots(1, 2, figsize=(1.7 * width + 5.5, max(3.4, 0.75 * height + 1.2)),
                                   gridspec_kw={"width_ratios": [1.7 * width, 5.0]})
    for s in all_steps:
        for src, _ in s.sends:
            (x0, y0), (x1, y1) = pos[src], pos[s.label]
            hot = s is step
            ax.annotate("", xy=(x0 + 0.3, y0), xytext=(x1 - 0.3, y1),  # gradients flow right to left
                        arrowprops=dict(arrowstyle="->", color="#d62728" if hot else "0.7", lw=2.2 if hot else 1))
    leaves = {src for s in all_steps for src, _ in s.sends} - {s.label for s in all_steps}
    ops = {s.label: f"{s.node.op} {fmt(s.value)}" for s in all_steps}
    for lab, (x, y) in pos.items():
        if lab == step.label:
            face = "#ff9896"
        elif lab in leaves:
            face = "#c7e9c0" if lab in step.grads else "#e5f5e0"
        else:
            face = "#d9d9d9" if lab in done else "#fff2cc"
        text = f"{lab}\n{ops[lab]}" if lab in ops else f"{lab}\n.grad {fmt(step.grads[lab])}" if lab in step.grads \
            else lab
        ax.text(x, y, text, ha="center", va="center", fontsize=8.5,
                bbox=dict(boxstyle="round,pad=0.35", fc=face, ec="#d62728" if lab == step.label else "0.4"))
    ax.set_xlim(-0.6, width - 0.4)
    ys = [y for _, y in pos.values()]
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.axis("off")
    ax.set_title(title or "backward(): gradients flow right to left", fontsize=10)
    side.axis("off")
    side.text(0.0, 1.0, f"step {k + 1} of {len(all_steps)}\n\n" + step.text().split("\n", 1)[1]
              .replace("  ", " "), va="top", ha="left", family="monospace", fontsize=8.5, transform=side.transAxes)
    side.set_title(f"{step.label} = {step.node.op}, forward value {fmt(step.value)}", fontsize=10, loc="left")
    return fig


def frames(output, folder, title: str = "", gradient=None) -> list[Path]:
    """One PNG per step of ``output``'s backward pass, ``folder/step_01.png``, ...; returns their paths."""
    from minigan.lessons import plt

    all_steps = steps(output, gradient)
    Path(folder).mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(len(all_steps)):  # saved, not shown: a notebook shows the GIF, not every frame
        fig = draw(all_steps, k, title)
        paths.append(Path(folder) / f"step_{k + 1:02d}.png")
        fig.savefig(paths[-1], dpi=90)
        plt().close(fig)
    return paths


def gif(paths, path, seconds_per_frame: float = 1.6) -> Path:
    """String PNG frames into an animated GIF (Pillow, which matplotlib installs)."""
    from PIL import Image

    images = [Image.open(p).convert("RGB") for p in paths]
    size = (max(im.width for im in images), max(im.height for im in images))
    canvas = [Image.new("RGB", size, "white") for _ in images]
    for c, im in zip(canvas, images):
        c.paste(im, (0, 0))
    path = Path(path)
    canvas[0].save(path, save_all=True, append_images=canvas[1:], duration=int(1000 * seconds_per_frame), loop=0)
    return path
