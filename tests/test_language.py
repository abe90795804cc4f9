"""One language throughout: every command takes --lang, the default comes from the environment, and nothing a
person reads is left in the other language.

The catalogue (``spor.common.messages``, ``problems``, ``checks``,
``dialogue``) holds every word spor itself prints, in nb and en, with the
same placeholders; problems are built from it, never from raw text. The
scans below run every command in Norwegian and look for English words in
what it printed (and in English for Norwegian), after taking out what
legitimately appears in either language: the rulebase's own texts and ids,
a case's title, what a bounce says, file names, flags and codes.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from spor.cli import cli
from spor.cli.common import default_lang, locale_lang
from spor.common.messages import Msg, catalogue, say, text

from .conftest import EXAMPLES, FIXTURES, HEATING, ROOT, RULES, edited_copy

PACKAGE = ROOT / "engine" / "spor"
BOUNCES = FIXTURES / "bounces"
SAMPLE = FIXTURES / "sendgrid-documented-sample.json"

# modules that still build a problem from raw English text: they belong to work under way elsewhere, and each
# leaves this list when it words its problems through the catalogue (the test below fails while one listed
# has no raw text left, so that the list only shrinks)
PENDING: set[str] = set()
# the calls that take a message a person reads, and the keywords that hold one
MESSAGE_CALLS = {"Problem", "problem", "report", "finding", "add", "_bad", "_Stop", "Finding", "Notice"}
MESSAGE_KEYWORDS = {"message", "note"}


def spor(*args, lang_env: str | None = None, input: str | None = None):
    env = {"SPOR_LANG": lang_env} if lang_env else None
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, env=env)


# -- the catalogue ------------------------------------------------------------------------------------------------


def _fields(template: str) -> list:
    return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name is not None)


def test_every_catalogue_entry_has_both_languages_with_the_same_placeholders():
    entries = catalogue()
    assert len(entries) > 250
    for key, pair in entries.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        nb, en = pair
        assert nb.strip() and en.strip(), key
        assert _fields(nb) == _fields(en), f"{key}: {_fields(nb)} in nb, {_fields(en)} in en"
        params = {name: 1 if "," in template_spec(nb, name) else "x" for name in _fields(nb)}
        assert say(Msg(key, **params), "nb") and str(Msg(key, **params)), key  # both fill without an error


def template_spec(template: str, name: str) -> str:
    return next((spec or "" for _, field, spec, _ in string.Formatter().parse(template) if field == name), "")


def test_a_message_reads_as_english_and_is_worded_in_either_language():
    message = Msg("unknown_fact", name="buildin", hint=Msg("did_you_mean", name="building"))
    assert message == "unknown fact 'buildin' (did you mean 'building'?)"  # what scripts and JSON see
    assert message.text("nb") == "ukjent faktum 'buildin' (mente du 'building'?)"
    assert say(message, "en") == str(message) and say("plain text", "nb") == "plain text"
    import pickle

    again = pickle.loads(pickle.dumps(message))  # a batch worker's problem keeps its key and parameters
    assert again.text("nb") == message.text("nb") and again == message
    assert text("rules_too_large", "nb", size=12345, limit=4194304) == (
        "regelfilene er 12\u00a0345 byte til sammen; en regelbase kan være 4\u00a0194\u00a0304"
    )


ENGLISH = re.compile(
    r"\b(the|is|are|was|were|not|of|and|or|with|without|which|this|that|these|rules?|values?|missing|errors?|"
    r"warnings?|found|expected|unknown|allowed|files?|folders?|cases?|outcomes?|because|given|derived|answers?|"
    r"questions?|cannot|must|should|here|only|every|lines?|keys?|none|passed|failed|skipped|coverage|records?|"
    r"results?|findings?|changed|decisions?|reply|reason|messages?|read|written|such|would|will|has|have|does|"
    r"than|from|into|its|it|an|no|yes|nothing|too|more|less|at most|at least)\b",
    re.IGNORECASE,
)
NORWEGIAN = re.compile(
    r"\b(ikke|og|er|av|som|på|med|fra|eller|mangler|feil|regel|regler|verdi|verdier|utfall|fakta|faktum|gitt|"
    r"utledet|fordi|hvorfor|ingen|kan|må|den|det|ble|har|til|sak|saken|svar|fil|filen|mappe|mappen|hendelser?)\b|"
    r"[æøåÆØÅ]",
    re.IGNORECASE,
)
# what may stand in a text of either language: code, names, notation
NEUTRAL = [
    r"https?://\S+",
    r"\S+@\S+",  # addresses
    r"\S*/\S*",  # paths, "a / b", "A | B"
    r"\S+\.(?:yaml|yml|json|jsonl|ndjson|eml|csv|info|xml)\b",
    r"'[^']*'|\"[^\"]*\"|`[^`]*`",  # quoted: a value as typed, a key of the file format, a command
    r"--[\w-]+",  # flags
    r"\bspor \w+",
    r"\$\w+",  # environment variables
    r"\w*[_\d]\w*",  # ids and codes with _ or digits
    r"\w+(?:[.:-]\w+)+",  # dotted and hyphenated names (evidence.events, delivery-status)
    r"JSON Lines|\b[A-Z]{2,}\b",  # JSON, YAML, MIME, click's metavars
    r"§\s*\d+|RFC \d+",
    r"\b(?:SendGrid|Outlook|Gmail|Agro|jsonschema|lcov|JUnit|Mermaid|Graphviz|dot|markdown|mermaid|text|json|"
    r"true|false|null|locale|glob|id|nb|nn|no|en|Ctrl)\b",
]


def _domain(*rulebases) -> re.Pattern:
    """Every text and id a rulebase supplies (in both languages), as one pattern that matches any of them whole."""
    found: set[str] = set()

    def walk(node, seen):
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, str):
            for piece in re.split(r"\{[a-z_0-9]+\}", node):
                piece = " ".join(piece.split()).strip(" .,:;")
                if len(piece) >= 2:
                    found.add(piece)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(key, seen)
                walk(value, seen)
        elif isinstance(node, (list, tuple, set, frozenset)):
            for item in node:
                walk(item, seen)
        elif hasattr(node, "__dict__") and not isinstance(node, type):
            walk(vars(node), seen)

    for rb in rulebases:
        walk(rb, set())
    words = sorted(found, key=len, reverse=True)
    return re.compile("|".join(rf"(?<![\w-]){re.escape(w)}(?![\w-])" for w in words))


def _case_texts() -> list:
    import yaml

    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [data.get("title", ""), data.get("notes", "")]
    return [t for t in out if t]


def _bounce_texts(rulebase) -> list:
    from spor.evidence.merge import readings

    out = []
    for reading in readings([str(BOUNCES), str(SAMPLE)], rulebase):
        for item in reading.explained:
            f = item.finding
            out += [f.recipient, f.reply, f.diagnostic, f.reporting, f.remote, f.classification, f.message, f.type]
            out += [name for name in f.events]
    return [t for t in out if t and len(t) > 1]


def _loose(text: str) -> re.Pattern:
    """``text`` wherever it stands, however a line was wrapped inside it (a long word is broken by the wrap)."""
    return re.compile(r"(?<![\w-])" + r"\s*".join(re.escape(c) for c in text if not c.isspace()) + r"(?![\w-])")


def _leftover(output: str, domain: re.Pattern, extra: list) -> str:
    """What spor itself said in ``output``: the cases' and the bounces' texts, the neutral notation and the
    domain's texts and ids taken out."""
    said = output
    for pattern in extra:
        said = pattern.sub(" ", said)
    said = domain.sub(" ", " ".join(said.split()))
    for pattern in NEUTRAL:
        said = re.sub(pattern, " ", said)
    return said


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, rulebase, heating_rulebase):
    """Every command's output in each language: {lang: [(what was run, what it printed)]}."""
    tmp = tmp_path_factory.mktemp("language")
    broken = edited_copy(
        RULES,
        tmp / "broken",
        "20-transport.yaml",
        "module: [faktura, time, regnskapsrapporter]",
        "module: [faktura, time, regnskapsrapporter, skatt]",
    )
    schema_broken = edited_copy(HEATING, tmp / "schema", "10-facts.yaml", "label:", "labl:")
    failing = tmp / "failing.yaml"
    failing.write_text("facts: {building: cabin}\nexpect: {outcome: call_pro}\n", encoding="utf-8")
    unreadable = tmp / "unreadable.yaml"
    unreadable.write_text("facts: {building: cabn, colour: red}\n", encoding="utf-8")
    bad_schema = tmp / "bad-schema.yaml"
    bad_schema.write_text("facts: {building: [1, 2]}\nexpct: {}\n", encoding="utf-8")
    empty = tmp / "empty.eml"
    empty.write_bytes(b"")
    examples = sorted(EXAMPLES.glob("*.yaml"))
    runs = [
        ("run", *examples),
        ("run", "--format", "markdown", "--explain", *examples),
        ("run", "--explain", EXAMPLES / "tax-builtin-rejected.yaml", EXAMPLES / "incomplete-nothing-known.yaml"),
        ("run", "--evidence", BOUNCES / "lhost-outlook-01.eml", EXAMPLES / "external-bounced-reason-not-read.yaml"),
        ("run", "--rules", HEATING, unreadable, bad_schema),
        ("check",),
        ("check", "--rules", broken),
        ("check", "--rules", schema_broken),
        ("test", "--coverage"),
        ("test", "--rules", HEATING, failing, unreadable, "--coverage", "--fail-under", "100"),
        ("diff", RULES, broken),
        ("diff", RULES, broken, EXAMPLES, unreadable),
        ("evidence", BOUNCES, SAMPLE, empty),
        ("evidence", "--recipient", "nobody@example.com", BOUNCES / "lhost-outlook-01.eml"),
        ("graph",),
        ("graph", "--format", "dot", "--rules", HEATING),
        ("fmt", "--check", RULES),
        ("batch", EXAMPLES, unreadable, "--out", tmp / "batch.jsonl"),
        ("batch", EXAMPLES, "--out", tmp / "logged.jsonl", "--log", tmp / "log.sqlite"),
        ("report", tmp / "log.sqlite"),
        ("report", tmp / "logged.jsonl", tmp / "batch.jsonl"),
        ("report", tmp / "logged.jsonl", "--since", "2026-01-01"),
    ]
    asks = [
        (("ask",), "foo\n?\n2\nhow\nback\nskip\nrestart\n9\nquit\n"),
        (("ask", EXAMPLES / "incomplete-payroll-never-asks-setting.yaml"), "?\nskip\nnonsense\nhow\n"),
        (("ask", "--rules", HEATING), "?\n4\nbogus\nback\n1\nvann\nyes\nhow\n"),
        (("ask", "--save", tmp / "saved-{lang}.yaml", EXAMPLES / "tax-builtin-rejected.yaml"), "how\nback\nquit\n"),
    ]
    found: dict = {}
    for lang in ("nb", "en"):
        found[lang] = []
        for args in runs:
            result = spor(*args, "--lang", lang)
            found[lang].append((args, result.stdout + result.stderr))
        for args, answers in asks:
            args = tuple(str(a).format(lang=lang) for a in args)
            result = spor(*args, "--lang", lang, input=answers)
            found[lang].append((args, result.stdout + result.stderr))
        for command in ("run", "ask", "batch", "evidence", "check", "test", "diff", "graph", "fmt", "schema", "report"):
            help_text = spor(command, "--lang", lang, "--help").output
            if command == "schema":  # the kinds it takes are names, in every language
                help_text = re.sub(
                    r"\b(batch-record|check-report|test-report|diff-record|rules|case|result|finding)\b", " ", help_text
                )
            found[lang].append(((command, "--help"), help_text))
    domain = _domain(rulebase, heating_rulebase)
    extra = [_loose(t) for t in sorted(set(_case_texts() + _bounce_texts(rulebase)), key=len, reverse=True)]
    return found, domain, extra


