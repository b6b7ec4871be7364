"""Benchmarks: ``python -m minigan.bench [--backend cupy] [--compare torch] [--batch N [N ...]] [--threads N]
[--json PATH] [--only NAME ...]``.

Speed targets live here, never in unit tests.  Every figure is a median over repeats after a
warm-up; with ``--compare torch`` minigan and PyTorch run the *same* workload in the same
process, their repeats interleaved (minigan, torch, minigan, torch, ...) so that a burst of
load on a shared machine hits both; the ratio minigan/PyTorch printed per workload is the
median over repeats of each back-to-back pair's ratio.

The benchmarks (``BENCHMARKS`` below):

* ``op_overhead`` — the autodiff engine's own cost: µs per op (forward + backward) for a long
  chain of tiny elementwise ops, where the arithmetic is negligible and what is left is Python
  bookkeeping.
* ``mlp-ring``, ``mlp-mnist``, ``dcgan-28``, ``dcgan-bn-28`` (and ``dcgan-bn-28-b128``, the same at
  batch 128) — one GAN training iteration, written once and run
  by both frameworks (``gan_step``): one D step on a real batch and a *detached* fake batch
  (BCE-with-logits, real → 1, fake → 0), then one non-saturating G step (BCE(D(G(z)), 1))
  through the *updated* D with D frozen; Adam(lr 2e-4, betas (0.5, 0.999)) for both.  The real
  batch and the noise are fixed arrays made once (the data pipeline is not timed); PyTorch's
  networks start from minigan's weights, so both compute the same numbers.
* ``hand-numpy`` — mlp-ring (and mlp-mnist) written by hand: forward, backward and Adam in plain
  array code, no autodiff — the floor an autodiff engine on NumPy can hope to reach.
* ``conv`` — conv2d / conv_transpose2d forward and forward+backward at the sizes of dcgan-28
  (and one 3×3 layer).
* ``soak`` (not in the default set: ``--only soak``) — 10,000 mlp-ring iterations, sampling the
  resident set size (RSS, /proc/self/statm) and the number of live Tensors: both must stay flat,
  i.e. every step's graph is freed.

Peak memory of a workload is measured with ``tracemalloc`` (NumPy reports its array buffers to
it): the peak of traced bytes during one iteration above what was allocated before it (weights,
optimizer state and data already exist).  On CuPy it is the growth of CuPy's memory pool and
for PyTorch on CUDA ``torch.cuda.max_memory_allocated``; PyTorch's CPU allocator is invisible to
tracemalloc, so no CPU figure is given for it.  The process's ``ru_maxrss`` is in the JSON too.

Threads: ``--threads N`` sets the threads of NumPy's BLAS with ``minigan.set_num_threads(N)``
(threadpoolctl, which finds the BLAS libraries NumPy loaded and sets their pools in this process)
and calls ``torch.set_num_threads(N)``.  Without ``--threads`` NumPy's BLAS is left as it is and
PyTorch gets as many threads as it has.  The thread counts actually in force are printed and
stored in the JSON.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc

import threadpoolctl

import minigan
import minigan.functional as F
from minigan import nn, optim
from minigan.cli.outputs import check_file
from minigan.cli.process import keep_freed_memory
from minigan.engine import backend
from minigan.gans.by_hand import HandMLPGAN
from minigan.serialization import atomic_write

# ----------------------------------------------------------------------------- timing helpers


def _sync(xp):
    """Wait for the GPU so timings measure work, not kernel launches."""
    if xp is not backend.np:
        xp.cuda.Device().synchronize()


def timeit(fn, repeats=7, warmup=2, xp=None, inner=1):
    """Median seconds of one ``fn()`` over ``repeats`` runs of ``inner`` calls, after ``warmup`` calls."""
    return time_interleaved({"fn": (fn, xp or backend.active_module())}, repeats, warmup, inner)["fn"]


def _calibrate(fn, sync, target):
    """How many calls of ``fn`` make one timed repeat of about ``target`` seconds."""
    t0 = time.perf_counter()
    fn()
    sync()
    dt = time.perf_counter() - t0
    return max(1, int(target / max(dt, 1e-7)))


def time_interleaved(fns, repeats=7, warmup=2, inner=None, target=0.1):
    """Median seconds per call of each ``fns[name] = (fn, xp_or_sync)``, repeats interleaved."""
    return {k: statistics.median(v) for k, v in time_repeats(fns, repeats, warmup, inner, target).items()}


def paired_ratio(times, a, b):
    """Median over repeats of times[a][i] / times[b][i]: each pair ran back to back, so a burst of
    load on a shared machine slows both sides of a pair and cancels out of its ratio."""
    return statistics.median(x / y for x, y in zip(times[a], times[b]))


def time_repeats(fns, repeats=7, warmup=2, inner=None, target=0.1):
    """Seconds per call of each ``fns[name] = (fn, xp_or_sync)`` in every repeat, repeats interleaved.

    ``xp_or_sync`` is an array module (its GPU is synchronised) or a callable that waits for
    the device.  Each repeat runs every function ``inner`` times in turn (``inner=None``: enough
    calls for about ``target`` seconds, chosen per function after the warm-up).
    """
    syncs = {k: (s if callable(s) else (lambda xp=s: _sync(xp))) for k, (_, s) in fns.items()}
    for name, (fn, _) in fns.items():
        for _ in range(warmup):
            fn()
        syncs[name]()
    counts = {k: (inner or _calibrate(fn, syncs[k], target)) for k, (fn, _) in fns.items()}
    times = {k: [] for k in fns}
    for _ in range(repeats):
        for name, (fn, _) in fns.items():
            k = counts[name]
            t0 = time.perf_counter()
            for _ in range(k):
                fn()
            syncs[name]()
            times[name].append((time.perf_counter() - t0) / k)
    return times


# ----------------------------------------------------------------------------- threads


def blas_threads() -> int:
    """The thread count of NumPy's BLAS (``minigan.get_num_threads``, read through threadpoolctl)."""
    return minigan.get_num_threads()


