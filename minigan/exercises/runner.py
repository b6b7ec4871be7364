"""Run the checks of some exercises and hand back only DATA: what each check observed, in order.

``grader.py`` runs this file's text with ``python -I -S -B -c`` in two roles, reading a job (JSON) on stdin:

* ``"student"``: in the learner's process.  ``sys.path`` is the grader's: a private copy of the workspace's
  ``minigan/`` and a folder that holds only NumPy, then the standard library; no start-up file runs and the
  reference library is neither on the path nor openable (an audit hook refuses to open a file under it, to start
  a program or to fork past the exercise's own process).  Each exercise runs in a fork that records what the
  learner's functions returned on the grader's inputs, and the values each condition looks at
  (``checks.base.ROLE = "student"``, the checks in the learner's build of ``split.py``: nothing expected,
  nothing judged), and writes it as one frame.
* ``"reference"``: in the grader's own trusted process, on the library: records what is expected.

A frame is ``MAGIC``, 8 bytes of length, then ``FORMAT``, the meta (JSON) and the arrays' raw bytes (no pickles).
Nothing in a frame is a verdict: ``grader.py`` compares the two records itself.
"""

import binascii
import json
import marshal
import os
import select
import signal
import sys
import time
import traceback
import types

FRAME_LIMIT = 64 << 20
MAGIC = b"\x00minigan-frame\x00"  # where a frame starts: what else lands on the pipe is skipped


def _frame(fd, meta, arrays=()):
    import numpy as np
    specs, chunks = [], []
    for a in arrays:  # (raw bytes after the meta: np.savez's zip and np.load's header parsing cost more than the
        a = np.ascontiguousarray(a)  # checks of a small exercise)
        specs.append([a.dtype.str, list(a.shape)])
        chunks.append(a.tobytes())
    head = json.dumps(dict(meta, arrays_=specs) if specs else meta).encode()
    data = FORMAT + len(head).to_bytes(4, "big") + head + b"".join(chunks)
    if len(data) > FRAME_LIMIT:
        small = json.dumps({"name": meta.get("name"), "error": "the values it returned are too large to hand back"})
        data = FORMAT + len(small.encode()).to_bytes(4, "big") + small.encode()
    data = MAGIC + len(data).to_bytes(8, "big") + data
    while data:
        data = data[os.write(fd, data):]


FORMAT = b"MGF1"  # a frame's payload: this, 4 bytes of the meta's length, the meta (JSON; "arrays_": [[dtype, shape],
# ...] for the arrays a0, a1, ... that follow it, raw, in order); never a pickle


WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
CHANGES = ("os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.symlink", "os.link", "os.truncate", "os.chmod",
           "os.chown", "os.utime", "shutil.copyfile", "shutil.copytree", "shutil.move", "shutil.rmtree")


def _guard(blocked, allowed, home, state):
    """An audit hook: no file under the reference library, no file written outside the process's own folder,
    no new program, no fork once an exercise runs."""
    blocked, allowed, home = tuple(blocked), tuple(allowed), os.path.realpath(home) + os.sep
    realpath = os.path.realpath

    def real_of(path):
        if isinstance(path, int):
            return None
        path = os.fsdecode(path)
        return realpath(path)

    def hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes)):
            try:
                real = real_of(args[0])
            except Exception:  # noqa: BLE001
                return
            if real.startswith(blocked) and not real.startswith(allowed):
                state["blocked"].append(real[:300])
                raise PermissionError(f"the grader does not let graded code open {args[0]!r}")
            mode, flags = (args + (None, None))[1:3]
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                (isinstance(flags, int) and flags & WRITES)
            outside = not (real + os.sep).startswith(home)
            if writes and state["locked"] and outside:
                state["denied"].append(f"writing {real[:200]}")
                raise PermissionError(f"the grader does not let graded code write {args[0]!r} (only under $HOME)")
            # a folder's descriptor (os.open) is where a name relative to it (dir_fd=) lands, which this hook, given
            # the name alone, would place under the working folder: only folders under $HOME are opened so
            if state["locked"] and mode is None and outside and os.path.isdir(real):
                state["denied"].append(f"opening the folder {real[:200]}")
                raise PermissionError(f"the grader does not let graded code open the folder {args[0]!r} (only "
                                      "folders under $HOME)")
        elif event in CHANGES and state["locked"]:
            for path in args[:2]:
                try:
                    real = real_of(path) if isinstance(path, (str, bytes, os.PathLike)) else None
                except Exception:  # noqa: BLE001
                    real = None
                if real is not None and not real.startswith(home):
                    state["denied"].append(f"{event} {real[:200]}")
                    raise PermissionError(f"the grader does not let graded code change {path!r}")
        elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "pty.spawn",
                       "os.startfile", "ctypes.dlopen") and state["locked"]:
            state["denied"].append(event)
            raise PermissionError(f"the grader does not let graded code use {event}")
        elif event in ("os.fork", "os.forkpty") and state["locked"] and os.getpid() != state["parent"]:
            state["denied"].append(event)
            raise PermissionError("the grader does not let graded code start processes (os.fork)")

    return hook


