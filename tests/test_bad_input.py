"""Bad source files, built for real: a clear message naming file and line, never a traceback,
and either a correct page or a failed build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import copy_project, run_build

SOURCE = "models-and-frameworks.md"

pytestmark = pytest.mark.build  # each test builds a broken copy of the project


def build_with(tmp_path: Path, change, strict: bool = True) -> tuple:
    """Copy the project, let `change` alter one source file's bytes, and build it."""
    root = copy_project(tmp_path / "project")
    path = root / "docs" / "sources" / SOURCE
    path.write_bytes(change(path.read_bytes()))
    build = run_build(root, tmp_path / "site", strict=strict)
    assert "Traceback" not in build.output, build.output
    return build, root


def page_headings(build) -> list[str]:
    html = (build.site / "topics" / "models-and-frameworks" / "index.html").read_text(encoding="utf-8")
    return [h2.get_text().rstrip("¶").strip() for h2 in BeautifulSoup(html, "html.parser").select("article h2")]


def line_of(data: bytes, needle: str) -> int:
    """The 1-based number of the first line containing needle."""
    return next(number for number, line in enumerate(data.decode("utf-8").split("\n"), start=1) if needle in line)


def test_unclosed_code_fence_fails_naming_the_line(tmp_path):
    build, root = build_with(tmp_path, lambda data: data.replace(
        "如下所示：".encode(), "如下所示：\n\n```python\nprint(1)".encode(), 1))
    opened = line_of((root / "docs/sources" / SOURCE).read_bytes(), "```python")
    assert build.returncode != 0
    assert f"{SOURCE}:{opened}: code fence '```' opened here is never closed" in build.output


def test_garbled_h2_is_repaired_and_reported(tmp_path):
    build, root = build_with(tmp_path, lambda data: data.replace(
        "3.Sora有哪些创新点？</h2>".encode(), "3.Sora有哪些创新点？".encode(), 1))
    line = line_of((root / "docs/sources" / SOURCE).read_bytes(), '<h2 id="3.Sora')
    assert build.returncode == 0, build.output
    assert f"{SOURCE}:{line}: [heading] repaired a malformed <h2> tag" in build.output
    assert "Sora有哪些创新点？" in page_headings(build)


def test_unreadable_h2_fails_naming_the_line(tmp_path):
    build, root = build_with(tmp_path, lambda data: data.replace(
        '<h2 id="3.Sora有哪些创新点？">3.Sora有哪些创新点？</h2>'.encode(), b'<h2 id="3"></h2>', 1))
    line = line_of((root / "docs/sources" / SOURCE).read_bytes(), '<h2 id="3"></h2>')
    assert build.returncode != 0
    assert f"{SOURCE}:{line}: cannot read the <h2> heading" in build.output


def test_two_questions_with_the_same_id_both_render(tmp_path):
    build, _ = build_with(tmp_path, lambda data: data.replace(
        '<h2 id="3.Sora有哪些创新点？">3.Sora有哪些创新点？</h2>'.encode(),
        '<h2 id="2.目前主流的AI视频大模型有哪些？">3.Sora有哪些创新点？</h2>'.encode(), 1))
    assert build.returncode == 0, build.output
    headings = page_headings(build)
    assert "Sora有哪些创新点？" in headings and "目前主流的AI视频大模型有哪些？" in headings


def test_two_questions_with_the_same_title_get_distinct_anchors(tmp_path):
    build, root = build_with(tmp_path, lambda data: data.replace(
        "3.Sora有哪些创新点？".encode(), "3.目前主流的AI视频大模型有哪些？".encode()))
    assert build.returncode == 0, build.output
    assert re.search(rf"{SOURCE}:\d+: \[anchor\] title '目前主流的AI视频大模型有哪些？' is used by another "
                     "question; anchor '目前主流的ai视频大模型有哪些-2'", build.output)
    html = (build.site / "topics/models-and-frameworks/index.html").read_text(encoding="utf-8")
    assert 'id="目前主流的ai视频大模型有哪些"' in html and 'id="目前主流的ai视频大模型有哪些-2"' in html