def set_threads(n: int, torch=None) -> dict:
    """Use ``n`` threads in NumPy's BLAS and in PyTorch; returns the counts that took effect."""
    minigan.set_num_threads(n)
    if torch is not None:
        torch.set_num_threads(n)
    return thread_info(torch)


def thread_info(torch=None) -> dict:
    info = {"numpy_blas_threads": blas_threads()}
    if torch is not None:
        info["torch_threads"] = torch.get_num_threads()
    return info


# ----------------------------------------------------------------------------- frameworks

_RUN = {"compare": None, "batch": None, "repeats": 9, "warmup": 3, "torch": None, "device": "cpu", "steps": 10_000}


class Framework:
    """What ``gan_step`` needs from a framework: nn, F, Adam, and turning a NumPy array into a tensor."""

    def __init__(self, name, nn_, F_, adam, to_tensor, sync, numel):
        self.name, self.nn, self.F, self.Adam = name, nn_, F_, adam
        self.tensor, self.sync, self.numel = to_tensor, sync, numel


def minigan_framework() -> Framework:
    xp = backend.active_module()
    return Framework("minigan", nn, F, optim.Adam, lambda a: minigan.from_numpy(xp.asarray(a)),
                     lambda: _sync(xp), lambda p: p.numel())


def torch_framework(torch) -> Framework:
    import torch.nn.functional as TF

    device = _RUN["device"]
    sync = (lambda: torch.cuda.synchronize()) if device == "cuda" else (lambda: None)
    return Framework("torch", torch.nn, TF, torch.optim.Adam, lambda a: torch.from_numpy(a).to(device),
                     sync, lambda p: int(p.numel()))


def _import_torch():
    try:
        import torch
    except Exception as e:  # not installed, or broken
        print(f"minigan.bench: --compare torch needs PyTorch ({e}); comparing nothing", file=sys.stderr)
        return None
    return torch


# ----------------------------------------------------------------------------- the three GAN workloads


def _mlp_ring(nn_):
    G = nn_.Sequential(nn_.Linear(16, 128), nn_.ReLU(), nn_.Linear(128, 128), nn_.ReLU(), nn_.Linear(128, 2))
    D = nn_.Sequential(nn_.Linear(2, 128), nn_.ReLU(), nn_.Linear(128, 128), nn_.ReLU(), nn_.Linear(128, 1))
    return G, D


