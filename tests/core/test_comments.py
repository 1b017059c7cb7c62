"""Comment anchoring: following edits around the commented text, and finding it again after outside edits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from editor.core.comments import in_text_order, reanchor, shift_anchor
from editor.core.model import Comment


def apply_edit(text: str, position: int, removed: int, added: str) -> str:
    """The text after `removed` characters at `position` were replaced by `added`."""
    return text[:position] + added + text[position + removed:]


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, int, int, int, int, str]:
    """A text, a commented stretch of it, and one edit anywhere in it."""
    text = draw(st.text("abc xyz", min_size=1, max_size=30))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    position = draw(st.integers(0, len(text)))
    removed = draw(st.integers(0, len(text) - position))
    added = draw(st.text("QRS", max_size=5))
    return text, start, end, position, removed, added


def test_typing_before_the_comment_moves_it_along() -> None:
    assert shift_anchor(10, 15, 2, 0, 3) == (13, 18, False)
    assert shift_anchor(10, 15, 2, 4, 0) == (6, 11, False)


def test_typing_after_the_comment_leaves_it_alone() -> None:
    assert shift_anchor(10, 15, 20, 3, 7) == (10, 15, False)


def test_typing_inside_the_comment_grows_or_shrinks_it() -> None:
    assert shift_anchor(10, 15, 12, 0, 4) == (10, 19, False)
    assert shift_anchor(10, 15, 11, 2, 0) == (10, 13, False)


def test_typing_at_either_edge_stays_outside() -> None:
    assert shift_anchor(10, 15, 10, 0, 2) == (12, 17, False)
    assert shift_anchor(10, 15, 15, 0, 2) == (10, 15, False)


def test_deleting_across_one_edge_keeps_the_rest() -> None:
    assert shift_anchor(10, 15, 8, 4, 0) == (8, 11, False)
    assert shift_anchor(10, 15, 13, 5, 0) == (10, 13, False)


def test_deleting_the_whole_text_detaches_the_comment_at_its_place() -> None:
    assert shift_anchor(10, 15, 10, 5, 0) == (10, 10, True)
    assert shift_anchor(10, 15, 5, 20, 0) == (5, 5, True)
    assert shift_anchor(10, 15, 10, 5, 3) == (10, 10, True)  # replaced by other words


def test_an_already_empty_anchor_is_not_reported_again() -> None:
    assert shift_anchor(10, 10, 0, 0, 2) == (12, 12, False)


@given(edits())
def test_the_comment_keeps_exactly_its_surviving_text(case: tuple[str, int, int, int, int, str]) -> None:
    text, start, end, position, removed, added = case
    new_text = apply_edit(text, position, removed, added)
    new_start, new_end, detached = shift_anchor(start, end, position, removed, len(added))
    assert 0 <= new_start <= new_end <= len(new_text)
    # The commented characters that the edit did not remove, in order.
    surviving = "".join(ch for i, ch in enumerate(text[start:end], start) if not position <= i < position + removed)
    # New words typed strictly inside the stretch belong to it; words typed at its edges do not.
    inside_edit = start < position and position + removed < end
    if detached:
        assert surviving == ""
        assert new_start == new_end
    elif inside_edit:
        assert new_text[new_start:new_end] == text[start:position] + added + text[position + removed:end]
    else:
        assert new_text[new_start:new_end] == surviving
        assert surviving != ""


def comment(**fields) -> Comment:
    base = {"id": "c1", "text": "tighten", "start": 4, "end": 7, "quote": "two"}
    return Comment(**(base | fields))


def test_reanchor_keeps_a_comment_whose_text_is_where_it_was() -> None:
    assert reanchor("one two three", comment()) == comment()


def test_reanchor_follows_text_moved_by_an_edit_elsewhere() -> None:
    moved = reanchor("a new start: one two three", comment())
    assert (moved.start, moved.end, moved.detached) == (17, 20, False)


def test_reanchor_picks_the_copy_nearest_the_old_place() -> None:
    body = "two " + "x" * 20 + " one two three two"
    found = reanchor(body, comment(start=26, end=29))
    assert body[found.start:found.end] == "two"
    assert found.start == body.index("one two") + 4


def test_reanchor_detaches_a_comment_whose_text_is_gone_but_keeps_it() -> None:
    gone = reanchor("one three", comment())
    assert gone.detached and gone.text == "tighten" and gone.quote == "two"
    assert gone.start == gone.end == 4


def test_reanchor_clamps_offsets_past_the_end_and_leaves_detached_ones_detached() -> None:
    gone = reanchor("two", comment(start=50, end=60, detached=True))
    assert (gone.start, gone.end, gone.detached) == (3, 3, True)


def test_reanchor_handles_characters_outside_the_basic_plane() -> None:
    body = "🎉🎉 one two"
    moved = reanchor(body, comment())
    assert body[moved.start:moved.end] == "two"


def test_comments_sort_by_place_in_the_text() -> None:
    late, early = comment(id="b", start=9, end=12), comment(id="a", start=1, end=3)
    assert [c.id for c in in_text_order([late, early])] == ["a", "b"]