def _where(exc):
    place = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        name = frame.filename.replace("\\", "/")
        if "/minigan/" in name:
            place = f"minigan/{name.rsplit('/minigan/', 1)[1]}:{frame.lineno}"
    return place


def _describe(exc, fail_type):
    if isinstance(exc, fail_type):
        return str(exc)
    if isinstance(exc, NotImplementedError) and str(exc).startswith("exercise "):
        return f"not written yet ({exc})"
    where = _where(exc)
    if isinstance(exc, MemoryError):
        return "ran out of memory (over the grader's limit for one exercise)" + (f" (at {where})" if where else "")
    message = str(exc).splitlines()[0] if str(exc) else ""
    return f"raised {type(exc).__name__}: {message[:300]}" + (f" (at {where})" if where else "")


class Context:
    """What a check is handed (``check_<name>(ctx)``): nothing of the library.  A check that compares with what the
    library's own code gives runs the code under test in both processes; the library's run, in the grader's
    process, is the expected value (no reference is run in the learner's process, not even the learner's own)."""

    def __init__(self, functions):
        self._functions = functions


def _run_checks(name, checks, features, seed):
    """Run exercise ``name``'s checks and the features built on it; the record plus the error that ended it."""
    import numpy as np

    import minigan
    checks.RECORD.clear()
    error = None
    for label, run in [(None, getattr(checks, "check_" + name))] + list(features):
        if label is not None:
            checks.RECORD.append(("feature", label, None, None))
        minigan.manual_seed(seed)
        np.random.seed(seed % (1 << 32))
        try:
            run()
        except BaseException as e:  # noqa: BLE001 - SystemExit, KeyboardInterrupt... from the learner's code
            error = _describe(e, checks.Fail)
            break
        finally:
            checks.reset()
    return list(checks.RECORD), error


def _pack(name, record, error, extra):
    import numpy as np
    meta, arrays = {"name": name, "error": error, "items": [], **extra}, []
    for kind, label, value, more in record:
        item = {"kind": kind, "label": str(label)[:400]}
        if isinstance(value, np.ndarray):
            item["array"] = len(arrays)
            arrays.append(value)
        elif value is None or isinstance(value, bool):
            item["value"] = value
        if more is not None:
            item["more"] = more
        meta["items"].append(item)
    return meta, arrays


def _child(name, job, checks, functions, data_fd, state):
    try:
        os.setpgid(0, 0)
    except OSError:
        pass

    def where(signum, frame):  # say where the code is, for the grader to grade the exercise it is stuck in
        places = []            # first (a hint for the order, never a verdict)
        # an exercise's function by the code it runs now (its own or the reference's): Python 3.10's code has no
        # co_qualname, and the grader looks for the exercises' qualified names only
        targets = {getattr(f, "__code__", None): target.split("::")[1] for target, f in functions.items()}
        while frame is not None and len(places) < 40:
            if "/minigan/" in frame.f_code.co_filename.replace("\\", "/"):
                places.append([frame.f_code.co_filename.replace("\\", "/").rsplit("/minigan/", 1)[1],
                               targets.get(frame.f_code, frame.f_code.co_name)])
            frame = frame.f_back
        _frame(data_fd, {"name": name, "event": "stack", "where": places, "peek": signum == signal.SIGUSR2})
        if signum == signal.SIGUSR1:  # the time limit is near: this was the last word
            os._exit(0)

    try:
        signal.signal(signal.SIGUSR1, where)
        signal.signal(signal.SIGUSR2, where)  # long past the library's time: asked, it goes on
        state["locked"] = True
        features = [(label, (lambda f=f: f(Context(functions)))) for label, f in checks.FEATURES.get(name, ())]
        check = getattr(checks, "check_" + name)
        checks.__dict__["check_" + name] = lambda: check(Context(functions))
        start = time.perf_counter()
        record, error = _run_checks(name, checks, features, job["seed"])
        signal.signal(signal.SIGUSR2, signal.SIG_IGN)  # (a late question must not cut the record's frame in two)
        extra = {"seconds": round(time.perf_counter() - start, 3), "blocked": state["blocked"][:5],
                 "denied": state["denied"][:5]}
        if job["role"] == "reference":  # the modules the checks imported: the grader compiles those of the copy
            extra["modules"] = sorted(m for m in sys.modules if m == "minigan" or m.startswith("minigan."))
        meta, arrays = _pack(name, record, error, extra)
        _frame(data_fd, meta, arrays)
    except BaseException as e:  # noqa: BLE001
        try:
            _frame(data_fd, {"name": name, "error": f"the check could not hand back its data ({type(e).__name__})"})
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(0)