def test_empty_file_fails_naming_it(tmp_path):
    build, _ = build_with(tmp_path, lambda data: b"")
    assert build.returncode != 0
    assert f"{SOURCE}:1: the file is empty" in build.output


@pytest.mark.parametrize("name, change, message", [
    ("bom", lambda data: b"\xef\xbb\xbf" + data, "removed a UTF-8 byte-order mark"),
    ("crlf", lambda data: data.replace(b"\n", b"\r\n"), "converted CR/CRLF line ends to LF"),
])
def test_bom_and_crlf_give_the_same_page(tmp_path, site_build, name, change, message):
    build, _ = build_with(tmp_path, change)
    assert build.returncode == 0, build.output
    assert f"{SOURCE}:1: [encoding] {message}" in build.output
    original = (site_build.site / "topics/models-and-frameworks/index.html").read_text(encoding="utf-8")
    rebuilt = (build.site / "topics/models-and-frameworks/index.html").read_text(encoding="utf-8")
    article = lambda html: str(BeautifulSoup(html, "html.parser").find("article"))
    assert article(rebuilt) == article(original)


def test_bytes_that_are_not_utf8_fail_naming_line_and_column(tmp_path):
    build, root = build_with(tmp_path, lambda data: data.replace("Sora有哪些".encode(), "Sora有哪些".encode("gb18030"), 1))
    assert build.returncode != 0
    assert re.search(rf"{SOURCE}:\d+: not valid UTF-8 \(byte 0x[0-9a-f]{{2}} at column \d+\)", build.output)


def test_formula_that_cannot_be_converted_fails_naming_the_line(tmp_path):
    build, root = build_with(tmp_path, lambda data: data.replace(
        "如下所示：".encode(), "如下所示：$\\left( x$".encode(), 1))
    line = line_of((root / "docs/sources" / SOURCE).read_bytes(), "\\left( x")
    assert build.returncode != 0
    assert f"{SOURCE}:{line}: cannot convert formula" in build.output


def test_newer_source_copy_rebuilds_and_keeps_anchors(tmp_path, site_build):
    """Upstream renumbers its questions and adds one: the build needs no change and old links still work."""
    def newer(data: bytes) -> bytes:
        text = data.decode("utf-8")
        for old, new in (("1.", "11."), ("2.", "12."), ("3.", "13."), ("4.", "14."), ("5.", "15.")):
            text = text.replace(f'id="{old}', f'id="{new}').replace(f'">{old}', f'">{new}')
            text = text.replace(f"[{old}", f"[{new}").replace(f"(#{old}", f"(#{new}")
        text = text.replace("## 6.SAM v2", "## 16.SAM v2 有哪些改进？\n\nSAM v2 把分割扩展到视频，用记忆模块跟踪目标。")
        return text.encode("utf-8")

    build, _ = build_with(tmp_path, newer, strict=False)
    assert build.returncode == 0, build.output
    # The new question is not yet recorded: a WARNING asks for the record (and fails --strict).
    assert re.search(r"WARNING\s+-\s+data/questions\.yml:1: \[unrecorded\] questions not yet recorded: 1 ",
                     build.output), build.output
    before = BeautifulSoup((site_build.site / "topics/models-and-frameworks/index.html").read_text(encoding="utf-8"),
                           "html.parser")
    after = BeautifulSoup((build.site / "topics/models-and-frameworks/index.html").read_text(encoding="utf-8"),
                          "html.parser")
    old_ids = [h2["id"] for h2 in before.select("article h2")]
    new_ids = [h2["id"] for h2 in after.select("article h2")]
    assert old_ids == new_ids[:len(old_ids)] and new_ids[len(old_ids):] == ["sam-v2-有哪些改进"]
