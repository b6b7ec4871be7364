"""How many kernels a GPU would launch for each op, counted on the CPU.

    python benchmarks/kernel_counts.py [--json PATH] [--batch N]

Runs each op (forward, then backward) and each optimizer step on the "cuda" device played by the strict
stand-in for CuPy (tests/strict_backend.py) and counts, per call, what CuPy would launch: a call that writes
memory (a new array that is not a view, ``out=``, an in-place change, a fused function) is one kernel, a view
(reshape, transpose, slicing, ``as_strided``) none.  It is a count of calls, not a GPU trace: a CuPy reduction
may use one or two kernels, ``zeros`` is a memset, and cuBLAS may split a product; but every call counted here
is at least one launch on a GPU, each costing 5–20 µs of Python and driver time.

The stand-in is taken from this file's own tree, minigan from ``PYTHONPATH``: the same script counts another
tree (``PYTHONPATH=/path/to/other/tree python benchmarks/kernel_counts.py``), for a before/after table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

import strict_backend  # noqa: E402

import minigan  # noqa: E402
import minigan.functional as F  # noqa: E402
from minigan import optim  # noqa: E402
from minigan.engine import backend


def _tensor(rng, *shape, grad=True):
    return minigan.from_numpy(strict_backend.strict.asarray(rng.standard_normal(shape).astype("float32"))) \
        .requires_grad_(grad)


def op_cases(n):
    """name → (make inputs, forward(inputs) → output)."""
    return {
        "conv2d 64→128 k4s2p1 (14²)": (lambda r: (_tensor(r, n, 64, 14, 14), _tensor(r, 128, 64, 4, 4),
                                                   _tensor(r, 128)),
                                        lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1)),
        "conv_transpose2d 128→64 k4s2p1 (7²)": (lambda r: (_tensor(r, n, 128, 7, 7), _tensor(r, 128, 64, 4, 4),
                                                           _tensor(r, 64)),
                                                 lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1)),
        "conv2d 64→64 k3s1p1 (16²)": (lambda r: (_tensor(r, n, 64, 16, 16), _tensor(r, 64, 64, 3, 3),
                                                  _tensor(r, 64)),
                                       lambda x, w, b: F.conv2d(x, w, b, stride=1, padding=1)),
        "batch_norm2d (training)": (lambda r: (_tensor(r, n, 64, 14, 14), _tensor(r, 64), _tensor(r, 64)),
                                    lambda x, g, b: F.batch_norm(x, None, None, g, b, training=True)),
        "linear 6272→1": (lambda r: (_tensor(r, n, 6272), _tensor(r, 1, 6272), _tensor(r, 1)),
                          lambda x, w, b: F.linear(x, w, b)),
        "relu": (lambda r: (_tensor(r, n, 64, 14, 14),), F.relu),
        "leaky_relu 0.2": (lambda r: (_tensor(r, n, 64, 14, 14),), lambda x: F.leaky_relu(x, 0.2)),
        "sigmoid": (lambda r: (_tensor(r, n, 64, 14, 14),), F.sigmoid),
        "tanh": (lambda r: (_tensor(r, n, 1, 28, 28),), F.tanh),
        "bce_with_logits (mean)": (lambda r: (_tensor(r, n, 1), _tensor(r, n, 1, grad=False)),
                                   F.binary_cross_entropy_with_logits),
        "mse_loss (mean)": (lambda r: (_tensor(r, n, 784), _tensor(r, n, 784, grad=False)), F.mse_loss),
    }


OPTIMIZERS = {
    "Adam": lambda ps: optim.Adam(ps, lr=2e-4, betas=(0.5, 0.999)),
    "Adam amsgrad": lambda ps: optim.Adam(ps, lr=2e-4, amsgrad=True),
    "SGD momentum": lambda ps: optim.SGD(ps, lr=0.01, momentum=0.9),
    "SGD nesterov": lambda ps: optim.SGD(ps, lr=0.01, momentum=0.9, nesterov=True),
    "OptimisticAdam": lambda ps: optim.OptimisticAdam(ps, lr=2e-4),
    "OptimisticSGD": lambda ps: optim.OptimisticSGD(ps, lr=0.01),
}


def count(fn, *args):
    with strict_backend.counting() as launches:
        result = fn(*args)
    return sum(launches.values()), dict(launches), result


def count_ops(n):
    rng = backend.np.random.default_rng(0)
    rows = {}
    for name, (make, forward) in op_cases(n).items():
        inputs = make(rng)
        forward(*inputs).sum().backward()  # once first: caches (index arrays) are built outside the count
        inputs = make(rng)
        fwd, fwd_by, out = count(forward, *inputs)
        bwd, bwd_by, _ = count(out.sum().backward)
        rows[name] = {"forward": fwd, "backward": bwd, "forward_by_call": fwd_by, "backward_by_call": bwd_by}
    for name, make in OPTIMIZERS.items():
        p = _tensor(rng, 64, 128, 4, 4)
        opt = make([p])
        for _ in range(3):  # the first steps make the state; the third is counted
            p.grad = _tensor(rng, 64, 128, 4, 4, grad=False)
            total, by, _ = count(opt.step)
        rows[f"{name} step (one parameter)"] = {"step": total, "step_by_call": by}
    return rows


def count_iteration(batch):
    from minigan.cli.bench import workloads

    step, _, _ = workloads.make_workload("dcgan-bn-28", workloads.minigan_framework(), batch=batch)
    step()
    total, by, _ = count(step)
    return {"dcgan-bn-28 iteration": {"total": total, "by_call": by}}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", default=None, help="write the counts here (JSON)")
    parser.add_argument("--batch", type=int, default=8, help="batch size (counts do not depend on it)")
    args = parser.parse_args(argv)
    with strict_backend.installed():
        minigan.use_backend("cupy")
        try:
            rows = count_ops(args.batch)
            rows.update(count_iteration(args.batch))
        finally:
            minigan.use_backend("numpy")
    print(f"{'op':<40} {'forward':>8} {'backward':>9} {'step/total':>11}")
    for name, r in rows.items():
        print(f"{name:<40} {r.get('forward', ''):>8} {r.get('backward', ''):>9} "
              f"{r.get('step', r.get('total', '')):>11}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"minigan": os.path.dirname(os.path.dirname(minigan.__file__)), "counts": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
