"""The random draws at their doors, as PyTorch's: which dtypes a kernel takes (a normal draw into no entries takes any,
a uniform one checks first), which bounds fit randint's dtype, which n fits randperm's, how many samples
multinomial can give.  Each call runs in both libraries with a result of the same shape and dtype, or is refused by
both with PyTorch's exception class (the values are random: not compared)."""

import warnings

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["float32", "float64", "int64", "int32", "uint8", "int8", "bool", "float16"]


def _outcome(call, lib):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return None, call(lib)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return e, None


def difference(call):
    (e1, r1), (e2, r2) = _outcome(call, torch), _outcome(call, minigan)
    if e1 is not None or e2 is not None:
        if e1 is None or e2 is None:
            return f"PyTorch raised {e1!r}" if e2 is None else f"minigan raised {e2!r}, PyTorch ran"
        return None if isinstance(e2, type(e1)) else f"minigan {e2!r}, PyTorch {e1!r}"
    theirs, ours = (tuple(r1.shape), str(r1.dtype).split(".")[-1]), (tuple(r2.shape), str(r2.dtype).split(".")[-1])
    return None if theirs == ours else f"shape and dtype {ours} vs PyTorch's {theirs}"


def _check(calls):
    found = [f"{label}: {why}" for label, call in calls if (why := difference(call))]
    assert not found, f"{len(found)} differ:\n" + "\n".join(found[:30])


def test_normal_draws_take_any_dtype_with_no_entries_and_uniform_ones_check_the_dtype_first():
    calls = []
    for d in DTYPES:
        for n in (0, 3):
            dt = lambda lib, d=d: getattr(lib, d)  # noqa: E731
            calls += [
                (f"randn({n}, dtype={d})", lambda lib, n=n, dt=dt: lib.randn(n, dtype=dt(lib))),
                (f"rand({n}, dtype={d})", lambda lib, n=n, dt=dt: lib.rand(n, dtype=dt(lib))),
                (f"randn_like(zeros({n}, {d}))", lambda lib, n=n, dt=dt: lib.randn_like(lib.zeros(n, dtype=dt(lib)))),
                (f"rand_like(zeros({n}, {d}))", lambda lib, n=n, dt=dt: lib.rand_like(lib.zeros(n, dtype=dt(lib)))),
                (f"normal(0., 1., ({n},), dtype={d})",
                 lambda lib, n=n, dt=dt: lib.normal(0.0, 1.0, (n,), dtype=dt(lib))),
                (f"normal(zeros({n}, {d}), 1.)", lambda lib, n=n, dt=dt: lib.normal(lib.zeros(n, dtype=dt(lib)), 1.0)),
                (f"normal(1.25, ones({n}, {d}))", lambda lib, n=n, dt=dt: lib.normal(1.25, lib.ones(n, dtype=dt(lib)))),
                (f"zeros({n}, {d}).normal_()", lambda lib, n=n, dt=dt: lib.zeros(n, dtype=dt(lib)).normal_()),
                (f"zeros({n}, {d}).normal_(0, -1)", lambda lib, n=n, dt=dt: lib.zeros(n, dtype=dt(lib)).normal_(0, -1)),
                (f"zeros({n}, {d}).uniform_()", lambda lib, n=n, dt=dt: lib.zeros(n, dtype=dt(lib)).uniform_()),
                (f"zeros({n}, {d}).uniform_(1000., 1.)",
                 lambda lib, n=n, dt=dt: lib.zeros(n, dtype=dt(lib)).uniform_(1000.0, 1.0)),
                (f"zeros({n}, {d}).uniform_(0., inf)",
                 lambda lib, n=n, dt=dt: lib.zeros(n, dtype=dt(lib)).uniform_(0.0, float("inf"))),
            ]
    _check(calls)


@pytest.mark.parametrize("bounds", [(0, 2), (2, 3), (-1, 1), (0, 3), (0, 300), (-1, 2), (-200, 5), (0, 2**40),
                                    (0, 2**30), (0, 2**24 + 1), (0, 2**53 + 1), (5, 5)])
def test_randint_bounds_must_fit_the_dtype(bounds):
    low, high = bounds
    _check([(f"randint({low}, {high}, ({n},), dtype={d})",
             lambda lib, d=d, n=n: lib.randint(low, high, (n,), dtype=getattr(lib, d)))
            for d in DTYPES for n in (0, 4)])


def test_randperm_dtype_holds_n():
    _check([(f"randperm({n}, dtype={d})", lambda lib, n=n, d=d: lib.randperm(n, dtype=getattr(lib, d)))
            for d in DTYPES for n in (0, 3, 255, 300, 2049, 3000, -1)])


def test_multinomial_num_samples_is_pytorchs():
    _check([(f"multinomial({shape}, {k}, replacement={r})", lambda lib, k=k, r=r, shape=shape: lib.multinomial(
        lib.ones(shape), k, replacement=r)) for shape in [(3,), (2, 3)] for k in (0, -1, 1, 3, 4, 1.5)
        for r in (False, True)])


@pytest.mark.parametrize("rg", [False, True])
def test_normal_of_tensors_has_means_dtype_and_refuses_a_std_that_cannot_be_cast_to_it(rg):
    """normal(mean, std) of two tensors is drawn in mean's dtype: a std of another kind (float into int64, int64 into
    bool) is refused with RuntimeError, as PyTorch's, even with no entries; float64 std and float32 mean: float32."""
    calls = []
    for md in ("float32", "float64", "int64", "bool"):
        for sd in ("float32", "float64", "int64"):
            for shapes in [((2,), (2,)), ((0, 3), (0, 3)), ((1, 3), (0, 3))]:
                def call(lib, md=md, sd=sd, shapes=shapes):
                    floating = rg and md.startswith("float")
                    mean = lib.zeros(*shapes[0], dtype=getattr(lib, md)).requires_grad_(floating)
                    return lib.normal(mean, lib.ones(*shapes[1], dtype=getattr(lib, sd)))
                calls.append((f"normal(zeros({shapes[0]}, {md}), ones({shapes[1]}, {sd}))", call))
    _check(calls)
