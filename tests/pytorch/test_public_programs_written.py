"""Programs that build priors, likelihoods and policies with ``torch.distributions``, written for this comparison
after well-known public ones (each file names its source; tools/public_programs/SOURCES.md lists them): a VAE with
Normal, Bernoulli, Independent and kl_divergence, REINFORCE with Categorical, a RealNVP flow with a
MultivariateNormal prior.  Each runs once with ``import torch`` meaning PyTorch and once meaning minigan, with the
same seed; what they print must agree, numbers to float32 noise (tools/public_programs/run.py's rule)."""

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = ROOT / "tools" / "public_programs" / "written"
SOURCES = (ROOT / "tools" / "public_programs" / "SOURCES.md").read_text()
_spec = importlib.util.spec_from_file_location("public_programs_run_written", ROOT / "tools" / "public_programs" /
                                               "run.py")
run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run)


@pytest.mark.parametrize("path", sorted(WRITTEN.glob("*.py")), ids=lambda p: p.stem)
def test_a_program_using_distributions_prints_pytorchs_numbers_under_minigan(path, monkeypatch):
    monkeypatch.syspath_prepend(run.HERE)
    run.torch.set_num_threads(1)
    kind, detail = run.classify(str(path))
    assert kind == "matches", f"{path.name}: {kind}: {detail}"


def test_every_written_program_names_its_source_and_is_listed():
    for path in WRITTEN.glob("*.py"):
        text = path.read_text()
        assert "After: https://" in text, path.name
        assert f"| {path.name} |" in SOURCES, path.name
        assert "from torch.distributions import" in text, path.name
