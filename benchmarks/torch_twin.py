"""PyTorch twins of minigan's recipes: the same run, trained by PyTorch, scored by minigan's metrics.

    python benchmarks/torch_twin.py --algorithm began --data fashion-mnist --seeds 0 1 2 --steps 3000
    python benchmarks/torch_twin.py --algorithm gan --data fashion-mnist --framework both --steps 3000

``build_experiment`` makes minigan's run; the twin copies it: every minigan module becomes the PyTorch module
of the same name, the custom GAN modules (``minigan.gans.models``) become the classes below with the same
forward, and the initial weights (and batch-norm buffers) are copied, so architecture and initialisation are
equal by construction. The optimizer, learning rate, betas and linear decay are the recipe's. The noise and
the real batches come from minigan's own seeded generators, drawn in the order minigan's trainer draws them,
so both frameworks see the same data in the same order (the twin, from the first step, then follows its
own float rounding). Scores: ``Experiment.evaluate``'s metrics (the reference classifier's class coverage,
Fréchet distance, precision/recall, density/coverage; the VEEGAN mode metrics on 2-D data).

A difference between the columns beyond the seed spread is an implementation fault to find; a failure
both share is the recipe's (or the algorithm's) at this scale. PyTorch is needed here only.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch
import torch.nn.functional as TF

from minigan import nn
from minigan.engine import backend
from minigan.gans import models
from minigan.gans.recipes import build_experiment, learning_rates
from minigan.surface import random


# ----------------------------------------------------------------------------- modules
class MLPGenerator(torch.nn.Module):
    def __init__(self, src, net):
        super().__init__()
        self.net, self.num_classes, self.out_shape = net, src.num_classes, src.out_shape
        self.output, self.scale = src.output, src.scale

    def forward(self, z, labels=None):
        x = self.net(with_label(z, labels, self.num_classes))
        if self.output == "tanh":
            x = torch.tanh(x)
        if self.scale != 1.0:
            x = x * self.scale
        return x.reshape(x.shape[0], *self.out_shape)


class MLPDiscriminator(torch.nn.Module):
    def __init__(self, src, dropout, net):
        super().__init__()
        self.dropout, self.net = dropout, net
        self.in_features, self.num_classes, self.scale = src.in_features, src.num_classes, src.scale

    def forward(self, x, labels=None):
        x = self.dropout(x.reshape(x.shape[0], self.in_features))
        if self.scale != 1.0:
            x = x / self.scale
        return self.net(with_label(x, labels, self.num_classes))


class PackedDiscriminator(torch.nn.Module):
    def __init__(self, src, inner):
        super().__init__()
        self.inner, self.pack = inner, src.pack

    def forward(self, x, labels=None):
        return self.inner(x.reshape(x.shape[0] // self.pack, -1))


class DCGANGenerator(torch.nn.Module):
    def __init__(self, src, project, up):
        super().__init__()
        self.project, self.up, self.num_classes, self.start = project, up, src.num_classes, src.start

    def forward(self, z, labels=None):
        h = self.project(with_label(z, labels, self.num_classes))
        return self.up(h.reshape(h.shape[0], *self.start))


class DCGANDiscriminator(torch.nn.Module):
    def __init__(self, src, children):
        super().__init__()
        for name, module in children.items():
            setattr(self, name, module)
        self.num_classes, self.image_shape = src.num_classes, src.image_shape

    def forward(self, x, labels=None):
        x = self.dropout(x)
        if self.num_classes:
            _, h, w = self.image_shape
            x = torch.cat([x, self.embed(labels).reshape(x.shape[0], 1, h, w)], dim=1)
        return self.net(x)


class AutoEncoderDiscriminator(torch.nn.Module):
    def __init__(self, src, encoder, decoder):
        super().__init__()
        self.encoder, self.decoder, self.in_shape, self.in_features = encoder, decoder, src.in_shape, src.in_features

    def forward(self, x):
        h = self.encoder(x.reshape(x.shape[0], self.in_features))
        return self.decoder(h).reshape(x.shape[0], *self.in_shape)


class ConvAutoEncoderDiscriminator(torch.nn.Module):
    def __init__(self, src, encoder, decoder):
        super().__init__()
        self.encoder, self.decoder = encoder, decoder

    def forward(self, x):
        return self.decoder(self.encoder(x))


class BEGANGenerator(torch.nn.Module):
    def __init__(self, src, net):
        super().__init__()
        self.net = net

    def forward(self, z, labels=None):
        return torch.tanh(self.net(z))


def with_label(x, labels, num_classes):
    if not num_classes:
        return x
    return torch.cat([x, TF.one_hot(labels, num_classes).to(x.dtype)], dim=1)


def to_torch(m):
    """The PyTorch module of minigan module ``m``, with ``m``'s weights and buffers copied in."""
    t = _build(m)
    state = {k: torch.from_numpy(np.array(backend.asnumpy(v.array if hasattr(v, "array") else v)))
             for k, v in m.state_dict().items()}
    missing, unexpected = t.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise AssertionError(f"twin of {type(m).__name__}: missing {missing}, unexpected {unexpected}")
    return t


