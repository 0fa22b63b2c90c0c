from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pipeline.errors import ConfigError
from pipeline.settings import Settings, load_settings, settings_from_mapping

if TYPE_CHECKING:
    from pathlib import Path


def test_no_settings_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(start=tmp_path) == Settings()


def test_schemapress_toml_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "schemapress.toml").write_text(
        '[site]\nurl = "https://example.org"\nname = "Herb Notes"\n'
    )
    (tmp_path / "pages").mkdir()

    settings = load_settings(start=tmp_path / "pages")

    assert (settings.site.url, settings.site.name) == ("https://example.org", "Herb Notes")


def test_tool_table_in_pyproject_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.schemapress.check]\nstrict = true\nignore = ["content"]\n'
    )

    settings = load_settings(start=tmp_path)

    assert settings.check.strict is True
    assert settings.check.ignore == ("content",)


def test_unknown_key_names_the_key_and_suggests_the_near_miss() -> None:
    with pytest.raises(
        ConfigError, match=r"site\.reviwer: is not a known setting \(did you mean 'reviewer'\?\)"
    ):
        settings_from_mapping({"site": {"reviwer": "Dr Roe"}}, "schemapress.toml")


def test_wrong_type_names_key_and_types() -> None:
    with pytest.raises(ConfigError, match=r"check\.strict: must be bool, not str"):
        settings_from_mapping({"check": {"strict": "yes"}}, None)


def test_site_url_must_be_http() -> None:
    with pytest.raises(ConfigError, match=r"site\.url: must be an http\(s\) URL"):
        settings_from_mapping({"site": {"url": "javascript:alert(1)"}}, None)


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    config = tmp_path / "schemapress.toml"
    config.write_text("[site\n")

    with pytest.raises(ConfigError, match=r"schemapress\.toml"):
        load_settings(config)
