"""A stand-in for the MNIST reader that vinhkhuc's PyTorch-Mini-Tutorials import as ``data_util`` (it downloads
the four MNIST files): ``load_mnist`` gives flat float64 images in [0, 1] (784 values) and labels, integers or
one-hot, in the published function's shapes and types; the images are synthetic (the torchvision stand-in's recipe),
1000 to train on and 200 to test on."""

import numpy as np


def one_hot(x, n):
    x = np.asarray(x).flatten()
    o_h = np.zeros((len(x), n))
    o_h[np.arange(len(x)), x] = 1
    return o_h


def _images(n, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=n)
    images = (rng.uniform(0, 60, size=(n, 784)) + labels[:, None] * 19).astype(np.uint8).astype(float) / 255.0
    return images, labels.astype(np.uint8)


def load_mnist(ntrain=60000, ntest=10000, onehot=True):
    trX, trY = _images(1000, 0)
    teX, teY = _images(200, 1)
    trX, trY, teX, teY = trX[:ntrain], trY[:ntrain], teX[:ntest], teY[:ntest]
    if onehot:
        return trX, teX, one_hot(trY, 10), one_hot(teY, 10)
    return trX, teX, np.asarray(trY), np.asarray(teY)
