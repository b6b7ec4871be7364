"""Each learner's process in a sandbox of its own: Linux namespaces through bubblewrap (``bwrap``, Debian's
``bubblewrap`` package), a tool kept by the Flatpak project for exactly this.

Inside, the learner's code has its own PID namespace (it sees and can signal only its own processes: not a
classmate's grading, not the grader), its own network namespace (no network), its own mount namespace (the
filesystem read-only; ``/tmp``, ``/root`` and ``/home`` empty but for its copy of the workspace, read-only, its
own folder, the one place it may write, and the Python that runs it; the library's own package and tests
hidden) and its own user namespace.  The supervisor in there limits the number of processes (``RLIMIT_NPROC``,
counted per user namespace: this sandbox's alone) and adds up what every process of the tree holds in memory.
Run as root (a container), there is no user namespace: the supervisor drops the learner's process to a user of
its own (``next_uid``), as root's processes are exempt from ``RLIMIT_NPROC``, and then it cannot signal the
supervisor either.

Where there is no sandbox (macOS, Windows, no ``bwrap``, a kernel without unprivileged user namespaces),
``why_not()`` says why; the grader then says so once and grades one student at a time.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

# Processes (threads count) the learner's code may hold: its process, the fork that runs one exercise, and one more
# (forking at import may hold at most that one, under its own memory limit).
NPROC = 3
FIRST_UID = 200000  # run as root, each sandbox's learner runs as a user of its own from here (none has a home)
_UIDS = itertools.count()


def as_root() -> bool:
    return os.geteuid() == 0


def next_uid():
    """The user the next sandbox's learner runs as (root's sandboxes: a fresh one each, so that RLIMIT_NPROC counts
    that sandbox's processes alone, and so that it can signal nothing of the grader's); None otherwise."""
    if not as_root():
        return None
    return FIRST_UID + (os.getpid() % 16384) * 1024 + next(_UIDS) % 1024  # (graders running at once: not shared)


def processes() -> int:
    """RLIMIT_NPROC for the learner's process: its own tree, plus (in a user namespace of its own, where the count
    is the namespace's) bwrap's init and the supervisor."""
    return NPROC if as_root() else NPROC + 2


VEILED = ("/root", "/home")  # empty in the sandbox (your files, the submissions), but for the Python it runs


def command(argv, read=(), write=(), hide=(), keep=()) -> list:
    """``argv`` wrapped in bwrap: ``read`` folders visible read-only and ``write`` ones writable under an empty
    ``/tmp``; ``hide`` folders replaced by empty ones; ``VEILED`` ones too, but for the Python that runs the grader
    and the folders ``keep`` (its dependencies).  Run as root, no user namespace (the supervisor inside drops to a
    user of its own for the learner)."""
    wrap = [shutil.which("bwrap") or "bwrap"] + ([] if as_root() else ["--unshare-user"]) + [
        "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        "--die-with-parent", "--new-session", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
        "--tmpfs", "/tmp"]
    veiled = [v for v in VEILED if os.path.isdir(v)]
    for veil in veiled:
        wrap += ["--perms", "0755", "--tmpfs", veil]
    needed = {os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, *keep)}
    needed.add(os.path.dirname(os.path.realpath(sys.executable)))
    made = set()
    for path in sorted(needed):
        veil = next((v for v in veiled if path.startswith(v + "/")), None)
        if veil is None or not os.path.exists(path) or any(path.startswith(m + "/") for m in made):
            continue
        for parent in reversed(Path(path).parents):  # (bwrap would make them 0700)
            if str(parent).startswith(veil + "/") and str(parent) not in made:
                wrap += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        wrap += ["--ro-bind", path, path]
        made.add(path)
    for folder in hide:
        if os.path.isdir(folder):
            wrap += ["--tmpfs", str(folder)]
    for folder in read:
        wrap += ["--ro-bind", str(folder), str(folder)]
    for folder in write:
        wrap += ["--bind", str(folder), str(folder)]
    return wrap + ["--", *map(str, argv)]


def share(read=(), write=(), uid=None) -> None:
    """Let the learner's user ``uid`` (root's sandboxes) read ``read`` (folders, recursively) and write ``write``."""
    if uid is None:
        return
    for folder in read:
        for base, _, files in os.walk(folder):
            os.chmod(base, 0o755)
            for name in files:
                path = os.path.join(base, name)
                if not os.path.islink(path):
                    os.chmod(path, 0o644)
    for folder in write:
        os.chown(folder, uid, uid)
        os.chmod(folder, 0o700)


@functools.lru_cache(maxsize=None)
def why_not():
    """None where each learner's process can run in a sandbox, else why not (one line)."""
    if not sys.platform.startswith("linux"):
        return f"no sandbox on {sys.platform} (the grader's sandbox needs Linux namespaces)"
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (Debian, Ubuntu: apt-get install bubblewrap)"
    try:
        done = subprocess.run(command([sys.executable, "-I", "-S", "-c", "pass"]), capture_output=True, timeout=30,
                              start_new_session=True)
    except (OSError, subprocess.SubprocessError) as e:
        return f"bubblewrap does not run here ({type(e).__name__}: {e})"
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return "bubblewrap cannot make a sandbox here" + (f" ({said[-1][:200]})" if said else "") + \
            " (user namespaces off? sysctl kernel.unprivileged_userns_clone=1)"
    return None
