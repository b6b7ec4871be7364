"""The grading process: runs with PYTHONPATH=<workspace>, so ``import minigan`` is the learner's copy.

Started by ``grader.py`` as a script (never imported), in a session of its own, it reads a job on stdin::

    {"workspace": ..., "repo": ..., "exercises": [{"name": ..., "targets": [...]}, ...],
     "run": [names], "timeout": seconds, "memory": bytes, "torch": compare with PyTorch too,
     "token": a random string, "results_fd": the file descriptor results go to}

It imports the workspace's minigan once, then grades each exercise in a process of its own (a fork,
in a process group of its own), which reports to this one through a pipe and is ended (SIGKILL to its
group) when it has reported, when it runs past the time limit, or when it dies.  This process then
writes one line ``TOKEN {json}`` per exercise to ``results_fd``: a pipe the grader made, which no
exercise's process holds (each closes it first thing), and which is not stdout, where the learner's
code prints.  Each exercise is graded on its own: the functions of every OTHER exercise run the
reference solution (their code object is swapped for the one compiled from the library's source), so
a gap elsewhere does not fail this one.

``python worker.py measure CONFIG PYTHON-ARGUMENTS...`` instead runs a "predict, then measure" command
(``-c CODE`` or ``-m MODULE ...``) on the workspace's minigan, with the functions named in CONFIG (the
exercises not written yet) running the reference solution.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import os
import resource
import runpy
import secrets
import select
import signal
import sys
import time
import traceback
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0] or ".").resolve() == HERE:
    sys.path.pop(0)  # the grader's folder must not shadow anything the workspace imports


def _code_in(code, qualname):
    """The code object named ``qualname`` inside a compiled module (searched through nested code)."""
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_qualname == qualname:
                return const
            found = _code_in(const, qualname)
            if found is not None:
                return found
    return None


def _function(target):
    """The workspace's function object for ``path::Qualified.name`` (unwrapping decorators and descriptors)."""
    path, qualname = target.split("::")
    obj = importlib.import_module(path[:-3].replace("/", ".").removesuffix(".__init__"))
    for part in qualname.split("."):
        obj = vars(obj)[part]  # its own: a class's inherited method is not the target (KeyError when absent)
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
        elif isinstance(obj, property):
            obj = obj.fget
    return inspect.unwrap(obj)


def load_references(targets, repo, workspace, missing=None):
    """({target: the workspace's function}, {target: the reference's code object}) for every target.  With a
    dict ``missing``, a target the workspace no longer has (deleted, renamed) goes there with why, instead of
    raising: only its own exercise fails."""
    functions, references, compiled = {}, {}, {}
    for target in targets:
        path, qualname = target.split("::")
        if path not in compiled:
            text = (repo / path).read_text(encoding="utf-8")
            compiled[path] = compile(text, str(workspace / path), "exec")
        references[target] = _code_in(compiled[path], qualname)
        if references[target] is None:
            raise LookupError(f"the library has no function {target}")
        try:
            functions[target] = _function(target)
        except (KeyError, AttributeError, TypeError) as e:
            if missing is None:
                raise
            missing[target] = f"the workspace has no function {qualname} in {path} ({type(e).__name__}: {e}); " \
                              "was it renamed or deleted?"
    return functions, references


class Context:
    """What a check may ask of the grader: the reference solution of a target, as a function."""

    def __init__(self, reference_codes, functions):
        self._codes, self._functions = reference_codes, functions

    def reference(self, target):
        """The reference solution of ``target``: a function with the library's body and the workspace's globals."""
        fn = self._functions[target]
        twin = types.FunctionType(self._codes[target], fn.__globals__, fn.__name__, fn.__defaults__,
                                  fn.__closure__)
        twin.__kwdefaults__ = fn.__kwdefaults__
        return twin


def _where(exc):
    """The innermost frame of the traceback that lies in the workspace's minigan: 'minigan/x.py:12'."""
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
    return f"raised {type(exc).__name__}: {message}" + (f" (at {where})" if where else "")


