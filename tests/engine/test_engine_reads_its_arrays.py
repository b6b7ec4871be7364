"""The engine reads its own arrays: it does not climb into the library built on it.

minigan.Tensor (minigan/surface/tensor.py) overrides ``shape``, ``dtype``, ``numel`` and more with PyTorch's forms
(``minigan.Size``, minigan's dtype objects).  Engine code that asked a tensor for them ran the layer above on every
op.  Here one small GAN step (a DCGAN step with batch norm and BCE, a WGAN-GP critic step with its double backward, a
generator step, each with Adam's update) runs under ``sys.setprofile``, and every call from a function in
minigan/engine/ into a function of minigan outside it is counted.  What remains goes through the seams the engine
declares (``minigan.engine.SEAMS``: the result and gradient tables, the hook methods) and the few backward formulas
that Tensors and arrays share under create_graph.  The count may only fall: lower CLIMB_CEILING when it does.

The optimizers' fused updates are the engine calling code above it by design (``backend.fused``: one kernel on a GPU,
these lines on a CPU); they are counted apart and must all be functions made with ``backend.fused``.
"""

from __future__ import annotations

import collections
import os
import sys

import minigan
import minigan.engine
import minigan.functional as F
from minigan import optim
from minigan.engine import backend
from minigan.gans.models import DCGANDiscriminator, DCGANGenerator
from minigan.gans.wgan_gp import gradient_penalty

CLIMB_CEILING = 70  # calls from minigan/engine/ into the library above over one step (323 when engine code still
# asked a tensor for its shape and dtype: minigan.Tensor's; 71 when it read its arrays': the rest are the declared
# seams (RESULT_ADJUSTMENTS 30, _refuse_place 24, GRADIENT_ADJUSTMENTS 2, Pow's kernels 4, _sum_along 1) and reads
# of shape and reshape in backward formulas run on Tensors under create_graph, 10; 70 when the Tensor namespace's
# broadcast_to read its Tensor's array)
FUSED_CALLS = 72  # Adam's three fused updates for each of the 8 + 8 + 8 parameter updates of the step

ENGINE = os.path.dirname(minigan.engine.__file__) + os.sep
PACKAGE = os.path.dirname(minigan.__file__) + os.sep


def _gan_step():
    minigan.manual_seed(0)
    G, D = DCGANGenerator(8, (1, 8, 8), channels=4), DCGANDiscriminator((1, 8, 8), channels=4)
    D_bn = DCGANDiscriminator((1, 8, 8), channels=4, batch_norm=True)
    opt_g, opt_d = optim.Adam(G.parameters(), 1e-3), optim.Adam([*D.parameters(), *D_bn.parameters()], 1e-3)

    def step():
        z, real = minigan.randn(4, 8), minigan.randn(4, 1, 8, 8)
        fake = G(z)
        loss_d = (F.binary_cross_entropy_with_logits(D_bn(real), minigan.ones(4, 1))
                  + F.binary_cross_entropy_with_logits(D_bn(fake.detach()), minigan.zeros(4, 1)))
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        loss_c = D(real).mean() - D(fake.detach()).mean() + gradient_penalty(D, real, fake)  # a double backward
        opt_d.zero_grad()
        loss_c.backward()
        opt_d.step()
        loss_g = -D(G(z)).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
    return step


def _climbs(step):
    """(caller, callee) -> count, for every call from an engine function into minigan outside the engine."""
    counts = collections.Counter()

    def watch(frame, event, arg):
        if event != "call":
            return
        callee = frame.f_code.co_filename
        caller = frame.f_back.f_code.co_filename if frame.f_back is not None else ""
        if caller.startswith(ENGINE) and callee.startswith(PACKAGE) and not callee.startswith(ENGINE):
            counts[(f"{os.path.relpath(caller, PACKAGE)}:{frame.f_back.f_code.co_name}",
                    f"{os.path.relpath(callee, PACKAGE)}:{frame.f_code.co_name}")] += 1

    previous = sys.getprofile()
    sys.setprofile(watch)
    try:
        step()
    finally:
        sys.setprofile(previous)
    return counts


def test_the_engine_calls_the_layer_above_only_through_its_seams_and_ever_less():
    step = _gan_step()
    step()  # (the first step imports and builds what it needs)
    counts = _climbs(step)
    fused_code = {f.fn.__code__.co_name for f in _fused_functions()}
    fused = {k: n for k, n in counts.items() if k[0] == "engine/backend.py:__call__"}
    assert {k[1].rpartition(":")[2] for k in fused} <= fused_code, "a climb from backend.fused not to a fused update"
    assert sum(fused.values()) == FUSED_CALLS, fused
    climbs = {k: n for k, n in counts.items() if k not in fused}
    shown = "\n".join(f"{n:4} {a} -> {b}" for (a, b), n in sorted(climbs.items(), key=lambda kv: -kv[1]))
    assert sum(climbs.values()) <= CLIMB_CEILING, f"{sum(climbs.values())} calls up from the engine:\n{shown}"
    properties = {k: n for k, n in climbs.items() if k[1].rpartition(":")[2] in ("dtype", "numel", "ndim", "size")}
    assert properties == {}, "engine code asked a Tensor for its dtype or size: read its .array's"


def test_the_engine_reads_no_shape_or_dtype_above_it_outside_backward_formulas():
    step = _gan_step()
    step()
    counts = _climbs(step)
    shape_reads = {k: n for k, n in counts.items() if k[1].rpartition(":")[2] in ("shape", "__getitem__")}
    allowed_callers = {"engine/backend.py:matmul", "engine/ops/linalg.py:backward"}
    assert {k[0] for k in shape_reads} <= allowed_callers, shape_reads  # (those run on Tensors under create_graph)


def _fused_functions():
    """Every function made with ``backend.fused`` in minigan's modules loaded now."""
    modules = [m for name, m in list(sys.modules.items()) if name.startswith("minigan.") and m is not None]
    return [v for m in modules for v in vars(m).values() if isinstance(v, backend._Fused)]
