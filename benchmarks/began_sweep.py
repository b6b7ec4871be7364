"""A grid of BEGAN settings on 28×28 images, trained by the PyTorch twin, scored by minigan's metrics.

    python benchmarks/began_sweep.py --device cuda --workers 12 --steps 6000 --eval-at 2000 4000 6000 \\
        --grid 'gamma=[0.5, 0.75, 1.0]' 'generator=["began", "dcgan"]' --out runs/began_sweep

Every combination of the ``--grid`` values (recipe overrides of ``("began", "images28")``, as in
``torch_twin.py --set``) is trained for each ``--seeds`` seed, in ``--workers`` processes at once. Each
run's scores at every ``--eval-at`` step, and BEGAN's k and M_global every 100 steps, go to
``OUT/sweep.jsonl`` (one JSON object a run); its first 64 samples at the last step go to ``OUT/samples.npz``
(uint8, key ``run<i>``, in the order of the JSON lines; rewritten after each run, so a sweep cut short keeps
what it finished). The twin is the tool here because it is the fast
way to search (a GPU); the recipe it finds is then measured with minigan itself.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import json
import multiprocessing
import os
import time

import numpy as np


def one_run(job):
    """Train one (overrides, seed) with the twin; its row and its 64 first samples (uint8)."""
    import torch
    from torch_twin import SUMMARY_KEYS, Twin

    from minigan.gans.recipes import build_experiment

    torch.set_num_threads(1)
    overrides, seed, steps, eval_at, device, data = job
    torch.manual_seed(seed)
    exp = build_experiment("began", data, seed=seed, **overrides)
    twin = Twin(exp, device)
    t0, trace, scores = time.time(), [], []
    for t in range(1, steps + 1):
        twin.train_step(steps)
        if t % 100 == 0:
            trace.append([t, round(twin.last["k"], 4), round(twin.last["m_global"], 4)])
        if t in eval_at:
            m = twin.evaluate()
            scores.append({"step": t, "seconds": round(time.time() - t0, 1),
                           **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()
                              if k in SUMMARY_KEYS + ("class_counts",)}})
    images = np.clip(twin.samples(64) * 255 + 0.5, 0, 255).astype(np.uint8)
    return {"overrides": overrides, "seed": seed, "steps": steps, "scores": scores, "trace": trace}, images


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="fashion-mnist")
    p.add_argument("--grid", nargs="*", default=[], help="KEY=[VALUES] (Python literals): every combination runs")
    p.add_argument("--seeds", nargs="+", type=int, default=[0])
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--eval-at", nargs="+", type=int, default=None, help="steps to score at (default: the last)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    grid = {k: ast.literal_eval(v) for k, v in (s.split("=", 1) for s in a.grid)}
    for key, values in grid.items():
        if not isinstance(values, list):
            p.error(f"--grid {key}=...: expected a list of values, got {values!r}")
    eval_at = tuple(a.eval_at or (a.steps,))
    combos = [dict(zip(grid, values)) for values in itertools.product(*grid.values())]
    jobs = [(c, s, a.steps, eval_at, a.device, a.data) for c in combos for s in a.seeds]
    os.makedirs(a.out, exist_ok=True)
    images = {}
    ctx = multiprocessing.get_context("spawn")  # CUDA cannot be used in a forked child
    with ctx.Pool(a.workers) as pool, open(os.path.join(a.out, "sweep.jsonl"), "w") as f:
        for i, (row, imgs) in enumerate(pool.imap(one_run, jobs)):
            f.write(json.dumps(row) + "\n")
            f.flush()
            images[f"run{i}"] = imgs
            last = row["scores"][-1]
            print(json.dumps({"run": i, **row["overrides"], "seed": row["seed"],
                              **{k: last.get(k) for k in ("classes_covered", "frechet_distance", "precision",
                                                          "recall", "coverage", "seconds")},
                              "k": row["trace"][-1][1] if row["trace"] else None}), flush=True)
            np.savez_compressed(os.path.join(a.out, "samples.npz"), **images)


if __name__ == "__main__":
    main()
