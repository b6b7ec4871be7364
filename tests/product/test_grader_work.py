"""What the grader does once for a class rather than once per student, without giving the learner's process
anything of its own: the bytecode of the workspace's modules (compiled by the grader from the workspace's own
sources, never taken from the workspace), and the normal form of a function and the words that reach for the grader
in a file many workspaces share (cached by the file's hash, never by its path)."""

from __future__ import annotations

import importlib.util
import json
import marshal
import os
import secrets
import subprocess
import sys
import textwrap

import pytest

from minigan.exercises import gradebook, grader, source, workspace
from minigan.exercises.catalogue import EXERCISES
from product.class_submissions import HOSTILE, make_class, set_body

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the learner's process is run as on Linux")

# The grader's inputs of the gradings below: drawn once a run and shared, as a class shares one, so that the
# library's answers on them are computed once, in one reference process (the grader keeps them per seed).
SEED = secrets.randbits(31)
GRADED = ["unbroadcast", "backprop", "exp_backward", "log_backward", "sgd", "adam"]


@pytest.fixture(scope="module", autouse=True)
def _reference_once():
    grader.reference(grader.resolve(GRADED), SEED)

# run as the learner's process is run (python -I -S -B, the copy and a folder holding only NumPy after the standard
# library): imports minigan and two targets' modules, and says which of the copy's files it compiled itself
LEARNER = textwrap.dedent('''
    import json, sys
    copy, path = sys.argv[1], sys.argv[2:]
    sys.path.extend(path)
    compiled = []
    sys.addaudithook(lambda event, args: compiled.append(args[1]) if event == "compile" and isinstance(args[1], str)
                     and args[1].startswith(copy) else None)
    import minigan
    import minigan.engine.graph as graph
    import minigan.optim.adam
    print(json.dumps({"compiled": compiled, "ran": graph.unbroadcast(None, None),
                      "modules": sorted(m for m in sys.modules if m == "minigan" or m.startswith("minigan."))}))
''')


def _learner(copy):
    numpy_folder, _ = grader._numpy_only()
    run = subprocess.run([sys.executable, "-I", "-S", "-B", "-c", LEARNER, str(copy), str(copy),
                          str(numpy_folder)], capture_output=True, text=True, timeout=120, cwd=copy,
                         env=grader._student_env(copy))
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


def test_the_learners_process_compiles_none_of_the_modules_the_grader_compiled_for_it(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "unbroadcast", "return 'the workspace ran'")
    before, after = tmp_path / "before", tmp_path / "after"
    grader.copy_package(root, before)
    grader.copy_package(root, after)
    alone = _learner(before)
    assert alone["ran"] == "the workspace ran"
    assert len(alone["compiled"]) >= 10, alone  # (what it compiles by itself: the test can see a compile)
    assert grader.compile_copy(after, alone["modules"]) == len(alone["modules"])
    helped = _learner(after)
    assert helped["compiled"] == [], helped["compiled"]
    assert helped["ran"] == "the workspace ran"  # the workspace's code, compiled from its source
    assert helped["modules"] == alone["modules"]


def test_grading_hands_the_learners_process_the_bytecode_of_what_the_checks_import(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "unbroadcast", "import os, sys\nfound = [m for m in ('minigan', 'minigan.engine.graph', "
             "'minigan.optim.adam') if os.path.exists(sys.modules[m].__cached__)]\n"
             "raise RuntimeError(f'bytecode of {found}')")
    results, _ = grader.grade(root, ["unbroadcast", "sgd"], record=False, seed=SEED)
    assert "bytecode of ['minigan', 'minigan.engine.graph', 'minigan.optim.adam']" in results[0][2], results
    assert results[1][1]