def _limit_memory(limit):
    if limit:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))  # (the hard limit too: the graded code cannot raise it)


def _grade_one(name, checks, context, functions, learner, references, mine, features):
    """In the exercise's own process: (passed, message)."""
    for target, fn in functions.items():  # this exercise: the learner's code; the others: the reference
        try:
            fn.__code__ = learner[target] if target in mine else references[target]
        except ValueError:  # the learner made it a closure of another shape: the learner's code it stays
            pass
    try:
        getattr(checks, "check_" + name)(context)
    except BaseException as e:  # noqa: BLE001 - SystemExit, KeyboardInterrupt... from the learner's code fail it
        return False, _describe(e, checks.Fail)
    finally:
        checks.reset()
    for feature, run in features:  # the exercise's own properties hold: do the features built on it still work?
        try:
            run()
        except BaseException as e:  # noqa: BLE001
            return False, f"breaks {feature}: {_describe(e, checks.Fail)}"
        finally:
            checks.reset()
    return True, ""


def _run_child(name, nonce, write_end, job, state):
    """The exercise's process (a fork): grade, write one line ``NONCE {json}`` to ``write_end``, leave at once."""
    try:
        os.setpgid(0, 0)  # a group of its own: whatever the learner's code starts is ended with it
    except OSError:
        pass
    try:
        os.close(job["results_fd"])  # the learner's code never holds the grader's channel,
        job.pop("token")  # nor its token
        checks, context, functions, learner, references, targets_of, missing = state
        features = [(label, (lambda f=f: f(context))) for label, f in checks.FEATURES.get(name, ())]
        start = time.perf_counter()
        lost = [missing[t] for t in targets_of[name] if t in missing]
        passed, message = (False, lost[0]) if lost else _grade_one(name, checks, context, functions, learner,
                                                                     references, set(targets_of[name]), features)
        line = json.dumps({"name": name, "passed": passed, "message": " ".join(message.split()),
                           "seconds": round(time.perf_counter() - start, 3)}) + "\n"
        os.write(write_end, (nonce + " " + line).encode())
    finally:
        os._exit(0)  # no atexit handler, no buffered print of the learner's runs after the result


def _end_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _status(status):
    if os.WIFSIGNALED(status):
        try:
            return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
        except ValueError:
            return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status)}"


def _grade_in_fork(name, job, state):
    """Fork, wait at most the time limit for one line, end the fork's group: (passed, message, seconds)."""
    timeout = job["timeout"]
    read_end, write_end = os.pipe()
    nonce = secrets.token_hex(8)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _run_child(name, nonce, write_end, job, state)
    os.close(write_end)
    try:
        os.setpgid(pid, pid)  # (also done by the child: whichever runs first)
    except OSError:
        pass
    buffer, status, deadline, mark = b"", None, start + timeout, nonce.encode() + b" "
    lines, result = [], None
    try:
        while result is None and len(buffer) < 1 << 20:
            left = deadline - time.perf_counter()
            if left <= 0:
                return False, f"took longer than {timeout:g} s (an endless loop?): the grader ended its process", \
                    timeout
            if select.select([read_end], [], [], min(left, 0.05))[0]:
                chunk = os.read(read_end, 65536)
                if not chunk:  # every writer is gone
                    break
                buffer += chunk
            else:
                done, st = os.waitpid(pid, os.WNOHANG)
                if done:  # it ended; what it wrote before is still in the pipe
                    status = st
                    while select.select([read_end], [], [], 0)[0]:
                        chunk = os.read(read_end, 65536)
                        if not chunk:
                            break
                        buffer += chunk
            *new, buffer = buffer.split(b"\n")
            lines += new
            result = next((line[len(mark):] for line in lines if line.startswith(mark)), None)
            if status is not None:
                break
        for _ in range(200):  # it reported: it leaves at once (os._exit)
            if status is not None:
                break
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
            else:
                time.sleep(0.005)
        try:  # is anything it started still running in its group?
            os.killpg(pid, 0)
            left_running = True
        except (ProcessLookupError, PermissionError):
            left_running = status is None
    finally:
        os.close(read_end)
        _end_group(pid)  # a process the learner's code started (a daemon, a fork that never exits) ends here
        if status is None:
            status = os.waitpid(pid, 0)[1]
    seconds = time.perf_counter() - start
    try:
        r = json.loads(result)
        if r.get("name") != name:
            raise ValueError
        if left_running:
            return False, ("started a process that was still running when the check ended (a fork or a "
                           "subprocess never waited for): the grader ended it"), seconds
        if any(not line.startswith(mark) for line in lines):
            return False, ("wrote into the grader's result pipe (lines that are not the grader's result): only "
                           "the grader reports a grade"), seconds
        return bool(r["passed"] is True), str(r["message"]), seconds
    except (ValueError, KeyError, TypeError, AttributeError):  # (json.loads(None) is a TypeError)
        why = _status(status) if status is not None else "no result"
        return False, f"the exercise's process ended before reporting a result ({why})", seconds


