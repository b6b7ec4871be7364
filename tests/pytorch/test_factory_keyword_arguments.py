"""Every tensor factory with the keywords PyTorch's documentation gives it (``dtype=``, ``requires_grad=``,
``device=``, ``layout=`` at its default, ``pin_memory=False``), at a floating and an integer dtype, against PyTorch:
the same dtype, shape and ``requires_grad``, or an exception of PyTorch's class.  Found by a program of
tests/pytorch/corpus_autograd.py: ``randint(..., dtype=torch.float64, requires_grad=True)`` was refused,
``scalar_tensor`` took no ``requires_grad=``, ``layout=`` or ``pin_memory=``, and ``range`` refused
``layout=torch.strided``, its default."""

import warnings

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

FACTORIES = {
    "zeros": lambda T, **k: T.zeros(2, **k), "ones": lambda T, **k: T.ones(2, 1, **k),
    "empty": lambda T, **k: T.empty(2, **k), "full": lambda T, **k: T.full((2,), 1.0, **k),
    "eye": lambda T, **k: T.eye(2, 3, **k), "arange": lambda T, **k: T.arange(3.0, **k),
    "range": lambda T, **k: T.range(0, 3, **k), "linspace": lambda T, **k: T.linspace(0, 3, 4, **k),
    "logspace": lambda T, **k: T.logspace(0, 3, 4, **k), "randint low high": lambda T, **k: T.randint(0, 3, (2,), **k),
    "randint high": lambda T, **k: T.randint(3, (2, 2), **k), "randperm": lambda T, **k: T.randperm(3, **k),
    "rand": lambda T, **k: T.rand(2, **k), "randn": lambda T, **k: T.randn(2, **k),
    "normal": lambda T, **k: T.normal(0.0, 1.0, (2,), **k),
    "zeros_like": lambda T, **k: T.zeros_like(T.ones(2, 3), **k),
    "ones_like": lambda T, **k: T.ones_like(T.ones(2), **k),
    "empty_like": lambda T, **k: T.empty_like(T.ones(2), **k),
    "full_like": lambda T, **k: T.full_like(T.ones(2), 1, **k),
    "rand_like": lambda T, **k: T.rand_like(T.ones(2), **k),
    "randn_like": lambda T, **k: T.randn_like(T.ones(2), **k),
    "scalar_tensor": lambda T, **k: T.scalar_tensor(1, **k),
    "scalar_tensor float": lambda T, **k: T.scalar_tensor(2.5, **k),
    "new_zeros": lambda T, **k: T.ones(2).new_zeros(2, **k),
    "new_ones": lambda T, **k: T.ones(2).new_ones(2, **k),
    "new_full": lambda T, **k: T.ones(2).new_full((2,), 1, **k),
    "new_empty": lambda T, **k: T.ones(2).new_empty(2, **k),
}
LIKE = {"zeros_like", "ones_like", "empty_like", "full_like", "rand_like", "randn_like"}
NO_PIN = LIKE | {"new_zeros", "new_ones", "new_full", "new_empty", "range", "arange", "linspace", "logspace"}
KEYWORDS = {
    "float64 requiring grad": lambda T: dict(dtype=T.float64, requires_grad=True),
    "float32 requiring grad": lambda T: dict(dtype=T.float32, requires_grad=True),
    "int64 requiring grad": lambda T: dict(dtype=T.int64, requires_grad=True),
    "int32 requiring grad": lambda T: dict(dtype=T.int32, requires_grad=True),
    "bool requiring grad": lambda T: dict(dtype=T.bool, requires_grad=True),
    "requires_grad=False": lambda T: dict(requires_grad=False),
    "device cpu": lambda T: dict(device="cpu"),
    "layout strided": lambda T: dict(layout=T.strided),
    "pin_memory False": lambda T: dict(pin_memory=False),
    "int32": lambda T: dict(dtype=T.int32),
}


def _outcome(lib, factory, keywords):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (range is deprecated)
        try:
            made = FACTORIES[factory](lib, **KEYWORDS[keywords](lib))
        except Exception as exc:  # noqa: BLE001 - the class is the result
            return exc
    return str(made.dtype).split(".")[-1], tuple(made.shape), made.requires_grad, made.is_leaf


CASES = [(f, k) for f in FACTORIES for k in KEYWORDS if not (k == "pin_memory False" and f in NO_PIN)]


@pytest.mark.parametrize("factory, keywords", CASES, ids=[f"{f}-{k}" for f, k in CASES])
def test_factory_keywords_as_pytorch(factory, keywords):
    theirs, mine = _outcome(torch, factory, keywords), _outcome(minigan, factory, keywords)
    if isinstance(theirs, Exception):
        assert isinstance(mine, type(theirs)), f"PyTorch raised {theirs!r}, minigan gave {mine!r}"
    else:
        assert mine == theirs, f"PyTorch made {theirs}, minigan gave {mine!r}"
