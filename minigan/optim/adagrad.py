"""Adagrad (Duchi, Hazan & Singer 2011, "Adaptive Subgradient Methods for Online Learning and Stochastic
Optimization", JMLR 12; the diagonal form of section 1.1 / Figure 1):

    G_t ← G_{t−1} + g_t²                  (the sum of the squared gradients, per coordinate)
    θ_t ← θ_{t−1} − η · g_t / (√G_t + ε)

Every coordinate gets its own step size, η/√G_t, large for rarely-updated coordinates and small for
often-updated ones.  PyTorch adds a learning-rate decay, η_t = η / (1 + (t − 1)·lr_decay), an L2
``weight_decay`` (g ← g + λθ) and ``initial_accumulator_value`` (G_0); so do we, in its order, and each step
equals ``torch.optim.Adagrad``'s.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.optim.optimizer import Optimizer, keep_as_tensors, state_as_arrays


class Adagrad(Optimizer):
    """``Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, foreach=None,
    *, maximize=False, differentiable=False, fused=None)``: PyTorch's arguments, defaults and order
    (``maximize=True`` minimises −f: ``Optimizer.step`` hands the update −g).

    ``foreach``, ``differentiable``, ``fused``: PyTorch's implementation switches, accepted; they change nothing.
    """

    hyperparameter_names = ("lr", "lr_decay", "eps", "weight_decay", "initial_accumulator_value", "foreach", "maximize",
                            "differentiable", "fused")  # PyTorch's order (its param_groups' keys)

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        super().__init__(params, lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                         initial_accumulator_value=initial_accumulator_value, eps=eps, foreach=foreach,
                         maximize=maximize, differentiable=differentiable, fused=fused)
        for group in self.param_groups:  # G_0 for every parameter from the start, as PyTorch's (state_dict shows it)
            for p in group["params"]:
                keep_as_tensors(self.state[p], self._initial_state(p, group))

    @staticmethod
    def _initial_state(p, group):
        return {"step": 0,
                "sum": backend.get_array_module(p.array).full_like(p.array, group["initial_accumulator_value"])}  # G_0

    @state_as_arrays
    def _update(self, p, g, state, group):
        xp = backend.get_array_module(p.array)
        if not state:  # a parameter of a group added later
            state.update(self._initial_state(p, group))
        t = state["step"] = state["step"] + 1
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p.array                  # g ← g + λθ   (L2 penalty)
        lr = group["lr"] / (1 + (t - 1) * group["lr_decay"])         # η_t = η / (1 + (t − 1)·lr_decay)
        G = state["sum"]
        G += g * g                                                   # G_t ← G_{t−1} + g_t²
        p -= lr * g / (xp.sqrt(G) + group["eps"])                  # θ_t ← θ_{t−1} − η_t·g_t / (√G_t + ε)