def _build(m):
    T = torch.nn
    kids = {name: _build(child) for name, child in m._modules.items()} if hasattr(m, "_modules") else {}
    if isinstance(m, nn.Sequential):
        return T.Sequential(*[_build(c) for c in m])
    simple = {
        nn.Linear: lambda: T.Linear(m.in_features, m.out_features, bias=m.bias is not None),
        nn.Conv2d: lambda: T.Conv2d(m.in_channels, m.out_channels, m.kernel_size, m.stride, m.padding,
                                    bias=m.bias is not None),
        nn.ConvTranspose2d: lambda: T.ConvTranspose2d(m.in_channels, m.out_channels, m.kernel_size, m.stride,
                                                      m.padding, m.output_padding, bias=m.bias is not None),
        nn.BatchNorm1d: lambda: T.BatchNorm1d(m.num_features, m.eps, m.momentum),
        nn.BatchNorm2d: lambda: T.BatchNorm2d(m.num_features, m.eps, m.momentum),
        nn.ReLU: lambda: T.ReLU(), nn.Tanh: lambda: T.Tanh(), nn.Identity: lambda: T.Identity(),
        nn.LeakyReLU: lambda: T.LeakyReLU(m.negative_slope), nn.ELU: lambda: T.ELU(m.alpha),
        nn.Flatten: lambda: T.Flatten(m.start_dim, m.end_dim),
        nn.Unflatten: lambda: T.Unflatten(m.dim, m.unflattened_size),
        nn.Dropout: lambda: T.Dropout(m.p),
        nn.Embedding: lambda: T.Embedding(m.num_embeddings, m.embedding_dim),
        nn.Upsample: lambda: T.Upsample(size=m.size, scale_factor=m.scale_factor, mode=m.mode),
    }
    if type(m) in simple:
        return simple[type(m)]()
    if isinstance(m, models.MLPGenerator):
        return MLPGenerator(m, kids["net"])
    if isinstance(m, models.MLPDiscriminator):
        return MLPDiscriminator(m, kids["dropout"], kids["net"])
    if isinstance(m, models.PackedDiscriminator):
        return PackedDiscriminator(m, kids["inner"])
    if isinstance(m, models.DCGANGenerator):
        return DCGANGenerator(m, kids["project"], kids["up"])
    if isinstance(m, models.DCGANDiscriminator):
        return DCGANDiscriminator(m, kids)
    if isinstance(m, models.AutoEncoderDiscriminator):
        return AutoEncoderDiscriminator(m, kids["encoder"], kids["decoder"])
    if isinstance(m, models.ConvAutoEncoderDiscriminator):
        return ConvAutoEncoderDiscriminator(m, kids["encoder"], kids["decoder"])
    if isinstance(m, models.BEGANGenerator):
        return BEGANGenerator(m, kids["net"])
    raise AssertionError(f"no torch twin for {type(m).__name__}")


