"""The training loop (``minigan.gans.training``): its cadence, its stop, its checkpoint that resumes exactly."""

from __future__ import annotations

import math

import pytest

from minigan.engine import backend
from minigan.engine.backend import np
from minigan.gans.recipes import build_experiment
from minigan.gans.training import CheckpointError, Diverged, TrainingLoop, check_checkpoint
from minigan.surface import random


def metrics(evals):
    return [{k: v for k, v in e.items() if k != "eval_seconds"} for e in evals]  # the clock differs


def tiny(seed=0, **overrides):
    return build_experiment("gan", "ring:3", seed=seed, batch_size=16, **overrides)


def test_run_evaluates_and_checkpoints_at_its_cadence_and_at_the_last_step():
    seen = {"step": [], "eval": [], "checkpoint": []}
    loop = TrainingLoop(tiny(), steps=7, eval_every=3, checkpoint_every=2)
    assert loop.run(on_step=lambda step, losses: seen["step"].append(step),
                    on_eval=lambda record: seen["eval"].append(record["step"]),
                    on_checkpoint=seen["checkpoint"].append) == 7
    assert seen == {"step": list(range(1, 8)), "eval": [3, 6, 7], "checkpoint": [2, 4, 6, 7]}
    assert loop.history["step"] == list(range(1, 8)) and [e["step"] for e in loop.evals] == [3, 6, 7]
    assert all(math.isfinite(v) for v in loop.history["loss_d"])


def test_stepping_one_at_a_time_is_running():
    a = TrainingLoop(tiny(), steps=5, eval_every=2)  # each build seeds the one random stream: one run at a time
    a.run()
    b = TrainingLoop(tiny(), steps=5, eval_every=2)
    for _ in range(5):
        b.advance()
    assert a.history == b.history and metrics(a.evals) == metrics(b.evals)


def test_stop_ends_the_run_after_that_step_with_a_checkpoint_at_it():
    checkpoints = []
    loop = TrainingLoop(tiny(), steps=10, eval_every=5)
    assert loop.run(on_checkpoint=checkpoints.append, stop=lambda: len(loop.history["step"]) >= 2) == 3
    assert loop.stopping and checkpoints == [3]  # asked after step 3's update (history then held 2 steps)


def test_a_resumed_run_continues_the_uninterrupted_one_exactly():
    whole = TrainingLoop(tiny(), steps=6, eval_every=3)
    whole.run()
    first = TrainingLoop(tiny(), steps=6, eval_every=3)
    first.run(stop=lambda: first.step >= 4)
    state = first.checkpoint()
    check_checkpoint(state, "the state")
    random.manual_seed(123)  # another stream in between: the checkpoint restores the run's own
    resumed = TrainingLoop.resume(tiny(), state, steps=6)
    resumed.run()
    assert resumed.history == whole.history and metrics(resumed.evals) == metrics(whole.evals)
    for p, q in zip(resumed.exp.trainer.G.parameters(), whole.exp.trainer.G.parameters()):
        assert np.array_equal(backend.asnumpy(p.array), backend.asnumpy(q.array))


def test_resume_refuses_other_settings_and_fewer_steps():
    loop = TrainingLoop(tiny(), steps=4)
    loop.run()
    state = loop.checkpoint()
    with pytest.raises(CheckpointError, match=r"was written with k=1, this run has k=2"):
        TrainingLoop.resume(tiny(k=2), state, steps=4, where="'c'")
    with pytest.raises(CheckpointError, match="is at step 4, beyond the run's 3 steps"):
        TrainingLoop.resume(tiny(), state, steps=3, where="'c'")


def test_a_nan_loss_stops_the_loop_naming_the_step():
    loop = TrainingLoop(tiny(lr=1e30), steps=50, eval_every=50)
    with pytest.raises(Diverged, match=r"training diverged at step \d+ \(") as caught:
        loop.run()
    assert caught.value.step == loop.step and len(loop.history["step"]) == loop.step - 1


def test_a_run_stopped_during_an_evaluation_takes_it_when_resumed():
    """A stop request during step 2's evaluation (``minigan.progress.Stopped``, from the reference classifier's
    first training, say) leaves the run at step 2 without its evaluation; the resumed run takes it first."""
    from minigan.gans.training import TrainingLoop
    from minigan.progress import Stopped

    exp = build_experiment("gan", "ring:4", seed=0, batch_size=16)
    loop = TrainingLoop(exp, steps=4, eval_every=2)
    real = exp.evaluate
    exp.evaluate = lambda: (_ for _ in ()).throw(Stopped(2))
    with pytest.raises(Stopped):
        loop.run()
    assert loop.step == 2 and loop.evals == []
    exp.evaluate = real
    resumed = TrainingLoop.resume(exp, loop.checkpoint(), 4)
    resumed.run()
    assert [e["step"] for e in resumed.evals] == [2, 4]
