"""A program's first lines, ``import torch`` then ``print(x * 2)`` of a tensor that requires grad, print the node's
name with nothing else imported first: ``import minigan`` is lazy, and the graph's names (minigan/surface/node_view.py)
come with the surface.  Run in a fresh interpreter, where nothing else imported them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_fresh_program_prints_grad_fn_and_next_functions():
    program = ("import minigan\n"
               "x = minigan.ones(2, requires_grad=True)\n"
               "y = x * 2\n"
               "print(y)\n"
               "print(y.grad_fn.name(), y.grad_fn.next_functions[0][0].name())\n")
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["tensor([2., 2.], grad_fn=<MulBackward0>)",
                                        "MulBackward0 torch::autograd::AccumulateGrad"]


def test_a_function_named_as_its_module_stays_the_function_whatever_is_asked_first():
    """``minigan.gradgradcheck`` imports the module minigan/gradcheck.py, which Python then sets as the package's
    attribute ``gradcheck``: ``minigan.gradcheck(...)`` must still be the function, as ``torch.autograd.gradcheck``."""
    program = ("import minigan\n"
               "minigan.gradgradcheck\n"
               "print(callable(minigan.gradcheck), minigan.gradcheck.__name__)\n")
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "gradcheck"]
