"""The status history in words."""

from __future__ import annotations

from datetime import datetime

from editor.core.model import Status, StatusChange
from editor.core.status_history import describe_change, local_time, now_iso


def test_a_change_reads_as_time_step_and_person() -> None:
    change = StatusChange(Status.IN_REVIEW, "Ann Writer", "2024-05-01T14:02:33", Status.DRAFT)
    assert describe_change(change) == "2024-05-01 14:02 draft → in review by Ann Writer"


def test_unknown_previous_status_and_author_are_left_out() -> None:
    assert describe_change(StatusChange(Status.CHANGES_REQUESTED, "", "2024-05-01T14:02")) == \
        "2024-05-01 14:02 changes requested"


def test_times_with_an_offset_are_shown_in_local_time() -> None:
    moment = datetime.fromisoformat("2024-05-01T12:00:00+00:00")
    assert local_time("2024-05-01T12:00:00Z") == moment.astimezone().strftime("%Y-%m-%d %H:%M")


def test_a_time_that_is_not_one_is_shown_as_it_is() -> None:
    assert local_time("yesterday") == "yesterday"
    assert describe_change(StatusChange(Status.APPROVED, "Ed", "")) == "approved by Ed"


def test_now_is_an_iso_time_with_an_offset() -> None:
    assert datetime.fromisoformat(now_iso()).utcoffset() is not None


def test_statuses_read_back_as_plain_strings_are_described_the_same() -> None:
    change = StatusChange("approved", "Ed", "2024-05-01T14:02", "in-review")  # type: ignore[arg-type]
    assert describe_change(change) == "2024-05-01 14:02 in review → approved by Ed"
