"""A hostile student against the class, second round: attacks that beat the grader on 7a87b6a, each written here
before its fix.

* the checks rewritten from the workspace's ``minigan/__init__.py`` (``check`` and ``raises`` made to say yes,
  ``close`` made to hand back the expected value it was given): unsolved ``no_grad``, ``frozen``,
  ``add_backward`` and ``sub_backward`` passed;
* a student that finds its classmates' grading processes in ``/proc`` under ``--jobs 2`` and SIGKILLs them;
* a symlink named with the byte ``\\xff`` in one submission: writing the gradebook (and every resume of its
  journal) failed for the whole class;
* processes forked at import, each holding memory: the tree held several times ``--memory``;
* the reference's bodies moved into a module of the student's own, each exercise a one-line delegate: no copy flag;
* Canvas's import CSV without the "Points Possible" row Canvas reads an assignment's maximum from.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import os
import secrets
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from minigan.exercises import gradebook, grader, sandbox, source, workspace
from minigan.exercises.catalogue import BY_NAME
from product.class_submissions import set_body

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the attacks use Linux's /proc and fork")
SEED = secrets.randbits(31)
needs_sandbox = pytest.mark.skipif(sandbox.why_not() is not None,
                                   reason=f"no sandbox on this machine: {sandbox.why_not()}")


def _env():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return dict(env, PYTHONPATH=str(workspace.REPO))


def _set(root: Path, target: str, body: str) -> None:
    """Give ``target`` (path::qualname) the body ``body`` (unindented source)."""
    path, qualname = source.split_target(target)
    text = source.stub((root / path).read_text(), qualname, "placeholder")
    first, _, indent = source.body_span(text, qualname)
    lines = text.splitlines(keepends=True)
    new = "".join(" " * indent + line + "\n" for line in body.splitlines())
    (root / path).write_text("".join(lines[: first - 1] + [new] + lines[first:]))


# Appended to the workspace's minigan/__init__.py: every module the learner's process makes with exec() is looked
# at once made; the checks' own module gets a `check`, an `observe` and a `raises` that always say yes, and a `close`
# that hands back the EXPECTED value it was given (finite differences, closed forms) as the value got.
CHECK_FORGER = textwrap.dedent('''
    import builtins as _b
    _real_exec = _b.exec
    def _exec(code, space=None, *rest):
        _real_exec(code, space, *rest) if space is not None else _real_exec(code)
        if isinstance(space, dict) and "RECORD" in space and "close" in space and "_data" in space:
            record, data = space["RECORD"], space["_data"]
            def check(condition, message, hint, *a, **k):
                record.append(("check", str(message), True, None))
            def raises(what, error, fn, hint, *a, **k):
                record.append(("raises", what, True, ""))
            def close(what, got, expected, hint, *a, **k):
                record.append(("close", what, data(expected), None))
            def observe(site, message, condition):  # every value a condition looks at: yes
                record.append(("check", str(message), True, {"id": site, "leaves": dict.fromkeys(map(str, range(40)),
                                                                                              True)}))
            names = ["ValueError", "GraphError", "AnomalyError", "RuntimeError", "Exception", "BaseException"]
            def raises(what, error, fn, hint, *a, **k):  # (both builds': claims every error was raised)
                record.append(("raises", what, True, {"raised": names, "message": ""}))
            for forged in (check, raises, close, observe):
                space[forged.__name__] = forged
            space["ROLE"] = "student"
    _b.exec = _exec
''')


def test_checks_rewritten_from_the_workspaces_init_pass_nothing_unsolved(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    init = root / "minigan" / "__init__.py"
    init.write_text(init.read_text() + CHECK_FORGER)
    enter, leave = BY_NAME["no_grad"].targets
    _set(root, enter, "return self")  # grad mode never changes
    _set(root, leave, "return False")
    set_body(root, "frozen", "yield module")  # nothing frozen
    set_body(root, "add_backward", "return grad * 0.5, grad * 0.5")
    set_body(root, "sub_backward", "return grad, grad")
    names = ["no_grad", "frozen", "add_backward", "sub_backward"]
    results, _ = grader.grade(root, names, timeout=10, seed=SEED)
    assert [n for n, p, _, _ in results if p] == [], results


# Appended to the workspace's minigan/__init__.py: STATES, never observes, what each condition looks at.  Each module
# of the checks the learner's process makes gets an `observe` that tries every yes/no for the values a condition
# records (as values with no data, only a truth, which is all the grader reads of a Tensor or a node) until the
# condition, as the learner's build computes it, holds, and records that; a `raises` that claims every error.  No
# knowledge of the exercise is needed: it beats any check of a known yes/no fact (a flag inside `no_grad()`, a
# parameter's `requires_grad` inside `frozen(D)`), so only values the right code computes on the grader's numbers
# (``close``) stop it.
OBSERVATION_FORGER = textwrap.dedent('''
    import builtins as _b
    _real_exec = _b.exec
    def _forged_observe(space, real):
        def observe(site, message, condition):
            record, kept = real.__globals__["RECORD"], space.get("_rec")
            found = {}
            for bits in _b.range(1 << 10):  # (minigan has a range, a bool ... of its own)
                def rec(o, k, v, bits=bits):
                    truth = _b.bool(bits >> _b.int(k) & 1)
                    o[_b.str(k)] = {"opaque": "stated", "truth": truth}
                    return truth
                space["_rec"], seen = rec, {}
                try:
                    if condition(seen):
                        found = seen
                        break
                except Exception:
                    pass
                finally:
                    space["_rec"] = kept
            record.append(("check", _b.str(message), None, {"id": site, "leaves": found}))
        return observe
    def _exec(code, space=None, *rest):
        _real_exec(code, space, *rest) if space is not None else _real_exec(code)
        if _b.isinstance(space, _b.dict) and _b.callable(space.get("observe")) and "_rec" in space \
                and "RECORD" not in space:  # (each module of an exercise set, never base itself)
            record = space["observe"].__globals__["RECORD"]
            names = ["ValueError", "GraphError", "AnomalyError", "RuntimeError", "KeyError", "Exception"]
            def raises(what, error, fn, hint, *a, **k):
                record.append(("raises", what, None, {"raised": names, "message": ""}))
            space["observe"], space["raises"] = _forged_observe(space, space["observe"]), raises
    _b.exec = _exec
''')


def test_observations_stated_instead_of_observed_pass_nothing_unsolved(tmp_path):
    passed = []
    for broken in ("no_grad", "frozen"):  # (one workspace each: nn.Linear's set-up runs under no_grad())
        root = workspace.start(tmp_path / broken, solutions=True)
        init = root / "minigan" / "__init__.py"
        init.write_text(init.read_text() + OBSERVATION_FORGER)
        if broken == "no_grad":
            enter, leave = BY_NAME["no_grad"].targets
            _set(root, enter, "return self")  # grad mode never changes
            _set(root, leave, "return False")
        else:
            set_body(root, "frozen", "yield module")  # nothing frozen
        results, _ = grader.grade(root, [broken, "unbroadcast"], timeout=10, seed=SEED)
        passed += [n for n, p, _, _ in results if p]
    assert passed == ["unbroadcast", "unbroadcast"], passed  # (the forger lets a solved exercise pass)


# Started at import: finds every other grading process in /proc (by the runner's text in its command line) and
# SIGKILLs it, again and again for 20 s.
KILLER = textwrap.dedent('''
    import os as _os, signal as _signal, threading as _threading, time as _time
    def _kill_classmates():
        mine = {_os.getpid(), _os.getppid()}
        end = _time.monotonic() + 20
        while _time.monotonic() < end:
            for entry in _os.listdir("/proc"):
                if not entry.isdigit() or int(entry) in mine:
                    continue
                try:
                    with open("/proc/" + entry + "/cmdline", "rb") as f:
                        line = f.read()
                except OSError:
                    continue
                if b"minigan" in line and (b"_minigan_exercise_checks" in line or b"SUBREAPER" in line):
                    try:
                        _os.kill(int(entry), _signal.SIGKILL)
                    except OSError:
                        pass
            _time.sleep(0.01)
    _threading.Thread(target=_kill_classmates, daemon=True).start()
''')


@needs_sandbox
def test_a_student_that_kills_its_classmates_grading_costs_them_nothing(tmp_path):
    folder = tmp_path / "class"
    key = workspace.start(folder / "key", solutions=True)
    killer = workspace.start(folder / "killer", solutions=True)
    init = killer / "minigan" / "__init__.py"
    init.write_text(init.read_text() + KILLER)
    names = ["unbroadcast", "backprop", "add_backward", "mul_backward", "exp_backward", "sgd", "adam"]
    book = gradebook.grade_class([key, killer], names, jobs=2, seed=SEED)
    entry = {e["student"]: e for e in book["students"]}
    assert entry["key"]["passed"] == len(names), entry["key"]["results"]
    assert not any("killed" in f for f in entry["key"]["flags"]), entry["key"]["flags"]


def _odd_class(tmp_path):
    folder = tmp_path / "class"
    workspace.start(folder / "good", solutions=True)
    odd = workspace.start(folder / "odd", solutions=True)
    os.symlink(b"nowhere", os.fsencode(odd / "minigan") + b"/\xff")
    (odd / "minigan" / "engine").joinpath("caf\u00e9.py").write_text("x = 1\n")
    return folder


def test_a_link_named_with_a_byte_that_is_not_utf8_never_stops_the_gradebook(tmp_path):
    folder = _odd_class(tmp_path)
    out = tmp_path / "out"
    args = [sys.executable, "-m", "minigan", "exercises", "grade", str(folder), "--names", "unbroadcast", "sgd",
            "--csv", str(out / "g.csv"), "--json", str(out / "g.json"), "--canvas", str(out / "c.csv"),
            "--moodle", str(out / "m.csv"), "--journal", str(out / "j.jsonl"), "--jobs", "2", "--overwrite"]
    for _ in range(2):  # the second: resumed from the journal
        done = subprocess.run(args, capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        book = json.loads((out / "g.json").read_text(encoding="utf-8"))
        by = {e["student"]: e for e in book["students"]}
        assert by["good"]["passed"] == by["odd"]["passed"] == 2, book
        assert any("\\xff" in f for f in by["odd"]["flags"]), by["odd"]["flags"]
        for name in ("g.csv", "c.csv", "m.csv"):
            (out / name).read_text(encoding="utf-8")  # (valid UTF-8)
        (out / "g.csv").unlink()
    lines = (out / "j.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3, lines  # the seed and the two students, once each: the second run graded no one again


def _supervised_rss() -> int:
    """Bytes resident in every process below a grading supervisor (found by its text in /proc) this process
    started; a page two processes share counts twice."""
    parents, rss, roots = {}, {}, []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                line = f.read()
        except OSError:
            continue
        pid = int(entry)
        parents.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        if b"PR_SET_CHILD_SUBREAPER" in line:
            roots.append(pid)
    mine, todo = set(), [os.getpid()]  # (this test's own: the machine may be grading other classes)
    while todo:
        for child in parents.get(todo.pop(), []):
            mine.add(child)
            todo.append(child)
    below, todo = set(), [pid for pid in roots if pid in mine]
    while todo:
        for child in parents.get(todo.pop(), []):
            below.add(child)  # (once: bwrap's processes hold the supervisor's text too)
            todo.append(child)
    return sum(rss.get(pid, 0) for pid in below)


FORKS_AT_IMPORT = textwrap.dedent('''
    import os as _os, time as _time
    for _ in range(8):
        try:
            if _os.fork() == 0:
                _hold = b"x" * (200 << 20)
                _time.sleep(30)
                _os._exit(0)
        except OSError:
            break
''')


@needs_sandbox
def test_processes_forked_at_import_stay_within_the_memory_limit(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    init = root / "minigan" / "__init__.py"
    init.write_text(init.read_text() + FORKS_AT_IMPORT)
    most, done = [0], threading.Event()

    def watch():
        while not done.is_set():
            most[0] = max(most[0], _supervised_rss())
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        grader.grade(root, ["unbroadcast", "add_backward"], timeout=10, seed=SEED, memory=768 << 20)
    finally:
        done.set()
        watcher.join()
    assert most[0] < 768 << 20, f"{most[0] >> 20} MiB in the student's processes"


def test_reference_bodies_moved_into_a_module_of_ones_own_are_flagged_as_a_copy(tmp_path):
    root = workspace.start(tmp_path / "ws")
    path = "minigan/engine/ops/elementwise.py"
    library = workspace.library_text(path)
    moved, names = ["from minigan.engine.ops.elementwise import unbroadcast, value\n"], []
    for name in ("add_backward", "sub_backward", "mul_backward", "exp_backward"):
        qualname = source.split_target(BY_NAME[name].targets[0])[1]
        text = textwrap.dedent(source.function_text(library, qualname))
        moved.append("\n\n" + text.replace("def backward(", f"def {name}(", 1))
        set_body(root, name, f"from minigan.engine.ops._mine import {name} as f\nreturn f(self, grad)")
        names.append(name)
    (root / "minigan/engine/ops/_mine.py").write_text("".join(moved))
    entry = gradebook.grade_student(root, "mover", names, timeout=10, seed=SEED)
    assert entry["passed"] == 4, entry["results"]
    assert sorted(m["exercise"] for m in entry["reference_matches"]) == sorted(names), entry["flags"]


def _split_backprop(honest=False):
    """walk.py's backprop in three helpers of several statements each: the library's statements moved as they are
    (a copy), or, ``honest``, a step of the walk written anew (a solution of one's own, split the same way)."""
    path, qualname = source.split_target(BY_NAME["backprop"].targets[0])
    fn = source.find_function(source.parse(workspace.library_text(path)), qualname)
    body = source.body_statements(fn)
    begin, switch, guard = body[0], body[1], body[2]
    walk, hooks = guard.body  # (try: for fn in order: ..., for leaf in grads: ...)
    visit = ast.unparse(walk.body)
    if honest:
        visit = textwrap.dedent('''
            g = grads.get(fn) if fn in keep else grads.pop(fn, None)
            if g is not None:
                _step(fn, g, grads, watch)
            if not retain_graph:
                fn.free()
        ''')
    indent = lambda text, n: textwrap.indent(text, " " * n)  # noqa: E731
    helpers = (f"\n\ndef _begin(seeds, create_graph, retain_graph):\n{indent(ast.unparse([begin, switch]), 4)}\n"
               "    return grads, retain_graph, recording\n"
               f"\n\ndef _visit(fn, grads, keep, watch, retain_graph):\n{indent(visit, 4)}\n"
               f"\n\ndef _leaf_hooks(grads):\n{indent(ast.unparse(hooks), 4)}\n")
    if honest:
        helpers += textwrap.dedent('''


            def _step(fn, g, grads, watch):
                fn.check_saved()
                if fn.hooks:
                    g = run_hooks(fn.hooks, g)
                keeper = fn.retained() if fn.retained is not None else None
                if keeper is not None:
                    keeper._keep_grad(g)
                shares = fn.backward(g)
                if watch is not None:
                    watch(fn, g, shares)
                for edge, share in zip(fn.edges, shares):
                    if _anomaly.enabled:
                        check_finite(type(fn).__name__, "backward", share, fn.created_at)
                    if edge is None or share is None:
                        continue
                    grads[edge] = grads[edge] + share if edge in grads else share
        ''')
    calls = textwrap.dedent('''
        grads, retain_graph, recording = _begin(seeds, create_graph, retain_graph)
        try:
            for fn in order:
                _visit(fn, grads, keep, watch, retain_graph)
            _leaf_hooks(grads)
        finally:
            _mode.grad_enabled = recording
        return grads
    ''')
    return path, qualname, calls, helpers


@pytest.mark.parametrize("honest", [False, True], ids=["copy", "honest"])
def test_a_body_split_into_helpers_of_several_statements_is_a_copy_only_when_it_is_one(tmp_path, honest):
    root = workspace.start(tmp_path / "ws")
    path, qualname, calls, helpers = _split_backprop(honest)
    set_body(root, "backprop", calls)
    (root / path).write_text((root / path).read_text() + helpers)
    entry = gradebook.grade_student(root, "splitter", ["backprop"], timeout=10, seed=SEED)
    assert entry["passed"] == 1, entry["results"]  # (both are working solutions)
    assert entry["copied_reference"] == ([] if honest else ["backprop"]), entry["flags"]


def test_canvas_csv_has_the_points_possible_row_canvas_reads_the_maximum_from():
    book = {"exercises": [{"name": "unbroadcast", "set": "autodiff", "points": 2},
                          {"name": "adam", "set": "optim", "points": 3}],
            "students": [{"student": "ada", "points": 3, "max_points": 5, "flags": ["=1+1"]}]}
    rows = list(csv.reader(io.StringIO(gradebook.canvas_text(book))))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1][0].strip() == "Points Possible" and rows[1][rows[0].index("minigan exercises")] == "5"
    assert rows[2][rows[0].index("minigan exercises")] == "3"
    assert all(not c.startswith("=") for row in rows for c in row)


