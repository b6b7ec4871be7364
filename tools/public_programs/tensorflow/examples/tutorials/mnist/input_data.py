"""``read_data_sets`` as TensorFlow's old MNIST tutorials call it: flat float32 images in [0, 1] (784 values),
labels one-hot or integers, and ``next_batch``, which reshuffles at each pass as TensorFlow's did.  The images
are synthetic (the torchvision stand-in's recipe); the reshuffling draws from NumPy with a fixed seed, so both
libraries' runs see the same batches."""

import numpy as np


class DataSet:
    def __init__(self, images, labels, seed):
        self.images, self.labels = images, labels
        self.num_examples = len(images)
        self._rng = np.random.RandomState(seed)
        self._order = self._rng.permutation(self.num_examples)
        self._at = 0

    def next_batch(self, batch_size):
        if self._at + batch_size > self.num_examples:  # a new pass, in a new order
            self._order, self._at = self._rng.permutation(self.num_examples), 0
        take = self._order[self._at:self._at + batch_size]
        self._at += batch_size
        return self.images[take], self.labels[take]


def _images(n, seed, one_hot):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=n)
    images = (rng.uniform(0, 60, size=(n, 784)) + labels[:, None] * 19) / 255.0
    return images.astype(np.float32), (np.eye(10, dtype=np.float64)[labels] if one_hot else labels)


class Datasets:
    def __init__(self, one_hot):
        self.train = DataSet(*_images(1000, 0, one_hot), seed=0)
        self.validation = DataSet(*_images(100, 5, one_hot), seed=5)
        self.test = DataSet(*_images(200, 1, one_hot), seed=1)


def read_data_sets(train_dir, one_hot=False, **kwargs):
    return Datasets(one_hot)
