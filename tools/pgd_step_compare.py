"""PGD adversarial training, run step by step in PyTorch and in minigan from the same start, to tell rounding
drift from a bug when the two runs' numbers part.

    python tools/pgd_step_compare.py [--steps 60] [--dtype float32|float64|both]

The program is the usual one (Madry et al. 2018): a small CNN on MNIST-shaped images (synthetic: ten noisy class
templates, so accuracy means something), Adam, and at every training step the batch replaced by PGD examples
(random start in the ε-ball, a few signed-gradient steps, each projected back), then a robust test accuracy.
The same code runs on both libraries (``lib`` is ``torch`` or ``minigan``), with the same initial weights, data
and random starts (minigan draws PyTorch's CPU numbers after the same seed).

Two runs are printed per dtype:

* **free**: each library follows its own trajectory. Where the runs part, the first step whose predictions differ
  is named.
* **shadowed**: before every step minigan's weights and Adam state are set to PyTorch's, so each row measures one
  step's own error (the PGD examples, the loss, the weights after the step), not the sum of all the earlier ones.

A bug shows as a one-step error far above the dtype's rounding (or one that float64 does not shrink). Rounding
drift shows as one-step errors at the rounding level in both dtypes, with the free run's difference growing from
it, by the jumps ``sign()`` makes: a pixel whose input gradient is near zero can take the sign +1 in one library and
-1 in the other, a 2α move, and Adam's first steps turn tiny gradient differences into ±lr moves.
"""

from __future__ import annotations

import argparse
import math

import numpy as np

EPS, ALPHA, PGD_STEPS = 0.1, 0.03, 5
BATCH, N_TRAIN, N_TEST = 32, 512, 256
LR = 1e-3


def data(seed=0):
    """Ten class templates (28x28, smooth blobs) plus noise, in [0, 1]: learnable, and PGD at ε=0.3 hurts it."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:28, 0:28] / 27.0
    templates = np.stack([np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 0.03)
                          for cx, cy in rng.uniform(0.2, 0.8, size=(10, 2))])

    def draw(n):
        y = rng.integers(0, 10, n)
        x = np.clip(templates[y] + 0.25 * rng.standard_normal((n, 28, 28)), 0, 1)
        return x[:, None].astype(np.float64), y.astype(np.int64)

    return draw(N_TRAIN), draw(N_TEST)


# The two ways such programs are written: "plain" (a small CNN; the input gradient by autograd.grad, the ball by
# min/max) and "course" (batch norm and dropout, the attack in train mode; the gradient by loss.backward() into
# x_adv.grad, which also fills the weights' .grad until the step's zero_grad; the ball by clamp with tensor bounds).
VARIANTS = ("plain", "course")


def model(lib, variant):
    nn = lib.nn
    if variant == "plain":
        return nn.Sequential(nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.ReLU(),
                             nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU(),
                             nn.Flatten(), nn.Linear(16 * 7 * 7, 10))
    return nn.Sequential(nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.Flatten(), nn.Dropout(0.25), nn.Linear(16 * 7 * 7, 10))


def pgd(lib, net, x, y, variant="plain"):
    """Madry et al.'s PGD: a uniform start in the ε-ball, PGD_STEPS signed steps, each projected back."""
    F = lib.nn.functional
    delta = (lib.rand(x.shape, dtype=x.dtype) * 2 - 1) * EPS
    x_adv = (x + delta).clamp(0, 1).detach()
    for _ in range(PGD_STEPS):
        x_adv.requires_grad_(True)
        loss = F.cross_entropy(net(x_adv), y)
        if variant == "plain":
            (g,) = lib.autograd.grad(loss, [x_adv])
            x_adv = x_adv.detach() + ALPHA * g.sign()
            x_adv = lib.min(lib.max(x_adv, x - EPS), x + EPS).clamp(0, 1)
        else:
            loss.backward()
            x_adv = x_adv.detach() + ALPHA * x_adv.grad.sign()
            x_adv = lib.clamp(x_adv, x - EPS, x + EPS).clamp(0, 1)
    return x_adv.detach()


