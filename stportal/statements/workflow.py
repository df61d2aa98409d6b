"""The states of a supervisor statement (P5): pure rules, no Django.

    draft --submit (supervisor)--> ready_for_review --accept (director)--> reviewed
      ^                                   |
      +------send_back (director, with a comment)

The text is edited only while the statement is a draft; once ready for review it is locked
until the study director sends it back. A reviewed statement is final. Who is the supervisor or
the director is decided elsewhere (`statements.permissions`); here a role word is given.

The trainee reads their statements once they are ready for review, not drafts: a draft is the
supervisor's work in progress (`shown_to_trainee`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DRAFT = "draft"
READY_FOR_REVIEW = "ready_for_review"
REVIEWED = "reviewed"
STATES: tuple[str, ...] = (DRAFT, READY_FOR_REVIEW, REVIEWED)

# Who acts: the trainee's supervisor, or their study director.
SUPERVISOR = "supervisor"
DIRECTOR = "director"
ROLES: tuple[str, ...] = (SUPERVISOR, DIRECTOR)

# What is done to a statement.
EDIT = "edit"
SUBMIT = "submit"
ACCEPT = "accept"
SEND_BACK = "send_back"
ACTIONS: tuple[str, ...] = (EDIT, SUBMIT, ACCEPT, SEND_BACK)

# The machine codes a refusal carries (the service words them for people).
LOCKED = "locked"  # editing a statement that is no longer a draft (409 `locked`)
INVALID_TRANSITION = "invalid_transition"  # the action does not apply in this state
NOT_ALLOWED = "not_allowed"  # this role may not take this action
COMMENT_REQUIRED = "comment_required"  # sending back without saying why


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    by: str


TRANSITIONS: Mapping[str, Transition] = {
    EDIT: Transition(EDIT, DRAFT, DRAFT, SUPERVISOR),
    SUBMIT: Transition(SUBMIT, DRAFT, READY_FOR_REVIEW, SUPERVISOR),
    ACCEPT: Transition(ACCEPT, READY_FOR_REVIEW, REVIEWED, DIRECTOR),
    SEND_BACK: Transition(SEND_BACK, READY_FOR_REVIEW, DRAFT, DIRECTOR),
}


class WorkflowRefusal(Exception):
    """The rules said no; `code` is one of the codes above."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def may_edit(status: str) -> bool:
    """The text may change only while the statement is a draft."""
    return status == DRAFT


def shown_to_trainee(status: str) -> bool:
    """The trainee sees a statement once it has been marked ready for review (not drafts)."""
    return status in (READY_FOR_REVIEW, REVIEWED)


def next_status(status: str, action: str, role: str, comment: str = "") -> str:
    """The state after `role` takes `action` on a statement in `status`, or a refusal.

    The role is checked first (a director never edits, a supervisor never reviews), then the
    state (editing a locked statement is `locked`), then the comment a send-back needs.
    """
    transition = TRANSITIONS.get(action)
    if transition is None or status not in STATES:
        raise WorkflowRefusal(INVALID_TRANSITION)
    if role != transition.by:
        raise WorkflowRefusal(NOT_ALLOWED)
    if status != transition.source:
        raise WorkflowRefusal(LOCKED if action in (EDIT, SUBMIT) else INVALID_TRANSITION)
    if action == SEND_BACK and not comment.strip():
        raise WorkflowRefusal(COMMENT_REQUIRED)
    return transition.target


def allowed_actions(status: str, roles: frozenset[str]) -> frozenset[str]:
    """What someone holding `roles` may do to a statement in `status` now (a send-back
    still needs its comment)."""
    return frozenset(t.action for t in TRANSITIONS.values() if t.by in roles and t.source == status)
