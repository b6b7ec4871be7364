"""The exercises: every catalogue target exists in the library, a teacher's workspace passes every exercise, a fresh
one fails every exercise with its hint, each exercise is graded on its own (wrong answers, syntax errors, endless
loops), grading works without PyTorch, the command line never overwrites a learner's work, and every measure command
runs.

(Its comparisons with PyTorch: tests/pytorch/test_exercises.py.)"""

from __future__ import annotations

import ast
import os
import secrets
import subprocess
import sys

import pytest

from minigan.cli.main import main as minigan_main
from minigan.exercises import catalogue, grader, source, workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES, SETS

# The grader's inputs of the tests below that grade a few exercises in this process: drawn once a run and shared,
# as a class shares one, so that the library's answers on them are computed once, in one reference process (the
# grader keeps them per seed).  The teacher's workspace graded whole, grading with PyTorch, and the command line's
# door (check) draw a seed of their own each time, and compute their reference inside the grading they time.
SEED = secrets.randbits(31)
GRADED = ["topological_order", "node_apply", "backprop", "add_backward", "mul_backward", "exp_backward", "log_backward",
          "adam", "gan_train_step", "pgd"]


@pytest.fixture(scope="module", autouse=True)
def _reference_once():
    grader.reference(grader.resolve(GRADED), SEED)


def main(argv):
    """``python -m minigan exercises ARGV``, in this process."""
    return minigan_main(["exercises", *argv])


@pytest.fixture(scope="module")
def teacher(tmp_path_factory):
    return workspace.start(tmp_path_factory.mktemp("teacher") / "ws", solutions=True)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    return workspace.start(tmp_path_factory.mktemp("fresh") / "ws")


def test_at_least_40_exercises_in_5_sets_in_lesson_order():
    assert len(EXERCISES) >= 40 and len(SETS) >= 5
    assert len({e.name for e in EXERCISES}) == len(EXERCISES)
    order = [key for key, _ in SETS]
    positions = [order.index(e.set) for e in EXERCISES]
    assert positions == sorted(positions), "exercises are listed set by set, in lesson order"
    assert all(any(e.set == key for e in EXERCISES) for key in order)


def test_every_exercise_has_a_statement_a_lecture_a_hint_and_a_question_with_a_command():
    for e in EXERCISES:
        assert e.task and "\n" not in e.task, e.name
        assert e.lecture.count(",") >= 1 and "slide" in e.lecture, e.name  # course, lecturer, slide title
        assert e.hint, e.name
        question, sep, command = e.predict.partition("measure: ")
        assert sep and question.strip() and command.startswith("python "), e.name


def test_every_target_exists_in_the_library():
    missing = []
    for e in EXERCISES:
        for target in e.targets:
            path, qualname = source.split_target(target)
            tree = ast.parse(workspace.library_text(path))
            if source.find_function(tree, qualname) is None:
                missing.append(f"{e.name}: {target}")
    assert missing == [], "catalogue targets that the library no longer has (update catalogue.py): " \
                          f"{missing}"


def test_no_function_is_the_target_of_two_exercises():
    targets = [t for e in EXERCISES for t in e.targets]
    assert len(targets) == len(set(targets))


def test_every_exercise_has_a_check_in_the_module_of_its_set():
    folder = workspace.LIBRARY / "exercises" / "checks"
    assert [e.name for e in EXERCISES
            if f"def check_{e.name}(ctx)" not in (folder / f"{e.set}.py").read_text(encoding="utf-8")] == []


def test_the_learner_process_gets_every_module_of_the_checks_each_after_what_it_imports():
    folder = workspace.LIBRARY / "exercises" / "checks"
    assert sorted(grader.CHECKS) == sorted(p.stem for p in folder.glob("*.py"))
    assert grader.CHECKS[-1] == "__init__"
    for i, module in enumerate(grader.CHECKS):
        tree = ast.parse((folder / f"{module}.py").read_text(encoding="utf-8"))
        relative = {node.module or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    and node.level for a in node.names}
        assert relative <= set(grader.CHECKS[:i]), (module, relative - set(grader.CHECKS[:i]))


def test_a_stub_keeps_the_signature_docstring_and_def_line_comment():
    text = workspace.library_text("minigan/engine/ops/elementwise.py")
    stubbed = source.stub(text, "Mul.backward", "exercise mul_backward: write it")
    segment = source.function_text(stubbed, "Mul.backward")
    assert segment.splitlines()[0] == "    def backward(self, grad):  # d(ab)/da = b, d(ab)/db = a"
    assert segment.splitlines()[1] == "        raise NotImplementedError('exercise mul_backward: write it')"
    assert source.is_stub(stubbed, "Mul.backward") and not source.is_stub(text, "Mul.backward")
    assert source.function_text(stubbed, "Add.backward") == source.function_text(text, "Add.backward")
    docstring = source.stub(text, "Pow.backward", "exercise x: y")
    assert '"""a ** b for a tensor (or constant) exponent b."""' in docstring
    with pytest.raises(LookupError, match="no function"):
        source.stub(text, "Mul.nothing", "m")


