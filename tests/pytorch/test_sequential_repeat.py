"""``Sequential * n``, ``n * Sequential`` and ``*=``: the layers n times over, the same module objects (so shared
weights, counted once by parameters()), as PyTorch's Sequential; a factor that is not positive raises ValueError, one
that is not an int TypeError.  Each program is compared with PyTorch by round 3's harness."""

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.corpus import agree, caught, fill_, registry  # noqa: E402

PROGRAMS, program = registry()


def _block(torch):
    return fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh())).double()


def _summary(torch, seq, x):
    return ([type(m).__name__ for m in seq], [n for n, _ in seq.named_children()], len(list(seq.parameters())),
            list(seq.state_dict()), seq(x), seq[0] is seq[2])


@program
def times_two(torch):
    block = _block(torch)
    out = block * 2
    return _summary(torch, out, torch.ones(1, 2, dtype=torch.float64)), out is block, len(block)


@program
def two_times(torch):
    block = _block(torch)
    return _summary(torch, 2 * block, torch.ones(1, 2, dtype=torch.float64))


@program
def in_place_three_times(torch):
    block = _block(torch)
    same = block
    block *= 3
    return _summary(torch, block, torch.ones(1, 2, dtype=torch.float64)), same is block


@program
def times_one(torch):
    block = _block(torch)
    return [n for n, _ in (block * 1).named_children()], (block * 1) is block


@program
def refused_factors(torch):
    block = _block(torch)
    results = [caught(lambda f=f: block * f) for f in (0, -1, 2.5, "2")]
    results += [caught(lambda f=f: f * block) for f in (0, 1.5)]

    def imul(f):
        b = _block(torch)
        b *= f

    results += [caught(imul, f) for f in (0, -2, 2.0)]
    return results, len(block)


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_sequential_repeat_matches_pytorch(name):
    agree(PROGRAMS[name], torch, minigan)
