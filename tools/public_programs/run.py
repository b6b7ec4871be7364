"""Run public PyTorch programs unchanged, once under PyTorch and once under minigan, compare what they print,
and sort them into classes.

    python tools/public_programs/run.py DIR [NAME ...]

DIR holds the programs as published, with only their data replaced (synthetic tensors of the same shapes) and
their epochs or iterations cut.  Their code is not part of this project: ``SOURCES.md`` beside this file lists
the programs tests/pytorch/test_public_programs.py compares (source at a commit, licence, the change to make), and the
first ones tried were these, downloaded as they are published:

    quickstart_tutorial.py      pytorch/tutorials  beginner_source/basics/quickstart_tutorial.py
    optimization_tutorial.py    pytorch/tutorials  beginner_source/basics/optimization_tutorial.py
    dcgan_faces_tutorial.py     pytorch/tutorials  beginner_source/dcgan_faces_tutorial.py
    mnist_main.py               pytorch/examples   mnist/main.py

``torchvision`` is the stand-in beside this file (synthetic images of the real shapes), and ``tensorflow`` the
stand-in for the MNIST reader of TensorFlow's old tutorials that some PyTorch programs load their data with. For the
minigan run, minigan's modules are put in ``sys.modules`` under PyTorch's names, so the program's ``import torch``
gets minigan. Both runs draw the same random numbers with nothing added: after the same seed minigan's generator
draws PyTorch's CPU numbers itself (minigan/surface/random.py), so a program's initial weights, noise, shuffling,
dropout masks and multinomial samples are the same in both runs and its printed numbers can be compared to float32
noise.

Each program ends in one class:

    matches   both ran to the end and printed the same words and numbers (to RTOL)
    words     both ran and printed the same numbers, but some words differ (a repr: a node's or a dtype's name)
    differs   both ran, but some number differs, or a line is missing (the first differing line is shown)
    refused   minigan stopped at a one-line NotInMinigan message (what it has instead)
    stops     minigan stopped at any other exception
    broken    PyTorch itself did not run it (the program or its data stand-in is wrong: not counted)
"""

import contextlib
import importlib
import importlib.abc
import importlib.util
import io
import os
import random
import re
import signal
import sys
import tempfile
import traceback
import types

import numpy as np
import torch  # PyTorch itself, kept here: in the minigan run the name "torch" in sys.modules means minigan

HERE = os.path.dirname(os.path.abspath(__file__))
ARGS = {"mnist_main.py": ["--epochs", "1", "--log-interval", "2"]}  # one short epoch
TORCH_SEED = 67280421310721  # PyTorch's generator's seed at start-up: each run starts from it
LIMIT_S = 300  # one run longer than this stops (a program here runs in seconds)
# Numbers agree to this relative tolerance (or to one unit of the last digit printed): float32 rounding differs
# between the two libraries' kernels, and a few Adam steps turn the noise in near-zero gradients into ±lr steps,
# so GAN losses drift apart by up to ~1e-3 after five batches while every line still agrees to 3 digits.
RTOL = 1e-3
# and to this absolute tolerance: a value near zero computed from values near one carries float32's rounding of
# those (sin(π) is -3.6e-07 in one library and 6.0e-08 in the other)
ATOL = 1e-6


def swap():
    """PyTorch's module names, and the minigan module each one means in the minigan run."""
    import minigan

    return {"torch": minigan, "torch.nn": minigan.nn, "torch.nn.functional": minigan.nn.functional,
            "torch.nn.init": minigan.nn.init, "torch.nn.utils": minigan.nn.utils,
            "torch.nn.parallel": minigan.nn.parallel,
            "torch.optim": minigan.optim, "torch.optim.lr_scheduler": minigan.optim.lr_scheduler,
            "torch.autograd": minigan.autograd, "torch.utils": minigan.utils, "torch.utils.data": minigan.utils.data,
            "torch.backends": minigan.backends, "torch.backends.cudnn": minigan.backends.cudnn,
            "torch.cuda": minigan.cuda, "torch.linalg": minigan.linalg}


_HIDDEN = {}  # in the minigan run: PyTorch's own modules, out of sys.modules (see run)


# ----------------------------------------------------------------------------- running one program
def _timeout(signum, frame):
    raise TimeoutError(f"ran longer than {LIMIT_S} s")


