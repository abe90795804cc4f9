"""The catalogue's part for two commands' own words: ``spor ask``'s dialogue and ``spor batch``'s summary.

Each entry is ``key: (nb, en)`` with the same named placeholders;
``messages.text`` finds it (this part is imported when first needed).
"""

from __future__ import annotations

DIALOGUE = {
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
    "ask_undone": ("Angret svaret om «{label}» ({fact}).", "Undid the answer about '{label}' ({fact})."),
    "ask_restarted": ("Startet på nytt.", "Started again."),
    "ask_skipped": (
        "Hoppet over «{label}» ({fact}); det står som ukjent.",
        "Skipped '{label}' ({fact}); it stays unknown.",
    ),
    "ask_end_of_input": ("Slutt på input: saken er ikke avgjort.", "End of input: the case is not decided."),
    "ask_saved": ("Lagret saken i {path}.", "Saved the case to {path}."),
    "ask_saved_evidence": (
        "{fact} = {value} er hentet fra beviset ({source}), ikke oppgitt.",
        "{fact} = {value} comes from the evidence ({source}), not from an answer.",
    ),
    "ask_unknown_command": ("Ukjent kommando. {intro}", "Unknown command. {intro}"),
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
    "ask_offer": (
        "Antatt uten å spørre; skriv nummeret for å svare likevel:",
        "Assumed without asking; type its number to answer it anyway:",
    ),
    "ask_notes_full": ("notatene er fulle; ikke notert: {line}", "the notes are full; not noted: {line}"),
    "ask_expect_updated": (
        "Forventningen (expect) fra startsaken holder ikke lenger, så den lagrede saken forventer det nye "
        "resultatet: {changes}",
        "The starting case's expectation (expect) no longer holds, so the saved case expects the new result: {changes}",
    ),
    "log_not_kept": (
        "{count} avgjørelse(r) kunne ikke skrives i loggen ({error}); svarene ble gitt",
        "{count} decision(s) could not be logged ({error}); the answers were given",
    ),
}
