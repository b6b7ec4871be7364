"""Quality against training time for one `train` run: its periodic evaluations as a figure and a table.

    python benchmarks/eval_curve.py RUN_DIR --out demos/figures/curve.png [--per-epoch 937.5]

Reads RUN_DIR/metrics.json (written by ``python -m minigan train ... --eval-every N``): one evaluation every N
steps, each with the reference classifier's Fréchet distance and the k-NN precision, recall and coverage.
Draws the Fréchet distance (left, with its real-vs-real floor) and precision, recall and coverage (right,
each with its real-vs-real value dashed) against epochs, and prints the Markdown table of the same numbers.
"""

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from minigan.viz import save_figure  # noqa: E402

KNN = (("precision", "C0"), ("recall", "C1"), ("coverage", "C2"))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("run", type=Path, help="a train run's folder (holds metrics.json)")
    p.add_argument("--out", required=True, help="the PNG to write")
    p.add_argument("--per-epoch", type=float, default=937.5, help="steps in an epoch (Fashion-MNIST at batch 64)")
    a = p.parse_args(argv)
    metrics = json.loads((a.run / "metrics.json").read_text())
    evals = metrics["evals"]
    if not evals or "frechet_distance" not in evals[0]:
        raise SystemExit(f"eval_curve: {a.run}/metrics.json has no Fréchet evaluations (train with --eval-every N)")
    epochs = [e["step"] / a.per_epoch for e in evals]

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    left.plot(epochs, [e["frechet_distance"] for e in evals], "o-", color="k", ms=3, label="samples vs real")
    left.axhline(evals[0]["frechet_floor"], ls="--", color="grey", label="real vs real (floor)")
    left.set(xlabel="epoch", ylabel="Fréchet distance (lower is better)", yscale="log")
    left.legend()
    for key, colour in KNN:
        right.plot(epochs, [e[key] for e in evals], "o-", color=colour, ms=3, label=key)
        right.axhline(evals[0][f"{key}_real_vs_real"], ls="--", color=colour, lw=0.8)
    right.set(xlabel="epoch", ylabel="share (dashed: real vs real)", ylim=(0, 1))
    right.legend(loc="lower right")
    cfg = metrics["config"]
    fig.suptitle(f"{cfg['algorithm']} on {cfg['data']}, seed {cfg['seed']}: quality against training")
    fig.tight_layout()
    print("wrote", save_figure(fig, a.out, "eval_curve"))

    print("| epoch | step | Fréchet | precision | recall | density | coverage | classes |")
    print("|---|---|---|---|---|---|---|---|")
    for ep, e in zip(epochs, evals):
        print(f"| {ep:.0f} | {e['step']:,} | {e['frechet_distance']:.1f} | {e['precision']:.3f} | {e['recall']:.3f} "
              f"| {e['density']:.3f} | {e['coverage']:.3f} | {e['classes_covered']} |")


if __name__ == "__main__":
    main()
