"""The workloads the benchmarks time (``BENCHMARKS``; the command, and what each measures: bench/__init__.py):
one GAN iteration written once for minigan and PyTorch (``gan_step``) on the networks of ``WORKLOADS``, the same by
hand in array code, a chain of tiny ops, the convolutions of dcgan-28, and the memory soak.  ``RUN`` holds the
command's settings (batch, repeats, PyTorch to compare with, its device)."""

from __future__ import annotations

import gc
import statistics
import time

import minigan
import minigan.functional as F
from minigan import nn, optim
from minigan.cli.bench.timing import paired_ratio, peak_bytes, rss_bytes, sync, time_repeats
from minigan.engine import backend
from minigan.gans.by_hand import HandMLPGAN

# ----------------------------------------------------------------------------- frameworks

RUN = {"compare": None, "batch": None, "repeats": 9, "warmup": 3, "torch": None, "device": "cpu", "steps": 10_000}


class Framework:
    """What ``gan_step`` needs from a framework: nn, F, Adam, and turning a NumPy array into a tensor."""

    def __init__(self, name, nn_, F_, adam, to_tensor, sync, numel):
        self.name, self.nn, self.F, self.Adam = name, nn_, F_, adam
        self.tensor, self.sync, self.numel = to_tensor, sync, numel


def minigan_framework() -> Framework:
    xp = backend.active_module()
    return Framework("minigan", nn, F, optim.Adam, lambda a: minigan.from_numpy(xp.asarray(a)),
                     lambda: sync(xp), lambda p: p.numel())


def torch_framework(torch) -> Framework:
    import torch.nn.functional as TF

    device = RUN["device"]
    sync = (lambda: torch.cuda.synchronize()) if device == "cuda" else (lambda: None)
    return Framework("torch", torch.nn, TF, torch.optim.Adam, lambda a: torch.from_numpy(a).to(device),
                     sync, lambda p: int(p.numel()))


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
            p.copy_(torch.from_numpy(state[name].cpu().numpy()))  # a GPU tensor reaches NumPy by the host


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
        torch = RUN["torch"]
        _copy_into_torch(init_from[0], G, torch)
        _copy_into_torch(init_from[1], D, torch)
        G, D = G.to(RUN["device"]), D.to(RUN["device"])
    opt_g = fw.Adam(G.parameters(), lr=LR, betas=BETAS)
    opt_d = fw.Adam(D.parameters(), lr=LR, betas=BETAS)

    def step():
        return gan_step(G, D, opt_g, opt_d, fw.F, real, z, ones, zeros)

    return step, G, D


def n_parameters(module, fw: Framework) -> int:
    return sum(fw.numel(p) for p in module.parameters())


def _torch_peak_bytes(step, torch):
    if RUN["device"] != "cuda":
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
    step, G, D = make_workload(name, fw, RUN["batch"])
    batch = RUN["batch"] or WORKLOADS[name][2]
    result = {"name": name, "batch": batch, "params_G": n_parameters(G, fw), "params_D": n_parameters(D, fw)}
    fns = {"minigan": (step, xp)}
    torch = RUN["torch"]
    if torch is not None:
        tfw = torch_framework(torch)
        tstep, tG, tD = make_workload(name, tfw, RUN["batch"], init_from=(G, D))
        fns["torch"] = (tstep, tfw.sync)
    # the losses of the first iteration, before any timing (both start from the same weights)
    first = {k: [float(v.item()) for v in fn()] for k, (fn, _) in fns.items()}
    raw = time_repeats(fns, RUN["repeats"], RUN["warmup"], target=0.15)
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
        hand, step = make_hand(name, RUN["batch"])
        raw = time_repeats({"minigan": (step, xp), "hand": (hand.step, xp)},
                           RUN["repeats"], RUN["warmup"], target=0.15)
        key = name.replace("-", "_")
        result[f"{key}_hand_ms"] = 1e3 * statistics.median(raw["hand"])
        result[f"{key}_minigan_ms"] = 1e3 * statistics.median(raw["minigan"])
        result[f"{key}_ratio"] = paired_ratio(raw, "minigan", "hand")
    return result


# ----------------------------------------------------------------------------- per-op overhead


def bench_op_overhead(chain=2000, repeats=None):
    """µs per op for forward+backward of x → x*c → +c → ... on a 4-element float32 tensor."""
    repeats = repeats or RUN["repeats"]

    def run(x):  # the same source for minigan and PyTorch, as gan_step
        y = x
        for _ in range(chain // 2):
            y = y * 1.0001
            y = y + 0.0001
        y.sum().backward()
        x.grad = None

    x = minigan.randn(4, requires_grad=True)
    fns = {"minigan": (lambda: run(x), backend.active_module())}
    torch = RUN["torch"]
    if torch is not None:
        tx = torch.randn(4, requires_grad=True, device=RUN["device"])
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
    n = RUN["batch"] or 64
    torch = RUN["torch"]
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

                x, w, b = (torch.from_numpy(a).to(RUN["device"]).requires_grad_() for a in (x0, w0, b0))
                op = TF.conv_transpose2d if transposed else TF.conv2d
                sync = torch_framework(torch).sync

            def fwd(x=x, w=w, b=b, op=op, s=s, p=p):
                return op(x, w, b, s, p)

            def fwd_bwd(x=x, w=w, b=b, op=op, s=s, p=p):
                op(x, w, b, s, p).sum().backward()
                x.grad = w.grad = b.grad = None

            fns[f"{fw_name} fwd"] = (fwd, sync)
            fns[f"{fw_name} fwd+bwd"] = (fwd_bwd, sync)
        raw = time_repeats(fns, RUN["repeats"], RUN["warmup"], target=0.05)
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


def _live_tensors():
    tensor = minigan.Tensor  # type(), not isinstance(): never touches an object's own __class__
    return sum(1 for o in gc.get_objects() if issubclass(type(o), tensor))


def bench_soak(steps=None, checkpoints=10):
    """Train mlp-ring for ``steps`` iterations; RSS and live Tensors must stay flat (graphs are freed)."""
    steps = steps or RUN["steps"]
    xp = backend.active_module()
    step, _, _ = make_workload("mlp-ring", minigan_framework(), RUN["batch"])
    every = max(1, steps // checkpoints)
    samples = []
    t0 = time.perf_counter()
    for i in range(1, steps + 1):
        loss_d, loss_g = step()
        if i % every == 0 or i == steps:
            del loss_d, loss_g
            gc.collect()
            sync(xp)
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


# ----------------------------------------------------------------------------- the registry

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
