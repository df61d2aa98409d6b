"""Two versions side by side with the differences marked (P5: every version viewable)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stportal.statements import compare

paragraphs = st.lists(
    st.text(alphabet="abc åäö\t", min_size=0, max_size=12), min_size=0, max_size=6
).map("\n".join)


def test_a_changed_word_is_marked_on_both_sides_p5():
    rows = compare.side_by_side(
        "Sara har utvecklats väl.\nHon leder team.",
        "Sara har utvecklats mycket väl.\nHon leder team.",
    )
    assert [row.kind for row in rows] == [compare.CHANGED, compare.SAME]
    right = rows[0].right
    assert [p.text for p in right if p.marked] == ["mycket "]
    assert not any(p.marked for p in rows[0].left) or compare.text_of(rows[0].left)
    assert compare.text_of(rows[1].left) == "Hon leder team."


def test_added_and_removed_paragraphs_have_an_empty_other_side_p5():
    rows = compare.side_by_side("Ett.\nTvå.", "Ett.\nTre.\nFyra.")
    kinds = [row.kind for row in rows]
    assert kinds[0] == compare.SAME
    assert compare.ADDED in kinds
    added = next(row for row in rows if row.kind == compare.ADDED)
    assert added.left == () and all(p.marked for p in added.right)


@given(paragraphs, paragraphs)
def test_each_side_reads_back_as_its_version_p5(old, new):
    """Nothing is lost or invented: the left column is the old text, the right the new."""
    rows = compare.side_by_side(old, new)
    left = [compare.text_of(row.left) for row in rows if row.kind != compare.ADDED]
    right = [compare.text_of(row.right) for row in rows if row.kind != compare.REMOVED]
    assert left == old.splitlines()
    assert right == new.splitlines()


@given(paragraphs)
def test_a_version_against_itself_marks_nothing_p5(text):
    rows = compare.side_by_side(text, text)
    assert all(row.kind == compare.SAME for row in rows)
    assert not any(p.marked for row in rows for p in row.left + row.right)
