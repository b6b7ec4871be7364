"""Both ways a teacher grades, tested: as root (a container: each learner's process dropped to a user of its own)
and as a user with minigan installed in a venv (the sandbox in a user namespace of its own).  As a user the
library's folder is hidden by an empty tmpfs inside the sandbox: it must take no writes (it took 300 MiB and 1,500
files, through a path relative to a descriptor of that folder, and the student passed).

Run as root, the user's way runs the grader in a user namespace where it is user 1000 with no capability
(``unshare --map-user``); run as a user, the root's way is skipped (it needs root).  Where the machine cannot, each
is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

from minigan.exercises import sandbox, workspace

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the sandbox is Linux's")

# in node_apply's body, before the right answer: files of 1 MiB written into the folder that hides the library,
# by a name relative to a descriptor of that folder (the guard resolved it against the working folder, $HOME)
FILLS_THE_HIDDEN_LIBRARY = """
import os as _o
_n, _why = 0, ""
try:
    _hidden = [_l.split()[4] for _l in open("/proc/self/mountinfo") if _l.split()[4].endswith("/minigan")]
    _up = _o.path.dirname(_o.path.dirname(_hidden[0])) if _hidden else "/nowhere"
    _d = _o.open(_up, _o.O_RDONLY)  # (the folder two above: the guard keeps graded code out of the library's)
    _rel = _hidden[0][len(_up) + 1:] if _hidden else ""
    for _i in range(300):
        _f = _o.open("%s/w%d" % (_rel, _i), _o.O_WRONLY | _o.O_CREAT, 0o600, dir_fd=_d)
        _o.write(_f, b"x" * (1 << 20))
        _o.close(_f)
        _n += 1
except OSError as _e:
    _why = type(_e).__name__
raise RuntimeError("wrote %d MiB (%s);" % (_n, _why))
"""


@pytest.fixture(scope="module")
def venv():
    """A venv under /tmp with minigan installed in it (copied, as pip installs a wheel), readable by anyone."""
    where = Path(tempfile.mkdtemp(prefix="minigan-venv-", dir="/tmp"))
    where.chmod(0o755)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(where / "v")],
                   check=True, timeout=120)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(where / "v"), "platbase": str(where / "v")}))
    shutil.copytree(workspace.LIBRARY, purelib / "minigan", ignore=shutil.ignore_patterns("__pycache__"))
    yield where / "v" / "bin" / "python"
    shutil.rmtree(where, ignore_errors=True)


def _as(way):
    """The command prefix that runs the grader ``way`` ("root" or "user"), or pytest.skip with why not."""
    root = os.geteuid() == 0
    if way == "root":
        if not root:
            pytest.skip("grading as root needs root (run the suite as root, in a container, to test it)")
        return []
    if not root:
        return []
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("grading as a user, run as root, needs unshare (util-linux) to become a user")
    prefix = [unshare, "--user", "--map-user=1000", "--map-group=1000"]
    tried = subprocess.run(prefix + ["id", "-u"], capture_output=True, text=True, timeout=30)
    if tried.returncode != 0 or tried.stdout.strip() != "1000":
        pytest.skip(f"this machine cannot make a user namespace: {tried.stderr.strip()[:200]}")
    return prefix


@pytest.mark.parametrize("way", ["root", "user"])
def test_grading_works_and_nothing_is_written_or_held_past_its_bounds_either_way(venv, way):
    prefix = _as(way)
    place = Path(tempfile.mkdtemp(prefix="minigan-as-", dir="/tmp"))
    try:
        place.chmod(0o755)
        root = workspace.start(place / "ws", solutions=True)
        from product.test_grader_bounds import HOLDS_MEMFD, _prepend
        _prepend(root, "node_apply", FILLS_THE_HIDDEN_LIBRARY)
        _prepend(root, "add_backward", HOLDS_MEMFD)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(place), "TMPDIR": str(place),
               "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        probe = subprocess.run(prefix + [str(venv), "-c", "import os, minigan; from minigan.exercises import "
                                         "sandbox; print(os.geteuid(), minigan.__file__, sandbox.why_not())"],
                               capture_output=True, text=True, env=env, timeout=120, cwd=place)
        euid, where, why = (probe.stdout.split(maxsplit=2) + ["", "", ""])[:3]
        assert where.startswith(str(venv.parent.parent)), (probe.stdout, probe.stderr[-1000:])
        assert (euid == "0") == (way == "root"), probe.stdout
        if why.strip() != "None":
            pytest.skip(f"no sandbox for the grader run as {way}: {why.strip()}")
        done = subprocess.run(prefix + [str(venv), "-m", "minigan", "exercises", "check", str(root), "unbroadcast",
                                        "node_apply", "add_backward"], capture_output=True, text=True, env=env,
                              timeout=300, cwd=place)
        said = done.stdout + done.stderr[-2000:]
        assert "PASS  unbroadcast" in said, said
        assert "wrote 0 MiB" in said, said  # (300 MiB as a user before the fix)
        held = said.split("held ")[1].split(" MiB")[0] if "held " in said else "0"
        assert int(held) < 256 or "memory limit" in said, said  # (1,200 MiB before the fix)
    finally:
        subprocess.run(["rm", "-rf", str(place)], check=False)


# inside a sandbox, with no guard of the grader's: 1 MiB files written into the hidden folder argv[1] until refused;
# prints the error's name and the bytes written
INSIDE = """
import sys
n, why = 0, ""
try:
    for i in range(64):
        with open(sys.argv[1] + "/f%d" % i, "wb") as f:
            f.write(bytes(1 << 20))
        n += 1
except OSError as e:
    why = type(e).__name__
print(why, n << 20)
"""
# run by the grader's Python, as root or as a user: a sandbox showing argv[1], hiding argv[1]/hidden, running INSIDE
WRITES_INTO_THE_HIDDEN = """
import subprocess, sys
from minigan.exercises import sandbox
place, inside = sys.argv[1], sys.argv[2]
done = subprocess.run(sandbox.command([sys.executable, "-I", "-S", "-c", inside, place + "/hidden"], read=[place],
                                      hide=[place + "/hidden"]), capture_output=True, text=True)
print(done.stdout.strip() or "nothing", done.stderr[-300:])
"""


@pytest.mark.parametrize("way", ["root", "user"])
def test_the_folder_that_hides_the_library_takes_no_write_from_the_kernel_either_way(way):
    prefix = _as(way)
    place = Path(tempfile.mkdtemp(prefix="minigan-as-", dir="/tmp"))
    try:
        place.chmod(0o755)
        (place / "hidden").mkdir(mode=0o755)
        (place / "hidden" / "library.py").write_text("")
        done = subprocess.run(prefix + [sys.executable, "-c", WRITES_INTO_THE_HIDDEN, str(place), INSIDE],
                              capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, PYTHONPATH=str(workspace.REPO)))
        if sandbox.why_not() is not None or done.stdout.startswith("nothing"):
            pytest.skip(f"no sandbox here: {sandbox.why_not() or done.stdout[-300:]}")
        assert done.stdout.split()[:2] in (["OSError", "0"], ["PermissionError", "0"]), (done.stdout, done.stderr)
        assert os.listdir(place / "hidden") == ["library.py"]
    finally:
        subprocess.run(["rm", "-rf", str(place)], check=False)
