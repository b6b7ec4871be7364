"""What minigan's thread policy costs: the same MLP GAN steps (batch 256) in one process, in alternating
blocks, under the default policy (the process keeps its BLAS threads; each minigan product runs in a
one-thread scope) and after ``minigan.set_num_threads(1)`` (the process has one thread; no scope).

    python benchmarks/thread_policy.py [--pairs 7] [--steps 20]

Prints the median over pairs of (default block time) / (one-thread block time), and the cost of the scope
around one tiny product.  docs/performance.md ("Threads") gives the figures.
"""

import argparse
import statistics
import time
import timeit

from threadpoolctl import threadpool_info, threadpool_limits

import minigan
import minigan.nn as nn
from minigan.engine import backend, threads

parser = argparse.ArgumentParser()
parser.add_argument("--pairs", type=int, default=7)
parser.add_argument("--steps", type=int, default=20)
args = parser.parse_args()

process_threads = max(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas")
minigan.manual_seed(0)
G = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2))
D = nn.Sequential(nn.Linear(2, 128), nn.LeakyReLU(0.2), nn.Linear(128, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1))
opt_g = minigan.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = minigan.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
real, ones, zeros = minigan.randn(256, 2), minigan.ones(256, 1), minigan.zeros(256, 1)


def block():
    start = time.perf_counter()
    for _ in range(args.steps):
        fake = G(minigan.randn(256, 2))
        loss_d = bce(D(real), ones) + bce(D(fake.detach()), zeros)
        opt_d.zero_grad(), loss_d.backward(), opt_d.step()
        loss_g = bce(D(fake), ones)
        opt_g.zero_grad(), loss_g.backward(), opt_g.step()
    return time.perf_counter() - start


def default_policy():  # as a script that never calls set_num_threads: the process keeps its count
    threads._threads.update(n=1, set=False)
    threadpool_limits(process_threads, user_api="blas")


def one_thread():
    minigan.set_num_threads(1)


block()  # warm-up
ratios = []
for _ in range(args.pairs):
    default_policy()
    a = block()
    one_thread()
    b = block()
    ratios.append(a / b)
print(f"process BLAS threads {process_threads}; {args.pairs} pairs of {args.steps}-step blocks")
print(f"default policy / one thread: median {statistics.median(ratios):.3f} (min {min(ratios):.3f}, "
      f"max {max(ratios):.3f})")

a2 = backend.np.ones((4, 4), backend.np.float32)
n = 20000
default_policy()
bare = min(timeit.repeat(lambda: a2 @ a2, number=n, repeat=5)) / n * 1e6
scoped = min(timeit.repeat(lambda: backend.matmul(a2, a2), number=n, repeat=5)) / n * 1e6
one_thread()
trusted = min(timeit.repeat(lambda: backend.matmul(a2, a2), number=n, repeat=5)) / n * 1e6
print(f"4x4 product: bare {bare:.2f} us, in the scope {scoped:.2f} us (+{scoped - bare:.2f}), "
      f"after set_num_threads {trusted:.2f} us (+{trusted - bare:.2f})")
