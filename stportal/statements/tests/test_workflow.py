"""The states of a supervisor statement (P5), as pure rules with property tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stportal.statements import workflow as wf

states = st.sampled_from(wf.STATES)
actions = st.sampled_from(wf.ACTIONS)
roles = st.sampled_from(wf.ROLES)
comments = st.text(max_size=20)


def test_the_supervisor_submits_and_the_director_reviews_or_sends_back_p5():
    assert wf.next_status(wf.DRAFT, wf.EDIT, wf.SUPERVISOR) == wf.DRAFT
    assert wf.next_status(wf.DRAFT, wf.SUBMIT, wf.SUPERVISOR) == wf.READY_FOR_REVIEW
    assert wf.next_status(wf.READY_FOR_REVIEW, wf.ACCEPT, wf.DIRECTOR) == wf.REVIEWED
    assert (
        wf.next_status(wf.READY_FOR_REVIEW, wf.SEND_BACK, wf.DIRECTOR, "Utveckla mål b3.")
        == wf.DRAFT
    )


def test_editing_a_statement_ready_for_review_is_locked_p5():
    with pytest.raises(wf.WorkflowRefusal) as refused:
        wf.next_status(wf.READY_FOR_REVIEW, wf.EDIT, wf.SUPERVISOR)
    assert refused.value.code == wf.LOCKED


def test_sending_back_needs_a_comment_p5():
    with pytest.raises(wf.WorkflowRefusal) as refused:
        wf.next_status(wf.READY_FOR_REVIEW, wf.SEND_BACK, wf.DIRECTOR, "   ")
    assert refused.value.code == wf.COMMENT_REQUIRED


@given(states, actions, roles, comments)
def test_only_the_listed_transitions_happen_p5(status, action, role, comment):
    """Any state, action, role and comment: the result is the transition's target when the
    role, source state and comment fit, a refusal otherwise, never anything else."""
    transition = wf.TRANSITIONS[action]
    fits = (
        role == transition.by
        and status == transition.source
        and (action != wf.SEND_BACK or comment.strip())
    )
    try:
        result = wf.next_status(status, action, role, comment)
    except wf.WorkflowRefusal as refused:
        assert not fits
        assert refused.code in (
            wf.LOCKED,
            wf.INVALID_TRANSITION,
            wf.NOT_ALLOWED,
            wf.COMMENT_REQUIRED,
        )
    else:
        assert fits
        assert result == transition.target


@given(states, actions, comments)
def test_a_director_never_edits_and_a_supervisor_never_reviews_p5(status, action, comment):
    for role in wf.ROLES:
        if wf.TRANSITIONS[action].by != role:
            with pytest.raises(wf.WorkflowRefusal) as refused:
                wf.next_status(status, action, role, comment)
            assert refused.value.code == wf.NOT_ALLOWED


@given(states)
def test_the_text_changes_only_in_draft_p5(status):
    assert wf.may_edit(status) == (status == wf.DRAFT)
    assert (wf.EDIT in wf.allowed_actions(status, frozenset(wf.ROLES))) == (status == wf.DRAFT)


@given(st.lists(st.tuples(actions, roles, comments), max_size=30))
def test_a_reviewed_statement_is_final_and_every_walk_stays_in_the_states_p5(steps):
    status = wf.DRAFT
    for action, role, comment in steps:
        before = status
        try:
            status = wf.next_status(status, action, role, comment)
        except wf.WorkflowRefusal:
            continue
        assert status in wf.STATES
        assert before != wf.REVIEWED  # nothing moves a reviewed statement
        assert action in wf.allowed_actions(before, frozenset({role}))


@given(states)
def test_the_trainee_sees_statements_once_ready_for_review_not_drafts_p5(status):
    assert wf.shown_to_trainee(status) == (status != wf.DRAFT)


def test_an_unknown_state_or_action_is_refused_p5():
    with pytest.raises(wf.WorkflowRefusal):
        wf.next_status("archived", wf.EDIT, wf.SUPERVISOR)
    with pytest.raises(wf.WorkflowRefusal):
        wf.next_status(wf.DRAFT, "publish", wf.SUPERVISOR)
