"""Issue 9, what people see: no rule codes such as "(C9)" in anything a person reads.

The SPEC's rule numbers belong in tests and code comments. What people read comes from the
translation catalogues and the templates, so both are scanned: every msgid and msgstr of every
catalogue, and every template outside its comments.
"""

from __future__ import annotations

import re
from pathlib import Path

import stportal

ROOT = Path(stportal.__file__).resolve().parent
RULE_CODE = re.compile(r"\((C|P)\d+[a-z]?\)")
COMMENT = re.compile(r"\{% comment %\}.*?\{% endcomment %\}|\{#.*?#\}", re.S)


def _po_messages(path: Path) -> list[str]:
    """Each msgid and msgstr of a catalogue, its continuation lines joined."""
    messages: list[str] = []
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            if current is not None:
                messages.append("".join(current))
            current = [line.split(" ", 1)[1].strip().strip('"')]
        elif line.startswith('"') and current is not None:
            current.append(line.strip().strip('"'))
        else:
            if current is not None:
                messages.append("".join(current))
            current = None
    if current is not None:
        messages.append("".join(current))
    return messages


def test_no_translation_catalogue_shows_a_rule_code():
    """Issue 9: reasons and notices are plain Swedish and English, without "(C9)"."""
    catalogues = sorted(ROOT.rglob("locale/*/LC_MESSAGES/django.po"))
    assert len(catalogues) >= 5
    found = [
        f"{path.relative_to(ROOT)}: {message}"
        for path in catalogues
        for message in _po_messages(path)
        if RULE_CODE.search(message)
    ]
    assert found == []


def test_no_template_shows_a_rule_code():
    """Issue 9: templates carry rule codes only inside their comments."""
    templates = [
        path
        for path in ROOT.rglob("templates/**/*")
        if path.suffix in {".html", ".txt"} and path.is_file()
    ]
    assert len(templates) >= 20
    found = [
        str(path.relative_to(ROOT))
        for path in templates
        if RULE_CODE.search(COMMENT.sub("", path.read_text(encoding="utf-8")))
    ]
    assert found == []


def test_the_scan_catches_a_code_in_a_message(tmp_path):
    """The scan itself: a catalogue with a rule code in a wrapped msgstr is caught."""
    po = tmp_path / "django.po"
    po.write_text(
        'msgid "Seat: no more requests than seats."\nmsgstr ""\n"Plats: inte fler anmälningar "\n'
        '"än platser (C9)."\n',
        encoding="utf-8",
    )
    assert [m for m in _po_messages(po) if RULE_CODE.search(m)] == [
        "Plats: inte fler anmälningar än platser (C9)."
    ]
