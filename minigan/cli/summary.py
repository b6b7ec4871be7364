"""What the command line prints at the end of a run: each metric, its value, what it means, and what a
good value is, as a plain-text table.

    print(summary.table(summary.gan_rows(final, num_modes=8)))

    metric          value    what it measures                                   reference
    modes covered   8 / 8    modes with at least one high-quality sample        8 = every mode; 1 = collapse
    high quality    96.4%    samples within 3σ of their nearest mode centre      98.9% for a perfect sampler
    ...

The reference values come from the metrics' definitions (``minigan.metrics``): a perfect sampler of
a 2-D Gaussian keeps 1 − exp(−4.5) ≈ 98.9% of its points within 3σ of the centre; a histogram with
everything in one of K bins is log K away (in KL) from the uniform one; the Fréchet floor is the
distance between two halves of the real data, the best a finite sample can score.
"""

from __future__ import annotations

import math
import textwrap

PERFECT_HIGH_QUALITY = 1.0 - math.exp(-4.5)  # P(|x − μ| ≤ 3σ) for a 2-D Gaussian: the χ² (2 dof) tail


def table(rows, header=("metric", "value", "what it measures", "reference")) -> str:
    """Rows of strings as a left-aligned text table under ``header``, columns two spaces apart."""
    rows = [tuple(str(c) for c in header)] + [tuple(str(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def mixture_rows(m: dict) -> list:
    """The mode metrics of a 2-D run (``minigan.metrics.mixture``), each with its meaning and reference."""
    k = m["num_modes"]
    return [
        ("modes covered", f"{m['modes_covered']} / {k}", "modes with at least one high-quality sample",
         f"{k} = every mode; 1 = collapsed onto one"),
        ("high quality", f"{100 * m['high_quality']:.1f}%", "samples within 3σ of their nearest mode centre",
         f"{100 * PERFECT_HIGH_QUALITY:.1f}% for a perfect sampler"),
        ("reverse KL", f"{m['reverse_kl']:.3f}", "KL(histogram of modes ‖ uniform): uneven filling",
         f"0 = balanced; log {k} = {math.log(k):.2f}: one mode (or none)"),
    ]


def image_rows(m: dict, real_diversity=None) -> list:
    """The image metrics (``minigan.metrics.images`` where a reference classifier exists, else pixel
    statistics), each with its meaning and reference."""
    rows = []
    if "frechet_distance" in m:
        k = len(m.get("class_counts", [])) or 10
        rows += [
            ("Fréchet distance", f"{m['frechet_distance']:.1f}",
             "distance to real images in the judge's feature space",
             f"floor {m['frechet_floor']:.1f} (two halves of the real data); lower is better"),
            ("classes covered", f"{m['classes_covered']} / {k}", "classes the judge sees among the samples",
             f"{k} = every class"),
            ("class KL", f"{m['kl_to_uniform']:.3f}", "KL(histogram of judged classes ‖ uniform)",
             f"0 = balanced; log {k} = {math.log(k):.2f}: one class"),
        ]
        if "precision" in m:  # Kynkäänniemi et al. 2019 (k = 3); Naeem et al. 2020 (k = 5), beside real vs real
            rows += [
                ("precision", f"{m['precision']:.2f}",
                 "samples inside the real images' k-NN balls (k = 3): how real they look",
                 f"real vs real {m['precision_real_vs_real']:.2f}"),
                ("recall", f"{m['recall']:.2f}",
                 "real images inside the samples' k-NN balls: how much of the data G reaches",
                 f"real vs real {m['recall_real_vs_real']:.2f}; low = classes missing"),
                ("density", f"{m['density']:.2f}",
                 "real k-NN balls (k = 5) per sample, / 5: fidelity an outlying real image cannot inflate",
                 f"real vs real {m['density_real_vs_real']:.2f} (about 1)"),
                ("coverage", f"{m['coverage']:.2f}",
                 "real images whose k-NN ball (k = 5) holds a sample: diversity stray samples cannot inflate",
                 f"real vs real {m['coverage_real_vs_real']:.2f}"),
            ]
        if "conditional_accuracy" in m:
            rows.append(("conditional accuracy", f"{100 * m['conditional_accuracy']:.1f}%",
                         "samples the judge puts in the class they were asked for",
                         "100% ideal (chance: 10%)"))
    if "sample_diversity" in m:
        ref = "0 = every sample identical (collapse)"
        if real_diversity is not None:
            ref = f"real images: {real_diversity:.3f}; 0 = every sample identical"
        rows.append(("sample diversity", f"{m['sample_diversity']:.3f}",
                     "per-pixel standard deviation across samples, averaged", ref))
    return rows


def fgsm_rows(metrics: dict) -> list:
    """The numbers of ``python -m minigan fgsm`` (its metrics.json), each with its meaning and reference:
    the paper's MNIST values (Goodfellow, Shlens & Szegedy 2015) where it reports the same quantity."""
    paper, clean_error = metrics["paper"], 100 * (1 - metrics["clean_accuracy"])
    rows = [("clean accuracy", f"{100 * metrics['clean_accuracy']:.1f}%", "test images classified right, no attack",
             "100% ideal")]

    def attack_rows(prefix, attacks, clean):
        for eps, row in attacks.items():
            at_paper = abs(float(eps) - paper["eps"]) < 1e-9
            ref = (f"paper ({paper['dataset']}, {paper['model']}): {100 * paper['error_rate']:.1f}%"
                   if at_paper and prefix == "" else f"no attack: {clean:.1f}%")
            if at_paper and prefix:
                ref = f"paper, adversarially trained: {100 * paper['error_rate_adversarially_trained']:.1f}%"
            rows.append((f"{prefix}error at ε={eps}", f"{100 * row['error_rate']:.1f}%",
                         "test images misclassified after x' = x + ε·sign(∇ₓJ)", ref))
            if row.get("mean_confidence_on_errors") is not None:  # the one confidence fgsm prints per ε
                rows.append((f"{prefix}confidence when wrong, ε={eps}",
                             f"{100 * row['mean_confidence_on_errors']:.1f}%",
                             "mean probability the model gives its wrong answers",
                             f"paper: {100 * paper['mean_confidence_on_errors']:.1f}%" if at_paper and prefix == ""
                             else "100% = sure of every mistake"))
            if "transfer_error_rate" in row:
                # a model whose own gradient is masked is fooled more by x' crafted on another model
                white, moved = 100 * row["error_rate"], 100 * row["transfer_error_rate"]
                verdict = ("above its own x': a sign of gradient masking" if moved > white
                           else "below its own x': no sign of gradient masking")
                rows.append((f"{prefix}transferred x', ε={eps}", f"{moved:.1f}%",
                             "error on x' crafted on the undefended model", f"{white:.1f}% {verdict}"))

    attack_rows("", metrics["undefended"], clean_error)
    robust = metrics.get("adversarially_trained")
    if robust:
        rows.append(("trained: clean accuracy", f"{100 * robust['clean_accuracy']:.1f}%",
                     "clean accuracy after adversarial training", f"before: {100 * metrics['clean_accuracy']:.1f}%"))
        attack_rows("trained: ", robust["attacks"], 100 * (1 - robust["clean_accuracy"]))
    return rows


def robustness_markdown(table, eps_list, names) -> str:
    """``attack``'s table in Markdown: one row per (model, ε), the test ERROR in % under each attack (as
    ``fgsm`` reports it; ``minigan.attacks.robustness`` measures accuracies)."""
    lines = ["| model | ε (pixels in [0, 1]) | clean error (%) | FGSM error (%) | PGD-10 error (%) | "
             "PGD-40 + restarts error (%) | transferred PGD-40 error (%, worst source) |",
             "|---|---|---|---|---|---|---|"]
    for name in names:
        for eps in eps_list:
            row = table[name]["eps"][f"{eps:g}"]
            transfer = "n/a" if row["transfer"] is None else f"{100 * (1 - row['transfer']):.1f}"
            lines.append(f"| {name} | {eps:g} | {100 * (1 - table[name]['clean']):.1f} | "
                         f"{100 * (1 - row['fgsm']):.1f} | {100 * (1 - row['pgd10']):.1f} | "
                         f"{100 * (1 - row['pgd40']):.1f} | {transfer} |")
    return "\n".join(lines)


def points_rows(m: dict) -> list:
    """Precision and recall of a run on a learner's own 2-D points (``minigan.metrics.points``)."""
    return [
        ("precision", f"{100 * m['precision']:.1f}%", "generated samples that lie among your points",
         "100% ideal; low = samples where there is no data"),
        ("recall", f"{100 * m['recall']:.1f}%", "your points that have generated samples around them",
         "100% ideal; low = parts of your data left out (collapse)"),
    ]


def points_verdict(m: dict, width: int = 100, model: str = "gan") -> list:
    """What precision and recall say about a run on a learner's own points, in plain words (of ``model``)."""
    p, r = m["precision"], m["recall"]
    who = _sampler(model)
    if p >= 0.8 and r >= 0.8:
        text = f"{who}'s samples lie among your points and spread over all of them."
    elif p >= 0.8:
        text = (f"The samples lie among your points, but only {100 * r:.0f}% of your points have samples near "
                f"them: {who[0].lower() + who[1:]} covers part of the data"
                + (" (collapse)" if model not in DECODERS else "") + "; try more --steps or another --seed.")
    elif r >= 0.8:
        text = (f"The samples cover your data, but only {100 * p:.0f}% of them lie among your points: the rest fall "
                f"between or around them; more --steps let {who[0].lower() + who[1:]} sharpen.")
    else:
        text = (f"{who} has not learned your data yet ({100 * p:.0f}% precision, {100 * r:.0f}% recall): "
                "try more --steps or another --seed.")
    return textwrap.wrap(text, width)


def eval_line(m: dict) -> tuple:
    """(a line, a short form) for the metrics of one evaluation during training."""
    if "precision" in m and "recall" in m:
        short = f"P {100 * m['precision']:.0f}% R {100 * m['recall']:.0f}%"
        return f"precision {100 * m['precision']:.1f}%, recall {100 * m['recall']:.1f}%", short
    if "modes_covered" in m:
        short = f"{m['modes_covered']}/{m['num_modes']} modes, {100 * m['high_quality']:.0f}% HQ"
        return (f"{m['modes_covered']}/{m['num_modes']} modes, {100 * m['high_quality']:.1f}% high quality "
                f"(perfect: {100 * PERFECT_HIGH_QUALITY:.1f}%), reverse KL {m['reverse_kl']:.3f}"), short
    if "frechet_distance" in m:
        extra = f", {100 * m['conditional_accuracy']:.1f}% right class" if "conditional_accuracy" in m else ""
        short = f"Fréchet {m['frechet_distance']:.1f} (floor {m['frechet_floor']:.1f})"
        return f"Fréchet distance {m['frechet_distance']:.1f} (floor {m['frechet_floor']:.1f}), " \
               f"{m['classes_covered']} classes{extra}", short
    if "sample_diversity" in m:
        short = f"diversity {m['sample_diversity']:.3f}"
        return f"sample diversity {m['sample_diversity']:.3f} (0 = every sample identical)", short
    return "", ""


# The sampler a run's verdict speaks of: a GAN's generator, or the decoder of a latent-variable model (fed z drawn
# from the prior), which neither starts collapsed nor takes PacGAN's remedy.
DECODERS = {"vae": "The VAE's decoder", "aae": "The adversarial autoencoder's decoder"}


def _sampler(model: str) -> str:
    return DECODERS.get(model, "The generator")


def mixture_verdict(m: dict, steps: int, default_steps: int, schedule: bool, width: int = 100,
                    model: str = "gan") -> list:
    """A few lines (wrapped at ``width``) that say what a 2-D run's numbers mean, and what to try when it
    missed modes; ``model`` is the algorithm that ran ("vae" and "aae" are spoken of as such)."""
    k, covered, hq = m["num_modes"], m["modes_covered"], m["high_quality"]
    who = _sampler(model)
    if covered == k and hq >= 0.5:
        text = [f"{who} covers all {k} modes and {100 * hq:.0f}% of its samples lie on one."]
    elif covered == k:
        text = [f"{who} reaches all {k} modes, but only {100 * hq:.0f}% of its samples lie within 3σ of "
                "a centre: it has not sharpened yet (more --steps)."]
    else:
        text = [f"{who} covers {covered} of {k} modes: "
                + ("no sample lies within 3σ of a centre (it sits between modes, or is spread out)." if covered == 0
                   else f"it misses {k - covered} of them (no sample within 3σ of their centres)." if 2 * covered >= k
                   else "mode collapse (it puts its samples on a few modes only)." if model not in DECODERS
                   else "it puts its samples on a few modes only.")]
        fewer = (f"This run had {steps} steps, fewer than the recipe's {default_steps}"
                 + (" (and its learning rate, falling linearly from lr to lr/100 over --steps, fell sooner)"
                    if schedule else "")
                 + f": try the recipe's --steps {default_steps}, or another --seed.")
        if model == "vae":
            text.append("A VAE is fitted to every training point (the ELBO pays for each one it explains badly): "
                        "its samples start around the data's mean, between the modes, and spread toward every one "
                        "as it trains; a mode still missed is one its decoder has not reached yet, or whose codes "
                        "the prior's draws rarely fall on. "
                        + (fewer if steps < default_steps else "Try more --steps, or another --seed."))
        elif model == "aae":
            text.append("An adversarial autoencoder reconstructs every training point, so its decoder has seen "
                        "every mode; samples drawn from the prior miss a mode whose codes do not fill their share "
                        "of it (the codes of tight modes leave gaps in N(0, I), which its discriminator on z "
                        "narrows as it trains). "
                        + (fewer if steps < default_steps else "Try more --steps, or another --seed."))
        elif steps < default_steps:
            text.append("A GAN starts collapsed, and how many steps it takes to spread over the modes depends on "
                        "the seed. " + fewer)
        else:
            text.append("GAN training depends on the seed: try another --seed, or --pack 4 (PacGAN), which lets D "
                        "see several samples at once and so punish a generator that repeats itself.")
    return [line for paragraph in text for line in textwrap.wrap(paragraph, width)]


def image_verdict(m: dict, real_diversity=None, width: int = 100, model: str = "gan") -> list:
    """A few lines (wrapped at ``width``) that say in plain words what an image run's numbers mean (of
    ``model``)."""
    text, who = [], _sampler(model)
    if "frechet_distance" in m:
        k = len(m.get("class_counts", [])) or 10
        covered, fd, floor = m["classes_covered"], m["frechet_distance"], max(m["frechet_floor"], 1e-12)
        if covered == k:
            text.append(f"{who} draws all {k} classes (as the reference classifier judges its samples).")
        elif 2 * covered > k:
            text.append(f"{who} draws {covered} of {k} classes: it misses {k - covered} of them.")
        else:
            text.append(f"{who} draws only {covered} of {k} classes: "
                        + ("mode collapse." if model not in DECODERS else "it misses most of them."))
        ratio = fd / floor
        if ratio < 3:
            text.append(f"Its samples are close to real images: a Fréchet distance {ratio:.1f}× the floor that two "
                        "halves of the real data reach.")
        elif ratio < 15:
            text.append(f"Its samples look like the data but are not mistaken for it: a Fréchet distance {ratio:.0f}× "
                        "the floor of two real halves; more --steps bring it down.")
        else:
            text.append(f"Its samples are still far from real images (a Fréchet distance {ratio:.0f}× the floor of "
                        "two real halves): train longer (more --steps), or try another --seed.")
        if "conditional_accuracy" in m:
            text.append(f"It draws the class it is asked for {100 * m['conditional_accuracy']:.0f}% of the time "
                        "(chance: 10%).")
    elif "sample_diversity" in m and real_diversity:
        share = m["sample_diversity"] / real_diversity
        if share < 0.25:
            text.append(f"The samples vary {100 * share:.0f}% as much as real images do, pixel by pixel: "
                        + ("the generator repeats itself (mode collapse)" if model not in DECODERS else
                           f"{who[0].lower() + who[1:]} draws much the same image (blurred toward the mean)")
                        + "; try another --seed or more --steps.")
        else:
            text.append(f"The samples vary {100 * share:.0f}% as much as real images do, pixel by pixel (no "
                        "reference classifier judges this data: look at samples.png).")
    return [line for paragraph in text for line in textwrap.wrap(paragraph, width)]


__all__ = ["table", "mixture_rows", "image_rows", "eval_line", "fgsm_rows", "mixture_verdict", "image_verdict",
           "robustness_markdown", "points_rows", "points_verdict", "PERFECT_HIGH_QUALITY"]
