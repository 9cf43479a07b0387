"""Adversarial input: detection time grows linearly with size, and huge lines are handled.

Not a speed test: it compares the time of the same input at two sizes in the same process, so a slow
or busy machine changes both numbers alike. Quadratic behaviour (a regex backtracking over a run, a
search from the start of the line for every candidate) makes the 4x input take ~16x longer.
"""

from __future__ import annotations

import time

import pytest

from scrubber.records import Batch
from tests.detect_helpers import stage

#: Below this, timings are scheduler noise; a quadratic case at these sizes takes far longer.
NOISE_FLOOR = 0.05

ADVERSARIAL = {
    "at_signs": "@",
    "dots": ".",
    "digits": "7",
    "spaced_digits": "1 ",
    "dotted_digits": "1.",
    "dashed_digits": "12-",
    "letters": "a",
    "capitals": "A",
    "capitalised_words": "Aa ",
    "brackets": "([{<",
    "colons": "a:",
    "hex_colons": "ab:",
    "email_like": "a.b@",
    "secret_prefixes": "AKIAghp_eyJ",
    "keyword_assign": "password=",
    # the patterns of issue #3: a phone label before digit groups, a card word before spaced digits,
    # config lines with letter-only password values
    "phone_labels": "Phone:\n12 345 ",
    "card_words": "card 1 2 3 4 5 6 ",
    "config_passwords": "DB_PASSWORD=hunter\n",
    "yaml_passwords": "  password: hunter\n",
    "mixed": "x@y.z 1.2.3.4 (555) ",
    # e-mail addresses hidden behind HTML character references or spelled-out [at]/(dot), and the
    # prefixes of provider tokens sharing the `-` / `_` scans
    "html_entities": "a&#97;",
    "entity_addresses": "a&#64;b&#46;",
    "bracketed_addresses": "a [at] b (dot) ",
    "token_prefixes": "sk-ant-hf_npm_whsec_SG.a",
    "token_prefixes_dash": "key-sq0atp-sq0csp-PMAK-NRAK-a1",
    "token_prefixes_underscore": "shpat_glc_glsa_lin_api_sntrys_eyJsntryu_pscale_tkn_sbp_fo1_fm2_fm1a_a1",
    # long base64 runs after the prefixes of the longest tokens, none of them ending a token
    "token_base64_runs": "sntrys_eyJ" + "aB3+/" * 100 + "fm2_" + "aB3+/" * 100 + "glc_" + "aB3+/" * 100,
    "token_atlassian_runs": "ATATT3" + "aB3-=" * 50,
    # the prefixes added for the labelled scanners' examples: the `-` and `_` scans' new lookbehinds,
    # Mailchimp's `-us` after hex, the `~` of Azure and OpenShift secrets, redis.conf's requirepass
    "token_prefixes_more": "HRKU-AGE-SECRET-KEY-pul-glsoat-glagent-xapp-xoxe.xoxp-1-ntn_sgp_api_org_ops_eyJa1",
    "token_hex_us": "0123456789abcdef0123456789abcdef-us",
    "token_tildes": "a1Q~sha256~",
    "redis_requirepass": "\nrequirepass a",
    # secrets on a command line and in markup: option names, values, mysql's -p, environment prefixes,
    # elements and key/value attributes
    "cli_options": " --db-pass-",
    "cli_values": " --password a1 -p",
    "mysql_short": "mysql -pa ",
    "env_prefixes": " A_PASSWORD=x ",
    "markup_elements": "<password>a",
    "markup_pairs": ' name="password" value="a',
    # addresses spelled out with words
    "spelled_addresses": "a at b dot ",
    "spelled_after_word": "email: a dot ",
    # addresses with "at" spelled and plain dots
    "at_word_addresses": "a at b.c ",
    "at_word_after_word": "email: a at b.",
    "at_word_mailto": '<a href="mailto:x">a at b.c</a>',
    "at_word_headers": "\nFrom: a at b.c ",
    # credential files: Kubernetes Secret entries (many under one `kind`, and many Secrets), .netrc
    # entries, Docker auth values
    "k8s_entries": "  a: b\n",
    "k8s_secrets": "kind: Secret\ndata:\n  a: b\n",
    "k8s_long_values": "kind: Secret\ndata:\n  a: " + "b c " * 50 + "\n",
    "netrc_entries": "machine a.b login c password d ",
    "docker_auths": '"auth": "YWJj',
    # .netrc entries with the password first and default entries, spaced Docker auth keys, JSON
    # Secrets (entries of one data object, many Secrets) and Secrets in a kubectl List
    "netrc_password_first": "machine a.b password c account d ",
    "netrc_defaults": "default login c password d ",
    "netrc_default_lines": "default login c password d\n",
    "netrc_default_lookalikes": "default login c password d e\n",
    "netrc_indented_defaults": "  default login c password d\n",
    "netrc_shared_defaults": "a password b default login c password d\n",
    "netrc_sentence_defaults": "by default login c password d\n",
    "docker_spaced_auths": '"auth" : "YWJj',
    "k8s_json_entries": '"a": "b", ',
    "k8s_json_secrets": '{"kind": "Secret", "metadata": {"a": {"b": "c"}}, "data": {"a": "b", ',
    "k8s_json_kubectl": '{"data": {"a": "b"}, "kind": "Secret"}, ',
    "k8s_list_items": "- data:\n    a: b\n  kind: Secret\n",
    # JSON Secret strings with escapes: escaped quotes, slashes and backslash runs in keys, values and
    # metadata (read backwards inside the lookbehinds), and a YAML double-quoted value's escapes
    "k8s_json_escaped_entries": '{"kind": "Secret", "data": {"a\\"": "\\"\\\\\\/b", ',
    "k8s_json_backslashes": '{"data": {"a": "' + "\\" * 41 + '"}, "kind": "Secret"}, ',
    "k8s_json_escaped_metadata": '{"kind": "Secret", "metadata": {"a": "\\"{\\"b\\": 1}"}, "data": {"c": "d\\n", ',
    "k8s_yaml_escaped_values": 'kind: Secret\ndata:\n  a: "\\"b\\\\"\n',
    # Telegram bot ids before `:AA`, Discord-shaped dotted parts after a call's `(` and a quote
    "telegram_colons": "12345678:AA",
    "discord_calls": "('MTA5ODI3NDY1ODExMjgzOTc0MA.GaBcDe.",
    # credentials passed to calls: an argument list never closed, quotes never closed
    "credential_calls": 'auth=("a", "' + "b" * 30 + " .login(x, '",
    "php_defines": "define('A_KEY', '" + "b" * 30 + " define(",
    "pem_base64": " LS0tLS1CRUdJTi" + "QUJD" * 20 + "=",
    "discord_parts": "token: 'MTA5ODI3NDY1ODExMjgzOTc0MA.GaBcDe.",
    # cryptocurrency address shapes: base58 runs after `1`/`3`, bech32 after `bc1`, hex after `0x`
    "base58_runs": " 1" + "A1zP1eP5QG" * 3 + " 3",
    "bech32_runs": " bc1" + "qw508d6qej" * 9 + " BC1",
    "hex_runs": " 0x" + "5aAeb6053F" * 5 + " 0x",
    # element text with spaces, plist pairs
    "markup_words": "<password>a b c d e f ",
    "plist_pairs": "<key>Password</key><string>a b ",
    # street addresses of other countries: street types glued to names and before them, house numbers
    # after them and before French street types, postal blocks of unit, town and postal code lines
    "street_suffix_words": "Aastraße 1 Bb ",
    "street_prefix_words": "Via Aa de Bb 1, ",
    "street_number_first": "7 rue des Aa ",
    "street_blocks": "1 Aa Bb 2\n Apt 3\n Cc\n Dd 12345\n",
    "street_towns": "Aa Bb 1, Cc Dd, ",
    # name fields (full mode): keys with no value, and a CSV table under a name header
    "name_keys": "first_name: ",
    "name_rows": "last_name,first_name\nAa,Bb\n",
    # names in lower case (full mode): pairs, initials and address cues run together, with no line break
    "lower_names": "thanks john smith and maria h. lopez, ask mike @ kevin cc priya ",
    # home directories and prompts: the prefixes run together, deep paths, names with spaces before a
    # backslash, tildes, a prompt's `@` and host
    "home_prefixes": "/home/Users/var/mail/",
    "home_deep_paths": " /a/b/c/d/e/home/a.b-c",
    "windows_profiles": "C:\\Users\\a b c\\Users\\",
    "tilde_users": " ~a/~b.c/",
    "prompt_shapes": " a@b:~/c d@e f % [g@h i]$ ",
    # national IDs after their names: NRIC letters around digit runs, labels repeated with no number,
    # a NIR's optional spaces and Corsican letters, IRD and Steuer-ID groups
    "nric_labels": "NRIC: S1234567 FIN no ",
    "id_labels": "ID number SA ID 1 ",
    "nir_groups": "NIR 1 85 05 2A 2B ",
    "tax_id_groups": "TFN 12 IRD no: 1-2 Steuer-ID 1 ",
    "cjk_id_labels": "身份证号1 주민번호1-2 マイナンバー1 ",
    # CURP, RFC and PAN capitals around short digit runs (the `digits` branch for them), the Nordic
    # labels before digit runs cut short, a henkilötunnus century letter, Turkish labels
    "latin_id_runs": "CURP ABCD123456HDF RFC ABCD-123456-K PAN ABCPK1234 ",
    "nordic_id_labels": "CPR-nr 123456- henkilötunnus 123456A12 fødselsnummer 123456 1 ",
    "kimlik_labels": "T.C. Kimlik No: 1 TCKN 1 KİMLİK ",
    # tables (tables.py): rows of one shape under a header of no label, quotes never closed, rows
    # of pipes between borders, comma lines of changing shape, tab rows under a labelled header
    "table_rows": "1,536228145,03/06/1958\n",
    "table_open_quotes": '"a,"b,1234567,\n',
    "table_pipe_rows": "+---+\n| 1234567 | a |\n",
    "table_comma_runs": ",,,1234567,\n,1234567\n",
    "table_labelled_rows": "ssn\tdob\n536228145\t03/06/1958\n",
}


