"""Score saved generated images (.npy, (N, C, H, W) in [0, 1]) with minigan's image metrics.

    python benchmarks/score_samples.py --data fashion-mnist /tmp/samples/*.npy
"""

import argparse
import json

import numpy as np

from minigan.metrics.images import dataset_metrics

KEYS = ("classes_covered", "class_counts", "frechet_distance", "frechet_floor", "precision", "recall", "density",
        "coverage", "precision_real_vs_real", "recall_real_vs_real", "density_real_vs_real", "coverage_real_vs_real")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="fashion-mnist")
    p.add_argument("files", nargs="+")
    a = p.parse_args(argv)
    import minigan

    minigan.set_num_threads(1)
    for path in a.files:
        m = dataset_metrics(np.load(path).astype(np.float32), a.data)
        print(json.dumps({"file": path, **{k: (round(m[k], 4) if isinstance(m[k], float) else m[k]) for k in KEYS}}),
              flush=True)


if __name__ == "__main__":
    main()
