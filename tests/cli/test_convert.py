from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main

EXAMPLES = Path(__file__).parents[2] / "examples"


def _runner() -> CliRunner:
    return CliRunner()


def test_convert_a_folder_writes_jsonld_html_and_report(tmp_path: Path) -> None:
    out = tmp_path / "out"

    result = _runner().invoke(
        main, ["convert", str(EXAMPLES), "-o", str(out)], catch_exceptions=False
    )

    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "3 pages: 3 ok, 0 invalid, 0 failed" in result.stderr
    names = sorted(p.name for p in out.iterdir())
    for stem in ("ibuprofen", "turmeric-faq", "valerian-sleep"):
        assert f"{stem}.jsonld" in names
        assert f"{stem}.html" in names
    report = json.loads((out / "report.json").read_text())
    assert [p["source"] for p in report["pages"]] == sorted(p["source"] for p in report["pages"])
    assert report["summary"]["ok"] == 3
    page = report["pages"][0]
    assert set(page) >= {
        "source",
        "status",
        "outputs",
        "title",
        "language",
        "subject",
        "sections",
        "dropped",
        "questions",
        "findings",
    }


def test_rerun_gives_byte_identical_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _runner().invoke(main, ["convert", str(EXAMPLES), "-o", str(out)], catch_exceptions=False)
    first = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    _runner().invoke(main, ["convert", str(EXAMPLES), "-o", str(out)], catch_exceptions=False)

    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == first


def test_dash_out_prints_the_snippet_to_stdout() -> None:
    result = _runner().invoke(
        main, ["convert", str(EXAMPLES / "ibuprofen.html"), "-o", "-"], catch_exceptions=False
    )

    assert result.exit_code == 0
    assert result.stdout.startswith('<script type="application/ld+json" data-schemapress>')
    assert result.stdout.endswith("</script>\n")


def test_stdin_is_read_for_dash() -> None:
    page = (EXAMPLES / "valerian-sleep.txt").read_text()

    result = _runner().invoke(main, ["convert", "-", "-o", "-"], input=page, catch_exceptions=False)

    assert result.exit_code == 0
    assert "valerian" in result.stdout


def test_url_and_base_url_make_absolute_ids(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _runner().invoke(
        main,
        ["convert", str(EXAMPLES), "-o", str(out), "--base-url", "https://herbs.example/"],
        catch_exceptions=False,
    )
    single = _runner().invoke(
        main,
        [
            "convert",
            str(EXAMPLES / "valerian-sleep.txt"),
            "-o",
            "-",
            "--url",
            "https://herbs.example/v/",
        ],
        catch_exceptions=False,
    )

    graph = json.loads((out / "valerian-sleep.jsonld").read_text())["@graph"]
    assert graph[0]["@id"] == "https://herbs.example/valerian-sleep/#webpage"
    assert '"@id": "https://herbs.example/v/#webpage"' in single.stdout


def test_a_bad_file_fails_alone_and_the_batch_goes_on(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    shutil.copytree(EXAMPLES, pages)
    (pages / "empty.txt").write_bytes(b"")
    (pages / "binary.html").write_bytes(b"\x00\x01\x02<html>")
    out = tmp_path / "out"

    result = _runner().invoke(main, ["convert", str(pages), "-o", str(out)], catch_exceptions=False)

    assert result.exit_code == 1
    assert "empty.txt: the file is empty" in result.stderr
    assert "binary.html: the file looks binary" in result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads((out / "report.json").read_text())
    assert sorted(p["status"] for p in report["pages"]) == ["failed", "failed", "ok", "ok", "ok"]
    assert (out / "ibuprofen.jsonld").exists()


def test_url_with_several_pages_is_a_usage_error() -> None:
    result = _runner().invoke(main, ["convert", str(EXAMPLES), "--url", "https://x.example/"])

    assert result.exit_code == 2
    assert "--url names one page" in result.stderr


def test_a_missing_input_is_a_failed_page(tmp_path: Path) -> None:
    result = _runner().invoke(
        main, ["convert", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o")]
    )

    assert result.exit_code == 1
    assert "nope.txt: not a file" in result.stderr


def test_bad_config_exits_2_naming_the_key(tmp_path: Path) -> None:
    config = tmp_path / "schemapress.toml"
    config.write_text('[site]\nurll = "https://x.example"\n')

    result = _runner().invoke(
        main, ["convert", str(EXAMPLES), "--config", str(config), "-o", str(tmp_path / "o")]
    )

    assert result.exit_code == 2
    assert "site.urll" in result.stderr
    assert "did you mean 'url'" in result.stderr


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    page = EXAMPLES / "valerian-sleep.txt"

    lenient = _runner().invoke(main, ["convert", str(page), "-o", str(tmp_path / "a")])
    strict = _runner().invoke(main, ["convert", str(page), "-o", str(tmp_path / "b"), "--strict"])

    assert (lenient.exit_code, strict.exit_code) == (0, 1)


def test_installed_command_and_module_both_run(tmp_path: Path) -> None:
    for command in (["schemapress"], [sys.executable, "-m", "pipeline"]):
        done = subprocess.run(
            [*command, "convert", str(EXAMPLES / "ibuprofen.html"), "-o", "-"],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        assert '"@type": "Drug"' in done.stdout


def test_a_page_whose_outputs_an_earlier_page_takes_fails_and_the_rest_convert(
    tmp_path: Path,
) -> None:
    docs, blog, out = tmp_path / "docs", tmp_path / "blog", tmp_path / "out"
    for folder in (docs, blog):
        folder.mkdir()
        shutil.copy(EXAMPLES / "valerian-sleep.txt", folder / "index.txt")
    shutil.copy(EXAMPLES / "ibuprofen.html", blog / "ibuprofen.html")
    args = ["convert", str(docs), str(blog), "-o", str(out), "-j", "2"]

    result = _runner().invoke(main, args, catch_exceptions=False)

    assert result.exit_code == 1
    assert "3 pages: 2 ok, 0 invalid, 1 failed" in result.stderr
    assert f"{blog / 'index.txt'}: its outputs ({out.as_posix()}/index.*) are those of" in (
        result.stderr
    )
    report = json.loads((out / "report.json").read_text())
    assert [(p["source"], p["status"]) for p in report["pages"]] == [
        (str(docs / "index.txt"), "ok"),
        (str(blog / "ibuprofen.html"), "ok"),
        (str(blog / "index.txt"), "failed"),
    ]
    assert report["pages"][2]["findings"][0]["rule"] == "output.collision"
