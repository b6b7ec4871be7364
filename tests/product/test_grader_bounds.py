"""What a student hands back costs the grader what its bytes justify, and no more; every resource a student's
processes hold is bounded (each attack here was written before its fix).

* a recorded value's dtype is data to check: ``"(100000000,)f8"`` (a subarray dtype) in a 54-byte leaf made an
  800 MB array in the grader, a tuple of such leaves any multiple of it; an object dtype made Python objects;
* a frame's meta within the frame's size bound was parsed whatever its shape: 63 MiB of nested empty objects cost
  the grader about 2 GiB;
* every ``exercises check`` and ``grade`` left a ``minigan-deps-*`` folder in the temp directory;
* memory files (``os.memfd_create``, 1 MiB each under the file-size limit) sat outside every bound: 1,200 MiB held
  and the exercise passed;
* the guard's "no write outside $HOME" resolved a name relative to a folder's descriptor (``dir_fd``) against $HOME
  (graded as a user, that wrote into the tmpfs that hides the library: ``test_grader_as_user.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc

import pytest

from minigan.exercises import frames, grader, sandbox, split, supervise, workspace

needs_sandbox = pytest.mark.skipif(sandbox.why_not() is not None,
                                   reason=f"no sandbox on this machine: {sandbox.why_not()}")
HUGE = "(100000000,)f8"  # a subarray dtype: one element of it is 800 MB


def _peak(fn) -> int:
    """Bytes the grader's process allocated at its peak while running ``fn`` (NumPy's arrays included)."""
    tracemalloc.start()
    try:
        try:
            fn()
        except Exception:  # noqa: BLE001 - refused or not: only what it cost is measured here
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("leaf", [
    {"array": [0], "dtype": HUGE},
    {"tuple": [{"array": [0], "dtype": HUGE}] * 4},
    {"array": [[0]], "dtype": "(10000,10000)f8"},
    {"set": [{"dtype": HUGE}]},
], ids=["subarray-leaf", "tuple-of-leaves", "2d-subarray", "set-of-dtypes"])
def test_a_recorded_dtype_is_checked_before_anything_is_made_of_it(leaf):
    assert len(json.dumps(leaf)) < 200
    assert _peak(lambda: split.decode(leaf)) < 1 << 20
    with pytest.raises(split.Opaque):
        split.decode(leaf)


@pytest.mark.parametrize("dtype", ["O", "object", "V8", "S4", "U3", "M8[s]", "f8,i4", "[('a','f8')]", "c16"])
def test_only_plain_number_dtypes_are_decoded(dtype):
    with pytest.raises(split.Opaque):
        split.decode({"array": [0], "dtype": dtype})
    with pytest.raises(split.Opaque):
        split.decode({"dtype": dtype})


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int8", "uint8", "bool", "float16", "<f4", "|b1"])
def test_the_dtypes_a_check_records_still_decode(dtype):
    import numpy as np
    assert split.decode({"array": [1, 0], "dtype": dtype}).dtype == np.dtype(dtype)
    assert split.decode({"dtype": dtype}) == np.dtype(dtype)


def test_an_array_leaf_larger_than_the_checks_record_is_refused():
    with pytest.raises(split.Opaque):
        split.decode({"array": [0] * 100000, "dtype": "float64"})


def _payload(meta, data=b""):
    head = json.dumps(meta).encode()
    return frames.FORMAT + len(head).to_bytes(4, "big") + head + data


@pytest.mark.parametrize("spec", [[HUGE, []], ["O", [1]], ["f8", [1 << 40, 0]], ["f8", [1 << 32, 1 << 32]],
                                  ["f8", [-1, -8]], ["f8", [1] * 100]],
                         ids=["subarray", "object", "huge-empty", "overflow", "negative", "too-many-axes"])
def test_a_frames_array_spec_is_checked_against_its_bytes(spec):
    meta, arrays = frames.parse(_payload({"name": "x", "arrays_": [spec]}, b"\0" * 64))
    assert meta is None and arrays is None


def test_a_frames_array_within_its_bytes_is_read():
    import numpy as np
    meta, arrays = frames.parse(_payload({"name": "x", "arrays_": [["<f8", [2, 2]]]}, np.arange(4.0).tobytes()))
    assert meta == {"name": "x"} and arrays["a0"].tolist() == [[0, 1], [2, 3]]


@pytest.mark.parametrize("shape", ["empty-objects", "empty-lists", "deep", "numbers"])
def test_a_frames_meta_costs_the_grader_what_its_bytes_justify(shape):
    size = 8 << 20  # (the frame was 63 MiB: the cost per byte is what is measured)
    body = {"empty-objects": lambda: "[" + "{}," * (size // 3) + "{}]",
            "empty-lists": lambda: "[" + "[]," * (size // 3) + "[]]",
            "deep": lambda: '{"name": "x", "items": ' + "[" * 100000 + "]" * 100000 + "}",
            "numbers": lambda: "[" + "0.5," * (size // 4) + "0.5]"}[shape]().encode()
    payload = frames.FORMAT + len(body).to_bytes(4, "big") + body
    peak = _peak(lambda: frames.parse(payload))
    assert peak < 4 * len(payload), f"{peak >> 20} MiB for a {len(payload) >> 20} MiB frame"
    assert frames.parse(payload) == (None, None)


def test_the_largest_meta_a_check_records_is_parsed():
    # (a solved workspace's largest, backprop's, is 14 KB, 746 values, 8 deep: this is ten times its values)
    items = [{"kind": "check", "label": "x" * 400, "more": {"id": "autodiff:1:2", "leaves": {
        str(k): {"tuple": [[{"array": [0.5] * 8, "dtype": "float64"}] * 4] * 4} for k in range(4)}}}] * 12
    meta = {"name": "x", "error": None, "items": items, "seconds": 0.1, "blocked": [], "denied": []}
    got, _ = frames.parse(_payload(meta))
    assert got == json.loads(json.dumps(meta))


@pytest.mark.parametrize("how", ["normal", "error", "interrupt", "exit"])
def test_the_dependencies_folder_is_removed_on_every_way_out(tmp_path, how):
    end = {"normal": "pass", "error": "raise ValueError('a bug')", "interrupt": "raise KeyboardInterrupt",
           "exit": "raise SystemExit(130)"}[how]
    done = subprocess.run([sys.executable, "-c", "from minigan.exercises import grader\n"
                           f"print(grader._numpy_only()[0], flush=True)\n{end}"], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(workspace.REPO), TMPDIR=str(tmp_path)), timeout=60)
    assert done.stdout.strip().startswith(str(tmp_path / "minigan-deps-")), (done.stdout, done.stderr[-500:])
    assert os.listdir(tmp_path) == [], (os.listdir(tmp_path), done.stderr[-500:])


@pytest.mark.parametrize("command, how", [
    ("check", "normal"), ("check", "error"), pytest.param("check", "interrupt", marks=pytest.mark.slow),
    pytest.param("grade", "interrupt", marks=pytest.mark.slow)])
def test_check_and_grade_leave_no_temp_folder_on_any_exit(tmp_path, command, how):
    import signal
    import time
    root = workspace.start(tmp_path / "class" / "ws", solutions=True)
    temp = tmp_path / "tmp"
    temp.mkdir()
    names = ["unbroadcast", "topological_order", "backprop"] if how == "interrupt" else ["unbroadcast"]
    if how == "error":
        names = ["no_such_exercise"]
    args = [str(root), *names] if command == "check" else \
        [str(root.parent), "--names", *names, "--csv", str(tmp_path / "g.csv")]
    proc = subprocess.Popen([sys.executable, "-m", "minigan", "exercises", command, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=str(workspace.REPO),
                                                             TMPDIR=str(temp)),
                            cwd=tmp_path, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    if how == "interrupt":  # Ctrl-C once its learner's process runs
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(p.startswith("minigan-run-") for p in os.listdir(temp)):
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    left = [p for p in os.listdir(temp) if p.startswith("minigan-")]
    assert not left, (left, proc.returncode, out[-500:], err[-1000:])
    assert (proc.returncode == 0) == (how == "normal"), (proc.returncode, err[-1000:])


# a solved node_apply whose body first makes the checks record every value as a tuple of four 800 MB leaves
TUPLE_OF_LEAVES = "import sys as _s\n_s.modules['_minigan_exercise_checks.base'].__dict__['_encode'] = " \
                  "lambda v, depth=0: {'tuple': [{'array': [0], 'dtype': '(100000000,)f8'}] * 4}\n"


def _prepend(root, name, code):
    """Put ``code`` before the body of exercise ``name``'s (solved) function: the attack, then the right answer."""
    from minigan.exercises import source
    from minigan.exercises.catalogue import BY_NAME
    path, qualname = source.split_target(BY_NAME[name].targets[0])
    text = (root / path).read_text()
    first, _, indent = source.body_span(text, qualname)
    lines = text.splitlines(keepends=True)
    lines.insert(first - 1, "".join(" " * indent + line + "\n" for line in code.strip("\n").splitlines()))
    (root / path).write_text("".join(lines))