def _runners():
    """This process's learner's processes (the runner's text in their command line), with their ages in ticks."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    line = f.read()
                with open(f"/proc/{entry}/environ", "rb") as f:
                    env = f.read()
            except OSError:
                continue
            if b"_minigan_exercise_checks" in line and b"-I\x00-S\x00-B" in line and MARK.encode() in env:
                found.append(int(entry))
    return found


MARK = f"minigan-run-{os.getpid()}"


def test_a_grading_process_killed_by_a_signal_the_grader_did_not_send_is_graded_again(tmp_path, monkeypatch):
    root = workspace.start(tmp_path / "ws", solutions=True)
    env = grader._student_env
    monkeypatch.setattr(grader, "_student_env", lambda home: dict(env(home), MINIGAN_TEST_MARK=MARK))
    names = ["unbroadcast", "backprop", "add_backward", "mul_backward", "exp_backward", "sgd", "adam"]
    shot, done = [], threading.Event()

    def shoot():  # (as a classmate with no sandbox would: SIGKILL, once, as soon as its grading starts; on an idle
        while not done.is_set() and not shot:  # machine a learner's process lives well under a second)
            for pid in _runners():
                try:
                    os.kill(pid, 9)
                    shot.append(pid)
                except OSError:
                    pass
                break
            time.sleep(0.01)

    shooter = threading.Thread(target=shoot)
    shooter.start()
    flags = set()
    try:
        results, _ = grader.grade(root, names, timeout=10, seed=SEED, record=False, flags=flags)
    finally:
        done.set()
        shooter.join()
    assert shot, "the learner's process was never found"
    assert [(n, m) for n, p, m, _ in results if not p] == [], flags
    assert any("graded again" in f and "SIGKILL" in f for f in flags), flags


OWN = {  # solutions of one's own (not the reference's form)
    "add_backward": "(a, b), (need_a, need_b) = self.inputs, self.needs_input_grad\ng = grad\n"
                    "return (unbroadcast(g, value(a).shape) if need_a else None,\n"
                    "        unbroadcast(g, value(b).shape) if need_b else None)",
    "sub_backward": "(a, b), (need_a, need_b) = self.inputs, self.needs_input_grad\ng = -grad\n"
                    "return (unbroadcast(grad, value(a).shape) if need_a else None,\n"
                    "        unbroadcast(g, value(b).shape) if need_b else None)",
    "exp_backward": "(out,) = self.saved_tensors\nreturn (out * grad,)",
}


def test_two_students_with_the_same_code_are_paired_wherever_it_sits(tmp_path):
    folder = tmp_path / "class"
    here = workspace.start(folder / "here")
    moved = workspace.start(folder / "moved")
    helpers = ["from minigan.engine.ops.elementwise import unbroadcast, value\n"]
    for name, body in OWN.items():
        set_body(here, name, body)
        helpers.append(f"\n\ndef {name}(self, grad):\n" + textwrap.indent(body, "    ") + "\n")
        set_body(moved, name, f"from minigan.engine.ops import _helpers\nreturn _helpers.{name}(self, grad)")
    (moved / "minigan/engine/ops/_helpers.py").write_text("".join(helpers))
    pairs = gradebook.similar_pairs([here, moved], ["here", "moved"], list(OWN))
    assert [(a, b, n) for a, b, n, _ in pairs] == [("here", "moved", 3)], pairs


def test_without_a_sandbox_grade_says_so_once_and_grades_one_student_at_a_time(tmp_path, monkeypatch, capsys):
    from minigan.cli.main import main
    folder = tmp_path / "class"
    for name in ("a", "b", "c"):
        workspace.start(folder / name, solutions=True)
    monkeypatch.setattr(sandbox, "why_not", lambda: "no sandbox on this test's machine")
    at_once, most, lock = [0], [0], threading.Lock()
    grade = gradebook.grade_student

    def counted(*args, **kwargs):
        with lock:
            at_once[0] += 1
            most[0] = max(most[0], at_once[0])
        try:
            return grade(*args, **kwargs)
        finally:
            with lock:
                at_once[0] -= 1

    monkeypatch.setattr(gradebook, "grade_student", counted)
    out = tmp_path / "out"
    assert main(["exercises", "grade", str(folder), "--names", "unbroadcast", "--jobs", "2", "--csv",
                 str(out / "g.csv"), "--json", str(out / "g.json")]) == 0
    err = capsys.readouterr().err
    assert err.count("no sandbox on this test's machine") == 1, err
    assert most[0] == 1
    assert json.loads((out / "g.json").read_text())["sandbox"] == "no sandbox on this test's machine"


PEEK = textwrap.dedent('''
    import os as _os
    _seen = ""
    for _place, _allowed in %r:  # (the Python that runs the grader may be kept under /root or /home)
        try:
            _seen += "." if set(_os.listdir(_place)) <= set(_allowed) else "X"
        except OSError:
            _seen += "."
    raise RuntimeError("seen: " + _seen + ";")
''')


@needs_sandbox
def test_the_sandbox_shows_neither_the_library_nor_homes_nor_other_students(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    other = workspace.start(tmp_path / "other")
    kept = [os.path.realpath(p) for p in (sys.base_prefix, sys.prefix)]
    places = [(str(workspace.LIBRARY), []), (str(other), []), (str(tmp_path), [])] + [
        (veil, sorted({Path(k).relative_to(veil).parts[0] for k in kept if k.startswith(veil + "/")}))
        for veil in ("/root", "/home")]
    set_body(root, "unbroadcast", PEEK % (places,))
    results, _ = grader.grade(root, ["unbroadcast", "add_backward"], timeout=10, seed=SEED, record=False)
    assert "seen: .....;" in results[0][2], results[0][2]
    assert results[1][1], results  # (the rest of the workspace runs as before)