def _mlp_mnist(nn_):
    G = nn_.Sequential(nn_.Linear(100, 256), nn_.LeakyReLU(0.2), nn_.Linear(256, 512), nn_.LeakyReLU(0.2),
                       nn_.Linear(512, 784), nn_.Tanh())
    D = nn_.Sequential(nn_.Linear(784, 512), nn_.LeakyReLU(0.2), nn_.Linear(512, 256), nn_.LeakyReLU(0.2),
                       nn_.Linear(256, 1))
    return G, D


def _dcgan_28(nn_):
    G = nn_.Sequential(nn_.Linear(100, 128 * 7 * 7), nn_.ReLU(), nn_.Unflatten(1, (128, 7, 7)),
                       nn_.ConvTranspose2d(128, 64, 4, 2, 1), nn_.ReLU(),
                       nn_.ConvTranspose2d(64, 1, 4, 2, 1), nn_.Tanh())
    D = nn_.Sequential(nn_.Conv2d(1, 64, 4, 2, 1), nn_.LeakyReLU(0.2), nn_.Conv2d(64, 128, 4, 2, 1),
                       nn_.LeakyReLU(0.2), nn_.Flatten(), nn_.Linear(128 * 7 * 7, 1))
    return G, D


def _dcgan_bn_28(nn_):
    """dcgan-28 with Radford et al.'s batch norm: after G's projection and hidden convolution, and after D's
    second convolution (never on D's input layer)."""
    G = nn_.Sequential(nn_.Linear(100, 128 * 7 * 7), nn_.BatchNorm1d(128 * 7 * 7), nn_.ReLU(),
                       nn_.Unflatten(1, (128, 7, 7)),
                       nn_.ConvTranspose2d(128, 64, 4, 2, 1), nn_.BatchNorm2d(64), nn_.ReLU(),
                       nn_.ConvTranspose2d(64, 1, 4, 2, 1), nn_.Tanh())
    D = nn_.Sequential(nn_.Conv2d(1, 64, 4, 2, 1), nn_.LeakyReLU(0.2), nn_.Conv2d(64, 128, 4, 2, 1),
                       nn_.BatchNorm2d(128), nn_.LeakyReLU(0.2), nn_.Flatten(), nn_.Linear(128 * 7 * 7, 1))
    return G, D


def _ring_data(rng, n):
    """n points of 8 Gaussians (σ = 0.02) on a circle of radius 2."""
    np = backend.np
    angle = 2 * np.pi * rng.integers(0, 8, n) / 8
    return (2 * np.stack([np.cos(angle), np.sin(angle)], 1) + 0.02 * rng.standard_normal((n, 2))).astype(np.float32)


# name → (G/D builder, noise size, default batch, real data maker)
WORKLOADS = {
    "mlp-ring": (_mlp_ring, 16, 256, _ring_data),
    "mlp-mnist": (_mlp_mnist, 100, 64, lambda rng, n: rng.uniform(-1, 1, (n, 784)).astype("float32")),
    "dcgan-28": (_dcgan_28, 100, 64, lambda rng, n: rng.uniform(-1, 1, (n, 1, 28, 28)).astype("float32")),
    "dcgan-bn-28": (_dcgan_bn_28, 100, 64, lambda rng, n: rng.uniform(-1, 1, (n, 1, 28, 28)).astype("float32")),
    "dcgan-bn-28-b128": (_dcgan_bn_28, 100, 128,
                         lambda rng, n: rng.uniform(-1, 1, (n, 1, 28, 28)).astype("float32")),
}

LR, BETAS = 2e-4, (0.5, 0.999)