def step(lib, net, opt, x, y, variant="plain"):
    """One adversarial-training step: the batch's PGD examples, then Adam on their loss. Returns (loss, x_adv)."""
    net.train() if variant == "course" else net.eval()  # (the course variant attacks in train mode, as many do)
    x_adv = pgd(lib, net, x, y, variant)
    net.train()
    opt.zero_grad()
    loss = lib.nn.functional.cross_entropy(net(x_adv), y)
    loss.backward()
    opt.step()
    return loss.item(), x_adv


def robust_accuracy(lib, net, x, y, variant="plain"):
    net.eval()
    x_adv = pgd(lib, net, x, y, variant)
    with lib.no_grad():
        return (net(x_adv).argmax(1) == y).float().mean().item()


def _weights(net):
    return [p.detach().numpy().copy() for p in net.parameters()]


def _set_from(torch, minigan, t_net, t_opt, m_net, m_opt):
    """minigan's weights and Adam state := PyTorch's (a shadowed step starts where PyTorch's starts)."""
    with minigan.no_grad():
        for (_, mp), (_, tp) in zip(m_net.state_dict().items(), t_net.state_dict().items()):
            mp.copy_(minigan.from_numpy(tp.detach().numpy().copy()))
    state = t_opt.state_dict()
    m_state = {"param_groups": state["param_groups"],
               "state": {k: {name: (minigan.from_numpy(v.numpy().copy()) if torch.is_tensor(v) else v)
                             for name, v in s.items()} for k, s in state["state"].items()}}
    m_opt.load_state_dict(m_state)


