"""The draws a GAN step and a dropout layer make, paired in one process: engine/random.py of earlier revisions (by
default fa8197f7^, the generator before PyTorch's stream: NumPy's PCG64) against the working tree's, and PyTorch's
own sampler beside them, alternating, CPU time, medians of the rounds.  A GAN step of the ring recipe (batch 64),
its two noise draws made by each revision's module in turn, gives the scale.

    env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \\
        python benchmarks/random_draws_paired.py [REV ...] [--rounds 9] [--gan-rounds 30] [--json FILE]

Each revision's module is loaded from git beside the working tree's engine (its backend, its errors), so what
differs is random.py alone.  A mask is drawn as that revision's dropout drew it: U[0, 1) >= p before PyTorch's
stream, bernoulli(1 − p) since.
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import minigan
from minigan.cli.bench.report import machine_info
from minigan.engine import random

BEFORE = "fa8197f7^"  # the last revision whose host stream was NumPy's PCG64
ROOT = Path(__file__).resolve().parents[1]


def module_at(rev):
    """engine/random.py as it was at ``rev``, as a module of its own."""
    source = subprocess.run(["git", "show", f"{rev}:minigan/engine/random.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader(f"random_at_{rev}", loader=None)
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, f"{rev}:minigan/engine/random.py", "exec"), module.__dict__)
    return module


def cases(R, f32=np.float32):
    """name: (the draw made with module R, repetitions)."""
    def mask(shape, p=0.5):
        if hasattr(R, "bernoulli"):
            return lambda: R.bernoulli(1 - p, shape, f32, np)
        return lambda: (R.rand(shape, f32, np) >= p).astype(f32)
    floor = {} if not hasattr(R, "Twister") else {  # the mt19937 words alone (PyTorch's stream only)
        "words alone: 16,384 64-bit (the dropout mask's)": (lambda: R.stream(None, np).u64(16384), 100),
        "words alone: 50,176 32-bit (rand(64, 784)'s)": (lambda: R.stream(None, np).u32(50176), 50),
    }
    return floor | {
        "manual_seed (and the stream made)": (lambda: (R.manual_seed(5), R.generator(np)), 2000),
        "randn(64, 2), the ring recipe's noise": (lambda: R.randn((64, 2), f32, np), 300),
        "randn(64, 100), DCGAN's noise": (lambda: R.randn((64, 100), f32, np), 100),
        "dropout mask (64, 256), p = 0.5": (mask((64, 256)), 100),
        "dropout2d mask (64, 128, 1, 1)": (mask((64, 128, 1, 1)), 300),
        "rand(64, 784)": (lambda: R.rand((64, 784), f32, np), 50),
        "randint(0, 10, (64,))": (lambda: R.randint(0, 10, (64,), np), 1000),
        "randperm(1000)": (lambda: R.permutation(1000, np), 100),
        "randperm(60000), an MNIST epoch's order": (lambda: R.permutation(60000, np), 3),
    }


def torch_cases(torch):
    return {
        "manual_seed (and the stream made)": lambda: torch.manual_seed(5),
        "randn(64, 2), the ring recipe's noise": lambda: torch.randn(64, 2),
        "randn(64, 100), DCGAN's noise": lambda: torch.randn(64, 100),
        "dropout mask (64, 256), p = 0.5": lambda: torch.empty(64, 256).bernoulli_(0.5),
        "dropout2d mask (64, 128, 1, 1)": lambda: torch.empty(64, 128, 1, 1).bernoulli_(0.5),
        "rand(64, 784)": lambda: torch.rand(64, 784),
        "randint(0, 10, (64,))": lambda: torch.randint(0, 10, (64,)),
        "randperm(1000)": lambda: torch.randperm(1000),
        "randperm(60000), an MNIST epoch's order": lambda: torch.randperm(60000),
    }


def timed(fn, reps):
    start = time.process_time()
    for _ in range(reps):
        fn()
    return (time.process_time() - start) / reps * 1e6


def gan_step(modules, rounds):
    """µs of one GAN step of the ring recipe with each module drawing its noise, alternating."""
    from minigan.gans import gan
    from minigan.gans.recipes import build_experiment
    exp = build_experiment("gan", "ring:4", seed=0, batch_size=64)
    exp.train_step(3)
    times = {name: [] for name in modules}
    try:
        for r in range(rounds):
            for name in modules if r % 2 == 0 else list(modules)[::-1]:
                gan.random = modules[name]
                times[name].append(timed(lambda: exp.train_step(1), 10))
    finally:
        gan.random = random
    return {name: statistics.median(t) for name, t in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revs", nargs="*", default=[BEFORE])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--gan-rounds", type=int, default=30, help="rounds of 10 GAN steps each")
    parser.add_argument("--json", help="write the results there")
    args = parser.parse_args()
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        torch = None
    info = machine_info(torch)
    modules = {rev: module_at(rev) for rev in args.revs} | {"tree": random}
    draws = {name: cases(R) for name, R in modules.items()}
    if torch is not None:
        draws["torch"] = {name: (fn, draws["tree"][name][1]) for name, fn in torch_cases(torch).items()}
    results = []
    for case in draws["tree"]:
        times = {name: [] for name in draws if case in draws[name]}
        for r in range(args.rounds):  # alternating, the order reversed every other round
            for name in times if r % 2 == 0 else list(times)[::-1]:
                times[name].append(timed(*draws[name][case]))
        results.append({"name": case, "us": {name: statistics.median(t) for name, t in times.items()}})
    step = gan_step(modules, args.gan_rounds)
    results.append({"name": f"GAN step, ring recipe, batch 64 (its two noise draws by each; {args.gan_rounds} rounds)",
                    "us": step})
    info["loadavg_end"] = os.getloadavg()
    names = list(draws)
    print(f"load average {info['loadavg_start'][0]:.1f} at the start, {info['loadavg_end'][0]:.1f} at the end "
          f"({info['cpu_count']} cores); CPU µs, medians of {args.rounds} alternating rounds")
    print("| draw | " + " | ".join(f"{n} µs" for n in names) + " | "
          + " | ".join(f"tree / {n}" for n in names if n != "tree") + " |")
    print("|---|" + "---:|" * (2 * len(names) - 1))
    for r in results:
        us = r["us"]
        r["ratios"] = {f"tree/{n}": us["tree"] / us[n] for n in us if n != "tree"}
        print(f"| {r['name']} | " + " | ".join(f"{us[n]:,.1f}" if n in us else "" for n in names) + " | "
              + " | ".join(f"{r['ratios'][f'tree/{n}']:.2f}" if n in us else "" for n in names if n != "tree")
              + " |")
    if args.json:
        git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        tree = git("rev-parse", "--short", "HEAD") + (" + changes" if git("status", "--porcelain", "minigan") else "")
        Path(args.json).write_text(json.dumps({"machine": info, "threads": {"numpy_blas_threads": 1,
                                   "torch_threads": 1 if torch else None}, "command": " ".join(sys.argv),
                                   "tree": tree, "minigan": minigan.__file__, "rounds": args.rounds,
                                   "results": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
