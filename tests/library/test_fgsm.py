"""FGSM (Goodfellow, Shlens & Szegedy 2015; CS/DS 541 and IT3320E lectures) and adversarial training."""

import json

import pytest

import minigan
import minigan.functional as F
from minigan import nn
from minigan.attacks import adversarial_loss, fgsm, input_gradient, train_adversarially
from minigan.attacks.fgsm import evaluate_attack
from minigan.engine.backend import np

# A Linear(4, 3) with fixed weights: J is smooth in x and no gradient component is near 0.
W = np.array([[0.9, -0.4, 0.3, 0.7], [-0.6, 0.8, -0.5, 0.2], [0.1, -0.3, 0.9, -0.8]])
B = np.array([0.1, -0.2, 0.05])
X = np.array([[0.2, 0.5, 0.7, 0.4], [0.6, 0.3, 0.25, 0.55]])
Y = np.array([0, 2])


def tiny_linear(dtype=np.float32):
    model = nn.Linear(4, 3).to(dtype)
    model.load_state_dict({"weight": W.astype(dtype), "bias": B.astype(dtype)})
    return model


def numeric_input_gradient(x, y):
    """∇ₓ Σᵢ CE(W xᵢ + b, yᵢ) by central differences in float64, computed without minigan."""
    def J(x):
        z = x @ W.T + B
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return -logp[np.arange(len(y)), y].sum()

    h, g = 1e-6, np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        g[idx] = (J(x + e) - J(x - e)) / (2 * h)
    return g


