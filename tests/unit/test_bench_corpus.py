from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pipeline.api import convert
from pipeline.settings import Settings

if TYPE_CHECKING:
    from types import ModuleType

CORPUS_FILE = Path(__file__).resolve().parents[2] / "bench" / "corpus.py"


@pytest.fixture(scope="module")
def corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", CORPUS_FILE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("page_format", ["text", "markdown", "html"])
def test_same_seed_gives_the_same_pages(corpus: ModuleType, page_format: str) -> None:
    first = list(corpus.generate(5, page_format, seed=7))
    again = list(corpus.generate(5, page_format, seed=7))
    other = list(corpus.generate(5, page_format, seed=8))
    assert first == again
    assert [p.data for p in first] != [p.data for p in other]


def test_a_page_depends_only_on_its_index(corpus: ModuleType) -> None:
    three = list(corpus.generate(3, "text", seed=1))
    five = list(corpus.generate(5, "text", seed=1))
    assert five[:3] == three


@pytest.mark.parametrize("page_format", ["text", "markdown", "html"])
def test_generated_pages_convert_cleanly_with_their_subject(
    corpus: ModuleType, page_format: str
) -> None:
    for page in corpus.generate(3, page_format, seed=0):
        result = convert(page.data, media=page.format, config=Settings())
        assert result.status == "ok", page.name
        assert result.analysis.subject is not None
        assert result.analysis.title is not None
        assert result.analysis.title.text.startswith(result.analysis.subject.name)
        assert not result.report.errors


def test_every_page_is_about_a_drug_no_other_page_names(corpus: ModuleType) -> None:
    """A real drug site names a new drug on nearly every page; caches keyed by name must miss."""
    names = [page.name.split("-", 1)[1] for page in corpus.generate(300, "text", seed=0)]
    assert len(set(names)) == len(names)


def test_write_corpus_lays_out_one_folder_per_format(corpus: ModuleType, tmp_path: Path) -> None:
    written = corpus.write_corpus(tmp_path, 2, ["text", "html"], seed=0)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*"))
    assert len(files) == 4
    assert {f.split("/")[0] for f in files} == {"text", "html"}
    assert written == sum(p.stat().st_size for p in tmp_path.rglob("*.*"))
