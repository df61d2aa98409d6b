"""Funding applications for courses (ST-medel, SPEC 5 P3): apply, decide, invoice details, spending
per area and year."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["funding"])