@pytest.mark.parametrize("lang, words", [("nb", ENGLISH), ("en", NORWEGIAN)])
def test_every_command_speaks_one_language(outputs, lang, words):
    found, domain, extra = outputs
    wrong = []
    for args, output in found[lang]:
        assert output.strip(), args
        said = _leftover(output, domain, extra)
        for match in words.finditer(said):
            context = said[max(0, match.start() - 50) : match.end() + 50]
            wrong.append(f"{' '.join(map(str, args))[:80]}: {match.group(0)!r} in ...{context}...")
    assert not wrong, f"{len(wrong)} words of the other language in --lang {lang}:\n" + "\n".join(wrong[:40])


def test_the_scan_finds_a_word_of_the_other_language(outputs):
    """The scans are not vacuous: an English sentence left in Norwegian output is found."""
    _, domain, extra = outputs
    assert ENGLISH.search(_leftover("Sak: x\nThe rule is missing\n", domain, extra))
    assert NORWEGIAN.search(_leftover("Case: x\nDenne setningen er ikke oversatt\n", domain, extra))


def test_every_norwegian_template_reads_as_norwegian():
    wrong = []
    for key, (nb, en) in catalogue().items():
        said = re.sub(r"\{[^}]*\}", " ", nb)
        for pattern in NEUTRAL:
            said = re.sub(pattern, " ", said)
        if ENGLISH.search(said) and nb != en:
            wrong.append(f"{key}: {nb!r}")
        if NORWEGIAN.search(re.sub(r"\{[^}]*\}", " ", en)):
            wrong.append(f"{key} (en): {en!r}")
    assert not wrong, "\n".join(wrong)


