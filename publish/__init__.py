"""Versioned, immutable, validated open-data releases of the warehouse."""

from publish.gate import GateFailed  # noqa: F401
from publish.release import run as publish_release  # noqa: F401
