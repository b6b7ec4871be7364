"""PyTorch, the test-only oracle: whether it is here, which version the comparisons were written against,
and the marks for behaviour one PyTorch version changed (docs/pytorch.md, "Which PyTorch").  Only the
pytorch wing imports it (tests/test_test_layout.py)."""

import pytest

try:
    import torch  # noqa: F401  (a test-only oracle: pip install torch==2.13.0)

    HAVE_TORCH = True
except Exception:
    HAVE_TORCH = False

# The PyTorch the comparisons were written against: README's `pip install torch==2.13.0`, noxfile.py's TORCH_ORACLE.
TORCH_ORACLE = "2.13.0"
TORCH_VERSION = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2]) if HAVE_TORCH else None


def pytorch_since(version: str, behaviour: str):
    """Marks a comparison that encodes behaviour PyTorch gained in ``version`` (e.g. "2.12"): on an older PyTorch
    it skips, saying which version's behaviour it checks and which PyTorch is here (docs/pytorch.md, "Which
    PyTorch").  minigan follows the newest PyTorch its CI installs; an older one is still a fine oracle elsewhere."""
    older = HAVE_TORCH and TORCH_VERSION < tuple(int(p) for p in version.split("."))
    return pytest.mark.skipif(older, reason=f"PyTorch {version}'s behaviour ({behaviour}); this is PyTorch "
                                            f"{torch.__version__ if HAVE_TORCH else ''}")


def pytorch_before(version: str, behaviour: str):
    """Marks a comparison that encodes the oracle's behaviour where PyTorch ``version`` changed it: minigan keeps
    the oracle's (TORCH_ORACLE, what README and CI install) until the oracle moves; on that PyTorch or a newer one
    it skips, saying so (docs/pytorch.md, "Which PyTorch")."""
    newer = HAVE_TORCH and TORCH_VERSION >= tuple(int(p) for p in version.split("."))
    here = torch.__version__ if HAVE_TORCH else ""
    return pytest.mark.skipif(newer, reason=f"PyTorch {TORCH_ORACLE}'s behaviour ({behaviour}), which PyTorch "
                                            f"{version} changed; this is PyTorch {here}")


# Norm layers' `bias` option (BatchNorm, InstanceNorm, GroupNorm) and `bias=` in every norm layer's repr
NORM_BIAS = pytorch_since("2.12", "norm layers take bias= and show it in their repr")
# clamp's and clip's derivative where x equals a bound: 1 up to 2.13, 0 from 2.14 (as hardtanh's)
CLAMP_AT_A_BOUND = pytorch_before("2.14", "clamp's derivative is 1 where x equals a bound")
