"""The catalogue's part for two commands' own words: ``spor ask``'s dialogue, and ``spor batch``'s summary, the
problems it finds in its input records and what it refuses (an output, a resume).

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
    # -- the records of spor batch's inputs (batch/inputs.py)
    "line_too_long": ("linjen er lengre enn {limit:,} byte", "the line is longer than {limit:,} bytes"),
    "line_not_utf8": ("linjen er ikke UTF-8 (byte {byte})", "the line is not UTF-8 (byte {byte})"),
    "csv_line_not_utf8": (
        "linjen er ikke UTF-8 (byte {byte} i kolonne {column})",
        "the line is not UTF-8 (byte {byte} at column {column})",
    ),
    "csv_empty": (
        "filen er tom: ventet en overskriftsrad med navnene på fakta",
        "the file is empty: expected a header row of fact names",
    ),
    "csv_header_unusable": ("overskriftsraden kan ikke brukes: {problem}", "the header cannot be used: {problem}"),
    "csv_row_width": ("{cells} celler, overskriftsraden har {width}", "{cells} cells, the header has {width}"),
    "csv_row_too_long": ("raden er lengre enn {limit:,} tegn", "the row is longer than {limit:,} characters"),
    "csv_quote_not_closed": ("en celle i anførselstegn er ikke lukket", "a quoted cell is not closed"),
    "csv_invalid": ("ikke gyldig CSV: {why}", "not valid CSV: {why}"),
    "csv_column_twice": ("kolonnen {name!r} står to ganger", "the column {name!r} appears twice"),
    "csv_unknown_column": (
        "ukjent kolonne {name!r}{hint}; kjente kolonner: {known}",
        "unknown column {name!r}{hint}; known: {known}",
    ),
    # -- what spor batch refuses, before and while it runs (batch/guard.py, resume.py, runner.py, workers.py, cli/)
    "batch_stdin_twice": (
        "standard inn kan leses én gang: gi - én gang",
        "standard input can be read once: give - once",
    ),
    "batch_resume_needs_out": (
        "--resume trenger --out: filen som skal fortsettes",
        "--resume needs --out: the file to continue",
    ),
    "batch_empty_folder": (
        "har ingen saksfiler, JSON Lines-filer eller CSV-filer (*.yaml, *.yml, *.json, *.jsonl, *.ndjson, *.csv)",
        "holds no case, JSON Lines or CSV files (*.yaml, *.yml, *.json, *.jsonl, *.ndjson, *.csv)",
    ),
    "batch_cannot_write_resume": (
        "kan ikke skrives: {detail}: kjør igjen med --resume --out {out} når det er plass",
        "cannot be written: {detail}: run again with --resume --out {out} when there is room",
    ),
    "batch_not_output": (
        "dette er ikke utdata fra spor batch, så kjøringen kan ikke gjenopptas fra den",
        "this is not spor batch output: cannot resume from it",
    ),
    "resume_stdin": (
        "kan ikke gjenoppta en kjøring som leste standard inn: det den leste, er borte",
        "cannot resume a run that read standard input: what it read is gone",
    ),
    "resume_no_record": (
        "har ingen opptegnelse av kjøringen som skrev den ({record}): spor kan ikke vite om innfilene, regelbasen "
        "eller valgene er endret, så den gjenopptas ikke; kjør uten --resume for å begynne på nytt (filen blir da "
        "erstattet)",
        "has no record of the run that wrote it ({record}): spor cannot tell whether the inputs, the rulebase or "
        "the options changed, so it does not resume it; run without --resume to start again (the file is then "
        "replaced)",
    ),
    "resume_record_unreadable": (
        "opptegnelsen av kjøringen som skrev den ({record}), kan ikke leses: kjør uten --resume for å begynne på nytt",
        "the record of the run that wrote it ({record}) cannot be read: run without --resume to start again",
    ),
    "resume_changed": (
        "kan ikke gjenoppta: dette er endret siden kjøringen som skrev den: {changed}; kjør uten --resume for å "
        "begynne på nytt",
        "cannot resume: since the run that wrote it, these changed: {changed}; run without --resume to start again",
    ),
    "resume_spor_version": ("versjonen av spor", "spor's version"),
    "resume_rulebase": ("regelbasen (eller koden til spor)", "the rulebase (or spor's code)"),
    "resume_inputs_named": ("innfilene som er oppgitt", "the inputs named"),
    "resume_file_changed": ("{name} (endret siden den første kjøringen)", "{name} (changed since the first run)"),
    "resume_file_new": ("{name} (ny)", "{name} (new)"),
    "resume_file_gone": ("{name} (borte)", "{name} (gone)"),
    "resume_wrong_record": (
        "kan ikke gjenoppta: post {number} i utdataene kom fra {source}, ikke fra disse innfilene",
        "cannot resume: record {number} of the output came from {source}, not from this input",
    ),
    "resume_too_many_records": (
        "kan ikke gjenoppta: utdataene har allerede {done:,} poster, disse innfilene har {seen:,}",
        "cannot resume: the output already holds {done:,} records, these inputs have {seen:,}",
    ),
    "batch_engine_failed": (
        "inferensmotoren feilet på denne saken: {detail}",
        "the inference engine failed on this case: {detail}",
    ),
    "batch_no_fork": (
        "arbeidsprosessene til --jobs trenger startmetoden 'fork', som denne plattformen mangler: kjør uten --jobs",
        "worker processes need the 'fork' start method, which this platform lacks: run without --jobs",
    ),
    "batch_worker_died": (
        "en arbeidsprosess for --jobs stoppet uventet (drept, eller tom for minne?); postene som er skrevet så "
        "langt, er komplette: kjør igjen med --resume",
        "a worker process of --jobs stopped unexpectedly (killed, or out of memory?); the records written so far "
        "are complete: run again with --resume",
    ),
}
