"""One size budget for the engine wing (minigan/engine/), so that it stays something a student reads in one sitting.

Counted are lines of code: not blank lines, comments or docstrings (as teenygrad counts).  The wing has one
budget, raised only in a commit of its own that says why; growing past it should be a decision, not a drift.
"""

import ast
import inspect
import io
import sys
import textwrap
import tokenize
from pathlib import Path

import minigan
import minigan.engine.walk as walk
from minigan.engine import backend
from minigan.engine.graph import Node

ROOT = Path(__file__).resolve().parents[2] / "minigan"
WING = ROOT / "engine"
# The whole engine: the Tensor's engine part and its methods, the node, the walk, grad mode, the ops, the backend,
# the door checks, dtypes and errors.  3,162 lines when the wing was made (from autograd/graph.py, engine.py,
# grad_mode.py, ops/, _tensor.py, _tensor_methods.py, backend.py, checks.py, dtypes.py and errors.py, whose
# separate budgets it replaces).
WING_BUDGET = 2516  # 2516 when x.mean() and x.sum(dim) of the usual kinds became the engine's alone, as x.sum()
# was (the mean's other forms a hook method, _mean_along, as the sum's are _sum_along: +6 for mean, +2 for sum), where
# minigan.Tensor's door for each ran first in every learner's program that takes a mean or a sum along a dim;
# 2508 when the engine's methods that are minigan.Tensor's (mul, mul_, matmul, eq, ne, size)
# came to take NumPy's names for their arguments (x2 for other, axis for dim) as PyTorch's parser does, one line each
# and _other's 6, where a door above them would add a call to x.mul(y), x *= y and x == y;
# 2496 when Pow came to ask its row of KERNELS whether it rounds the exponent otherwise
# (Pow.kernels, +3: x ** 2 runs the textbook's power and zeros, and steps into no row of the parity layer);
# 2493 when leaky_relu_'s node became the engine's LeakyReLU reading its result (of_result: -1)
# and pow's kernels a table (KERNELS, +1) in place of pow's hook methods in SEAMS (-1); 2494 when the walk's line
# that picks the watched path was kept as the exercises' mutations read it (a node with hooks of its own takes it at
# step 4); 2495 when the engine came to read its own arrays'
# shape and dtype (+4), its walk to run a node's own hooks around its backward (+6:
# minigan/surface/node_view.py had replaced each hooked node's backward, and the convolutions' and
# batch norm's gradient rules were kept from running twice by a marker), and every seam came to be
# declared in one list by kind (engine/__init__.py's SEAMS, +7 over EXTENSION_POINTS), while the conv
# and pool doors' pair check left for minigan/functional/_common.py (-9) and RESULT_ADJUSTMENTS was
# read by the node's class alone (-6);
# 2493 when PyTorch's zeros in pow's backward, its bool matmul of empty operands and its history
# of an empty view left for minigan.Tensor's (surface/pointwise.py's Pow, surface/products.py, surface/forms.py: the
# last through a method the engine asks, _view_history), pow's textbook zeros computed only where some exponent or
# base is 0 (x ** 2's backward of 10⁶ entries was 2.4x slower with the masks always made: 4 lines);
# 2489 when the reading path took each piece's plain case first and the gradient-side
# extension point (GRADIENT_ADJUSTMENTS) replaced three lines of conv.py's; 2498 when PyTorch's rules left for the
# parity layer above (376 lines): the ops only the
# surface's doors call (hardtanh, threshold, hardswish, einsum, prod, cumsum, logsumexp, clamp's tensor bounds), the
# loss and pool doors' checks (F.*), PyTorch's forms of the engine's methods (max(dim), to(other), expand(-1), view's
# refusal: surface/forms.py), its refusals of shared memory in place (surface/overlap.py), torch.tensor's reading of
# lists (surface/data.py), pow's kernels, the legacy type names and the GPU's housekeeping (minigan.cuda);
# 2875 when PyTorch's matmul rules (its empty batched path, the operands it saves as copies: 23
# lines) left the engine's @ for minigan.Tensor's (surface/products.py), and Tensor.type's legacy names and
# deepcopy's rules (19) for minigan.Tensor's type and __deepcopy__, which extended them;
# 2920 when PyTorch's random numbers left for minigan/surface/random.py (224 lines: mt19937 and
# PyTorch's transforms are PyTorch's rule, not the textbook's, and nothing in the engine draws) and Tensor.norm's
# orders for the surface's norms (18 lines), while x.sum(), the walk's optional steps and the one constructor
# _make added 12 (2,919 then);
# 3165 when randperm's Fisher-Yates swaps were made at once (pointer doubling, 11 lines: 2.4x faster than the loop
# over the swaps); 3150 when the random numbers became PyTorch's CPU generator (engine/random.py,
# 63 lines to 211: mt19937's words and PyTorch's transforms to each distribution, so a seed gives PyTorch's numbers);
# 3300 until two ops became nodes of their own so as to give PyTorch's gradients: clamp with
# tensor bounds (ClampBy: the bounds operands, NaN and PyTorch's masks) and prod (Prod: PyTorch's backward, NaN and
# zeros included, differentiable again on any layout); 3390 when grad mode came to hold over each step of a
# decorated generator (PyTorch's _wrap_generator) and .data/.grad refused what PyTorch refuses; 3405 when the index
# arrays' broadcast was checked at the door (NumPy's own error changed type between versions); 3115 when the
# elementwise math only the surface calls (sin, atan2, log1p, ...: 292 lines) moved out (minigan/surface/unary.py);
# 3080 when the checks of minigan's own doors (trainers' counts, rates, labels) moved to minigan/arguments.py and
# malloc's thresholds to minigan/cli/process.py (the engine never used them), with in-place ops in a file of their
# own and the declared extension points (EXTENSION_POINTS) added; 3000 when the door checks only the surface
# calls (convolution geometry, pad, cat, linear, embedding's padding_idx, leaky_relu's slope: 130 lines) moved to the
# doors that use them, in minigan/functional/ and minigan/surface/ (2,951 lines then: the wing has room to grow)
# The reading path: what a student reads to follow ``y.backward()`` from the first op to the last gradient.
WALK_BUDGET = {"topological_order": 15, "backprop": 33}  # the walk: a plain function, nodes to gradients (23;
# +4 for register_hook: a node's hooks on its output's gradient, a leaf's on its whole gradient; +2 for the
# watcher's callback, which minigan.stepthrough uses to show each step; +3 for setting grad mode without a context
# manager, and +2 for the order's loop without a generator: 5 fewer calls a backward, 2 fewer an op; +1 for the
# leaves' hooks found without a list comprehension)
READING_PATH_CALLS = 20  # functions entered by sigmoid(w * x).backward() (51 before the wing: 20 of them device and
# dtype bookkeeping before the walk started; 25 with the wing, 23 while saved_tensors checked the versions itself,
# 25 again when it called check_saved: one check, written once; 22 later; 20 when the walk's step 1 tested the saved
# records itself, a loop written out in the walk (Node.check_saved holds the same test for a Function's
# saved_tensors); op overhead is judged by benchmarks/paired_trees.py)
APPLY_BUDGET = 23  # Node.apply with its decorator: run forward, record the node (labelled steps; 18, then 20 when
# an op asked where its inputs live only when CuPy is there, 25 when its inputs were read in one loop, not three
# list comprehensions: 0.2 µs of an op's 6; 26 when that loop also found each input's producer, which record had
# found in a second loop: about 0.3 µs of an op's 5; 27 when the layout PyTorch gives a result left the ops' forwards
# for the one extension point for results, graph.RESULT_ADJUSTMENTS, which apply consults for 2-D and larger results;
# 23 when the node and the input that makes the result were named in one line and detect_anomaly()'s check of the
# result joined the return)
DEVICE_CALLS = 6  # where CuPy (or the strict stand-in) is beside NumPy: the seed gradient asks which device its
# tensor lives on and copies the seed there (device_of, to_device, module_for_device, device_type, asnumpy, and the
# Device's __init__: 6 on main too, where READING_PATH_CALLS' slack of 3 hid it; the sum is 26 now, 30 before)