def gan_step(G, D, opt_g, opt_d, F_, real, z, ones, zeros):
    """One GAN iteration, the same source for minigan and PyTorch (their APIs agree here).

    D step: BCE(D(x), 1) + BCE(D(G(z).detach()), 0).  G step through the updated, frozen D:
    BCE(D(G(z)), 1) (non-saturating), backpropagated into G's graph from the D step's forward.
    """
    fake = G(z)
    opt_d.zero_grad()
    loss_d = (F_.binary_cross_entropy_with_logits(D(real), ones)
              + F_.binary_cross_entropy_with_logits(D(fake.detach()), zeros))
    loss_d.backward()
    opt_d.step()

    opt_g.zero_grad()
    D.requires_grad_(False)  # gradients flow through D to G's output, but D's weights get none
    loss_g = F_.binary_cross_entropy_with_logits(D(fake), ones)
    loss_g.backward()
    opt_g.step()
    D.requires_grad_(True)
    return loss_d, loss_g


def _copy_into_torch(src, dst, torch):
    """Copy a minigan module's parameters into the identically built PyTorch module."""
    state = src.state_dict()
    with torch.no_grad():
        for name, p in dst.named_parameters():
            p.copy_(torch.from_numpy(state[name].numpy()))


def make_workload(name, fw: Framework, batch=None, seed=0, init_from=None):
    """Build (step, G, D) for workload ``name`` in framework ``fw``; ``step()`` runs one iteration.

    ``init_from=(G, D)`` (minigan modules) copies their weights into ``fw``'s fresh networks.
    """
    build, zdim, default_batch, data = WORKLOADS[name]
    n = batch or default_batch
    rng = backend.np.random.default_rng(seed)
    real = fw.tensor(data(rng, n))
    z = fw.tensor(rng.standard_normal((n, zdim)).astype("float32"))
    ones = fw.tensor(backend.np.ones((n, 1), dtype="float32"))
    zeros = fw.tensor(backend.np.zeros((n, 1), dtype="float32"))
    if fw.name == "minigan":
        minigan.manual_seed(seed)
    G, D = build(fw.nn)
    if init_from is not None:
        torch = _RUN["torch"]
        _copy_into_torch(init_from[0], G, torch)
        _copy_into_torch(init_from[1], D, torch)
        G, D = G.to(_RUN["device"]), D.to(_RUN["device"])
    opt_g = fw.Adam(G.parameters(), lr=LR, betas=BETAS)
    opt_d = fw.Adam(D.parameters(), lr=LR, betas=BETAS)

    def step():
        return gan_step(G, D, opt_g, opt_d, fw.F, real, z, ones, zeros)

    return step, G, D


def n_parameters(module, fw: Framework) -> int:
    return sum(fw.numel(p) for p in module.parameters())


def peak_bytes(step, xp):
    """Peak memory of one call of ``step`` above what existed before it (see the module docstring)."""
    if xp is not backend.np:
        pool = xp.get_default_memory_pool()
        pool.free_all_blocks()
        before = pool.total_bytes()
        step()
        _sync(xp)
        return pool.total_bytes() - before
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    try:
        step()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - base


def _torch_peak_bytes(step, torch):
    if _RUN["device"] != "cuda":
        return None
    torch.cuda.synchronize()
    base = torch.cuda.memory_allocated()
    torch.cuda.reset_peak_memory_stats()
    step()
    torch.cuda.synchronize()
    return torch.cuda.max_memory_allocated() - base


def bench_workload(name):
    """ms per GAN iteration of workload ``name`` (minigan, and PyTorch with ``--compare torch``)."""
    fw = minigan_framework()
    xp = backend.active_module()
    step, G, D = make_workload(name, fw, _RUN["batch"])
    batch = _RUN["batch"] or WORKLOADS[name][2]
    result = {"name": name, "batch": batch, "params_G": n_parameters(G, fw), "params_D": n_parameters(D, fw)}
    fns = {"minigan": (step, xp)}
    torch = _RUN["torch"]
    if torch is not None:
        tfw = torch_framework(torch)
        tstep, tG, tD = make_workload(name, tfw, _RUN["batch"], init_from=(G, D))
        fns["torch"] = (tstep, tfw.sync)
    # the losses of the first iteration, before any timing (both start from the same weights)
    first = {k: [float(v.item()) for v in fn()] for k, (fn, _) in fns.items()}
    raw = time_repeats(fns, _RUN["repeats"], _RUN["warmup"], target=0.15)
    times = {k: statistics.median(v) for k, v in raw.items()}
    result["minigan_ms"] = 1e3 * times["minigan"]
    result["loss_d_first"], result["loss_g_first"] = first["minigan"]
    result["minigan_peak_mb"] = peak_bytes(step, xp) / 2**20
    if torch is not None:
        result["torch_ms"] = 1e3 * times["torch"]
        result["ratio"] = paired_ratio(raw, "minigan", "torch")
        result["torch_loss_d_first"], result["torch_loss_g_first"] = first["torch"]
        tpeak = _torch_peak_bytes(tstep, torch)
        if tpeak is not None:
            result["torch_peak_mb"] = tpeak / 2**20
    return result


