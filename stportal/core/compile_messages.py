"""Compile every .po catalogue of the project to .mo with Babel (no system gettext needed)."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_all(root: Path) -> int:
    count = 0
    for po_path in sorted(root.glob("**/locale/*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        count += 1
    return count


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    count = compile_all(root)
    print(f"compiled {count} message catalogue(s)")
    if count == 0:
        sys.exit("no message catalogues found")


if __name__ == "__main__":
    main()
