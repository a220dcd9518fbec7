"""Clearance: ownership-based sales-restriction screening."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("clearance")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"
