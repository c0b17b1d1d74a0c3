"""``make recipes`` reads README's recipe table: every row must give it a figure to check."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("check_recipes", ROOT / "scripts/check_recipes.py")
check_recipes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_recipes)


def _table_rows() -> list[str]:
    text = (ROOT / "README.md").read_text()
    table = text.split("## Recipes", 1)[1].split("\n## ", 1)[0]
    return [line.split("`")[1] for line in table.splitlines() if line.startswith("| `")]


def test_every_recipe_row_states_a_figure_that_make_recipes_checks() -> None:
    claimed = [name for name, _, _ in check_recipes.claims((ROOT / "README.md").read_text())]
    assert claimed == _table_rows()


def test_figures_are_compared_as_readme_rounds_them() -> None:
    assert check_recipes.measured("test_accuracy", 0.97849, "97.8") == "97.8"
    assert check_recipes.measured("test_exact_match", 0.996, "99.6") == "99.6"
    assert check_recipes.measured("test_perplexity", 6.2549, "6.3") == "6.3"
    assert check_recipes.measured("test_map50", 0.99281, "0.9928") == "0.9928"


def test_an_unknown_recipe_name_is_refused() -> None:
    assert check_recipes.main(["no-such-recipe"]) == 2
