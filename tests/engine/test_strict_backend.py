"""CuPy's code path on the CPU: the strict stand-in (tests/strict_backend.py) refuses what CuPy refuses (every implicit
way to NumPy), and minigan's tensors, stepthrough, optimizers, metrics, random streams, checkpoints, in-place and
other ops, and the command line's short runs work on it and agree with NumPy.

(Its comparisons with PyTorch: tests/pytorch/test_strict_backend.py.)"""

import json

import numpy as np
import pytest
from conftest import ulps
from strict_backend import installed, strict

import minigan
import minigan.functional as F
import minigan.nn as nn
from minigan.__main__ import main
from minigan.engine import backend
from minigan.metrics import frechet_distance, mixture_metrics, mode_metrics
from minigan.surface import random


# ----------------------------------------------------------------------------- the stand-in is strict
def test_arrays_refuse_every_implicit_way_to_numpy():
    a = strict.arange(6.0).reshape(2, 3)
    for convert in (np.asarray, np.array, lambda x: np.sum(x), lambda x: np.exp(x), lambda x: np.concatenate([x]),
                    lambda x: np.ones(3) + x, lambda x: x + np.ones(3), float, lambda x: bool(x)):
        with pytest.raises(TypeError):
            convert(a)
    assert type(a.sum()) is strict.ndarray and a.sum().ndim == 0  # a 0-d device array, not a NumPy scalar
    assert float(a.sum()) == 15.0 and a[1, 2].item() == 5.0  # one element converts
    assert type(np.float32(2) * a) is strict.ndarray  # a NumPy scalar is a host number, as with CuPy
    assert np.array_equal(strict.asnumpy(a), np.arange(6.0).reshape(2, 3)) and isinstance(a.get(), np.ndarray)


def test_its_generator_is_its_own():
    ours = strict.random.default_rng(0).standard_normal(4)
    assert type(ours) is strict.ndarray
    assert not np.allclose(strict.asnumpy(ours), np.random.default_rng(0).standard_normal(4))
    assert np.array_equal(strict.asnumpy(ours), strict.asnumpy(strict.random.default_rng(0).standard_normal(4)))


def test_tensors_on_it_leave_only_by_an_explicit_copy(device):
    x = minigan.randn(3, 2)
    assert x.device.type == "cuda" and backend.get_array_module(x.array) is strict
    with pytest.raises(TypeError):  # as PyTorch: a cuda tensor is not a NumPy array
        np.asarray(x)
    host = x.to("cpu")
    assert host.device == "cpu" and np.array_equal(x.detach().cpu().numpy(), host.detach().numpy())
    assert isinstance(x.detach().cpu().numpy(), np.ndarray)
    with pytest.raises(minigan.BackendError):
        x + host
    a = np.ones(2, np.float32)
    t = minigan.tensor(a)  # follows the active backend: a copy to the device, as a host-to-device transfer is
    a *= 10
    assert t.device.type == "cuda" and t.detach().cpu().numpy().tolist() == [1.0, 1.0]


def test_numpy_of_a_gpu_tensor_asks_for_cpu_first_as_pytorch(device):
    x = minigan.ones(2, device="cuda", requires_grad=True)
    with pytest.raises(minigan.GraphError, match=r"detach\(\)"):  # PyTorch checks requires_grad first
        x.numpy()
    with pytest.raises(TypeError, match=r"can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu\(\)"):
        x.detach().numpy()
    host = x.detach().cpu().numpy()
    assert isinstance(host, np.ndarray) and host.tolist() == [1.0, 1.0]
    assert isinstance(x.numpy(force=True), np.ndarray) and x.numpy(force=True).tolist() == [1.0, 1.0]
    on_cpu = minigan.zeros(2, device="cpu")
    on_cpu.numpy(force=True)[0] = 5.0  # force on the host: still the tensor's own memory, as PyTorch's
    assert on_cpu.tolist() == [5.0, 0.0] and x.tolist() == [1.0, 1.0] and x.sum().item() == 2.0