def compare(dtype="float64", steps=60, seed=0, variant="plain", say=print, robust=True):
    """Both runs for one dtype; returns a dict of the numbers printed (free and shadowed per step, accuracies;
    ``robust=False`` leaves the robust test accuracy out)."""
    import torch

    import minigan

    (xtr, ytr), (xte, yte) = data(seed)
    nets, opts, libs = {}, {}, {"torch": torch, "minigan": minigan}
    for name, lib in libs.items():
        lib.manual_seed(seed)
        nets[name] = model(lib, variant).to(getattr(lib, dtype))
        opts[name] = lib.optim.Adam(nets[name].parameters(), lr=LR)
    first = {name: _weights(net) for name, net in nets.items()}
    same_start = all(np.array_equal(a, b) for a, b in zip(first["torch"], first["minigan"]))
    shadow_net = model(minigan, variant).to(getattr(minigan, dtype))
    shadow_opt = minigan.optim.Adam(shadow_net.parameters(), lr=LR)
    tensors = {name: (lib.from_numpy(xtr.astype(dtype)), lib.from_numpy(ytr)) for name, lib in libs.items()}
    rows, first_split = [], None
    for t in range(steps):
        i = (t * BATCH) % N_TRAIN
        seed_t = 1000 + t
        _set_from(torch, minigan, nets["torch"], opts["torch"], shadow_net, shadow_opt)
        out = {}
        for name, lib in libs.items():
            x, y = (v[i:i + BATCH] for v in tensors[name])
            lib.manual_seed(seed_t)  # the same random start in both
            out[name] = step(lib, nets[name], opts[name], x, y, variant)
        minigan.manual_seed(seed_t)
        x, y = (v[i:i + BATCH] for v in tensors["minigan"])
        shadow_loss, shadow_adv = step(minigan, shadow_net, shadow_opt, x, y, variant)
        t_w, m_w, s_w = _weights(nets["torch"]), _weights(nets["minigan"]), _weights(shadow_net)
        t_adv = out["torch"][1].numpy()
        # A parameter whose gradient is zero in exact arithmetic (a bias just before batch norm, which takes the
        # mean out) gets rounding noise for a gradient, and Adam's first steps move it by ±lr whatever its size:
        # its one-step error says nothing of the step's arithmetic, so it is counted apart.
        grads = [float(np.abs(p.grad.numpy()).max()) for p in nets["torch"].parameters()]
        zero = [g < 1e3 * float(np.finfo(dtype).eps) * max(grads) for g in grads]
        errors = [float(np.abs(a - b).max()) for a, b in zip(t_w, s_w)]
        row = {"step": t,
               "free_weights": max(float(np.abs(a - b).max()) for a, b in zip(t_w, m_w)),
               "free_loss": abs(out["torch"][0] - out["minigan"][0]),
               "one_step_weights": max([e for e, z in zip(errors, zero) if not z], default=0.0),
               "one_step_zero_gradient_weights": max([e for e, z in zip(errors, zero) if z], default=0.0),
               "one_step_loss": abs(out["torch"][0] - shadow_loss),
               "one_step_adv_pixels_moved": int((np.abs(t_adv - shadow_adv.numpy()) > 1e-3 * ALPHA).sum())}
        rows.append(row)
        if first_split is None and row["free_weights"] > 1e-3:
            first_split = t
    xt = {name: (lib.from_numpy(xte.astype(dtype)), lib.from_numpy(yte)) for name, lib in libs.items()}
    accs = {}
    for name, lib in libs.items() if robust else ():
        lib.manual_seed(seed + 99)
        accs[name] = robust_accuracy(lib, nets[name], *xt[name], variant)
    result = {"dtype": dtype, "variant": variant, "same_start": same_start, "rows": rows,
              "robust_accuracy": accs, "first_split": first_split,
              "worst_one_step_weights": max(r["one_step_weights"] for r in rows),
              "worst_one_step_loss": max(r["one_step_loss"] for r in rows),
              "worst_zero_gradient_weights": max(r["one_step_zero_gradient_weights"] for r in rows),
              "adv_pixels_moved": sum(r["one_step_adv_pixels_moved"] for r in rows),
              "last_free_weights": rows[-1]["free_weights"]}
    say(f"{variant}, {dtype}: the same initial weights drawn in both: {same_start}")
    say(f"{variant}, {dtype}: one step from PyTorch's state: weights differ by at most "
        f"{result['worst_one_step_weights']:.2e} (those whose gradient is zero but for rounding: "
        f"{result['worst_zero_gradient_weights']:.2e}), loss by {result['worst_one_step_loss']:.2e}; "
        f"PGD pixels that moved differently in one step, all steps: {result['adv_pixels_moved']}")
    say(f"{variant}, {dtype}: free runs: weights {rows[0]['free_weights']:.2e} apart after step 0, "
        f"{result['last_free_weights']:.2e} after step {steps - 1}"
        + (f" (over 1e-3 from step {first_split})" if first_split is not None else ""))
    if robust:
        say(f"{variant}, {dtype}: robust test accuracy: PyTorch {accs['torch']:.4f}, "
            f"minigan {accs['minigan']:.4f}")
    return result


def verdict(results):
    """Rounding drift, or a bug: one step from the same state agrees to within 1e4 units of the dtype's rounding
    times the step's size (lr), the loss to 1e3 units, and no PGD pixel moves otherwise; else a bug to look for."""
    words = []
    for r in results:
        unit = float(np.finfo(r["dtype"]).eps)
        ok = (r["worst_one_step_weights"] <= 1e4 * unit * LR and r["worst_one_step_loss"] <= 1e3 * unit * 10
              and r["adv_pixels_moved"] == 0)
        words.append(f"{r['variant']}, {r['dtype']}: {'rounding drift' if ok else 'NOT rounding: a bug to find'} "
                     f"(one step: weights {r['worst_one_step_weights']:.1e}, loss {r['worst_one_step_loss']:.1e})")
    return "; ".join(words)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--dtype", choices=("float32", "float64", "both"), default="both")
    parser.add_argument("--variant", choices=VARIANTS + ("both",), default="both")
    args = parser.parse_args(argv)
    dtypes = ("float32", "float64") if args.dtype == "both" else (args.dtype,)
    variants = VARIANTS if args.variant == "both" else (args.variant,)
    results = [compare(d, args.steps, variant=v) for v in variants for d in dtypes]
    print(verdict(results))
    return 0 if all(not math.isnan(r["last_free_weights"]) for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
