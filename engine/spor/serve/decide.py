"""``POST /api/v1/decide``: a case as JSON in, the record ``spor run --format json`` prints out.

The body is a case (``spor schema case``) with two more keys: ``lang``
(nb or en) and ``explain`` (add ``why_not``, as ``spor run --explain``).
It is read the way ``spor run`` reads a case file, with the file named
``request``: a syntax error is refused with 400 and its line and column,
an unknown fact or value (or a wrong shape) with 422 and the closest
allowed value. The answer is written by ``output.text.render``, the
serialiser ``spor run`` uses, so the two never differ but for ``source``.

Valid bodies take a fast path (``json.loads`` without positions); only a
body with a problem is read again with positions, to say where it is.
"""

from __future__ import annotations

import json

from spor.common.errors import InputError
from spor.common.messages import LANGS, Msg
from spor.common.reader import Document, parse, unique_pairs
from spor.rulebase.cases import MAX_CASE_BYTES, Case, case_from_document
from spor.serve.core import REQUEST, Failed, Refused, Service, log_failure

MAX_BODY = MAX_CASE_BYTES  # a case sent to /decide is bounded like a case file
OPTIONS = ("lang", "explain")  # the keys a request adds to a case


class Slow(Exception):
    """The fast path cannot read this body: read it again with positions."""


def read_request(service: Service, body: bytes, lang: str) -> tuple:
    """(Case, lang, explain) from a request body; Refused(400) for malformed JSON, Refused(422) for the rest."""
    try:
        return _read(service, _fast_document(body), lang)
    except (InputError, Slow):
        pass
    try:
        doc = parse(REQUEST, body, as_json=True)
    except InputError as exc:
        raise Refused(400, list(exc.problems)) from None
    try:
        return _read(service, doc, lang)
    except InputError as exc:
        raise Refused(422, list(exc.problems)) from None


def _fast_document(body: bytes) -> Document:
    if b"\\u" in body:  # an escape may stand for a lone surrogate, which the full reader refuses
        raise Slow()
    try:
        data = json.loads(body.decode("utf-8"), object_pairs_hook=unique_pairs)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, a duplicate key: said with positions
        raise Slow() from None
    return Document(REQUEST, data)  # too deep a document is not a case: the schema refuses it, then said in full


def _read(service: Service, doc: Document, lang: str) -> tuple:
    data = doc.data
    explain = False
    if isinstance(data, dict):
        problems = []
        lang = data.get("lang", lang)
        if lang not in LANGS:
            message = Msg("expected_one_of", choices=", ".join(LANGS), found=repr(data["lang"]))
            problems.append(doc.problem(("lang",), message))
        explain = data.get("explain", False)
        if not isinstance(explain, bool):
            problems.append(doc.problem(("explain",), Msg("expected_true_or_false", found=json.dumps(explain))))
        if problems:
            raise InputError(problems)
        doc = Document(doc.name, {k: v for k, v in data.items() if k not in OPTIONS}, doc.marks, doc.key_marks, doc.raw)
    elif doc.data is None:
        raise InputError([doc.problem((), Msg("serve_body_null"))])
    case = case_from_document(doc, service.normaliser, default_id=REQUEST)
    return case, lang, explain


def decide(service: Service, case: Case, lang: str, explain: bool) -> str:
    """The result of a case as ``spor run --format json [--explain]`` prints it (one line, with its newline).

    Without ``explain``, through ``spor batch``'s decision cache (one per language): a result is a pure
    function of the rulebase and the facts, so the engine runs once per distinct set of facts, and the line
    is written by batch's JSON Lines writer, whose lines are ``spor run --format json``'s.
    """
    try:
        if not explain:
            return service.line(case, service.decisions(lang).get(case.facts))
        from spor.analysis.explain import nearest_rival
        from spor.output.text import render

        result = service.evaluator.evaluate(
            case.facts, case_id=case.id, source=case.source, title=case.title, notes=case.notes
        )
        rival = nearest_rival(service.evaluator, result) if result.complete else None
        return render(result, "json", lang, explain=True, rival=rival) + "\n"
    except Exception as exc:
        raise Failed(log_failure("decide", exc)) from None
