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
