"""minigan.viz: every plot writes a real PNG atomically; the graph text is a topological order."""

import os
import re

import numpy as np
import pytest

import minigan
from minigan import viz

pytest.importorskip("matplotlib")

PNG = b"\x89PNG\r\n\x1a\n"


def _is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == PNG and os.path.getsize(path) > 500


def test_each_plot_writes_a_png_and_leaves_no_temp_files(tmp_path):
    rng = np.random.default_rng(0)
    paths = [
        viz.scatter_2d(rng.standard_normal((200, 2)), np.zeros((3, 2)), tmp_path / "s.png", std=0.1),
        viz.scatter_2d(minigan.tensor(rng.standard_normal((50, 2))), None, tmp_path / "s2.png"),
        viz.image_grid(rng.random((20, 1, 8, 8)), tmp_path / "g.png", nrow=5),
        viz.image_grid(minigan.tensor(rng.random((6, 8, 8))), tmp_path / "g2.png", row_labels=["a", "b"], nrow=3),
        viz.loss_curves({"loss_d": [1.0, 0.5, 0.7], "loss_g": [2.0, 1.0, 0.9]}, tmp_path / "l.png", smooth=0.5),
    ]
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    paths.append(viz.plot_graph((x * x).sum().log(), tmp_path / "graph.png"))
    for p in paths:
        assert _is_png(p)
    assert sorted(os.listdir(tmp_path)) == sorted(os.path.basename(str(p)) for p in paths)


def test_graph_text_is_a_topological_order():
    a = minigan.tensor([1.0, 2.0], requires_grad=True)
    b = minigan.tensor([3.0, 4.0], requires_grad=True)
    h = a * b
    out = (h + h.exp()).sum()
    lines = viz.graph_text(out).splitlines()
    assert any("Mul" in line for line in lines) and any("Exp" in line for line in lines)
    defined = set()
    for line in lines:
        node = int(line.split(":")[0])
        for ref in re.findall(r"%(\d+)", line.split("=", 1)[-1] if "leaf" in line else line.split(":", 1)[1]):
            assert int(ref) in defined or int(ref) == node  # every input is listed before its user
        defined.add(node)
    assert len(defined) == len(lines)


def test_bad_shapes_raise_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="scatter_2d"):
        viz.scatter_2d(np.zeros((10, 3)), None, tmp_path / "x.png")
    with pytest.raises(ValueError, match="image_grid"):
        viz.image_grid(np.zeros((2, 3, 8, 8, 1)), tmp_path / "x.png")


def test_graph_text_names_deep_graphs_and_freed_graphs():
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    x.name = "x"
    y = x
    for _ in range(1500):  # deeper than Python's recursion limit: the walk is iterative
        y = y * 1.0
    lines = viz.graph_text(y.sum()).splitlines()
    assert lines[0].startswith("0: x = leaf (2,)") and lines[-1] == "3001: Sum(%3000) -> shape ()"
    w = minigan.tensor([3.0, 4.0], requires_grad=True)
    w.name = "w"
    loss = (x * w).sum()
    assert "Mul(x, w) -> shape (2,)" in viz.graph_text(loss)
    loss.backward()
    with pytest.raises(RuntimeError, match="freed"):
        viz.graph_text(loss)


def test_plot_graph_without_path_returns_a_figure_and_bad_inputs_raise(tmp_path):
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    fig = viz.plot_graph((x * 2.0).sum())
    assert hasattr(fig, "savefig")
    with pytest.raises(TypeError, match="trace_graph"):
        viz.graph_text(np.zeros(3))
    with pytest.raises(ValueError, match="loss_curves"):
        viz.loss_curves({"d": ([0, 1, 2], [1.0, 2.0])}, tmp_path / "l.png")
    with pytest.raises(ValueError, match="loss_curves"):
        viz.loss_curves({"d": [1.0]}, tmp_path / "l.png", smooth=1.0)
    with pytest.raises(ValueError, match="image_grid"):
        viz.image_grid(np.zeros((4, 63)), tmp_path / "x.png")
    with pytest.raises(ValueError, match="image_grid"):
        viz.image_grid(np.zeros((4, 8, 8)), tmp_path / "x.png", nrow=2, row_labels=["a"])
    assert os.listdir(tmp_path) == []  # a refused plot writes nothing


def test_scatter_accepts_a_mixture_and_non_finite_samples(tmp_path):
    from minigan.data.toy2d import parse_dataset

    mix = parse_dataset("ring")
    samples = np.vstack([mix.sample(100), [[np.nan, 0.0], [np.inf, 1.0]]])
    p = viz.scatter_2d(samples, mix, tmp_path / "ring.png", title="ring")
    assert _is_png(p)
    p = viz.image_grid(np.full((4, 1, 8, 8), np.nan), tmp_path / "nan.png")  # drawn red, not an error
    assert _is_png(p)


def test_loss_curves_draws_each_panel_on_its_own_axes(tmp_path):
    import matplotlib.pyplot as plt

    history = {"loss_c": [1.0, 0.5, 0.2], "loss_g": [2.0, 1.0, 0.5], "wasserstein": [3e-4, 2e-4, 1e-4]}
    seen = []
    original = plt.Figure.add_subplot

    def spy(self, *args, **kwargs):
        seen.append(args)
        return original(self, *args, **kwargs)

    plt.Figure.add_subplot = spy
    try:
        path = viz.loss_curves(history, tmp_path / "l.png", panels=[["loss_c", "loss_g"], ["wasserstein"]])
    finally:
        plt.Figure.add_subplot = original
    assert seen == [(2, 1, 1), (2, 1, 2)] and (tmp_path / "l.png").stat().st_size > 0 and str(path).endswith("l.png")
    with pytest.raises(ValueError, match="loss_curves: panels must be non-empty lists of names"):
        viz.loss_curves(history, tmp_path / "m.png", panels=[["nope"]])
