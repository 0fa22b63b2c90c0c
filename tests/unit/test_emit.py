from __future__ import annotations

import itertools
import json
import os
from typing import TYPE_CHECKING

import pytest

from pipeline.emit import files
from pipeline.emit.files import output_name, write_atomic, write_atomic_parts
from pipeline.emit.jsonld import to_json, to_jsonld
from pipeline.emit.script import escape_for_script, script_block

if TYPE_CHECKING:
    from pathlib import Path

    from pipeline.model import JsonObject

DOC: JsonObject = {
    "@graph": [{"name": "a</script><!--<script>\u2028&b>", "@id": "#x", "@type": "Drug"}],
    "@context": "https://schema.org",
}


def test_jsonld_puts_context_type_and_id_first_and_ends_with_a_newline() -> None:
    data = to_jsonld(DOC)

    assert data.endswith(b"}\n")
    text = data.decode()
    assert text.index('"@context"') < text.index('"@graph"')
    assert text.index('"@type"') < text.index('"@id"') < text.index('"name"')


def test_identical_input_gives_identical_bytes() -> None:
    assert to_jsonld(DOC) == to_jsonld(json.loads(to_jsonld(DOC)))


def test_nan_is_refused() -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        to_json({"x": float("nan")})


def test_script_escaping_removes_every_character_that_could_end_the_script() -> None:
    escaped = escape_for_script(to_json(DOC))

    for dangerous in ("<", ">", "&", "\u2028", "\u2029"):
        assert dangerous not in escaped
    assert json.loads(escaped) == DOC


def test_script_block_carries_our_marker_and_minify_puts_it_on_one_line() -> None:
    block = script_block(DOC, minify=True)

    assert block.startswith('<script type="application/ld+json" data-schemapress>{')
    assert block.endswith("}</script>\n")
    assert block.count("\n") == 1


def test_ascii_snippet_has_no_non_ascii_character() -> None:
    block = script_block({"name": "Baldrianwurzel für Kinder – 纈草"}, ascii_only=True)

    assert block.isascii()
    assert json.loads(block.split(">", 1)[1].rsplit("<", 1)[0]) == {
        "name": "Baldrianwurzel für Kinder – 纈草"
    }


def test_atomic_write_leaves_no_temporary_file_and_reports_unchanged_content(
    tmp_path: Path,
) -> None:
    target = tmp_path / "deep" / "page.jsonld"

    assert write_atomic(target, b"one") is True
    assert write_atomic(target, b"one") is False
    assert target.read_bytes() == b"one"
    assert [p.name for p in target.parent.iterdir()] == ["page.jsonld"]


def test_atomic_writes_give_new_files_one_mode_and_keep_an_old_file_s(tmp_path: Path) -> None:
    """A web server must read the outputs whatever the umask; a mode someone chose stays."""
    new, kept, report = tmp_path / "new.jsonld", tmp_path / "kept.jsonld", tmp_path / "r.json"
    kept.write_bytes(b"old")
    kept.chmod(0o600)
    old_umask = os.umask(0o077)
    try:
        write_atomic(new, b"one", durable=False)
        write_atomic(kept, b"new", durable=False)
        write_atomic_parts(report, [b"{", b"}"])
    finally:
        os.umask(old_umask)

    assert [oct(p.stat().st_mode & 0o777) for p in (new, kept, report)] == [
        "0o644",
        "0o600",
        "0o644",
    ]
    assert kept.read_bytes() == b"new"


def test_an_atomic_write_steps_over_a_temporary_file_a_killed_run_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "_TEMPORARY_COUNT", itertools.count(7))
    leftover = tmp_path / f".page.jsonld.{os.getpid()}-7.tmp"
    leftover.write_bytes(b"someone else's")

    assert write_atomic(tmp_path / "page.jsonld", b"one") is True
    assert (tmp_path / "page.jsonld").read_bytes() == b"one"
    assert leftover.read_bytes() == b"someone else's"


def test_atomic_write_failure_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "page.jsonld"
    target.write_bytes(b"old")

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, b"new")

    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.jsonld"]


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("guides/willow.md", "guides/willow.jsonld"),
        ("../../etc/passwd.md", "etc/passwd.jsonld"),
        ("/abs/page.html", "abs/page.jsonld"),
        ("willow", "willow.jsonld"),
        ("..md", "..jsonld"),
        ("//server/share/page.md", "server/share/page.jsonld"),
        ("notes/.hidden", "notes/.hidden.jsonld"),
        ("v1.2.txt", "v1.2.jsonld"),
        ("..", "page.jsonld"),
    ],
)
def test_output_paths_never_leave_the_output_folder(
    tmp_path: Path, relative: str, expected: str
) -> None:
    path = tmp_path / output_name(relative, ".jsonld")

    assert path == tmp_path / expected
    assert path.resolve().is_relative_to(tmp_path.resolve())