def test_teacher_workspace_passes_everything_and_fresh_one_fails_everything_with_hints(teacher, fresh):
    results, _ = grader.grade(teacher)  # (how long it takes: benchmarks/grading_time.py)
    failed = [(name, message) for name, passed, message, _ in results if not passed]
    assert failed == [], failed
    assert len(results) == len(EXERCISES)
    results, _ = grader.grade(fresh)
    assert [name for name, passed, _, _ in results if passed] == []
    for name, _, message, _ in results:
        assert "not written yet" in message and f"hint: {BY_NAME[name].hint}" in message, (name, message)


def test_a_fresh_workspace_differs_from_the_library_only_in_the_exercises(fresh):
    for e in EXERCISES:
        for target in e.targets:
            path, qualname = source.split_target(target)
            assert source.is_stub((fresh / path).read_text(), qualname), target
    plain = workspace.LIBRARY / "nn" / "module.py"
    assert (fresh / "minigan" / "nn" / "module.py").read_text() == plain.read_text()
    assert not (fresh / "minigan" / "exercises").exists(), "the grader stays outside the workspace"
    inside = subprocess.run([sys.executable, "-m", "minigan", "exercises", "check", "."], cwd=fresh,
                            capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert inside.returncode == 2 and "from outside this folder" in inside.stderr


def _fill_in(root, name):
    """Copy the library's body of exercise ``name`` into the workspace (what a learner who solved it has)."""
    for target in BY_NAME[name].targets:
        path, qualname = source.split_target(target)
        text = (root / path).read_text()
        text = source.replace_function(text, qualname, source.function_text(workspace.library_text(path), qualname))
        (root / path).write_text(text)


def test_each_exercise_is_graded_on_its_own(tmp_path):
    root = workspace.start(tmp_path / "ws")
    for name in ("mul_backward", "gan_train_step", "pgd"):
        _fill_in(root, name)
    results, _ = grader.grade(root, ["topological_order", "mul_backward", "gan_train_step", "pgd"], seed=SEED)
    assert [(n, p) for n, p, _, _ in results] == [("topological_order", False), ("mul_backward", True),
                                                 ("gan_train_step", True), ("pgd", True)]
    progress = workspace.read_manifest(root)["progress"]
    assert progress["mul_backward"]["passed"] and not progress["topological_order"]["passed"]


def test_a_wrong_answer_gets_one_line_with_input_expected_got_and_hint(tmp_path, capsys):
    root = workspace.start(tmp_path / "ws", solutions=True)
    path = root / "minigan" / "engine" / "ops" / "elementwise.py"
    text = source.replace_in_function(path.read_text(), "Sub.backward", "unbroadcast(-grad, value(b).shape)",
                                      "unbroadcast(grad, value(b).shape)")
    path.write_text(text)
    assert main(["check", str(root), "sub_backward", "add_backward"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()  # in lesson order
    assert lines[0] == "PASS  add_backward"
    assert lines[1].startswith("FAIL  sub_backward: a (3, 1) - b (4,): d/db") and "expected" in lines[1]
    assert "got" in lines[1] and "hint:" in lines[1]
    assert lines[2].startswith("1 passed, 1 failed")
    assert main(["check", str(root), "add_backward"]) == 0


def test_a_syntax_error_costs_only_the_exercises_in_its_file_with_the_place(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    (root / "minigan" / "engine" / "ops" / "linalg.py").write_text("def broken(:\n")  # (no exercise in it)
    path = root / "minigan" / "engine" / "ops" / "elementwise.py"
    path.write_text(path.read_text() + "\ndef broken(:\n")
    line = len(path.read_text().splitlines())
    flags = set()
    results, _ = grader.grade(root, ["add_backward", "adam"], seed=SEED, flags=flags)
    assert [p for _, p, _, _ in results] == [False, True]
    assert f"elementwise.py does not compile (SyntaxError at line {line}" in results[0][2]
    assert any("linalg.py does not compile (SyntaxError at line 1" in f for f in flags), flags


def test_an_endless_loop_fails_that_exercise_only(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    path = root / "minigan" / "engine" / "ops" / "elementwise.py"
    path.write_text(source.stub(path.read_text(), "Exp.backward", "x").replace(
        "raise NotImplementedError('x')", "while True:\n            pass"))
    results, _ = grader.grade(root, ["exp_backward", "log_backward"], timeout=2, seed=SEED)
    assert [p for _, p, _, _ in results] == [False, True]
    assert "longer than 2 s" in results[0][2]


def test_grading_works_without_pytorch(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    (root / "torch").mkdir()
    (root / "torch" / "__init__.py").write_text("raise ImportError('no PyTorch here')\n")
    results, _ = grader.grade(root, ["sgd", "adam", "rmsprop"], torch=True)
    assert all(p for _, p, _, _ in results), results


def test_start_refuses_a_folder_that_is_not_empty_and_never_overwrites(tmp_path, capsys):
    root = tmp_path / "mine"
    root.mkdir()
    (root / "notes.txt").write_text("my notes")
    assert main(["start", str(root)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"]
    assert main(["start", str(root), "--force"]) == 0
    assert (root / "notes.txt").read_text() == "my notes" and (root / "EXERCISES.md").is_file()
    mul = root / "minigan" / "engine" / "ops" / "elementwise.py"
    mul.write_text(mul.read_text() + "\n# my work\n")
    assert main(["start", str(root), "--force"]) == 2
    assert "already holds" in capsys.readouterr().err
    assert mul.read_text().endswith("# my work\n")
    (tmp_path / "file").write_text("x")
    assert main(["start", str(tmp_path / "file")]) == 2


def test_list_shows_the_sets_and_each_status(teacher, capsys, tmp_path):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for _, title in SETS:
        assert title in out
    assert out.count(" - ") >= len(EXERCISES)
    root = workspace.start(tmp_path / "ws")
    workspace.record(root, [("unbroadcast", True, "", 0.1), ("detach", False, "x", 0.1)])
    assert main(["list", str(root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("unbroadcast" in line and "passed" in line for line in lines)
    assert any("detach" in line and "failed" in line for line in lines)
    assert lines[-1] == f"1 of {len(EXERCISES)} passed"


def test_check_names_what_is_wrong_with_its_arguments(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert "not an exercises workspace" in capsys.readouterr().err
    root = workspace.start(tmp_path / "ws")
    assert main(["check", str(root), "no_such_exercise"]) == 2
    assert "no exercise named 'no_such_exercise'" in capsys.readouterr().err
    (root / workspace.MANIFEST).write_text("{not json")
    assert main(["list", str(root)]) == 2


def test_exercises_md_cites_every_lecture_and_command(fresh):
    text = (fresh / "EXERCISES.md").read_text()
    for e in EXERCISES:
        assert f"`{e.name}`" in text and e.lecture in text
    assert "/seeds" not in text and "seeds/" not in text


def test_python_dash_m_minigan_exercises_runs(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(workspace.REPO))
    out = subprocess.run([sys.executable, "-m", "minigan", "exercises", "list"], capture_output=True, text=True,
                         env=env, cwd=tmp_path)
    assert out.returncode == 0 and catalogue.SETS[0][1] in out.stdout


def _measure_commands(kind):
    for e in EXERCISES:
        command = e.predict.partition("measure: ")[2].strip()
        if command.startswith("python -c") == (kind == "python -c"):
            yield e.name, command


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["python -c", "command line"])
def test_every_measure_command_runs_in_a_teacher_workspace(teacher, kind):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for name, command in _measure_commands(kind):
        run = subprocess.run(["bash", "-c", command], cwd=teacher, env=env, capture_output=True, text=True,
                             timeout=900)
        assert run.returncode == 0, (name, command, run.stderr[-2000:])


PUBLIC_NODE_APPLY = '''    @classmethod
    def apply(cls, *inputs, **params):
        fn = cls()
        like = _first_tensor(inputs)
        if like is None:
            return fn.forward(*inputs, **params)
        arrays, needs, edges = [], [], []
        for t in inputs:
            if type(t) in backend.ARRAY_TYPES:
                arrays.append(t)
                needs.append(False)
                edges.append(None)
                continue
            node = t.grad_fn
            arrays.append(t.array)
            needs.append(t.requires_grad)
            edges.append((node or t) if t.requires_grad else None)
        needs = tuple(needs)
        record = True in needs and _mode.grad_enabled
        fn.needs_input_grad = needs if record else None
        out = fn.forward(*arrays, **params)
        result = like._make(out, record, inputs[0] if cls.is_view else None, cls, params)
        if record:
            fn.record(inputs, tuple(edges), arrays, out, result)
        if _anomaly.enabled:
            fn.check_forward(result)
        return result
'''


def test_node_apply_can_be_written_with_the_names_its_hint_gives(tmp_path):
    hint = BY_NAME["node_apply"].hint
    for name in ("_first_tensor(inputs)", "backend.ARRAY_TYPES", "t.grad_fn", "t.array", "t.requires_grad",
                 "_mode.grad_enabled", "fn.needs_input_grad", "fn.forward", "like._make(", "fn.record(",
                 "_anomaly.enabled", "fn.check_forward"):
        assert name in hint, name
    used = {n.attr for n in ast.walk(ast.parse("class C:\n" + PUBLIC_NODE_APPLY))
            if isinstance(n, ast.Attribute) and n.attr.startswith("_")}
    assert used <= {"_make"}, used  # no private field: _input, _base, _ctx, _requires_grad are not needed
    root = workspace.start(tmp_path / "ws", solutions=True)
    file = root / "minigan" / "engine" / "graph.py"
    file.write_text(source.replace_function(file.read_text(), "Node.apply", PUBLIC_NODE_APPLY))
    results, _ = grader.grade(root, ["node_apply", "backprop", "mul_backward"], seed=SEED)
    assert [(n, p) for n, p, _, _ in results] == [("node_apply", True), ("backprop", True), ("mul_backward", True)], \
        results
