"""The assertions a fidelity table may make about a procedure file, each named by a verb.

A table (``tests/procedures/fidelity/*.toml``) quotes each rule of a source text
beside the assertions that hold it, one per line: ``requires help B
written_confirmation``, ``guidance help B`` (the quote is shown in that stage's
guidance), ``due adjourned ...`` (a clock computed from the procedure data).
Arguments are split like a shell line; ``key=value`` arguments name what they
check. An unknown verb fails the test: a new partnership's table uses only these.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from desktop.casework.clocks import ClockFacts, decision_instant, timescale_due
from desktop.procedures.catalogue import Procedure, Stage, Track
from desktop.procedures.workdays import LONDON, WorkingCalendar

QUOTED = re.compile(r'\s*"([^"]+)"\s*')


def collapse(text: str) -> str:
    """The text with every run of whitespace made one space (the sources wrap their lines)."""
    return re.sub(r"\s+", " ", text).strip()


def passages(value: str) -> list[str] | None:
    """The double-quoted passages a field holds, or None if it holds anything else."""
    found, at, text = [], 0, value.strip()
    while at < len(text):
        match = QUOTED.match(text, at)
        if match is None:
            return None
        found.append(collapse(match.group(1)))
        at = match.end()
    return found


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


@dataclass
class Checker:
    """Runs a table's assertions against one procedure definition."""

    procedure: Procedure

    def run(self, quote: str, line: str) -> None:
        """Run one assertion line; fail on an unknown verb."""
        verb, *args = shlex.split(line)
        method: Callable[..., None] | None = getattr(self, "v_" + verb.replace("-", "_"), None)
        assert method is not None, f"unknown verb {verb!r}"
        method(collapse(quote), *args)

    def _track(self, track: str) -> Track:
        return self.procedure.track(track)

    def _stage(self, track: str, stage: str) -> Stage:
        return self._track(track).stage(stage)

    @staticmethod
    def _shows(quote: str, text: str, where: str) -> None:
        assert quote in collapse(text), f"{where} does not show: {quote[:80]}"

    @staticmethod
    def _pairs(args: tuple[str, ...]) -> dict[str, str]:
        return dict(arg.split("=", 1) for arg in args)

    def v_guidance(self, quote: str, track: str, stage: str) -> None:
        """The quote is shown, word for word, in the stage's guidance."""
        self._shows(quote, self._stage(track, stage).guidance, f"{track}/{stage} guidance")

    def v_description(self, quote: str, track: str) -> None:
        """The quote is shown in the track's description (wizard and case view)."""
        self._shows(quote, self._track(track).description, f"{track} description")

    def v_procedure(self, quote: str) -> None:
        """The quote is shown in the procedure's own description (wizard and case view)."""
        self._shows(quote, self.procedure.description, "procedure description")

    def v_urgent(self, quote: str, track: str, stage: str) -> None:
        """The track starts urgent cases at ``stage``, with the quote as its guidance."""
        assert self._track(track).urgent_entry == stage
        self._shows(quote, self._track(track).urgent_guidance, f"{track} urgent guidance")

    def v_rule(self, quote: str, track: str) -> None:
        """The quote is the track's special rule."""
        self._shows(quote, self._track(track).rule, f"{track} rule")

    def v_area(self, _quote: str, *ids: str) -> None:
        """The wizard offers these areas of disagreement."""
        known = {area.id for area in self.procedure.areas}
        assert set(ids) <= known, f"missing areas {set(ids) - known}"

    def v_area_route(self, quote: str, area: str, track: str, entry: str) -> None:
        """The area starts a case on ``track`` at one of ``entry``, saying the quote."""
        found = self.procedure.area(area)
        assert found is not None and found.track == track
        assert found.entry == tuple(entry.split(","))
        self._shows(quote, found.guidance, f"area {area}")

    def v_redirect(self, quote: str, ident: str, *options: str) -> None:
        """The redirect exists (kind, when), its guidance the quote, its advice kept apart."""
        found = next(r for r in self.procedure.redirects if r.id == ident)
        for key, value in self._pairs(options).items():
            assert getattr(found, key) == value, f"redirect {ident}.{key} is {getattr(found, key)}"
        self._shows(quote, found.guidance, f"redirect {ident}")
        assert not found.advice or found.advice not in found.guidance

    def v_redirect_advice(self, _quote: str, ident: str, words: str) -> None:
        """The redirect's advice (the app's words, shown apart) says this."""
        found = next(r for r in self.procedure.redirects if r.id == ident)
        assert words in found.advice, f"redirect {ident} advice is {found.advice!r}"

    def v_advice(self, _quote: str, track: str, words: str) -> None:
        """The track's advice (the app's words, shown apart) says this."""
        assert words in self._track(track).advice

    def v_redirect_deadline(self, _quote: str, ident: str, *options: str) -> None:
        """The redirect gives the case a milestone with this timescale."""
        found = next(r for r in self.procedure.redirects if r.id == ident)
        assert found.timescale is not None and found.milestone
        self._timescale_is(found.timescale.as_json() or {}, self._pairs(options))

    def v_roles(self, _quote: str, track: str, stage: str, *options: str) -> None:
        """The stage's roles contain these words (raising=..., receiving=...)."""
        found = self._stage(track, stage)
        for side, words in self._pairs(options).items():
            role = getattr(found, f"{side}_role")
            assert words in role, f"{track}/{stage} {side} role {role!r} lacks {words!r}"

    def v_role_is(self, _quote: str, track: str, stage: str, side: str, role: str) -> None:
        """The stage's role on one side is exactly this."""
        assert getattr(self._stage(track, stage), f"{side}_role") == role

    def v_records(self, _quote: str, track: str, stage: str, *names: str) -> None:
        """The stage form asks for these fields."""
        record = self._stage(track, stage).record
        assert set(names) <= set(record), (
            f"{track}/{stage} does not record {set(names) - set(record)}"
        )

    def v_not_records(self, _quote: str, track: str, stage: str, *names: str) -> None:
        """The stage form does not ask for these fields (the text does not)."""
        assert not set(names) & set(self._stage(track, stage).record)

    def v_requires(self, _quote: str, track: str, stage: str, *names: str) -> None:
        """Every transition out of the stage checks these records (unless a reason is given)."""
        requires = self._stage(track, stage).requires
        assert set(names) <= set(requires), (
            f"{track}/{stage} does not require {set(names) - set(requires)}"
        )

    def v_not_requires(self, _quote: str, track: str, stage: str, *names: str) -> None:
        """The stage does not require these records (the text does not)."""
        assert not set(names) & set(self._stage(track, stage).requires)

    def v_label(self, _quote: str, track: str, stage: str, name: str, words: str) -> None:
        """The field's label at this stage contains these words."""
        shown = self._stage(track, stage).label(name)
        assert words in shown, f"{track}/{stage} {name} label {shown!r} lacks {words!r}"

    def v_produces(self, _quote: str, track: str, stage: str, *documents: str) -> None:
        """The stage offers these documents as the procedure asks for them."""
        produced = self._stage(track, stage).produces
        assert set(documents) <= set(produced), f"{track}/{stage} produces {produced}"

    def v_not_produces(self, _quote: str, track: str, stage: str, *documents: str) -> None:
        """The procedure asks for none of these documents at the stage."""
        assert not set(documents) & set(self._stage(track, stage).produces)

    def v_notify(self, _quote: str, track: str, stage: str, words: str) -> None:
        """The stage's notification is addressed to someone named with these words."""
        notify = self._stage(track, stage).notify
        assert words in notify, f"{track}/{stage} notifies {notify!r}"

    def v_chair(self, _quote: str, track: str, stage: str, words: str) -> None:
        """The stage's chair, as the meeting record names it, contains these words."""
        assert words in self._stage(track, stage).chair

    def v_next(self, _quote: str, track: str, stage: str, ids: str) -> None:
        """The stage escalates to exactly these stages (a choice when more than one)."""
        want = tuple(ids.split(",")) if ids != "none" else ()
        assert self._stage(track, stage).next == want

    def v_branch(self, quote: str, track: str, stage: str) -> None:
        """The choice of this stage is offered in the quote's words."""
        self._shows(quote, self._stage(track, stage).branch_guidance, f"{track}/{stage} branch")

    def v_standing(self, _quote: str, track: str, stage: str, standing: str) -> None:
        """The stage's standing (informal or formal) is shown."""
        assert self._stage(track, stage).standing == standing

    def v_contact(self, _quote: str, agency: str, role: str) -> None:
        """The directory lists this agency with this role."""
        assert any(c.agency == agency and c.role == role for c in self.procedure.contacts)

    def v_contacts(self, _quote: str, count: str) -> None:
        """The directory lists this many agencies."""
        assert len(self.procedure.contacts) == int(count)

    @staticmethod
    def _timescale_is(shown: dict[str, object], want: dict[str, str]) -> None:
        for key, value in want.items():
            got = shown.get(key)
            assert str(got) == value, f"timescale {key} is {got!r}, not {value!r}"

    def v_timescale(self, _quote: str, track: str, stage: str, *options: str) -> None:
        """The stage's timescale states these (working_days=, hours=, phrase=, from=)."""
        shown = self._stage(track, stage).timescale.as_json() or {}
        self._timescale_is(shown, self._pairs(options))

    def v_untimed(self, _quote: str, track: str, stage: str) -> None:
        """The stage's timescale is the text's own phrase; the app sets no deadline of its own."""
        timescale = self._stage(track, stage).timescale
        assert not timescale.counted and timescale.phrase, f"{track}/{stage} is counted"

    def v_milestone(self, _quote: str, track: str, stage: str, *options: str) -> None:
        """The stage has a milestone with these (hours=, from=...)."""
        milestones = self._stage(track, stage).milestones
        want = self._pairs(options)
        shown = [m.timescale.as_json() or {} for m in milestones]
        assert any(all(str(s.get(k)) == v for k, v in want.items()) for s in shown), shown

    def v_event(self, _quote: str, track: str, stage: str, event: str) -> None:
        """The stage asks when this event happened (a clock counts from it)."""
        assert event in {e.id for e in self._stage(track, stage).events}

    def v_due(self, _quote: str, track: str, stage: str, *options: str) -> None:
        """The stage's clock, computed on the England and Wales calendar, falls due then."""
        given = self._pairs(options)
        facts = ClockFacts(
            opened_at=_when(given["opened"]),
            case_opened_at=_when(given.get("case_opened", given["opened"])),
            decision_at=decision_instant(
                dt.date.fromisoformat(given["decision_day"]), given.get("decision_time")
            )
            if "decision_day" in given
            else None,
            events={k: _when(v) for k, v in given.items() if k in ("reported",)},
        )
        found = self._stage(track, stage)
        timescale = (
            found.milestones[0].timescale if given.get("of") == "milestone" else found.timescale
        )
        due = timescale_due(WorkingCalendar(), timescale, facts)
        want = given["expect"]
        assert (due.at.astimezone(LONDON).isoformat()[:16] if due else "none") == want, due
