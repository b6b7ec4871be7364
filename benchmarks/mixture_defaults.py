"""Measure the 2-D recipes' defaults on rings and grids of several sizes (one JSON line per run).

    python benchmarks/mixture_defaults.py --algorithm gan --data ring:6 grid:6 --seeds 0 1
    python benchmarks/mixture_defaults.py --algorithm gan --data grid:8 --set pack=2 --out runs.jsonl
    python benchmarks/mixture_defaults.py --algorithm vae --data ring --set lr_decay=True --out runs.jsonl

Each run is ``build_experiment(algorithm, data, seed=s, **settings)`` trained for its default steps and
scored with ``Experiment.evaluate()`` (2,500 samples; high quality = within 3σ of a centre); the VAE's and the
AAE's rows also score their reconstructions of 2,500 data points (``recon_high_quality``; for the AAE's q(z|x) with
noise also from drawn codes, ``recon_drawn_high_quality``; with a categorical code also how the classes split the
points, ``code_max_prob``, ``classes_used``, ``cluster_purity``, ``style_between_classes``, and each class
decoded at z = 0, ``classes_at_z0_high_quality``), and the VAE's the ELBO of 1,000 fresh points
(``elbo``, nats a point). ``--log-every N`` lines carry the trainer's step outputs averaged over the last N steps
and, for the AAE, D's accuracy on 2,500 prior draws and 2,500 codes (``d_acc_prior``, ``d_acc_code``; with a
categorical code also D_cat's, ``d_cat_acc_prior``, ``d_cat_acc_code``). ``--out FILE`` appends every line (the
final row carries the command that made it) to FILE as well; the runs behind demos/results.md are kept under
benchmarks/results/mixtures/.
"""

import argparse
import json
import shlex
import sys
import time

from minigan.gans.recipes import build_experiment


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--algorithm", default="gan")
    p.add_argument("--data", nargs="+", required=True)
    p.add_argument("--seeds", nargs="+", type=int, default=[0, 1])
    p.add_argument("--set", nargs="*", default=[], help="KEY=VALUE overrides (Python literals)")
    p.add_argument("--threads", type=int, default=1, help="BLAS threads (1: no spinning threads on a busy machine)")
    p.add_argument("--log-every", type=int, default=0, help="also print the metrics every N steps")
    p.add_argument("--out", default=None, help="also append every JSON line to this file")
    args = p.parse_args(argv)
    command = "python benchmarks/mixture_defaults.py " + shlex.join(sys.argv[1:] if argv is None else argv)

    def emit(line: dict) -> None:
        print(json.dumps(line), flush=True)
        if args.out:
            with open(args.out, "a") as f:
                f.write(json.dumps(line) + "\n")

    import ast

    import minigan

    minigan.set_num_threads(args.threads)

    overrides = {k: ast.literal_eval(v) for k, v in (s.split("=", 1) for s in args.set)}
    for data in args.data:
        for seed in args.seeds:
            t0, c0 = time.time(), time.process_time()
            exp = build_experiment(args.algorithm, data, seed=seed, **overrides)
            window = {}  # the trainer's step outputs summed since the last log line
            for t in range(exp.default_steps):
                for key, value in exp.train_step().items():
                    window[key] = window.get(key, 0.0) + value
                if args.log_every and (t + 1) % args.log_every == 0 and t + 1 < exp.default_steps:
                    r = exp.evaluate()
                    emit({"data": data, "seed": seed, "overrides": overrides, "step": t + 1,
                          "modes": r["modes_covered"], "high_quality": round(r["high_quality"], 4),
                          "mode_counts": r["mode_counts"], "seconds": round(time.time() - t0, 1),
                          **{key: round(total / args.log_every, 4) for key, total in window.items()},
                          **(discriminator_accuracy(exp) if args.algorithm == "aae" else {})})
                    window = {}
            r = exp.evaluate()
            recon = reconstruction_quality(exp) if args.algorithm in ("vae", "aae") else {}
            row = {**recon, "algorithm": args.algorithm, "data": data, "seed": seed, "overrides": overrides,
                   "steps": exp.default_steps, "batch": exp.batch_size, "pack": exp.config.get("pack", 1),
                   "modes": r["modes_covered"], "num_modes": r["num_modes"],
                   "high_quality": round(r["high_quality"], 4), "reverse_kl": round(r["reverse_kl"], 4),
                   "width": exp.config["hidden"][0], "data_scale": exp.config.get("data_scale", 1.0),
                   **({"elbo": round(r["elbo"], 3)} if "elbo" in r else {}),
                   "mode_counts": r["mode_counts"], "seconds": round(time.time() - t0, 1),
                   "cpu_seconds": round(time.process_time() - c0, 1), "command": command}
            emit(row)


