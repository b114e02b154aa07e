"""What the previous run published: the state from which calendar updates are computed.

Calendars are files that clients import again and again, so the published files themselves hold
the state: each event's SEQUENCE and content as last published, and which team or member a file
belongs to. An event whose content is unchanged keeps its SEQUENCE (and DTSTAMP); a changed one
gets the highest SEQUENCE any calendar gave its UID, plus one; an event a calendar published before
and no longer holds is published there as CANCELLED with a higher SEQUENCE, so that re-importing
removes it. File names are slugs of the owner's id, kept stable across runs and never shared by
two ids (a short hash of the raw id tells colliding slugs apart).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Component, Event

from scheduler.output.view import OutputError

ICS_DIR = "ics"
PRODID = "-//kiemtra//inspection schedule//VI"
OWNER_PROP = "X-KIEMTRA-OWNER"  # "team:D1", "member:M/7": the id a calendar file belongs to
VOLATILE = ("DTSTAMP", "LAST-MODIFIED", "SEQUENCE")  # what a re-publication may change alone
CALENDAR_PATH = re.compile(rf"^{ICS_DIR}/(team|member)-[^/]+\.ics$")
HASH_LENGTH = 8


@dataclass(frozen=True)
class Published:
    """One calendar file of the previous run, as far as kiemtra wrote it."""

    owner: str | None  # None: written before files named their owner
    title: str
    events: dict[str, Component]  # UID -> event


CORRUPT_MARK = ".corrupt-"  # ics/team-D1.ics.corrupt-20250601T101500: set aside, kept


def calendar_problem(path: str, data: bytes) -> str | None:
    """Why a published calendar cannot be read back, or None when it can."""
    if not CALENDAR_PATH.match(path):
        return None
    try:
        cal = Calendar.from_ical(data)
        for event in cal.walk("VEVENT"):
            check_republishable(event)
    except Exception as exc:  # icalendar raises many kinds (ValueError, KeyError, ...)
        return str(exc) or type(exc).__name__
    return None


MAX_SEQUENCE = 2**31 - 2  # RFC 5545 integers are 32-bit; a re-publication adds one


def check_republishable(event: Component) -> None:
    """Raise unless the event can be read back and published again (changed or cancelled) the
    way ``settle`` does: a start, a SEQUENCE in range (events without a UID are not read)."""
    if "UID" not in event:
        return
    event.decoded("DTSTART")
    sequence = sequence_of(event)
    if not 0 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"SEQUENCE {sequence} is outside 0..{MAX_SEQUENCE}")
    content(event)
    withdrawn(event, sequence + 1, datetime(2000, 1, 1)).to_ical()


def read_published(previous: Mapping[str, bytes]) -> dict[str, Published]:
    """Relative path -> what kiemtra published there; other files (not ours) are left out."""
    found = {}
    for path in sorted(previous):
        if not CALENDAR_PATH.match(path):
            continue
        try:
            cal = Calendar.from_ical(previous[path])
        except ValueError as exc:
            raise OutputError(f"{path}: not a calendar kiemtra can read ({exc}); move it out of "
                              "the folder to start that calendar afresh") from exc
        if str(cal.get("PRODID", "")) != PRODID:
            continue
        owner = cal.get(OWNER_PROP)
        events = {str(e["UID"]): e for e in cal.walk("VEVENT") if "UID" in e}
        found[path] = Published(None if owner is None else str(owner),
                                str(cal.get("X-WR-CALNAME", "")), events)
    return found


def top_sequences(published: Iterable[Published]) -> dict[str, int]:
    """UID -> the highest SEQUENCE any calendar published for it (clients may hold any of them)."""
    top: dict[str, int] = {}
    for calendar in published:
        for uid, event in calendar.events.items():
            top[uid] = max(top.get(uid, 0), sequence_of(event))
    return top


def sequence_of(event: Component) -> int:
    return int(event.get("SEQUENCE", 0))


def content(event: Component) -> bytes:
    """The event as published, less what a re-publication changes alone (parsed on both sides
    so that formatting cannot count as a change)."""
    copy = Event.from_ical(event.to_ical())
    for name in VOLATILE:
        copy.pop(name, None)
    return bytes(copy.to_ical())


def settle(fresh: Sequence[Event], before: Published | None, top: Mapping[str, int],
           stamp: datetime) -> list[Component]:
    """The events to publish in one calendar: the fresh ones, each with its SEQUENCE and stamps,
    then a CANCELLED copy of every event the calendar held before and lost (by UID)."""
    old = before.events if before is not None else {}
    settled: list[Component] = []
    for event in fresh:
        uid = str(event["UID"])
        if uid in old and content(old[uid]) == content(event):
            for name in VOLATILE:
                if name in old[uid]:
                    event[name] = old[uid][name]
        else:
            mark(event, top.get(uid, -1) + 1, stamp)
        settled.append(event)
    kept = {str(e["UID"]) for e in fresh}
    settled += [withdrawn(old[uid], top[uid] + 1, stamp)
                for uid in sorted(old) if uid not in kept]
    return settled


def mark(event: Component, sequence: int, stamp: datetime) -> None:
    for name in VOLATILE:
        event.pop(name, None)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", sequence)


def withdrawn(old: Component, sequence: int, stamp: datetime) -> Component:
    """``old`` as CANCELLED (and without reminders); an already cancelled event stays as it was."""
    if str(old.get("STATUS", "")) == "CANCELLED":
        return old
    event = Event.from_ical(old.to_ical())
    event.subcomponents = [c for c in event.subcomponents if c.name != "VALARM"]
    event.pop("STATUS", None)
    event.add("status", "CANCELLED")
    mark(event, sequence, stamp)
    return event


# --- file names ---------------------------------------------------------------------------


def owner_key(kind: str, identifier: str) -> str:
    return f"{kind}:{identifier}"


def slug(identifier: str) -> str:
    """ASCII letters, digits, '.', '_' and '-' only: safe on every disk and in every mail client."""
    folded = unicodedata.normalize("NFKD", identifier.replace("đ", "d").replace("Đ", "D"))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._-]", "_", ascii_only) or "_"


def short_hash(identifier: str) -> str:
    return hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def calendar_paths(kind: str, ids: Sequence[str],
                   published: Mapping[str, Published]) -> dict[str, str]:
    """Id -> ``ics/<kind>-<slug>.ics``, distinct for distinct ids even on a disk that ignores case.

    An id keeps the file it was published in before. Ids whose slugs collide (``M/7`` and
    ``M_7``) all get a short hash of the raw id appended, never only some of them.
    """
    taken = {path.casefold(): p.owner for path, p in published.items()}
    kept = {p.owner: path for path, p in published.items() if p.owner is not None}
    counts = Counter(slug(i).casefold() for i in ids)
    paths = {}
    for identifier in ids:
        owner = owner_key(kind, identifier)
        base = slug(identifier)
        if counts[base.casefold()] > 1:
            base = f"{base}-{short_hash(identifier)}"
        path = kept.get(owner) or f"{ICS_DIR}/{kind}-{base}.ics"
        if taken.get(path.casefold(), owner) not in (owner, None):
            path = f"{ICS_DIR}/{kind}-{slug(identifier)}-{short_hash(identifier)}.ics"
        if taken.get(path.casefold(), owner) not in (owner, None):
            raise OutputError(f"{path}: {kind} '{identifier}' would share this calendar file with "
                              f"'{taken[path.casefold()]}'; rename one of the two ids")
        taken[path.casefold()] = owner
        paths[identifier] = path
    return paths