def code_lines(source: str) -> int:
    """Lines holding a token other than a comment, a docstring or layout."""
    lines, previous = set(), tokenize.INDENT
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        layout = (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT, tokenize.ENDMARKER)
        docstring = tok.type == tokenize.STRING and previous in (tokenize.INDENT, tokenize.NEWLINE, tokenize.DEDENT)
        if tok.type not in layout and not docstring:
            lines.update(range(tok.start[0], tok.end[0] + 1))
        if tok.type not in (tokenize.NL, tokenize.COMMENT):
            previous = tok.type
    return len(lines)


def test_code_lines_counts_code_only():
    source = '"""Doc."""\n\n# a comment\ndef f(x):\n    """Doc."""\n    return (x +\n            1)  # why\n'
    assert code_lines(source) == 3


def test_the_engine_wing_fits_its_budget():
    sizes = {str(p.relative_to(WING)): code_lines(p.read_text()) for p in sorted(WING.rglob("*.py"))}
    assert sum(sizes.values()) <= WING_BUDGET, (sum(sizes.values()), sizes)


def test_the_reading_path_is_short():
    for name, budget in WALK_BUDGET.items():
        assert code_lines(inspect.getsource(getattr(walk, name))) <= budget, name
    assert code_lines(textwrap.dedent(inspect.getsource(Node.apply))) <= APPLY_BUDGET


