"""Swedish dates (issue 9, rule fix 8): the product never takes the calendar day of an aware
instant with a bare `.date()`, which gives the day in UTC (the server's zone) rather than in
Stockholm; between 22:00 and 24:00 UTC the two differ. Use `core.dates.local_date`.

Ruff's DTZ rules catch `datetime.now()` and `date.today()` but not `.date()` on an instant,
so this test walks the product's syntax trees. A `.date()` is allowed only on an instant just
moved to a named zone: `x.astimezone(ZONE).date()` or `datetime.now(tz=ZONE).date()`.
"""

from __future__ import annotations

import ast
from pathlib import Path

PRODUCT = Path(__file__).resolve().parents[2]


def _zoned(receiver: ast.expr) -> bool:
    """`something.astimezone(ZONE)` or `datetime.now(tz=ZONE)` / `now(ZONE)`."""
    if not isinstance(receiver, ast.Call) or not isinstance(receiver.func, ast.Attribute):
        return False
    name = receiver.func.attr
    if name == "astimezone":
        return bool(receiver.args or receiver.keywords)
    if name == "now":
        return bool(receiver.args) or any(k.arg == "tz" for k in receiver.keywords)
    return False


def naive_date_calls(source: str) -> list[int]:
    """Line numbers of `.date()` called with no arguments on anything but a zoned instant."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "date"
            and not node.args
            and not node.keywords
            and not _zoned(node.func.value)
        ):
            found.append(node.lineno)
    return found


def product_files() -> list[Path]:
    return sorted(
        path
        for path in PRODUCT.rglob("*.py")
        if not {"tests", "browser_tests", "migrations"} & set(path.relative_to(PRODUCT).parts)
    )


def test_the_checker_catches_the_naive_forms_and_lets_the_zoned_ones_pass():
    """The check itself: it fails on `timezone.now().date()` and `fee.charged_at.date()`,
    and passes `local_date(...)` and an instant moved to Stockholm first."""
    naive = "timezone.now().date()\nfee.charged_at.date()\nnow.date()\n"
    assert naive_date_calls(naive) == [1, 2, 3]
    zoned = (
        "local_date(now)\n"
        "instant.astimezone(STOCKHOLM).date()\n"
        "dt.datetime.now(tz=STOCKHOLM).date()\n"
        "dt.date(2027, 3, 22)\n"
    )
    assert naive_date_calls(zoned) == []


def test_no_product_module_takes_the_utc_day_of_an_instant():
    """Issue 9: the not-seated sweep and the fee report used the server's UTC date."""
    files = product_files()
    assert len(files) > 50, "no product modules found: is the scan looking in the right place?"
    offenders = [
        f"{path.relative_to(PRODUCT)}:{line}"
        for path in files
        for line in naive_date_calls(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
