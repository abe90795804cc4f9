"""The engine's own words, in Norwegian (nb) and English (en): one catalogue, one way to word a message.

Domain texts (questions, verdicts, replies) come from the rulebase; only
the words spor itself prints live here and in the catalogue's other parts
(``problems``: what is wrong with an input; ``checks``: what ``spor check``,
``test`` and ``diff`` report; ``dialogue``: ``spor ask`` and ``spor batch``'s
summary). Texts that name mail live here, the one part of ``common`` that
may. A message that is stored before anyone knows
who will read it (a :class:`~spor.common.errors.Problem`, a finding's note)
is a :class:`Msg`: a ``str`` that reads as its English text, so that JSON,
logs and scripts see one stable wording, and that keeps its key and
parameters, so that the text a person reads is worded in their language
(:func:`say`). Each entry is ``key: (nb, en)``, two templates with the same
named placeholders (a test holds that).
"""

from __future__ import annotations

import string

LANGS = ("nb", "en")


class Words(str):
    """Text that can be worded in either language; as a ``str`` it is the English wording."""

    def text(self, lang: str) -> str:  # pragma: no cover - every subclass words itself
        raise NotImplementedError


class Msg(Words):
    """One catalogue message with its parameters: ``Msg("no_such_file")``, ``Msg("rule_files_too_many", count=3)``.

    A parameter may itself be a :class:`Words` (worded in the same
    language), a list (its items joined with ", "), or an object with
    ``get(lang)`` (the rulebase's ``Text``).
    """

    key: str
    params: dict

    def __new__(cls, key: str, /, **params) -> Msg:
        self = super().__new__(cls, render(key, "en", params))
        self.key, self.params = key, params
        return self

    def text(self, lang: str) -> str:
        return render(self.key, lang, self.params)

    def __reduce__(self):  # pickled (a batch worker's problem) as its key and parameters, not its English text
        return _message, (self.key, self.params)


class Joined(Words):
    """Parts (text or :class:`Words`) joined by a separator, each worded in the reader's language."""

    parts: tuple
    sep: str

    def __new__(cls, parts, sep: str = "; ") -> Joined:
        parts = tuple(parts)
        self = super().__new__(cls, _join(parts, sep, "en"))
        self.parts, self.sep = parts, sep
        return self

    def text(self, lang: str) -> str:
        return _join(self.parts, self.sep, lang)

    def __reduce__(self):
        return Joined, (self.parts, self.sep)


class Pair(Words):
    """A text someone else worded in both languages (a schema's description, an operating system's reason)."""

    nb: str

    def __new__(cls, nb: str, en: str) -> Pair:
        self = super().__new__(cls, en)
        self.nb = nb
        return self

    def text(self, lang: str) -> str:
        return self.nb if lang == "nb" else str.__str__(self)

    def __reduce__(self):
        return Pair, (self.nb, str.__str__(self))


def _message(key: str, params: dict) -> Msg:
    return Msg(key, **params)


def _join(parts: tuple, sep, lang: str) -> str:
    return say(sep, lang).join(say(part, lang) for part in parts)


def say(message, lang: str) -> str:
    """``message`` as a person reading ``lang`` reads it: a :class:`Words` is worded in ``lang``, other text is
    shown as it was written (a file name, a value from a case)."""
    return message.text(lang) if isinstance(message, Words) else str(message)


