"""The supervisor of the learner's process: ``python -I -S -B -c <this> SECONDS MEMORY FILE_LIMIT PYTHON RUNNER
PROCESSES UID``.

On Linux it makes itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER): a process the learner's code starts
that leaves its parent, or its session (setsid), is handed to this process instead of to init, so it can be found
and ended.  It starts ``PYTHON -I -S -B -c RUNNER`` with limits on address space, on the size of any file it
writes and on core files, waits until that process ends, SECONDS pass or the grader sends SIGTERM, then SIGKILLs
every descendant it has (again until none is left) and leaves.  Elsewhere (macOS, no prctl) it ends the process
group and session it started, which a daemon that called setsid() leaves: see docs/teaching.md.

In a sandbox (``sandbox.py``: a PID namespace of its own) PROCESSES is not 0: the learner's process may hold that
many processes and threads at most (RLIMIT_NPROC, counted in the sandbox's user namespace), and every 50 ms this
process adds up the memory its tree holds (PSS); past MEMORY + ``TREE_MARGIN`` it ends them all (exit status 99).
A UID that is not 0 (a sandbox made by root) is the user the learner's process runs as.
"""

import os
import signal
import sys
import time


def _children_of(pid):
    """Every descendant of ``pid`` (Linux's /proc)."""
    parents = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
                parents.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


TREE_MARGIN = 256 << 20  # bytes the whole tree may hold beyond one process's limit (the fork shares its parent's)


def _held(pids):
    """Bytes the processes ``pids`` hold in memory, each shared page counted once in all (Linux's PSS)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) << 10
                        break
        except (OSError, ValueError, IndexError):
            pass
    return total


def _reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main():
    seconds, memory, file_limit, python, runner = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), \
        sys.argv[4], sys.argv[5]
    processes = int(sys.argv[6]) if len(sys.argv) > 6 else 0  # in a sandbox: RLIMIT_NPROC and the tree's memory
    uid = int(sys.argv[7]) if len(sys.argv) > 7 else 0  # (a root's sandbox: the learner's user)
    subreaper = False
    try:
        import ctypes
        subreaper = ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    pid = os.fork()
    if pid == 0:
        try:
            import resource
            if memory:
                resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            if processes:  # (counted per user namespace: in the sandbox, this tree's alone)
                resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
            if uid:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
        except (ImportError, ValueError, OSError):
            if uid:
                os._exit(98)  # (never run the learner's code as root)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.execv(python, [python, "-I", "-S", "-B", "-c", runner])
    deadline, status, look, over = time.monotonic() + seconds, 0, 0, False
    while not stop and time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        look += 1
        if processes and memory and look % 5 == 0 and _held(_children_of(os.getpid())) > memory + TREE_MARGIN:
            status, over = 0, True
            break  # the tree holds more than one process may: all ended
        time.sleep(0.01)
    for _ in range(100):  # end them all; a process forking while we look is found on the next round
        left = _children_of(os.getpid()) if subreaper else [pid]
        for child in left:
            try:
                os.kill(child, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if not subreaper:
            for group in (pid,):
                try:
                    os.killpg(group, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        time.sleep(0.005)
        _reap()
        if not left or not _children_of(os.getpid()):
            break
    _reap()
    if over:
        sys.exit(99)  # (the grader: "its processes together held more than the memory limit")
    sys.exit(100 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0)  # how the learner's process ended


if __name__ == "__main__":
    main()