class SmallNet(nn.Module):
    """Linear → BatchNorm → ReLU → Dropout → Linear: has modes that matter (dropout, batch norm)."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 8)
        self.bn = nn.BatchNorm1d(8)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.bn(self.fc1(x)))))


# ----------------------------------------------------------------------------- the perturbation
def test_perturbation_is_eps_sign_of_finite_difference_gradient(xp_backend):
    numeric = numeric_input_gradient(X, Y)
    assert np.abs(numeric).min() > 1e-2  # no component near 0, so its sign is unambiguous
    model = tiny_linear(np.float64).to("cuda" if xp_backend is not np else "cpu")
    x = minigan.tensor(X)  # float64 stays float64
    eps = 0.05
    x_adv = fgsm(model, x, Y, eps, clip=None)
    assert x_adv.dtype == np.float64 and not x_adv.requires_grad
    np.testing.assert_array_equal(x_adv.detach().cpu().numpy(), X + eps * np.sign(numeric))  # x' = x + ε·sign(∇ₓJ)
    np.testing.assert_allclose(input_gradient(model, x, Y).detach().cpu().numpy(), numeric, rtol=1e-6, atol=1e-8)


def test_float32_and_budget_and_clip_and_loss_goes_up(xp_backend):
    minigan.manual_seed(1)
    model = SmallNet().to("cuda" if xp_backend is not np else "cpu")
    model.eval()
    x = minigan.rand(32, 6)
    y = minigan.surface.random.randint(0, 3, (32,), xp=xp_backend)
    eps = 0.1
    x_adv = fgsm(model, x, y, eps)
    assert x_adv.dtype == np.float32 and x_adv.device == x.device
    diff = (x_adv.detach().cpu().numpy() - x.detach().cpu().numpy())
    assert np.abs(diff).max() <= eps + 1e-7
    assert x_adv.detach().cpu().numpy().min() >= 0.0 and x_adv.detach().cpu().numpy().max() <= 1.0
    with minigan.no_grad():
        before = F.cross_entropy(model(x), y).item()
        after = F.cross_entropy(model(x_adv), y).item()
    assert after > before


def test_parameters_grads_flags_and_modes_are_restored():
    minigan.manual_seed(2)
    model = SmallNet()
    model.train()
    model.drop.eval()  # a mixed state must come back exactly
    model.fc2.bias.requires_grad = False  # and so must a mixed set of flags
    old_grad = minigan.tensor(np.full(model.fc1.weight.shape, 7.0, dtype=np.float32))
    model.fc1.weight.grad = old_grad
    weights = {k: v.clone() for k, v in model.state_dict().items()}  # (the values share the weights' memory)
    x, y = minigan.rand(16, 6), np.arange(16) % 3
    fgsm(model, x, y, 0.2)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, weights[k])  # also BatchNorm's running statistics
    assert model.fc1.weight.grad is old_grad and (old_grad.detach().cpu().numpy() == 7.0).all()
    assert all(p.grad is None for n, p in model.named_parameters() if n != "fc1.weight")
    assert [p.requires_grad for p in model.parameters()] == [True, True, True, True, True, False]
    assert model.training and model.fc1.training and model.bn.training and not model.drop.training


def test_inside_no_grad_and_eps_zero_is_identity():
    model = tiny_linear()
    x = minigan.tensor(X.astype(np.float32))
    with minigan.no_grad():
        x_adv = fgsm(model, x, Y, 0.1)
    assert np.abs(x_adv.detach().cpu().numpy() - x.detach().cpu().numpy()).max() == pytest.approx(0.1, abs=1e-6)
    np.testing.assert_array_equal(fgsm(model, x, Y, 0.0).detach().cpu().numpy(), x.detach().cpu().numpy())


def test_no_labels_attacks_own_prediction_and_binary_model_uses_bce():
    model = tiny_linear()
    x = minigan.tensor(X.astype(np.float32))
    pred = model(x).detach().cpu().numpy().argmax(axis=1)
    np.testing.assert_array_equal(fgsm(model, x, None, 0.05).detach().cpu().numpy(), fgsm(model, x, pred,
                                                                                    0.05).detach().cpu().numpy())
    # A GAN-style discriminator with one logit: J = BCE-with-logits, ∂J/∂x = (σ(wᵀx+b) − t)·w.
    disc = nn.Linear(4, 1)
    w = disc.weight.detach().cpu().numpy()[0]
    t = np.array([1.0, 0.0], dtype=np.float32)
    x_adv = fgsm(disc, x, t, 0.05, clip=None).detach().cpu().numpy()
    z = X @ w + disc.bias.detach().cpu().numpy()[0]
    expected = np.sign((1 / (1 + np.exp(-z)) - t)[:, None] * w[None, :])
    np.testing.assert_allclose(x_adv - X.astype(np.float32), 0.05 * expected, atol=1e-6)
    with pytest.raises(ValueError, match="targets"):
        fgsm(disc, x, np.array([2.0, 0.0]), 0.05)


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("eps", [-0.1, float("nan"), float("inf")])
def test_bad_eps(eps):
    with pytest.raises(ValueError, match="fgsm: eps"):
        fgsm(tiny_linear(), X.astype(np.float32), Y, eps)


@pytest.mark.parametrize("clip", [(1.0, 0.0), (0.0,), (0.0, 1.0, 2.0), "01", (0.0, float("nan"))])
def test_bad_clip(clip):
    with pytest.raises(ValueError, match="fgsm: clip"):
        fgsm(tiny_linear(), X.astype(np.float32), Y, 0.1, clip=clip)


def test_bad_labels_and_inputs():
    model, x = tiny_linear(), X.astype(np.float32)
    with pytest.raises(ValueError, match="out of range"):
        fgsm(model, x, np.array([0, 3]), 0.1)
    with pytest.raises(ValueError, match="shape"):
        fgsm(model, x, np.array([0, 1, 2]), 0.1)
    with pytest.raises(TypeError, match="integer"):
        fgsm(model, x, np.array([0.0, 1.0]), 0.1)
    with pytest.raises(TypeError, match="floating"):
        fgsm(model, np.zeros((2, 4), dtype=np.int64), Y, 0.1)
    with pytest.raises(TypeError, match="eps must be a number"):
        fgsm(model, x, Y, "0.1")


# ----------------------------------------------------------------------------- adversarial training
def test_adversarial_loss_is_the_papers_mixture():
    model = tiny_linear()
    x = X.astype(np.float32)
    x_adv = fgsm(model, x, Y, 0.1)
    with minigan.no_grad():
        clean = F.cross_entropy(model(minigan.tensor(x)), Y).item()
        adv = F.cross_entropy(model(x_adv), Y).item()
    for alpha in (0.0, 0.3, 1.0):
        got = adversarial_loss(model, x, Y, 0.1, alpha=alpha).item()
        assert got == pytest.approx(alpha * clean + (1 - alpha) * adv, rel=1e-5)
    loss = adversarial_loss(model, x, Y, 0.1)
    loss.backward()  # the graph reaches the weights
    assert model.weight.grad is not None and np.abs(model.weight.grad.detach().cpu().numpy()).sum() > 0
    with pytest.raises(ValueError, match="alpha"):
        adversarial_loss(model, x, Y, 0.1, alpha=1.5)


def test_train_adversarially_is_seeded_and_lowers_the_adversarial_loss():
    rng = np.random.default_rng(0)
    x = rng.random((60, 4)).astype(np.float32)
    y = (x[:, 0] > x[:, 1]).astype(np.int64) + (x[:, 2] > 0.7)

    def run():
        minigan.manual_seed(3)
        model = nn.Linear(4, 3)
        return model, train_adversarially(model, x, y, eps=0.05, epochs=8, batch_size=16, lr=0.05, seed=4)

    m1, h1 = run()
    m2, h2 = run()
    assert h1 == h2 and h1[-1] < h1[0]
    np.testing.assert_array_equal(m1.weight.detach().cpu().numpy(), m2.weight.detach().cpu().numpy())
    assert not m1.training


def test_per_example_eps_and_predicted_labels():
    model = tiny_linear()
    x = X.astype(np.float32)
    eps = np.array([0.1, 0.0])
    x_adv0 = fgsm(model, x[:1], Y[:1], 0.1).detach().cpu().numpy()
    with minigan.no_grad():
        adv0 = F.cross_entropy(model(minigan.tensor(x_adv0)), Y[:1]).item()
        clean = F.cross_entropy(model(minigan.tensor(x)), Y, reduction="none").detach().cpu().numpy()
    # example 0 is attacked at ε = 0.1, example 1 (ε = 0) is its clean self: J̃ is their mixture
    expected = 0.5 * clean.mean() + 0.5 * (adv0 + clean[1]) / 2
    assert adversarial_loss(model, x, Y, eps).item() == pytest.approx(expected, rel=1e-5)
    # "predicted": x' climbs the loss of the model's own guess; the loss on x' is still against y
    with minigan.no_grad():
        adv_pred = F.cross_entropy(model(fgsm(model, x, None, 0.1)), Y).item()
    got = adversarial_loss(model, x, Y, 0.1, attack_labels="predicted").item()
    assert got == pytest.approx(0.5 * clean.mean() + 0.5 * adv_pred, rel=1e-5)
    with pytest.raises(ValueError, match="one per example"):
        adversarial_loss(model, x, Y, np.array([0.1, 0.2, 0.3]))
    with pytest.raises(ValueError, match=">= 0"):
        adversarial_loss(model, x, Y, np.array([0.1, -0.2]))
    with pytest.raises(ValueError, match="attack_labels"):
        adversarial_loss(model, x, Y, 0.1, attack_labels="mine")


def test_random_eps_is_seeded_and_differs_from_fixed_eps():
    rng = np.random.default_rng(0)
    x = rng.random((60, 4)).astype(np.float32)
    y = (x[:, 0] > x[:, 1]).astype(np.int64) + (x[:, 2] > 0.7)

    def run(random_eps):
        minigan.manual_seed(3)
        model = nn.Linear(4, 3)
        h = train_adversarially(model, x, y, eps=0.2, epochs=4, batch_size=16, lr=0.05, seed=4,
                                random_eps=random_eps, lr_decay=True)
        return model.weight.detach().cpu().numpy(), h

    (w1, h1), (w2, h2), (w0, _) = run(0.5), run(0.5), run(False)
    assert h1 == h2
    np.testing.assert_array_equal(w1, w2)
    assert not np.array_equal(w1, w0)


def test_evaluate_attack_reports_error_and_confidence():
    model = tiny_linear()
    r0 = evaluate_attack(model, X.astype(np.float32), Y, 0.0)
    r1 = evaluate_attack(model, X.astype(np.float32), Y, 0.5)
    assert 0 <= r0["error_rate"] <= r1["error_rate"] <= 1
    assert 0 < r1["mean_confidence"] <= 1 and r1["adversarial"].shape == X.shape


# ----------------------------------------------------------------------------- command line
@pytest.fixture
def main():
    """``python -m minigan``'s entry point."""
    from minigan.__main__ import main

    return main


