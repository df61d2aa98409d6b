"""How an answer's plain text is laid out (SPEC 5 P10): paragraphs separated by blank lines,
and lists of lines that start with "- " or "• ". Plain data in, blocks out; the template
escapes every piece, so staff write no HTML."""

from __future__ import annotations

from dataclasses import dataclass

BULLETS = ("- ", "• ", "* ")


@dataclass(frozen=True)
class Block:
    kind: str  # "p" or "ul"
    lines: tuple[str, ...]


def _bullet(line: str) -> str | None:
    stripped = line.strip()
    for mark in BULLETS:
        if stripped.startswith(mark):
            return stripped[len(mark) :].strip()
    return None


def blocks(text: str) -> list[Block]:
    """The answer as paragraphs (lines kept) and bulleted lists, in order."""
    found: list[Block] = []
    for chunk in text.replace("\r\n", "\n").replace("\r", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        paragraph: list[str] = []
        items: list[str] = []
        for line in lines:
            item = _bullet(line)
            if item is not None:
                if paragraph:
                    found.append(Block("p", tuple(paragraph)))
                    paragraph = []
                items.append(item)
            else:
                if items:
                    found.append(Block("ul", tuple(items)))
                    items = []
                paragraph.append(line.strip())
        if paragraph:
            found.append(Block("p", tuple(paragraph)))
        if items:
            found.append(Block("ul", tuple(items)))
    return found