def bench_mlp_ring():
    return bench_workload("mlp-ring")


def bench_mlp_mnist():
    return bench_workload("mlp-mnist")


def bench_dcgan_28():
    return bench_workload("dcgan-28")


def bench_dcgan_bn_28():
    return bench_workload("dcgan-bn-28")


def bench_dcgan_bn_28_b128():
    return bench_workload("dcgan-bn-28-b128")


# ----------------------------------------------------------------------------- hand-written reference
HAND_ACTS = {
    "mlp-ring": (["relu", "relu", None], ["relu", "relu", None]),
    "mlp-mnist": (["lrelu", "lrelu", "tanh"], ["lrelu", "lrelu", None]),
}


def make_hand(name, batch=None, seed=0):
    """A ``HandMLPGAN`` for ``name`` with minigan's initial weights and the workload's data."""
    fw = minigan_framework()
    step, G, D = make_workload(name, fw, batch, seed)
    build, zdim, default_batch, data = WORKLOADS[name]
    n = batch or default_batch
    rng = backend.np.random.default_rng(seed)
    xp = backend.active_module()
    real = xp.asarray(data(rng, n))
    z = xp.asarray(rng.standard_normal((n, zdim)).astype("float32"))
    return HandMLPGAN(G, D, *HAND_ACTS[name], real, z, lr=LR, betas=BETAS), step


def bench_hand_numpy():
    """mlp-ring and mlp-mnist: minigan vs hand-written array code (no autodiff), interleaved."""
    xp = backend.active_module()
    result = {"name": "hand-numpy"}
    for name in HAND_ACTS:
        hand, step = make_hand(name, _RUN["batch"])
        raw = time_repeats({"minigan": (step, xp), "hand": (hand.step, xp)},
                           _RUN["repeats"], _RUN["warmup"], target=0.15)
        key = name.replace("-", "_")
        result[f"{key}_hand_ms"] = 1e3 * statistics.median(raw["hand"])
        result[f"{key}_minigan_ms"] = 1e3 * statistics.median(raw["minigan"])
        result[f"{key}_ratio"] = paired_ratio(raw, "minigan", "hand")
    return result


# ----------------------------------------------------------------------------- per-op overhead


