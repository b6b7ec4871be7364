"""A GAN written by hand in NumPy (or CuPy): every forward, backward and Adam step spelled out, no autodiff.

Read it beside ``minigan.gans.gan.GAN``: the same iteration, but each derivative the engine derives
from the ops' own backward rules is written here by hand, layer by layer, in reverse, the chain rule
as matrix products (dL/dW = gᵀx, dL/dx = g·W for ``y = x Wᵀ + b``). It is also the speed floor of an
autodiff engine on NumPy: ``python -m minigan.bench --only hand-numpy`` times the engine against it.
"""

from __future__ import annotations

from minigan.engine import backend


class HandMLPGAN:
    """An MLP GAN iteration with no autodiff: forward, backward and Adam written out by hand.

    ``G`` and ``D`` are minigan ``Sequential`` MLPs whose weights are copied; ``acts_g``/``acts_d`` name
    each layer's activation ("relu", "lrelu", "tanh" or None); ``real`` and ``z`` are fixed batches.
    ``step()`` is one iteration of Goodfellow et al. 2014's Algorithm 1 with k = 1 and the
    non-saturating G loss: a D step on real (→ 1) and detached fake (→ 0) examples, then a G step
    through the updated D, each with Adam (Kingma & Ba 2015, Algorithm 1), in plain array code
    with in-place updates: what a careful NumPy programmer writes for this model.
    """

    def __init__(self, G, D, acts_g, acts_d, real, z, slope=0.2, lr=2e-4, betas=(0.5, 0.999)):
        self.xp = backend.get_array_module(real)
        self.lr, self.betas = lr, betas
        self.G = [[p.array.copy() for p in layer.parameters()] for layer in G if hasattr(layer, "weight")]
        self.D = [[p.array.copy() for p in layer.parameters()] for layer in D if hasattr(layer, "weight")]
        self.acts_g, self.acts_d, self.slope = acts_g, acts_d, slope
        self.real, self.z = real, z
        self.adam_g = self._adam_state(self.G)
        self.adam_d = self._adam_state(self.D)

    def _adam_state(self, layers):
        xp = self.xp
        return {"t": 0, "m": [[xp.zeros_like(p) for p in ps] for ps in layers],
                "v": [[xp.zeros_like(p) for p in ps] for ps in layers]}

    def _forward(self, layers, acts, x):
        xp, cache = self.xp, []
        for (w, b), act in zip(layers, acts):
            h = x @ w.T
            h += b
            if act == "relu":
                xp.maximum(h, 0, out=h)
            elif act == "lrelu":
                mask = h < 0
                h[mask] *= self.slope
            elif act == "tanh":
                xp.tanh(h, out=h)
            cache.append((x, h))
            x = h
        return x, cache

    def _backward(self, layers, acts, cache, g, want_params=True):
        """Backpropagate dL/d(output) = g; returns (dL/d(input), [[dW, db], ...] or None)."""
        grads = []
        for (w, _), act, (x, h) in zip(reversed(layers), reversed(acts), reversed(cache)):
            if act == "relu":
                g = g * (h > 0)
            elif act == "lrelu":
                g = g.copy()
                g[h < 0] *= self.slope
            elif act == "tanh":
                g = g * (1 - h * h)
            if want_params:
                grads.append([g.T @ x, g.sum(axis=0)])
            g = g @ w
        return g, (grads[::-1] if want_params else None)

    def _bce(self, logits, target):
        """mean BCE-with-logits and its gradient, (σ(x) − t)/n."""
        xp = self.xp
        e = xp.exp(-abs(logits))
        loss = (xp.maximum(logits, 0) - target * logits + xp.log1p(e)).mean()
        sig = xp.where(logits >= 0, 1 / (1 + e), e / (1 + e))
        return loss, (sig - target) / logits.shape[0]

    def _adam(self, layers, grads, state):
        xp = self.xp
        b1, b2 = self.betas
        state["t"] += 1
        t = state["t"]
        step_size = self.lr / (1 - b1**t)
        root_c = (1 - b2**t) ** 0.5
        for ps, gs, ms, vs in zip(layers, grads, state["m"], state["v"]):
            for p, g, m, v in zip(ps, gs, ms, vs):
                m *= b1
                m += (1 - b1) * g
                v *= b2
                v += (1 - b2) * (g * g)
                denom = xp.sqrt(v)
                denom /= root_c
                denom += 1e-8
                p -= step_size * (m / denom)

    def step(self):
        fake, cache_g = self._forward(self.G, self.acts_g, self.z)
        # D step: real → 1, detached fake → 0
        out_r, cache_r = self._forward(self.D, self.acts_d, self.real)
        loss_r, g_r = self._bce(out_r, 1.0)
        _, grads = self._backward(self.D, self.acts_d, cache_r, g_r)
        out_f, cache_f = self._forward(self.D, self.acts_d, fake)
        loss_f, g_f = self._bce(out_f, 0.0)
        _, grads_f = self._backward(self.D, self.acts_d, cache_f, g_f)
        for gs, gfs in zip(grads, grads_f):
            for a, b in zip(gs, gfs):
                a += b
        self._adam(self.D, grads, self.adam_d)
        # G step through the updated D (no gradient for D's weights)
        out, cache = self._forward(self.D, self.acts_d, fake)
        loss_g, g = self._bce(out, 1.0)
        g, _ = self._backward(self.D, self.acts_d, cache, g, want_params=False)
        _, grads_g = self._backward(self.G, self.acts_g, cache_g, g)
        self._adam(self.G, grads_g, self.adam_g)
        return loss_r + loss_f, loss_g
