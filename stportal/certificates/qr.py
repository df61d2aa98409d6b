"""The verification QR code as filled rectangles, ready for any PDF backend (C19).

segno is pure Python (no Pillow, no system library) and maintained; we only need the module
matrix, which we draw as vector rectangles so the code stays sharp at any print resolution.
"""

from __future__ import annotations

from functools import lru_cache

import segno

Rect = tuple[float, float, float, float]  # x, y, width, height in points, y upwards

QUIET_MODULES = 2  # the page's white margin around the symbol adds to this quiet zone


@lru_cache(maxsize=256)
def qr_matrix(text: str) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules of the smallest QR code for `text`, top row first."""
    # Error level L keeps the modules as large as possible in a small margin; segno raises the
    # level by itself when that fits in the same symbol version.
    code = segno.make(text, error="l", micro=False)
    return tuple(tuple(bool(cell) for cell in row) for row in code.matrix)


def qr_rects(text: str, x: float, y: float, size: float) -> tuple[Rect, ...]:
    """Rectangles that draw `text`'s QR code in the square (x, y, size, size), quiet zone
    included; horizontal runs of dark modules are merged into one rectangle each."""
    matrix = qr_matrix(text)
    modules = len(matrix) + 2 * QUIET_MODULES
    unit = size / modules
    rects: list[Rect] = []
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + QUIET_MODULES) * unit
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            left = x + (start + QUIET_MODULES) * unit
            rects.append((left, top - unit, (col - start) * unit, unit))
    return tuple(rects)
