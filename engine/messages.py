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
    "incomplete": ("Ikke avgjort ennå: det mangler opplysninger.", "Not decided yet: facts are missing."),
    "missing": ("Mangler (neste spørsmål først)", "Missing (next question first)"),
    "where": ("Finnes i", "Found in"),
    "answers": ("Svar", "Answers"),
    "warnings": ("Advarsler", "Warnings"),
    "because": ("fordi", "because"),
    "unknown": ("ukjent", "unknown"),
    "no_rule": ("Ingen regel har slått til.", "No rule has fired."),
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
    "w_gap": (
        "Ingen regel gir et utfall for disse faktaene, og ingen flere spørsmål kan endre det: regelbasen har et hull.",
        "No rule gives an outcome for these facts and no further question can change that: the rulebase has a gap.",
    ),
}


def text(key: str, lang: str = "nb", **params) -> str:
    nb, en = _CATALOGUE[key]
    template = en if lang == "en" else nb
    return template.format(**params) if params else template
