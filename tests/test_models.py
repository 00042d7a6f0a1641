"""The quick builders of geo.models build exactly what the classes' own constructors build."""
import dataclasses

import pytest

from geo.models import (
    Event, Evidence, Mention, Place, Report, Vote, make_event, make_evidence, make_mention, make_vote,
)


def _same(built, constructed):
    assert type(built) is type(constructed) and not hasattr(type(built), "__post_init__")
    assert built == constructed and hash(built) == hash(constructed) and repr(built) == repr(constructed)
    assert dataclasses.asdict(built) == dataclasses.asdict(constructed)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.start = 0  # still frozen


def test_quick_builders_match_the_constructors():
    evidence = (Evidence("Bakhmut fell.", 10, 23), make_evidence("Bakhmut fell.", 10, 23))
    _same(evidence[1], evidence[0])
    _same(make_mention("Bakhmut", 10, 17, ("bakhmut",), ("p1",), "place"),
          Mention("Bakhmut", 10, 17, ("bakhmut",), ("p1",), "place"))
    vote = Vote("russia", "captured", 1.0, False, evidence[0], "capture")
    _same(make_vote("russia", "captured", 1.0, False, evidence[1], "capture"), vote)
    report = Report("r1", "r.txt", "text")
    place = Place("p1", "Bakhmut", 48.6, 38.0, "UA")
    event = Event(report, place, "russia", "captured", 0.9, (Mention("Bakhmut", 10, 17),), (evidence[0],), (vote,))
    built = make_event(report, place, "russia", "captured", 0.9, (Mention("Bakhmut", 10, 17),), (evidence[1],), (vote,))
    assert built == event and repr(built) == repr(event) and built.to_record() == event.to_record()
    assert dataclasses.asdict(built) == dataclasses.asdict(event)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.status = "ukraine"
