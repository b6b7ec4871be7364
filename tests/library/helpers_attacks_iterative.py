"""What the torch-free tests of test_attacks_iterative.py share with its comparisons with PyTorch
(tests/pytorch/test_attacks_iterative.py)."""

import minigan.functional as F
from minigan import nn


class SmallConv(nn.Module):
    """Conv → ReLU → Dropout → Linear, sized to any (C, H, W): modes that matter, any image size."""

    def __init__(self, shape=(1, 6, 6), classes=4):
        super().__init__()
        c, h, w = shape
        self.conv = nn.Conv2d(c, 3, 3, padding=1)
        self.flatten = nn.Flatten()
        self.drop = nn.Dropout(0.5)
        self.fc = nn.Linear(3 * h * w, classes)

    def forward(self, x):
        return self.fc(self.drop(self.flatten(F.relu(self.conv(x)))))
