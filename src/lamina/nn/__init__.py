"""Neural-network building blocks."""

from lamina.nn import functional

__all__ = ["functional"]
