"""What runs is what a learner reads: in a DCGAN step (conv, transposed conv, batch norm) and a WGAN-GP step (its
gradient penalty through ``create_graph``), every node's ``backward`` that runs is the one defined in minigan/engine/,
the one a learner reads beside its forward.

Counted with ``sys.setprofile``: each call of a function named ``backward`` on a ``Node``, by the file that defines
the code that ran.  Where PyTorch's gradients under create_graph differ from the engine's in what a program sees
(which of them require grad, the graph a third order walks), the surface adjusts the engine's result through the
engine's GRADIENT_ADJUSTMENTS (minigan/surface/ops.py's rows: minigan/surface/fused_backward.py's rules, and x ** 0's
constant zero in minigan/surface/pointwise.py), and runs no backward of its own (its conv, batch-norm and BCE
subclasses of the engine's nodes did, under create_graph, until their rules became such adjustments).
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import minigan
from minigan import optim
from minigan.engine import backend, graph
from minigan.engine.graph import Node
from minigan.engine.ops import conv as C
from minigan.engine.ops import elementwise as E
from minigan.engine.ops import loss as LS
from minigan.engine.ops import norm as N
from minigan.gans import GAN, WGANGP
from minigan.gans.models import DCGANDiscriminator, DCGANGenerator
from minigan.surface import random

ROOT = Path(minigan.__file__).resolve().parent
# PyTorch's double-backward reading, by node class: the engine's convolutions, batch norm and binary cross-entropy,
# pow (the engine's Pow, its row's pow_backward), and nothing else (minigan/surface/ops.py's gradient column)
ADJUSTED = {C.Conv2d, C.ConvTranspose2d, C.Conv2dWeight, N.BatchNorm, LS.BCE, E.Pow}



def _images(m):
    return minigan.tensor(backend.np.tanh(random.randn((m, 1, 8, 8))).astype("float32"))


def _trainers():
    random.manual_seed(0)
    g, d = DCGANGenerator(8, (1, 8, 8), channels=4), DCGANDiscriminator((1, 8, 8), channels=4, batch_norm=True)
    dcgan = GAN(g, d, optim.Adam(g.parameters(), lr=2e-4), optim.Adam(d.parameters(), lr=2e-4), 8, batch_size=6)
    g, c = DCGANGenerator(8, (1, 8, 8), channels=4), DCGANDiscriminator((1, 8, 8), channels=4)
    wgan_gp = WGANGP(g, c, optim.Adam(g.parameters(), lr=1e-4), optim.Adam(c.parameters(), lr=1e-4), 8, n_critic=1,
                     batch_size=6)
    return {"dcgan": dcgan, "wgan-gp": wgan_gp}


def backwards_that_run(trainer) -> set:
    """{(file under minigan/, node class, "graph" under create_graph (a Tensor gradient) or "first")} of every Node
    backward that one ``trainer.train_step`` runs."""
    seen = set()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_name == "backward" and isinstance(frame.f_locals.get("self"), Node):
            where = Path(frame.f_code.co_filename).resolve().relative_to(ROOT).as_posix()
            grad = frame.f_locals[frame.f_code.co_varnames[1]]
            seen.add((where, type(frame.f_locals["self"]).__name__, "first" if backend.is_array(grad) else "graph"))

    sys.setprofile(profile)
    try:
        trainer.train_step(_images)
    finally:
        sys.setprofile(None)
    return seen


@pytest.fixture(scope="module")
def runs():
    return {name: backwards_that_run(trainer) for name, trainer in _trainers().items()}


def test_the_steps_run_conv_transposed_conv_batch_norm_and_a_second_order(runs):
    engine = {name: {cls for where, cls, _ in seen if where.startswith("engine/")} for name, seen in runs.items()}
    assert {"Conv2d", "ConvTranspose2d", "BatchNorm"} <= engine["dcgan"], engine["dcgan"]
    # the gradient penalty takes the critic's input gradient under create_graph: its convolutions' backward runs
    # there, the engine's (its gradients read as PyTorch's through GRADIENT_ADJUSTMENTS), then the penalty's backward
    # runs through the transposed convolutions that made
    assert ("engine/ops/conv.py", "Conv2d", "graph") in runs["wgan-gp"], sorted(runs["wgan-gp"])


def test_every_backward_that_runs_is_defined_in_the_engine(runs):
    outside = {run for seen in runs.values() for run in seen if not run[0].startswith("engine/")}
    assert not outside, sorted(outside)


def test_the_surface_adjusts_the_engines_convolutions_and_batch_norm_and_the_engine_alone_nothing():
    """The engine alone leaves GRADIENT_ADJUSTMENTS empty: under create_graph the weight gradient of a convolution
    whose input and upstream are constants is the textbook's, which does not require grad; with the surface, the same
    engine node's reads the weight too, as PyTorch's convolution_backward, and requires grad."""
    code = textwrap.dedent("""
        import numpy as np
        from minigan.engine import Tensor, graph
        from minigan.engine.ops.conv import Conv2d
        w = Tensor(np.ones((2, 1, 2, 2)), requires_grad=True)
        y = Conv2d.apply(Tensor(np.ones((1, 1, 3, 3))), w)
        y.backward(Tensor(np.ones((1, 2, 2, 2))), create_graph=True)
        print(graph.GRADIENT_ADJUSTMENTS == {}, w.grad.requires_grad)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT.parent, timeout=120)
    assert out.stdout.split() == ["True", "False"], out.stderr
    assert set(graph.GRADIENT_ADJUSTMENTS) == ADJUSTED
    w = minigan.ones(2, 1, 2, 2, dtype=minigan.float64, requires_grad=True)
    y = C.Conv2d.apply(minigan.ones(1, 1, 3, 3, dtype=minigan.float64), w)
    (dw,) = minigan.autograd.grad(y, (w,), minigan.ones(1, 2, 2, 2, dtype=minigan.float64), create_graph=True)
    assert dw.requires_grad and dw.tolist() == [[[[4.0, 4.0], [4.0, 4.0]]]] * 2
    assert type(y.grad_fn) is C.Conv2d


@pytest.mark.parametrize("create_graph", [False, True])
def test_the_walk_asks_the_adjustments_under_create_graph_only(create_graph):
    asked = []
    adjust = graph.GRADIENT_ADJUSTMENTS[N.BatchNorm]
    graph.GRADIENT_ADJUSTMENTS[N.BatchNorm] = lambda node, grad, grads: asked.append(node) or adjust(node, grad, grads)
    try:
        x = minigan.randn(4, 3, 2, 2, requires_grad=True)
        y = minigan.nn.functional.batch_norm(x, None, None, training=True)
        (y * y).sum().backward(create_graph=create_graph)
    finally:
        graph.GRADIENT_ADJUSTMENTS[N.BatchNorm] = adjust
    assert [type(n) for n in asked] == ([N.BatchNorm] if create_graph else [])
    assert x.grad.requires_grad == create_graph
