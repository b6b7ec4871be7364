"""torch.nn.utils.parametrizations' names minigan lacks (weight_norm, orthogonal: HiFi-GAN's and MelGAN's
discriminators wrap every convolution in weight_norm) answer with minigan's advice, as the other namespaces' do,
where Python's bare "module has no attribute" came; what the advice points to exists. Every name PyTorch lists
there is in minigan or has advice."""

import pytest

import minigan
import minigan.nn.utils.parametrizations as P

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["weight_norm", "orthogonal"])
def test_missing_parametrizations_give_advice(name):
    with pytest.raises(AttributeError) as caught:
        getattr(P, name)
    assert isinstance(caught.value, minigan.NotInMinigan), caught.value
    text = str(caught.value)
    assert text.startswith(f"minigan.nn.utils.parametrizations.{name}: "), text
    assert "spectral_norm" in text and "register_parametrization" in text, text
    assert callable(P.spectral_norm) and callable(minigan.nn.utils.parametrize.register_parametrization)


def test_every_name_pytorch_lists_is_there_or_advised():
    for name in torch.nn.utils.parametrizations.__all__:
        try:
            getattr(P, name)
        except minigan.NotInMinigan:
            pass