def _status(status):
    if os.WIFSIGNALED(status):
        try:
            return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
        except ValueError:
            return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status)}"


def _grade_in_fork(name, job, checks, functions, data_fd, state, peek=None, commands=None):
    """Run exercise ``name``'s checks in a fork, within the time limit.  After ``peek`` seconds it is asked where it
    is (and goes on); while it runs, the grader may send {"aside": name} on ``commands`` ([fd, bytearray]): it is
    ended then without a verdict (the grader judges another exercise first and runs this one again)."""
    pid = os.fork()
    if pid == 0:
        _child(name, job, checks, functions, data_fd, state)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    try:
        ended = os.pidfd_open(pid)  # readable once the fork ends (Linux): no polling
    except (AttributeError, OSError):
        ended = None
    start = time.perf_counter()
    status, aside = _wait(pid, ended, name, start + job["timeout"], start + peek if peek else None, commands)
    if status is None and not aside:  # ask it where it is stuck, then end it
        try:
            os.kill(pid, signal.SIGUSR1)
        except (ProcessLookupError, PermissionError):
            pass
        for _ in range(60):
            if os.waitpid(pid, os.WNOHANG)[0]:
                status = -1
                break
            time.sleep(0.005)
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if ended is not None:
        os.close(ended)
    if aside:
        if status is None:
            os.waitpid(pid, 0)
        _frame(data_fd, {"name": name, "event": "aside"})
    elif status == -1 or status is None:
        if status is None:
            os.waitpid(pid, 0)
        _frame(data_fd, {"name": name, "event": "timeout"})
    else:  # (after its own frame, if it wrote one: the grader takes the first)
        _frame(data_fd, {"name": name, "event": "died", "why": _status(status)})


def _wait(pid, ended, name, deadline, peek, commands) -> tuple:
    """Wait for the fork ``pid`` until it ends, the deadline passes or the grader says {"aside": name}; at ``peek``
    ask it where it is (SIGUSR2: it goes on).  Returns (its wait status or None, set aside?)."""
    status, aside = None, False
    listen = commands[0] if commands else None
    if listen is not None and b"\n" in commands[1]:  # (a word the grader sent before this exercise was read)
        aside, more = _aside(commands, name, read=False)
        listen = listen if more else None
    while status is None and not aside and time.perf_counter() < deadline:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            return st, False
        if peek is not None and time.perf_counter() >= peek:
            peek = None
            try:
                os.kill(pid, signal.SIGUSR2)
            except (ProcessLookupError, PermissionError):
                pass
        wait = min(deadline, peek or deadline) - time.perf_counter()
        watch = [f for f in (ended, listen) if f is not None]
        ready = select.select(watch, [], [], max(0.0, min(wait, 0.005 if ended is None else wait)))[0]
        if listen is not None and listen in ready:
            aside, more = _aside(commands, name)
            listen = listen if more else None
    return status, aside


def _aside(commands, name, read=True) -> tuple:
    """(did the grader ask to set ``name`` aside, may it still): reads what the grader sent; a line that is not
    that question is the next exercise (the grader judged this one from its frame before its fork was seen to
    end): it stays in the buffer for ``main``."""
    fd, buffer = commands
    chunk = os.read(fd, 1 << 16) if read else b""
    buffer += chunk
    if b"\n" not in buffer:
        return False, bool(chunk)
    line = bytes(buffer).partition(b"\n")[0]
    try:
        asked = json.loads(line.decode()).get("aside") == name
    except (ValueError, AttributeError):
        asked = False
    if asked:
        _line(commands)
    return asked, False


def _line(commands) -> dict:
    """The grader's next command (one JSON line) from ``commands`` ([fd, bytearray of what was read past it]); {}
    once the grader has closed its end."""
    fd, buffer = commands
    while b"\n" not in buffer:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return {}
        buffer += chunk
    line, _, rest = bytes(buffer).partition(b"\n")
    buffer[:] = rest
    return json.loads(line.decode())


