import numpy as np
import torch


class MNIST:
    def __init__(self, root, train=True, download=False, transform=None, target_transform=None):
        rng = np.random.default_rng(0 if train else 1)
        n = 300 if train else 128  # (batches of 100 and of 128, as several tutorials assume)
        self.labels = rng.integers(0, 10, size=n)
        self.images = (rng.uniform(0, 60, size=(n, 28, 28)) + self.labels[:, None, None] * 19).astype(np.uint8)
        self.transform, self.target_transform = transform, target_transform
        # torchvision's MNIST holds its images and labels as tensors (uint8 and int64), as programs index them
        self.data, self.targets = torch.from_numpy(self.images), torch.from_numpy(self.labels.astype(np.int64))
        self.train = train  # (a program's check_accuracy asks its loader's dataset which split it is)

    def __len__(self):
        return len(self.labels)

    # torchvision's older names for the images and labels, as tensors (it warns that they are deprecated)
    @property
    def train_data(self):
        return torch.from_numpy(self.images)

    @property
    def train_labels(self):
        return torch.from_numpy(self.labels.astype(np.int64))

    test_data, test_labels = train_data, train_labels

    def __getitem__(self, i):
        img, target = self.images[i], int(self.labels[i])
        return (self.transform(img) if self.transform else img), \
            (self.target_transform(target) if self.target_transform else target)


FashionMNIST = MNIST


class CIFAR10:
    """32×32 colour images, 256 to train on and 128 to test on."""

    def __init__(self, root, train=True, download=False, transform=None, target_transform=None):
        rng = np.random.default_rng(3 if train else 4)
        n = 256 if train else 128
        self.targets = rng.integers(0, 10, size=n)
        self.data = (rng.uniform(0, 100, size=(n, 32, 32, 3)) + self.targets[:, None, None, None] * 15).astype(np.uint8)
        self.transform, self.target_transform = transform, target_transform

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, i):
        img, target = self.data[i], int(self.targets[i])
        return (self.transform(img) if self.transform else img), \
            (self.target_transform(target) if self.target_transform else target)


class ImageFolder:
    def __init__(self, root, transform=None):
        rng = np.random.default_rng(2)
        self.images = rng.integers(0, 256, size=(16, 64, 64, 3)).astype(np.uint8)
        self.transform = transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.transform(self.images[i]), 0
