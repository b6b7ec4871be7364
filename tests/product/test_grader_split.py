"""The checks split in two (``split.py``): the learner's build computes no expected value and judges nothing; the
grader judges every condition on the values recorded, as the condition itself would."""

from __future__ import annotations

import ast

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from minigan.exercises import grader, split
from minigan.exercises.checks import base


def _learner_tree(module):
    text = dict(grader._checks_texts())[module]
    return split.learner_build(text, module)


def test_the_learners_build_never_computes_an_expected_value_nor_calls_check():
    for module, _ in grader._checks_texts():
        tree = _learner_tree(module)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "check", (module, node.lineno)
                assert node.func.id != "_numeric_gradient", (module, node.lineno)  # (finite differences: expected)
                if node.func.id == "close":
                    assert [ast.unparse(a) for a in node.args[2:]] == ["None", "None"] and not node.keywords, \
                        (module, ast.unparse(node))
        compile(tree, module, "exec")


def test_every_condition_of_the_checks_has_the_graders_judge():
    sites = {f"{m}:{n.lineno}:{n.col_offset}" for m, text in grader._checks_texts() for n in ast.walk(ast.parse(text))
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "check"}
    assert len(sites) > 40
    assert sites <= set(split._templates(grader._checks_texts()))


def _record(condition_text, env):
    """What the learner's build of ``check(CONDITION, ...)`` records in ``env``, and the grader's verdict on it."""
    text = f"def f():\n    check({condition_text}, 'm', 'h')\n"
    tree = split.learner_build(text, "t")
    space = {"observe": base.observe, "_rec": base._rec, "np": np, **env}
    base.RECORD.clear()
    exec(compile(ast.Module(body=[s for s in tree.body if not isinstance(s, ast.ImportFrom)], type_ignores=[]),
                 "t", "exec"), space)
    space["f"]()
    (_, _, _, more), = base.RECORD
    return split.judge((("t", text),), "t:2:4", more["leaves"])


CONDITIONS = ["a < b", "not flag and b <= 0.5 + 1e-9", "a == b == 3 or flag", "x is y", "len(xs) == n",
              "abs(a - b) < 0.01 and not (x is not y)", "dtype == np.float32", "set(xs) == set(ys)"]


@settings(max_examples=60, deadline=None)
@given(a=st.integers(-3, 3), b=st.floats(-1, 1, allow_nan=False), flag=st.booleans(), same=st.booleans(),
       xs=st.lists(st.sampled_from("abc"), max_size=4), n=st.integers(0, 4), which=st.sampled_from(CONDITIONS),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_the_graders_judgement_on_the_record_is_the_condition_itself(a, b, flag, same, xs, n, which, dtype):
    x = object()
    env = {"a": a, "b": b, "flag": flag, "x": x, "y": x if same else object(), "xs": xs, "ys": list(reversed(xs)),
           "n": n, "dtype": np.dtype(dtype)}
    assert _record(which, env) == bool(eval(which, {"np": np}, dict(env)))  # noqa: S307 - the test's own text


def test_a_bound_in_a_condition_is_the_graders_never_the_learners():
    text = "def f():\n    check(worst <= 0.05 + 1e-7, 'm', 'h')\n"
    tree = split.learner_build(text, "t")
    recorded = [n.args[2] for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "_rec"]
    assert sorted(ast.unparse(r) for r in recorded) == ["_rec(_o, 0, worst) <= 0.05 + 1e-07", "worst"]
    # the learner's process records worst (slot 0) and what the comparison came to (slot 1, read only when the
    # operands are no data): the grader compares worst with its own bound
    assert not split.judge((("t", text),), "t:2:4", {"0": 1.0, "1": True})
    assert split.judge((("t", text),), "t:2:4", {"0": 0.01, "1": False})
