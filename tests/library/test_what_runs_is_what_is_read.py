"""What runs is what a learner reads: in a DCGAN step (conv, transposed conv, batch norm) and a WGAN-GP step (its
gradient penalty through ``create_graph``), every node's ``backward`` that runs is the one defined in minigan/engine/,
the one a learner reads beside its forward.

Counted with ``sys.setprofile``: each call of a function named ``backward`` on a ``Node``, by the file that defines
the code that ran.  Where PyTorch's gradients under create_graph differ from the engine's in what a program sees
(which of them require grad, the graph a third order walks), the surface adjusts the engine's result through the
engine's GRADIENT_ADJUSTMENTS (minigan/functional/conv.py, minigan/functional/norm.py), and runs no backward of its
own (its conv and batch-norm subclasses of the engine's nodes did, under create_graph, until their rules became such
adjustments).
"""

import sys
from pathlib import Path

import pytest

import minigan
from minigan import optim
from minigan.engine import backend
from minigan.engine.graph import Node
from minigan.gans import GAN, WGANGP
from minigan.gans.models import DCGANDiscriminator, DCGANGenerator
from minigan.surface import random

ROOT = Path(minigan.__file__).resolve().parent



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
