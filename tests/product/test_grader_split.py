"""The checks split in two (``split.py``): the learner's build computes no expected value and judges nothing; the
grader judges every condition on the values recorded, as the condition itself would."""

from __future__ import annotations

import ast

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from minigan.exercises import grader, split, workspace
from minigan.exercises.catalogue import EXERCISES
from minigan.exercises.checks import base
from product.class_submissions import set_body


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


def _bound_never_read(tree):
    """(function, line, name) for each name a function of ``tree`` binds and nothing in it reads: in the learner's
    build, a value only an expected value needed (its ``close`` argument is left out there).  Names starting with
    ``_`` (discarded on purpose), ``hint`` (the grader's text), ``global`` names and constants bound are not
    computations."""
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        read = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        shared = {name for n in ast.walk(fn) if isinstance(n, ast.Global) for name in n.names}
        constant = {t.id for n in ast.walk(fn) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
                    for t in n.targets if isinstance(t, ast.Name)}
        for n in ast.walk(fn):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id not in read | shared | constant \
                    and not n.id.startswith("_") and n.id != "hint":
                found.append((fn.name, n.lineno, n.id))
    return found


def test_the_learners_build_computes_nothing_only_an_expected_value_needs():
    for module, _ in grader._checks_texts():
        tree = _learner_tree(module)
        assert _bound_never_read(tree) == [], module
        for node in ast.walk(tree):
            assert not (isinstance(node, ast.FunctionDef) and node.name in split.GRADER_ONLY), (module, node.name)
            assert not (isinstance(node, ast.Name) and node.id in split.GRADER_ONLY), (module, node.lineno, node.id)
            # a reference run in the learner's process (``ctx.reference``) is an expected value: none is asked for
            assert not (isinstance(node, ast.Attribute) and node.attr == "reference"), (module, node.lineno)


def test_the_dead_value_scan_finds_an_expected_value_computed_beside_close():
    text = ("def check_x(ctx):\n    x = rn(3)\n    expected = np.exp(x)\n    close('exp', f(x), expected, 'h')\n"
            "    e = None\n    close('f', f(x), e, 'h')\n")
    assert _bound_never_read(split.learner_build(text, "t")) == [("check_x", 3, "expected")]


def test_the_learners_process_loads_no_judging_code(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "unbroadcast", "import sys\n"
             "package = sys.modules['_minigan_exercise_checks']\n"
             "names = {n for m in list(sys.modules) if m.startswith('_minigan_exercise_checks')\n"
             "         for n in vars(sys.modules[m])}\n"
             "judging = sorted(names & {'check', 'compare', '_apart', '_numeric_gradient', 'decide', 'judge'})\n"
             "modules = sorted(m for m in sys.modules if m.startswith(('minigan.exercises', 'torch')))\n"
             "raise RuntimeError(f'loaded: {judging} {modules}')")
    results, _ = grader.grade(root, ["unbroadcast"], timeout=10, record=False)
    assert "raised RuntimeError: loaded: [] []" in results[0][2], results[0][2]


def test_every_exercise_hands_back_a_value_that_depends_on_the_graders_seed():
    """A record made only of known facts (a yes/no, a number fixed by the check's text) can be stated by a
    learner's process that solved nothing; every exercise must also hand back values the right code computes
    from the grader's numbers, different for another seed."""
    names = [e.name for e in EXERCISES]
    one, other = grader.reference(names, 11), grader.reference(names, 12)
    fixed = []
    for name in names:
        (meta, arrays), (meta2, arrays2) = one[name], other[name]
        moved = [i for i, (a, b) in enumerate(zip(meta["items"], meta2["items"])) if a["kind"] == "close" and
                 not np.array_equal(arrays[f"a{a['array']}"], arrays2[f"a{b['array']}"])]
        if not moved:
            fixed.append(name)
    assert fixed == [], f"exercises whose every value is the same on any seed: {fixed}"