def discriminator_accuracy(exp, n=2_500) -> dict:
    """The AAE's D on n prior draws and the codes of n fresh points (sampled from q(z|x)): the share it classes right
    on each side (logit > 0: "a prior draw"). Near 1 on the codes' side: D still tells the codes from N(0, I)."""
    from minigan.engine.grad_mode import no_grad
    from minigan.nn.module import evaluating
    from minigan.surface import random

    trainer, rng_state = exp.trainer, random.get_rng_state()  # the training stream is put back afterwards
    try:
        with evaluating(trainer.encoder), evaluating(trainer.D), no_grad():
            (y_prior, z_prior), (y_code, z_code) = (trainer.split(trainer.noise(n)),
                                                    trainer.split(trainer.code(exp.sample_real(n))))
            out = {"d_acc_prior": float((trainer.D(z_prior).numpy() > 0).mean()),
                   "d_acc_code": float((trainer.D(z_code).numpy() <= 0).mean())}
            if trainer.categorical:  # D_cat on one-hot draws of Cat(K) and on the codes' class probabilities
                out.update({"d_cat_acc_prior": float((trainer.D_cat(y_prior).numpy() > 0).mean()),
                            "d_cat_acc_code": float((trainer.D_cat(y_code).numpy() <= 0).mean())})
    finally:
        random.set_rng_state(rng_state)
    return {key: round(value, 4) for key, value in out.items()}


def reconstruction_quality(exp, n=2_500) -> dict:
    """An autoencoder's reconstructions dec(enc(x)) of n fresh data points (the posterior's mean for the VAE), scored
    as its samples are: where the samples miss, this says whether the decoder misses at the codes themselves."""
    from minigan.engine.grad_mode import no_grad
    from minigan.metrics.mixture import mixture_metrics
    from minigan.nn.module import evaluating

    trainer = exp.trainer
    with evaluating(trainer.decoder), no_grad():
        x = exp.sample_real(n)
        recon = trainer.decoder.mean(trainer.encode(x))
        noisy = trainer.name == "aae" and trainer.encoder_kind != "deterministic"
        drawn = trainer.decoder.mean(trainer.code(x)) if noisy else None  # z drawn from q(z|x), not only its mean
    r = mixture_metrics(recon, exp.mixture)
    out = {"recon_modes": r["modes_covered"], "recon_high_quality": round(r["high_quality"], 4)}
    if drawn is not None:
        r = mixture_metrics(drawn, exp.mixture)
        out.update({"recon_drawn_modes": r["modes_covered"], "recon_drawn_high_quality": round(r["high_quality"], 4)})
    if getattr(trainer, "categorical", 0):
        with evaluating(trainer.decoder), no_grad():
            out.update(clustering(trainer, x, exp.mixture))
    return out


def clustering(trainer, x, mixture) -> dict:
    """A categorical code's classes of the points x: the mean largest class probability (1: one-hot codes), the
    classes used (argmax), and the purity, the share of points whose class's most frequent mode is their own mode
    (nearest centre)."""
    import numpy as np

    from minigan.metrics.mixture import mixture_metrics
    from minigan.surface.tensor import from_numpy

    y, z = trainer.split(trainer.encode(x))
    y, z = np.asarray(y.numpy(), dtype=np.float64), np.asarray(z.numpy(), dtype=np.float64)
    classes = y.argmax(1)
    points = np.asarray(x.numpy(), dtype=np.float64)
    modes = ((points[:, None, :] - np.asarray(mixture.modes)[None]) ** 2).sum(-1).argmin(1)
    used = np.unique(classes)
    pure = sum(np.bincount(modes[classes == c]).max() for c in used)
    # the share of the style's variance that lies between the classes' means: 0 when z's spread is the same in
    # every class (a style apart from the class), 1 when z names the class as well
    means = np.stack([z[classes == c].mean(0) for c in used])
    weights = np.array([(classes == c).mean() for c in used])
    between = float((weights[:, None] * (means - z.mean(0)) ** 2).sum() / ((z - z.mean(0)) ** 2).sum() * len(z))
    # each class's one-hot decoded at z = 0, the style prior's mean: within 3σ of a centre?
    k, d = trainer.categorical, trainer.latent_dim
    at_zero = np.concatenate([np.eye(k), np.zeros((k, d))], axis=1).astype(np.float32)
    r = mixture_metrics(trainer.decoder.mean(from_numpy(at_zero)), mixture)
    return {"code_max_prob": round(float(y.max(1).mean()), 4), "classes_used": int(len(used)),
            "cluster_purity": round(float(pure / len(points)), 4), "style_between_classes": round(between, 4),
            "classes_at_z0_high_quality": round(r["high_quality"], 4), "classes_at_z0_modes": r["modes_covered"]}


if __name__ == "__main__":
    main()
