"""``minigan.backends.mps``: Apple's Metal GPUs are not a minigan backend (its GPU backend is CUDA through
CuPy), so both answers are False and a program falls back to the CPU, as PyTorch does on other machines."""


def is_available() -> bool:
    return False


def is_built() -> bool:
    return False


__all__ = ["is_available", "is_built"]
