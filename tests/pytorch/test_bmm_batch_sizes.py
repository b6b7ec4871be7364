"""bmm, baddbmm and addbmm take batches of one size, as PyTorch's (which never broadcasts the batch: a batch of 1
beside one of 2 is refused), and matrices whose inner sizes agree; each outcome against PyTorch's."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

SHAPES = [((2, 2, 3), (2, 3, 4)), ((2, 2, 3), (1, 3, 4)), ((1, 2, 3), (2, 3, 4)), ((3, 2, 3), (2, 3, 4)),
          ((2, 2, 3), (2, 4, 4)), ((0, 2, 3), (0, 3, 4)), ((0, 2, 3), (1, 3, 4)), ((2, 0, 3), (2, 3, 0)),
          ((2, 2, 3), (3, 4)), ((2, 3), (2, 3, 4))]
FORMS = {"bmm": lambda lib, a, b: lib.bmm(a, b), "method": lambda lib, a, b: a.bmm(b),
         "baddbmm": lambda lib, a, b: lib.baddbmm(lib.zeros(1, dtype=a.dtype), a, b, beta=0.5, alpha=2),
         "addbmm": lambda lib, a, b: lib.addbmm(lib.zeros(1, dtype=a.dtype), a, b)}


def _outcome(lib, form, sa, sb, dtype):
    a = lib.tensor(np.arange(np.prod(sa)).reshape(sa) % 5, dtype=getattr(lib, dtype))
    b = lib.tensor(np.arange(np.prod(sb)).reshape(sb) % 3, dtype=getattr(lib, dtype))
    r = outcome(lambda: FORMS[form](lib, a, b))
    return r if isinstance(r, Exception) else (str(r.dtype).split(".")[-1], tuple(r.shape), r.numpy().tolist())


@pytest.mark.parametrize(("form", "shapes", "dtype"), list(itertools.product(sorted(FORMS), SHAPES,
                                                                             ["float64", "int64"])))
def test_batch_sizes_as_pytorch(form, shapes, dtype):
    theirs = _outcome(torch, form, *shapes, dtype)
    ours = _outcome(minigan, form, *shapes, dtype)
    if isinstance(theirs, Exception):
        assert isinstance(ours, type(theirs)), f"PyTorch raised {theirs!r}, minigan gave {ours!r}"
        assert "\n" not in str(ours)
    else:
        assert ours == theirs


@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("int64", "float64"), ("bool", "bool")])
@pytest.mark.parametrize("form", ["bmm", "method", "baddbmm", "addbmm"])
def test_dtypes_refused_in_bmms_name(form, dtypes):
    def run(lib):
        a = lib.ones(2, 2, 3, dtype=getattr(lib, dtypes[0]))
        b = lib.ones(2, 3, 4, dtype=getattr(lib, dtypes[1]))
        return FORMS[form](lib, a, b)

    theirs, ours = outcome(run, torch), outcome(run, minigan)
    assert isinstance(theirs, Exception)
    assert isinstance(ours, type(theirs)), f"PyTorch raised {theirs!r}, minigan gave {ours!r}"
    assert str(ours).startswith("bmm:") and "\n" not in str(ours), str(ours)
