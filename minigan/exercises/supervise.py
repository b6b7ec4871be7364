"""The supervisor of the learner's process: ``python -I -S -B -c <this> SECONDS MEMORY FILE_LIMIT PYTHON RUNNER
PROCESSES UID WRITE_BYTES WRITE_FILES HOME``.

On Linux it makes itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER): a process the learner's code starts
that leaves its parent, or its session (setsid), is handed to this process instead of to init, so it can be found
and ended.  It starts ``PYTHON -I -S -B -c RUNNER`` with limits on address space, on the size of any file it
writes and on core files, waits until that process ends, SECONDS pass or the grader sends SIGTERM, then SIGKILLs
every descendant it has (again until none is left) and leaves.  Elsewhere (macOS, no prctl) it ends the process
group and session it started, which a daemon that called setsid() leaves: see docs/teaching.md.

In a sandbox (``sandbox.py``: a PID namespace of its own) PROCESSES is not 0: the learner's process may hold that
many processes and threads at most (RLIMIT_NPROC, counted in the sandbox's user namespace) and ``NOFILE``
descriptors each (RLIMIT_NOFILE: a memory file, a pipe's buffer or a descriptor in flight on a socket is held
through one), and every 50 ms this process adds up the memory its tree holds (PSS, and the memory files it holds
open, which sit in no folder and, unmapped, in no PSS); past MEMORY + ``TREE_MARGIN`` it ends them all (exit
status 99).
A UID that is not 0 (a sandbox made by root) is the user the learner's process runs as.

What the learner's processes write is counted against a written total: at most WRITE_BYTES bytes and WRITE_FILES
files and folders under HOME, the one place they may write (a tmpfs of its own in a sandbox, counted by
``statvfs``; elsewhere walked, never past the limit); past either, all are ended (exit status 97).  On leaving it
prints ``written BYTES FILES`` on its stdout (the learner's process writes to /dev/null instead), so the grader
counts a student's processes together.
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


NOFILE = 64  # descriptors each of the learner's processes may hold open (in a sandbox; an exercise runs with 6)
TREE_MARGIN = 256 << 20  # bytes the whole tree may hold beyond one process's limit (the fork shares its parent's)


def _held(pids):
    """Bytes the processes ``pids`` hold in memory, each shared page counted once in all (Linux's PSS), and the
    memory files they hold open (``os.memfd_create``: in no folder and, unmapped, in no process's PSS), each
    file once."""
    total, files = 0, {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) << 10
                        break
        except (OSError, ValueError, IndexError):
            pass
        files.update(_memory_files(pid))
    return total + sum(files.values())


def _memory_files(pid) -> dict:
    """{(device, inode): bytes} of the memory files (memfd) process ``pid`` holds open."""
    found = {}
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return found
    for fd in fds[:NOFILE + 16]:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("/memfd:"):
                info = os.stat(f"/proc/{pid}/fd/{fd}")
                found[(info.st_dev, info.st_ino)] = info.st_blocks * 512
        except OSError:
            pass
    return found


def _reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def written(home, files) -> tuple:
    """(bytes, files and folders) under ``home``: ``statvfs`` when it is a file system of its own (a sandbox's
    tmpfs: every byte and inode there is the learner's), else a walk that stops once past ``files`` entries."""
    try:
        if os.path.ismount(home):
            fs = os.statvfs(home)
            return (fs.f_blocks - fs.f_bfree) * fs.f_frsize, max(0, fs.f_files - fs.f_ffree - 1)
    except OSError:
        pass
    size, count, todo = 0, 0, [home]
    while todo and count <= files:
        try:
            with os.scandir(todo.pop()) as entries:
                for entry in entries:
                    count += 1
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(entry.path)
                    elif entry.is_file(follow_symlinks=False):
                        size += entry.stat(follow_symlinks=False).st_size
        except OSError:
            pass
    return size, count


def _limits(memory, file_limit, processes, uid):
    """In the learner's process, before it runs the learner's Python: the limits, its own user, stdout to null."""
    try:
        import resource
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if processes:  # (counted per user namespace: in the sandbox, this tree's alone)
            resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
            # what a process holds outside any folder or mapping is held through a descriptor (a memory file, a
            # pipe's buffer, a descriptor in flight on a socket, which Linux bounds by the sender's limit too): at
            # most NOFILE of them, each at most the file-size limit (memory files) or 1 MiB (pipes)
            resource.setrlimit(resource.RLIMIT_NOFILE, (NOFILE, NOFILE))
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
        if uid:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
    except (ImportError, ValueError, OSError):
        if uid:
            os._exit(98)  # (never run the learner's code as root)


def _watch(pid, seconds, memory, processes, home, budget, stop):
    """Wait until the learner's process ends, time is up, SIGTERM came, its tree holds too much memory or it wrote
    past ``budget``; returns (its wait status, the exit status that says why the tree was ended, or None)."""
    deadline, status, look = time.monotonic() + seconds, 0, 0
    cheap = os.path.ismount(home)  # (a sandbox's tmpfs: statvfs costs nothing; a walk is done every 0.2 s)
    while not stop and time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status, None
        look += 1
        if processes and memory and look % 5 == 0 and _held(_children_of(os.getpid())) > memory + TREE_MARGIN:
            return 0, 99  # the tree holds more than one process may: all ended
        if home and (cheap or look % 20 == 0):
            size, count = written(home, budget[1])
            if size > budget[0] or count > budget[1]:
                return 0, 97  # written past the total
        time.sleep(0.01)
    return status, None


def _end_all(pid, subreaper):
    """SIGKILL every descendant (again until none is left: a process forking while we look is found next round)."""
    for _ in range(100):
        left = _children_of(os.getpid()) if subreaper else [pid]
        for child in left:
            try:
                os.kill(child, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if not subreaper:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.005)
        _reap()
        if not left or not _children_of(os.getpid()):
            break
    _reap()


def main():
    seconds, memory, file_limit, python, runner = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), \
        sys.argv[4], sys.argv[5]
    processes = int(sys.argv[6]) if len(sys.argv) > 6 else 0  # in a sandbox: RLIMIT_NPROC and the tree's memory
    uid = int(sys.argv[7]) if len(sys.argv) > 7 else 0  # (a root's sandbox: the learner's user)
    budget = (int(sys.argv[8]), int(sys.argv[9])) if len(sys.argv) > 9 else (0, 0)
    home = sys.argv[10] if len(sys.argv) > 10 else ""
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
        _limits(memory, file_limit, processes, uid)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.execv(python, [python, "-I", "-S", "-B", "-c", runner])
    status, why = _watch(pid, seconds, memory, processes, home, budget, stop)
    _end_all(pid, subreaper)
    if home:
        print("written %d %d" % written(home, budget[1]), flush=True)
    if why:
        sys.exit(why)  # (the grader: 99 "its processes together held more than the memory limit", 97 "wrote ...")
    sys.exit(100 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0)  # how the learner's process ended


if __name__ == "__main__":
    main()
