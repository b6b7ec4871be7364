"""What a program that owns its process sets: malloc's thresholds (and, in cli/main.py and lessons.py, the BLAS
threads).

``import minigan`` changes no process-wide setting; ``python -m minigan``, ``python -m minigan.bench`` and the
lessons (``minigan.lessons``), whose process is minigan's alone, do.
"""

from __future__ import annotations

import ctypes
import ctypes.util

# NumPy takes every array from malloc. glibc hands an array of more than 128 KB to the kernel when it is freed
# (or trims it off the top of the heap), so the next array of that size starts as fresh pages, and the first
# write to each 4 KB page is a page fault. A dcgan-bn-28 iteration frees and makes again the same few arrays
# of 1-13 MB: 4,300 page faults an iteration, a tenth of its time (docs/performance.md). A lesson's GAN step does
# the same with arrays of 128 KB (a batch of 512 by 64 float32s): 384 faults a step, and 1.7x the CPU time of
# lesson 06. Raising the two thresholds lets malloc keep freed memory for the next array instead; PyTorch's
# iteration, whose allocator reuses memory the same way, did not change speed with them.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)
KEEP_BELOW = 32 * 2**20  # arrays up to this size come from the heap (glibc's largest mmap threshold)
KEEP_FREE = 256 * 2**20  # the free memory the heap may keep at its top before giving it back


def keep_freed_memory() -> bool:
    """Let glibc's malloc keep freed memory for the next array (see above); True where that was set.

    A process-wide setting, so ``import minigan`` does not make it: minigan's commands and lessons, which own
    their process, call it (a script of yours may too). A no-op (False) where the C library is not glibc.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl without mallopt)
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, KEEP_BELOW)) and bool(mallopt(_M_TRIM_THRESHOLD, KEEP_FREE))
