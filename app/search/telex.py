"""Read Vietnamese typed as Telex or VNI keys that the input method did not turn into letters.

A phone whose input method misfired sends "nguwowif" for "người" (Telex) or
"d9a5p" for "đạp" (VNI). `readings(word)` gives every syllable the keys could
stand for; the caller keeps the ones its vocabulary knows, since many plain
words ("tree", "boss") read as keys too.

PyPI's one input-method engine, bogo (1.1, 2014), is unmaintained, and it reads
keystrokes one at a time rather than guessing what a finished word meant, so
the few rules are written out here.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from app.search.analyzers import normalize

ACUTE, GRAVE, HOOK, TILDE, DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
TELEX_TONES = {"s": ACUTE, "f": GRAVE, "r": HOOK, "x": TILDE, "j": DOT}
VNI_TONES = {"1": ACUTE, "2": GRAVE, "3": HOOK, "4": TILDE, "5": DOT}
VOWELS = "aeiouy"
FINALS = ("", "c", "ch", "m", "n", "ng", "nh", "p", "t")
SYLLABLE = re.compile(r"^([^aeiouy]*)([aeiouy]+)([^aeiouy]*)$")


def readings(word: str) -> set[str]:
    """The Vietnamese syllables (NFC, lower case, one tone convention) the keys could mean."""
    word = word.lower()
    if not (word.isascii() and word.isalnum()) or len(word) < 2 or len(word) > 12:
        return set()
    if any(c.isdigit() for c in word):
        return _vni(word)
    found = _telex(word)
    # A key pressed twice ("raccs" for "rác"): the same without the repeat.
    single = re.sub(r"(?<=.)([^aeiouyd])\1", r"\1", word)
    return found | (_telex(single) if single != word else set())


def _telex(word: str) -> set[str]:
    tones: list[str | None] = [None]
    if word[-1] in TELEX_TONES and any(v in word[:-1] for v in VOWELS + "w"):
        tones = [TELEX_TONES[word[-1]]]
        word = word[:-1]
    marks: dict[str, int] = {}
    if word.startswith("dd"):
        word = "d" + word[2:]
        marks["stroke"] = 0
    for doubled in ("aa", "ee", "oo"):
        at = word.find(doubled)
        if at > 0 or (at == 0 and doubled != "oo"):
            word = word[:at] + word[at + 1 :]
            marks["circumflex"] = at
    if "w" in word:
        at = word.find("w")
        word = word.replace("w", "")
        if not any(v in word for v in VOWELS):  # "rwngf": w alone is ư
            word = word[:at] + "u" + word[at:]
        marks["w"] = at
    if not marks and tones == [None]:
        return set()
    return _compose(word, marks, tones)


def _vni(word: str) -> set[str]:
    letters = re.sub(r"\d", "", word)
    if not letters or not letters.isalpha():
        return set()
    tones: list[str | None] = [None]
    marks: dict[str, int] = {}
    position = 0
    for char in word:
        if not char.isdigit():
            position += 1
            continue
        if char in VNI_TONES:
            tones = [VNI_TONES[char]]
        elif char == "6":
            marks["circumflex"] = position
        elif char in "78":
            marks["horn" if char == "7" else "breve"] = position
        elif char == "9":
            marks["stroke"] = 0
        else:
            return set()
    return _compose(letters, marks, tones)


def _compose(word: str, marks: dict[str, int], tones: list[str | None]) -> set[str]:
    """Every spelling that puts the marks and the tone on the syllable's vowels."""
    found = SYLLABLE.match(word)
    if not found or found.group(3) not in FINALS:
        return set()
    start, nucleus, final = found.groups()
    if (start == "q" and nucleus[:1] == "u") or (
        start == "g" and nucleus[:2] in ("ia", "iu", "io")
    ):
        start, nucleus = start + nucleus[0], nucleus[1:]  # "qu", "gi" begin the syllable
    if not nucleus:
        return set()
    head = ("đ" + start[1:]) if "stroke" in marks and start.startswith("d") else start
    options = [
        _marked(nucleus, kind) for kind in ("circumflex", "horn", "breve", "w") if kind in marks
    ]
    results = set()
    for chosen in itertools.product(*options):
        letters = [[c] for c in nucleus]
        for places in chosen:
            for place, mark in places:
                letters[place].append(mark)
        if any(len(c) > 2 for c in letters):
            continue
        for tone, place in itertools.product(tones, range(len(letters))):
            if tone is None and place:
                continue
            shaped = [list(c) for c in letters]
            if tone:
                shaped[place].append(tone)
            text = head + "".join(unicodedata.normalize("NFC", "".join(c)) for c in shaped)
            results.add(normalize(text + final))
    return results


def _marked(nucleus: str, kind: str) -> list[tuple[tuple[int, str], ...]]:
    """Where a mark can go: a circumflex on a, e or o; a horn on o or u, on both in "uo";
    a breve on a. Telex's w is a horn or a breve, wherever it fits."""
    if kind in ("horn", "w") and "uo" in nucleus:
        at = nucleus.index("uo")
        return [((at, HORN), (at + 1, HORN))]
    takes = {
        "circumflex": {"a": CIRCUMFLEX, "e": CIRCUMFLEX, "o": CIRCUMFLEX},
        "horn": {"o": HORN, "u": HORN},
        "breve": {"a": BREVE},
        "w": {"o": HORN, "u": HORN, "a": BREVE},
    }[kind]
    return [((i, takes[c]),) for i, c in enumerate(nucleus) if c in takes]
