"""A program's first lines, ``import torch`` then ``print(x * 2)`` of a tensor that requires grad, print the node's
name with nothing else imported first: ``import minigan`` is lazy, and the graph's names (minigan/surface/node_view.py)
come with the surface.  Run in a fresh interpreter, where nothing else imported them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(program: str, timeout: int = 120) -> str:
    """What ``program`` prints, run in a fresh interpreter (it must succeed)."""
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_a_fresh_program_prints_grad_fn_and_next_functions():
    program = ("import minigan\n"
               "x = minigan.ones(2, requires_grad=True)\n"
               "y = x * 2\n"
               "print(y)\n"
               "print(y.grad_fn.name(), y.grad_fn.next_functions[0][0].name())\n")
    assert _run(program).splitlines() == ["tensor([2., 2.], grad_fn=<MulBackward0>)",
                                          "MulBackward0 torch::autograd::AccumulateGrad"]


def test_every_module_imported_first_leaves_the_public_functions_functions():
    """A program (or a test runner) that imports every module of minigan first, as pkgutil walks them, and then calls
    ``minigan.gradcheck(...)``: Python sets a package's attribute to each submodule it imports, so a public function
    named as a module of minigan's would become that module ('module' object is not callable)."""
    program = ("import importlib, pkgutil, minigan\n"
               "for info in pkgutil.walk_packages(minigan.__path__, 'minigan.'):\n"
               "    if not info.name.startswith(('minigan.backends.', 'minigan.cuda')):\n"
               "        try:\n"
               "            importlib.import_module(info.name)\n"
               "        except ImportError:\n"
               "            pass\n"
               "print(callable(minigan.gradcheck), callable(minigan.gradgradcheck))\n"
               "modules = [n for n in sorted(minigan.__all__) if type(getattr(minigan, n)).__name__ == 'module']\n"
               "print(sorted(set(modules) - set(minigan._MODULES)))\n")
    assert _run(program, timeout=300).splitlines() == ["True True", "[]"]


def test_a_function_named_as_its_module_stays_the_function_whatever_is_asked_first():
    """``minigan.gradgradcheck`` imports the module of the finite-difference checks: ``minigan.gradcheck(...)`` must
    still be the function, as ``torch.autograd.gradcheck``."""
    program = ("import minigan\n"
               "minigan.gradgradcheck\n"
               "print(callable(minigan.gradcheck), minigan.gradcheck.__name__)\n")
    assert _run(program).split() == ["True", "gradcheck"]
