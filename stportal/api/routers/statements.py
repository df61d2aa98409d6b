"""Supervisor statements (handledarutlåtanden, SPEC 5 P5): draft, ready for review, reviewed; every
version kept."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["statements"])
