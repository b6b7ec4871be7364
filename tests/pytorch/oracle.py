"""PyTorch, the test-only oracle: whether it is here, which version the comparisons were written against,
and the marks for behaviour one PyTorch version changed (docs/pytorch.md, "Which PyTorch").  Only the
pytorch wing imports it (tests/test_test_layout.py)."""

import contextlib
import functools
import math
import warnings
from fractions import Fraction

import numpy as np
import pytest

try:
    import torch  # noqa: F401  (a test-only oracle: pip install torch==2.13.0)

    HAVE_TORCH = True
except Exception:
    HAVE_TORCH = False

# The PyTorch the comparisons were written against: README's `pip install torch==2.13.0`, noxfile.py's TORCH_ORACLE.
TORCH_ORACLE = "2.13.0"
TORCH_VERSION = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2]) if HAVE_TORCH else None


def pytorch_older_than(version: str) -> bool:
    """Whether the PyTorch here is older than ``version`` (e.g. "2.13"); False without PyTorch.  The marks below
    ask it, and so do the program generators, which name a difference an older PyTorch gives as that version's."""
    return HAVE_TORCH and TORCH_VERSION < tuple(int(p) for p in version.split("."))


def pytorch_since(version: str, behaviour: str):
    """Marks a comparison that encodes behaviour PyTorch gained in ``version`` (e.g. "2.12"): on an older PyTorch
    it skips, saying which version's behaviour it checks and which PyTorch is here (docs/pytorch.md, "Which
    PyTorch").  minigan follows the newest PyTorch its CI installs; an older one is still a fine oracle elsewhere."""
    older = pytorch_older_than(version)
    return pytest.mark.skipif(older, reason=f"PyTorch {version}'s behaviour ({behaviour}); this is PyTorch "
                                            f"{torch.__version__ if HAVE_TORCH else ''}")


def pytorch_before(version: str, behaviour: str):
    """Marks a comparison that encodes the oracle's behaviour where PyTorch ``version`` changed it: minigan keeps
    the oracle's (TORCH_ORACLE, what README and CI install) until the oracle moves; on that PyTorch or a newer one
    it skips, saying so (docs/pytorch.md, "Which PyTorch")."""
    newer = HAVE_TORCH and not pytorch_older_than(version)
    here = torch.__version__ if HAVE_TORCH else ""
    return pytest.mark.skipif(newer, reason=f"PyTorch {TORCH_ORACLE}'s behaviour ({behaviour}), which PyTorch "
                                            f"{version} changed; this is PyTorch {here}")


# Norm layers' `bias` option (BatchNorm, InstanceNorm, GroupNorm) and `bias=` in every norm layer's repr
NORM_BIAS = pytorch_since("2.12", "norm layers take bias= and show it in their repr")
# clamp's and clip's derivative where x equals a bound: 1 up to 2.13, 0 from 2.14 (as hardtanh's)
CLAMP_AT_A_BOUND = pytorch_before("2.14", "clamp's derivative is 1 where x equals a bound")
# clamp's one bound a NaN number (clamp(x, nan), clamp(x, None, nan), clip, clamp_): NaN from 2.12 (2.11 ignores it)
CLAMP_NAN_BOUND = pytorch_since("2.12", "clamp's one bound, a NaN number, gives NaN")
# nn.init.trunc_normal_ samples with normal_ from 2.12 (2.11 inverts a uniform draw: NaN, a bound, or a refusal)
TRUNC_NORMAL_ANYWHERE = pytorch_since("2.12", "trunc_normal_ draws within [a, b] from any mean and std")
# aminmax's derivative, from 2.12 (2.11: "derivative for aten::aminmax is not implemented")
AMINMAX_GRAD = pytorch_since("2.12", "aminmax has a derivative")
# addmv's input (the added vector) in a dtype other than the matrix's and the vector's: refused from 2.12 ("addmv
# input tensors must have the same dtype"); 2.11 promoted it and ran
ADDMV_ONE_DTYPE = pytorch_since("2.12", "addmv refuses an input whose dtype is not the matrix's and the vector's")
# nansum into an integer or bool dtype=: sums from 2.13; 2.11 and 2.12 raise NotImplementedError ("nansum_cpu" not
# implemented for 'Long')
NANSUM_INT = pytorch_since("2.13", "nansum sums into an integer or bool dtype=")
# nanmean with an integer or bool dtype=: from 2.13 a RuntimeError ("could not infer output dtype") before dim is read;
# 2.11 and 2.12 read dim first (IndexError) and pass the dtype on to nansum (NotImplementedError, or a float32 result
# for an empty input)
NANMEAN_INT_DTYPE = pytorch_since("2.13", "nanmean refuses an integer or bool dtype= before it reads dim")
# torch.autograd.grad with no inputs (gradgradcheck where no input requires grad and grad_outputs does): a RuntimeError
# from 2.13 ("`inputs` argument to `grad()` cannot be empty."); 2.11 and 2.12 a ValueError ("grad requires non-empty
# inputs.")
GRAD_NO_INPUTS = pytorch_since("2.13", "autograd.grad with no inputs is a RuntimeError, where it was a ValueError")
# Adagrad gives a parameter group added after construction its state ('sum', 'step') at its first step from 2.12;
# 2.11 made the state in __init__ only, so such a group's step raised KeyError: 'sum'
ADAGRAD_LATER_GROUP = pytorch_since("2.12", "Adagrad makes the state of a parameter group added later")
# autograd.Function.apply passes keyword arguments on to forward from 2.13 (2.11 and 2.12's C++ apply: TypeError
# "apply() takes no keyword arguments")
APPLY_KEYWORDS = pytorch_since("2.13", "Function.apply passes keyword arguments to forward")