def main():
    job = json.loads(sys.stdin.read())
    token, results = job["token"], job["results_fd"]
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # the job (and its token) is not left on stdin for the graded code to read back
    os.close(devnull)
    workspace, repo = Path(job["workspace"]), Path(job["repo"])
    _limit_memory(job.get("memory"))

    def emit(name, passed, message, seconds):
        line = token + " " + json.dumps({"name": name, "passed": passed, "message": message,
                                         "seconds": round(seconds, 3)}) + "\n"
        os.write(results, line.encode())

    try:
        import minigan  # noqa: F401 - the learner's copy
        spec = importlib.util.spec_from_file_location("_minigan_exercise_checks", HERE / "checks.py")
        checks = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(checks)
        checks.USE_TORCH = bool(job.get("torch"))
        targets = [t for ex in job["exercises"] for t in ex["targets"]]
        missing = {}
        functions, references = load_references(targets, repo, workspace, missing)
    except BaseException as e:  # noqa: BLE001 - a syntax error in the workspace, say: nothing can be graded
        message = f"the workspace's minigan cannot be imported: {_describe(e, ())}"
        for name in job["run"]:
            emit(name, False, message, 0.0)
        return
    learner = {t: f.__code__ for t, f in functions.items()}
    state = (checks, Context(references, functions), functions, learner, references,
             {ex["name"]: ex["targets"] for ex in job["exercises"]}, missing)
    sys.stdout.flush()
    sys.stderr.flush()  # (a fork must not print again what is still buffered here)
    os.write(results, (token + " ready\n").encode())  # imported: from here each exercise has its own limit
    for name in job["run"]:
        os.write(results, f"{token} start {name}\n".encode())  # (if this process is killed, the grader knows where)
        passed, message, seconds = _grade_in_fork(name, job, state)
        emit(name, passed, " ".join(message.split()), seconds)


def measure(config_path, args):
    """Run ``python ARGS`` (``-c CODE ...`` or ``-m MODULE ...``) with the stubbed targets filled in."""
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    sys.path.insert(0, config["workspace"])
    import minigan  # noqa: F401 - the learner's copy

    functions, references = load_references(config["fill"], Path(config["repo"]), Path(config["workspace"]))
    for target, fn in functions.items():
        fn.__code__ = references[target]
    if args[:1] == ["-c"] and len(args) >= 2:
        sys.argv = ["-c", *args[2:]]
        sys.path[0] = ""
        exec(compile(args[1], "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
    elif args[:1] == ["-m"] and len(args) >= 2:
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        raise SystemExit(f"minigan exercises measure: cannot run python {' '.join(args)}: expected -c or -m")


if __name__ == "__main__":
    if sys.argv[1:2] == ["measure"]:
        measure(sys.argv[2], sys.argv[3:])
    else:
        main()
