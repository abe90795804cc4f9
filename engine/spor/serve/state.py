"""The page's state: the case in the URL's query string, so that reload, back and a pasted link restore it.

``/?lang=en&power=no&paper=jammed&tray=&ev=paper`` (a rulebase's facts, here a printer's):
each fact is a parameter in the order it was answered, its value an id (a
label or synonym is read too, so a hand-written link works); an empty value
means "don't know" (asked, and skipped); ``ev`` names the facts that
uploaded evidence filled in; ``lang`` is nb or en; ``session`` (only with
``spor serve --log``) is a random id that ties an interview's steps
together in the decision log. Nothing else is kept anywhere: any worker
can serve any request.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlencode

from spor.common.errors import Problem
from spor.common.messages import LANGS, Msg
from spor.common.records import field, record
from spor.serve.core import REQUEST, Refused, Service

MAX_PARAMS = 200  # a case holds at most 200 facts (schemas/case.schema.json)
MAX_TEXT = 200
SESSION = re.compile(r"^[0-9a-f]{8,32}$")


def new_session() -> str:
    """A random session id: no person, time or place can be read from it."""
    return secrets.token_hex(8)


@record
class State:
    lang: str = "nb"
    answers: list = field(default_factory=list)  # (fact id, value id or None for "don't know"), in order
    evidence: list = field(default_factory=list)  # fact ids that uploaded evidence filled in
    session: str = ""  # with --log: the interview's id in the decision log

    def known(self) -> dict:
        """fact id -> value id, for the facts with an answer, in the order given."""
        return {fact: value for fact, value in self.answers if value is not None}

    def skipped(self) -> list:
        return [fact for fact, value in self.answers if value is None]

    def pairs(self, answers: list | None = None, lang: str | None = None, evidence: list | None = None) -> list:
        """The state (or a variant of it) as query parameters, in order."""
        answers = self.answers if answers is None else answers
        evidence = self.evidence if evidence is None else evidence
        kept = [fact for fact in evidence if any(fact == name for name, _ in answers)]
        out = [("lang", lang or self.lang)] + [(fact, value or "") for fact, value in answers]
        return out + ([("ev", ",".join(kept))] if kept else []) + ([("session", self.session)] if self.session else [])

    def href(self, answers: list | None = None, lang: str | None = None, evidence: list | None = None) -> str:
        return "/?" + urlencode(self.pairs(answers, lang, evidence))

    def query(self) -> str:
        return urlencode(self.pairs())

    def restart(self) -> str:
        return "/?" + urlencode([("lang", self.lang)])

    def back(self) -> str | None:
        """The state before the last answer given on the page (evidence is not an answer), or None."""
        for index in range(len(self.answers) - 1, -1, -1):
            if self.answers[index][0] not in self.evidence:
                return self.href(self.answers[:index] + self.answers[index + 1 :])
        return None

    def before(self, fact: str) -> str:
        """The state as it was before ``fact`` was answered: to change that answer."""
        index = next(i for i, (name, _) in enumerate(self.answers) if name == fact)
        return self.href(self.answers[:index])

    def without_skip(self, fact: str) -> str:
        """The state with "don't know" for ``fact`` taken back, so that it is asked again."""
        return self.href([(name, value) for name, value in self.answers if not (name == fact and value is None)])


def read_state(service: Service, params: list, control: tuple = (), lang: str = "nb") -> State:
    """The State of a query string's (name, value) pairs; Refused(400) naming each parameter that is wrong.

    ``control``: more parameter names the route reads itself (``id`` for the download).
    """
    rb, problems = service.rulebase, []
    state, seen, evidence = State(lang=lang), set(), ""  # ``lang``: when the link names none (serve --lang)
    if len(params) > MAX_PARAMS:
        raise Refused.one(400, Msg("serve_too_many_params", count=len(params), limit=MAX_PARAMS), ("query",))
    for name, raw in params:
        where = ("query", name)
        if len(raw) > MAX_TEXT:
            problems.append(Problem(REQUEST, Msg("serve_value_too_long", size=len(raw), limit=MAX_TEXT), path=where))
        elif name == "lang":
            if raw not in LANGS:
                message = Msg("expected_one_of", choices=", ".join(LANGS), found=repr(raw))
                problems.append(Problem(REQUEST, message, path=where))
            state.lang = raw
        elif name == "ev":
            evidence = raw
        elif name == "session":
            if not SESSION.match(raw):
                problems.append(Problem(REQUEST, Msg("page_bad_session"), path=where))
            state.session = raw
        elif name in control:
            continue
        elif name not in rb.facts:
            from spor.common.reasons import did_you_mean

            message = Msg("unknown_fact", name=name, hint=did_you_mean(name, rb.facts))
            problems.append(Problem(REQUEST, message, path=where))
        elif name in seen:
            problems.append(Problem(REQUEST, Msg("serve_fact_twice", name=name), path=where))
        else:
            seen.add(name)
            if raw == "":
                state.answers.append((name, None))
                continue
            value, message = service.normaliser.value(name, raw)
            if message:
                problems.append(Problem(REQUEST, message, path=where))
            else:
                state.answers.append((name, value))
    known = state.known()
    for name in filter(None, evidence.split(",")):
        if name not in known:
            problems.append(Problem(REQUEST, Msg("serve_ev_no_value", name=name), path=("query", "ev")))
        elif name not in state.evidence:
            state.evidence.append(name)
    if state.lang not in LANGS:
        state.lang = lang  # the error page itself is shown in the server's language
    if problems:
        raise Refused(400, problems)
    return state
