"""The report's own words, in Norwegian (nb) and English (en); the domain's words come from the rulebase."""

from __future__ import annotations

WORDS = {
    "title": ("spor-rapport: {rulebase}", "spor report: {rulebase}"),
    "inputs": ("Kilder", "Inputs"),
    "period": ("Periode", "Period"),
    "all_time": ("hele loggen", "the whole log"),
    "decisions": ("Avgjørelser", "Decisions"),
    "errors": ("Feilposter (kunne ikke avgjøres)", "Error records (could not be decided)"),
    "outcomes": ("Utfall", "Outcomes"),
    "sides": ("Hvem må handle", "Who must act"),
    "weeks": ("Per uke", "By week"),
    "week_of": ("uke fra {day}", "week of {day}"),
    "undated": ("uten dato (batch-utdata)", "undated (batch output)"),
    "silent": ("Artikkelen er taus ({section})", "The article is silent ({section})"),
    "silent_rate": (
        "{count} av {total} avgjørelser ({percent}) siterer {section}, avsnittet for det artikkelen ikke dekker.",
        "{count} of {total} decisions ({percent}) cite {section}, the section for what the article does not cover.",
    ),
    "silent_groups": ("Sakene bak, gruppert etter oppgitte fakta", "The cases behind it, grouped by the facts given"),
    "silent_more": ("… og {count} grupper til", "… and {count} more groups"),
    "incomplete": ("Ikke avgjort (mangler fakta)", "Not decided (facts missing)"),
    "next_question": ("Neste spørsmål", "Next question"),
    "assumed": ("Antatt uten å spørre", "Assumed without asking"),
    "from_evidence": ("Fakta hentet fra bevis", "Facts taken from evidence"),
    "codes": ("Statuskoder i bevisene", "Status codes in the evidence"),
    "codes_by_subject": ("Statuskoder etter emne (X.Y)", "Status codes by subject (X.Y)"),
    "codes_by_class": ("Statuskoder etter klasse (X)", "Status codes by class (X)"),
    "code": ("Kode", "Code"),
    "class": ("Klasse", "Class"),
    "subject": ("Emne", "Subject"),
    "meaning": ("Betydning", "Meaning"),
    "no_meaning": ("(regelbasen sier ikke hva koden betyr)", "(the rulebase does not say what this code means)"),
    "questions": ("Spørsmål i intervjuer", "Questions in interviews"),
    "asked": ("stilt", "asked"),
    "answered": ("besvart", "answered"),
    "why": ("hvorfor?", "why?"),
    "skipped": ("hoppet over", "skipped"),
    "abandoned": ("avbrutt her", "abandoned here"),
    "seconds": ("sekunder per svar", "seconds per answer"),
    "interviews": (
        "{sessions} intervjuer: {finished} fullført, {abandoned} ikke fullført",
        "{sessions} interviews: {finished} finished, {abandoned} not finished",
    ),
    "rules": ("Regler etter hvor ofte de slo til", "Rules by how often they fired"),
    "never_fired": ("Regler som aldri slo til i perioden", "Rules that never fired in the period"),
    "sections": ("Avsnitt i artikkelen etter hvor ofte de ble sitert", "Sections of the article by how often cited"),
    "count": ("Antall", "Count"),
    "share": ("Andel", "Share"),
    "rule": ("Regel", "Rule"),
    "section": ("Avsnitt", "Section"),
    "fact": ("Faktum", "Fact"),
    "outcome": ("Utfall", "Outcome"),
    "side": ("Hvem", "Who"),
    "cases": ("Saker", "Cases"),
    "undecided": ("(ikke avgjort)", "(undecided)"),
    "none": ("(ingen)", "(none)"),
    "since_after_until": ("--since er etter --until", "--since is after --until"),
    "nothing": ("Ingen avgjørelser i perioden.", "No decisions in the period."),
    "other_rulebase": (
        "Merk: {count} avgjørelser ble tatt med en annen regelbase ({id} {hash}) enn den som navngir dem her.",
        "Note: {count} decisions were made with another rulebase ({id} {hash}) than the one naming them here.",
    ),
    "chart_note": (
        "Diagrammene krever matplotlib: pip install 'spor[report]'. Tallene står i tabellene.",
        "The charts need matplotlib: pip install 'spor[report]'. The figures are in the tables.",
    ),
    "chart_of": ("Diagram: {title}", "Chart: {title}"),
    "table_of": ("Tabell: {title}", "Table: {title}"),
}


def word(key: str, lang: str, **params) -> str:
    nb, en = WORDS[key]
    template = en if lang == "en" else nb
    return template.format(**params) if params else template


def percent(share: float, lang: str) -> str:
    text = f"{share * 100:.1f} %" if lang == "nb" else f"{share * 100:.1f}%"
    return text.replace(".", ",") if lang == "nb" else text
