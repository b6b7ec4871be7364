"""The lab's mode metrics from the first steps: until the first full evaluation a frame carries the mode metrics
of the points it shows, marked as an estimate; from then on the full evaluation, the same numbers train prints."""

import base64

from minigan.cli.lab.run import SHOWN, LabRun
from minigan.cli.lab.settings import check_run_settings
from minigan.engine.backend import np
from minigan.metrics.mixture import mixture_metrics


def test_a_frame_estimates_the_mode_metrics_until_the_full_evaluation():
    run = LabRun(check_run_settings({"algorithm": "gan", "data": "ring", "batch_size": 32, "seed": 5, "steps": 40,
                                     "eval_every": 20}))
    run.step()
    frame = run.frame()
    estimate = frame["eval"]
    assert estimate is not None and estimate["estimate"] is True and estimate["step"] == 1
    assert estimate["num_samples"] == SHOWN and estimate["num_modes"] == 8
    fakes = np.frombuffer(base64.b64decode(frame["fake"]), dtype=np.float32).reshape(-1, 2)
    exact = mixture_metrics(fakes, run.exp.mixture)  # the same definition, on the points the frame shows
    assert estimate["modes_covered"] == exact["modes_covered"] and estimate["high_quality"] == exact["high_quality"]
    for _ in range(19):
        run.step()
    full = run.frame()["eval"]
    assert "estimate" not in full and full["step"] == 20 and full["num_samples"] == 2500
    assert full == run.loop.evals[-1]


def test_drawn_points_have_no_estimate():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(50, 2)).tolist()
    run = LabRun(check_run_settings({"algorithm": "gan", "data": "points", "batch_size": 16, "steps": 5}),
                 points=points)
    run.step()
    assert run.frame()["eval"] is None
