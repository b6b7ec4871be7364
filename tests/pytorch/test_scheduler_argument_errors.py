"""A scheduler's per-group arguments (lr_lambda, max_lr, min_lr, milestones) of the wrong length or kind raise
PyTorch's exception class: a list of the wrong length is a ValueError, a function that is not one a TypeError."""

import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402


def _optimizer(lib, groups):
    return lib.optim.SGD([{"params": [lib.nn.Parameter(lib.zeros(1))], "lr": 0.1 / (i + 1)} for i in range(groups)],
                         lr=0.1, momentum=0.9)


def _one(e):
    return 1.0


def _cases(groups):
    yield "LambdaLR", lambda S, o: S.LambdaLR(o, _one)
    yield "MultiplicativeLR", lambda S, o: S.MultiplicativeLR(o, _one)
    for n in sorted({0, 1, groups - 1, groups + 1} - {groups}):
        for kind in (list, tuple):
            yield f"LambdaLR-{kind.__name__}{n}", lambda S, o, n=n, kind=kind: S.LambdaLR(o, kind([_one] * n))
            yield f"MultiplicativeLR-{kind.__name__}{n}", (lambda S, o, n=n, kind=kind:
                                                           S.MultiplicativeLR(o, kind([_one] * n)))
        yield f"OneCycleLR-{n}", lambda S, o, n=n: S.OneCycleLR(o, max_lr=[1.0] * n, total_steps=5)
        yield f"ReduceLROnPlateau-{n}", lambda S, o, n=n: S.ReduceLROnPlateau(o, min_lr=[0.0] * n)
    for bad in (0.5, None, "f"):
        yield f"LambdaLR-{bad!r}", lambda S, o, bad=bad: S.LambdaLR(o, bad)
        yield f"LambdaLR-[{bad!r}]", lambda S, o, bad=bad: S.LambdaLR(o, [bad] * groups)
        yield f"MultiplicativeLR-{bad!r}", lambda S, o, bad=bad: S.MultiplicativeLR(o, bad)
    yield "SequentialLR-milestones", lambda S, o: S.SequentialLR(o, [S.StepLR(o, 1), S.StepLR(o, 1)], [1, 2])


CASES = [pytest.param(groups, name, make, id=f"{groups}groups-{name}")
         for groups in (1, 2, 3) for name, make in _cases(groups)]


def _outcome(lib, groups, make):
    try:
        make(lib.optim.lr_scheduler, _optimizer(lib, groups))
    except Exception as e:  # noqa: BLE001 - the exception is the outcome
        return e
    return None


@pytest.mark.parametrize(("groups", "name", "make"), CASES)
def test_scheduler_argument_error_class(groups, name, make):
    theirs, ours = _outcome(torch, groups, make), _outcome(minigan, groups, make)
    if theirs is None:
        assert ours is None, f"minigan raised {ours!r}; PyTorch accepted it"
    else:
        assert isinstance(ours, type(theirs)), f"PyTorch raised {theirs!r}, minigan {ours!r}"
        assert "\n" not in str(ours)
