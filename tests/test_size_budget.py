"""A size budget for the core engine, so that it stays something a student reads in one sitting.

Counted are lines of code: not blank lines, comments or docstrings (as teenygrad counts).  The
budget is the size today plus a little room (3%); growing past it should be a decision, not a drift.
"""

import inspect
import io
import tokenize
from pathlib import Path

import minigan.autograd.engine as backprop

ROOT = Path(__file__).resolve().parents[1] / "minigan"
CORE = ["autograd/graph.py", "autograd/engine.py", "autograd/grad_mode.py", "autograd/__init__.py", "autograd/function.py", "_tensor.py"]  # the graph, the walk, the value, grad()
CORE_BUDGET = 975  # 947 today: grad of any order, in-place ops and versions, per-thread modes (740), and
# PyTorch's Tensor surface (dim=/keepdim= doors, max(dim) → (values, indices), size(), type(), to(), .data,
# legacy constructors, method forms): a student reads tensor.py's engine part, then its API part
OPS_BUDGET = 1002  # 930 + 72 for pool.py (max/avg pool, nearest upsampling, their door check): every op's
# forward and backward, ops/*.py, and the checks their doors call
WALK_BUDGET = 30  # lines of each of the two pieces of the backward walk


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


def test_core_engine_fits_its_budget():
    sizes = {name: code_lines((ROOT / name).read_text()) for name in CORE}
    assert sum(sizes.values()) <= CORE_BUDGET, sizes


def test_ops_fit_their_budget():
    sizes = {p.name: code_lines(p.read_text()) for p in sorted((ROOT / "ops").glob("*.py"))}
    assert sum(sizes.values()) <= OPS_BUDGET, sizes


def test_each_piece_of_the_backward_walk_is_short():
    for fn in (backprop.topological_order, backprop.backprop):
        assert code_lines(inspect.getsource(fn)) <= WALK_BUDGET, fn.__name__
