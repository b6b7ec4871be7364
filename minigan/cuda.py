"""``minigan.cuda``: the few ``torch.cuda`` calls a training script makes (through CuPy).

    device = minigan.device("cuda" if minigan.cuda.is_available() else "cpu")
"""

from minigan import accelerator
from minigan.engine import backend
from minigan.surface import random
from minigan.toplevel import LegacyConstructor


def is_available() -> bool:
    """True when CuPy is installed and sees an NVIDIA GPU."""
    return backend.cupy_available()


def device_count() -> int:
    return accelerator.device_count()


def current_device() -> int:
    """The index of the GPU in use: 0, minigan's one GPU (without one, an error, as PyTorch's)."""
    if not is_available():
        raise backend.BackendError("cuda.current_device: there is no GPU (minigan's needs CuPy and an NVIDIA GPU)")
    return 0


def set_device(device) -> None:
    """Only GPU 0 (minigan runs on one; choose which with CUDA_VISIBLE_DEVICES)."""
    accelerator.set_device_index(device)


def get_device_name(device=None) -> str:
    """The GPU's name, e.g. "NVIDIA H100 80GB HBM3" (``device``: 0, "cuda" or "cuda:0", minigan's one GPU)."""
    accelerator.set_device_index(device)  # refuses another index
    name = backend._require_cupy().cuda.runtime.getDeviceProperties(0)["name"]  # (as its driver reports it)
    return name.decode() if isinstance(name, bytes) else str(name)


def memory_allocated(device=None) -> int:
    """Bytes of GPU memory that tensors hold now (not the memory CuPy keeps cached for reuse); 0 without a GPU."""
    return int(backend._require_cupy().get_default_memory_pool().used_bytes()) if is_available() else 0  # (CuPy's
    # pool: in use, not what it keeps cached)


def manual_seed(seed: int) -> None:
    """minigan keeps one seed for every backend: the same as ``minigan.manual_seed``."""
    random.manual_seed(seed)


manual_seed_all = manual_seed


def synchronize() -> None:
    """Wait until the GPU has finished its queued work (nothing to wait for without one)."""
    accelerator.synchronize()


def empty_cache() -> None:
    """Release the GPU memory CuPy keeps cached for reuse, as ``torch.cuda.empty_cache`` (nothing without a GPU)."""
    if is_available():  # (CuPy's cached, unused GPU memory, back to the driver)
        backend._require_cupy().get_default_memory_pool().free_all_blocks()
        backend._require_cupy().get_default_pinned_memory_pool().free_all_blocks()


FloatTensor = LegacyConstructor("FloatTensor", device="cuda")
DoubleTensor = LegacyConstructor("DoubleTensor", device="cuda")
LongTensor = LegacyConstructor("LongTensor", device="cuda")
IntTensor = LegacyConstructor("IntTensor", device="cuda")
ByteTensor = LegacyConstructor("ByteTensor", device="cuda")
BoolTensor = LegacyConstructor("BoolTensor", device="cuda")

__all__ = ["is_available", "device_count", "current_device", "set_device", "get_device_name", "memory_allocated",
           "manual_seed", "manual_seed_all", "synchronize", "empty_cache",
           "FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "ByteTensor", "BoolTensor"]
