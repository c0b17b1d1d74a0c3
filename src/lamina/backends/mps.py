"""Apple's Metal backend, as PyTorch programs ask for it: not available in lamina."""

__all__ = ["is_available", "is_built"]


def is_available() -> bool:
    """False: lamina computes with NumPy on the CPU."""
    return False


def is_built() -> bool:
    """False: lamina has no Metal backend."""
    return False
