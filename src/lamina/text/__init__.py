"""lamina.text (being built)."""
