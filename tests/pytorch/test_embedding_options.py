"""nn.Embedding / F.embedding with PyTorch's options against PyTorch: padding_idx (a zero row that gets no
gradient), max_norm with its norm_type (rows renormalised in place), scale_grad_by_freq, from_pretrained.

(Its torch-free tests: tests/library/test_embedding_options.py.)"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
rng = np.random.default_rng(0)


@pytest.mark.parametrize("options", [dict(padding_idx=2), dict(padding_idx=-1), dict(max_norm=1.0),
                                     dict(max_norm=0.5, norm_type=1.0), dict(scale_grad_by_freq=True),
                                     dict(padding_idx=1, max_norm=1.2, scale_grad_by_freq=True)])
def test_embedding_options_equal_pytorch(options):
    theirs = torch.nn.Embedding(6, 3, **options).double()
    ours = minigan.nn.Embedding(6, 3, **options).double()
    assert repr(ours) == repr(theirs)
    if "padding_idx" in options:  # the padding row starts at zero
        assert not ours.weight.detach().numpy()[options["padding_idx"]].any()
    w = rng.standard_normal((6, 3)) * 2
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(w))
    ours.load_state_dict({"weight": minigan.tensor(w)})
    idx = np.array([[0, 1, 2, 1], [5, 1, 3, 3]])
    t_out, m_out = theirs(torch.tensor(idx)), ours(minigan.tensor(idx))
    np.testing.assert_allclose(m_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-12)
    g = rng.standard_normal(tuple(t_out.shape))
    (t_out * torch.tensor(g)).sum().backward()
    (m_out * minigan.tensor(g)).sum().backward()
    np.testing.assert_allclose(ours.weight.grad.detach().numpy(), theirs.weight.grad.detach().numpy(), rtol=1e-12,
                               atol=1e-15)
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(),
                               rtol=1e-12)  # max_norm's writes


def test_from_pretrained_is_frozen_unless_asked():
    table = minigan.randn(4, 2)
    frozen = minigan.nn.Embedding.from_pretrained(table)
    assert not frozen.weight.requires_grad and np.array_equal(frozen.weight.detach().numpy(), table.detach().numpy())
    assert minigan.nn.Embedding.from_pretrained(table, freeze=False).weight.requires_grad
    assert repr(frozen) == repr(torch.nn.Embedding.from_pretrained(torch.randn(4, 2)))