@pytest.mark.slow
def test_a_student_who_records_subarray_dtypes_costs_the_grader_nothing(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    _prepend(root, "node_apply", TUPLE_OF_LEAVES)
    probe = ("import resource\nfrom minigan.exercises import grader\n"
             f"r, _ = grader.grade({str(root)!r}, ['node_apply'], seed=7, record=False)\n"
             "print(r[0][1], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(workspace.REPO)))
    passed, peak = done.stdout.split()[-2:]
    assert passed == "False" and int(peak) < 400, (done.stdout, done.stderr[-1000:])  # (6,165 MiB before the fix)


# memory that sits in no folder and no mapping: memfd files of 1 MiB each (under the file-size limit), held open
HOLDS_MEMFD = """
import os as _os
_held = getattr(_os, "_held", [])
_os._held = _held
for _i in range(1200):
    try:
        _fd = _os.memfd_create("m%d" % _i)
        _os.write(_fd, b"x" * (1 << 20))
        _held.append(_fd)
    except OSError:
        break
raise RuntimeError("held %d MiB;" % len(_held))
"""


@needs_sandbox
def test_memfd_files_count_against_the_memory_bound(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    _prepend(root, "node_apply", HOLDS_MEMFD)
    results, _ = grader.grade(root, ["node_apply"], seed=7, record=False)
    message = results[0][2]
    held = int(message.split("held ")[1].split(" MiB")[0]) if "held " in message else 0
    bound = (grader.MEMORY + supervise.TREE_MARGIN) >> 20
    assert held < bound // 2 or "memory limit" in message, message  # (1,200 MiB held before the fix)


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="no memfd_create on this system")
def test_the_supervisors_sum_of_memory_counts_memory_files_held_open(monkeypatch):
    # (the memory files alone, exactly: the process's PSS moves whenever another process maps the same pages)
    def files():
        return sum(supervise._memory_files(os.getpid()).values())
    before = files()
    fd = os.memfd_create("held")
    try:
        os.write(fd, b"x" * (16 << 20))
        assert files() - before == 16 << 20
        again = os.dup(fd)
        assert files() - before == 16 << 20  # (one file held twice, counted once)
        os.close(again)
    finally:
        os.close(fd)
    monkeypatch.setattr(supervise, "_memory_files", lambda pid: {(0, pid): 1 << 40})
    assert supervise._held([os.getpid()]) > 1 << 40  # (and the sum adds them to the processes' PSS)


def test_the_guard_opens_no_folder_outside_home_where_a_relative_name_would_land(tmp_path):
    from minigan.exercises import runner
    home, outside = tmp_path / "home", tmp_path / "library"
    (home / "sub").mkdir(parents=True)
    outside.mkdir()
    state = {"blocked": [], "denied": [], "locked": True, "parent": os.getpid()}
    hook = runner._guard([], [], str(home), state)
    with pytest.raises(PermissionError, match="folder"):
        hook("open", (str(outside), None, os.O_RDONLY))  # (then os.open("w0", ..., dir_fd=it) writes there)
    assert state["denied"] and "opening the folder" in state["denied"][0]
    hook("open", (str(home / "sub"), None, os.O_RDONLY))  # (a folder under $HOME: what is written there is counted)
    hook("open", (str(home), None, os.O_RDONLY))
    hook("open", (str(outside), "r", 0))  # (open() of a folder fails by itself)
