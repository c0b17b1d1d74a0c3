"""Attributes PyTorch programs set on cuDNN; lamina has no cuDNN, so they change nothing."""

__all__ = ["benchmark", "deterministic", "enabled", "is_available"]

enabled = True
benchmark = False
deterministic = False


def is_available() -> bool:
    """False: lamina computes with NumPy on the CPU."""
    return False