def test_stepthrough_replays_a_gpu_graph_where_it_lives_and_records_host_copies(device):
    from minigan import stepthrough

    def replay(where):
        x = minigan.tensor([0.5, -1.0], dtype=minigan.float64, device=where, requires_grad=True)
        w = minigan.tensor([2.0, 3.0], dtype=minigan.float64, device=where, requires_grad=True)
        return stepthrough.steps(((x * w).sigmoid() * x).sum())

    on_gpu, on_cpu = replay("cuda"), replay("cpu")
    assert [s.label for s in on_gpu] == [s.label for s in on_cpu] and len(on_gpu) == 4
    for a, b in zip(on_gpu, on_cpu):  # the same numbers to float64's rounding (the device's exp is not the host's)
        assert all(isinstance(v, np.ndarray) for v in (a.value, a.grad_in, *a.grads.values()))
        np.testing.assert_allclose(a.grad_in, b.grad_in, rtol=ulps(np.float64), atol=0)
        assert a.grads.keys() == b.grads.keys()
        for k in a.grads:
            np.testing.assert_allclose(a.grads[k], b.grads[k], rtol=ulps(np.float64), atol=0)


def test_the_cuda_queries_a_training_script_makes(device):
    cuda = minigan.cuda
    assert cuda.is_available() and cuda.device_count() == 1 and cuda.current_device() == 0
    assert cuda.get_device_name() == cuda.get_device_name(0) == cuda.get_device_name("cuda:0") == "strict stand-in"
    assert isinstance(cuda.memory_allocated(), int)
    cuda.set_device(0)
    cuda.set_device("cuda:0")
    for ask in (lambda: cuda.set_device(1), lambda: cuda.get_device_name(1)):
        with pytest.raises(ValueError, match="minigan runs on one GPU"):
            ask()


# ----------------------------------------------------------------------------- optimizers agree with NumPy
def _train(opt_factory, on_device, steps=3):
    minigan.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))  # made on the host: the same weights
    x = minigan.tensor(np.linspace(-1, 1, 15, dtype=np.float32).reshape(5, 3))
    if on_device:
        model, x = model.to("cuda"), x.to("cuda")
    opt = opt_factory(model.parameters())
    sched = minigan.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    for _ in range(steps):
        opt.zero_grad()
        ((model(x) - 0.5) ** 2).mean().backward()
        opt.step()
        sched.step()
    assert all(p.device.type == ("cuda" if on_device else "cpu") for p in model.parameters())
    return [p.detach().cpu().numpy() for p in model.parameters()], opt.param_groups[0]["lr"]


OPTIMIZERS = {
    "sgd-nesterov": lambda p: minigan.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3),
    "rmsprop": lambda p: minigan.optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True),
    "adam": lambda p: minigan.optim.Adam(p, lr=0.01, weight_decay=1e-3),
    "optimistic-adam": lambda p: minigan.optim.OptimisticAdam(p, lr=0.01),
    "optimistic-sgd": lambda p: minigan.optim.OptimisticSGD(p, lr=0.05),
}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizers_step_on_the_device_as_on_numpy(name):
    on_numpy, lr_numpy = _train(OPTIMIZERS[name], on_device=False)
    with installed():
        on_device, lr_device = _train(OPTIMIZERS[name], on_device=True)
    for a, b in zip(on_numpy, on_device):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    assert lr_device == lr_numpy  # the scheduler halved it once in 3 steps on both


# ----------------------------------------------------------------------------- metrics read device arrays
def test_metrics_take_device_samples(device):
    modes = np.array([[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0]], dtype=np.float32)
    host = np.repeat(modes, 20, axis=0) + 0.01 * np.random.default_rng(0).standard_normal((60, 2)).astype(np.float32)
    on_device = minigan.tensor(host)
    assert on_device.device.type == "cuda"
    assert mode_metrics(on_device, modes, std=0.02) == mode_metrics(host, modes, std=0.02)
    assert mode_metrics(on_device.array, strict.asarray(modes), std=0.02) == mode_metrics(host, modes, std=0.02)
    feats = np.random.default_rng(1).standard_normal((50, 4))
    assert frechet_distance(strict.asarray(feats), strict.asarray(feats + 1.0)) == pytest.approx(
        frechet_distance(feats, feats + 1.0))
    ring = minigan.data.parse_dataset("ring")
    samples = ring.sample(200)  # drawn on the active backend: the device
    assert mixture_metrics(samples, ring) == mixture_metrics(samples.detach().cpu().numpy() if hasattr(samples, "numpy")
                                                             else strict.asnumpy(samples), ring)


def test_a_cpu_scalar_that_requires_grad_may_meet_gpu_tensors(cuda_device):
    """As in PyTorch: a 0-d CPU tensor mixes with GPU tensors, and its gradient comes back to the CPU."""
    a = minigan.tensor(2.0, requires_grad=True)
    x = minigan.tensor([1.0, 2.0, 3.0], device="cuda", requires_grad=True)
    (a * x).sum().backward()
    assert a.grad.device == "cpu" and a.grad.item() == 6.0
    assert x.grad.device.type == "cuda" and np.array_equal(x.grad.detach().cpu().numpy(), [2.0, 2.0, 2.0])