class MiniganUnderTorchsNames(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """In the minigan run, ``import torch.X`` gets minigan's module ``minigan.X`` (or fails as a missing module
    does): none of PyTorch's own modules is reachable from the program."""

    def find_spec(self, name, path=None, target=None):
        if name != "torch" and not name.startswith("torch."):
            return None
        try:
            module = importlib.import_module("minigan" + name[len("torch"):])
        except ImportError:
            return None
        return importlib.util.spec_from_loader(name, self, origin=module.__name__)

    def create_module(self, spec):
        return importlib.import_module(spec.origin)

    def exec_module(self, module):
        pass


def run(path, library):
    """(printed text, None) when the program ran to its end, else (printed text, the exception)."""
    import minigan
    import minigan.distributions  # (reset after the run, below)
    for k in [k for k in sys.modules if k.startswith("torchvision")]:
        del sys.modules[k]
    random.seed(0)
    np.random.seed(0)
    torch.manual_seed(TORCH_SEED)
    minigan.manual_seed(TORCH_SEED)
    hidden, finder = {}, MiniganUnderTorchsNames()
    if library == "minigan":  # PyTorch's modules leave sys.modules for the run; minigan's take their names
        hidden = {k: sys.modules.pop(k) for k in list(sys.modules) if k == "torch" or k.startswith("torch.")}
        _HIDDEN.update(hidden)
        sys.modules.update(swap())
        sys.meta_path.insert(0, finder)
    cwd, argv, backend = os.getcwd(), sys.argv, os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = backend or "Agg"  # a program's plt.show() draws nothing (for this run only)
    os.chdir(tempfile.mkdtemp())
    sys.argv = [os.path.basename(path)] + ARGS.get(os.path.basename(path), [])
    out, error = io.StringIO(), None
    # the program runs in a module of its own named __main__, as a script does: pickle finds its classes there
    # (torch.save of a whole model defined in the program)
    main_module, runner_main = types.ModuleType("__main__"), sys.modules["__main__"]
    main_module.__file__ = path
    sys.modules["__main__"] = main_module
    old = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(LIMIT_S)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(open(path).read(), path, "exec"), main_module.__dict__)
    except SystemExit as e:
        error = None if e.code in (None, 0) else e
    except BaseException as e:  # noqa: BLE001  (whatever stops it is the result)
        error = e
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
        sys.modules["__main__"] = runner_main
        os.chdir(cwd)
        sys.argv = argv
        if backend is None:
            del os.environ["MPLBACKEND"]
        for k in [k for k in sys.modules if k.startswith("torchvision")]:
            del sys.modules[k]  # (the stand-in, imported through whichever library ran: gone with the run)
        for k, m in list(sys.modules.items()):  # so is a module of the program's own beside it (it imports torch)
            if os.path.dirname(os.path.abspath(getattr(m, "__file__", None) or "/")) == os.path.dirname(path):
                del sys.modules[k]
        if library == "minigan":
            sys.meta_path.remove(finder)
            for k in [k for k in sys.modules if k == "torch" or k.startswith("torch.")]:
                del sys.modules[k]
            sys.modules.update(_HIDDEN)
            _HIDDEN.clear()
        torch.set_default_dtype(torch.float32)
        torch.set_grad_enabled(True)
        torch.set_printoptions(profile="default")
        minigan.set_default_dtype(minigan.float32)
        minigan.set_grad_enabled(True)
        minigan.set_printoptions(profile="default")
        # (a program may turn the distributions' argument checks off: back to both libraries' default)
        torch.distributions.Distribution.set_default_validate_args(__debug__)
        minigan.distributions.Distribution.set_default_validate_args(__debug__)
    return out.getvalue(), error


def where(error, path):
    """'line N (source): Type: first line of the message'."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == path]
    at = f"line {frames[-1].lineno} ({frames[-1].line})" if frames else "its imports"
    lines = str(error).strip().splitlines() or [""]
    return f"{at}: {type(error).__name__}: {lines[0]}" + (" [...]" if len(lines) > 1 else "")


# ----------------------------------------------------------------------------- comparing what they print
# a printed number (not the digits of a name: the 0 of AddBackward0, the 32 of float32 are part of a word)
NUMBER = re.compile(r"(?<![A-Za-z_])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


def normalise(text):
    """What may differ without meaning anything: the library's name in reprs, and memory addresses."""
    return ADDRESS.sub("ADDRESS", text.replace("minigan.", "torch.").replace("minigan", "torch"))  # (a word)


