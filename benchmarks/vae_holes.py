"""Where a VAE's samples miss the ring: the prior's mass that the data's codes leave empty (one JSON line a run).

    python benchmarks/vae_holes.py --seeds 0 1 --out runs.jsonl
    python benchmarks/vae_holes.py --seeds 0 --set latent_dim=8

Trains ``build_experiment("vae", "ring", seed=s, **settings)`` for its default steps, then draws 2,500 z ~ N(0, I),
decodes them (the decoder's mean, as the samples are scored) and, for each draw, the ratio q(z)/p(z) of the
aggregate posterior q(z) = mean over 2,500 fresh points x of Q(z|x) to the prior's density. A draw with a small
ratio lies where no data point's code goes: the decoder was never trained there. The line gives the share of high
quality (within 3σ of a centre) among the draws of each band of the ratio, and how many draws each band holds.
"""

import argparse
import ast
import json
import shlex
import sys

BANDS = (0.0, 0.1, 0.5, 1.0, float("inf"))  # bands of q(z)/p(z)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", nargs="+", type=int, default=[0])
    p.add_argument("--set", nargs="*", default=[], help="KEY=VALUE overrides (Python literals)")
    p.add_argument("--out", default=None, help="also append every JSON line to this file")
    args = p.parse_args(argv)
    command = "python benchmarks/vae_holes.py " + shlex.join(sys.argv[1:] if argv is None else argv)

    import minigan
    from minigan.engine import backend
    from minigan.engine.backend import np
    from minigan.engine.grad_mode import no_grad
    from minigan.gans.recipes import build_experiment
    from minigan.metrics.mixture import mixture_metrics
    from minigan.nn.module import evaluating

    minigan.set_num_threads(1)
    overrides = {k: ast.literal_eval(v) for k, v in (s.split("=", 1) for s in args.set)}
    for seed in args.seeds:
        exp = build_experiment("vae", "ring", seed=seed, **overrides)
        for _ in range(exp.default_steps):
            exp.train_step()
        vae, n = exp.trainer, 2_500
        with evaluating(vae.encoder), evaluating(vae.decoder), no_grad():
            z = vae.noise(n)
            x_hat = backend.asnumpy(vae.decoder.mean(z).array).astype(np.float64)
            mu, log_sigma = (backend.asnumpy(t.array).astype(np.float64) for t in vae.encoder(exp.sample_real(n)))
        z = backend.asnumpy(z.array).astype(np.float64)
        var = np.exp(2 * log_sigma)                                        # (n_data, d)
        # log Q(z_i | x_j) for every draw i and data point j, then log q(z_i) = logmeanexp over j
        d2 = (z ** 2) @ (1 / var).T - 2 * z @ (mu / var).T + (mu ** 2 / var).sum(1)[None]   # Σ_k (z_ik − μ_jk)²/σ²_jk
        log_q_ij = -0.5 * (d2 + np.log(2 * np.pi * var).sum(-1)[None])
        top = log_q_ij.max(1, keepdims=True)
        log_q = (top + np.log(np.exp(log_q_ij - top).mean(1, keepdims=True)))[:, 0]
        log_p = -0.5 * (z ** 2).sum(1) - 0.5 * z.shape[1] * np.log(2 * np.pi)
        ratio = np.exp(log_q - log_p)
        centres, sigma = exp.mixture.modes.astype(np.float64), float(exp.mixture.std)
        near = np.sqrt(((x_hat[:, None, :] - centres[None]) ** 2).sum(-1)).min(1) <= 3 * sigma
        bands = []
        for lo, hi in zip(BANDS[:-1], BANDS[1:]):
            inside = (ratio >= lo) & (ratio < hi)
            bands.append({"ratio": [lo, hi if hi != float("inf") else None], "draws": int(inside.sum()),
                          "high_quality": round(float(near[inside].mean()), 4) if inside.any() else None})
        r = mixture_metrics(x_hat.astype(np.float32), exp.mixture)
        row = {"seed": seed, "overrides": overrides, "steps": exp.default_steps,
               "high_quality": round(float(near.mean()), 4),
               "high_quality_metric": round(r["high_quality"], 4), "bands": bands,
               "elbo": round(vae.elbo(exp.sample_real(1000)), 3),
               "posterior_sigma_median": round(float(np.median(np.exp(log_sigma))), 4), "command": command}
        print(json.dumps(row), flush=True)
        if args.out:
            with open(args.out, "a") as f:
                f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