# PyTorch's CPU kernels differ by the host.  ATen's vectors (Vectorized<T>) hold 64 bytes under its AVX-512 kernel set
# and 32 under AVX2 and the default set (torch.backends.cpu.get_cpu_capability(); ATEN_CPU_CAPABILITY=avx2 or default
# picks a lower set).  Some kernels read an array's first entries by vectors and the rest by a scalar loop that reads
# NaN otherwise (a max that keeps it or passes over it, a compare that is false), so their answer for an array of a
# given length depends on the width: a test that meets one asks vector_lanes.  And oneDNN (mkldnn), which takes some
# float32 ops (gelu of a contiguous tensor), compiles its code for the CPU's instruction set (ONEDNN_VERBOSE=1 says
# jit:avx2 or jit:avx512_core), which round and sign zeros differently: aten_kernels() turns it off, for ATen's own.
def cpu_capability() -> str:
    """PyTorch's CPU kernel set here: "AVX512", "AVX2" or "DEFAULT" (ATEN_CPU_CAPABILITY may lower it)."""
    return torch.backends.cpu.get_cpu_capability() if HAVE_TORCH else "DEFAULT"


def vector_lanes(itemsize: int) -> int:
    """How many entries of ``itemsize`` bytes one of PyTorch's CPU vectors holds here (8 float64 under AVX-512, 4
    under AVX2 or the default set)."""
    return (64 if cpu_capability().startswith("AVX512") else 32) // itemsize


@contextlib.contextmanager
def aten_kernels():
    """A context in which PyTorch computes by ATen's own CPU kernels, its oneDNN ones off (their code is the CPU's)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "TF32 acceleration", UserWarning)  # (mkldnn.flags sets allow_tf32 too)
        with torch.backends.mkldnn.flags(enabled=False):
            yield


def onednn_takes_float16() -> bool:
    """Whether PyTorch's oneDNN takes float16 here (a CPU it computes float16 on: AVX512-FP16, for one, as a
    Sapphire Rapids Xeon has; torch.ops.mkldnn._is_mkldnn_fp16_supported): ATen's use_mkldnn then
    sends every float16 convolution to oneDNN, whose bias must have the input's dtype, where on other CPUs its own
    kernels run float16 and cast the bias (minigan follows those).  Run a float16 comparison in aten_kernels() there."""
    return HAVE_TORCH and bool(torch.ops.mkldnn._is_mkldnn_fp16_supported())


@functools.cache
def numpy_power_is_libms() -> bool:
    """Whether NumPy's float64 power rounds as the C library's pow here, which PyTorch's scalar loops (logspace's)
    call.  On a CPU with AVX-512 NumPy takes Intel's SVML for it (its umath loops_umath_fp dispatch), which may
    differ from pow in the last place: a comparison bit for bit with such a loop allows one unit there."""
    x = np.random.default_rng(0).uniform(-40.0, 40.0, 4096)
    return all(np.array_equal(np.float64(b) ** x, [math.pow(b, v) for v in x]) for b in (2.0, 0.5, 10.0, np.e))


def fused_multiply_add(a, b, c):
    """a·b + c rounded once, elementwise, as a CPU's FMA (exact products and sums in fractions; where an entry is
    not finite, NumPy's a·b + c, which is the fused result there too).  float32 rounds through float64: wrong only
    where that double rounding lands on a tie, about one entry in 2²⁹."""
    a, b, c = np.broadcast_arrays(a, b, c)
    out = (a * b + c).astype(a.dtype)
    for i in zip(*np.nonzero(np.isfinite(a) & np.isfinite(b) & np.isfinite(c))):
        out[i] = float(Fraction(float(a[i])) * Fraction(float(b[i])) + Fraction(float(c[i])))
    return out
