"""How much of D_cat's push reaches the AAE's class head along a run (one JSON line per probed step).

    python benchmarks/aae_class_gradient.py --data ring --seed 1 --categorical 8 --steps 1000

Trains ``build_experiment("aae", data, seed=S, categorical=K)`` and, at the probed steps, takes the codes of 2,500
fresh points and the encoder's non-saturating loss against D_cat, Σ BCE(D_cat(y), 1) with y = softmax(h), h the class
logits: the median norm of its gradient with respect to y (what D_cat asks of the code) and with respect to h (what
reaches the encoder through the softmax), beside the mean largest class probability (1: one-hot codes). The probe
draws from the training stream and puts it back, so the run is the benchmark's run.
"""

import argparse
import json
import shlex
import sys


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="ring")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--categorical", type=int, default=8)
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--probe", nargs="+", type=int, default=[0, 100, 300, 1000])
    p.add_argument("--out", default=None, help="also append every JSON line to this file")
    args = p.parse_args(argv)
    command = "python benchmarks/aae_class_gradient.py " + shlex.join(sys.argv[1:] if argv is None else argv)

    import minigan
    from minigan.gans.recipes import build_experiment

    minigan.set_num_threads(1)
    exp = build_experiment("aae", args.data, seed=args.seed, categorical=args.categorical)
    for step in range(args.steps + 1):
        if step in args.probe:
            line = json.dumps({"data": args.data, "seed": args.seed, "categorical": args.categorical, "step": step,
                               **probe(exp), "command": command})
            print(line, flush=True)
            if args.out:
                with open(args.out, "a") as f:
                    f.write(line + "\n")
        if step < args.steps:
            exp.train_step()


def probe(exp, n=2500) -> dict:
    import minigan.functional as F
    from minigan.engine.backend import np
    from minigan.gans.gan import frozen, full_like
    from minigan.surface import random

    aae, rng_state = exp.trainer, random.get_rng_state()
    try:
        y_code, _ = aae.split(aae.code(exp.sample_real(n)))
    finally:
        random.set_rng_state(rng_state)
    p = y_code.detach()
    y = p.clone().requires_grad_(True)                   # the code itself: what D_cat asks of it
    h = p.log().requires_grad_(True)                     # logits of the same code (softmax(log p) = p), whose
    with frozen(aae.D_cat):                              # softmax Jacobian diag(p) − ppᵀ is the encoder's own
        for code in (y, F.softmax(h, dim=1)):
            d = aae.D_cat(code)
            F.binary_cross_entropy_with_logits(d, full_like(d, 1.0), reduction="sum").backward()
    norm = lambda g: float(np.median(np.linalg.norm(np.asarray(g.numpy(), dtype=np.float64), axis=1)))  # noqa: E731
    return {"grad_y": round(norm(y.grad), 6), "grad_logits": round(norm(h.grad), 6),
            "max_prob": round(float(np.asarray(p.numpy()).max(1).mean()), 6)}


if __name__ == "__main__":
    main()