def test_the_learners_process_is_handed_the_checks_and_the_librarys_code_compiled(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    adam = root / "minigan" / "optim" / "adam.py"
    adam.write_text(source.stub(adam.read_text(), "_adam_moments", "exercise adam: write it"))  # the library's runs
    init = root / "minigan" / "__init__.py"
    init.write_text(init.read_text() + "\nimport sys as _sys\n_compiled = []\n_sys.addaudithook(lambda event, args: "
                    "_compiled.append(str(args[1])) if event == 'compile' and str(args[1]).startswith('minigan') "
                    "else None)\n")
    set_body(root, "unbroadcast", "import minigan\nraise RuntimeError(f'compiled {sorted(set(minigan._compiled))}')")
    results, _ = grader.grade(root, ["unbroadcast", "adam"], record=False, seed=SEED)
    assert "raised RuntimeError: compiled []" in results[0][2], results[0][2]
    assert "not written yet" in results[1][2]


def test_bytecode_in_the_workspace_is_never_used_only_the_graders_of_its_sources(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "unbroadcast", "return 'the workspace ran'")
    graph = root / "minigan" / "engine" / "graph.py"
    forged = compile(graph.read_text().replace("return 'the workspace ran'", "return 'forged'"), str(graph), "exec")
    cache = graph.parent / "__pycache__" / f"graph.{sys.implementation.cache_tag}.pyc"
    cache.parent.mkdir(exist_ok=True)  # an "unchecked" .pyc: Python uses it whatever the source says
    cache.write_bytes(importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little") + bytes(8) + marshal.dumps(forged))
    assert _learner(root)["ran"] == "forged"  # (in the workspace itself, the attack works)
    copy = tmp_path / "copy"
    grader.copy_package(root, copy)
    assert not list(copy.rglob("*.pyc"))
    assert grader.compile_copy(copy, ["minigan", "minigan.engine", "minigan.engine.graph"]) == 3
    assert _learner(copy)["ran"] == "the workspace ran"


def test_a_source_that_does_not_compile_gets_no_bytecode_and_fails_its_exercises_naming_the_line(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    (root / "minigan" / "engine" / "graph.py").write_text("def broken(:\n")
    copy = tmp_path / "copy"
    grader.copy_package(root, copy)
    assert grader.compile_copy(copy, ["minigan.engine.graph"]) == 0
    assert not list(copy.rglob("*.pyc"))
    results, _ = grader.grade(root, ["unbroadcast"], record=False, seed=SEED)
    assert not results[0][1] and "minigan/engine/graph.py does not compile (SyntaxError at line 1" in results[0][2]


def test_a_file_many_workspaces_share_is_normalised_and_searched_once(tmp_path, monkeypatch):
    make_class(tmp_path, ["complete", "complete", "partial"])
    calls, reads = [], []
    normal_form, library_text = gradebook._normal_form, workspace.library_text
    monkeypatch.setattr(gradebook, "_normal_form", lambda text, q: calls.append(q) or normal_form(text, q))
    monkeypatch.setattr(workspace, "library_text", lambda path: reads.append(path) or library_text(path))
    first = [gradebook.copied_reference(tmp_path / "s01", e.name) for e in EXERCISES]
    assert all(first) and gradebook.suspicious(tmp_path / "s01") == []
    calls.clear(), reads.clear()
    assert [gradebook.copied_reference(tmp_path / "s02", e.name) for e in EXERCISES] == first
    assert gradebook.suspicious(tmp_path / "s02") == []
    assert calls == [] and reads == []  # the same files: nothing normalised or read from the library again
    # a file that changed is normalised again (the cache knows contents, not paths)
    set_body(tmp_path / "s02", "unbroadcast", "import ctypes\nreturn grad")
    assert not gradebook.copied_reference(tmp_path / "s02", "unbroadcast") and calls == ["unbroadcast"]
    assert gradebook.suspicious(tmp_path / "s02") == ["minigan/engine/graph.py uses ctypes"]
    partial = [gradebook.copied_reference(tmp_path / "s03", e.name) for e in EXERCISES]
    assert 0 < sum(partial) < len(EXERCISES)


def _events(monkeypatch):
    """The events the learner's process reports (start, stack, timeout, aside, ...), as (event, exercise)."""
    seen, frames = [], grader._frames

    def watched(read_end, deadline, on_frame, proc, budget=256 << 20, stream=None):
        return frames(read_end, deadline, lambda meta, arrays: seen.append((meta.get("event"), meta.get("name")))
                      or on_frame(meta, arrays), proc, budget, stream)

    monkeypatch.setattr(grader, "_frames", watched)
    return seen


def test_an_endless_loop_an_earlier_exercise_runs_into_costs_one_time_limit_not_two(tmp_path, monkeypatch):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "exp_backward", HOSTILE["loop"][1])
    events = _events(monkeypatch)
    results, _ = grader.grade(root, ["backprop", "exp_backward", "log_backward"], timeout=4, record=False,
                              seed=SEED)
    assert [(n, p) for n, p, _, _ in results] == [("backprop", True), ("exp_backward", False), ("log_backward", True)]
    assert "longer than 4 s" in results[1][2]
    # backprop, found inside exp_backward's function well past the library's time, is set aside (no verdict),
    # exp_backward is judged first and meets the time limit alone, then backprop runs again from its start: sent
    # while exp_backward was judged, it is set aside once more when exp_backward fails (it ran with that code)
    assert [e for e in events if e[0] in ("aside", "timeout")] == [("aside", "backprop"), ("timeout", "exp_backward"),
                                                                   ("aside", "backprop")], events


def test_setting_an_exercise_aside_never_changes_a_verdict(tmp_path, monkeypatch):
    root = workspace.start(tmp_path / "ws", solutions=True)
    path = root / "minigan" / "engine" / "ops" / "elementwise.py"  # a slow exp_backward, right
    path.write_text(source.replace_in_function(path.read_text(), "Exp.backward", "(out,) = self.saved_tensors",
                                               "if not globals().get('_slept'):  # (once in each exercise)\n"
                                               "            import time\n"
                                               "            globals()['_slept'] = time.sleep(2) or True\n"
                                               "        (out,) = self.saved_tensors"))
    # asked 1 s after its start, backprop is inside the 2 s sleep from about 0 to 1 s of work before it (on a loaded
    # machine that work took 0.52 s, and a 0.5 s peek found it in engine/graph.py's check_saved, short of exp)
    monkeypatch.setattr(grader, "_peek_after", lambda seconds, timeout: 1.0)
    events = _events(monkeypatch)
    results, _ = grader.grade(root, ["backprop", "exp_backward", "log_backward"], timeout=10, record=False,
                              seed=SEED)
    assert [p for _, p, _, _ in results] == [True, True, True], results
    assert [e for e in events if e[0] in ("aside", "timeout")] == [("aside", "backprop")]


def test_a_seeds_reference_is_kept_while_other_seeds_come_and_go(monkeypatch):
    """A class's reference (its seed's) outlives the single checks graded beside it: the cache drops the seed used
    least recently, one at a time, and never holds more than a few."""
    computed = []

    def compute(run, seed, torch, timeout, stop=None):
        computed.append((seed, tuple(run)))
        return {name: ({"items": [], "seed": seed}, {}) for name in run}

    monkeypatch.setattr(grader, "_REFERENCE", {})
    monkeypatch.setattr(grader, "_compute_reference", compute)
    grader.reference(["unbroadcast", "adam"], 1)
    for seed in range(2, 12):  # ten single checks, each on its own seed, while the class's students come and go
        assert grader.reference(["adam"], seed)["adam"][0]["seed"] == seed
        assert grader.reference(["unbroadcast"], 1)["unbroadcast"][0]["seed"] == 1
        assert len(grader._REFERENCE) <= 5
    assert [c for c in computed if c[0] == 1] == [(1, ("unbroadcast", "adam"))]  # computed once
    assert grader.reference(["adam"], 2)  # the least recently used went first
    assert computed[-1] == (2, ("adam",))


def test_a_class_is_graded_on_the_seed_it_is_given_and_its_journal_keeps_it(tmp_path, monkeypatch):
    make_class(tmp_path / "class", ["complete", "blank"])
    folders = gradebook.expand([tmp_path / "class"])
    seeds = []

    def grade(root, names, seed=None, **kwargs):
        seeds.append(seed)
        return [(name, True, "", 0.0) for name in grader.resolve(names)], 0.0

    monkeypatch.setattr(grader, "grade", grade)
    journal = tmp_path / "journal.jsonl"
    gradebook.grade_class(folders, ["unbroadcast"], jobs=1, journal=journal, seed=1234)
    assert seeds == [1234, 1234]
    assert json.loads(journal.read_text().splitlines()[0]) == {"seed": 1234}
    seeds.clear()
    gradebook.grade_class(folders, ["unbroadcast"], jobs=1, seed=99)
    assert seeds == [99, 99]
    seeds.clear()
    gradebook.grade_class(folders, ["unbroadcast"], jobs=1)  # no seed: one drawn for the class
    assert len(set(seeds)) == 1 and isinstance(seeds[0], int)


def test_the_exercise_sent_ahead_of_a_failed_verdict_runs_again_with_the_librarys_code(tmp_path):
    """The next exercise starts while the last is judged; when the last fails, the one sent ahead ran with its
    code, so it is set aside and runs again with the library's: add_backward passes with the library's
    unbroadcast, and would fail with this one (which sums over nothing)."""
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "unbroadcast", "return grad")
    results, _ = grader.grade(root, ["unbroadcast", "add_backward", "sub_backward"], timeout=10, seed=SEED,
                              record=False)
    assert [(n, p) for n, p, _, _ in results] == [("unbroadcast", False), ("add_backward", True),
                                                   ("sub_backward", True)], results


def _payload(meta, raw=b""):
    head = json.dumps(meta).encode()
    return grader.FORMAT + len(head).to_bytes(4, "big") + head + raw


def test_a_frame_holds_json_and_number_arrays_and_nothing_else_is_read():
    import numpy as np
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    meta, arrays = grader._parse(_payload({"name": "x", "arrays_": [["<f8", [2, 3]]]}, a.tobytes()))
    assert meta == {"name": "x"} and np.array_equal(arrays["a0"], a)
    for spec, raw in ((["|O", [1]], bytes(8)),  # an object array (a pickle's way in): no frame
                      (["<f8", [4]], bytes(16)),  # more than the payload holds
                      (["<f8", [-1]], bytes(8)), (["V8", [1]], bytes(8)), (["(2,)<f8", [1]], bytes(16)),
                      (["<f8", [1 << 62, 4]], bytes(8))):
        assert grader._parse(_payload({"name": "x", "arrays_": [spec]}, raw)) == (None, None), spec
    assert grader._parse(b"PK\x03\x04" + bytes(40)) == (None, None)  # (an .npz, as frames were: no longer read)


def test_a_frame_cut_at_the_end_of_a_slice_of_reading_is_kept_and_the_budget_counts_the_whole_pipe():
    import time

    class Alive:
        def poll(self):
            return None

    read_end, write_end = os.pipe()
    try:
        payload = _payload({"name": "x", "items": []}, b"")
        frame = grader.MAGIC + len(payload).to_bytes(8, "big") + payload
        got, stream = [], grader._Stream()
        os.write(write_end, frame[:9])  # half of it, then the slice ends
        assert grader._frames(read_end, time.perf_counter() + 0.2, lambda m, a: got.append(m), Alive(),
                              stream=stream) == "deadline"
        os.write(write_end, frame[9:])
        grader._frames(read_end, time.perf_counter() + 0.2, lambda m, a: got.append(m), Alive(), stream=stream)
        assert got == [{"name": "x", "items": []}]
        os.write(write_end, bytes(600))
        assert grader._frames(read_end, time.perf_counter() + 0.2, lambda m, a: None, Alive(), budget=1000,
                              stream=stream) == "deadline"
        os.write(write_end, bytes(600))  # 1,200 bytes on the pipe in all: over a budget of 1,000
        assert grader._frames(read_end, time.perf_counter() + 0.2, lambda m, a: None, Alive(), budget=1000,
                              stream=stream) == "too much data"
    finally:
        os.close(read_end)
        os.close(write_end)
