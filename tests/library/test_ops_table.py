"""docs/pytorch.md's op table is minigan/surface/ops.py's rows, as ``ops.markdown()`` writes them."""

import re
from pathlib import Path

import minigan

DOC = Path(__file__).resolve().parents[2] / "docs" / "pytorch.md"


def test_the_op_table_in_the_docs_is_the_rows():
    minigan.tensor  # noqa: B018  (the surface, and with it the table)
    from minigan.surface import ops
    found = re.search(r"<!-- op table:[^\n]*-->\n(.*?)<!-- end of op table -->", DOC.read_text(), re.S)
    assert found, "docs/pytorch.md has no op table between its markers"
    assert found.group(1) == ops.markdown(), "regenerate docs/pytorch.md's op table from minigan.surface.ops.markdown()"


def test_every_row_is_in_the_table():
    from minigan.surface import ops
    table = ops.markdown()
    assert all(f".{r.node.__name__}` |" in table for r in ops.ROWS) and table.count("\n") == len(ops.ROWS) + 2