# ----------------------------------------------------------------------------- checkpoints
def test_the_device_random_stream_is_kept_by_a_checkpoint(cuda_device, tmp_path):
    """A run resumed on the GPU draws what it would have drawn: the device's stream has a state a file keeps
    (CuPy's own generator keeps its state in GPU memory and cannot give it back)."""
    from minigan.serialization import load, save

    minigan.manual_seed(3)
    minigan.randn(4, device="cuda"), minigan.randint(0, 9, (3,), device="cuda")
    save({"rng": random.get_rng_state()}, tmp_path / "rng.npz")
    ahead = [minigan.randn(5, device="cuda").numpy(force=True), minigan.rand(2, device="cuda").numpy(force=True)]
    minigan.randn(7, device="cuda")
    random.set_rng_state(load(tmp_path / "rng.npz")["rng"])
    again = [minigan.randn(5, device="cuda").numpy(force=True), minigan.rand(2, device="cuda").numpy(force=True)]
    for a, b in zip(ahead, again):
        np.testing.assert_array_equal(a, b)
    minigan.manual_seed(3)  # the GPU's stream is its own, as in PyTorch: the same seed, other numbers
    assert not np.allclose(minigan.randn(4, device="cuda").cpu().numpy(), minigan.randn(4, device="cpu").numpy())


def test_checkpoint_of_a_device_model_loads_on_either_device(device, tmp_path):
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    model.to("cuda")
    minigan.save(model.state_dict(), tmp_path / "m.pt")
    on_cpu = minigan.load(tmp_path / "m.pt")
    on_gpu = minigan.load(tmp_path / "m.pt", map_location="cuda")
    assert all(t.device.type == "cuda" for t in list(model.parameters()) + list(model.buffers()))
    for k, v in model.state_dict().items():  # Tensors on the model's device; load gives them on the host or the device
        assert type(on_cpu[k]) is minigan.Tensor and on_cpu[k].device.type == "cpu" and on_gpu[k].device.type == "cuda"
        np.testing.assert_array_equal(on_cpu[k].numpy(), v.cpu().numpy())
        np.testing.assert_array_equal(on_gpu[k].cpu().numpy(), v.cpu().numpy())
    fresh = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2)).to("cuda")
    fresh.load_state_dict(on_gpu)
    x = minigan.randn(5, 3)
    model.eval(), fresh.eval()
    np.testing.assert_array_equal(fresh(x).detach().cpu().numpy(), model(x).detach().cpu().numpy())


# ----------------------------------------------------------------------------- the command line's short runs
@pytest.mark.parametrize("algorithm, data", [("gan", "ring"), ("wgan", "ring"), ("wgan-gp", "grid"),
                                             ("began", "ring"), ("cgan", "digits")])
def test_cli_train_runs_on_the_device(request, device, tmp_path, algorithm, data):
    if data == "digits":  # its evaluations load the reference CNN (trained on NumPy, once per run)
        request.getfixturevalue("digits_reference")
    out = tmp_path / algorithm
    # 2 steps, an evaluation, and 2 more resumed (4 and 6 had cost cgan on digits 5.2 CPU-s where these take 3.5, in
    # one process, the reference CNN loaded: its evaluations and image grids are most of it; the others are level)
    argv = ["train", algorithm, "--data", data, "--backend", "cupy", "--steps", "2", "--eval-every", "2",
            "--batch-size", "16", "--seed", "3", "--no-progress", "--out", str(out)]
    assert main(argv) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["status"] == "ok" and metrics["step"] == 2 and metrics["config"]["backend"] == "cupy"
    assert main(argv[:-1] + [str(out), "--steps", "4", "--resume"]) == 0  # the checkpoint resumes on the device
    assert json.loads((out / "metrics.json").read_text())["step"] == 4


def test_the_reference_cnn_trains_on_the_device_by_its_recipe(device):
    """The reference CNN's own recipe (the decaying rate of Adam, the shifted batches) on the device, at a small
    size: the runs above load the one trained on NumPy."""
    from minigan import classifier
    from minigan.data.spec import load_image_dataset

    x, y = (a[:96] for a in load_image_dataset("digits")[:2])
    model = classifier.build("cnn", "digits").to("cuda")
    losses = classifier.train_classifier(model, x, y, **dict(classifier.recipe("cnn"), epochs=3), augment=True)
    assert all(np.isfinite(losses)) and losses[-1] < losses[0]
    assert all(p.device.type == "cuda" for p in model.parameters())
    assert classifier.predict_logits(model, x[:8]).shape == (8, 10)


