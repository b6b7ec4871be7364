"""Each learner's process in a sandbox of its own: Linux namespaces through bubblewrap (``bwrap``, Debian's
``bubblewrap`` package), a tool kept by the Flatpak project for exactly this.

Inside, the learner's code has its own PID namespace (it sees and can signal only its own processes: not a
classmate's grading, not the grader), its own network namespace (no network), its own mount namespace and its own
user namespace.  Its filesystem is a root of its own, read-only, holding the system (``/usr``, ``/etc``, the
``/lib`` links), the Python that runs it and its dependencies, its copy of the workspace and one empty writable
folder of a bounded size: nothing else of the machine (no class folder, gradebook, journal or other student's copy,
wherever they sit; the library's own package and tests hidden where they lie inside what is shown).
The supervisor in there limits the number of processes (``RLIMIT_NPROC``,
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


SYSTEM = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc")  # the system, read-only; nothing else of
# the machine's filesystem is in the sandbox (not /srv, /opt, /work, /home, /tmp: wherever a class or a gradebook sits)


def command(argv, read=(), write=(), hide=(), keep=(), size=None) -> list:
    """``argv`` wrapped in bwrap, on a root of its own that holds the system (``SYSTEM``), the Python that runs the
    grader (its prefixes, wherever they live: under /tmp too), the folders ``keep`` (its dependencies) and ``read``
    read-only, and ``write``: each an empty folder of its own (a tmpfs of ``size`` bytes when given, so what the
    learner's code writes there is bounded by the kernel and gone when it ends), the only writable place.  ``hide``
    folders inside what is shown are replaced by empty ones, read-only (a tmpfs of 4 KiB remounted read-only: in a
    user namespace the learner's user owns it).  Run as root, no user namespace (the supervisor inside drops to a
    user of its own for the learner)."""
    wrap = [shutil.which("bwrap") or "bwrap"] + ([] if as_root() else ["--unshare-user"]) + [
        "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        "--die-with-parent", "--new-session", "--proc", "/proc", "--dev", "/dev"]
    shown = []
    for top in SYSTEM:
        path = "/" + top
        if os.path.islink(path):
            wrap += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            wrap += ["--ro-bind", path, path]
            shown.append(path)
    needed = {os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, *keep, *read)}
    needed.add(os.path.dirname(os.path.realpath(sys.executable)))
    needed.add(os.path.dirname(os.path.abspath(sys.executable)))  # (a venv's bin/python, a link)
    made = set()
    for path in sorted(needed, key=len):
        if not os.path.exists(path) or any(path == m or path.startswith(m + "/") for m in shown):
            continue
        wrap += _parents(path, made, shown) + ["--ro-bind", path, path]
        shown.append(path)
    for folder in write:
        folder = os.path.realpath(folder)
        wrap += _parents(folder, made, shown) + ["--perms", "0777"] + \
            (["--size", str(size)] if size and _knows("--size") else []) + ["--tmpfs", folder]
    for folder in hide:  # (empty, read-only and as small as a tmpfs is: a learner's user owns it in a user namespace)
        folder = os.path.realpath(folder)
        if os.path.isdir(folder) and any(folder.startswith(m + "/") for m in shown):
            wrap += ["--perms", "0555"] + (["--size", "4096"] if _knows("--size") else []) + \
                ["--tmpfs", folder, "--remount-ro", folder]
    return wrap + ["--remount-ro", "/", "--remount-ro", "/dev", "--", *map(str, argv)]


@functools.lru_cache(maxsize=None)
def _knows(option) -> bool:
    """Does this bwrap take ``option``?  (``--size``: bubblewrap 0.7 and later; without it the supervisor's count of
    what was written still bounds the folder, every 10 ms.)"""
    try:
        said = subprocess.run([shutil.which("bwrap") or "bwrap", "--help"], capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return option.encode() in said.stdout + said.stderr


def _parents(path, made, shown) -> list:
    """bwrap's arguments that make ``path``'s missing parents in the sandbox's root, readable by anyone (bwrap would
    make them 0700: the learner's user of a root's sandbox could not pass)."""
    args = []
    for parent in reversed(Path(path).parents):
        parent = str(parent)
        if parent == "/" or parent in made or any(parent == s or parent.startswith(s + "/") for s in shown):
            continue
        args += ["--perms", "0755", "--dir", parent]
        made.add(parent)
    return args


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
    """None where each learner's process can run in a sandbox, else why not and what to do (one line)."""
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
        return cause(said[-1] if said else f"bwrap: it ended with status {done.returncode}, saying nothing")
    return None


def cause(said) -> str:
    """What bubblewrap's last line of complaint ``said`` means, and what to do about it (one line)."""
    words = said.partition(": ")[2] or said
    if "uid map" in said or "non-privileged user namespaces" in said or "No permissions to creat" in said:
        fix = "this kernel keeps user namespaces from users: sysctl kernel.unprivileged_userns_clone=1 (Debian), " \
              "or kernel.apparmor_restrict_unprivileged_userns=0 (Ubuntu 24.04), or grade as root in a container"
    elif "Operation not permitted" in said:
        fix = "a container's seccomp profile refuses the namespaces: run it with --security-opt seccomp=unconfined " \
              "(docs/teaching.md)"
    elif "execvp" in said or "No such file" in said:
        fix = f"the sandbox could not run {said.split('execvp ')[-1].split(':')[0]}: it shows the system, the " \
              "Python's prefix and its packages; report the place this Python lives"
    else:
        fix = "see docs/teaching.md, 'Running students' code safely'"
    return f"bubblewrap cannot make a sandbox here ({words[:200]}): {fix}"
