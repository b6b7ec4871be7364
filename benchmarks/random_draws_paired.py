"""The draws a GAN step and a dropout layer make, paired in one process: the random module of earlier revisions (by
default fa8197f7^, the generator before PyTorch's stream: NumPy's PCG64) against the working tree's, and PyTorch's
own sampler beside them, alternating, CPU time, medians of the rounds.  Whole training steps give the scale, every
draw in them made by each revision's module in turn: a GAN step of the ring recipe (batch 64, its two noise draws),
and two steps that use dropout: lesson 13's GAN step (the digits MLP GAN, batch 128, half of D's input pixels
dropped: two noise draws, a batch's indices and three (128, 64) masks) and a step of the digits MLP classifier
(minigan/classifier.py's DigitsMLP, batch 64, Adam: masks (64, 64) and (64, 128) at p = 0.3).

    env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \\
        python benchmarks/random_draws_paired.py [REV ...] [--rounds 9] [--gan-rounds 30] [--dropout-rounds 100]
                                                 [--clocked-rounds 20] [--json FILE]

A step's ratio is also given round by round (the tree's time over each revision's, measured next to each other),
with the quartiles of those ratios: the spread the load leaves; then, in rounds apart, the CPU time the step's draws
take inside it, by function (``--clocked-rounds``).

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
from minigan.surface import random

BEFORE = "fa8197f7^"  # the last revision whose host stream was NumPy's PCG64
ROOT = Path(__file__).resolve().parents[1]


def module_at(rev):
    """The random module as it was at ``rev`` (minigan/surface/random.py, engine/random.py before it moved), as a
    module of its own."""
    for path in ("minigan/surface/random.py", "minigan/engine/random.py"):
        shown = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode == 0:
            break
    else:
        raise SystemExit(f"{rev} has no random module (minigan/surface/random.py or minigan/engine/random.py)")
    spec = importlib.util.spec_from_loader(f"random_at_{rev}", loader=None)
    module = importlib.util.module_from_spec(spec)
    exec(compile(shown.stdout, f"{rev}:{path}", "exec"), module.__dict__)
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
        "randn(128, 32), lesson 13's noise": (lambda: R.randn((128, 32), f32, np), 100),
        "dropout mask (64, 256), p = 0.5": (mask((64, 256)), 100),
        "dropout mask (128, 64), p = 0.5 (lesson 13's D input)": (mask((128, 64)), 100),
        "dropout mask (64, 128), p = 0.3 (the digits MLP's)": (mask((64, 128), 0.3), 200),
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
        "randn(128, 32), lesson 13's noise": lambda: torch.randn(128, 32),
        "dropout mask (64, 256), p = 0.5": lambda: torch.empty(64, 256).bernoulli_(0.5),
        "dropout mask (128, 64), p = 0.5 (lesson 13's D input)": lambda: torch.empty(128, 64).bernoulli_(0.5),
        "dropout mask (64, 128), p = 0.3 (the digits MLP's)": lambda: torch.empty(64, 128).bernoulli_(0.7),
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


class RandMask:
    """An earlier revision's module as the tree's dropout sees it: a keep-mask drawn as that revision's dropout drew
    it, U[0, 1) >= the drop probability (a float mask, as the tree's ``bernoulli``; it was a cast there)."""

    def __init__(self, R):
        self.R = R

    def __getattr__(self, name):
        return getattr(self.R, name)

    def bernoulli(self, p, shape, dtype, xp=None, gen=None):
        return (self.R.rand(shape, dtype, xp) >= 1 - p).astype(dtype)


def paired_steps(modules, rounds, step, homes, reps=10):
    """CPU µs of ``step()`` (median of the rounds of ``reps`` steps) with each module in turn drawing whatever the
    modules ``homes`` draw, alternating, the order reversed every other round; and the tree's time over each
    revision's, round by round (the two measured next to each other), as quartiles."""
    times = {name: [] for name in modules}
    try:
        for r in range(rounds):
            for name in modules if r % 2 == 0 else list(modules)[::-1]:
                R = modules[name]
                for home in homes:
                    home.random = RandMask(R) if home is DROPOUT and not hasattr(R, "bernoulli") else R
                times[name].append(timed(step, reps))
    finally:
        for home in homes:
            home.random = random
    us = {name: statistics.median(t) for name, t in times.items()}
    quartiles = lambda x: statistics.quantiles(x, n=4) if len(x) > 1 else x * 3
    spread = {f"tree/{name}": [round(q, 4) for q in quartiles([a / b for a, b in zip(times["tree"], t)])]
              for name, t in times.items() if name != "tree"}
    return us, spread


class Clocked:
    """A module whose draws add their CPU time and count into ``spent``, by function: what a step's draws cost
    inside the step (its caches, its load), not alone."""

    def __init__(self, R, spent):
        self.R, self.spent = R, spent

    def __getattr__(self, name):
        f = getattr(self.R, name)
        if not callable(f) or isinstance(f, type):
            return f

        def clocked(*args, **kwargs):
            start = time.process_time()
            out = f(*args, **kwargs)
            self.spent[name] = self.spent.get(name, 0.0) + time.process_time() - start
            return out
        return clocked


def draws_in_step(modules, make, rounds):
    """CPU µs a step spends in each module's draws, by function, over ``rounds`` rounds of 10 steps."""
    spent = {name: {} for name in modules}
    make({name: Clocked(R if hasattr(R, "bernoulli") else RandMask(R), spent[name])  # (a mask as the step's)
          for name, R in modules.items()}, rounds)
    return {name: {f: round(t / (rounds * 10) * 1e6, 1) for f, t in s.items()} for name, s in spent.items()}


DROPOUT = importlib.import_module("minigan.functional.dropout")  # (the package's ``dropout`` is the function)


def gan_step(modules, rounds):
    """One GAN step of the ring recipe, its noise drawn by each module."""
    from minigan.gans import gan
    from minigan.gans.recipes import build_experiment
    exp = build_experiment("gan", "ring:4", seed=0, batch_size=64)
    exp.train_step(3)
    return paired_steps(modules, rounds, lambda: exp.train_step(1), [gan])


def input_dropout_gan_step(modules, rounds):
    """One step of lesson 13's arm with dropout (demos/13_input_dropout.py): the digits MLP GAN, lr 2e-3, batch
    128, D's input pixels dropped with p = 0.5; its noise, real batch and three masks drawn by each module."""
    from minigan.gans import gan, recipes
    exp = recipes.build_experiment("gan", "digits", seed=0, dropout_input=0.5, arch="mlp", lr=2e-3,
                                   batch_size=128, lr_decay=True, steps=1500)
    exp.train_step()
    return paired_steps(modules, rounds, lambda: exp.train_step(), [gan, recipes, DROPOUT])


def classifier_step(modules, rounds):
    """One training step of the digits MLP classifier as minigan/classifier.py's ``fit`` takes it (batch 64,
    cross-entropy, Adam), its two dropout masks drawn by each module; the batches fixed beforehand (``fit`` orders
    them with NumPy's own generator, not minigan's)."""
    import minigan.functional as F
    from minigan.classifier import DigitsMLP
    from minigan.data.digits import load_digits
    from minigan.optim import Adam
    from minigan.surface.tensor import from_numpy
    random.manual_seed(0)
    images, labels = load_digits("train", scale="01")
    model = DigitsMLP()
    model.train()
    opt = Adam(model.parameters(), lr=1e-3)
    order = np.random.default_rng(0).permutation(len(images))[:64 * 22]
    batches = [(images[i], labels[i]) for i in order.reshape(-1, 64)]
    at = [0]

    def step():
        x, y = batches[at[0] % len(batches)]
        at[0] += 1
        loss = F.cross_entropy(model(from_numpy(x)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()

    step()
    return paired_steps(modules, rounds, step, [DROPOUT])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revs", nargs="*", default=[BEFORE])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--gan-rounds", type=int, default=30, help="rounds of 10 GAN steps each")
    parser.add_argument("--dropout-rounds", type=int, default=100,
                        help="rounds of 10 steps each of the two training steps with dropout")
    parser.add_argument("--clocked-rounds", type=int, default=20,
                        help="rounds of 10 steps each that time the draws inside each step (0: none)")
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
    steps = [(gan_step, "GAN step, ring recipe, batch 64 (its two noise draws by each", args.gan_rounds),
             (input_dropout_gan_step, "GAN step, lesson 13's input dropout, batch 128 (noise, batch, 3 masks by each",
              args.dropout_rounds),
             (classifier_step, "classifier step, digits MLP, batch 64 (its 2 dropout masks by each",
              args.dropout_rounds)]
    for make, name, rounds in steps:
        us, spread = make(modules, rounds)
        results.append({"name": f"{name}; {rounds} rounds)", "us": us, "round_ratio_quartiles": spread})
        if args.clocked_rounds:
            results[-1]["draws_us_per_step"] = draws_in_step(modules, make, args.clocked_rounds)
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
    for r in results:
        if "round_ratio_quartiles" in r:
            print(f"{r['name']}: the round-by-round ratio's quartiles " + "; ".join(
                f"{k} {q[0]:.3f} / {q[1]:.3f} / {q[2]:.3f}" for k, q in r["round_ratio_quartiles"].items()))
            for n, drawn in r.get("draws_us_per_step", {}).items():
                print(f"    its draws by {n}, CPU µs a step ({args.clocked_rounds} rounds apart): "
                      f"{sum(drawn.values()):,.0f} = " + " + ".join(f"{f} {t:,.0f}" for f, t in drawn.items()))
    if args.json:
        git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        tree = git("rev-parse", "--short", "HEAD") + (" + changes" if git("status", "--porcelain", "minigan") else "")
        Path(args.json).write_text(json.dumps({"machine": info, "threads": {"numpy_blas_threads": 1,
                                   "torch_threads": 1 if torch else None}, "command": " ".join(sys.argv),
                                   "tree": tree, "minigan": minigan.__file__, "rounds": args.rounds,
                                   "gan_rounds": args.gan_rounds, "dropout_rounds": args.dropout_rounds,
                                   "clocked_rounds": args.clocked_rounds,
                                   "results": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
