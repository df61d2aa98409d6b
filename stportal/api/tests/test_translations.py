"""STYLE rule 10: every user-facing string of the API is translatable, and the Swedish
catalogue translates each one (Swedish is the default language, SPEC 3)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted((ROOT / "api").glob("*.py")),
    *sorted((ROOT / "api" / "routers").glob("*.py")),
    ROOT / "accounts" / "tokens.py",
    ROOT / "accounts" / "selectors.py",
    ROOT / "courses" / "selectors.py",
    ROOT / "accounts" / "management" / "commands" / "apitoken.py",
]
# Django merges every app's catalogue with the project's; a message may live in any of them.
CATALOGUES = sorted(ROOT.glob("**/locale/sv/LC_MESSAGES/django.po"))
KEYWORDS = {"_": None, "gettext": None, "gettext_lazy": None}


def test_swedish_catalogue_translates_every_message_of_the_api():
    translated: dict[str, str] = {}
    fuzzy: list[str] = []
    for path in CATALOGUES:
        with path.open("rb") as handle:
            for entry in read_po(handle):
                if entry.id and entry.string:
                    translated.setdefault(entry.id, entry.string)
                if entry.id and entry.fuzzy:
                    fuzzy.append(entry.id)
    wanted = {
        message
        for source in SOURCES
        for _line, message, _comments, _context in extract_from_file(
            "python", str(source), keywords=KEYWORDS
        )
    }
    assert wanted, "no messages found: is extraction looking at the right files?"
    missing = sorted(m for m in wanted if m not in translated)
    assert missing == []
    assert fuzzy == []


def _empty(string) -> bool:
    if isinstance(string, tuple):
        return not all(string)
    return not string


def test_no_catalogue_holds_an_empty_translation():
    """An entry with an empty translation shadows the same message translated in another
    app's catalogue (the project's catalogue is read first), and the reader gets English."""
    empty = [
        (path.relative_to(ROOT).as_posix(), entry.id)
        for path in CATALOGUES
        for entry in read_po(path.open("rb"))
        if entry.id and _empty(entry.string)
    ]
    assert empty == []
