"""The catalogue's part about what the editors' commands report: ``spor check``, ``test``, ``diff``, ``graph``, ``fmt``;
and what the inference engine cannot take, or failed on.

Each entry is ``key: (nb, en)`` with the same named placeholders; the
findings' English is what ``spor check --format json`` prints, unchanged.
Imported when one of these is first worded.
"""

from __future__ import annotations

CHECKS = {
    # -- findings of spor check (analysis/verify.py, unused.py)
    "check_too_many_rules": (
        "{count:,} regler: inferensmotoren tar høyst {limit:,} i én regelbase, så spor run avviser den",
        "{count:,} rules: the inference engine takes at most {limit:,} in one rulebase, so spor run refuses it",
    ),
    "check_too_complex": (
        "avgjørelsen {decision!r} er for sammensatt til å verifiseres fullt ut",
        "decision {decision!r} is too complex to verify exhaustively",
    ),
    "check_time_limit": (
        "analysen nådde tidsgrensen på {seconds} s",
        "the analysis reached its time limit of {seconds} s",
    ),
    "check_over_share": (
        "den trenger mer enn sin del av sjekkens budsjett på {units:,} arbeidsenheter",
        "it needs more than its share of the check's budget of {units:,} work units",
    ),
    "check_budget_spent": (
        "sjekkens budsjett på {units:,} arbeidsenheter var brukt opp før den",
        "the check's budget of {units:,} work units was spent before it",
    ),
    "n_rules_one": ("{count} regel", "{count} rule"),
    "n_rules": ("{count} regler", "{count} rules"),
    "check_not_fully_analysed": (
        "avgjørelsen {decision!r} ble ikke ferdig analysert: {why}; hull, konflikter og regler som skygges for "
        "eller er overflødige, er ikke alle kjent ({rules}: {names})",
        "decision {decision!r} was not fully analysed: {why}; its gaps, conflicts, masked and redundant rules are "
        "not all known ({rules}: {names})",
    ),
    "check_not_analysed": (
        "avgjørelsen {decision!r} ble ikke analysert: {why}; hull, konflikter og regler som skygges for "
        "eller er overflødige, er ikke alle kjent ({rules}: {names})",
        "decision {decision!r} was not analysed: {why}; its gaps, conflicts, masked and redundant rules are "
        "not all known ({rules}: {names})",
    ),
    "check_contradicts_itself": (
        "regelen {rule!r} kan aldri slå til: betingelsen motsier seg selv",
        "rule {rule!r} can never fire: its condition contradicts itself",
    ),
    "check_never_fires": ("regelen {rule!r} kan aldri slå til: {why}", "rule {rule!r} can never fire: {why}"),
    "check_never_together": (
        "ingen sak gir de utledede verdiene den trenger, samtidig",
        "no case produces the derived values it needs together",
    ),
    "check_never_produces": ("ingen sak gir {wanted}", "no case produces {wanted}"),
    "check_never_produces_with": ("ingen sak med {given} gir {wanted}", "no case with {given} produces {wanted}"),
    "check_one_of": ("{fact} er én av {{{values}}}", "{fact} in {{{values}}}"),
    "check_outcome": ("utfallet {value!r}", "outcome {value!r}"),
    "check_conflict": (
        "reglene {a!r} og {b!r} holder begge for én sak, men konkluderer {first} og {second}",
        "rules {a!r} and {b!r} both hold for one case but conclude {first} and {second}",
    ),
    "check_twins": (
        "reglene {a!r} og {b!r} holder for nøyaktig de samme sakene, men konkluderer {first} og {second}; "
        "{a!r} slår til først, så {b!r} avgjør aldri noe",
        "rules {a!r} and {b!r} hold for exactly the same cases but conclude {first} and {second}; {a!r} fires "
        "first, so {b!r} never decides anything",
    ),
    "check_masked_one": (
        "regelen {rule!r} avgjør aldri noe: der den holder, slår {names} til først med en annen konklusjon",
        "rule {rule!r} never decides anything: wherever it holds, {names} fires first with another conclusion",
    ),
    "check_masked": (
        "regelen {rule!r} avgjør aldri noe: der den holder, slår {names} til først med en annen konklusjon",
        "rule {rule!r} never decides anything: wherever it holds, {names} fire first with another conclusion",
    ),
    "check_redundant_one": (
        "regelen {rule!r} tilfører ingenting: der den holder, konkluderer {names} det samme",
        "rule {rule!r} adds nothing: wherever it holds, {names} concludes the same",
    ),
    "check_redundant": (
        "regelen {rule!r} tilfører ingenting: der den holder, konkluderer {names} det samme",
        "rule {rule!r} adds nothing: wherever it holds, {names} conclude the same",
    ),
    "check_gap": ("{what} når {when}", "{what} when {when}"),
    "check_gap_outcome": ("intet utfall", "no outcome"),
    "check_gap_value": ("ingen verdi for {fact!r}", "no value for {fact!r}"),
    "check_any_values": ("alle verdier", "any values"),
    "check_more_gaps": ("... og {count} hull til i {decision!r}", "... and {count} more gaps in {decision!r}"),
    "check_unused_fact": ("faktumet {fact!r} leses av ingen regel", "fact {fact!r} is read by no rule"),
    "check_unused_derived_value": ("ingen regel konkluderer {fact} = {value}", "no rule concludes {fact} = {value}"),
    "check_unused_value": ("ingen regel tester {fact} = {value}", "no rule tests {fact} = {value}"),
    "check_unused_outcome": (
        "utfallet {outcome!r} konkluderes av ingen regel",
        "outcome {outcome!r} is concluded by no rule",
    ),
    "check_unused_section": (
        "ingen regel, utfall eller faktum viser til {section}: er den delen av artikkelen dekket?",
        "no rule, outcome or fact cites {section}: is that part of the article covered?",
    ),
    # -- spor check's text (output/reports.py, cli/check.py)
    "check_example": (
        "eksempelsak (lagre den som en .yaml-fil og prøv `spor run` på den):",
        "example case (save it as a .yaml file and try `spor run` on it):",
    ),
    "check_cannot_load": (
        "{errors} feil: regelbasen i {folder} kan ikke lastes",
        "{errors} error(s): the rulebase in {folder} cannot be loaded",
    ),
    "check_summary": (
        "{rulebase} ({folder}, {digest}): {rules} regler, {errors} feil, {warnings} advarsel(er)",
        "{rulebase} ({folder}, {digest}): {rules} rules, {errors} error(s), {warnings} warning(s)",
    ),
    "check_strict": ("(advarsler regnes som feil: --strict)", "(warnings count as errors: --strict)"),
    "check_budget_note": (
        "merk: sjekken stoppet ved budsjettet sitt: {count} avgjørelse(r) ikke ferdig analysert: {decisions}.\n"
        "      Funnene over holder, men disse avgjørelsene kan ha flere. Forenkle reglene deres (en liste med\n"
        "      verdier for en 'any' av tester på én verdi; et utledet faktum for en del mange regler deler),\n"
        "      eller gi sjekken flere arbeidsenheter med --budget.",
        "note: the check stopped at its budget: {count} decision(s) not fully analysed: {decisions}.\n"
        "      The findings above hold, but these decisions may have more. Simplify their rules (a value\n"
        "      list for an 'any' of one-value tests; a derived fact for a part many rules share), or give\n"
        "      the check more work units with --budget.",
    ),
    "check_no_folder": (
        "{folder}: mappen finnes ikke (ventet en regelbasemappe)",
        "{folder}: no such folder (expected a rulebase folder)",
    ),
    # -- spor test (analysis/expect.py, suite.py, output/reports.py, cli/test.py)
    "test_mismatch": ("{field}: ventet {expected}, fikk {actual}", "{field}: expected {expected}, got {actual}"),
    "test_pass": ("BESTÅTT", "PASS"),
    "test_fail": ("FEILET", "FAIL"),
    "test_error": ("FEIL", "ERROR"),
    "test_skip": ("HOPPET OVER", "SKIP"),
    "test_no_expect": ("(ingen expect-blokk)", "(no expect block)"),
    "test_coverage_head": (
        "Dekning (regler som slo til, utfall som ble nådd, verdier som ble sett, antakelser som ble gjort):",
        "Coverage (rules fired, outcomes reached, values seen, assumptions made):",
    ),
    "test_rule_not_fired": ("regel som aldri slo til", "rule not fired"),
    "test_outcome_not_reached": ("utfall som aldri ble nådd", "outcome not reached"),
    "test_value_not_seen": ("verdi som aldri ble sett", "value not seen"),
    "test_assumption_not_made": ("antakelse som aldri ble gjort", "assumption not made"),
    "cov_assumes": ("{rule} antar {fact}", "{rule} assumes {fact}"),
    "test_total": ("totalt", "total"),
    "test_below": (
        "dekningen {percent} er under --fail-under {limit}%",
        "coverage {percent} is below --fail-under {limit}%",
    ),
    "test_summary": ("{passed} bestått, {failed} feilet", "{passed} passed, {failed} failed"),
    "test_skipped": ("{count} hoppet over", "{count} skipped"),
    "test_lcov_needs_coverage": (
        "--lcov skriver dekning: gi --coverage også",
        "--lcov writes coverage: give --coverage too",
    ),
    "test_nothing_to_run": ("ingen sak å kjøre: {why}", "no case to run: {why}"),
    "test_none_matches": ("ingen passer med -k {pattern}", "none matches -k {pattern}"),
    "test_no_files": ("fant ingen saksfiler", "no case files found"),
    # -- spor diff (analysis/impact.py, output/reports.py)
    "diff_changed": ("ENDRET", "CHANGED"),
    "diff_summary": ("{changed} av {total} sak(er) endret", "{changed} of {total} case(s) changed"),
    "diff_case_file": ("saksfil", "case file"),
    "diff_valid": ("gyldig", "valid"),
    "diff_invalid": ("ugyldig: {message}", "invalid: {message}"),
    "diff_none": ("(ingen)", "(none)"),
    # -- spor graph (analysis/graph.py): the tests on an edge
    "graph_known": ("kjent", "known"),
    "graph_unknown": ("ukjent", "unknown"),
    "graph_in": ("i", "in"),
    "graph_not_in": ("ikke i", "not in"),
    "graph_warning": ("advarsel", "warning"),
    # -- spor fmt (cli/fmt.py)
    "fmt_would": ("ville formatert {path}", "would reformat {path}"),
    "fmt_did": ("formaterte {path}", "reformatted {path}"),
    "fmt_summary_check": (
        "{changed} fil(er) ville blitt formatert, {left} står som de er",
        "{changed} file(s) would be reformatted, {left} left as they are",
    ),
    "fmt_summary": (
        "{changed} fil(er) formatert, {left} står som de er",
        "{changed} file(s) reformatted, {left} left as they are",
    ),
    # -- what the inference engine cannot take, and its failures (inference/network.py, session.py)
    "engine_too_wide": (
        "reglene {names} begynner med {width} ulike tester side om side; inferensmotoren tar høyst {limit}: "
        "del dem med en felles første test (et ekstra utledet faktum), eller gjør 'any'-listene kortere",
        "the rules {names} start with {width} different tests side by side; the inference engine takes at most "
        "{limit}: split them by a common first test (an extra derived fact) or narrow the 'any' lists",
    ),
    "engine_too_deep": (
        "en sak kan passere opptil {depth} tester i reglene {names} samtidig (hver regel tester også at det "
        "utledede faktumet sitt fortsatt er ukjent, og hver 'any' legger til en egen test); inferensmotoren holder "
        "høyst {limit} tester ventende mens den prøver en sak: konkluder færre utledede fakta side om side, gi "
        "disse reglene en felles første test (et ekstra utledet faktum), eller gjør en 'any' som mange regler "
        "deler, om til et utledet faktum",
        "a case can pass up to {depth} tests of the rules {names} at once (each rule also tests that its derived "
        "fact is still unknown, and each 'any' adds a test of its own); the inference engine keeps at most {limit} "
        "pending while it matches a case: conclude fewer derived facts side by side, give these rules a common "
        "first test (an extra derived fact), or turn an 'any' shared by many rules into a derived fact",
    ),
    "engine_rule_too_large": (
        "betingelsen i en regel er for stor for inferensmotoren: {why}",
        "a rule's condition is too large for the inference engine: {why}",
    ),
    "engine_too_many_paths": ("mer enn {limit:,} alternative veier", "more than {limit:,} alternative paths"),
    "engine_too_many_rules": (
        "{count:,} regler: inferensmotoren tar høyst {limit:,} i én regelbase",
        "{count:,} rules: the inference engine takes at most {limit:,} in one rulebase",
    ),
    "engine_not_importable": (
        "inferensmotoren durable-rules kan ikke importeres: {detail}",
        "the inference engine durable-rules cannot be imported: {detail}",
    ),
    "engine_refused_rulebase": (
        "inferensmotoren godtok ikke regelbasen: {detail}",
        "the inference engine refused the rulebase: {detail}",
    ),
    "engine_failed": ("inferensmotoren feilet: {detail}", "the inference engine failed: {detail}"),
    "engine_error": ("{what} (motorfeil {code})", "{what} (engine error {code})"),
    "engine_error_303": (
        "regelbasen er for bred for inferensmotoren: mer enn 64 av betingelsene traff denne saken samtidig "
        "(grensen i durable-rules, for eksempel mer enn 63 utledede fakta som er ukjente samtidig)",
        "the rulebase is too wide for the inference engine: more than 64 of its conditions matched this case "
        "at once (durable-rules' limit, for instance more than 63 derived facts still unknown together)",
    ),
    "engine_error_204": (
        "inferensmotoren kan ikke lese en verdi i denne saken (et tall den ikke kan tolke)",
        "the inference engine cannot read a value of this case (a number it cannot parse)",
    ),
}