# ----------------------------------------------------------------------------- training
class Twin:
    """The PyTorch run of minigan Experiment ``exp``: same G, D, optimizers, schedule, noise and batches."""

    def __init__(self, exp, device="cpu"):
        self.exp, cfg, self.device = exp, exp.config, torch.device(device)
        self.G, self.D = to_torch(exp.trainer.G).to(self.device), to_torch(exp.trainer.D).to(self.device)
        betas = tuple(cfg.get("betas", (0.5, 0.999)))
        self.lrs = learning_rates(cfg)  # (G's, D's): D's is d_lr_ratio times G's
        self.opt_g, self.opt_d = (self._optimizer(cfg["optimizer"], net.parameters(), lr, betas)
                                  for net, lr in zip((self.G, self.D), self.lrs))
        self.k = float(getattr(exp.trainer, "k", 0.0)) if exp.algorithm == "began" else None
        self.step = 0

    @staticmethod
    def _optimizer(name, params, lr, betas):
        if name == "adam":
            return torch.optim.Adam(params, lr=lr, betas=betas)
        if name == "rmsprop":
            return torch.optim.RMSprop(params, lr=lr)
        raise AssertionError(f"twin: optimizer {name!r} not mirrored")

    def noise(self, m):  # minigan's generator, in minigan's order
        return torch.from_numpy(np.asarray(backend.asnumpy(self.exp.trainer.noise(m).array))).to(self.device)

    def real(self, m):
        r = self.exp.sample_real(m)
        if isinstance(r, tuple):
            return (torch.from_numpy(np.asarray(backend.asnumpy(r[0].array))).to(self.device),
                    torch.from_numpy(np.asarray(backend.asnumpy(r[1]))).long().to(self.device))
        return torch.from_numpy(np.asarray(backend.asnumpy(r.array))).to(self.device)

    def set_lr(self, total):
        if self.exp.config.get("lr_decay"):
            factor = max(1.0 - self.step / float(total), 0.01)
            for opt, lr in zip((self.opt_g, self.opt_d), self.lrs):
                for group in opt.param_groups:
                    group["lr"] = lr * factor

    def train_step(self, total):
        self.set_lr(total)
        getattr(self, "_" + self.exp.algorithm.replace("-", "_"))()
        self.step += 1

    def _frozen_g_step(self, loss_fn):
        self.D.requires_grad_(False)
        loss = loss_fn()
        self.opt_g.zero_grad()
        loss.backward()
        self.opt_g.step()
        self.D.requires_grad_(True)
        return loss

    def _gan(self):
        m, bce = self.exp.batch_size, TF.binary_cross_entropy_with_logits
        for _ in range(self.exp.config.get("k", 1)):
            z = self.noise(m)
            x = self.real(m).requires_grad_(bool(self.exp.trainer.r1))
            real, fake = self.D(x), self.D(self.G(z).detach())
            loss_d = bce(real, torch.ones_like(real)) + bce(fake, torch.zeros_like(fake))
            if self.exp.trainer.r1:  # R1: γ/2·E‖∇x D(x)‖² over D's outputs on real x, as GAN.r1_penalty
                (g,) = torch.autograd.grad(real.sum(), x, create_graph=True)
                loss_d = loss_d + self.exp.trainer.r1 / 2 * (g * g).sum() / real.shape[0]
            self.opt_d.zero_grad()
            loss_d.backward()
            self.opt_d.step()
        z = self.noise(m)
        minimax = self.exp.config.get("loss") == "minimax"

        def loss_g():
            out = self.D(self.G(z))
            return -bce(out, torch.zeros_like(out)) if minimax else bce(out, torch.ones_like(out))
        self.last = {"loss_d": loss_d.item(), "loss_g": self._frozen_g_step(loss_g).item()}

    def labels(self, m):  # minigan's CGAN.random_labels, in its order
        return torch.from_numpy(np.asarray(backend.asnumpy(self.exp.trainer.random_labels(m)))).long().to(self.device)

    def _cgan(self):
        m, bce = self.exp.batch_size, TF.binary_cross_entropy_with_logits
        for _ in range(self.exp.config.get("k", 1)):
            z, y_fake = self.noise(m), self.labels(m)
            x, y = self.real(m)
            real, fake = self.D(x, y), self.D(self.G(z, y_fake).detach(), y_fake)
            loss_d = bce(real, torch.ones_like(real)) + bce(fake, torch.zeros_like(fake))
            self.opt_d.zero_grad()
            loss_d.backward()
            self.opt_d.step()
        z, y_fake = self.noise(m), self.labels(m)

        def loss_g():
            out = self.D(self.G(z, y_fake), y_fake)
            return bce(out, torch.ones_like(out))
        self.last = {"loss_d": loss_d.item(), "loss_g": self._frozen_g_step(loss_g).item()}

    def _wgan(self):
        m, cfg = self.exp.batch_size, self.exp.config
        for _ in range(cfg["n_critic"]):
            x, z = self.real(m), self.noise(m)
            loss = -(self.D(x).mean() - self.D(self.G(z).detach()).mean())  # minigan's order (D's batch-norm buffers)
            self.opt_d.zero_grad()
            loss.backward()
            self.opt_d.step()
            with torch.no_grad():
                for p in self.D.parameters():
                    p.clamp_(-cfg["clip"], cfg["clip"])
        z = self.noise(m)
        self.last = {"loss_c": loss.item(), "loss_g": self._frozen_g_step(lambda: -self.D(self.G(z)).mean()).item()}

    def _wgan_gp(self):
        m, cfg = self.exp.batch_size, self.exp.config
        for _ in range(cfg["n_critic"]):
            x, z = self.real(m), self.noise(m)
            eps = torch.from_numpy(np.asarray(backend.asnumpy(
                random.rand((m,) + (1,) * (x.ndim - 1), dtype=np.float32, xp=self.exp.trainer.xp)))).to(self.device)
            fake = self.G(z).detach()
            x_hat = (eps * x + (1 - eps) * fake).requires_grad_(True)
            (g,) = torch.autograd.grad(self.D(x_hat).sum(), x_hat, create_graph=True)
            penalty = ((g.reshape(m, -1).norm(dim=1) - 1) ** 2).mean()
            loss = self.D(fake).mean() - self.D(x).mean() + cfg["lam"] * penalty
            self.opt_d.zero_grad()
            loss.backward()
            self.opt_d.step()
        z = self.noise(m)
        self.last = {"loss_c": loss.item(), "loss_g": self._frozen_g_step(lambda: -self.D(self.G(z)).mean()).item()}

    def _began(self):
        m, cfg = self.exp.batch_size, self.exp.config

        def rec(v):
            return (v - self.D(v)).abs().mean()
        x = self.real(m)
        z_d = self.noise(m)
        loss_real = rec(x)
        loss_d = loss_real - self.k * rec(self.G(z_d).detach())
        self.opt_d.zero_grad()
        loss_d.backward()
        self.opt_d.step()
        z_g = self.noise(m)
        loss_g = self._frozen_g_step(lambda: rec(self.G(z_g)))
        balance = cfg["gamma"] * loss_real.item() - loss_g.item()
        self.k = min(max(self.k + cfg["lambda_k"] * balance, 0.0), 1.0)
        self.last = {"k": self.k, "m_global": loss_real.item() + abs(balance)}

    # ------------------------------------------------------------------ scores
    def samples(self, num_samples=2500):
        """The twin's generated images in [0, 1] (unconditional), drawn without disturbing the training noise."""
        state = random.get_rng_state()
        try:
            self.G.eval()
            with torch.no_grad():
                fake = self.G(self.noise(num_samples)).cpu().detach().numpy()
            self.G.train()
            return (fake.astype(np.float32) + 1) / 2
        finally:
            random.set_rng_state(state)

    def evaluate(self, num_samples=2500):
        """minigan's ``Experiment.evaluate`` metrics of the twin's generator (same noise as minigan's would get)."""
        exp = self.exp
        state = random.get_rng_state()
        try:
            self.G.eval()
            with torch.no_grad():
                if exp.algorithm == "cgan":
                    per = max(1, num_samples // exp.num_classes)
                    labels = np.repeat(np.arange(exp.num_classes), per)
                    fake = self.G(self.noise(len(labels)),
                                  torch.from_numpy(labels).to(self.device)).cpu().detach().numpy()
                else:
                    labels, fake = None, self.G(self.noise(num_samples)).cpu().detach().numpy()
            self.G.train()
            if exp.kind == "mixture":
                from minigan.metrics.mixture import mixture_metrics

                return mixture_metrics(fake, exp.mixture)
            from minigan.metrics.images import dataset_metrics

            return dataset_metrics((fake.astype(np.float32) + 1) / 2, exp.data, labels)
        finally:
            random.set_rng_state(state)


SUMMARY_KEYS = ("classes_covered", "frechet_distance", "frechet_floor", "precision", "recall", "density",
                "coverage", "precision_real_vs_real", "recall_real_vs_real", "modes_covered", "high_quality",
                "conditional_accuracy")


def exp_samples(exp, num_samples=2500):
    """minigan's generated images in [0, 1] (the ones ``Experiment.evaluate`` scores), as float32."""
    state = random.get_rng_state()
    try:
        return (backend.asnumpy(exp.trainer.sample(num_samples).array).astype(np.float32) + 1) / 2
    finally:
        random.set_rng_state(state)


def run(framework, algorithm, data, seed, steps, overrides, log_every=0, eval_every=0, samples_dir=None,
        device="cpu"):
    """Train one run; a dict of its scores and times."""
    torch.manual_seed(seed)
    exp = build_experiment(algorithm, data, seed=seed, **overrides)
    steps = steps or exp.default_steps
    twin = Twin(exp, device) if framework == "torch" else None
    t0 = time.time()
    trace = []
    for t in range(steps):
        if twin is None:
            info = exp.train_step(steps)
        else:
            twin.train_step(steps)
            info = getattr(twin, "last", {})
        if log_every and (t + 1) % log_every == 0:
            trace.append({"step": t + 1, **{k: round(v, 4) for k, v in info.items() if k in ("k", "m_global")}})
        if eval_every and (t + 1) % eval_every == 0 and t + 1 < steps and samples_dir:
            fake = twin.samples() if twin is not None else exp_samples(exp)
            np.save(f"{samples_dir}/{framework}_{algorithm}_{data}_s{seed}_{t + 1}.npy", fake)
            print(json.dumps({"framework": framework, "seed": seed, "step": t + 1, "seconds": round(time.time() - t0),
                              "trace": trace[-1:]}), flush=True)
        elif eval_every and (t + 1) % eval_every == 0 and t + 1 < steps:
            m = twin.evaluate() if twin is not None else exp.evaluate()
            print(json.dumps({"framework": framework, "seed": seed, "step": t + 1, "seconds": round(time.time() - t0),
                              **{k: (round(v, 3) if isinstance(v, float) else v) for k, v in m.items()
                                 if k in SUMMARY_KEYS + ("class_counts",)}, "trace": trace[-1:]}), flush=True)
    seconds = time.time() - t0
    if samples_dir:
        np.save(f"{samples_dir}/{framework}_{algorithm}_{data}_s{seed}_{steps}.npy",
                twin.samples() if twin is not None else exp_samples(exp))
        if twin is not None:
            torch.save(twin.G.state_dict(), f"{samples_dir}/{framework}_{algorithm}_{data}_s{seed}_{steps}_G.pt")
    scores = twin.evaluate() if twin is not None else exp.evaluate()
    row = {"framework": framework, "algorithm": algorithm, "data": data, "seed": seed, "steps": steps,
           "overrides": overrides, "train_seconds": round(seconds, 1),
           **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in scores.items() if k in SUMMARY_KEYS}}
    if "class_counts" in scores:
        row["class_counts"] = scores["class_counts"]
    if trace:
        row["trace"] = trace
    return row


