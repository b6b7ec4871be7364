"""Where minigan's dcgan-bn-28 iteration spends its time: cProfile of N iterations at one BLAS thread.

    OPENBLAS_NUM_THREADS=1 python benchmarks/profile_dcgan_bn_28.py [--batch 64] [--iters 30]
"""

import argparse
import cProfile
import pstats
import time

import minigan
from minigan.cli.bench import workloads
from minigan.process import keep_freed_memory


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--iters", type=int, default=30)
    p.add_argument("--top", type=int, default=30)
    a = p.parse_args()
    minigan.set_num_threads(1)
    keep_freed_memory()  # as python -m minigan.bench does
    workloads.RUN.update(torch=None, batch=a.batch)
    step, _, _ = workloads.make_workload("dcgan-bn-28", workloads.minigan_framework(), a.batch)
    for _ in range(3):
        step()
    t0 = time.process_time()
    for _ in range(a.iters):
        step()
    print(f"{1e3 * (time.process_time() - t0) / a.iters:.1f} CPU-ms/iter without the profiler")
    prof = cProfile.Profile(time.process_time)  # CPU time: a busy machine does not blur it
    prof.enable()
    for _ in range(a.iters):
        step()
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(a.top)


if __name__ == "__main__":
    main()
