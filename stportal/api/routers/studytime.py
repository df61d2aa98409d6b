"""Study time (SPEC 5)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["study time"])
