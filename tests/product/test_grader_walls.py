"""A hostile student against the class, third round (issue 99), each attack written here before its fix.

* classmates' work read from inside the sandbox: the folders the grader was given (a class under ``/srv`` or
  ``/var/tmp``, as the documented container's ``/submissions``), the gradebook and journal it writes, other
  students' copies;
* the grader's disk filled: each file is capped, the number of files was not;
* the sandbox off when the Python that runs the grader lives under ``/tmp`` (``--tmpfs /tmp`` hid it), with a
  message that blamed user namespaces.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from minigan.exercises import gradebook, grader, sandbox, workspace
from product.class_submissions import set_body

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the sandbox is Linux's")
SEED = secrets.randbits(31)
needs_sandbox = pytest.mark.skipif(sandbox.why_not() is not None,
                                   reason=f"no sandbox on this machine: {sandbox.why_not()}")


@pytest.fixture
def outside(tmp_path):
    """A folder outside /tmp, /home and /root (where a container mounts /submissions, say)."""
    for base in ("/var/tmp", "/srv", "/dev/shm"):
        if os.access(base, os.W_OK):
            folder = Path(tempfile.mkdtemp(prefix="minigan-walls-", dir=base))
            folder.chmod(0o755)  # (readable by anyone, as a teacher's folders usually are)
            yield folder
            subprocess.run(["rm", "-rf", str(folder)], check=False)
            return
    pytest.skip("no writable folder outside /tmp, /home and /root")


# the body of unbroadcast: for each place, "X" when the graded code sees anything there, "." when not
SNOOP = textwrap.dedent('''
    import os as _os
    _seen = ""
    for _place in %r:
        try:
            _seen += "X" if (_os.listdir(_place) if _os.path.isdir(_place) else open(_place).read(1)) else "."
        except OSError:
            _seen += "."
    raise RuntimeError("seen: " + _seen + ";")
''')


@needs_sandbox
def test_classmates_work_the_gradebook_and_the_journal_are_out_of_sight_wherever_they_sit(outside):
    folder = outside / "submissions"
    key = workspace.start(folder / "key", solutions=True)
    snoop = workspace.start(folder / "snoop", solutions=True)
    out = outside / "out"
    out.mkdir()
    (out / "gradebook.json").write_text("{}")
    journal = out / "journal.jsonl"
    places = [str(folder), str(key), str(key / "minigan/engine/ops/elementwise.py"), str(out),
              str(out / "gradebook.json"), str(journal), str(outside)]
    set_body(snoop, "unbroadcast", SNOOP % (places,))
    book = gradebook.grade_class([key, snoop], ["unbroadcast", "add_backward"], jobs=2, seed=SEED, journal=journal)
    rows = {e["student"]: {r["exercise"]: r for r in e["results"]} for e in book["students"]}
    assert "seen: .......;" in rows["snoop"]["unbroadcast"]["message"], rows["snoop"]["unbroadcast"]["message"]
    assert rows["key"]["unbroadcast"]["passed"] and rows["snoop"]["add_backward"]["passed"], rows


@needs_sandbox
def test_a_classmates_code_run_by_its_path_passes_nothing_and_is_flagged(outside):
    folder = outside / "submissions"
    key = workspace.start(folder / "key", solutions=True)
    snoop = workspace.start(folder / "snoop")
    set_body(snoop, "add_backward", "_k = {}\nexec(open(%r).read(), _k)\nreturn _k['Add'].backward(self, grad)"
             % str(key / "minigan/engine/ops/elementwise.py"))
    book = gradebook.grade_class([key, snoop], ["add_backward"], jobs=2, seed=SEED)
    by = {e["student"]: e for e in book["students"]}
    assert by["key"]["passed"] == 1 and by["snoop"]["passed"] == 0, by["snoop"]["results"]
    assert any("exec(" in f and f.startswith("worth a look") for f in by["snoop"]["flags"]), by["snoop"]["flags"]


# appended to the workspace's minigan/__init__.py: runs at import, before any exercise, in every writable place
FILLS_THE_DISK = textwrap.dedent('''
    import os as _os
    for _place in (_os.getcwd(), "/tmp", "/dev/shm", "/var/tmp", _os.path.expanduser("~")):
        for _i in range(20000):
            try:
                with open(f"{_place}/f{_i}", "wb") as _f:
                    _f.write(b"x" * (_i % 4 == 0 and 1 << 20 or 16))
            except OSError:
                break
''')


@needs_sandbox
def test_a_student_who_writes_file_after_file_is_stopped_at_a_written_total(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    init = root / "minigan" / "__init__.py"
    init.write_text(init.read_text() + FILLS_THE_DISK)
    flags = set()
    start = time.perf_counter()
    results, _ = grader.grade(root, ["unbroadcast", "add_backward"], timeout=10, seed=SEED, record=False,
                              flags=flags)
    assert not any(p for _, p, _, _ in results), results
    said = " ".join(m for _, _, m, _ in results) + " ".join(flags)
    assert f"{grader.WRITE_LIMIT >> 20} MiB" in said and f"{grader.WRITE_FILES} files" in said, said
    assert time.perf_counter() - start < 60


def test_the_written_total_counts_bytes_and_files_outside_a_sandbox_too(tmp_path):
    from minigan.exercises import supervise
    (tmp_path / "a").mkdir()
    for i in range(5):
        (tmp_path / "a" / f"f{i}").write_bytes(b"x" * 1000)
    assert supervise.written(str(tmp_path), files=100) == (5000, 6)  # five files and a folder
    assert supervise.written(str(tmp_path), files=3)[1] > 3  # (it stops counting past the limit)


def _venv_under_tmp(tmp_path) -> Path:
    """A Python whose prefix is under /tmp (as a venv made there), seeing this one's packages."""
    import site
    import sysconfig
    venv = Path(tempfile.mkdtemp(prefix="minigan-venv-", dir="/tmp"))
    venv.chmod(0o755)  # (as python -m venv makes it)
    (venv / "bin").mkdir()
    real = os.path.realpath(sys.executable)
    (venv / "bin" / "python").symlink_to(real)
    (venv / "pyvenv.cfg").write_text(f"home = {os.path.dirname(real)}\ninclude-system-site-packages = false\n")
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    purelib.mkdir(parents=True)
    (purelib / "here.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return venv


@pytest.mark.skipif(sandbox.why_not() is not None and "bubblewrap is not installed" in sandbox.why_not(),
                    reason="no bubblewrap")
def test_the_sandbox_works_when_the_interpreter_lives_under_tmp(tmp_path):
    venv = _venv_under_tmp(tmp_path)
    try:
        env = dict(os.environ, PYTHONPATH=str(workspace.REPO))
        root = workspace.start(tmp_path / "ws", solutions=True)
        probe = "import sys; from minigan.exercises import sandbox; assert sys.prefix.startswith('/tmp'); " \
                "print(sandbox.why_not())"
        done = subprocess.run([str(venv / "bin/python"), "-c", probe], capture_output=True, text=True, env=env,
                              timeout=120)
        assert done.stdout.strip() == "None", (done.stdout, done.stderr[-2000:])
        done = subprocess.run([str(venv / "bin/python"), "-m", "minigan", "exercises", "check", str(root),
                               "unbroadcast"], capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0 and "PASS  unbroadcast" in done.stdout, (done.stdout, done.stderr[-2000:])
    finally:
        subprocess.run(["rm", "-rf", str(venv)], check=False)


@pytest.mark.parametrize("said, names", [
    ("bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged "
     "user namespaces", "kernel.unprivileged_userns_clone"),
    ("bwrap: setting up uid map: Permission denied", "kernel.unprivileged_userns_clone"),
    ("bwrap: Creating new namespace failed: Operation not permitted", "seccomp=unconfined"),
    ("bwrap: execvp /opt/py/bin/python3: No such file or directory", "/opt/py/bin/python3"),
])
def test_when_bubblewrap_cannot_run_the_message_names_the_real_cause_and_fix(said, names):
    why = sandbox.cause(said)
    assert names in why and said.split(": ", 1)[1][:30] in why, why
