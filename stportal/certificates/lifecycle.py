"""The states of a course certificate (C19): pure rules, no Django.

issued → printed → signed → handed_out | posted, each with its date; any state but revoked
may be revoked (with a reason) or, for a lost original, replaced by a new original.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping

from stportal.registrations.rules import CoreError

ISSUED = "issued"
PRINTED = "printed"
SIGNED = "signed"
HANDED_OUT = "handed_out"
POSTED = "posted"
REVOKED = "revoked"

STATES: tuple[str, ...] = (ISSUED, PRINTED, SIGNED, HANDED_OUT, POSTED, REVOKED)
TRACKED: tuple[str, ...] = (PRINTED, SIGNED, HANDED_OUT, POSTED)

FORWARD: Mapping[str, frozenset[str]] = {
    ISSUED: frozenset({PRINTED}),
    PRINTED: frozenset({SIGNED}),
    SIGNED: frozenset({HANDED_OUT, POSTED}),
    HANDED_OUT: frozenset(),
    POSTED: frozenset(),
    REVOKED: frozenset(),
}

# The certificate's field that keeps the date of each tracked state.
DATE_FIELDS: Mapping[str, str] = {
    PRINTED: "printed_on",
    SIGNED: "signed_on",
    HANDED_OUT: "handed_out_on",
    POSTED: "posted_on",
}


def predecessor(target: str) -> str | None:
    """The state a certificate must be in to move to `target` (signed for both ends)."""
    for state, targets in FORWARD.items():
        if target in targets:
            return state
    return None


def can_move(current: str, target: str) -> bool:
    return target in FORWARD.get(current, frozenset())


def check_move(current: str, target: str, *, on: dt.date, today: dt.date) -> None:
    """Refuse a state change C19 does not allow (`invalid_transition`) or a date ahead
    (`date_in_future`)."""
    if target not in TRACKED:
        raise CoreError("invalid_state", f"Okänt läge för ett intyg: {target}.")
    if not can_move(current, target):
        raise CoreError(
            "invalid_transition", f"Intyget kan inte gå från läget {current} till {target}."
        )
    if on > today:
        raise CoreError("date_in_future", "Datumet har inte kommit än.")


def can_revoke(current: str) -> bool:
    return current != REVOKED


# Crockford's base 32: no I, L, O or U, so a code read aloud or typed from paper is not
# mistaken. 16 characters carry 80 random bits: unguessable, and short enough for a phone.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS = 4
GROUP_LENGTH = 4


def new_verification_code() -> str:
    """A fresh, unguessable verification code such as "7KQF-3MZP-XW9D-2B4T"."""
    groups = (
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def normalise_code(text: str) -> str:
    """A code as someone typed it ("7kqf 3mzp-xw9d2b4t") in its stored form, or "" when it
    cannot be one."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)
    if len(compact) != CODE_GROUPS * GROUP_LENGTH or any(ch not in ALPHABET for ch in compact):
        return ""
    return "-".join(compact[i : i + GROUP_LENGTH] for i in range(0, len(compact), GROUP_LENGTH))