# -- no problem from raw text ---------------------------------------------------------------------------------------


def _raw(node) -> bool:
    """A message written as raw text: a literal with a space in it, an f-string, or text joined to one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and " " in node.value
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _raw(node.left) or _raw(node.right)
    if isinstance(node, ast.IfExp):
        return _raw(node.body) or _raw(node.orelse)
    return False


def _raw_messages(path: Path) -> list:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in MESSAGE_CALLS:
            continue
        values = [*node.args, *(k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS)]
        found += [f"{path.relative_to(PACKAGE)}:{node.lineno}" for value in values if _raw(value)]
    return found


def test_no_problem_is_built_from_raw_text():
    raw, clean_pending = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        found = _raw_messages(path)
        if where in PENDING:
            clean_pending += [] if found else [where]
        else:
            raw += found
    assert not raw, "problems built from raw text (word them with messages.Msg):\n" + "\n".join(raw)
    assert not clean_pending, f"no raw text left: take {clean_pending} off PENDING"


def _said(result) -> str:
    """What a command printed, on standard output and error, each run of white space made one space."""
    return " ".join((result.stdout + result.stderr).split())


def test_batch_input_and_resume_problems_follow_the_language(tmp_path):
    """spor batch's own refusals, spor run's reading of a file: in Norwegian under --lang nb, English under en."""
    missing = tmp_path / "missing.jsonl"
    not_output = tmp_path / "notes.jsonl"
    not_output.write_text("some notes, not spor output\n", encoding="utf-8")
    case = EXAMPLES / "tax-builtin-rejected.yaml"
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(b"facts: {module: l\xf8nn}\n")
    broken = tmp_path / "broken.json"
    broken.write_text("{facts: {}}\n", encoding="utf-8")
    (tmp_path / "piped.jsonl").write_text("", encoding="utf-8")  # an output to resume, of a run that read stdin
    runs = [
        (("batch", missing), "finnes ikke (verken som fil eller mappe)", "no such file or folder"),
        (("batch", "-", "-"), "standard inn kan leses én gang: gi - én gang", "standard input can be read once"),
        (
            ("batch", case, "--resume", "--out", not_output),
            "dette er ikke utdata fra spor batch, så kjøringen kan ikke gjenopptas fra den",
            "this is not spor batch output: cannot resume from it",
        ),
        (
            ("batch", "-", "--resume", "--out", tmp_path / "piped.jsonl"),
            "kan ikke gjenoppta en kjøring som leste standard inn",
            "cannot resume a run that read standard input",
        ),
        (
            ("run", latin1),
            "teksten er ikke UTF-8 (byte 0xf8): lagre filen som UTF-8",
            "the text is not UTF-8 (byte 0xf8): save the file as UTF-8",
        ),
        (
            ("run", broken),
            "ikke gyldig JSON: ventet et navn i doble anførselstegn",
            "not valid JSON: Expecting property name enclosed in double quotes",
        ),
    ]
    for args, nb, en in runs:
        said_nb = _said(spor(*args, "--lang", "nb", input=""))
        said_en = _said(spor(*args, "--lang", "en", input=""))
        assert "spor: feil: " in said_nb and nb in said_nb and en not in said_nb, (args, said_nb)
        assert "spor: error: " in said_en and en in said_en and nb not in said_en, (args, said_en)
    usage = spor("batch", case, "--resume", "--lang", "nb")
    assert usage.exit_code == 2 and "--resume trenger --out: filen som skal fortsettes" in usage.output


def test_a_batch_records_problems_are_worded_in_either_language_and_json_keeps_english(tmp_path, rulebase):
    """A JSON Lines line that is not UTF-8 or not JSON, a CSV header with an unknown column: an error record whose
    ``error`` is the English text (stable for scripts, whatever --lang), and whose problem reads in nb or en."""
    import json

    from spor.batch.inputs import records
    from spor.rulebase.cases import Normaliser

    lines = tmp_path / "cases.jsonl"
    lines.write_bytes(b'{"facts": {"module": "l\xf8nn"}}\n{"facts": \n[[[\n')
    table = tmp_path / "cases.csv"
    table.write_text("concern,modul\nsent,lonn\n", encoding="utf-8")
    for lang in ("nb", "en"):
        result = spor("batch", lines, table, "--lang", lang)
        errors = [json.loads(line)["error"] for line in result.stdout.splitlines()]
        assert errors == [
            "the line is not UTF-8 (byte 0xf8)",
            "not valid JSON: Expecting value",
            "not valid JSON: Expecting value",
            "the header cannot be used: unknown column 'modul' (did you mean 'module'?); known: id, title, notes, "
            + ", ".join(rulebase.facts),
        ], lang
    problems = [p for record in records([lines, table], Normaliser(rulebase)) for p in record.problems]
    assert [p.text("nb") for p in problems[:3]] == [
        "linjen er ikke UTF-8 (byte 0xf8)",
        "ikke gyldig JSON: ventet en verdi",
        "ikke gyldig JSON: ventet en verdi",
    ]
    header = problems[3].text("nb")
    assert header.startswith("overskriftsraden kan ikke brukes: ukjent kolonne 'modul' (mente du 'module'?); kjente")
    assert [p.text("en") for p in problems] == [p.message for p in problems]


def test_the_raw_text_check_sees_raw_text(tmp_path):
    source = tmp_path / "m.py"
    source.write_text(
        "Problem(name, f'bad {x}')\ndoc.problem(p, 'no such thing')\nProblem(name, Msg('no_such_file'))\n",
        encoding="utf-8",
    )
    global PACKAGE
    old, PACKAGE = PACKAGE, tmp_path
    try:
        assert _raw_messages(source) == ["m.py:1", "m.py:2"]
    finally:
        PACKAGE = old


# -- the default language -------------------------------------------------------------------------------------------


@pytest.fixture
def no_language(monkeypatch):
    for name in ("SPOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "en"),  # nothing said: English
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "nb_NO.UTF-8"}, "nb"),
        ({"LANG": "nn_NO.UTF-8"}, "nb"),
        ({"LANG": "no_NO"}, "nb"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "nb_NO.UTF-8"}, "nb"),  # LC_MESSAGES over LANG
        ({"LC_MESSAGES": "nb_NO.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),  # LC_ALL over both
        ({"LC_ALL": "nb_NO.UTF-8@euro", "LANG": "en_US"}, "nb"),
        ({"LC_ALL": "nb_NO.UTF-8", "SPOR_LANG": "en"}, "en"),  # SPOR_LANG over the locale
        ({"LANG": "en_US.UTF-8", "SPOR_LANG": "NB"}, "nb"),
        ({"LANG": "nb_NO.UTF-8", "SPOR_LANG": ""}, "nb"),  # empty is unset
    ],
)
def test_the_default_language_follows_spor_lang_then_the_locale(no_language, env, expected):
    for name, value in env.items():
        no_language.setenv(name, value)
    assert default_lang() == expected


def test_an_unknown_spor_lang_is_a_usage_error_worded_by_the_locale(no_language):
    no_language.setenv("SPOR_LANG", "sv")
    result = spor("check")
    assert result.exit_code == 2 and "SPOR_LANG='sv' is not a language spor speaks" in result.output
    no_language.setenv("LANG", "nb_NO.UTF-8")
    result = spor("check")
    assert result.exit_code == 2 and "SPOR_LANG='sv' er ikke et språk spor kan" in result.output
    assert spor("check", "--lang", "en").exit_code == 0  # --lang given: the environment is not asked
    assert locale_lang() == "nb"


def test_spor_lang_en_check_speaks_english_and_nb_norwegian(no_language):
    no_language.setenv("LANG", "nb_NO.UTF-8")
    norwegian = spor("check").output
    assert re.search(r"\): \d+ regler, 0 feil, 0 advarsel\(er\)$", norwegian.strip())
    english = spor("check", lang_env="en").output
    assert re.search(r"\): \d+ rules, 0 error\(s\), 0 warning\(s\)$", english.strip())


def test_ask_in_norwegian_says_a_bad_answer_in_norwegian():
    out = spor("ask", "--lang", "nb", input="foo\n").output
    assert "Ugyldig svar: 'foo' er ikke en verdi av 'concern'; tillatt: sent (Ble den sendt?)" in out
    assert "Was it sent?" not in out  # the English labels only where English is read
    english = spor("ask", "--lang", "en", input="foo\n").output
    assert "Not a valid answer: 'foo' is not a value of 'concern'" in english


def test_problems_on_standard_error_follow_the_language(tmp_path):
    case = tmp_path / "c.yaml"
    case.write_text("facts: {modul: lonn}\n", encoding="utf-8")
    nb = spor("run", "--lang", "nb", case)
    assert (
        nb.exit_code == 2 and "spor: feil: " in nb.stderr and "ukjent faktum 'modul' (mente du 'module'?)" in nb.stderr
    )
    en = spor("run", "--lang", "en", case)
    assert (
        en.exit_code == 2
        and "spor: error: " in en.stderr
        and "unknown fact 'modul' (did you mean 'module'?)" in en.stderr
    )
    data = spor("run", "--lang", "nb", "--format", "json", case)
    assert data.exit_code == 2  # JSON keeps no problem of its own: the message on stderr is the person's


def test_json_keeps_english_messages_whatever_the_language(tmp_path):
    import json

    folder = edited_copy(HEATING, tmp_path / "rb", "10-facts.yaml", "label:", "labl:")
    data = json.loads(spor("check", "--rules", folder, "--format", "json", "--lang", "nb").output)
    assert any(f["message"].startswith("unknown key 'labl'") for f in data["findings"])
    text_nb = spor("check", "--rules", folder, "--lang", "nb").output
    assert "feil[invalid]: ukjent nøkkel 'labl' (mente du 'label'?)" in text_nb


def test_help_is_in_the_language_chosen():
    nb = spor("run", "--lang", "nb", "--help").output
    assert nb.startswith("Bruk: ") and "Diagnostiser hver CASE-fil" in nb and "Valg:" in nb
    assert "Vis denne hjelpen og avslutt." in nb and "Show this message" not in nb
    en = spor("run", "--lang", "en", "--help").output
    assert en.startswith("Usage: ") and "Diagnose each CASE file" in en
    assert "Diagnostiser" in spor("run", "--help", lang_env="nb").output  # the environment decides, too
    listing = spor("--help", lang_env="nb").output
    assert "Diagnostiser hver CASE-fil" in listing and "Valider en regelbase" in listing


def test_every_command_takes_lang():
    for command in ("run", "ask", "batch", "evidence", "check", "test", "diff", "graph", "fmt", "schema"):
        assert "--lang [nb|en]" in spor(command, "--lang", "en", "--help").output, command


# -- the places the issue named ---------------------------------------------------------------------------------------


def test_the_norwegian_trace_names_the_outcome_by_its_verdict():
    out = spor("run", "--lang", "nb", EXAMPLES / "tax-builtin-rejected.yaml").output
    assert "Utfall = rejected_builtin" not in out
    assert "Utfall = Mottakerens epostserver avviste eposten" in " ".join(out.split())
    assert "(rejected_builtin)" in out


def test_the_batch_summary_names_facts_and_values_by_their_labels():
    out = spor("batch", "--lang", "nb", EXAMPLES / "tax-builtin-rejected.yaml").stderr
    assert "  Hva må undersøkes (investigate): Avvisningsmeldingen (bounce_message) 1" in out
    assert "\n  investigate:" not in out


def test_a_message_that_is_no_bounce_is_not_headed_as_one():
    out = spor("evidence", "--lang", "nb", BOUNCES / "arf-01.eml", BOUNCES / "rfc3834-01.eml").output
    assert "arf-01.eml: E-postmelding\n" in out
    assert "Ikke en avvisning: en klagerapport (feedback-report)" in " ".join(out.split())
    assert "Avvisningsmelding" not in out and "et automatisk svar" in " ".join(out.split())
    bounce = spor("evidence", "--lang", "nb", BOUNCES / "lhost-postfix-05.eml").output
    assert bounce.startswith(f"{BOUNCES / 'lhost-postfix-05.eml'}: Avvisningsmelding\n")


def test_markdown_does_not_hard_wrap_the_why_not():
    out = spor("run", "--lang", "en", "--format", "markdown", "--explain", EXAMPLES / "tax-builtin-rejected.yaml")
    section = out.output.split("#### Why not another outcome?\n\n", 1)[1]
    lines = section.strip().splitlines()
    assert lines[0].startswith("Nearest alternative: Delivered in the email log, yet a rejection came back:")
    assert lines[0].endswith("(bounce_after_delivered)") and len(lines[0]) > 88  # one line: Markdown wraps it
    assert lines[1] == "- if Status in the email log = Delivered (instead of Rejected)"


def test_serve_lang_is_the_page_and_api_language_when_a_request_names_none():
    from spor.serve.app import Settings, create_app
    from spor.serve.words import word

    from .test_serve_api import TestClient

    facts = {"facts": {"concern": "not_received", "module": "lonn", "log_status": "levert"}}
    for lang in ("en", "nb"):
        with TestClient(create_app(Settings(lang=lang))) as client:
            assert f'<html lang="{lang}"' in client.get("/").text
            assert word("question_n", lang, n=1) in client.get("/").text
            other = "nb" if lang == "en" else "en"
            assert f'<html lang="{other}"' in client.get(f"/?lang={other}").text  # a link's own lang wins
            verdict = client.post("/api/v1/decide", json=facts).json()["verdict"]
            assert ("recipient" in verdict) == (lang == "en") and ("mottaker" in verdict) == (lang == "nb")


def test_an_engine_failure_is_said_in_the_commands_language(monkeypatch):
    """The engine failing on a case (exit 3) is said as every problem is: in nb or en, prefix included."""
    from spor.common.errors import EngineFailure
    from spor.inference.evaluate import Evaluator

    def fails(self, facts, **details):
        raise EngineFailure(Msg("engine_error_204"))

    monkeypatch.setattr(Evaluator, "evaluate", fails)
    case = str(EXAMPLES / "payroll-was-it-sent.yaml")
    nb, en = spor("run", "--lang", "nb", case), spor("run", "--lang", "en", case)
    assert nb.exit_code == en.exit_code == 3
    assert "spor: feil: inferensmotoren kan ikke lese en verdi i denne saken" in nb.output
    assert "spor: error: the inference engine cannot read a value of this case" in en.output
