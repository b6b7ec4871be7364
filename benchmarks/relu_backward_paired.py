"""relu's first-order backward on a CPU, paired in one process: the select as dd38f76 wrote it (NumPy's where(), which
branches on each element), d9522bf's product with a float mask (which gives NaN for an ∞ or NaN gradient where
x ≤ 0: the speed to match, not the semantics) and the bits ANDed with words made from the mask as 61a6dc3 did,
against backend.keep_where (the bits times 1 or 0), alternating, on the same arrays.

    env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/relu_backward_paired.py
"""

import sys
import time
import timeit

import numpy as np

from minigan.engine import backend


def old(grad, out):  # dd38f76's _relu_grad on a CPU
    return np.where(out <= 0, 0, grad)


def product(grad, out):  # d9522bf's: grad · H(x), the mask as floats
    return grad * (out > 0).astype(out.dtype)


def and_words(grad, out):  # 61a6dc3's: all-ones words (mask − 1 in bytes, widened) ANDed with the bits
    words = np.asarray((out <= 0).view(np.int8) - 1).astype(f"i{grad.itemsize}")
    return np.bitwise_and(words, grad.view(words.dtype), out=words).view(grad.dtype)


def new(grad, out):
    return backend.keep_where(out != 0, grad)


def main(rounds=7, number=200):
    rng = np.random.default_rng(0)
    for shape in [(256, 128), (64, 64, 14, 14)]:  # mlp-ring's hidden layers; a dcgan-28 feature map
        out = np.maximum(rng.normal(size=shape), 0).astype(np.float32)
        grad = rng.normal(size=shape).astype(np.float32)
        assert all(np.array_equal(f(grad, out), new(grad, out)) for f in (old, product, and_words))
        contenders = (("where (dd38f76)", old), ("product (d9522bf)", product), ("and_words (61a6dc3)", and_words),
                      ("keep_where", new))
        times = {name: [] for name, _ in contenders}
        for _ in range(rounds):  # alternating, so that a noisy stretch of the machine hits all
            for name, fn in contenders:
                call = (lambda f=fn, g=grad, o=out: f(g, o))
                # (CPU time: the time other jobs on a shared machine hold the core is left out)
                times[name].append(timeit.timeit(call, number=number, timer=time.process_time) / number * 1e6)
        for name, ts in times.items():
            ts.sort()
            print(f"{shape}  {name:19s} median {ts[len(ts) // 2]:8.1f} µs   best {ts[0]:8.1f} µs")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
