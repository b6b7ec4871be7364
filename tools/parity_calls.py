"""What the parity tests compare: every PyTorch call a test run makes, as (name, keyword names, argument kinds).

    python tools/parity_calls.py record build/calls-before.json tests/pytorch          # the default run
    python tools/parity_calls.py record build/calls-before.json tests/pytorch -m parity  # the whole sweep
    python tools/parity_calls.py compare build/calls-before.json build/calls-after.json
    python tools/parity_calls.py own build/calls-before.json      # per test file: the calls no other file makes

A change to tests/pytorch that folds files together or drops a case should leave the set of ops and arguments it
compares with PyTorch where it was or larger: ``record`` runs pytest with this file as a plugin, which wraps PyTorch's
functions (``torch.*``, ``F.*``, ``torch.linalg.*``, ``torch.special.*``, ``torch.autograd.*``), the Tensor's methods
and operators, and every module's call, and writes down each outermost call (the calls PyTorch makes inside its own
code are not the test's); a tensor argument is written as its dtype and number of dimensions (``T:float32:2d``).
``compare`` says how many calls each file holds and lists those the first has and the second lacks (exit 1 if any).
``own`` lists the test files by how many of the calls only they make (with their lines): a file with none is one
whose every comparison another file makes too (not, by itself, one to delete: a call's values can matter).
Not logged: constructors (``nn.Linear(3, 4, bias=False)``, ``optim.Adam(...)``) and the optimizers' methods: a
module is logged when it is called, an optimizer not at all.  A program loaded by a test file counts as that file.
A test that looks at PyTorch's functions themselves (their identity, their signature, a lazy module's class) may fail
under the wrapping; the calls it made up to there still count, the same before a change and after it.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

_SKIP = {"__class__", "__new__", "__init__", "__getattribute__", "__setattr__", "__delattr__", "__repr__", "__hash__",
         "__init_subclass__", "__subclasshook__", "__reduce_ex__", "__torch_function__", "__torch_dispatch__",
         "__dict__", "__weakref__", "__format__", "__sizeof__", "__dir__", "__getstate__", "__setstate__",
         "__deepcopy__", "__reduce__", "__array__", "__array_wrap__", "__len__", "__iter__", "__bool__", "__index__",
         "__int__", "__float__", "__contains__", "__eq__", "__ne__", "_make_subclass"}

LOG: dict = {}  # (name, keyword names, argument kinds) -> the test files that made the call
_depth = [0]  # > 0 inside a logged call: what PyTorch calls there is its own
_file = ["(collection)"]  # the test file running now


def _kind(a) -> str:
    import torch
    if isinstance(a, torch.Tensor):
        return f"T:{str(a.dtype).removeprefix('torch.')}:{a.dim()}d"
    if isinstance(a, (list, tuple)):
        return f"{type(a).__name__}[{','.join(sorted({_kind(x) for x in a}))}]"
    return "Module" if isinstance(a, torch.nn.Module) else type(a).__name__


def _note(name: str, args, kwargs) -> None:
    try:
        call = (name, tuple(sorted(kwargs)), tuple(_kind(a) for a in args))
    except Exception:  # an argument that cannot be asked its kind (a tensor in a bad state): the call still counts
        call = (name, tuple(sorted(kwargs)), ("?",))
    LOG.setdefault(call, set()).add(_file[0])


def _logged(name: str, f):
    @functools.wraps(f)
    def call(*args, **kwargs):
        if _depth[0]:
            return f(*args, **kwargs)
        _depth[0] += 1
        try:
            _note(name, args, kwargs)
            return f(*args, **kwargs)
        finally:
            _depth[0] -= 1
    return call


def pytest_configure(config) -> None:
    """Wrap PyTorch's calls (run as ``-p parity_calls``)."""
    import torch
    for module, prefix in ((torch, "torch."), (torch.nn.functional, "F."), (torch.linalg, "linalg."),
                           (torch.special, "special."), (torch.autograd, "autograd.")):
        for n in dir(module):
            f = getattr(module, n)
            if not n.startswith("_") and callable(f) and not inspect.isclass(f) and not inspect.ismodule(f):
                try:
                    setattr(module, n, _logged(prefix + n, f))
                except (AttributeError, TypeError):  # a name PyTorch will not let be replaced
                    pass
    for n in dir(torch.Tensor):
        static = inspect.getattr_static(torch.Tensor, n)
        if n in _SKIP or isinstance(static, (property, staticmethod, classmethod)) or not callable(
                getattr(torch.Tensor, n, None)):
            continue
        try:
            setattr(torch.Tensor, n, _logged("Tensor." + n, getattr(torch.Tensor, n)))
        except (AttributeError, TypeError):
            pass
    module_call = torch.nn.Module.__call__

    def call(self, *args, **kwargs):
        if not _depth[0]:
            _note("nn." + type(self).__name__, args, kwargs)
        return module_call(self, *args, **kwargs)
    torch.nn.Module.__call__ = call