def test_no_forward_or_backward_checks_its_arguments():
    """The ops hold math only: no op raises (the door checks live in checks.py)."""
    for path in sorted((WING / "ops").glob("*.py")):
        tree = ast.parse(path.read_text())
        raises = [f"{path.name}:{n.lineno}" for n in ast.walk(tree) if isinstance(n, ast.Raise)]
        assert not raises, raises


def test_a_small_backward_stays_in_the_engine_and_enters_few_functions():
    """From ``loss.backward()`` to each op's backward and back into ``.grad`` (a CPU float32 graph): every function
    entered is in minigan/engine/, and there are few of them (counted with ``sys.setprofile``)."""
    entered = functions_entered_by_a_small_backward()
    assert entered and all(name.startswith("engine/") for name in entered), entered
    assert len(entered) <= READING_PATH_CALLS, entered


# On NumPy 1.x the parity layer undoes NumPy 1.x's promotion of 0-d operands by value in each result the engine makes
# (minigan.Tensor._make calls parity.numpy_2_promotes): not the engine's path, left out there
NUMPY_1_RULE = {"surface/tensor.py::_make", "surface/parity.py::numpy_2_promotes"} if backend.np.__version__.startswith(
    "1.") else set()


def functions_entered_by_a_small_backward(device_module=None):
    """The minigan functions that ``sigmoid(w * x).backward()`` enters, by file and name.

    Counted the same way on every supported Python and machine: functions only, not the frames a comprehension
    or a generator expression makes (Python 3.12 inlines comprehensions into their function, PEP 709, 3.11 gives
    each its own frame), and on the machine a student reads the engine on: no CuPy beside NumPy (where CuPy is
    installed, an op also asks which device its inputs live on: a GPU host's longer path, counted apart below).
    """
    previous = backend.set_device_module(device_module)
    try:
        w, x = minigan.tensor(0.5, requires_grad=True), minigan.tensor(2.0)
        y = minigan.sigmoid(w * x)
        entered = []

        def profile(frame, event, arg):
            code = frame.f_code
            if event == "call" and code.co_filename.startswith(str(ROOT)) and not code.co_name.startswith("<"):
                name = f"{Path(code.co_filename).relative_to(ROOT)}::{code.co_name}"
                if name not in NUMPY_1_RULE:
                    entered.append(name)

        sys.setprofile(profile)
        try:
            y.backward()
        finally:
            sys.setprofile(None)
        s = 1 / (1 + 2.718281828459045 ** -1.0)
        assert abs(float(w.grad.array) - 2 * s * (1 - s)) < 1e-6  # d sigmoid(wx)/dw = x s (1 - s)
    finally:
        backend.set_device_module(previous)
    return entered


def test_the_call_count_is_the_same_with_or_without_comprehension_frames_and_cupy():
    """What makes the count differ between hosts is left out: the same functions on any Python, and a device
    module beside NumPy (the strict stand-in here, CuPy on a GPU host) adds only device bookkeeping."""
    import strict_backend

    plain = functions_entered_by_a_small_backward()
    beside_a_device = functions_entered_by_a_small_backward(strict_backend.strict)
    extra = [name for name in beside_a_device if name not in plain]
    assert all(name.startswith("engine/backend.py::") for name in extra), extra
    assert len(beside_a_device) <= READING_PATH_CALLS + DEVICE_CALLS, beside_a_device
