"""``lamina`` (or ``python -m lamina``): train and use the recipes from a terminal.

Errors are one line on stderr and exit status 2; nothing here computes what the library
does not offer to Python users too (``lamina.cli.runs``).
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from lamina import distributed, memory
from lamina.cli.predict_files import format_predictions, write_predictions
from lamina.cli.recipes import RECIPES, recipe_text
from lamina.cli.runs import (
    MAX_LENGTH,
    MAX_SEED,
    RunError,
    evaluate,
    generate,
    resolve_recipe,
    resume,
    train,
)

__all__ = ["main"]


_MPI_HELP = """\
data-parallel training (pip install 'lamina[mpi]'):
  mpiexec -n 2 lamina train lenet-mnist          two processes on this machine
  mpiexec -f hosts -n 8 lamina train lenet-mnist  8 processes on the machines in 'hosts'
each process trains on its own shard of the data with batch size / N (the recipe's batch
size stays the global one) and only gradients are exchanged; rank 0 prints and writes the
one run folder."""

MAX_COUNT = 10**9  # epochs, batch size, steps: a larger value is a typo, not a plan


class _Parser(argparse.ArgumentParser):
    """argparse with the error as one line (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="lamina", description="Train and use lamina's recipes.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    r = sub.add_parser("recipes", help="list the recipes, or print one's TOML file")
    r.add_argument("--show", metavar="NAME", help="print recipe NAME's file, to copy and edit")
    t = sub.add_parser(
        "train",
        help="train a recipe into a run folder",
        epilog=_MPI_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    t.add_argument(
        "recipe",
        nargs="?",
        help="recipe name or .toml/.json file (default: lenet-mnist; with --data, the default "
        "for that kind of data)",
    )
    t.add_argument("--data", help="your data: a .csv table, a .npz/.npy array, an image folder")
    t.add_argument("--target", help="the CSV column (or labels .npy) to predict")
    t.add_argument("--resume", metavar="RUN_DIR", help="continue an interrupted run")
    t.add_argument("--epochs", type=int, help="number of epochs (default: the recipe's)")
    t.add_argument("--batch-size", type=int, help="samples per batch (default: the recipe's)")
    t.add_argument("--lr", type=float, help="learning rate (default: the recipe's)")
    t.add_argument("--seed", type=int, help="random seed (default: the recipe's, else 0)")
    t.add_argument("--out", help="run folder (default: runs/<recipe>-<timestamp>)")
    t.add_argument("--steps-per-epoch", type=int, help="stop each epoch after this many batches")
    t.add_argument("--quiet", action="store_true", help="no progress output")
    t.add_argument("--no-attention", action="store_true", help="a seq2seq recipe without attention")
    t.add_argument(
        "--overwrite", action="store_true", help="replace the run already in --out (deletes it)"
    )
    e = sub.add_parser("evaluate", help="evaluate a run folder on its test split")
    e.add_argument("run")
    pr = sub.add_parser("predict", help="predict for arrays, CSV rows, images or image folders")
    pr.add_argument("run")
    pr.add_argument("file", nargs="+")
    pr.add_argument("--out", help="write the predictions to this CSV file")
    g = sub.add_parser("generate", help="sample text from a language-model run")
    g.add_argument("run")
    g.add_argument("--length", type=int, default=300)
    g.add_argument("--temperature", type=float, default=0.8)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--prime", default="The ")
    g.add_argument(
        "--top-k",
        type=int,
        help="sample among the K most probable tokens only (1: greedy; default: all)",
    )
    tr = sub.add_parser(
        "translate", help="decode text with a seq2seq run (seq2seq-dates, g2p-cmudict)"
    )
    tr.add_argument("run")
    tr.add_argument("text", nargs="+")
    tr.add_argument("--beam", type=int, help="beam search of this width (default: greedy)")
    s = sub.add_parser(
        "summary", help="show a recipe's model or a zoo network (resnet18, ...), layer by layer"
    )
    s.add_argument("recipe", help="a recipe, or a zoo network: " + ", ".join(_zoo_names()))
    s.add_argument("--input", help="a zoo network's input shape, e.g. 3,224,224 (its default)")
    s.add_argument("--classes", type=int, help="a zoo network's number of classes")
    x = sub.add_parser("export", help="write a run's model as ONNX or safetensors")
    x.add_argument("run")
    x.add_argument("--format", choices=["onnx", "safetensors"], required=True)
    x.add_argument("--out", help="output file (default: RUN/model.onnx or .safetensors)")
    return p


def _check(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Every numeric flag in its range, or one error line naming the flag (exit 2)."""
    for name in ("epochs", "batch_size", "steps_per_epoch"):
        value = getattr(args, name, None)
        if value is not None and not 0 < value <= MAX_COUNT:
            flag = name.replace("_", "-")
            parser.error(f"--{flag} must be a positive integer up to {MAX_COUNT}, got {value}")
    length = getattr(args, "length", None)
    if length is not None and not 0 < length <= MAX_LENGTH:
        parser.error(f"--length must be a positive integer up to {MAX_LENGTH}, got {length}")
    seed = getattr(args, "seed", None)
    if seed is not None and not 0 <= seed <= MAX_SEED:
        parser.error(f"--seed must be an integer in [0, {MAX_SEED}], got {seed}")
    top_k = getattr(args, "top_k", None)
    if top_k is not None and not 0 < top_k <= MAX_LENGTH:
        parser.error(f"--top-k must be a positive integer up to {MAX_LENGTH}, got {top_k}")
    for name in ("lr", "temperature"):
        value = getattr(args, name, None)
        if value is not None and not (math.isfinite(value) and value > 0):
            parser.error(f"--{name} must be a finite number > 0, got {value}")
    if args.command == "summary":
        _check_zoo_flags(parser, args)


def _check_zoo_flags(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """--input (positive sizes, comma-separated) and --classes only with a zoo network."""
    if (args.input or args.classes is not None) and args.recipe not in _zoo_names():
        parser.error(f"--input and --classes take a zoo network ({', '.join(_zoo_names())})")
    if args.classes is not None and not 0 < args.classes <= MAX_COUNT:
        parser.error(f"--classes must be a positive integer up to {MAX_COUNT}, got {args.classes}")
    if args.input is not None:
        parts = args.input.split(",")
        if not all(p.strip().isdigit() and 0 < int(p) <= 4096 for p in parts):
            parser.error(f"--input must be sizes in [1, 4096] joined by commas, got {args.input}")


def _train(args: argparse.Namespace) -> tuple[Any, dict[str, float]]:
    verbose = 0 if args.quiet else 1
    if args.resume:
        given = [
            f
            for f in (
                "recipe",
                "data",
                "target",
                "epochs",
                "batch_size",
                "lr",
                "seed",
                "out",
                "steps_per_epoch",
            )
            if getattr(args, f) is not None
        ]
        if given:
            raise RunError(
                f"--resume continues the run as its config.json says; drop {', '.join(given)}"
            )
        return resume(args.resume, verbose)
    return train(
        args.recipe,
        args.epochs,
        args.batch_size,
        args.lr,
        args.seed,
        args.out,
        verbose,
        args.steps_per_epoch,
        args.overwrite,
        data=args.data,
        target=args.target,
        attention="none" if args.no_attention else None,
    )


def _run(args: argparse.Namespace) -> None:
    if args.command == "recipes":
        if args.show:
            print(recipe_text(args.show), end="")
        for r in RECIPES.values() if not args.show else []:
            print(f"{r.name:18s} {r.description}")
    elif args.command == "train":
        if not distributed.is_main():  # under mpiexec rank 0 reports
            logging.getLogger().setLevel(logging.WARNING)
        run, results = _train(args)
        shown = (
            "test_accuracy",
            "test_rmse",
            "test_perplexity",
            "test_loss",
            "test_map50",
            "test_verification_accuracy",
            "test_auc",
            "test_exact_match",
            "test_word_accuracy",
            "test_phoneme_error_rate",
            "test_token_accuracy",
        )
        for key in shown:
            if key in results and distributed.is_main():
                print(f"{key}: {results[key]:.4f}")
        if distributed.is_main():
            print(f"run folder: {run}")
    elif args.command == "evaluate":
        for key, value in evaluate(args.run).items():
            print(f"{key}: {value:.4f}")
    elif args.command == "predict":
        header, rows = format_predictions(args.run, args.file)
        if args.out:
            write_predictions(header, rows, args.out)
            print(f"{len(rows)} predictions written to {args.out}")
        for row in rows if not args.out else []:
            print("\t".join(str(v) for v in row[:3]))
    elif args.command == "generate":
        print(generate(args.run, args.length, args.temperature, args.seed, args.prime, args.top_k))
    elif args.command == "translate":
        from lamina.cli.seq2seq_runs import translate

        if args.beam is not None and not 0 < args.beam <= 1000:
            raise RunError(f"--beam must be a positive integer up to 1000, got {args.beam}")
        print("\n".join(translate(args.run, args.text, args.beam)))
    elif args.command == "export":
        from lamina.cli.export import export_run

        print(export_run(args.run, args.format, args.out))
    elif args.command == "summary":
        import numpy as np

        from lamina.nn.model_summary import summary

        if args.recipe in _zoo_names():
            from lamina.models.zoo import build_zoo_model

            shape = tuple(int(n) for n in args.input.split(",")) if args.input else None
            net, shape = build_zoo_model(args.recipe, shape, args.classes)
            print(summary(net, shape, batch_size=1))  # one image: seconds even at 224x224
            return
        recipe = resolve_recipe(args.recipe, {})
        data_extra = recipe.data(0).extra
        print(
            summary(
                recipe.build(data_extra),
                recipe.input_shape(data_extra),
                np.dtype(recipe.input_dtype),
            )
        )


def _zoo_names() -> list[str]:
    from lamina.models.zoo import ZOO

    return list(ZOO)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    _check(parser, args)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    memory.apply_default()  # this process is ours: keep freed memory for reuse (lamina.memory)
    try:
        _run(args)
    except (RunError, KeyError, ValueError, ImportError, OSError) as e:
        message = e.args[0] if isinstance(e, KeyError) and e.args else e
        if isinstance(e, OSError) and e.filename is not None:
            message = f"{e.filename}: {e.strerror or e}"
        one_line = " ".join(str(message).split())
        print(f"lamina: error: {one_line}", file=sys.stderr)
        if distributed.world_size() > 1:
            distributed.abort(2)  # the other ranks would wait for this one forever
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