class _Formatter(string.Formatter):
    """``str.format`` that words each parameter in the template's language and groups digits as it does."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, format_spec: str) -> str:
        if isinstance(value, Words):
            value = value.text(self.lang)
        elif isinstance(value, (list, tuple)):
            value = ", ".join(say(v, self.lang) for v in value)
        elif not isinstance(value, (str, int, float)) and callable(getattr(value, "get", None)):
            value = value.get(self.lang)
        out = format(value, format_spec)
        if self.lang == "nb" and "," in format_spec and isinstance(value, (int, float)):
            out = out.replace(",", "\u00a0")  # 12 345: digits grouped by a no-break space
        return out


_PLAIN = (str, int, float)


def render(key: str, lang: str, params: dict) -> str:
    """The catalogue's template for ``key`` in ``lang`` (``en`` for any other), filled with ``params``."""
    nb, en = template(key)
    chosen = en if lang == "en" else nb
    if not params and "{" not in chosen:
        return chosen
    if lang == "en" and all(type(v) in _PLAIN for v in params.values()):
        return chosen.format_map(params)  # the common case, as fast as str.format
    return _Formatter(lang).vformat(chosen, (), params)


def template(key: str) -> tuple:
    """(nb, en) for ``key``, from whichever part of the catalogue holds it (the parts about problems are
    imported when a problem is first worded)."""
    found = _CATALOGUE.get(key)
    return found if found is not None else catalogue()[key]


_WHOLE: dict = {}


def catalogue() -> dict:
    """Every entry of the catalogue: key -> (nb, en)."""
    if not _WHOLE:
        from spor.common.checks import CHECKS
        from spor.common.dialogue import DIALOGUE
        from spor.common.problems import PROBLEMS

        _WHOLE.update({**_CATALOGUE, **DIALOGUE, **PROBLEMS, **CHECKS})
    return _WHOLE