def bench_op_overhead(chain=2000, repeats=None):
    """µs per op for forward+backward of x → x*c → +c → ... on a 4-element float32 tensor."""
    repeats = repeats or _RUN["repeats"]

    def run(x):  # the same source for minigan and PyTorch, as gan_step
        y = x
        for _ in range(chain // 2):
            y = y * 1.0001
            y = y + 0.0001
        y.sum().backward()
        x.grad = None

    x = minigan.randn(4, requires_grad=True)
    fns = {"minigan": (lambda: run(x), backend.active_module())}
    torch = _RUN["torch"]
    if torch is not None:
        tx = torch.randn(4, requires_grad=True, device=_RUN["device"])
        fns["torch"] = (lambda: run(tx), torch_framework(torch).sync)
    raw = time_repeats(fns, repeats, warmup=2, inner=1)
    times = {k: statistics.median(v) for k, v in raw.items()}
    result = {"name": "op_overhead", "us_per_op": 1e6 * times["minigan"] / (chain + 1), "chain": chain}
    if torch is not None:
        result["torch_us_per_op"] = 1e6 * times["torch"] / (chain + 1)
        result["ratio"] = paired_ratio(raw, "minigan", "torch")
    return result


# ----------------------------------------------------------------------------- convolutions

# (label, transposed?, C_in, C_out, H, k, stride, padding)
CONV_CASES = [
    ("conv2d 1→64 28² k4s2p1", False, 1, 64, 28, 4, 2, 1),
    ("conv2d 64→128 14² k4s2p1", False, 64, 128, 14, 4, 2, 1),
    ("conv2d 64→64 16² k3s1p1", False, 64, 64, 16, 3, 1, 1),
    ("convT 128→64 7² k4s2p1", True, 128, 64, 7, 4, 2, 1),
    ("convT 64→1 14² k4s2p1", True, 64, 1, 14, 4, 2, 1),
]


def bench_conv():
    """conv2d / conv_transpose2d at dcgan-28's sizes: ms forward and forward+backward (x, W, b all need grad)."""
    xp = backend.active_module()
    n = _RUN["batch"] or 64
    torch = _RUN["torch"]
    rng = backend.np.random.default_rng(0)
    cases = []
    for label, transposed, cin, cout, h, k, s, p in CONV_CASES:
        x0 = rng.standard_normal((n, cin, h, h)).astype("float32")
        w0 = (0.05 * rng.standard_normal((cin, cout, k, k) if transposed else (cout, cin, k, k))).astype("float32")
        b0 = backend.np.zeros(cout, dtype="float32")
        fns = {}
        for fw_name in ["minigan"] + (["torch"] if torch is not None else []):
            if fw_name == "minigan":
                x, w, b = (minigan.Tensor(xp.asarray(a), requires_grad=True) for a in (x0, w0, b0))
                op = F.conv_transpose2d if transposed else F.conv2d
                sync = xp
            else:
                import torch.nn.functional as TF

                x, w, b = (torch.from_numpy(a).to(_RUN["device"]).requires_grad_() for a in (x0, w0, b0))
                op = TF.conv_transpose2d if transposed else TF.conv2d
                sync = torch_framework(torch).sync

            def fwd(x=x, w=w, b=b, op=op, s=s, p=p):
                return op(x, w, b, s, p)

            def fwd_bwd(x=x, w=w, b=b, op=op, s=s, p=p):
                op(x, w, b, s, p).sum().backward()
                x.grad = w.grad = b.grad = None

            fns[f"{fw_name} fwd"] = (fwd, sync)
            fns[f"{fw_name} fwd+bwd"] = (fwd_bwd, sync)
        raw = time_repeats(fns, _RUN["repeats"], _RUN["warmup"], target=0.05)
        times = {k: statistics.median(v) for k, v in raw.items()}
        case = {"case": label, "minigan_fwd_ms": 1e3 * times["minigan fwd"],
                "minigan_fwd_bwd_ms": 1e3 * times["minigan fwd+bwd"]}
        if torch is not None:
            case["torch_fwd_ms"] = 1e3 * times["torch fwd"]
            case["torch_fwd_bwd_ms"] = 1e3 * times["torch fwd+bwd"]
            case["ratio_fwd_bwd"] = paired_ratio(raw, "minigan fwd+bwd", "torch fwd+bwd")
        cases.append(case)
    return {"name": "conv", "batch": n, "cases": cases}


# ----------------------------------------------------------------------------- memory soak


def rss_bytes():
    """Resident set size now (Linux /proc/self/statm); falls back to the peak, ru_maxrss."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _live_tensors():
    tensor = minigan.Tensor  # type(), not isinstance(): never touches an object's own __class__
    return sum(1 for o in gc.get_objects() if issubclass(type(o), tensor))


def bench_soak(steps=None, checkpoints=10):
    """Train mlp-ring for ``steps`` iterations; RSS and live Tensors must stay flat (graphs are freed)."""
    steps = steps or _RUN["steps"]
    xp = backend.active_module()
    step, _, _ = make_workload("mlp-ring", minigan_framework(), _RUN["batch"])
    every = max(1, steps // checkpoints)
    samples = []
    t0 = time.perf_counter()
    for i in range(1, steps + 1):
        loss_d, loss_g = step()
        if i % every == 0 or i == steps:
            del loss_d, loss_g
            gc.collect()
            _sync(xp)
            used = xp.get_default_memory_pool().used_bytes() if xp is not backend.np else None
            samples.append({"step": i, "rss_mb": rss_bytes() / 2**20, "live_tensors": _live_tensors(),
                            **({"gpu_pool_used_mb": used / 2**20} if used is not None else {})})
    seconds = time.perf_counter() - t0
    first, last = samples[0], samples[-1]
    growth = last["rss_mb"] - first["rss_mb"]
    flat = growth < 2.0 and last["live_tensors"] <= first["live_tensors"]
    return {"name": "soak", "steps": steps, "ms_per_step": 1e3 * seconds / steps,
            "rss_first_mb": first["rss_mb"], "rss_last_mb": last["rss_mb"], "rss_growth_mb": growth,
            "rss_max_mb": max(s["rss_mb"] for s in samples),
            "live_tensors_first": first["live_tensors"], "live_tensors_last": last["live_tensors"],
            "flat": flat, "samples": samples}


# ----------------------------------------------------------------------------- the registry and main

BENCHMARKS = {
    "op_overhead": bench_op_overhead,
    "mlp-ring": bench_mlp_ring,
    "mlp-mnist": bench_mlp_mnist,
    "dcgan-28": bench_dcgan_28,
    "dcgan-bn-28": bench_dcgan_bn_28,
    "dcgan-bn-28-b128": bench_dcgan_bn_28_b128,
    "hand-numpy": bench_hand_numpy,
    "conv": bench_conv,
    "soak": bench_soak,
}
DEFAULT = [n for n in BENCHMARKS if n != "soak"]  # the soak takes a minute: ask for it with --only soak


def blas_info() -> str:
    """NumPy's BLAS and the kernels it chose for this CPU, e.g. "openblas 0.3.31, Haswell kernels": OpenBLAS
    picks them at load time, and ``OPENBLAS_CORETYPE`` overrides the choice (docs/performance.md)."""
    pools = [p for p in threadpoolctl.threadpool_info() if p.get("user_api") == "blas"]
    if not pools:
        return "unknown"
    p = pools[0]
    kernels = f", {p['architecture']} kernels" if p.get("architecture") else ""
    return f"{p.get('internal_api', '?')} {p.get('version', '?')}{kernels}"


def cpu_info(path="/proc/cpuinfo") -> str:
    """The CPU's model name and family, and its widest vector unit, e.g. "AMD EPYC (family 25), AVX2": the ratio
    beside PyTorch depends on it (OpenBLAS's kernels follow it; docs/performance.md). "unknown" off Linux."""
    try:
        with open(path) as f:
            first = f.read().split("\n\n")[0]  # the first processor's entry
    except OSError:
        return "unknown"
    fields = {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in first.splitlines() if ":" in line)}
    flags = fields.get("flags", "").split()
    vector = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    return f"{fields.get('model name', '?')} (family {fields.get('cpu family', '?')}), {vector}"


def machine_info():
    info = {
        "cpu": cpu_info(),
        "python": platform.python_version(),
        "numpy": backend.np.__version__,
        "blas": blas_info(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "backend": backend.backend_name(),
    }
    try:
        info["loadavg_start"] = os.getloadavg()
    except OSError:
        pass
    if backend.backend_name() == "cupy":
        xp = backend.active_module()
        info["cupy"] = xp.__version__
        info["gpu"] = xp.cuda.runtime.getDeviceProperties(0)["name"].decode()
    if _RUN["torch"] is not None:
        info["torch"] = _RUN["torch"].__version__
        info["torch_cpu_capability"] = _RUN["torch"].backends.cpu.get_cpu_capability()  # its kernels: AVX2, AVX512
    return info


def _fmt(v):
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 100 else f"{v:.1f}"
    return str(v)


def print_result(r):
    if r["name"] == "conv":
        print(f"conv (batch {r['batch']}):")
        for c in r["cases"]:
            print("  " + ", ".join(f"{k}={_fmt(v)}" for k, v in c.items()))
        return
    skip = {"name", "samples"}
    print(f"{r['name']:<12} " + ", ".join(f"{k}={_fmt(v)}" for k, v in r.items() if k not in skip))


def print_table(results):
    rows = [r for r in results if r["name"] in WORKLOADS]
    if not rows:
        return
    print()
    print(f"{'workload':<16} {'batch':>5} {'minigan ms':>11} {'torch ms':>9} {'ratio':>6} {'peak MB':>8}")
    for r in rows:
        t = f"{r['torch_ms']:.2f}" if "torch_ms" in r else "-"
        ratio = f"{r['ratio']:.2f}" if "ratio" in r else "-"
        print(f"{r['name']:<16} {r['batch']:>5} {r['minigan_ms']:>11.2f} {t:>9} {ratio:>6} "
              f"{r['minigan_peak_mb']:>8.1f}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m minigan.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--backend", default="numpy", choices=["numpy", "cupy"])
    parser.add_argument("--json", default="bench.json", help="where to write the results (JSON)")
    parser.add_argument("--only", nargs="*", default=None,
                        help=f"a subset of {list(BENCHMARKS)} (default: all but soak)")
    parser.add_argument("--compare", choices=["torch"], default=None,
                        help="run the identical workloads in PyTorch too and print minigan/PyTorch")
    parser.add_argument("--batch", type=int, nargs="+", default=None,
                        help="batch size(s) for every workload, e.g. --batch 64 256 runs everything at both "
                             "(default: 256 for mlp-ring, 64 otherwise)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for NumPy's BLAS and for PyTorch (see the module docstring)")
    parser.add_argument("--repeats", type=int, default=9, help="timed repeats per figure (median)")
    parser.add_argument("--steps", type=int, default=10_000, help="iterations of the soak")
    args = parser.parse_args(argv)
    if args.batch is not None and min(args.batch) < 1:
        parser.error("--batch must be >= 1")
    if args.threads is not None and args.threads < 1:
        parser.error("--threads must be >= 1")
    try:
        minigan.use_backend(args.backend)
    except RuntimeError as e:
        print(f"minigan.bench: {e}", file=sys.stderr)
        return 2
    names = args.only or DEFAULT
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"minigan.bench: unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}", file=sys.stderr)
        return 2
    try:  # where the results go, before minutes of timing
        check_file(args.json, "minigan.bench: --json", "give --json a file in a folder you can write")
    except (ValueError, OSError) as e:
        print(e, file=sys.stderr)
        return 2
    keeps_memory = keep_freed_memory()  # as ``python -m minigan`` does: this process is the bench's
    torch = _import_torch() if args.compare == "torch" else None
    _RUN.update(repeats=args.repeats, steps=args.steps, torch=torch, device="cuda" if args.backend == "cupy" else "cpu")
    if torch is not None and _RUN["device"] == "cuda" and not torch.cuda.is_available():
        print("minigan.bench: this PyTorch has no CUDA; comparing nothing", file=sys.stderr)
        _RUN["torch"] = torch = None
    if args.threads is not None:
        threads = set_threads(args.threads, torch)
    else:  # leave NumPy's BLAS as it is, and give PyTorch the same number of threads
        if torch is not None:
            torch.set_num_threads(blas_threads())
        threads = thread_info(torch)
    minigan.manual_seed(0)
    results = {"machine": machine_info(), "threads": threads, "batch": args.batch, "keep_freed_memory": keeps_memory,
               "results": []}
    print("threads: " + ", ".join(f"{k}={v}" for k, v in threads.items()) + f"; NumPy's BLAS: {blas_info()}; "
          f"CPU: {results['machine']['cpu']}")
    try:
        for batch in args.batch or [None]:
            _RUN["batch"] = batch
            for name in names:
                r = BENCHMARKS[name]()
                results["results"].append(r)
                print_result(r)
    finally:
        _RUN["torch"] = None
    print_table(results["results"])
    results["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        results["machine"]["loadavg_end"] = os.getloadavg()
    except OSError:
        pass
    with atomic_write(args.json, "w") as f:
        json.dump(results, f, indent=2)
    print(f"wrote {args.json}")
    return 0
