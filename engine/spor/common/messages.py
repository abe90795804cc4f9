"""The engine's own words, in Norwegian (nb) and English (en).

Domain texts (questions, verdicts, replies) come from the rulebase; only
the words spor itself prints live here.
"""

from __future__ import annotations

LANGS = ("nb", "en")

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
    "ask_intro": (
        "Svar med nummer, id eller navn. Kommandoer: ? (hvorfor), tilbake, hopp over, start på nytt, avslutt.",
        "Answer with a number, an id or a name. Commands: ? (why), back, skip, restart, quit.",
    ),
    "ask_after": (
        "Skriv «hvordan» for å se hvordan diagnosen ble nådd, «tilbake» for å endre siste svar, eller «avslutt».",
        "Type 'how' to see how the diagnosis was reached, 'back' to change the last answer, or 'quit'.",
    ),
    "ask_invalid": ("Ugyldig svar: {message}", "Not a valid answer: {message}"),
    "ask_why_head": ("Hvorfor spør jeg om «{label}» ({fact})?", "Why do I ask about '{label}' ({fact})?"),
    "ask_why_rules": ("Svaret avgjør disse reglene:", "The answer decides these rules:"),
    "ask_gives": ("gir", "gives"),
    "ask_also": ("trenger også", "also needs"),
    "ask_chain": (
        "Det trengs for å finne: {chain}, og så utfallet.",
        "It is needed to find: {chain}, and then the outcome.",
    ),
    "ask_chain_direct": ("Det avgjør utfallet direkte.", "It decides the outcome directly."),
    "ask_how_head": ("Slik ble diagnosen nådd:", "How the diagnosis was reached:"),
    "ask_how_not_yet": (
        "Ingen diagnose ennå: svar på spørsmålene først (? forklarer hvorfor et spørsmål stilles).",
        "No diagnosis yet: answer the questions first (? explains why a question is asked).",
    ),
    "ask_choose": ("Velg 1–{last}, eller skriv svaret.", "Choose 1–{last}, or type the answer."),
    "ask_known": ("Kjent fra saken", "Known from the case"),
    "ask_nothing_to_undo": ("Det er ikke noe svar å angre.", "There is no answer to undo."),
    "ask_undone": ("Angret svaret om {fact}.", "Undid the answer about {fact}."),
    "ask_restarted": ("Startet på nytt.", "Started again."),
    "ask_skipped": ("Hoppet over {fact}; det står som ukjent.", "Skipped {fact}; it stays unknown."),
    "ask_end_of_input": ("Slutt på input: saken er ikke avgjort.", "End of input: the case is not decided."),
    "ask_saved": ("Lagret saken i {path}.", "Saved the case to {path}."),
    "ask_saved_evidence": (
        "{fact} = {value} er hentet fra beviset ({source}), ikke oppgitt.",
        "{fact} = {value} comes from the evidence ({source}), not from an answer.",
    ),
    "ask_unknown_command": ("Ukjent kommando. {intro}", "Unknown command. {intro}"),
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
    "batch_head": (
        "spor batch: {records} poster: {results} resultater, {errors} feil",
        "spor batch: {records} records: {results} results, {errors} errors",
    ),
    "batch_outcomes": ("utfall", "outcomes"),
    "batch_undecided": ("(ikke avgjort)", "(undecided)"),
    "batch_incomplete": ("ufullstendige", "incomplete"),
    "batch_errors": ("feil", "errors"),
    "batch_balance": (
        "poster inn = resultater + feil: {records} = {results} + {errors}",
        "records in = results + errors: {records} = {results} + {errors}",
    ),
    "batch_resumed": (
        "gjenopptatt: {skipped} av disse postene stod allerede i utdataene og ble ikke kjørt på nytt",
        "resumed: {skipped} of these records were already in the output and were not run again",
    ),
    "batch_progress": ("{records} poster", "{records} records"),
    "batch_interrupted": (
        "spor batch: avbrutt; {written} poster er komplette i {path}; kjør igjen med --resume for å fortsette",
        "spor batch: interrupted; {written} records are complete in {path}; run again with --resume to go on",
    ),
    "batch_interrupted_stdout": (
        "spor batch: avbrutt; postene som er skrevet så langt, er komplette",
        "spor batch: interrupted; the records written so far are complete",
    ),
    "batch_interrupted_early": (
        "spor batch: avbrutt før noe ble skrevet; utdataene er som før",
        "spor batch: interrupted before anything was written; the output is as it was",
    ),
    "assumed": (
        "Antatt (ikke spurt; artikkelens svar når ingen har sagt noe)",
        "Assumed (not asked; the article's answer when nobody has said)",
    ),
    "assumed_short": ("antatt", "assumed"),
    "assumed_if": ("Hvis {value}", "If {value}"),
    "assumed_undecided": ("ikke avgjort; mangler {missing}", "not decided; missing {missing}"),
    "assumed_stopped": ("(flere svar er ikke prøvd)", "(other answers were not tried)"),
    "ask_offer": (
        "Antatt uten å spørre; skriv nummeret for å svare likevel:",
        "Assumed without asking; type its number to answer it anyway:",
    ),
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
    "w_gap": (
        "Ingen regel gir et utfall for disse faktaene, og ingen flere spørsmål kan endre det: regelbasen har et hull.",
        "No rule gives an outcome for these facts and no further question can change that: the rulebase has a gap.",
    ),
}


def number(value: int, lang: str = "nb") -> str:
    """A count as each language groups its digits: 12 345 (with a no-break space) in nb, 12,345 in en."""
    return f"{value:,}" if lang == "en" else f"{value:,}".replace(",", "\u00a0")


def text(key: str, lang: str = "nb", **params) -> str:
    nb, en = _CATALOGUE[key]
    template = en if lang == "en" else nb
    return template.format(**params) if params else template