def test_cli_bad_data_exits_2_with_one_line(main, capsys, tmp_path):

    assert main(["fgsm", "--data", "nonsense", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("minigan: error:") and "--data" in err and "\n" not in err
    assert main(["fgsm", "--data", f"idx:{tmp_path / 'missing'}", "--out", str(tmp_path)]) == 2
    assert main(["fgsm", "--data", "digits", "--eps", "-1", "--out", str(tmp_path)]) == 2


def test_cli_tiny_run_writes_metrics(main, tmp_path, monkeypatch):

    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "run"
    args = ["fgsm", "--data", "digits", "--model", "mlp", "--eps", "0.1", "0.25", "--adversarial-training",
            "--epochs", "1", "--adv-epochs", "1", "--limit", "200", "--seed", "0", "--out", str(out)]
    assert main(args) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    for key in ("clean_accuracy", "eps", "undefended", "adversarially_trained", "paper"):
        assert key in metrics
    row = metrics["undefended"]["0.25"]
    assert set(row) >= {"error_rate", "mean_confidence", "mean_confidence_on_errors"}
    assert "0.1" in metrics["adversarially_trained"]["attacks"]
    assert (out / "panda.png").stat().st_size > 0 and (out / "error_vs_eps.png").stat().st_size > 0
    # same seed, same numbers (the second run loads the clean classifier from the cache)
    out2 = tmp_path / "run2"
    assert main(args[:-1] + [str(out2)]) == 0
    m2 = json.loads((out2 / "metrics.json").read_text())
    assert m2["undefended"] == metrics["undefended"]
    assert m2["adversarially_trained"] == metrics["adversarially_trained"]
    # a folder holding a run is never overwritten silently: refused, then replaced with --force
    before = (out / "metrics.json").read_bytes()
    assert main(args) == 2 and (out / "metrics.json").read_bytes() == before
    assert main(args + ["--force"]) == 0 and json.loads((out / "metrics.json").read_text())["undefended"] == \
        metrics["undefended"]


def test_cli_adv_lr_is_validated_and_used(main, capsys, tmp_path, monkeypatch):

    for bad in ("0", "-0.001", "nan", "inf"):
        assert main(["fgsm", "--data", "digits", "--adversarial-training", "--adv-lr", bad,
                     "--out", str(tmp_path / "refused")]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("minigan: error:") and "--adv-lr" in err and "\n" not in err
    assert not (tmp_path / "refused").exists()  # refused before any work or output
    # the rate reaches the fine-tuning (a different rate, different weights) and is recorded
    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path / "cache"))
    args = ["fgsm", "--data", "digits", "--model", "mlp", "--eps", "0.1", "--adversarial-training", "--epochs", "1",
            "--adv-epochs", "1", "--limit", "200", "--seed", "0"]
    runs = {}
    for lr in ("0.002", "0.0005"):
        assert main(args + ["--adv-lr", lr, "--out", str(tmp_path / lr)]) == 0
        runs[lr] = json.loads((tmp_path / lr / "metrics.json").read_text())["adversarially_trained"]
        assert runs[lr]["lr"] == float(lr)
    assert runs["0.002"]["loss_history"] != runs["0.0005"]["loss_history"]


@pytest.mark.slow
def test_digits_targets(main, tmp_path):
    """The paper's shape on the digits: undefended error at ε = 0.25 ≥ 80%; adversarial training
    cuts it at least fourfold; clean accuracy drops by at most one point."""

    assert main(["fgsm", "--data", "digits", "--eps", "0.25", "--adversarial-training", "--out", str(tmp_path)]) == 0
    m = json.loads((tmp_path / "metrics.json").read_text())
    before = m["undefended"]["0.25"]["error_rate"]
    after = m["adversarially_trained"]["attacks"]["0.25"]["error_rate"]
    assert before >= 0.80
    assert after <= before / 4
    assert m["adversarially_trained"]["clean_accuracy"] >= m["clean_accuracy"] - 0.01
