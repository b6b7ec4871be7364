"""Does minigan lean one way beside its PyTorch twin? Every paired seed of the parity tables, pooled.

    python benchmarks/parity_pooled.py

A pair is one seed trained by both frameworks from the same initial weights, noise and batches
(``torch_twin.py``). For each metric it prints how many pairs minigan scored higher and lower, the two-sided
sign test's p-value, and the mean paired difference with its standard error. A lean of minigan's own would show
as one sign on most pairs; seeds alone give about half each way. The digits' BEGAN at γ = 0.5 is left out: both
frameworks collapse there and its precision is all-or-nothing (demos/results.md).
"""

import json
import math
import statistics
from pathlib import Path

RESULTS = Path(__file__).with_name("results")
PARITY = ["digits_wgan-gp", "digits_began_gamma1", "fashion-mnist_gan", "fashion-mnist_cgan",
          "fashion-mnist_wgan-gp", "fashion-mnist_wgan"]
METRICS = ["frechet_distance", "precision", "recall", "density", "coverage"]
# Fashion-MNIST BEGAN: minigan's NumPy runs (train began) beside the twin's runs of the same settings
BEGAN_SETTINGS = [{"gamma": 1.0},
                  {"generator": "dcgan", "channels": 16, "gamma": 1.0, "lr": 0.0002, "lambda_k": 0.01}]


def read(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def pairs():
    """(table, seed, minigan's scores, PyTorch's scores) for every seed run by both."""
    out = []
    for name in PARITY:
        by_seed = {}
        for row in read(RESULTS / "parity" / f"{name}.jsonl"):
            by_seed.setdefault((json.dumps(row.get("overrides", {}), sort_keys=True), row["seed"]), {})[
                row["framework"]] = row
        out += [(name, seed, runs["minigan"], runs["torch"]) for (_, seed), runs in sorted(by_seed.items())
                if "minigan" in runs and "torch" in runs]
    began = RESULTS / "began"
    mine = {r["seed"]: r["scores"][-1] for r in read(began / "fashion-mnist_recipe_minigan.jsonl")
            if r["backend"] == "numpy"}
    twin_runs = [r for name in ("recipe", "grid") for r in read(began / f"fashion-mnist_{name}_twin_cuda.jsonl")]
    twin = {r["seed"]: r["scores"][-1] for r in twin_runs if r["overrides"] in BEGAN_SETTINGS and r["steps"] == 6000}
    out += [("fashion-mnist_began", seed, mine[seed], twin[seed]) for seed in sorted(mine) if seed in twin]
    return out


def sign_test(higher, lower):
    """Two-sided binomial p-value of ``higher`` against ``lower`` under a fair coin (ties dropped)."""
    n, k = higher + lower, max(higher, lower)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k, n + 1)) / 2 ** n)


def main():
    found = pairs()
    print(f"{len(found)} paired seeds: " + ", ".join(sorted({name for name, *_ in found})))
    for key in METRICS:
        d = [a[key] - b[key] for _, _, a, b in found]
        higher, lower = sum(x > 0 for x in d), sum(x < 0 for x in d)
        mean, se = statistics.mean(d), statistics.stdev(d) / math.sqrt(len(d))
        p = sign_test(higher, lower)
        print(f"{key:17s} minigan higher on {higher:2d}, lower on {lower:2d} (sign test p = {p:.2f});"
              f" mean difference {mean:+.4f} ± {se:.4f} (t = {mean / se:+.2f})")


if __name__ == "__main__":
    main()
