"""The ``lamina`` command line: recipes, train, evaluate, predict, generate, summary."""
