"""``minigan.backends.cuda``: PyTorch's TensorFloat-32 switches, accepted and without effect.

minigan computes float32 products in float32 on the GPU (CuPy's default), so ``matmul.allow_tf32`` changes
nothing; the attributes exist so that a program that sets them runs unchanged.
"""

from minigan.engine import backend


class _Flags:
    """An object whose attributes a program sets (``matmul.allow_tf32 = True``)."""

    def __init__(self, **flags):
        self.__dict__.update(flags)

    def __repr__(self):
        return f"flags({self.__dict__})"


matmul = _Flags(allow_tf32=False, allow_fp16_reduced_precision_reduction=True)


def is_built() -> bool:
    """True when minigan can use CUDA (CuPy is installed)."""
    return backend.cupy_available()


__all__ = ["matmul", "is_built"]
