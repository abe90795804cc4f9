"""The catalogue's part about problems with an input: a file, a rulebase, a case, a command's arguments.

Each entry is ``key: (nb, en)``, two ``str.format`` templates with the
same named placeholders; ``messages.Msg(key, **params)`` words one. The
English is what ``Problem.message`` and every JSON output hold, so it is
kept as it was when spor spoke English only: scripts and tests match it.
Imported only when a problem is first worded in a language.
"""

from __future__ import annotations

PROBLEMS = {
    # -- small words, joined into other messages
    "did_you_mean": (" (mente du {name!r}?)", " (did you mean {name!r}?)"),
    "and_more": ("{names} og {count:,} til", "{names} and {count:,} more"),
    "and_others": ("{names} og flere", "{names} and others"),
    "sep_or": (" eller ", " or "),
    "sep_and": (" og ", " and "),
    "sep_together": (" sammen med ", " together with "),
    "kind_fact": ("faktum", "fact"),
    "kind_outcome": ("utfall", "outcome"),
    "kind_rule": ("regel", "rule"),
    # -- files
    "no_such_file": ("finnes ikke", "no such file"),
    "no_such_path": ("finnes ikke (verken som fil eller mappe)", "no such file or folder"),
    "cannot_read": ("kan ikke leses: {detail}", "cannot be read: {detail}"),
    "cannot_write": ("kan ikke skrives: {detail}", "cannot be written: {detail}"),
    # -- JSON Schema (common/schemas.py)
    "schema_unknown_key": ("ukjent nøkkel {key!r}{hint}{allowed}", "unknown key {key!r}{hint}{allowed}"),
    "schema_allowed_here": ("; tillatt her: {names}", "; allowed here: {names}"),
    "schema_bad_name": (
        "{name!r} kan ikke brukes som navn her: {why}",
        "{name!r} is not allowed as a name here: {why}",
    ),
    "schema_no_match": ("{name!r} passer ikke med mønsteret {pattern!r}", "{name!r} does not match {pattern!r}"),
    "schema_required": ("{name!r} mangler (den må være med her)", "{name!r} is missing (it is required here)"),
    "schema_type": ("ventet {want}, fant {found}", "expected {want}, found {found}"),
    "kind_object": ("en tabell med nøkler og verdier", "a mapping"),
    "kind_array": ("en liste", "a list"),
    "kind_string": ("tekst", "text"),
    "kind_boolean": ("true eller false", "true or false"),
    "kind_integer": ("et heltall", "a whole number"),
    "kind_number": ("et tall", "a number"),
    "kind_null": ("null", "null"),
    "schema_empty_value": ("ingenting (en tom verdi)", "nothing (an empty value)"),
    "schema_not_allowed": ("{shown} er ikke tillatt: {why}", "{shown} is not allowed: {why}"),
    "schema_enum": (
        "{shown} er ikke tillatt: ventet én av {choices}",
        "{shown} is not allowed: expected one of {choices}",
    ),
    "schema_const": ("ventet {value}", "expected {value}"),
    "schema_size": ("{what} her; {bound}", "{what} here; {bound}"),
    "count_items_one": ("{size} oppføring", "{size} entry"),
    "count_items": ("{size} oppføringer", "{size} entries"),
    "count_keys_one": ("{size} nøkkel", "{size} key"),
    "count_keys": ("{size} nøkler", "{size} keys"),
    "schema_at_most_one": ("høyst {limit} er tillatt", "at most {limit} is allowed"),
    "schema_at_most": ("høyst {limit} er tillatt", "at most {limit} are allowed"),
    "schema_at_least_one": ("minst {limit} trengs", "at least {limit} is needed"),
    "schema_at_least": ("minst {limit} trengs", "at least {limit} are needed"),
    "schema_maxLength": (
        "en tekst på {size} tegn; høyst {limit} er tillatt",
        "a text of {size} characters; at most {limit} are allowed",
    ),
    "schema_minLength": (
        "en tekst på {size} tegn; minst {limit} trengs",
        "a text of {size} characters; at least {limit} are allowed",
    ),
    "schema_minimum": (
        "{value} er mindre enn det minste tillatte, {limit}",
        "{value} is less than the minimum of {limit}",
    ),
    "schema_maximum": (
        "{value} er større enn det største tillatte, {limit}",
        "{value} is more than the maximum of {limit}",
    ),
    "schema_unique": ("samme verdi står flere ganger i listen", "has non-unique elements"),
    "schema_combination": (
        "denne kombinasjonen av nøkler er ikke tillatt her: {why}",
        "this combination of keys is not allowed here: {why}",
    ),
    "schema_other": ("ikke gyldig her (jsonschema: {detail})", "{detail}"),
    "schema_rule_named": ("regelen {rule!r}", "rule {rule!r}"),
    "schema_this_rule": ("denne regelen", "this rule"),
    "schema_split_rule": (
        "{name} konkluderer {count} ting ({keys}), men en regel konkluderer én: "
        "del den i {count} regler med samme 'when', én konklusjon hver",
        "{name} concludes {count} things ({keys}), but a rule concludes one: "
        "split it into {count} rules with the same 'when', one conclusion each",
    ),
    # -- a rulebase folder (rulebase/loader.py, cache.py, canonical.py)
    "rules_no_such_folder": (
        "mappen finnes ikke (ventet en regelbasemappe med YAML-regelfiler)",
        "no such folder (expected a rulebase folder of YAML rule files)",
    ),
    "rules_not_a_folder": (
        "ikke en mappe (ventet en regelbasemappe med YAML-regelfiler)",
        "not a folder (expected a rulebase folder of YAML rule files)",
    ),
    "rules_link_outside": (
        "peker ut av regelbasemappen: regelfilene må ligge i mappen",
        "links outside the rulebase folder: rule files must live in the folder",
    ),
    "rules_too_many_files": ("{count} regelfiler; høyst {limit} leses", "{count} rule files; at most {limit} are read"),
    "rules_too_large": (
        "regelfilene er {size:,} byte til sammen; en regelbase kan være {limit:,}",
        "the rule files hold {size:,} bytes together; a rulebase may hold {limit:,}",
    ),
    "rules_none": (
        "har ingen regelfiler (*.yaml, *.yml eller *.json)",
        "holds no rule files (*.yaml, *.yml or *.json)",
    ),
    "rules_file_empty": (
        "filen er tom: ventet en tabell med 'rulebase', 'facts', 'rules' eller 'outcomes'",
        "the file is empty: expected a mapping with rulebase, facts, rules or outcomes",
    ),
    "cache_not_used": (
        "mappen for regelbase-hurtigbufferen {why}, så spor bruker den ikke "
        "(sett SPOR_CACHE_DIR, eller SPOR_CACHE=off)",
        "the rulebase cache folder {why}, so spor does not use it (set SPOR_CACHE_DIR, or SPOR_CACHE=off)",
    ),
    "cache_unreadable": ("kan ikke leses ({detail})", "cannot be read ({detail})"),
    "cache_other_user": ("tilhører en annen bruker", "belongs to another user"),
    "cache_writable": ("kan skrives av andre brukere", "can be written by other users"),
    "fmt_cannot": ("kan ikke formateres: {detail}", "cannot be formatted: {detail}"),
    "fmt_would_change": (
        "formateringen ville endret det filen sier: den er latt være som den er (meld gjerne fra)",
        "formatting would change what the file says: left as it is (please report)",
    ),
    # -- joining rule files (rulebase/joiner.py, conditions.py, chains.py)
    "unknown_fact": ("ukjent faktum {name!r}{hint}", "unknown fact {name!r}{hint}"),
    "unknown_outcome": ("ukjent utfall {name!r}{hint}", "unknown outcome {name!r}{hint}"),
    "unknown_side": (
        "ukjent side {side!r}{hint}; deklarert: {declared}",
        "unknown side {side!r}{hint}; declared: {declared}",
    ),
    "not_a_value": (
        "{raw!r} er ikke en verdi av {fact!r}{hint}; tillatt: {allowed}",
        "{raw!r} is not a value of {fact!r}{hint}; allowed: {allowed}",
    ),
    "duplicate_id": (
        "id-en {id!r} er brukt to ganger for {kind}: først deklarert i {file}:{line}",
        "duplicate {kind} id {id!r}: first declared in {file}:{line}",
    ),
    "duplicate_value": (
        "verdien {value!r} står to ganger i faktumet {fact!r}",
        "duplicate value {value!r} in fact {fact!r}",
    ),
    "too_many_rules_read": (
        "{count} regler; spor leser høyst {limit} i én regelbase",
        "{count} rules; spor reads at most {limit} in one rulebase",
    ),
    "no_rulebase_declared": (
        "ingen fil deklarerer regelbasen (en 'rulebase:' øverst med id, title, source, sections, sides)",
        "no file declares the rulebase (a top-level 'rulebase:' with id, title, source, sections, sides)",
    ),
    "second_declaration": (
        "en '{section}:'-deklarasjon til (den første er i {first}): bare én fil kan ha den",
        "a second '{section}:' declaration (the first is in {first}): only one file may have it",
    ),
    "fallback_not_a_section": (
        "{section!r} er ikke et av de deklarerte avsnittene",
        "{section!r} is not one of the declared sections",
    ),
    "cites_unknown": (
        "viser til {section!r}, som verken er et avsnitt i artikkelen eller en deklarert referanse "
        "(deklarert: {declared})",
        "cites {section!r}, which is not a section of the article nor a declared reference (declared: {declared})",
    ),
    "reserved_fact": (
        "{id!r} er et reservert ord og kan ikke være navnet på et faktum",
        "{id!r} is a reserved word and cannot name a fact",
    ),
    "ambiguous_word": (
        "{word!r} er navnet på både {first!r} og {second!r}: en sak kunne ikke skilt dem",
        "{word!r} names both {first!r} and {second!r}: a case could not tell them apart",
    ),
    "placeholder_no_fact": ("{{{name}}} er ikke navnet på noe faktum{hint}", "{{{name}}} names no fact{hint}"),
    "tests_derived_unknown": (
        "tester at det utledede faktumet {fact!r} er ukjent: regler kan fortsatt konkludere det senere i kjeden, "
        "så svaret ville avhenge av rekkefølgen på reglene; test faktaene det er utledet fra i stedet",
        "tests that the derived fact {fact!r} is unknown: rules may still conclude it later in the chain, so the "
        "answer would depend on rule order; test the facts it is derived from instead",
    ),
    "concludes_unknown_fact": (
        "konkluderer det ukjente faktumet {name!r}{hint}",
        "concludes unknown fact {name!r}{hint}",
    ),
    "concludes_given_fact": (
        "konkluderer {name!r}, som en sak oppgir: bare fakta merket 'derived: true' kan konkluderes",
        "concludes {name!r}, which a case gives: only facts marked 'derived: true' can be concluded",
    ),
    "implies_derived": (
        "{name!r} utledes av reglene: bevis kan bare gi fakta som en sak oppgir",
        "{name!r} is derived by the rules: evidence can only imply facts a case gives",
    ),
    "assume_derived": (
        "antar en verdi av det utledede faktumet {fact!r}: regler kan fortsatt konkludere det senere i kjeden; "
        "anta bare fakta som en sak oppgir",
        "assumes a value of the derived fact {fact!r}: rules may still conclude it later in the chain; "
        "assume only facts a case gives",
    ),
    "assume_under_not": (
        "'assume' under 'not' holder aldri når {fact!r} er ukjent: skriv antakelsen utenfor 'not'",
        "'assume' under 'not' never holds on an unknown {fact!r}: write the assumption outside 'not'",
    ),
    "placeholder_may_be_unknown": (
        "{{{name}}} kan være ukjent når regelen {rule!r} når dette utfallet: "
        "bruk bare fakta som hver regel som konkluderer det, tester",
        "{{{name}}} may be unknown when rule {rule!r} reaches this outcome: "
        "name only facts that every rule concluding it tests",
    ),
    "underived_fact": (
        "det utledede faktumet {fact!r} konkluderes av ingen regel",
        "derived fact {fact!r} is concluded by no rule",
    ),
    "derivation_cycle": (
        "regelen {rule!r} utleder {target!r} fra {source!r}, som avhenger av {target!r} igjen: {ring}",
        "rule {rule!r} derives {target!r} from {source!r}, which depends on {target!r} again: {ring}",
    ),
    "bad_regex": ("ikke et gyldig regulært uttrykk: {detail}", "not a valid regular expression: {detail}"),
    "regex_no_group": (
        "har ingen gruppe (?P<{group}>...): det er den gruppen denne listen leser",
        "has no group (?P<{group}>...): that group is what this list reads",
    ),
    "regex_caret_space": (
        "'^\\s*' går også over linjeskift, og da tar et mønster tid som vokser med kvadratet av en lang tekst: "
        "skriv '^[ \\t]*' i stedet",
        "'^\\s*' also runs across line ends, which makes a pattern take time growing with the square of a long "
        "text: write '^[ \\t]*' instead",
    ),
    "regex_slow": ("{pattern!r} {why}", "{pattern!r} {why}"),
    "regex_nested_quantifier": (
        "har en kvantor inne i en gjentatt gruppe der teksten etter den kan treffe de samme tegnene "
        "(som i '(x+x+)+' eller '(\\w+\\s?)*'): treffingen kan ta tid som vokser eksponentielt med lengden av "
        "teksten. Gjør delene gjensidig utelukkende (et tegn bare én av dem treffer), eller gi den indre "
        "et fast antall",
        "has a quantifier inside a repeated group whose characters the text after it can also match (as in "
        "'(x+x+)+' or '(\\w+\\s?)*'): matching can take time exponential in the length of the text. Make the parts "
        "exclusive (a character only one of them matches), or give the inner one a fixed count",
    ),
    "regex_overlapping_branches": (
        "har et alternativ inne i en gjentatt gruppe der grenene kan treffe den samme teksten (som i '(a|aa)*'): "
        "treffingen kan ta tid som vokser eksponentielt med lengden av teksten. La grenene begynne ulikt",
        "has an alternation inside a repeated group whose branches can match the same text (as in '(a|aa)*'): "
        "matching can take time exponential in the length of the text. Make the branches start differently",
    ),
    # -- case files (rulebase/cases.py)
    "unknown_case_fact": (
        "ukjent faktum {name!r}{hint}; kjente fakta: {known}",
        "unknown fact {name!r}{hint}; known facts: {known}",
    ),
    "expected_value": (
        "ventet en verdi av {fact!r}, fant {raw!r}; tillatt: {allowed}",
        "expected a value of {fact!r}, found {raw!r}; allowed: {allowed}",
    ),
    "no_case_files": ("har ingen saksfiler (*.yaml, *.yml, *.json)", "holds no case files (*.yaml, *.yml, *.json)"),
    "case_file_empty": (
        "filen er tom: ventet en sak med en 'facts'-tabell",
        "the file is empty: expected a case with a 'facts' mapping",
    ),
    "many_cases_file": (
        "er en {kind}-fil med mange saker, én per linje: gi den til spor batch",
        "is a {kind} file of many cases, one per line: give it to spor batch",
    ),
    # -- the commands' own arguments (cli/)
    "no_examples_folder": (
        "mappen finnes ikke: gi saksfiler, eller kjør ved siden av en regelbase som har examples/",
        "no such folder: give case files, or run beside a rulebase that has examples/",
    ),
    "ask_save_not_writable": (
        "kan ikke skrives (mappen finnes ikke, eller mangler tilgang): --save sjekkes før intervjuet begynner",
        "cannot be written (no such folder, or no permission): --save is checked before the interview starts",
    ),
    "ask_save_link": (
        "er en symbolsk lenke: --save skriver en egen fil, aldri gjennom en lenke",
        "is a symbolic link: --save writes a file of its own, never through a link",
    ),
    "ask_save_folder": ("er en mappe: --save trenger et filnavn", "is a folder: --save needs a file name"),
    "ask_save_exists": (
        "finnes allerede: gi --force for å erstatte den, eller velg et annet navn",
        "already exists: give --force to replace it, or choose another name",
    ),
    # -- the decision log and spor report (decisionlog/, cli/report.py, cli/decisionlog.py)
    "log_link": (
        "er en symbolsk lenke; gi selve loggfilen",
        "is a symbolic link; give the log file itself",
    ),
    "log_not_regular": (
        "er ikke en vanlig fil; ventet en avgjørelseslogg (SQLite)",
        "is not a regular file; expected a decision log (SQLite)",
    ),
    "log_not_sqlite": (
        "er ikke en avgjørelseslogg: ventet en SQLite-fil laget av spor",
        "is not a decision log: expected a SQLite file made by spor",
    ),
    "log_foreign": (
        "er en SQLite-fil, men ikke en avgjørelseslogg fra spor",
        "is a SQLite file but not a spor decision log",
    ),
    "log_cannot_open": ("kan ikke åpne avgjørelsesloggen: {detail}", "cannot open the decision log: {detail}"),
    "log_newer": (
        "ble skrevet av en nyere spor (loggskjema {found}); denne spor leser skjema {known} og eldre: "
        "oppgrader spor for å lese den",
        "was written by a newer spor (log schema {found}); this spor reads schema {known} and older: "
        "upgrade spor to read it",
    ),
    "log_older": (
        "loggskjema {version} må oppdateres: åpne loggen én gang for skriving (med --log)",
        "log schema {version} needs upgrading: open it once for writing (with --log)",
    ),
    "log_is_input": (
        "er også en inn- eller utfil ({input}): gi loggen en egen fil",
        "is also an input or output ({input}): give the log its own file",
    ),
    "report_output_has_no_time": (
        "er utdata fra batch, og postene der har ikke tidspunkt: --since og --until gjelder bare avgjørelseslogger",
        "is a batch output, whose records carry no time: --since and --until apply to decision logs only",
    ),
    "report_line_too_long": ("linje lengre enn {limit:,} byte", "line longer than {limit:,} bytes"),
    "report_not_json_lines": (
        "verken en avgjørelseslogg eller utdata fra batch (JSON Lines): ventet én JSON-post per linje",
        "not a decision log or a batch output (JSON Lines): expected one JSON record per line",
    ),
    "report_not_a_record": (
        "ventet en post fra utdataene til spor batch (JSON Lines)",
        "expected a record of spor batch output (JSON Lines)",
    ),
    "report_empty_folder": (
        "ingen avgjørelseslogg eller batch-utdata ({suffixes}) her",
        "no decision log or batch output ({suffixes}) here",
    ),
    "out_link": (
        "er en symbolsk lenke: spor skriver en egen fil, aldri gjennom en lenke",
        "is a symbolic link: spor writes a file of its own, never through a link",
    ),
    "out_is_input": (
        "er også en innfil ({input}): å skrive der ville ødelegge den",
        "is also an input ({input}): writing there would destroy it",
    ),
    "page_bad_session": (
        "ventet en økt-id (8-32 heksadesimale sifre)",
        "expected a session id (8-32 hexadecimal digits)",
    ),
    # -- reading a YAML or JSON file (common/reader.py)
    "binary_file": (
        "dette er en binærfil (den har NUL-byte), ventet YAML- eller JSON-tekst",
        "this is a binary file (it holds NUL bytes), expected YAML or JSON text",
    ),
    "text_not_utf8": (
        "teksten er ikke UTF-8 (byte {byte}): lagre filen som UTF-8",
        "the text is not UTF-8 (byte {byte}): save the file as UTF-8",
    ),
    "not_regular_file": (
        "ikke en vanlig fil (et rør eller en enhet?): ventet en YAML- eller JSON-fil",
        "not a regular file (a pipe or a device?): expected a YAML or JSON file",
    ),
    "is_a_folder": ("dette er en mappe, ventet en fil", "this is a folder, expected a file"),
    "file_too_large": (
        "filen er større enn {limit:,} byte, det meste denne kommandoen leser",
        "the file is larger than {limit:,} bytes, the most this command reads",
    ),
    "yaml_invalid": ("ikke gyldig YAML", "not valid YAML"),
    "bad_yaml": ("ikke gyldig YAML: {why}", "not valid YAML: {why}"),
    "yaml_control_char": (
        "ikke gyldig YAML: kontrolltegnet {char} er ikke tillatt i en YAML-fil",
        "not valid YAML: the control character {char} is not allowed in a YAML file",
    ),
    "bad_json": ("ikke gyldig JSON: {why}", "not valid JSON: {why}"),
    "nested_deeper_than": ("nøstet mer enn {limit} nivåer dypt", "nested more than {limit} levels deep"),
    "nested_too_deeply": ("nøstet for dypt", "nested too deeply"),
    "yaml_alias": (
        "ankere og aliaser (&name / *name) er ikke tillatt: skriv verdien helt ut",
        "anchors and aliases (&name / *name) are not allowed: write the value out in full",
    ),
    "yaml_tag_here": ("taggen {tag!r} er ikke tillatt her", "the tag {tag!r} is not allowed here"),
    "yaml_tag": (
        "taggen {tag!r} er ikke tillatt: bare enkle data leses",
        "the tag {tag!r} is not allowed: only plain data is read",
    ),
    "yaml_key_not_text": (
        "en nøkkel må være ren tekst, ikke en liste eller en tabell",
        "a key must be plain text, not a list or a mapping",
    ),
    "duplicate_key_at": (
        "nøkkelen {key!r} står to ganger (første gang på linje {line}): hver nøkkel kan stå én gang, ellers går "
        "en av verdiene tapt",
        "duplicate key {key!r} (first given at line {line}): each key may appear once, or one of the values would "
        "be lost",
    ),
    "duplicate_key": (
        "nøkkelen {key!r} står to ganger: hver nøkkel kan stå én gang, ellers går en av verdiene tapt",
        "duplicate key {key!r}: each key may appear once, or one of the values would be lost",
    ),
    "number_too_long": (
        "et tall med {digits:,} sifre: høyst {limit:,} leses",
        "a number of {digits:,} digits: at most {limit:,} are read",
    ),
    "unpaired_surrogate": (
        "teksten har et surrogattegn uten par (en kode som \\ud800), og det er ikke et tegn",
        "the text holds an unpaired surrogate (an escape like \\ud800), which is not a character",
    ),
    # -- a request to spor serve (serve/)
    "serve_reserved_fact": (
        "faktumet {name!r} har samme navn som en parameter i adressen til siden i spor serve ({reserved}): "
        "gi faktumet et annet navn for å bruke denne regelbasen der",
        "the fact {name!r} has the name of a query parameter of spor serve's page ({reserved}): "
        "rename the fact to serve this rulebase",
    ),
    "expected_one_of": ("ventet én av {choices}, fant {found}", "expected one of {choices}, found {found}"),
    "expected_true_or_false": ("ventet true eller false, fant {found}", "expected true or false, found {found}"),
    "serve_body_null": (
        "innholdet er null: ventet en sak, et objekt med et 'facts'-objekt",
        "the body is null: expected a case, an object with a 'facts' object",
    ),
    "serve_too_many_params": (
        "{count} parametere i adressen; høyst {limit} leses",
        "{count} query parameters; at most {limit} are read",
    ),
    "serve_value_too_long": ("en verdi på {size} tegn; høyst {limit}", "a value of {size} characters; at most {limit}"),
    "serve_fact_twice": (
        "{name!r} er oppgitt to ganger: hvert faktum kan besvares én gang",
        "{name!r} is given twice: each fact may be answered once",
    ),
    "serve_ev_no_value": (
        "ev nevner {name!r}, men lenken gir ingen verdi for det faktumet",
        "ev names {name!r}, which the link gives no value for",
    ),
}
