"""What the torch-free tests of test_pytorch_surface.py share with its comparisons with PyTorch
(tests/pytorch/test_pytorch_surface.py)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
