"""What the benchmarks report beside their figures: the machine (CPU, BLAS and its kernels, versions, load), the
threads in force, and the printed lines and table."""

from __future__ import annotations

import os
import platform

import threadpoolctl

import minigan
from minigan.cli.bench.workloads import WORKLOADS
from minigan.engine import backend


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


def machine_info(torch=None):
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
    if torch is not None:
        info["torch"] = torch.__version__
        info["torch_cpu_capability"] = torch.backends.cpu.get_cpu_capability()  # its kernels: AVX2, AVX512
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
