"""dcgan-28's convolutions with their activations, forward + backward, as another revision computes them against
this tree, paired in one process: the other revision's ``F.conv2d``/``F.conv_transpose2d`` and their ops
(``minigan/functional/conv.py``, ``minigan/engine/ops/conv.py``) are loaded from git as modules of their own (they
need only the engine and the library around them, which both share), and each round runs both, alternating, on
the same arrays.  Written to price the row-major result (PyTorch's layout, a copy of each output) against the batch-last
view the ops returned before.

    env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/conv_layout_paired.py d9522bf
    ... conv_layout_paired.py d9522bf 7 3 dcgan-28     (whole iterations of a bench workload, its layers' convolutions
                                                       swapped in turn)
"""

import subprocess
import sys
import time
import types

import numpy as np

import minigan
import minigan.functional as F
from minigan.functional import conv as this_tree


def module_at(revision, path, **replacing):
    """The module at ``path`` as ``revision`` wrote it, named after both, with the names in ``replacing`` rebound."""
    source = subprocess.run(["git", "show", f"{revision}:{path}"], capture_output=True, text=True, check=True).stdout
    module = types.ModuleType(f"{path}@{revision}")
    exec(compile(source, f"{revision}:{path}", "exec"), module.__dict__)  # noqa: S102
    module.__dict__.update(replacing)
    return module


def doors_at(revision):
    """F.conv2d and F.conv_transpose2d as ``revision`` wrote them, calling that revision's ops.  Those ops are the
    ``minigan.engine.ops.conv`` the doors' module imports while it runs, so that the classes it makes
    (``class Conv2d(C.Conv2d)``) are that revision's ops too, not this tree's."""
    import minigan.engine.ops as ops
    ours, theirs = ops.conv, module_at(revision, "minigan/engine/ops/conv.py")
    ops.conv = sys.modules["minigan.engine.ops.conv"] = theirs
    try:
        return module_at(revision, "minigan/functional/conv.py")
    finally:
        ops.conv = sys.modules["minigan.engine.ops.conv"] = ours


def step(F_conv, x, weights):
    """G's two transposed convolutions and D's two convolutions (dcgan-28's, k4 s2 p1, batch 64), with their
    activations, forward and backward: the conv ops' share of an iteration."""
    g1, g2, d1, d2 = weights
    h = F.relu(x)
    h = F.relu(F_conv.conv_transpose2d(h, g1, None, 2, 1))  # 128 → 64, 7² → 14²
    image = F.tanh(F_conv.conv_transpose2d(h, g2, None, 2, 1))  # 64 → 1, 14² → 28²
    h = F.leaky_relu(F_conv.conv2d(image, d1, None, 2, 1), 0.2)  # 1 → 64, 28² → 14²
    h = F.leaky_relu(F_conv.conv2d(h, d2, None, 2, 1), 0.2)  # 64 → 128, 14² → 7²
    h.flatten(1).sum().backward()


def iterations(revision, rounds, number, workload):
    """Whole iterations of a bench workload, its layers' convolutions (``convolve``) those of ``revision`` and this
    tree's in turn: the share of an iteration the difference is."""
    from minigan import nn
    from minigan.cli.bench import workloads as bench
    minigan.set_num_threads(1)
    step, _, _ = bench.make_workload(workload, bench.minigan_framework())
    theirs = doors_at(revision)
    contenders = ((revision, theirs.conv2d, theirs.conv_transpose2d), ("this tree", F.conv2d, F.conv_transpose2d))
    times = {name: [] for name, *_ in contenders}
    for _ in range(rounds):
        for name, conv2d, conv_transpose2d in contenders:
            nn.Conv2d.convolve, nn.ConvTranspose2d.convolve = staticmethod(conv2d), staticmethod(conv_transpose2d)
            step()  # (one iteration first: the other contender's arrays leave the allocator's caches)
            began = time.process_time()
            for _ in range(number):
                step()
            times[name].append((time.process_time() - began) / number * 1e3)
    nn.Conv2d.convolve, nn.ConvTranspose2d.convolve = staticmethod(F.conv2d), staticmethod(F.conv_transpose2d)
    return times


def main(revision="d9522bf", rounds=9, number=5, workload=None):
    if workload is not None:
        return report(iterations(revision, rounds, number, workload), rounds)
    minigan.set_num_threads(1)
    rng = np.random.default_rng(0)
    shapes = [(128, 64, 4, 4), (64, 1, 4, 4), (64, 1, 4, 4), (128, 64, 4, 4)]
    weights = [minigan.tensor((rng.standard_normal(s) * 0.05).astype(np.float32), requires_grad=True) for s in shapes]
    x = minigan.tensor(rng.standard_normal((64, 128, 7, 7)).astype(np.float32), requires_grad=True)
    contenders = ((revision, doors_at(revision)), ("this tree", this_tree))
    times = {name: [] for name, _ in contenders}
    for _ in range(rounds):  # alternating, so that a noisy stretch of the machine hits both
        for name, F_conv in contenders:
            began = time.process_time()  # (CPU time: the time other jobs on a shared machine hold the core is left out)
            for _ in range(number):
                step(F_conv, x, weights)
            times[name].append((time.process_time() - began) / number * 1e3)
    report(times, rounds)


def report(times, rounds):
    for name, ts in times.items():
        ts.sort()
        print(f"{name:10s} median {ts[len(ts) // 2]:7.2f} ms   best {ts[0]:7.2f} ms   (of {rounds} rounds)")


if __name__ == "__main__":
    main(*sys.argv[1:2], *map(int, sys.argv[2:4]), *sys.argv[4:5])
