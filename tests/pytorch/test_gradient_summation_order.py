"""The order in which backward runs the nodes, and so sums the contributions to one gradient, is PyTorch's.

PyTorch's engine keeps the nodes that are ready to run (every consumer has handed in its gradient) in a priority
queue and always runs the one created last (the largest ``sequence_nr``; torch/csrc/autograd/engine.cpp,
CompareNodeTaskTime).  A gradient that reaches one value along several paths is the sum of the contributions in
the order their nodes ran; in float32 (a + b) + c and a + (b + c) round differently, so another valid order
(a depth-first one, say) gives other last bits, which a cancellation (a - b with a close to b) or a second
order magnifies.

Random programs of ops whose own arithmetic is IEEE's correctly rounded elementwise +, -, *, negation and selects
(add, sub, mul, a number times, neg, relu, t * t), on float32 vectors, reusing earlier values (shared
subexpressions, several paths into one leaf), with views, in-place ops and in-place writes through views; then
backward(), autograd.grad, backward(inputs=), several roots at once, or a second order (autograd.grad with
create_graph, then backward of a function of the gradients).  Every gradient must equal PyTorch's bit for bit.
The order is also seen directly: the hooks of the intermediate values are called in PyTorch's order.
"""

import random

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

N = 6  # elements of every vector
HOWS = ("backward", "grad", "inputs", "roots", "second")


def draw(seed):
    """A program: steps (op, operands as pool indices, a number), over one or two float32 leaves."""
    r = random.Random(seed)
    rng = np.random.default_rng(seed)
    leaves = [(rng.standard_normal(N) * r.choice([1.0, 3.0])).astype(np.float32) for _ in range(r.choice([1, 2]))]
    steps, size = [], len(leaves)
    for _ in range(r.randint(3, 9)):
        op = r.choice(["add", "add", "sub", "sub", "mul", "mul", "scale", "neg", "relu", "square", "view",
                       "inplace", "write_view", "stale_view", "function", "function2"])
        # recent values more often, so that values are reused along several paths
        picks = [min(size - 1, int(size * r.random() ** 0.5)) for _ in range(2)]
        number = float(np.float32(r.uniform(0.5, 1.5)))
        steps.append((op, picks, number, r.randrange(1, N)))
        size += 1
    outs = r.sample(range(size), min(size, r.choice([1, 2, 3])))
    weights = [rng.standard_normal(N).astype(np.float32) for _ in range(size)]
    return {"leaves": leaves, "steps": steps, "outs": outs, "weights": weights, "how": HOWS[seed % len(HOWS)]}


