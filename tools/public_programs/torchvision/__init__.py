"""A stand-in for torchvision, so that public PyTorch programs run without downloads: its datasets are small
synthetic images of the real shapes (through whichever ``torch`` the program imported), its transforms
convert and normalise them, and its image utilities draw nothing."""

from torchvision import datasets, transforms, utils  # noqa: F401
