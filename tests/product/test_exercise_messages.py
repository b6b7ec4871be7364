"""Messages that say why, and "predict, then measure" that asks about what it runs, each written as a failing test
before its fix: a ``mul_backward`` that hands back one product where a tuple of gradients is due failed on a shape
(``d/da: expected shape (3, 1), got shape (1,)``) with no word of the rule; a relu backward written ``grad * (out >
0)`` failed "no second derivative (it should not be 0 here)", where relu's second derivative IS 0 and the rule broken
is another (the gradient must be recorded, built from the graph's ops); ``exercises measure elbo`` asked about
training through ``sample()`` while its command trains through ``rsample()``, and a measure command that writes a run
folder refused to run twice (it asked for ``--force``, which ``measure`` does not have)."""

from __future__ import annotations

import shlex

import pytest

from minigan.cli.main import build_parser
from minigan.exercises import grader, measure, workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES
from product.class_submissions import set_body


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = workspace.start(tmp_path_factory.mktemp("ws") / "ada", solutions=True)
    set_body(root, "mul_backward", "a, b = self.saved_tensors\n(x, y) = self.inputs\n"
                                   "return unbroadcast(grad * b, value(x).shape)")  # one gradient, not a tuple
    set_body(root, "relu_backward", "(out,) = self.saved_tensors\nreturn (grad * (out > 0),)")
    results, _ = grader.grade(root, ["mul_backward", "relu_backward"], record=False)
    return {name: (passed, message) for name, passed, message, _ in results}


def test_a_backward_that_returns_one_gradient_where_a_tuple_is_due_is_told_the_rule(graded):
    passed, message = graded["mul_backward"]
    assert not passed
    assert "a tuple of gradients" in message and "one per input" in message, message
    assert "expected shape" not in message, message


def test_a_backward_whose_gradient_is_not_recorded_is_told_the_rule_of_second_order(graded):
    passed, message = graded["relu_backward"]
    assert not passed
    assert "should not be 0" not in message, message  # (relu's second derivative is 0: that is not what is wrong)
    assert "recorded" in message and "ops" in message and "out > 0" in message, message


def test_elbos_measure_question_asks_about_the_run_its_command_makes():
    question, _, command = BY_NAME["elbo"].predict.partition("measure: ")
    assert "train vae" in command and "rsample()" in question, question
    assert "in place of rsample" not in question  # (the command has no switch to sample(): it trains through rsample)


@pytest.mark.parametrize("exercise", [e for e in EXERCISES if "--out" in measure.command(e.name)],
                         ids=lambda e: e.name)
def test_a_measure_command_that_writes_a_run_folder_runs_again(exercise):
    """"Predict, then measure" is run again after the code changes: a command writing --out replaces its own run."""
    args = shlex.split(measure.command(exercise.name))
    assert args[:3] == ["python", "-m", "minigan"], args
    assert "--force" in args, f"{exercise.name}'s measure command refuses a second run: {' '.join(args)}"
    build_parser().parse_args(args[3:])  # (an option the command does not have ends the test here)
