from __future__ import annotations

import pickle
import re
from typing import TYPE_CHECKING

import pytest

from pipeline.analyse.concepts import classify_sections, match_heading
from pipeline.analyse.profile import (
    PROFILE_DIR,
    Profile,
    base_language,
    in_language,
    key_path,
    load_profile,
)
from pipeline.errors import ProfileError
from pipeline.model import CONCEPTS, Section, Span

if TYPE_CHECKING:
    from pathlib import Path

RULE_ID = re.compile(r"^[a-z]+(\.[a-z0-9]+(-[a-z0-9]+)*)+$")
SPAN = Span(start_line=1, end_line=1)

MINIMAL = """
name = "tiny"
default_language = "en"
body = []

[[heading]]
id = "concept.heading.dosage.en"
concept = "dosage"
language = "en"
patterns = ["dose"]
"""


def write(tmp_path: Path, text: str, name: str = "profile.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def bad_profile(tmp_path: Path, text: str) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        load_profile(write(tmp_path, text))
    return caught.value


def test_bundled_profile_loads_by_name() -> None:
    profile = load_profile()
    assert profile.name == "medical"
    assert profile.default_language == "en"
    assert profile.source == str(PROFILE_DIR / "medical.toml")


def test_profile_is_built_once_per_file() -> None:
    assert load_profile("medical") is load_profile(str(PROFILE_DIR / "medical.toml"))


def test_profile_survives_a_pickle_round_trip() -> None:
    profile = load_profile()
    assert pickle.loads(pickle.dumps(profile)) == profile


def test_every_rule_id_is_stable_kebab_case_and_unique() -> None:
    profile = load_profile()
    ids = [
        *(rule.id for rule in profile.headings),
        *(rule.id for rule in profile.bodies),
        *(rule.id for rule in profile.interactions),
        *(rule.id for rule in profile.item_rewrites),
    ]
    assert all(RULE_ID.match(rule_id) for rule_id in ids)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("language", ["en", "de"])
def test_english_and_german_have_heading_rules_for_every_concept(language: str) -> None:
    concepts = {rule.concept for rule in load_profile().headings if rule.language == language}
    assert concepts == set(CONCEPTS)


@pytest.mark.parametrize("language", ["en", "de"])
def test_english_and_german_have_body_lexicons_for_the_drug_concepts(language: str) -> None:
    concepts = {rule.concept for rule in load_profile().bodies if rule.language == language}
    assert set(CONCEPTS) - concepts <= {"overview", "faq", "other"}


@pytest.mark.parametrize(
    "language", ["es", "fr", "pt", "it", "nl", "pl", "ru", "uk", "zh", "ja", "ko"]
)
def test_other_languages_name_the_common_concepts(language: str) -> None:
    concepts = {rule.concept for rule in load_profile().headings if rule.language == language}
    common = {"sideEffects", "dosage", "warnings", "interactions", "pregnancy", "overdose", "uses"}
    assert common | {"mechanism", "ingredients", "legalStatus", "faq", "overview"} <= concepts


def test_question_templates_cover_english_and_german_with_a_subject_slot() -> None:
    profile = load_profile()
    for language in ("en", "de"):
        concepts = {q.concept for q in profile.questions if q.language == language}
        assert concepts == set(CONCEPTS) - {"faq", "other"}
    assert all("{subject}" in q.template for q in profile.questions)


def test_a_synonym_added_to_a_profile_file_changes_the_result_without_code(
    tmp_path: Path,
) -> None:
    heading = "Bedside Notes"
    bundled = (PROFILE_DIR / "medical.toml").read_text(encoding="utf-8")
    extended = bundled.replace(
        "[[heading]]\n",
        '[[heading]]\nid = "concept.heading.test-bedside.en"\nconcept = "warnings"\n'
        "language = \"en\"\npatterns = ['bedside notes']\n\n[[heading]]\n",
        1,
    )
    sections = (Section(title=heading, level=2, blocks=(), span=SPAN),)

    before = classify_sections(sections, load_profile(), language="en")[0]
    after = classify_sections(sections, load_profile(write(tmp_path, extended)), language="en")[0]

    assert before.concept == "other"
    assert after.concept == "warnings"
    assert after.rule == "concept.heading.test-bedside.en"


def test_a_minimal_profile_is_enough(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, MINIMAL))
    found = match_heading("Daily dose", profile, "en")
    assert found is not None
    assert found.concept == "dosage"


def test_an_unknown_concept_fails_with_the_key_path(tmp_path: Path) -> None:
    error = bad_profile(tmp_path, MINIMAL.replace('concept = "dosage"', 'concept = "dosing"'))
    assert error.key == "heading[0].concept"
    assert error.file.endswith("profile.toml")
    assert "heading[0].concept" in str(error)


def test_a_misspelt_top_level_key_fails_and_names_it(tmp_path: Path) -> None:
    error = bad_profile(tmp_path, MINIMAL.replace("body = []", "bodies = []"))
    assert error.key == "(top level)"
    assert "bodies" in error.reason


def test_a_bad_regular_expression_fails_with_the_pattern_path(tmp_path: Path) -> None:
    error = bad_profile(
        tmp_path, MINIMAL.replace('patterns = ["dose"]', 'patterns = ["dose", "(x"]')
    )
    assert error.key == "heading[0].patterns[1]"
    assert "regular expression" in error.reason


def test_a_duplicate_rule_id_fails(tmp_path: Path) -> None:
    rule = MINIMAL[MINIMAL.index("[[heading]]") :]
    assert bad_profile(tmp_path, MINIMAL + rule).key == "heading[1].id"


def test_a_rule_id_outside_the_naming_scheme_fails(tmp_path: Path) -> None:
    error = bad_profile(tmp_path, MINIMAL.replace("concept.heading.dosage.en", "Dosage Rule"))
    assert error.key == "heading[0].id"


def test_toml_syntax_errors_and_missing_files_are_profile_errors(tmp_path: Path) -> None:
    assert bad_profile(tmp_path, "name = ").key == "(syntax)"
    with pytest.raises(ProfileError, match="no such profile"):
        load_profile("no-such-profile")


def test_key_paths_read_like_toml() -> None:
    assert key_path(["heading", 3, "patterns", 0]) == "heading[3].patterns[0]"
    assert key_path([]) == "(top level)"


@pytest.mark.parametrize(
    ("tag", "expected"), [("en-GB", "en"), ("DE", "de"), ("pt_BR", "pt"), ("", None), (None, None)]
)
def test_base_language_keeps_the_primary_subtag(tag: str | None, expected: str | None) -> None:
    assert base_language(tag) == expected


def test_rules_for_a_language_keep_the_default_language_too() -> None:
    profile: Profile = load_profile()
    german = in_language(profile.headings, "de", profile.default_language)
    assert {rule.language for rule in german} == {"de", "en"}
    assert in_language(profile.headings, None, "en") == profile.headings
