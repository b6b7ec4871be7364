"""demos/results_table.py's merging: rerunning some rows or one dataset never loses the others."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / "demos" / "results_table.py"
SPEC = importlib.util.spec_from_file_location("results_table", SCRIPT)
rt = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(rt)

HEAD = "| algorithm | steps | seeds | modes | wall time per run (s) |\n|---|---|---|---|---|"
GRID = [r[1] for r in rt.RUNS if r[3] == "grid"]


def block(rows, cmd):
    return "\n".join([HEAD] + [f"| {name} | 1 | 5 | {value} | 1 |" for name, value in rows] + ["", f"Made by `{cmd}`."])


def test_merge_rows_replaces_only_the_rerun_rows_and_keeps_run_order():
    old = block([(GRID[0], "old0"), (GRID[1], "old1"), (GRID[-1], "oldlast")], "all rows")
    new = block([(GRID[1], "new1"), (GRID[2], "new2")], "some rows")
    merged = rt.merge_rows(old, new, "grid").splitlines()
    assert merged[:2] == HEAD.splitlines()
    body = [line for line in merged[2:] if line.startswith("| ")]
    assert [line.split(" | ")[0][2:] for line in body] == [GRID[0], GRID[1], GRID[2], GRID[-1]]
    assert [line.split(" | ")[3] for line in body] == ["old0", "new1", "new2", "oldlast"]
    assert merged[-2:] == ["Made by `all rows`.", "Made by `some rows`."]


def test_merge_keeps_other_datasets_and_block_of_reads_them_back():
    text = ("# t\n\n<!-- results:ring -->\nRING\n<!-- /results:ring -->\n\n"
            "<!-- results:grid -->\nGRID\n<!-- /results:grid -->\n")
    out = rt.merge(text, "grid", "NEW", "##")
    assert rt.block_of(out, "ring") == "RING" and rt.block_of(out, "grid") == "NEW"
    assert rt.block_of(out, "digits") is None
    assert rt.block_of(rt.merge(out, "digits", "D", "##"), "digits") == "D"


def test_unknown_row_key_is_a_clear_error_before_anything_runs():
    with pytest.raises(SystemExit, match="--rows nosuchrow, expected keys among"):
        rt.main(["--rows", "nosuchrow", "--out", "/nonexistent/x.md", "--readme", ""])