_CATALOGUE = {
    "case": ("Sak", "Case"),
    "verdict": ("Konklusjon", "Verdict"),
    "side": ("Hvem må handle", "Who must act"),
    "outcome": ("Utfall", "Outcome"),
    "steps": ("Steg for agenten", "Steps for the agent"),
    "reply": ("Svar til kunden", "Reply to the customer"),
    "why": ("Hvorfor", "Why"),
    "facts": ("Fakta", "Facts"),
    "given": ("gitt", "given"),
    "derived": ("utledet", "derived"),
    "from_evidence": ("fra beviset", "from the evidence"),
    "incomplete": ("Ikke avgjort ennå: det mangler opplysninger.", "Not decided yet: facts are missing."),
    "missing": ("Mangler (neste spørsmål først)", "Missing (next question first)"),
    "where": ("Finnes i", "Found in"),
    "answers": ("Svar", "Answers"),
    "warnings": ("Advarsler", "Warnings"),
    "because": ("fordi", "because"),
    "unknown": ("ukjent", "unknown"),
    "no_rule": ("Ingen regel har slått til.", "No rule has fired."),
    "why_not": ("Hvorfor ikke et annet utfall?", "Why not another outcome?"),
    "why_not_rival": ("Nærmeste alternativ: {outcome}", "Nearest alternative: {outcome}"),
    "why_not_if": ("hvis", "if"),
    "why_not_instead": ("i stedet for", "instead of"),
    "why_not_unset": ("ikke oppgitt", "not given"),
    "why_not_stopped": (
        "Søket etter et annet utfall ble stoppet etter {count} varianter uten å finne ett.",
        "The search for another outcome stopped after {count} variants without finding one.",
    ),
    "why_not_none": (
        "Ingen endring av ett eller to fakta gir et annet utfall.",
        "No change of one or two facts gives another outcome.",
    ),
    "w_not_needed": (
        "{fact} = {value} ble oppgitt, men trengs ikke for denne diagnosen.",
        "{fact} = {value} was given but is not needed for this diagnosis.",
    ),
    "w_conflict": (
        "Regelen {rule} ville gitt {fact} = {value}, men {other} ble brukt (motstridende regler).",
        "Rule {rule} would give {fact} = {value}, but {other} was used (conflicting rules).",
    ),
    "w_contradicts_given": (
        "Regelen {rule} gir {fact} = {value} ut fra de andre faktaene, men saken oppgir {other}.",
        "Rule {rule} gives {fact} = {value} from the other facts, but the case gives {other}.",
    ),
    "notes": ("Notater", "Notes"),
    "w_from_evidence": (
        "{fact} = {value} er hentet fra beviset ({source}).",
        "{fact} = {value} comes from the evidence ({source}).",
    ),
    "w_evidence_conflict": (
        "Saken oppgir {fact} = {value}, men beviset ({source}) sier {other}: sakens verdi er brukt.",
        "The case gives {fact} = {value}, but the evidence ({source}) says {other}: the case's value is used.",
    ),
    "w_evidence_disagrees_given": (
        "Bevisene er uenige om {fact}: {values}. Saken oppgir {value}, og den verdien er brukt.",
        "The evidence disagrees about {fact}: {values}. The case gives {value}, and that value is used.",
    ),
    "w_evidence_disagrees": (
        "Bevisene er uenige om {fact}: {values}. Det står som ukjent.",
        "The evidence disagrees about {fact}: {values}. It stays unknown.",
    ),
    "w_evidence_cut": (
        "Bare de første {shown:,} av {total:,} funnene i beviset er vist her (spor evidence viser alle).",
        "Only the first {shown:,} of the evidence's {total:,} findings are shown here (spor evidence shows them all).",
    ),
    "evidence": ("Bevis", "Evidence"),
    "ev_recipient": ("Mottaker", "Recipient"),
    "ev_action": ("Handling", "Action"),
    "ev_event": ("Hendelse", "Event"),
    "ev_status": ("Statuskode", "Status code"),
    "ev_reply": ("SMTP-svar", "SMTP reply"),
    "ev_diagnostic": ("Diagnose", "Diagnostic"),
    "ev_reporting": ("Rapportert av", "Reported by"),
    "ev_remote": ("Nektet av", "Refused by"),
    "ev_classification": ("Klassifisering", "Classification"),
    "ev_events": ("Hendelser", "Events"),
    "ev_implies": ("Gir fakta", "Implies"),
    "ev_not_report": ("Ikke en avvisning", "Not a bounce"),
    "ev_unread": ("Ikke gjenkjent", "Not recognised"),
    "ev_nothing": ("Ingen funn.", "Nothing found."),
    "assumed": (
        "Antatt (ikke spurt; artikkelens svar når ingen har sagt noe)",
        "Assumed (not asked; the article's answer when nobody has said)",
    ),
    "assumed_short": ("antatt", "assumed"),
    "assumed_if": ("Hvis {value}", "If {value}"),
    "assumed_undecided": ("ikke avgjort; mangler {missing}", "not decided; missing {missing}"),
    "assumed_stopped": ("(flere svar er ikke prøvd)", "(other answers were not tried)"),
    "warnings_rule": ("Advarsel", "Warning"),
    "w_evidence_replaces_open": (
        "Saken oppgir {fact} = {value} (ikke avklart), og beviset ({source}) sier {other}: bevisets verdi er brukt.",
        "The case gives {fact} = {value} (not settled), and the evidence ({source}) says {other}: "
        "the evidence's value is used.",
    ),
    "w_evidence_wins": (
        "Saken oppgir {fact} = {value}, men beviset ({source}) sier {other}: "
        "bevisets verdi er brukt (--evidence-wins).",
        "The case gives {fact} = {value}, but the evidence ({source}) says {other}: "
        "the evidence's value is used (--evidence-wins).",
    ),
    "w_rule_warning": (
        "Regelen {rule} advarer: saken motsier artikkelen.",
        "Rule {rule} warns: the case contradicts the article.",
    ),
    "severity_error": ("feil", "error"),
    "severity_warning": ("advarsel", "warning"),
    "lang_env_invalid": (
        "SPOR_LANG={value!r} er ikke et språk spor kan: sett den til nb eller en (eller fjern den)",
        "SPOR_LANG={value!r} is not a language spor speaks: set it to nb or en (or unset it)",
    ),
    # -- evidence: what spor evidence says and the problems of reading evidence (evidence/)
    "ev_mail_message": ("E-postmelding", "Mail message"),
    "ev_tally": ("spor evidence: {files} fil(er), {found} funn", "spor evidence: {files} file(s), {found} finding(s)"),
    "ev_tally_events": (
        "; hendelser: {events} lest, {repeated} gjentatt (telt én gang), {unranked} som ikke avgjør noe, "
        "{bad} ikke lesbare",
        "; events: {events} read, {repeated} repeated (counted once), {unranked} that decide nothing, "
        "{bad} not readable",
    ),
    "ev_read_status_part": ("statusdelen (delivery-status)", "delivery-status"),
    "ev_read_status_in_text": ("statusfelt i teksten (delivery-status)", "delivery-status in the text"),
    "ev_read_free_text": ("fri tekst", "free text"),
    "ev_only_first_kb": (
        "bare de første {size} KB av teksten ble lest",
        "only the first {size} KB of its text were read",
    ),
    "ev_only_first_mb": ("bare de første {size} MB ble lest", "only its first {size} MB were read"),
    "ev_long_lines_cut": ("linjer lengre enn {size} KB ble kuttet", "lines longer than {size} KB were cut"),
    "ev_auto_reply": ("et automatisk svar", "an automatic reply"),
    "ev_complaint_report": ("en klagerapport ({type})", "a complaint report ({type})"),
    "ev_complaint_subject": ("en klage (ut fra emnet)", "a complaint (by its subject)"),
    "ev_other_notice": ("et varsel av et annet slag (teksten sier det)", "a notice of another kind (its text says so)"),
    "ev_not_recognised": (
        "ikke gjenkjent: ingen mottaker med en feilkode eller diagnose, ingen statusdel, "
        "og verken emnet eller avsenderen viser at det er en avvisning",
        "not recognised: no recipient with a failure code or diagnostic, no status part, "
        "and neither its subject nor its sender marks a bounce",
    ),
    "ev_no_recipient": (
        "en avvisning, men ingen mottaker kunne leses fra den",
        "a bounce, but no recipient could be read from it",
    ),
    "ev_events_note": (
        "{count} hendelse(r) for denne meldingen; den som avgjør, står på linje {line}",
        "{count} event(s) of this message; the deciding one is on line {line}",
    ),
    "ev_value_sources": ("{value} ({sources})", "{value} ({sources})"),
    "ev_code_twice": ("statuskoden {code} står to ganger", "status code {code} is listed twice"),
    "ev_not_an_event": (
        "ventet en hendelse (et JSON-objekt), fant {found}",
        "expected an event (a JSON object), found {found}",
    ),
    "ev_no_event_field": ("hendelsen har ikke feltet {names}", "the event has no {names} field"),
    "ev_more_bad": (
        "og {count:,} linjer eller hendelser til som ikke kunne leses (bare de første er listet)",
        "and {count:,} more lines or events that could not be read (only the first ones are listed)",
    ),
    "ev_line_too_long": (
        "en linje lengre enn {limit:,} byte: ikke lest",
        "a line longer than {limit:,} bytes: not read",
    ),
    "ev_not_utf8": (
        "ikke UTF-8-tekst ({byte} kan ikke dekodes): denne linjen er ikke lest",
        "not UTF-8 text ({byte} cannot be decoded): this line is not read",
    ),
    "ev_array_line_unreadable": (
        "en linje som ikke kan leses: resten av listen er ikke lest",
        "a line that cannot be read: the rest of the array is not read",
    ),
    "ev_text_after_array": ("tekst etter slutten av JSON-listen", "text after the end of the JSON array"),
    "ev_event_cut": (
        "en hendelse kuttet av linje {line}, som ikke kan leses",
        "an event cut by line {line}, which cannot be read",
    ),
    "ev_file_ends_in_event": (
        "filen slutter inne i en hendelse (kuttet?)",
        "the file ends inside an event (cut short?)",
    ),
    "ev_nested_too_deeply": ("nøstet for dypt", "nested too deeply"),
    "ev_bad_json": ("ikke gyldig JSON: {why}", "not valid JSON: {why}"),
    "ev_bad_json_in_array": (
        "ikke gyldig JSON: {why}; resten av listen er ikke lest",
        "not valid JSON: {why}; the rest of the array is not read",
    ),
    "ev_array_not_closed": (
        "JSON-listen er ikke lukket (filen slutter for tidlig)",
        "the JSON array is not closed (the file ends early)",
    ),
    "ev_empty_folder": ("en mappe uten bevisfiler ({suffixes})", "a folder with no evidence files ({suffixes})"),
    "ev_not_an_event_log": (
        "ikke en hendelseslogg: JSON begynner med [ eller {{",
        "not an event log: JSON starts with [ or {{",
    ),
    "ev_no_events_spec": (
        "ser ut som en hendelseslogg (JSON), men regelbasen deklarerer ingen evidence.events å lese den med",
        "looks like an event log (JSON), but the rulebase declares no evidence.events to read one with",
    ),
    "ev_no_reports_spec": (
        "regelbasen deklarerer ingen evidence.reports å lese en melding som kom tilbake med",
        "the rulebase declares no evidence.reports to read a returned message with",
    ),
    "ev_is_folder": ("dette er en mappe, ventet en bevisfil", "this is a folder, expected an evidence file"),
    "ev_not_regular": (
        "ikke en vanlig fil (et rør eller en enhet?): ventet en melding som kom tilbake (.eml) eller en "
        "hendelseslogg (JSON)",
        "not a regular file (a pipe or a device?): expected a returned message (.eml) or an event log (JSON)",
    ),
    "ev_no_events_for": ("har ingen hendelser for {address}", "holds no events for {address}"),
    "ev_no_events": (
        "har ingen hendelser (ventet en JSON-liste med hendelser, eller én hendelse per linje)",
        "holds no events (expected a JSON array of events, or one event per line)",
    ),
    "ev_empty_message": (
        "filen er tom: ventet en e-postmelding som kom tilbake (.eml)",
        "the file is empty: expected a returned mail message (.eml)",
    ),
    "ev_not_mail": (
        'ikke en e-postmelding: ventet overskriftslinjer som "From: ..." og "Subject: ..." (en melding som kom '
        "tilbake, lagret som .eml), eller en hendelseslogg (JSON)",
        'not a mail message: expected header lines such as "From: ..." and "Subject: ..." (a returned message '
        "saved as .eml), or an event log (JSON)",
    ),
    "ev_mime_too_deep": (
        "MIME-delene er nøstet for dypt til å leses (en skadet eller fiendtlig melding?)",
        "its MIME parts are nested too deeply to be read (a damaged or hostile message?)",
    ),
    "ev_none_readable": ("ingen kunne leses", "none could be read"),
    "ev_says_nothing_about": (
        "sier ingenting om {address} (mottakerne: {named})",
        "says nothing about {address} (its recipients: {named})",
    ),
    "w_gap": (
        "Ingen regel gir et utfall for disse faktaene, og ingen flere spørsmål kan endre det: regelbasen har et hull.",
        "No rule gives an outcome for these facts and no further question can change that: the rulebase has a gap.",
    ),
    "recipient_needs_evidence": (
        "--recipient velger blant bevisene: gi --evidence FIL også",
        "--recipient chooses among the evidence: give --evidence FILE too",
    ),
}


def number(value: int, lang: str = "nb") -> str:
    """A count as each language groups its digits: 12 345 (with a no-break space) in nb, 12,345 in en."""
    return f"{value:,}" if lang == "en" else f"{value:,}".replace(",", "\u00a0")


def text(key: str, lang: str = "nb", **params) -> str:
    """The catalogue's text for ``key`` in ``lang``, filled with ``params`` (worded in ``lang`` too)."""
    return render(key, lang, params)
