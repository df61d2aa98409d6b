"""Time a print batch of course certificates (SPEC 7: 60 certificates as PDF in under 3 s).

Run: `python -m bench.certificates [--count N] [--repeat R]`.
Renders N certificates with `render_many` on each of Socialstyrelsen's forms (read from
`../shared/reference/forms/` beside the repository; skipped with a message when absent) and
with the product's own rendition, and prints the best of R runs for each. Every run starts
with an empty parsed-form cache, so the one parse per form is inside the time.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import time
from pathlib import Path

from stportal.certificates.pdf import (
    CertificateData,
    RenderItem,
    clear_form_cache,
    render_many,
)

LIMIT_SECONDS = 3.0
FORMS_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "reference" / "forms"
FORM_FILES = {
    "2015": "sosfs-2015-8-bilaga-5-kurs.pdf",
    "2021": "hslf-fs-2021-8-bilaga-10-kurs.pdf",
}


def participants(version: str, count: int) -> list[CertificateData]:
    base = CertificateData(
        curriculum_version=version,  # type: ignore[arg-type]
        bilaga_nr="",
        last_name="Öberg",
        first_name="Åsa",
        personal_id="198503151234",
        specialty="Allmänmedicin",
        goal_codes=("a1", "a2", "b1") if version == "2015" else ("STa4", "STa5", "STb1"),
        subject="Etik, mångfald och jämlikhet",
        period_start=dt.date(2027, 3, 22),
        period_end=dt.date(2027, 3, 26),
        course_leader="Göran Ärlig",
        description=(
            "Kursen behandlar etiska principer i vården, mångfald och jämlikhet, med "
            "föreläsningar på förmiddagarna och gruppövningar på eftermiddagarna. " * 3
        ),
        certifier_role="kursledare",
        certifier_name="Björn Sjöström",
        certifier_specialty="Psykiatri",
        certifier_workplace="Norrlands universitetssjukhus, Umeå",
        place_and_date="Umeå 2027-03-26",
    )
    return [
        dataclasses.replace(
            base,
            last_name=f"Öberg {n}",
            verification_code=f"K7QF-3MZP-{n:04d}",
            verification_url=f"https://stportal.example.se/intyg/verifiera/K7QF-3MZP-{n:04d}",
        )
        for n in range(count)
    ]


def best_of(repeat: int, items: list[RenderItem]) -> tuple[float, int]:
    best = float("inf")
    size = 0
    for _ in range(repeat):
        clear_form_cache()
        start = time.perf_counter()
        pdfs = render_many(items)
        best = min(best, time.perf_counter() - start)
        size = sum(len(pdf) for pdf in pdfs)
    return best, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    cases: list[tuple[str, list[RenderItem]]] = []
    for version, name in FORM_FILES.items():
        path = FORMS_DIR / name
        if not path.is_file():
            print(f"{version} form: skipped, {name} is not in ../shared/reference/forms/")
            continue
        form = path.read_bytes()
        label = f"{version} form ({name})"
        cases.append((label, [RenderItem(d, form) for d in participants(version, args.count)]))
    for version in ("2015", "2021"):
        items = [RenderItem(d) for d in participants(version, args.count)]
        cases.append((f"{version} own rendition", items))

    failed = False
    for label, items in cases:
        seconds, size = best_of(args.repeat, items)
        verdict = "ok" if seconds < LIMIT_SECONDS else "TOO SLOW"
        failed |= seconds >= LIMIT_SECONDS
        print(
            f"{label}: {len(items)} certificates in {seconds:.3f} s "
            f"(best of {args.repeat}; {seconds / len(items) * 1000:.1f} ms each, "
            f"{size / len(items) / 1024:.0f} KiB each) {verdict}"
        )
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
