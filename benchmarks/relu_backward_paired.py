"""relu's first-order backward on a CPU, paired in one process: the select as dd38f76 wrote it (NumPy's where(), which
branches on each element) and d9522bf's product with a float mask (which gives NaN for an ∞ or NaN gradient where
x ≤ 0: the speed to match, not the semantics) against backend.zero_where (the select on the bits), alternating, on
the same arrays.

    env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/relu_backward_paired.py
"""

import sys
import timeit

import numpy as np

from minigan.engine import backend


def old(grad, out):  # dd38f76's _relu_grad on a CPU
    return np.where(out <= 0, 0, grad)


def product(grad, out):  # d9522bf's: grad · H(x), the mask as floats
    return grad * (out > 0).astype(out.dtype)


def new(grad, out):
    return backend.zero_where(out <= 0, grad)


def main(rounds=7, number=200):
    rng = np.random.default_rng(0)
    for shape in [(256, 128), (64, 64, 14, 14)]:  # mlp-ring's hidden layers; a dcgan-28 feature map
        out = np.maximum(rng.normal(size=shape), 0).astype(np.float32)
        grad = rng.normal(size=shape).astype(np.float32)
        assert np.array_equal(old(grad, out), new(grad, out)) and np.array_equal(product(grad, out), new(grad, out))
        contenders = (("where (dd38f76)", old), ("product (d9522bf)", product), ("zero_where", new))
        times = {name: [] for name, _ in contenders}
        for _ in range(rounds):  # alternating, so that a noisy stretch of the machine hits all
            for name, fn in contenders:
                call = (lambda f=fn, g=grad, o=out: f(g, o))
                times[name].append(timeit.timeit(call, number=number) / number * 1e6)
        for name, ts in times.items():
            ts.sort()
            print(f"{shape}  {name:17s} median {ts[len(ts) // 2]:8.1f} µs   best {ts[0]:8.1f} µs")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
