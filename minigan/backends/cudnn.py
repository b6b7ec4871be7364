"""``minigan.backends.cudnn``: PyTorch's cuDNN switches, accepted so that programs run unchanged.

minigan does not call cuDNN: a convolution is im2col and one matrix product (``ops/conv.py``), the same
algorithm every time, so there is no algorithm search for ``benchmark`` to turn on and nothing
non-deterministic for ``deterministic`` to turn off.  The flags are plain attributes: a program may set and
read them, and they change nothing.  ``is_available()`` says False (no cuDNN is used).
"""

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    return False


def version():
    """None: cuDNN is not used (PyTorch gives None without it too)."""
    return None


__all__ = ["enabled", "benchmark", "deterministic", "allow_tf32", "is_available", "version"]
