import numpy as np
import torch


class Compose:
    def __init__(self, ts):
        self.ts = ts

    def __call__(self, x):
        for t in self.ts:
            x = t(x)
        return x


class ToTensor:
    """An (H, W) or (H, W, C) uint8 image -> a (C, H, W) float tensor in [0, 1]."""

    def __call__(self, img):
        img = np.asarray(img, dtype=np.float32) / 255.0
        return torch.from_numpy(np.ascontiguousarray(img[None] if img.ndim == 2 else img.transpose(2, 0, 1)))


class Normalize:
    def __init__(self, mean, std, inplace=False):
        # (one number is every channel's, as torchvision's torch.as_tensor(mean) takes it: Normalize((0.5), (0.5)))
        mean, std = ([v] if isinstance(v, (int, float)) else v for v in (mean, std))
        self.mean, self.std = [float(m) for m in mean], [float(s) for s in std]

    def __call__(self, x):
        if len(set(self.mean)) == 1 and len(set(self.std)) == 1:
            return (x - self.mean[0]) / self.std[0]
        mean = torch.tensor(self.mean[:x.shape[0]]).view(-1, 1, 1)
        std = torch.tensor(self.std[:x.shape[0]]).view(-1, 1, 1)
        return (x - mean) / std


class Lambda:
    def __init__(self, fn):
        self.fn = fn

    def __call__(self, x):
        return self.fn(x)


class Resize:
    """Nearest-neighbour resize of an (H, W) image to ``size`` (an int, or (h, w))."""

    def __init__(self, size, *args, **kwargs):
        self.size = (size, size) if isinstance(size, int) else tuple(size)

    def __call__(self, x):
        x = np.asarray(x)
        if x.ndim != 2 or x.shape == self.size:
            return x
        rows = np.arange(self.size[0]) * x.shape[0] // self.size[0]
        cols = np.arange(self.size[1]) * x.shape[1] // self.size[1]
        return x[rows][:, cols]


class CenterCrop(Resize):
    pass
