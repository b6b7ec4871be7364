import numpy as np


class MNIST:
    def __init__(self, root, train=True, download=False, transform=None, target_transform=None):
        rng = np.random.default_rng(0 if train else 1)
        n = 256 if train else 128
        self.labels = rng.integers(0, 10, size=n)
        self.images = (rng.uniform(0, 60, size=(n, 28, 28)) + self.labels[:, None, None] * 19).astype(np.uint8)
        self.transform = transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        img = self.images[i]
        return (self.transform(img) if self.transform else img), int(self.labels[i])


FashionMNIST = MNIST


class ImageFolder:
    def __init__(self, root, transform=None):
        rng = np.random.default_rng(2)
        self.images = rng.integers(0, 256, size=(16, 64, 64, 3)).astype(np.uint8)
        self.transform = transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.transpose(self.images[i], (2, 0, 1))  # the stub's ToTensor adds a leading axis: give it (3, 64, 64)
        return self.transform(img)[0], 0
