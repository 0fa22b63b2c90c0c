from __future__ import annotations

import pytest

from pipeline.analyse.lexicon import (
    concept_hits,
    find_interacting_drugs,
    question_template,
    rule_hits,
    sentence_concepts,
    split_sentences,
)
from pipeline.analyse.profile import Profile, load_profile


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile()


@pytest.mark.parametrize(
    ("sentence", "language", "concepts"),
    [
        ("Kava is not approved by the FDA for any medical use.", "en", {"legalStatus"}),
        ("It is a controlled substance in several countries.", "en", {"legalStatus"}),
        ("Nausea and dizziness are the most common side effects.", "en", {"sideEffects"}),
        ("Long-term use can lead to dependence and withdrawal.", "en", {"dependence"}),
        ("Valerian binds to GABA receptors in the brain.", "en", {"mechanism"}),
        ("It may interact with blood thinners.", "en", {"interactions"}),
        ("Adults take 400 mg once a day.", "en", {"dosage"}),
        ("Das Mittel ist in der EU nicht zugelassen.", "de", {"legalStatus"}),
        ("Häufige Nebenwirkungen sind Übelkeit und Kopfschmerzen.", "de", {"sideEffects"}),
        ("The weather was pleasant.", "en", set()),
    ],
)
def test_a_sentence_speaks_of_the_concepts_its_words_name(
    profile: Profile, sentence: str, language: str, concepts: set[str]
) -> None:
    assert sentence_concepts(sentence, profile, language) == concepts


def test_a_sentence_can_speak_of_several_concepts(profile: Profile) -> None:
    found = sentence_concepts(
        "Because of side effects such as nausea, the FDA has not approved it.", profile, "en"
    )
    assert {"sideEffects", "legalStatus"} <= found


def test_sleep_regulation_is_not_legal_regulation(profile: Profile) -> None:
    sentence = "Serotonin is involved in regulating mood and sleep regulation."
    assert "legalStatus" not in sentence_concepts(sentence, profile, "en")


def test_concept_hits_weigh_generic_caution_words_less(profile: Profile) -> None:
    [found] = rule_hits(["Avoid it and consult your doctor. Nausea, vomiting."], profile, "en")
    hits = concept_hits(found)
    assert hits["sideEffects"] > hits["warnings"]


@pytest.mark.parametrize(
    ("text", "language", "drugs"),
    [
        (
            (
                "Kava can interact with certain medications, including those for anxiety, "
                "sedatives, and antidepressants."
            ),
            "en",
            ("anxiety medications", "sedatives", "antidepressants"),
        ),
        (
            "Valerian may interact with alcohol, benzodiazepines or barbiturates.",
            "en",
            ("alcohol", "benzodiazepines", "barbiturates"),
        ),
        (
            "Drowsiness increases when combined with opioids and antihistamines.",
            "en",
            ("opioids", "antihistamines"),
        ),
        (
            "Interactions are known with drugs such as warfarin and clopidogrel.",
            "en",
            ("warfarin", "clopidogrel"),
        ),
        (
            "Es gibt Wechselwirkungen mit Medikamenten wie Johanniskraut und Ciclosporin.",
            "de",
            ("Johanniskraut", "Ciclosporin"),
        ),
    ],
)
def test_interacting_drugs_are_taken_from_interaction_phrases(
    profile: Profile, text: str, language: str, drugs: tuple[str, ...]
) -> None:
    assert find_interacting_drugs(text, profile, language) == drugs


def test_a_such_as_list_outside_an_interaction_sentence_names_no_drug(profile: Profile) -> None:
    text = "Kava comes in forms such as capsules and tea."
    assert find_interacting_drugs(text, profile, "en") == ()


def test_interacting_with_the_body_is_not_a_drug(profile: Profile) -> None:
    text = "Its alkaloids interact with the body in several ways."
    assert find_interacting_drugs(text, profile, "en") == ()


def test_a_drug_named_twice_is_listed_once(profile: Profile) -> None:
    text = "It may interact with warfarin. Do not take it combined with Warfarin."
    assert find_interacting_drugs(text, profile, "en") == ("warfarin",)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One. Two! Three? Four", ("One.", "Two!", "Three?", "Four")),
        ("Take 2.5 mg at night. Then rest.", ("Take 2.5 mg at night.", "Then rest.")),
        ("Use herbs, e.g. Valerian. Then sleep.", ("Use herbs, e.g. Valerian.", "Then sleep.")),
        (
            "It lasts approx. 6 hours. Dr. Lee agrees.",
            ("It lasts approx. 6 hours.", "Dr. Lee agrees."),
        ),
        ("Mittel, z. B. Baldrian, helfen. Gut.", ("Mittel, z. B. Baldrian, helfen.", "Gut.")),
        ("As J. Smith wrote. Yes.", ("As J. Smith wrote.", "Yes.")),
        ("Ends in lower case. and goes on.", ("Ends in lower case. and goes on.",)),
        ("First line\nSecond line", ("First line", "Second line")),
        ("多喝水。然后休息！好吗？", ("多喝水。", "然后休息！", "好吗？")),
        ('He said "stop." Then left.', ('He said "stop."', "Then left.")),
        ("", ()),
    ],
)
def test_sentences_split_at_ends_but_not_at_abbreviations_or_decimals(
    text: str, sentences: tuple[str, ...]
) -> None:
    assert split_sentences(text) == sentences


def test_question_templates_come_from_the_profile(profile: Profile) -> None:
    assert question_template("mechanism", "en", profile) == "How does {subject} work?"
    assert question_template("sideEffects", "de", profile) == "Welche Nebenwirkungen hat {subject}?"
    assert question_template("overview", None, profile) == "What is {subject}?"
    assert question_template("faq", "en", profile) is None
    assert question_template("dosage", "ko", profile) is None