def test_cli_fgsm_runs_on_the_device(device, tmp_path, monkeypatch):
    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "fgsm"
    assert main(["fgsm", "--data", "digits", "--model", "mlp", "--eps", "0.1", "--adversarial-training",
                 "--epochs", "1", "--adv-epochs", "1", "--limit", "120", "--seed", "0", "--backend", "cupy",
                 "--out", str(out)]) == 0
    assert "clean_accuracy" in json.loads((out / "metrics.json").read_text())


def _on_host_and_device(run):
    """run() on NumPy, then on the strict device stand-in."""
    on_host = run()
    with installed():
        minigan.use_backend("cupy")
        try:
            return on_host, run()
        finally:
            minigan.use_backend("numpy")


def test_in_place_methods_sort_gather_and_init_run_on_the_device_as_on_numpy():
    def run():
        minigan.manual_seed(0)
        x = minigan.tensor(np.linspace(-1.0, 1.5, 12).reshape(3, 4), requires_grad=True)
        index = minigan.tensor([[0, 1], [2, 2], [3, 0]])
        v, _ = minigan.sort(x, 1, descending=True)
        y = x * 1.0
        y.addcmul_(x, x, value=0.5)
        y.masked_fill_(y > 1.2, 0.0)
        y.lerp_(x, 0.3)
        y.exp_()
        loss = v.sum() + minigan.topk(x, 2).values.sum() + minigan.gather(x, 1, index).sum() + \
            minigan.index_select(x, 0, minigan.tensor([2, 2])).sum() + minigan.cumsum(x, 1).sum() + y.sum()
        loss.backward()
        ints = minigan.tensor([1, 2])
        ints.fill_(2.7)  # a copy converts, as PyTorch's
        w = minigan.zeros(4, 6)
        nn.init.orthogonal_(w)
        return [backend.asnumpy(t.array) for t in (loss, x.grad, ints, w @ w.t())]

    on_host, on_device = _on_host_and_device(run)
    for a, b in zip(on_host[:3], on_device[:3]):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    np.testing.assert_allclose(on_device[3], np.eye(4), atol=1e-5)  # (the device's own random stream)


def test_einsum_scatter_hooks_spectral_norm_and_bilinear_run_on_the_device_as_on_numpy():
    def run():
        minigan.manual_seed(0)
        x = minigan.tensor(np.linspace(-1.0, 1.0, 12).reshape(3, 4), dtype=minigan.float32, requires_grad=True)
        idx = minigan.tensor([[0, 1], [2, 2], [3, 0]])
        y = minigan.scatter_add(x, 1, idx, minigan.ones(3, 2)) + x.scatter(1, idx[:, :1], value=1.0)
        parts = [minigan.einsum("ij,kj->ik", x, x), minigan.diag(x[:, :3]), minigan.trace(x[:, :3]),
                 minigan.cdist(x, x + 1), F.interpolate(x.reshape(1, 1, 3, 4), scale_factor=1.5, mode="bilinear")]
        layer = nn.Linear(4, 2)
        with minigan.no_grad():
            layer.weight.copy_(minigan.tensor(np.linspace(-0.5, 0.5, 8).reshape(2, 4)))
            layer.bias.fill_(0.25)  # (the device draws from a stream of its own)
        layer = nn.utils.spectral_norm(layer)
        with minigan.no_grad():
            layer.weight_u.copy_(minigan.tensor([0.6, 0.8]))
            layer.weight_v.copy_(minigan.tensor([0.5, 0.5, 0.5, 0.5]))
        x.register_hook(lambda g: g * 2)
        loss = y.sum() + sum(p.sum() for p in parts) + layer(x).sum()
        loss.backward()
        jac = minigan.autograd.functional.jacobian(lambda a: a.tanh(), x[0].detach())
        return [backend.asnumpy(t.array) for t in (loss, x.grad, jac)]

    on_host, on_device = _on_host_and_device(run)
    for a, b in zip(on_host, on_device):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_a_host_0d_constant_saved_beside_a_gpu_tensor_is_a_constant(device):
    """A 0-d NumPy array given to an op with a GPU tensor is handed to forward as a NumPy scalar (backend.arrays_of);
    saved for backward, it is still known as the constant it was given as."""
    from minigan.engine.ops.elementwise import Mul

    x = minigan.ones(3, requires_grad=True)
    Mul.apply(x, np.asarray(np.float32(2.5))).sum().backward()
    np.testing.assert_allclose(x.grad.cpu().numpy(), [2.5, 2.5, 2.5])
