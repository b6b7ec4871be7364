"""``minigan.backends``, as ``torch.backends``: the switches programs set at their top.

    minigan.backends.cudnn.benchmark = True        # accepted: see cudnn.py for what it changes (nothing)
    minigan.backends.mps.is_available()            # False: minigan's GPU is CUDA through CuPy
"""

from minigan.backends import cuda, cudnn, mps

__all__ = ["cuda", "cudnn", "mps"]