def functions(lib):
    """Two autograd.Functions, one output and two: their nodes take part in the order as any op's."""

    class Twice(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2.0

        @staticmethod
        def backward(ctx, g):
            return g * 2.0

    class Pair(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return x * y, x * 3.0

        @staticmethod
        def backward(ctx, g1, g2):
            x, y = ctx.saved_tensors
            return g1 * y + g2 * 3.0, g1 * x

    return Twice, Pair


def run(lib, prog):
    """Run a program with ``lib`` (minigan or torch); every gradient it computes, as float32 arrays, and the order
    in which the hooks of intermediate values were called."""
    Twice, Pair = functions(lib)
    leaves = [lib.tensor(v, requires_grad=True) for v in prog["leaves"]]
    pool, calls = list(leaves), []
    for k, (op, (i, j), c, cut) in enumerate(prog["steps"]):
        a, b = pool[i], pool[j]
        if op == "add":
            t = a + b
        elif op == "sub":
            t = a - b
        elif op == "mul":
            t = a * b
        elif op == "scale":
            t = a * c
        elif op == "neg":
            t = -a
        elif op == "relu":
            t = a.relu()
        elif op == "square":
            t = a * a
        elif op == "function":
            t = Twice.apply(a)
        elif op == "function2":  # both outputs used: two gradients into one node
            p, q = Pair.apply(a, b)
            t = p - q
        elif op == "view":
            t = a[:]
        elif op == "inplace":  # a copy of a, then changed in place: its history moves to the new node
            t = a * 1.0
            t.mul_(b)
        elif op == "write_view":  # an in-place op through a view: the base's history is a CopySlices node
            t = a * 1.0
            t[:cut].add_(b[:cut])
        else:  # a view of a copy whose base then changes in place: the view's history is made again when used
            base = a * 1.0
            t = base[:]
            base.mul_(c)
            t = t + base
        t.register_hook(lambda g, k=k: calls.append(k))
        pool.append(t)
    w = [lib.tensor(v) for v in prog["weights"]]
    terms = [(pool[o] * w[o]).sum() for o in prog["outs"]]
    loss = terms[0]
    for term in terms[1:]:
        loss = loss + term
    got, how = [], prog["how"]
    if how == "backward":
        loss.backward()
        got = [x.grad for x in leaves]
    elif how == "grad":
        got = list(lib.autograd.grad(loss, leaves, allow_unused=True))
    elif how == "inputs":  # into an intermediate value's .grad and a leaf's
        middle = pool[len(leaves) + len(prog["steps"]) // 2]
        loss.backward(inputs=[middle, leaves[0]])
        got = [middle.grad, leaves[0].grad]
    elif how == "roots":  # several outputs seeded at once
        lib.autograd.backward(terms + [pool[-1]], [lib.tensor(1.0)] * len(terms) + [w[0]])
        got = [x.grad for x in leaves]
    else:
        gs = lib.autograd.grad(loss, leaves, create_graph=True, allow_unused=True)
        got = list(gs)
        second = [(g * w[k] * g).sum() for k, g in enumerate(gs) if g is not None and g.requires_grad]
        if second:
            s = second[0]
            for term in second[1:]:
                s = s + term
            s.backward()
            got += [x.grad for x in leaves]
    return [None if g is None else g.detach().numpy().astype(np.float32) for g in got], calls


def differences(seed):
    prog = draw(seed)
    try:
        want, want_calls = run(torch, prog)
    except RuntimeError:  # (PyTorch refuses the program: minigan must too)
        with pytest.raises(RuntimeError):
            run(minigan, prog)
        return []
    got, got_calls = run(minigan, prog)
    found = []
    if want_calls != got_calls:
        found.append(f"seed {seed} ({prog['how']}): hooks called in the order {got_calls}, PyTorch's {want_calls}")
    for k, (a, b) in enumerate(zip(want, got)):
        if (a is None) != (b is None) or a is not None and not np.array_equal(a, b, equal_nan=True):
            ulps = None if a is None or b is None else int(np.max(np.abs(a.view(np.int32) - b.view(np.int32))))
            found.append(f"seed {seed} ({prog['how']}): gradient {k} differs from PyTorch's by up to {ulps} ulp")
    return found


@pytest.mark.parametrize("start", range(0, 600, 100))
def test_gradients_are_summed_in_pytorchs_order_bit_for_bit(start):
    found = [d for seed in range(start, start + 100) for d in differences(seed)]
    assert found == [], "\n".join(found)


def test_a_value_used_three_times_sums_its_contributions_newest_first():
    """u reaches y along three paths, whose contributions 1e8, -1e8 and 0.3 sum to 0 in float32 newest first, as
    PyTorch's engine sums them, and to 0.3 oldest first."""
    got = []
    for lib in (minigan, torch):
        x = lib.tensor(np.array([1.0, 3.0], dtype=np.float32), requires_grad=True)
        u = x * 1.0
        a = u * np.float32(1e8).item()  # oldest consumer
        b = u * -np.float32(1e8).item()
        c = u * np.float32(0.3).item()  # newest consumer
        (a + b + c).sum().backward()
        got.append(x.grad.numpy())
    # newest first: (0.3 + -1e8) + 1e8 = 0 (0.3 is lost against 1e8), oldest first: (1e8 + -1e8) + 0.3 = 0.3
    assert got[1].tolist() == [0.0, 0.0]
    assert got[0].tolist() == got[1].tolist()