def _close(a, b, rtol):
    """Two printed numbers agree: to ``rtol`` and ATOL, or to one unit of the last digit printed (4-decimal reprs)."""
    x, y = float(a), float(b)
    if x == y or (np.isnan(x) and np.isnan(y)):
        return True
    mantissa, _, exponent = b.lower().partition("e")
    decimals = len(mantissa.partition(".")[2]) if "." in mantissa else 0
    unit = 10.0 ** (int(exponent or 0) - decimals) if decimals >= 2 else 0.0
    return abs(x - y) <= rtol * abs(y) + 1.01 * unit + ATOL


def compare(ours, theirs, rtol=RTOL):
    """(differing lines, whether every one of them has PyTorch's numbers and only some words differ)."""
    ours, theirs = normalise(ours).strip().splitlines(), normalise(theirs).strip().splitlines()
    differing, words_only = [], len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        na, nb = NUMBER.findall(a), NUMBER.findall(b)
        same_numbers = len(na) == len(nb) and all(_close(x, y, rtol) for x, y in zip(na, nb))
        if NUMBER.sub("#", a) != NUMBER.sub("#", b) or not same_numbers:
            differing.append(f"line {i + 1}: minigan {a.strip()[:150]!r}, PyTorch {b.strip()[:150]!r}")
            words_only = words_only and same_numbers
    if len(ours) != len(theirs):
        differing.append(f"minigan printed {len(ours)} lines, PyTorch {len(theirs)}")
    return differing, words_only


def first_difference(ours, theirs, rtol=RTOL):
    """None when the two outputs agree (the same words, numbers to ``rtol``), else the first line that differs
    (and how many lines differ in all)."""
    differing, words_only = compare(ours, theirs, rtol)
    if not differing:
        return None
    count = f"{len(differing)} lines differ" if len(differing) > 1 else "1 line differs"
    return f"{differing[0]} ({count}, {'in words only' if words_only else 'in numbers'})"


def refusal(error):
    """A stop that tells the user what to do: minigan's one-line NotInMinigan (an ImportError where an import
    statement asked)."""
    import minigan

    refused = (minigan.NotInMinigan, minigan.NotInMiniganToImport)
    return isinstance(error, refused) and len(str(error).strip().splitlines()) == 1


def classify(path, rtol=RTOL):
    """(class, detail) of one program: see the module's docstring."""
    theirs, error = run(path, "torch")
    if error is not None:
        return "broken", "under PyTorch: " + where(error, path)
    ours, error = run(path, "minigan")
    if error is not None:  # (and did what it printed before it stopped agree with PyTorch's?)
        printed = len(ours.strip().splitlines())
        before = first_difference(ours, "\n".join(theirs.strip().splitlines()[:printed]))
        agree = f"; before it, {before}" if before and printed else f"; the {printed} lines before it agree"
        return ("refused" if refusal(error) else "stops"), where(error, path) + agree
    differing, words_only = compare(ours, theirs, rtol)
    if not differing:
        return "matches", f"{len(theirs.splitlines())} lines"
    return ("words" if words_only else "differs"), first_difference(ours, theirs, rtol)


CLASSES = ("matches", "words", "differs", "refused", "stops", "broken")


def main(folder, names=()):
    torch.set_num_threads(1)
    sys.path.insert(0, HERE)  # the torchvision stand-in
    sys.path.insert(0, os.path.abspath(folder))  # (a program's own helper module beside it)
    programs = sorted(f for f in os.listdir(folder) if f.endswith(".py") and not f.startswith("_")
                      and (not names or f in names or f[:-3] in names))
    counts = dict.fromkeys(CLASSES, 0)
    for name in programs:
        kind, detail = classify(os.path.join(os.path.abspath(folder), name))
        counts[kind] += 1
        print(f"{name:40s} {kind:8s} {detail}", flush=True)
    tried = len(programs) - counts["broken"]
    print(f"\n{tried} programs ran under PyTorch: " + ", ".join(f"{k} {counts[k]}" for k in CLASSES[:5])
          + (f" ({counts['broken']} broken under PyTorch, not counted)" if counts["broken"] else ""))
    if tried:
        numbers = counts["matches"] + counts["words"]
        print(f"ran after a rename only, printing what PyTorch prints: {counts['matches']} of {tried} "
              f"({100 * counts['matches'] / tried:.0f}%); printing PyTorch's numbers (some words differ): {numbers} "
              f"of {tried} ({100 * numbers / tried:.0f}%); stopped at a one-line refusal: {counts['refused']}; "
              f"stopped otherwise: {counts['stops']}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".", sys.argv[2:])
