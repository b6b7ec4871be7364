"""BIM and PGD (Kurakin et al. 2017; Madry et al. 2018) and PGD adversarial training, on their own terms: iterates stay
in the ε-ball and the clip range, the projection is the nearest point of the ball, one step of size ε is FGSM, PGD
climbs at least as high as FGSM and a targeted one reaches its target, the model's state is restored, PGD training
raises accuracy under PGD, the robustness table, the command line's tiny run, and the GAN-range defence's attacks.

(Its comparisons with PyTorch: tests/pytorch/test_attacks_iterative.py.)"""

import pytest

import minigan
import minigan.functional as F
from library.helpers_attacks_iterative import SmallConv
from minigan import nn
from minigan.attacks import bim, fgsm, pgd, pgd_adversarial_loss, project, train_pgd
from minigan.attacks.iterative import per_example_loss
from minigan.engine.backend import np


def _device(xp):
    return "cuda" if xp is not np else "cpu"


def _batch(xp, n=12, shape=(1, 6, 6), classes=4, seed=0):
    minigan.manual_seed(seed)
    model = SmallConv(shape, classes).to(_device(xp))
    x = minigan.rand(n, *shape).to(_device(xp))
    y = xp.asarray(np.arange(n) % classes)
    return model, x, y


def _loss(model, x, y):
    with minigan.no_grad():
        return F.cross_entropy(model(x), y, reduction="sum").item()


# ----------------------------------------------------------------------------- the ball and the range
@pytest.mark.parametrize("eps", [0.03, 0.1, 0.4])
def test_iterates_stay_in_the_eps_ball_and_clip_range(xp_backend, eps):
    model, x, y = _batch(xp_backend)
    x0 = x.detach().cpu().numpy()
    e = np.float32(eps)
    for attack in (lambda: pgd(model, x, y, eps, step_size=eps / 2, steps=6, restarts=2),
                   lambda: pgd(model, x, y, eps, steps=3, targeted=True),
                   lambda: bim(model, x, y, eps, step_size=eps, steps=5)):
        x_adv = attack()
        a = x_adv.detach().cpu().numpy()
        assert x_adv.dtype == np.float32 and x_adv.device == x.device and not x_adv.requires_grad
        assert (a >= x0 - e).all() and (a <= x0 + e).all()  # ‖x' − x‖_∞ ≤ ε, in float32 as computed
        assert a.min() >= 0.0 and a.max() <= 1.0
        assert (a != x0).mean() > 0.5  # and the attack did move the pixels
    inside = x * 0.7 + 0.2  # images in the range [0.2, 0.9]
    a = pgd(model, inside, y, eps, steps=3, clip=(0.2, 0.9)).detach().cpu().numpy()
    assert a.min() >= np.float32(0.2) and a.max() <= np.float32(0.9)
    assert (np.abs(a - inside.detach().cpu().numpy()) <= e + 1e-6).all()
    a = pgd(model, x, y, eps, steps=3, clip=None).detach().cpu().numpy()
    assert (np.abs(a - x0) <= e + 1e-6).all()  # up to float32 rounding of x ± ε


def test_project_is_the_nearest_point_of_the_ball():
    x = np.array([[0.5, 0.95, 0.02, 0.3]])
    z = np.array([[0.9, 0.7, -0.5, 0.31]])
    np.testing.assert_array_equal(project(z, x, 0.1, (0.0, 1.0)), [[0.6, 0.85, 0.0, 0.31]])
    np.testing.assert_array_equal(project(z, x, 0.1, None), [[0.6, 0.85, -0.08, 0.31]])


# ----------------------------------------------------------------------------- FGSM is one step of PGD
def test_one_pgd_step_of_size_eps_without_random_start_is_fgsm(xp_backend):
    model, x, y = _batch(xp_backend)
    for eps in (0.05, 0.25):
        want = fgsm(model, x, y, eps).detach().cpu().numpy()
        np.testing.assert_array_equal(pgd(model, x, y, eps, step_size=eps, steps=1,
                                          random_start=False).detach().cpu().numpy(), want)
        np.testing.assert_array_equal(bim(model, x, y, eps, step_size=eps, steps=1).detach().cpu().numpy(), want)


