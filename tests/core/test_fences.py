"""Lines inside fenced code blocks: what spelling and the checks leave alone."""

from editor.core.fences import code_fence_lines


def test_a_block_runs_from_its_opening_to_a_bare_closing_fence_of_the_same_kind():
    lines = ["Prose.", "```python", "x = 1", "~~~", "``` not a close", "```", "After."]
    assert code_fence_lines(lines) == {1, 2, 3, 4, 5}


def test_a_longer_fence_closes_and_a_shorter_one_does_not():
    lines = ["~~~~", "~~~", "~~~~~", "Prose."]
    assert code_fence_lines(lines) == {0, 1, 2}


def test_an_unclosed_block_runs_to_the_end_and_lines_before_start_are_skipped():
    lines = ["```", "front", "Prose.", "```", "code"]
    assert code_fence_lines(lines, start=2) == {3, 4}
