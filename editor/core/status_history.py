"""The status history: who moved the article to which status, and when, in words people read."""

from __future__ import annotations

from datetime import datetime

from editor.core.model import Status, StatusChange


def now_iso() -> str:
    """The current local date-time in ISO 8601 with its UTC offset, to the second."""
    return datetime.now().astimezone().replace(microsecond=0).isoformat()


def local_time(when: str) -> str:
    """An ISO 8601 date-time as "YYYY-MM-DD HH:MM" in local time; the text itself when it is not a date-time."""
    try:
        moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return when
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def status_name(status: Status | str) -> str:
    """The status as people say it: "in review", "changes requested" (a plain string is taken as it is)."""
    return str(status).replace("-", " ")


def describe_change(change: StatusChange) -> str:
    """One line of history, e.g. "2024-05-01 14:02 draft → in review by Ann Writer"."""
    step = status_name(change.status)
    if change.previous is not None:
        step = f"{status_name(change.previous)} → {step}"
    who = f" by {change.author}" if change.author else ""
    when = local_time(change.when)
    return f"{when} {step}{who}" if when else f"{step}{who}"