def test_pgd_climbs_at_least_as_high_as_fgsm_and_targeted_reaches_the_target():
    """On a trained classifier, many small projected steps find a higher loss than one big one."""
    from minigan.data.digits import load_digits

    minigan.manual_seed(0)
    x_train, y_train = load_digits("train", scale="01")
    x_test, y_test = load_digits("test", scale="01")
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    from minigan.classifier import train_classifier

    train_classifier(model, x_train, y_train, epochs=8, batch_size=64, lr=3e-3)
    x, y = minigan.tensor(x_test[:200]), y_test[:200]
    for eps in (0.05, 0.1):
        j_fgsm = _loss(model, fgsm(model, x, y, eps), y)
        j_bim = _loss(model, bim(model, x, y, eps, steps=10), y)
        j_pgd = _loss(model, pgd(model, x, y, eps, steps=10), y)
        j_pgd_r = _loss(model, pgd(model, x, y, eps, steps=10, restarts=3), y)
        assert j_pgd >= j_fgsm and j_bim >= j_fgsm and j_pgd_r >= j_fgsm
        # restarts keep, per example, the highest loss: never below the first restart's
        minigan.manual_seed(5)
        first = per_example_loss(model, pgd(model, x, y, eps, steps=10), y)
        minigan.manual_seed(5)
        best = per_example_loss(model, pgd(model, x, y, eps, steps=10, restarts=3), y)
        assert (best >= first - 1e-6).all() and best.sum() > first.sum()
    # targeted: every image pushed towards class (y + 1) % 10, at a budget big enough to get there
    target = (y + 1) % 10
    x_t = pgd(model, x, target, 0.3, steps=20, targeted=True)
    with minigan.no_grad():
        hit = (model(x_t).detach().cpu().numpy().argmax(1) == target).mean()
    assert hit > 0.9


# ----------------------------------------------------------------------------- the contract fgsm keeps
def test_parameters_grads_flags_and_modes_are_restored():
    model, x, y = _batch(np)
    model.train()
    model.drop.eval()
    model.fc.bias.requires_grad = False
    old_grad = minigan.tensor(np.full(model.conv.weight.shape, 7.0, dtype=np.float32))
    model.conv.weight.grad = old_grad
    weights = {k: v.clone() for k, v in model.state_dict().items()}  # (the values share the weights' memory)
    pgd(model, x, y, 0.1, steps=3, restarts=2)
    bim(model, x, None, 0.1, steps=3)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, weights[k])
    assert model.conv.weight.grad is old_grad and (old_grad.detach().cpu().numpy() == 7.0).all()
    assert all(p.grad is None for n, p in model.named_parameters() if n != "conv.weight")
    assert [p.requires_grad for p in model.parameters()] == [True, True, True, False]
    assert model.training and model.conv.training and not model.drop.training


