"""The benchmark runs and builds what it says, without PyTorch: valid JSON, an unknown benchmark refused, each
workload's iteration with finite losses, the hand-written NumPy reference equal to minigan, the soak, the CPU and
threads named, one row per batch size; no timing assertions (speed targets live in the bench).

(Its comparisons with PyTorch: tests/pytorch/test_bench.py.)"""

import json
import math

import pytest

from minigan.cli import bench
from minigan.cli.bench import report, workloads
from product.helpers_bench import SMALL, _restore_bench_state  # noqa: F401  (_restore_bench_state: autouse fixture)


def test_op_overhead_writes_valid_json(tmp_path):
    out = tmp_path / "bench.json"
    assert bench.main(["--only", "op_overhead", "--repeats", "1", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["machine"]["numpy"]
    assert data["machine"]["cpu"] == report.cpu_info()  # the ratio beside PyTorch depends on the CPU: recorded
    (r,) = data["results"]
    assert r["name"] == "op_overhead" and r["us_per_op"] > 0
    assert not (tmp_path / "bench.json.tmp").exists()  # written atomically


def test_nothing_is_written_to_the_current_folder_unasked(tmp_path, monkeypatch, capsys):
    """``python -m minigan.bench`` wrote bench.json into whatever folder it was run from."""
    monkeypatch.chdir(tmp_path)
    assert bench.main(["--only", "op_overhead", "--repeats", "1"]) == 0
    assert list(tmp_path.iterdir()) == []
    assert "--json PATH writes them" in capsys.readouterr().out


def test_unknown_benchmark_is_refused(tmp_path, capsys):
    assert bench.main(["--only", "nope", "--json", str(tmp_path / "b.json")]) == 2
    assert "unknown benchmark" in capsys.readouterr().err


@pytest.mark.parametrize("name", list(workloads.WORKLOADS))
def test_each_workload_runs_one_iteration_with_finite_losses(name):
    step, G, D = workloads.make_workload(name, workloads.minigan_framework(), batch=SMALL)
    before = [p.array.copy() for p in D.parameters()]
    loss_d, loss_g = step()
    assert math.isfinite(loss_d.item()) and math.isfinite(loss_g.item())
    assert all(p.requires_grad for p in D.parameters())  # D is unfrozen again after the G step
    assert any(not (p.array == b).all() for p, b in zip(D.parameters(), before))  # D's Adam step moved it


@pytest.mark.parametrize("name", list(workloads.HAND_ACTS))
def test_hand_numpy_reference_matches_minigan(name):
    hand, step = workloads.make_hand(name, batch=SMALL)
    for _ in range(2):  # the second iteration checks that both applied the same Adam update
        hd, hg = hand.step()
        md, mg = step()
        assert math.isfinite(float(hd)) and math.isfinite(float(hg))
        assert float(hd) == pytest.approx(md.item(), rel=1e-4, abs=1e-5)
        assert float(hg) == pytest.approx(mg.item(), rel=1e-4, abs=1e-5)


def test_soak_runs_a_few_steps():
    r = workloads.bench_soak(steps=4, checkpoints=2)
    assert r["steps"] == 4 and r["rss_last_mb"] > 0 and r["live_tensors_last"] >= 0


def test_the_cpu_and_its_vector_unit_are_named(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\ncpu family\t: 25\nmodel name\t: AMD EPYC\nflags\t\t: fpu avx avx2 fma\n\n"
                       "processor\t: 1\nflags\t\t: fpu avx512f\n")
    assert report.cpu_info(cpuinfo) == "AMD EPYC (family 25), AVX2"  # the first processor's entry
    cpuinfo.write_text("cpu family\t: 26\nmodel name\t: AMD EPYC\nflags\t\t: avx2 avx512f avx512bw\n")
    assert report.cpu_info(cpuinfo) == "AMD EPYC (family 26), AVX-512"
    cpuinfo.unlink()
    assert report.cpu_info(cpuinfo) == "unknown"


def test_threads_are_reported():
    info = report.thread_info()
    assert "numpy_blas_threads" in info


def test_several_batch_sizes_give_one_row_each(tmp_path):
    out = tmp_path / "b.json"
    assert bench.main(["--only", "mlp-ring", "--batch", "2", "3", "--repeats", "1", "--json", str(out)]) == 0
    rows = json.loads(out.read_text())["results"]
    assert [(r["name"], r["batch"]) for r in rows] == [("mlp-ring", 2), ("mlp-ring", 3)]
    assert all(r["minigan_ms"] > 0 and math.isfinite(r["loss_d_first"]) for r in rows)
