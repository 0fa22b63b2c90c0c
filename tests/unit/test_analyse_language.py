from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pipeline.analyse.language import detect_language, load_languages
from pipeline.errors import ProfileError

if TYPE_CHECKING:
    from pathlib import Path

SENTENCES = {
    "en": "Take this medicine with food and talk to your doctor if the pain does not go away.",
    "de": "Nehmen Sie das Mittel mit dem Essen ein und fragen Sie Ihren Arzt, wenn es nicht hilft.",
    "es": "Tome el medicamento con la comida y consulte a su médico si el dolor no desaparece.",
    "fr": "Prenez ce médicament avec le repas et parlez-en à votre médecin si la douleur persiste.",
    "pt": "Tome o medicamento com a comida e fale com o seu médico se a dor não passar.",
    "it": "Prenda il farmaco con il cibo e parli con il medico se il dolore non passa.",
    "nl": "Neem het middel in met het eten en vraag uw arts om advies als de pijn niet weggaat.",
    "pl": "Lek należy przyjmować z jedzeniem i pytać lekarza, jeśli ból nie ustępuje.",
    "ru": "Принимайте это лекарство во время еды и обратитесь к врачу, если боль не проходит.",
    "uk": "Приймайте ці ліки під час їжі та зверніться до лікаря, якщо біль не минає.",
    "zh": "这种药应该和食物一起服用，如果疼痛没有缓解，请咨询医生。",
    "ja": "この薬は食事と一緒に飲んでください。痛みが続く場合は医師に相談してください。",
    "ko": "이 약은 음식과 함께 복용하고 통증이 계속되면 의사와 상담하십시오.",
}


@pytest.mark.parametrize(("language", "sentence"), sorted(SENTENCES.items()))
def test_a_short_sentence_is_recognised(language: str, sentence: str) -> None:
    assert detect_language(sentence) == language


def test_a_japanese_sentence_with_kanji_is_not_taken_for_chinese() -> None:
    assert detect_language("副作用として頭痛が報告されています。") == "ja"


def test_text_without_letters_or_clues_gives_no_answer() -> None:
    assert detect_language("") is None
    assert detect_language("12 mg / 24 h") is None
    assert detect_language("CBD THC") is None


def test_every_bundled_language_has_a_sentence_here() -> None:
    assert {entry.code for entry in load_languages().entries} == set(SENTENCES)


def test_a_languages_file_is_checked_against_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "languages.toml"
    path.write_text('[language.xx]\nscripts = ["LATIN"]\nstopwords = []\n', encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_languages(str(path))
    assert caught.value.key == "language.xx.stopwords"
