"""What minigan says for tril_indices, triu_indices, cartesian_prod, combinations and block_diag: they build indices
and combinations, and the advice gives a recipe from arange, meshgrid and a mask (it called them products or
distances and showed a distance). The recipe the advice states is run here and gives PyTorch's values; kron, a
product, is sent to einsum and broadcasting (not to numpy.linalg, which has no kron)."""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch")

BUILDERS = ("tril_indices", "triu_indices", "cartesian_prod", "combinations", "block_diag")
TRIL_RECIPE = ("i, j = minigan.meshgrid(minigan.arange(n), minigan.arange(m), indexing='ij'); keep = j <= i + offset; "
               "minigan.stack([i[keep], j[keep]]) is tril_indices(n, m, offset)")
CARTESIAN_RECIPE = "minigan.stack([i.reshape(-1), j.reshape(-1)], 1) with i, j = minigan.meshgrid(a, b, indexing='ij')"


def advice(owner, name):
    with pytest.raises(AttributeError) as caught:
        getattr(owner, name)
    return str(caught.value)


@pytest.mark.parametrize("name", BUILDERS)
def test_builders_get_the_recipe(name):
    text = advice(minigan, name)
    assert "distance" not in text and TRIL_RECIPE in text and CARTESIAN_RECIPE in text, text


@pytest.mark.parametrize("n,m,offset", list(itertools.product((1, 3, 4), (1, 3, 5), (-2, 0, 1))))
def test_the_recipe_gives_pytorchs_indices(n, m, offset):
    i, j = minigan.meshgrid(minigan.arange(n), minigan.arange(m), indexing="ij")
    lower, upper = j <= i + offset, j >= i + offset
    np.testing.assert_array_equal(minigan.stack([i[lower], j[lower]]).numpy(), torch.tril_indices(n, m, offset))
    np.testing.assert_array_equal(minigan.stack([i[upper], j[upper]]).numpy(), torch.triu_indices(n, m, offset))
    a, b = minigan.arange(n) * 2, minigan.arange(m) - 1
    i, j = minigan.meshgrid(a, b, indexing="ij")
    np.testing.assert_array_equal(minigan.stack([i.reshape(-1), j.reshape(-1)], 1).numpy(),
                                  torch.cartesian_prod(torch.arange(n) * 2, torch.arange(m) - 1).reshape(-1, 2))


@pytest.mark.parametrize("owner", [minigan, minigan.Tensor])
def test_kron_is_a_product(owner):
    text = advice(owner, "kron")
    assert "einsum" in text and "numpy.linalg" not in text, text
