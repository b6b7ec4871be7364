"""Every figure carries alternative text generated from the numbers it plots: what is on each axis and over what
range, where each line starts, ends, is lowest and highest, how many points a scatter has and where, and the
measured values the verdict rests on. It is written into the PNG (its Description) and beside it (NAME.alt.txt),
shown as the alt of a notebook's picture, and used as the alt of every figure in demos/README.md."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from minigan import lessons, viz  # noqa: E402
from minigan.engine.backend import np  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def test_describe_figure_says_the_numbers_it_plots():
    fig = viz.figure((4, 3))
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([0, 10, 20, 30], [2.0, 0.5, 0.75, 1.25], label="loss_d")
    ax.scatter([1.0, 3.0, -1.0], [2.0, 4.0, 0.0], label="fakes")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (nats)")
    ax.set_title("a run")
    text = viz.describe_figure(fig, "verdict: holds, 7 of 8 modes")
    assert text.startswith("verdict: holds, 7 of 8 modes a run.")
    assert "x axis: step" in text and "y axis: loss (nats)" in text
    assert ("loss_d: 4 points from x = 0 to 30, starting at 2 and ending at 1.25, lowest 0.5 (x = 10), "
            "highest 2 (x = 0)") in text
    assert "fakes: 3 points with x from -1 to 3 and y from 0 to 4, centred at (1, 2)" in text


def test_save_figure_writes_the_text_into_the_png_and_beside_it(tmp_path):
    PIL = pytest.importorskip("PIL.Image")
    rng = np.random.default_rng(0)
    modes = np.array([[0.0, 0.0], [4.0, 0.0]])
    samples = (modes[rng.integers(0, 2, 400)] + rng.normal(0, 0.1, (400, 2))).astype(np.float32)
    path = viz.scatter_2d(samples, modes, tmp_path / "samples.png", std=0.1, title="two modes")
    side = tmp_path / "samples.alt.txt"
    assert side.is_file() and viz.read_alt(path) == side.read_text().strip()
    with PIL.open(path) as im:
        assert im.info["Description"] == viz.read_alt(path)
    text = viz.read_alt(path)
    assert "2/2 modes covered" in text and "generated G(z) (400): 400 points" in text  # the verdict's numbers


def test_a_lessons_figure_has_its_alt_text_first_the_verdict(tmp_path):
    plt = lessons.plt()
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [3.0, 2.0, 1.0], label="distance")
    path = lessons.save(fig, tmp_path, "walk.png", alt="the distance falls from 3 to 1")
    text = viz.read_alt(path)
    assert text.startswith("the distance falls from 3 to 1") and "distance: 3 points" in text


def test_train_writes_each_pictures_alt_text(tmp_path):
    from minigan.__main__ import main

    out = tmp_path / "run"
    assert main(["train", "gan", "--data", "ring:4", "--steps", "4", "--eval-every", "2", "--batch-size", "16",
                 "--no-progress", "--out", str(out)]) == 0
    samples, losses = (out / "samples.alt.txt").read_text(), (out / "losses.alt.txt").read_text()
    assert re.search(r"\d/4 modes covered", samples) and "loss_d (smoothed): 4 points" in losses


def _refresh_figures():
    spec = importlib.util.spec_from_file_location("refresh_figures", ROOT / "demos" / "refresh_figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_index_uses_each_figures_generated_alt_text():
    refresh = _refresh_figures()
    text = (ROOT / "demos" / "README.md").read_text()
    images = refresh.IMAGE.findall(text)
    assert len(images) >= 21
    for alt, _, name in images:
        assert alt == refresh.index_alt(name), f"figures/{name}.png: run python demos/refresh_figures.py --alt-only"
        assert len(alt.split()) >= 12 and re.search(r"\d", alt), alt