def _seconds(text: str, mode: str) -> float:
    """CPU seconds of this process for one detection of ``text``, the best of two: wall time swung
    with the machine's other work (helpers' benchmarks made four of these ratios fail at a load of
    3, each passing alone), while a backtracking regex shows in CPU time as much as in wall time."""
    st = stage(mode)
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        st.run(Batch({"text": [text]}))
        best = min(best, time.process_time() - started)
    return best


#: (mode, input unit, small size): fast mode on every adversarial shape; full mode (NER, slower) on
#: the shapes that open NER windows, at a fifth of the size.
LINEARITY_CASES = [("fast", name, 100_000) for name in sorted(ADVERSARIAL)] + [
    ("full", name, 20_000) for name in ("capitals", "capitalised_words", "mixed", "name_keys", "name_rows",
                                        "lower_names")
]


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "name", "size"), LINEARITY_CASES)
def test_robustness_time_grows_linearly(mode: str, name: str, size: int) -> None:
    unit = ADVERSARIAL[name]
    small = unit * (size // len(unit))
    large = unit * (4 * size // len(unit))
    t_small = _seconds(small, mode)
    t_large = _seconds(large, mode)
    assert t_large < max(9 * t_small, NOISE_FLOOR), f"{name}: {t_small:.3f}s -> {t_large:.3f}s for 4x the input"


@pytest.mark.slow
def test_robustness_many_distinct_logins_and_their_mentions_stay_linear() -> None:
    """Every found login is spread to its other mentions (username_coref_v1): a document of thousands
    of distinct home directories, each named again, costs time in proportion to its length."""
    def doc(n: int) -> str:
        return "".join(f" ~u{i:06d}x/ u{i:06d}x" for i in range(n))
    # (sizes past the step every shape shows between 80 kB and 320 kB, cache sizes rather than code)
    t_small = _seconds(doc(16_000), "fast")
    t_large = _seconds(doc(64_000), "fast")
    assert t_large < max(9 * t_small, NOISE_FLOOR), f"{t_small:.3f}s -> {t_large:.3f}s for 4x the input"


@pytest.mark.slow
def test_robustness_long_table_under_one_header_stays_linear() -> None:
    """A CSV export of many rows under one header naming personal columns: each row is read under
    its header, found by walking up to the row before it, never again up to the header."""
    def doc(n: int) -> str:
        return "name,dob,ssn,note\n" + "".join(f"Aa Bb,03/06/1958,{536228145 + i % 1000},x\n" for i in range(n))
    t_small = _seconds(doc(4_000), "fast")
    t_large = _seconds(doc(16_000), "fast")
    assert t_large < max(9 * t_small, NOISE_FLOOR), f"{t_small:.3f}s -> {t_large:.3f}s for 4x the input"


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["fast", "full"])
def test_robustness_single_5mb_line(mode: str) -> None:
    """One 5 MB line (no newline anywhere): PII at the start, middle and end is found.

    In full mode the single capitalised name in the middle goes to spaCy in a small window, not
    as a 5 MB document (spaCy refuses more than 1,000,000 characters).
    """
    filler = "lorem ipsum dolor sit amet 1.2.3 and 42; " * 62_000
    pii = " mail jane@gmail.com, call (415) 555-2671, ask Priya Delacroix; "
    line = (pii + filler + pii + filler + pii)[:5_000_000 - len(pii)] + pii
    assert len(line) >= 5_000_000 and "\n" not in line
    out = stage(mode).run(Batch({"text": [line]}))
    spans = out.spans()[0]
    emails = [s for s in spans if s.entity_type == "EMAIL_ADDRESS"]
    assert len(emails) == 3
    assert emails[-1].end == line.rindex("jane@gmail.com") + len("jane@gmail.com")
    assert sum(s.entity_type == "PHONE_NUMBER" for s in spans) == 3
    assert sum(s.entity_type == "PERSON" for s in spans) == (3 if mode == "full" else 0)
    assert out.drops() == [None]


def _shipped_pattern_cases() -> list[tuple[str, str, int]]:
    from scrubber.detect.rules import load_rules
    from scrubber.stages.base import default_rules_dir

    rules = load_rules(default_rules_dir() / "detect")
    cases = [(f"{r.name}/{p.name}", p.regex, p.flags) for r in rules.recognizers for p in r.patterns]
    cases += [(f"keep/{name}", rx, 0) for name, rx in rules.keep.keep_patterns]
    cases += [(f"{r.name}/hits", r.hits, 0) for r in rules.recognizers if r.hits]
    return cases


@pytest.mark.slow
@pytest.mark.parametrize(("label", "pattern", "flags"), _shipped_pattern_cases(), ids=lambda v: str(v)[:40])
def test_robustness_every_shipped_pattern_is_linear_on_its_own(label: str, pattern: str, flags: int) -> None:
    """Each shipped pattern, run directly over a whole adversarial text (no trigger, no window, no
    timeout), takes time linear in its size. This is what lets the engine run them without a
    per-call timeout (rules.shipped_patterns); a pattern that backtracks fails here, by name."""
    import regex

    compiled = regex.compile(pattern, flags)

    def seconds(text: str) -> float:
        best = float("inf")
        for _ in range(2):
            started = time.process_time()  # CPU time: the machine's other work does not count
            try:
                for _match in compiled.finditer(text, timeout=10.0):  # a backtracking pattern fails, not hangs
                    pass
            except TimeoutError:
                return float("inf")
            best = min(best, time.process_time() - started)
        return best

    slow = []
    for name, unit in ADVERSARIAL.items():
        t_small = seconds(unit * (10_000 // len(unit)))
        t_large = seconds(unit * (40_000 // len(unit)))
        if t_large >= max(9 * t_small, NOISE_FLOOR):
            slow.append(f"{name}: {t_small:.4f}s -> {t_large:.4f}s")
    assert not slow, f"{label} is not linear-time on: {', '.join(slow)}"
