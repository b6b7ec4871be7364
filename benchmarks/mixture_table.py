"""A markdown table of 2-D mixture runs side by side: one row per (data, seed), one column per setting.

    python benchmarks/mixture_table.py \
        "the rule=gan_uniform_rule.jsonl,gan_rule_between_sizes.jsonl" \
        "instance noise 0.1=gan_instance_noise.jsonl,gan_instance_noise_pilots.jsonl@instance_noise=0.1" \
        "R1 0.1=gan_r1_0.1.jsonl" --rows-of "R1 0.1"

Each column is LABEL=FILE[,FILE...][@KEY=VALUE...]: the final rows (those with "steps") of the JSON-line files
that benchmarks/mixture_defaults.py writes, looked up under benchmarks/results/mixtures/ unless a path is given,
and kept only where their overrides hold every KEY=VALUE. A cell is "modes/K, % high quality, thinnest mode's
samples", in bold where it misses the target (≥ 90% of the modes, ≥ 90% of the samples of high quality).
Where a column has a (data, seed) twice, the first row counts. Under the table: each column's runs and misses.
"""

import argparse
import ast
import json
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "mixtures"


def load(spec: str) -> tuple[str, dict]:
    """``LABEL=FILES[@K=V...]`` -> (label, {(data, seed): final row})."""
    label, rest = spec.split("=", 1)
    files, *filters = rest.split("@")
    want = {k: ast.literal_eval(v) for k, v in (f.split("=", 1) for f in filters)}
    runs = {}
    for name in files.split(","):
        path = Path(name) if Path(name).exists() else RESULTS / name
        for line in path.read_text().splitlines():
            row = json.loads(line) if line.strip() else {}
            if "steps" in row and all(row["overrides"].get(k) == v for k, v in want.items()):
                runs.setdefault((row["data"], row["seed"]), row)
    return label, runs


def misses(row: dict) -> bool:
    return row["modes"] < 0.9 * row["num_modes"] or row["high_quality"] < 0.9


def cell(row) -> str:
    if row is None:
        return "not run"
    text = f"{row['modes']}/{row['num_modes']}, {100 * row['high_quality']:.1f}, {min(row['mode_counts'])}"
    return f"**{text}**" if misses(row) else text


def order(key):
    """Rings before grids, by mode count, then seed ("ring" is 8 modes, "grid" 5x5)."""
    data, seed = key
    family, _, size = data.partition(":")
    n = int(size) if size else (8 if family == "ring" else 5)
    return (family != "ring", n, seed)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("columns", nargs="+", help="LABEL=FILE[,FILE...][@KEY=VALUE...]")
    p.add_argument("--rows-of", default=None, help="only the (data, seed) pairs this column has (default: all)")
    args = p.parse_args(argv)
    columns = [load(spec) for spec in args.columns]
    keys = set().union(*(runs for _, runs in columns))
    if args.rows_of:
        keys = set(dict(columns)[args.rows_of])
    print("| data | seed | " + " | ".join(label for label, _ in columns) + " |")
    print("|---|---|" + "---|" * len(columns))
    for key in sorted(keys, key=order):
        print(f"| {key[0]} | {key[1]} | " + " | ".join(cell(runs.get(key)) for _, runs in columns) + " |")
    print()
    for label, runs in columns:
        shown = [runs[k] for k in sorted(keys, key=order) if k in runs]
        missed = [f"{r['data']} seed {r['seed']}" for r in shown if misses(r)]
        names = ": " + ", ".join(missed) if missed else ""
        print(f"- {label}: {len(shown)} runs in the table, {len(missed)} miss{names}")


if __name__ == "__main__":
    main()
