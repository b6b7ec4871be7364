"""``minigan.accelerator``, as ``torch.accelerator``: is there a GPU, and which device is it?

    device = minigan.accelerator.current_accelerator() if minigan.accelerator.is_available() else "cpu"

minigan's one accelerator is an NVIDIA GPU through CuPy (``minigan.cuda``); without CuPy there is none.
"""

from __future__ import annotations

from minigan.engine import backend


def is_available() -> bool:
    """True when CuPy is installed and sees a GPU."""
    return backend.cupy_available()


def current_accelerator(check_available: bool = False):
    """``minigan.device("cuda")`` when minigan can use a GPU, else None (as PyTorch without an accelerator)."""
    return backend.Device("cuda") if is_available() else None


def device_count() -> int:
    """How many GPUs CuPy sees (0 without CuPy)."""
    return backend._require_cupy().cuda.runtime.getDeviceCount() if is_available() else 0


def current_device_index() -> int:
    """The index of the GPU in use: minigan uses one, the first (0); -1 without one, as PyTorch."""
    return 0 if is_available() else -1


def set_device_index(device) -> None:
    """Only GPU 0 (minigan runs on one device)."""
    index = backend.Device(device).index if isinstance(device, (str, backend.Device)) else device
    if index not in (None, 0):
        raise ValueError(f"accelerator.set_device_index: minigan runs on one GPU (index 0), got {device!r}; "
                         "choose the GPU with the CUDA_VISIBLE_DEVICES environment variable instead")


def synchronize(device=None) -> None:
    """Wait until the GPU has finished its queued work (nothing to wait for without one)."""
    if is_available():  # (timing code calls it before reading a clock)
        backend._require_cupy().cuda.Stream.null.synchronize()


__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index", "set_device_index",
           "synchronize"]
