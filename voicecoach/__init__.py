"""voicecoach: a hands-free, offline voice coach for stretching routines."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("voicecoach")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
