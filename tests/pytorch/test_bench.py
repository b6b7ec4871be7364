"""The benchmark runs and builds what it says; no timing assertions (speed targets live in the bench).

(Its torch-free tests: tests/product/test_bench.py.)"""

import json

import pytest
from product.helpers_bench import SMALL, _restore_bench_state  # noqa: F401  (_restore_bench_state: autouse fixture)

import minigan
from minigan.cli import bench
from minigan.cli.bench import workloads


@pytest.mark.parametrize("name", list(workloads.WORKLOADS))
def test_torch_builds_identical_architectures(name):
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    workloads.RUN.update(torch=torch, device="cpu")
    mfw, tfw = workloads.minigan_framework(), workloads.torch_framework(torch)
    step, G, D = workloads.make_workload(name, mfw, batch=SMALL)
    tstep, tG, tD = workloads.make_workload(name, tfw, batch=SMALL, init_from=(G, D))
    assert workloads.n_parameters(G, mfw) == workloads.n_parameters(tG, tfw)
    assert workloads.n_parameters(D, mfw) == workloads.n_parameters(tD, tfw)
    assert [tuple(p.shape) for p in G.parameters()] == [tuple(p.shape) for p in tG.parameters()]
    assert [tuple(p.shape) for p in D.parameters()] == [tuple(p.shape) for p in tD.parameters()]
    # same weights, same data, same step: the same losses
    (md, mg), (td, tg) = step(), tstep()
    assert md.item() == pytest.approx(td.item(), rel=1e-4)
    assert mg.item() == pytest.approx(tg.item(), rel=1e-4)


def test_compare_torch_op_overhead_gives_a_ratio(tmp_path):
    pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    out = tmp_path / "b.json"
    assert bench.main(["--only", "op_overhead", "--repeats", "1", "--compare", "torch", "--json", str(out)]) == 0
    (r,) = json.loads(out.read_text())["results"]
    assert r["ratio"] > 0 and r["torch_us_per_op"] > 0
    minigan.manual_seed(0)


def test_weights_copy_into_torch_from_a_device(xp_backend):
    """--backend cupy --compare torch: the minigan networks live on the GPU, their state_dict holds device
    tensors, which (as PyTorch's) refuse .numpy() until .cpu() copies them to host memory."""
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    workloads.RUN.update(torch=torch, device="cpu")
    mfw, tfw = workloads.minigan_framework(), workloads.torch_framework(torch)
    step, G, D = workloads.make_workload("mlp-ring", mfw, batch=SMALL)
    tstep, tG, tD = workloads.make_workload("mlp-ring", tfw, batch=SMALL, init_from=(G, D))
    for p, tp in zip(list(G.parameters()) + list(D.parameters()), list(tG.parameters()) + list(tD.parameters())):
        assert (p.detach().cpu().numpy() == tp.detach().numpy()).all()