def compare_losses(algorithm, data, seed, steps, overrides):
    """The first ``steps`` losses of minigan's run and of its twin's, and where they part.

    Both are fed the same noise and batches, so they agree to float32 rounding at first; a fault in either (an
    initialisation, a loss reduction, a batch-norm setting, an optimizer detail) shows as a gap from the first
    steps, while rounding alone grows slowly. One JSON-able dict per loss: the step at which the relative gap
    first exceeds 1e-3 and 1e-2, and the means of both over each tenth of the steps."""
    traces = {}
    for framework in ("minigan", "torch"):
        torch.manual_seed(seed)
        exp = build_experiment(algorithm, data, seed=seed, **overrides)
        twin = Twin(exp) if framework == "torch" else None
        rows = []
        for _ in range(steps):
            if twin is None:
                rows.append(exp.train_step(exp.default_steps))
            else:
                twin.train_step(exp.default_steps)
                rows.append(twin.last)
        traces[framework] = rows
    out = {"compare": "losses", "algorithm": algorithm, "data": data, "seed": seed, "steps": steps,
           "overrides": overrides}
    tenth = max(1, steps // 10)
    for key in traces["torch"][0]:
        if key not in traces["minigan"][0]:
            continue
        a = np.array([r[key] for r in traces["minigan"]])
        b = np.array([r[key] for r in traces["torch"]])
        gap = np.abs(a - b) / np.maximum(np.abs(b), 1e-3)
        n = tenth * (steps // tenth)
        out[key] = {"first": [round(float(a[0]), 6), round(float(b[0]), 6)],
                    "parts_1e-3": int(np.argmax(gap > 1e-3)) + 1 if (gap > 1e-3).any() else None,
                    "parts_1e-2": int(np.argmax(gap > 1e-2)) + 1 if (gap > 1e-2).any() else None,
                    "minigan_means": [round(float(v), 4) for v in a[:n].reshape(-1, tenth).mean(1)],
                    "torch_means": [round(float(v), 4) for v in b[:n].reshape(-1, tenth).mean(1)]}
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--algorithm", default="gan")
    p.add_argument("--data", default="fashion-mnist")
    p.add_argument("--seeds", nargs="+", type=int, default=[0])
    p.add_argument("--steps", type=int, default=0, help="0: the recipe's own")
    p.add_argument("--framework", choices=("torch", "minigan", "both"), default="torch")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="cpu", help="the twin's torch device (cuda: on a GPU)")
    p.add_argument("--log-every", type=int, default=0, help="keep BEGAN's k and M_global every N steps")
    p.add_argument("--eval-every", type=int, default=0, help="print the scores every N steps")
    p.add_argument("--samples-dir", default=None, help="with --eval-every: save the samples there instead")
    p.add_argument("--set", nargs="*", default=[], help="KEY=VALUE recipe overrides (Python literals)")
    p.add_argument("--compare-losses", type=int, default=0, metavar="N",
                   help="instead of training: the first N steps' losses of both frameworks, and where they part")
    a = p.parse_args(argv)
    import ast

    import minigan

    torch.set_num_threads(a.threads)
    minigan.set_num_threads(a.threads)
    overrides = {k: ast.literal_eval(v) for k, v in (s.split("=", 1) for s in a.set)}
    frameworks = ("minigan", "torch") if a.framework == "both" else (a.framework,)
    if a.compare_losses:
        for seed in a.seeds:
            print(json.dumps(compare_losses(a.algorithm, a.data, seed, a.compare_losses, overrides)), flush=True)
        return
    for seed in a.seeds:
        for fw in frameworks:
            print(json.dumps(run(fw, a.algorithm, a.data, seed, a.steps, overrides, a.log_every, a.eval_every,
                                  a.samples_dir, a.device)), flush=True)


if __name__ == "__main__":
    main()