def main():
    job = json.loads(sys.stdin.buffer.read().decode())
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    data_fd = job["data_fd"]
    lookup = _lookup(job["lookup"])
    state = {"blocked": [], "denied": [], "locked": False, "parent": os.getpid()}
    if job["role"] == "student":
        sys.addaudithook(_guard(job["blocked"], job["allowed"], job["home"], state))
        sys.path.extend(job["path"])  # after the standard library: nothing there is shadowed
    import numpy as np  # noqa: F401 - before the learner's code
    try:
        if job["role"] == "student":
            state["locked"] = True  # the learner's code runs from here on
        import minigan  # noqa: F401 - in the learner's process, the learner's copy
        checks = _package(job["checks"])
        checks.base.ROLE = job["role"]
        checks.base.USE_TORCH = bool(job.get("torch"))
        checks.set_seed(job["seed"])
        functions, missing = {}, {}
        for target in job["targets"]:
            try:
                functions[target] = lookup.function_of(target)
            except (KeyError, AttributeError, TypeError, ImportError) as e:
                missing[target] = f"the workspace has no function {target.split('::')[1]} in " \
                                  f"{target.split('::')[0]} ({type(e).__name__}: {e}); was it renamed or deleted?"
        _fill(job, functions, lookup)
    except BaseException as e:  # noqa: BLE001 - a syntax error in the workspace, say: nothing can be graded
        for name in job["run"]:
            _frame(data_fd, {"name": name, "error": f"the workspace's minigan cannot be imported: "
                                                    f"{_describe(e, ())}"})
        return
    sys.stdout.flush()
    sys.stderr.flush()
    _frame(data_fd, {"event": "ready"})
    commands = [job["cmd_fd"], bytearray()] if job.get("cmd_fd") is not None else None
    todo = list(job["run"]) if commands is None else []
    command = {}
    while True:
        if commands is not None:  # the grader sends the next exercise once it has judged the last one
            command = _line(commands)
            if not command:
                return
            if "aside" in command:  # (it had ended before the grader's word came: set aside all the same)
                _frame(data_fd, {"name": command["aside"], "event": "aside"})
                continue
            _fill(command, functions, lookup)
            todo = [command["name"]]
        if not todo:
            return
        name = todo.pop(0)
        lost = [missing[t] for t in job["targets_of"][name] if t in missing]
        if lost:
            _frame(data_fd, {"name": name, "error": lost[0]})
            continue
        _frame(data_fd, {"name": name, "event": "start"})
        _grade_in_fork(name, job, checks, functions, data_fd, state, command.get("peek"), commands)


def _package(modules, name="_minigan_exercise_checks"):
    """The checks package made again from its modules' code ([module, code], each after those it imports,
    ``__init__`` last), under a name of its own: its relative imports find the modules made before them in
    ``sys.modules``, and nothing is looked for on disk (no loader, an empty ``__path__``)."""
    import importlib.machinery
    import importlib.util
    package = importlib.util.module_from_spec(importlib.machinery.ModuleSpec(name, None, is_package=True))
    sys.modules[name] = package
    for module, code in modules:
        space = package
        if module != "__init__":
            space = importlib.util.module_from_spec(importlib.machinery.ModuleSpec(f"{name}.{module}", None))
            sys.modules[space.__name__] = space
            setattr(package, module, space)
        exec(_code(code), space.__dict__)
    return package


def _code(compiled):
    """Code the grader compiled (base64 of ``marshal``: it comes from the grader, never from the learner)."""
    return marshal.loads(binascii.a2b_base64(compiled))


def _lookup(compiled):
    """exercises/lookup.py (a target's function in the workspace, the library's code of it), as the grader compiled
    it: this process may not open the library's files."""
    space = types.ModuleType("_minigan_exercise_lookup")
    exec(_code(compiled), space.__dict__)
    return space


def _fill(job, functions, lookup):
    """Swap in the library's code for the targets ``job["unwritten"]`` (``job["fill"]``: {path: its code})."""
    for path, compiled in job.get("fill", {}).items():
        code = _code(compiled)
        for target in job.get("unwritten", ()):
            if target.startswith(path + "::") and target in functions:
                ref = lookup.code_in(code, target.split("::")[1])
                try:
                    functions[target].__code__ = ref
                except (ValueError, TypeError):
                    pass


if __name__ == "__main__":
    main()
    os._exit(0)