def pytest_runtest_setup(item) -> None:
    _file[0] = item.nodeid.split("::")[0]


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session) -> None:
    """Write the calls down before pytest-xdist's worker reports it has finished (after that the worker may be
    stopped before a large record is written)."""
    out = os.environ.get("PARITY_CALLS_OUT")
    if out:  # one file per process (pytest-xdist's workers each write theirs); ``record`` joins them
        Path(f"{out}.{os.getpid()}").write_text(json.dumps([[*call, sorted(files)] for call, files in LOG.items()]))


def _read_files(path: Path) -> dict:
    calls: dict = {}
    for name, keys, kinds, *files in json.loads(path.read_text()):  # (a record of calls alone: no files)
        calls.setdefault((name, tuple(keys), tuple(kinds)), set()).update(*files)
    return calls


def _read(path: Path) -> set:
    return set(_read_files(path))


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) >= 2 and argv[0] == "record":
        out = Path(argv[1]).resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        for stale in out.parent.glob(out.name + ".*"):
            stale.unlink()
        env = dict(os.environ, PARITY_CALLS_OUT=str(out),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).parent), os.environ.get("PYTHONPATH")])))
        run = subprocess.run([sys.executable, "-m", "pytest", "-p", "parity_calls", "-q", *argv[2:]], env=env)
        calls: dict = {}
        for part in out.parent.glob(out.name + ".*"):
            for call, files in _read_files(part).items():
                calls.setdefault(call, set()).update(files)
            part.unlink()
        out.write_text(json.dumps(sorted(([*c, sorted(f)] for c, f in calls.items()), key=repr), indent=0))
        print(f"{len(calls):,} distinct calls to PyTorch written to {out}")
        return run.returncode
    if len(argv) == 3 and argv[0] == "compare":
        before, after = _read(Path(argv[1])), _read(Path(argv[2]))
        lost = sorted(before - after, key=repr)
        print(f"{argv[1]}: {len(before):,} calls; {argv[2]}: {len(after):,}; in the first only: {len(lost):,}; "
              f"in the second only: {len(after - before):,}")
        for name, keys, kinds in lost:
            print(f"    {name}({', '.join(kinds + tuple(k + '=' for k in keys))})")
        return 1 if lost else 0
    if len(argv) == 2 and argv[0] == "own":
        calls, own, lines = _read_files(Path(argv[1])), {}, {}
        for files in calls.values():
            for f in files:
                own[f] = own.get(f, 0) + (len(files) == 1)
        for f in own:
            lines[f] = len(Path(f).read_text().splitlines()) if Path(f).is_file() else 0
        for f in sorted(own, key=lambda f: (own[f], -lines[f])):
            print(f"{own[f]:6d} {lines[f]:6d}  {f}")
        print(f"files with no call of their own: {sum(not n for n in own.values())} of {len(own)}, "
              f"{sum(lines[f] for f in own if not own[f]):,} lines")
        return 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