def test_any_image_size_binary_models_and_no_labels():
    model, x, y = _batch(np, n=5, shape=(3, 28, 28), classes=10)
    assert pgd(model, x, y, 0.1, steps=2).shape == (5, 3, 28, 28)
    with minigan.no_grad():
        own = model.eval()(x).detach().cpu().numpy().argmax(1)
    # no labels: the model's clean prediction, fixed before the first step
    minigan.manual_seed(3)
    a = pgd(model, x, None, 0.1, steps=3).detach().cpu().numpy()
    minigan.manual_seed(3)
    np.testing.assert_array_equal(a, pgd(model, x, own, 0.1, steps=3).detach().cpu().numpy())
    # a one-logit discriminator: BCE against "real" (1), pushed towards "fake"
    d = nn.Sequential(nn.Flatten(), nn.Linear(64, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
    xr = minigan.rand(20, 1, 8, 8)
    with minigan.no_grad():
        before = d(xr).detach().cpu().numpy().mean()
        after = d(bim(d, xr, np.ones(20), 0.2, steps=5)).detach().cpu().numpy().mean()
    assert after < before


@pytest.mark.parametrize("kwargs, error", [
    (dict(steps=0), ValueError), (dict(steps=2.5), ValueError), (dict(step_size=-0.1), ValueError),
    (dict(step_size="big"), TypeError), (dict(eps=-1.0), ValueError), (dict(restarts=0), ValueError),
    (dict(random_start=1), TypeError), (dict(clip=(1.0, 0.0)), ValueError),
])
def test_bad_arguments(kwargs, error):
    model, x, y = _batch(np, n=4)
    args = dict(eps=0.1, steps=2)
    args.update(kwargs)
    with pytest.raises(error, match="pgd"):
        pgd(model, x, y, **args)


def test_bad_targets_and_labels():
    model, x, y = _batch(np, n=4)
    with pytest.raises(ValueError, match="targeted attack needs y"):
        bim(model, x, None, 0.1, targeted=True)
    with pytest.raises(ValueError, match="4 images and 3 labels"):
        pgd(model, x, y[:3], 0.1)
    with pytest.raises(ValueError, match="restarts > 1"):
        pgd(model, x, y, 0.1, restarts=2, loss=lambda logits, t: F.cross_entropy(logits, t))


# ----------------------------------------------------------------------------- PGD training
def test_pgd_adversarial_loss_is_the_loss_at_the_pgd_point():
    model, x, y = _batch(np, n=8)
    model.eval()
    minigan.manual_seed(4)
    loss = pgd_adversarial_loss(model, x, y, 0.1, steps=3)
    minigan.manual_seed(4)
    x_star = pgd(model, x, y, 0.1, steps=3)
    with minigan.no_grad():
        want = F.cross_entropy(model(x_star), y).item()
    assert abs(loss.item() - want) < 1e-6
    loss.backward()
    assert all(p.grad is not None for p in model.parameters())
    with pytest.raises(ValueError, match="alpha"):
        pgd_adversarial_loss(model, x, y, 0.1, alpha=2.0)


def test_train_pgd_raises_accuracy_under_pgd():
    """A small MLP on the digits: PGD training (a few epochs) beats plain training under a PGD attack."""
    from minigan.classifier import accuracy, train_classifier
    from minigan.data.digits import load_digits

    x_train, y_train = load_digits("train", scale="01")
    x_test, y_test = load_digits("test", scale="01")

    def mlp():
        minigan.manual_seed(0)
        return nn.Sequential(nn.Flatten(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))

    plain, robust = mlp(), mlp()
    train_classifier(plain, x_train, y_train, epochs=6, batch_size=64, lr=3e-3, seed=0)
    history = train_pgd(robust, x_train, y_train, 0.1, steps=5, epochs=10, lr=3e-3, seed=0)
    assert history[-1] < history[0]
    eps = 0.1
    acc_plain = accuracy(plain, pgd(plain, x_test, y_test, eps, steps=20).detach().cpu().numpy(), y_test)
    acc_robust = accuracy(robust, pgd(robust, x_test, y_test, eps, steps=20).detach().cpu().numpy(), y_test)
    assert acc_robust > acc_plain + 0.08  # measured: 57% -> 70% under PGD-20 at eps = 0.1
    assert accuracy(robust, x_test, y_test) > 0.85  # and it still classifies clean digits
    with pytest.raises(ValueError, match="steps"):
        train_pgd(robust, x_train, y_train, 0.1, steps=0)


# ----------------------------------------------------------------------------- the robustness table and its command
def test_robustness_table_orders_attacks_and_reports_transfer():
    from minigan.attacks.robustness import robustness_table
    from minigan.cli.summary import robustness_markdown

    model_a, x, y = _batch(np, n=40, seed=1)
    model_b, _, _ = _batch(np, n=40, seed=2)
    table = robustness_table({"a": model_a.eval(), "b": model_b.eval()}, x.detach().numpy(), y, [0.05, 0.2], restarts=2)
    for name in ("a", "b"):
        for key in ("0.05", "0.2"):
            row = table[name]["eps"][key]
            assert 0.0 <= row["pgd40"] <= table[name]["clean"] and row["fgsm"] <= table[name]["clean"]
            assert set(row["transfer_from"]) == ({"a", "b"} - {name})
        assert table[name]["eps"]["0.2"]["pgd40"] <= table[name]["eps"]["0.05"]["pgd40"]  # bigger ball, more errors
    markdown = robustness_markdown(table, [0.05, 0.2], ["a", "b"])
    header, _, first = markdown.splitlines()[:3]
    assert "error (%)" in header and "ε (pixels in [0, 1])" in header  # units, and error as fgsm reports it
    clean_error = float(first.split("|")[3])
    assert first.startswith("| a | 0.05 |") and clean_error == pytest.approx(100 * (1 - table["a"]["clean"]), abs=0.06)
    with pytest.raises(ValueError, match="non-empty dict"):
        robustness_table({}, x.detach().cpu().numpy(), y, [0.1])


def test_attack_cli_tiny_run_writes_metrics_and_figures(tmp_path, monkeypatch, capsys):
    import json

    from minigan.__main__ import main

    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "run"
    args = ["attack", "--data", "digits", "--model", "mlp", "--eps", "0.1", "--train-eps", "0.1", "--epochs", "1",
            "--adv-epochs", "1", "--pgd-epochs", "1", "--pgd-train-steps", "2", "--restarts", "1", "--limit", "120",
            "--out", str(out)]
    assert main(args) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics["table"]) >= {"undefended", "FGSM-trained", "PGD-trained"}
    row = metrics["table"]["PGD-trained"]["eps"]["0.1"]
    assert set(row) >= {"fgsm", "pgd10", "pgd40", "transfer", "transfer_from"}
    for name in ("robustness.png", "masking.png", "table.md"):
        assert (out / name).stat().st_size > 0
    printed = capsys.readouterr().out
    assert "clean error (%)" in printed and "the run took" in printed  # error with units, and its run time
    assert main(args[:-1] + [str(tmp_path / "run2")]) == 0  # the trained models now come from the cache
    again = json.loads((tmp_path / "run2" / "metrics.json").read_text())
    assert again["cached"] == {"FGSM-trained": True, "PGD-trained": True}
    assert again["table"]["PGD-trained"]["eps"] == metrics["table"]["PGD-trained"]["eps"]
    assert main(["attack", "--eps", "-0.1", "--out", str(tmp_path / "bad")]) == 2
    assert main(["attack", "--restarts", "0", "--out", str(tmp_path / "bad")]) == 2


# ----------------------------------------------------------------------------- the GAN projection defence
def test_gan_projection_finds_points_on_the_range_and_aware_attacks_stay_in_the_ball():
    from minigan.attacks.gan_defense import bpda_pgd, manifold_attack
    from minigan.attacks.gan_defense import project as project_range
    from minigan.gans.models import DCGANGenerator

    minigan.manual_seed(0)
    G = DCGANGenerator(4, (1, 8, 8), channels=4)
    G.train()
    with minigan.no_grad():
        G.eval()
        on_range = (G(minigan.randn(6, 4)).detach().cpu().numpy() + 1) / 2  # images that ARE on G's range
        G.train()
    before = {k: v.clone() for k, v in G.state_dict().items()}  # (the values share the weights' memory)
    p, err, z = project_range(G, on_range, 4, steps=150, restarts=3, lr=0.1)
    assert p.shape == on_range.shape and z.shape == (6, 4)
    assert np.abs(p - on_range).max() < 0.05 and err.max() < 0.05  # found (nearly) the point itself
    far = np.random.default_rng(0).random(on_range.shape).astype(np.float32)  # noise: far from the range
    assert project_range(G, far, 4, steps=150, restarts=3)[1].mean() > 10 * err.mean()
    for k, v in G.state_dict().items():  # G's weights and mode untouched (only z was optimised)
        np.testing.assert_array_equal(v, before[k])
    assert G.training and all(q.grad is None for q in G.parameters())

    model = SmallConv((1, 8, 8), 4).eval()
    y = np.arange(6) % 4
    x_bpda = bpda_pgd(model, lambda u: project_range(G, u, 4, steps=20, restarts=1)[0], on_range, y, 0.1, steps=3)
    x_range = manifold_attack(model, G, on_range, y, z, 0.1, steps=10)
    for x_adv in (x_bpda, x_range):
        assert np.abs(x_adv - on_range).max() <= 0.1 + 1e-6 and x_adv.min() >= 0 and x_adv.max() <= 1
    assert np.abs(x_bpda - on_range).max() > 0.05  # BPDA moved the pixels
