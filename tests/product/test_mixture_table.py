"""benchmarks/mixture_table.py: the side-by-side table of mixture runs that demos/results.md shows."""

import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "mixture_table.py"
SPEC = importlib.util.spec_from_file_location("mixture_table", SCRIPT)
mt = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(mt)


def _row(data, seed, modes, k, hq, counts, **overrides):
    return {"data": data, "seed": seed, "steps": 10, "modes": modes, "num_modes": k, "high_quality": hq,
            "mode_counts": counts, "overrides": overrides}


def test_cells_bold_the_misses_filters_select_runs_and_the_summary_counts_them(tmp_path, capsys):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("\n".join(json.dumps(r) for r in [
        _row("grid", 0, 22, 25, 0.97, [0, 5]), _row("ring:16", 1, 16, 16, 0.88, [3, 9]),
        {"data": "grid", "seed": 0, "step": 5, "modes": 1, "overrides": {}},  # a trace line: not a final row
    ]) + "\n")
    b.write_text("\n".join(json.dumps(r) for r in [
        _row("ring:16", 1, 16, 16, 0.95, [120, 130], r1=0.1), _row("ring:16", 1, 16, 16, 0.5, [0, 1], r1=1.0),
    ]) + "\n")
    mt.main([f"base={a}", f"R1={b}@r1=0.1"])
    out = capsys.readouterr().out.splitlines()
    assert out[2] == "| ring:16 | 1 | **16/16, 88.0, 3** | 16/16, 95.0, 120 |"  # rings first; R1 1.0 filtered out
    assert out[3] == "| grid | 0 | **22/25, 97.0, 0** | not run |"  # 22 of 25 modes is under 90%
    assert "- base: 2 runs in the table, 2 miss: ring:16 seed 1, grid seed 0" in out
    assert "- R1: 1 runs in the table, 0 miss" in out
    mt.main([f"base={a}", f"R1={b}@r1=0.1", "--rows-of", "R1"])
    assert "grid" not in capsys.readouterr().out
