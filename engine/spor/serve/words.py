"""The page's own words, in Norwegian (nb) and English (en).

Texts from the rulebase (questions, labels, verdicts, replies) come from the
rulebase, and the words spor's other output uses (verdict, steps, reply,
facts) from ``spor.common.messages``; only what the web page alone shows
lives here, each in both languages.
"""

from __future__ import annotations

from spor.common import messages

_WORDS = {
    "other_lang": ("English", "Norsk"),
    "language": ("Språk", "Language"),
    "moves": ("Flytt i saken", "Move in the case"),
    "question_n": ("Spørsmål {n}", "Question {n}"),
    "dont_know": ("Vet ikke", "Don't know"),
    "back": ("Tilbake", "Back"),
    "restart": ("Start på nytt", "Restart"),
    "why_asked": ("Hvorfor spør spor om dette?", "Why does spor ask this?"),
    "derived_hint": (
        "Dette utledes vanligvis av andre svar. Svar bare hvis du vet det.",
        "This is usually worked out from other answers. Answer only if you know it.",
    ),
    "assumed_hint": (
        "Reglene antar et svar på dette når ingen har sagt noe. Svar bare hvis du vet det.",
        "The rules assume an answer to this when nobody has said. Answer it only if you know it.",
    ),
    "failed_title": ("Noe gikk galt", "Something went wrong"),
    "not_logged": (
        "Avgjørelsen ble gitt, men kunne ikke skrives i avgjørelsesloggen.",
        "The decision was given, but could not be written to the decision log.",
    ),
    "facts_so_far": ("Fakta så langt", "Facts so far"),
    "not_known": ("vet ikke", "not known"),
    "change": ("endre", "change"),
    "answer_now": ("svar nå", "answer now"),
    "answer_anyway": ("Svar likevel:", "Answer it anyway:"),
    "undecided_more": (
        "Svar på et av spørsmålene over, eller les inn bevis, for å komme videre.",
        "Answer one of the questions above, or read in evidence, to go on.",
    ),
    "copy": ("Kopier svaret", "Copy the reply"),
    "copied": ("Svaret er kopiert.", "The reply is copied."),
    "copy_failed": (
        "Kunne ikke kopiere: merk teksten og kopier den selv.",
        "Could not copy: select the text and copy it yourself.",
    ),
    "download": ("Last ned saken (YAML)", "Download the case (YAML)"),
    "case_id": ("Saksnummer (valgfritt)", "Case id (optional)"),
    "evidence_head": ("Les inn bevis", "Read in evidence"),
    "evidence_help": (
        "Slipp eller velg en returmelding (.eml) eller en hendelseslogg (JSON). "
        "Fakta beviset gir, fylles inn der saken ikke har et svar.",
        "Drop or pick a returned message (.eml) or an event log (JSON). "
        "The facts it gives fill in what the case has no answer for.",
    ),
    "evidence_files": ("Filer", "Files"),
    "evidence_read": ("Les beviset", "Read the evidence"),
    "evidence_drop": ("Slipp filene her", "Drop the files here"),
    "evidence_says": ("Dette sier beviset", "What the evidence says"),
    "evidence_fills": ("Beviset fyller inn:", "The evidence fills in:"),
    "evidence_nothing": (
        "Beviset fyller ikke inn noe saken ikke allerede har svar på.",
        "The evidence fills in nothing the case does not already answer.",
    ),
    "evidence_unread": ("Kunne ikke leses:", "Could not be read:"),
    "evidence_none": ("Velg minst én fil.", "Pick at least one file."),
    "continue": ("Fortsett", "Continue"),
    "upload_source": ("opplastet fil", "uploaded file"),
    "bad_link": ("Lenken holder noe spor ikke forstår:", "The link holds something spor does not understand:"),
    "bad_upload": ("Opplastingen kunne ikke leses:", "The upload could not be read:"),
    "not_found": ("Siden finnes ikke.", "There is no such page."),
    "failed": (
        "Noe gikk galt i spor. Feil-id: {id} (står også i tjenerens logg).",
        "Something went wrong in spor. Error id: {id} (also in the server's log).",
    ),
    "keys": (
        "Tastatur: 1–9 velger et svar, 0 er «vet ikke», ? viser hvorfor.",
        "Keyboard: 1–9 picks an answer, 0 is “don't know”, ? shows why.",
    ),
    "no_js": (
        "Siden virker uten JavaScript. Tallknappene, kopiknappen og slipp av filer trenger JavaScript.",
        "The page works without JavaScript. Number keys, the copy button and dropping files need JavaScript.",
    ),
    "result": ("Resultat", "Result"),
    "rule": ("regel", "rule"),
    "rulebase": ("Regelbase", "Rulebase"),
}


def word(key: str, lang: str = "nb", **params: object) -> str:
    """A word of the page in ``lang``; a key the page shares with the commands comes from their catalogue."""
    if key not in _WORDS:
        return messages.text(key, lang, **params)
    nb, en = _WORDS[key]
    template = en if lang == "en" else nb
    return template.format(**params) if params else template


def keys() -> tuple:
    """Every key of the page's own catalogue (the tests hold each to have both languages)."""
    return tuple(_WORDS)
