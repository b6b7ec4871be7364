"""How PyTorch lays out an image op's result: minigan/surface/layout.py (cat reads the same rule), here under the
name the image ops import it by."""

from minigan.surface.layout import channels_last, laid_out  # noqa: F401
