"""Each visit counted once: what a visit has counted is remembered in its own session.

Nothing is counted, and nothing is written to a session, before the visitor answers the
first step: a visit that only looks gets no session (no row, no cookie) from the funnel.
From that answer on, the session remembers which counts this questionnaire has made, with
their day and language, so a reload, Back or a second click counts nothing again; a new
questionnaire after a submission counts afresh. A questionnaire whose contact form the bot
checks refused has its counts taken back; if a person then sends it after all, they are
restored. The result pages count once per visit and advice.
"""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone, translation

from advisor.funnel import counting
from advisor.funnel.sources import Source
from advisor.models import FunnelEvent

SESSION_KEY = "advisor_funnel"
RUN = "run"
RESULT = "result"


def _today_and_language() -> list[str]:
    return [timezone.localdate().isoformat(), translation.get_language() or ""]


def _key(event: str, detail: str) -> str:
    return f"{event}:{detail}" if detail else event


def _split(key: str) -> tuple[str, str]:
    event, _sep, detail = key.partition(":")
    return event, detail


class _Log:
    """The funnel's part of one session, written back only when something was counted."""

    def __init__(self, request: HttpRequest) -> None:
        self.session = request.session
        stored = self.session.get(SESSION_KEY)
        self.data: dict = stored if isinstance(stored, dict) else {}

    def run(self) -> dict | None:
        run = self.data.get(RUN)
        return run if isinstance(run, dict) and isinstance(run.get("counted"), dict) else None

    def save(self) -> None:
        self.session[SESSION_KEY] = self.data

    def count(self, scope: dict, event: str, detail: str = "", *,
              source: Source | None = None, key: str | None = None) -> None:
        """Count once per scope; `key` names what "once" is about (default: event and
        detail)."""
        key = key or _key(event, detail)
        if key in scope["counted"]:
            return
        day, language = scope["counted"][key] = _today_and_language()
        if not scope.get("void"):
            counting.add(day=date.fromisoformat(day), language=language, event=event,
                         detail=detail, source=source)
        self.save()


def _apply(run: dict, by: int) -> None:
    """Add (1) or take back (-1) every count this questionnaire made."""
    source = Source.from_values(run.get("source"))
    for key, (day, language) in run["counted"].items():
        event, detail = _split(key)
        counting.add(day=date.fromisoformat(day), language=language, event=event,
                     detail=detail, source=source, by=by)


def questionnaire_started(request: HttpRequest, *, step: str, source: Source) -> None:
    """The first step's answers were accepted: the questionnaire is started, and its first
    step reached and completed. Counted once per questionnaire; `source` is the visit's."""
    log = _Log(request)
    run = log.run()
    if run is None or run.get("submitted"):
        run = log.data[RUN] = {"source": source.as_list(), "counted": {}}
    log.count(run, FunnelEvent.STARTED, source=Source.from_values(run["source"]))
    log.count(run, FunnelEvent.STEP_REACHED, step)
    log.count(run, FunnelEvent.STEP_COMPLETED, step)


def _running(log: _Log) -> dict | None:
    run = log.run()
    return run if run is not None and not run.get("submitted") else None


def step_reached(request: HttpRequest, *, step: str) -> None:
    """A step was shown with every step before it answered (once per questionnaire)."""
    log = _Log(request)
    if (run := _running(log)) is not None:
        log.count(run, FunnelEvent.STEP_REACHED, step)


def step_completed(request: HttpRequest, *, step: str) -> None:
    """A step's answers were accepted with Next (once per questionnaire)."""
    log = _Log(request)
    if (run := _running(log)) is not None:
        log.count(run, FunnelEvent.STEP_COMPLETED, step)


def refused_as_bot(request: HttpRequest) -> None:
    """The contact form's bot checks refused this questionnaire: take back its counts."""
    log = _Log(request)
    run = _running(log)
    if run is not None and not run.get("void"):
        _apply(run, by=-1)
        run["void"] = True
        log.save()


def questionnaire_submitted(request: HttpRequest, *, step: str) -> None:
    """The submission is stored (its service counted it, and the contact step completed,
    exactly once): remember so, and restore the counts of a questionnaire refused as a bot
    before, as a person sent it after all."""
    log = _Log(request)
    run = _running(log)
    if run is None:
        return
    if run.pop("void", False):
        _apply(run, by=1)
    run["counted"].setdefault(_key(FunnelEvent.STEP_COMPLETED, step), _today_and_language())
    run["counted"].setdefault(FunnelEvent.SUBMITTED, _today_and_language())
    run["submitted"] = True
    log.save()


def visit_source(request: HttpRequest) -> Source:
    """The source of the questionnaire in this session (empty when unknown)."""
    run = _Log(request).run()
    return Source.from_values(run.get("source")) if run is not None else Source()


def result_event(request: HttpRequest, *, event: str, result: str, detail: str = "") -> None:
    """Something done on the visitor's own advice page (`result` identifies the advice):
    counted once per visit and advice; a contact button once, with the first one used."""
    log = _Log(request)
    scope = log.data.get(RESULT)
    if not isinstance(scope, dict) or scope.get("id") != result \
            or not isinstance(scope.get("counted"), dict):
        scope = log.data[RESULT] = {"id": result, "counted": {}}
    log.count(scope, event, detail, key=event)
