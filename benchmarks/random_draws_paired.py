"""The draws a GAN step and a dropout layer make, paired in one process: 7a87b6a's generator (NumPy's PCG64:
``standard_normal``, ``random`` and ``permutation`` as minigan/surface/random.py called them) against PyTorch's CPU
generator as minigan draws it now (mt19937's words and PyTorch's transforms), alternating, CPU time, with a GAN step
of the ring recipe for scale (its two noise draws are part of it).

    env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/random_draws_paired.py
"""

import statistics
import time

import numpy as np

from minigan.surface import random


def timed(fn, reps):
    start = time.process_time()
    for _ in range(reps):
        fn()
    return (time.process_time() - start) / reps * 1e6


def main():
    pcg = np.random.Generator(np.random.PCG64(0))
    cases = {  # name: (before, now, repetitions)
        "manual_seed": (lambda: np.random.Generator(np.random.PCG64(5)), lambda: random.manual_seed(5), 2000),
        "noise randn(64, 2), the ring recipe": (lambda: pcg.standard_normal((64, 2), dtype=np.float32),
                                                lambda: random.randn((64, 2), np.float32), 500),
        "noise randn(64, 100), DCGAN's": (lambda: pcg.standard_normal((64, 100), dtype=np.float32),
                                          lambda: random.randn((64, 100), np.float32), 300),
        "dropout mask (64, 256), p = 0.5": (lambda: pcg.random((64, 256), dtype=np.float32) >= 0.5,
                                            lambda: random.bernoulli(0.5, (64, 256), np.float32), 300),
        "dropout2d mask (64, 128, 1, 1)": (lambda: pcg.random((64, 128, 1, 1), dtype=np.float32) >= 0.5,
                                           lambda: random.bernoulli(0.5, (64, 128, 1, 1), np.float32), 1000),
        "rand(64, 784)": (lambda: pcg.random((64, 784), dtype=np.float32),
                          lambda: random.rand((64, 784), np.float32), 200),
        "randperm(60000), an MNIST epoch's order": (lambda: pcg.permutation(60000),
                                                    lambda: random.permutation(60000), 5),
    }
    from minigan.gans.recipes import build_experiment
    exp = build_experiment("gan", "ring:4", seed=0, batch_size=64)
    exp.train_step(3)
    step = statistics.median(timed(lambda: exp.train_step(1), 5) for _ in range(5))
    print(f"for scale: one GAN step of the ring recipe (batch 64), {step:,.0f} µs of CPU")
    print("| draw | before (PCG64) µs | now (PyTorch's stream) µs | now / before |\n|---|---:|---:|---:|")
    for name, (before, now, reps) in cases.items():
        pairs = [(timed(before, reps), timed(now, reps)) for _ in range(7)]  # alternating, 7 rounds
        b, n = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
        print(f"| {name} | {b:,.1f} | {n:,.1f} | {n / b:.2f} |")


if __name__ == "__main__":
    main()
