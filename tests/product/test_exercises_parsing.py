"""The grader parses learners' files in threads while anything else in the process may be parsing too: Python 3.11
counts the depth of an AST's conversion in one place for the whole interpreter, so a parse run in the middle of
another (a finalizer called by a garbage collection, or another thread that collection let in, formatting a
traceback's carets) made the outer one raise ``SystemError: AST constructor recursion depth mismatch``, and failed a
class's grading at random.  ``source.parse`` lets no collection run inside it."""

from __future__ import annotations

import ast
import gc
from pathlib import Path

from minigan.exercises import source

TEXT = (Path(__file__).resolve().parents[2] / "minigan/engine/ops/elementwise.py").read_text(encoding="utf-8")


class _ParsesWhenCollected:
    """Cyclic garbage whose finalizer parses, and leaves the next one behind (many times), so that every
    collection during a parse finds one."""
    left = 0

    def __init__(self):
        self.me = self

    def __del__(self):
        ast.parse("(a + b) * c")
        if _ParsesWhenCollected.left > 0:
            _ParsesWhenCollected.left -= 1
            _ParsesWhenCollected()


def test_a_parse_inside_a_parse_does_not_upset_it():
    threshold = gc.get_threshold()
    gc.collect()
    try:
        for i in range(5):
            _ParsesWhenCollected.left = 10_000
            _ParsesWhenCollected()
            gc.set_threshold(50)  # a collection every 50 new objects: many during one parse of TEXT
            tree = source.parse(TEXT + f"\n# {i}\n")  # (a new text each time: the cache does not answer)
            assert source.find_function(tree, "Mul.backward") is not None
    finally:
        _ParsesWhenCollected.left = 0
        gc.set_threshold(*threshold)
        gc.collect()
    assert gc.isenabled()
