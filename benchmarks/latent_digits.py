"""Measure the VAE's and the AAE's digits recipes (one JSON line per run).

    python benchmarks/latent_digits.py --algorithm vae --seeds 0 1 2 --out runs.jsonl
    python benchmarks/latent_digits.py --algorithm aae --seeds 0 --set latent_dim=16

Each run is ``build_experiment(algorithm, "digits", seed=s, **settings)`` trained for its default steps and scored
with ``Experiment.evaluate()``: 2,500 samples (the decoder's mean for z ~ N(0, I)) judged by the reference
classifier as the GANs' digits rows are (classes, KL to uniform, the Fréchet distance beside its real-vs-real floor).
Beside them, on the 359 held-out test digits: the reconstructions dec(enc(x)) (the posterior's mean for the VAE),
the share the reference classifier gives their true label and their mean squared error per pixel in [0, 1]; and
for the VAE the test-set ELBO (nats per image, one z a digit, averaged over 10 draws) beside the training set's;
with the AAE's categorical code (``--set categorical=K``) the clustering's accuracy as Makhzani et al. 2016, §6
score it (each class read as its test digits' most frequent label) and the classes used.
The runs behind demos/results.md are kept in benchmarks/results/latent/digits.jsonl.
"""

import argparse
import ast
import json
import shlex
import sys
import time


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--algorithm", choices=("vae", "aae"), default="vae")
    p.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    p.add_argument("--set", nargs="*", default=[], help="KEY=VALUE overrides (Python literals)")
    p.add_argument("--threads", type=int, default=1, help="BLAS threads (1: no spinning threads on a busy machine)")
    p.add_argument("--out", default=None, help="also append every JSON line to this file")
    args = p.parse_args(argv)
    command = "python benchmarks/latent_digits.py " + shlex.join(sys.argv[1:] if argv is None else argv)

    import minigan
    from minigan.gans.recipes import build_experiment

    minigan.set_num_threads(args.threads)
    overrides = {k: ast.literal_eval(v) for k, v in (s.split("=", 1) for s in args.set)}
    for seed in args.seeds:
        t0, c0 = time.time(), time.process_time()
        exp = build_experiment(args.algorithm, "digits", seed=seed, **overrides)
        for _ in range(exp.default_steps):
            exp.train_step()
        seconds, cpu = time.time() - t0, time.process_time() - c0
        r = exp.evaluate()
        row = {"algorithm": args.algorithm, "data": "digits", "seed": seed, "overrides": overrides,
               "steps": exp.default_steps, "latent_dim": exp.config["latent_dim"],
               "classes": r["classes_covered"], "kl_to_uniform": round(r["kl_to_uniform"], 5),
               "frechet": round(r["frechet_distance"], 2), "frechet_floor": round(r["frechet_floor"], 2),
               "precision": round(r["precision"], 3), "recall": round(r["recall"], 3),
               **held_out(exp), "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "command": command}
        line = json.dumps(row)
        print(line, flush=True)
        if args.out:
            with open(args.out, "a") as f:
                f.write(line + "\n")


def held_out(exp, draws=10) -> dict:
    """The reconstructions of the 359 test digits (label kept by the reference classifier, squared error per pixel
    in [0, 1]) and, for the VAE, the ELBO of the test and the training digits (nats per image)."""
    from minigan.classifier import predict, reference_classifier
    from minigan.data.digits import load_digits
    from minigan.engine import backend
    from minigan.engine.backend import np
    from minigan.engine.grad_mode import no_grad
    from minigan.nn.module import evaluating
    from minigan.surface.tensor import from_numpy

    trainer = exp.trainer
    images, labels = load_digits("test", scale="pm1")
    x = from_numpy(backend.asarray(images, xp=trainer.xp))
    with evaluating(trainer.decoder), no_grad():
        recon = backend.asnumpy(trainer.decoder.mean(trainer.encode(x)).array).reshape(images.shape)
    recon01, real01 = (recon + 1) / 2, (images + 1) / 2
    judge = reference_classifier("cnn", dataset="digits")
    out = {"recon_accuracy": round(float((predict(judge, recon01) == labels).mean()), 4),
           "recon_mse": round(float(((recon01 - real01) ** 2).mean()), 5)}
    if getattr(trainer, "categorical", 0):
        # Makhzani et al. 2016, §6's score of a clustering: each class stands for the label most of its test digits
        # carry; the share of test digits whose class stands for their own label (1 − the paper's error)
        classes = trainer.cluster(x)
        kept = sum(np.bincount(labels[classes == c]).max() for c in np.unique(classes))
        out.update({"cluster_accuracy": round(float(kept / len(labels)), 4),
                    "classes_used": int(len(np.unique(classes)))})
    if exp.algorithm == "vae":
        train, _ = load_digits("train", scale="pm1")
        xt = from_numpy(backend.asarray(train, xp=trainer.xp))
        out["elbo_test"] = round(float(np.mean([trainer.elbo(x) for _ in range(draws)])), 2)
        out["elbo_train"] = round(float(np.mean([trainer.elbo(xt) for _ in range(draws)])), 2)
    return out


if __name__ == "__main__":
    main()
