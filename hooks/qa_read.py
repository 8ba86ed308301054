"""Read step: turn the bytes of one source file into parts and questions, in the file's body order."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass

from qa_blocks import code_blocks
from qa_model import Change, Part, Question, SourceDocument, SourceError, TocEntry

UTF8_BOM = b"\xef\xbb\xbf"
TOC_TITLES = {"目录", "目錄", "目录导航", "目錄導航", "contents", "tableofcontents"}

ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
HTML_HEADING = re.compile(r"^\s*<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>\s*$", re.IGNORECASE)
HTML_HEADING_START = re.compile(r"^\s*<h([1-6])\b", re.IGNORECASE)
# A TOC line: a link, alone or as a list item ("[4.1.1 小节](#4.1.1_小节)", "  - [1.甲](#1.甲)").
TOC_ITEM = re.compile(r"^(\s*)(?:[-*+][ \t]+)?\[(.+)\][ \t]*\((.*)\)[ \t]*$")
LIST_LINK = re.compile(r"^\s*[-*+][ \t]+\[")
# A title's leading number, which is decoration: "12.", "3、", "4.1.1.1 " (dotted, then a space),
# "Q3", "Q3:", "Q3："; never the start of a name ("Q-Former", "3D卷积").
TITLE_NUMBER = re.compile(r"^\s*(?:[Qq]\s*(?P<q>\d+)(?:\s*[.．、:：]\s*|\s+|(?=[\u3400-\u9fff]))"
                          r"|(?P<dotted>\d+(?:[.．]\d+)+)[.．、]?\s+"
                          r"|(?P<plain>\d+)\s*[.．、]\s*)")
# A label before the question itself, also decoration.
TITLE_LABEL = re.compile(r"^(?:面试问题|面试题|面試問題|面試題)\s*[:：]\s*")
# A thematic break (a rule): between questions it separates, it holds no text.
RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
TAG = re.compile(r"<[^>]*>?")


@dataclass
class Heading:
    """A heading line of the body: its level, text, id attribute and line number."""

    level: int
    text: str
    html_id: str
    line: int
    is_html: bool


def decode_source(name: str, data: bytes) -> tuple[str, list[Change]]:
    """Decode UTF-8 bytes, dropping a BOM and CR line ends; refuse other encodings and empty files."""
    changes = []
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
        changes.append(Change("encoding", name, 1, "removed a UTF-8 byte-order mark"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise SourceError(
            name, line, f"not valid UTF-8 (byte 0x{data[error.start]:02x} at column {column}); "
            "save the file as UTF-8")
    if "\r" in text:
        first = text[: text.index("\r")].count("\n") + 1
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        changes.append(Change("encoding", name, first, "converted CR/CRLF line ends to LF"))
    if not text.strip():
        raise SourceError(name, 1, "the file is empty: no table of contents and no questions")
    text, found = replace_control_characters(name, text)
    return text, changes + found


# C0 controls other than tab and line feed, and DEL: never meant as text; a browser would drop
# some of them silently from a URL ("\x01javascript:" runs as javascript:).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Characters that change how a title looks or reads without being seen: bidi overrides and
# isolates, zero-width characters, the byte-order mark.
INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def replace_control_characters(name: str, text: str) -> tuple[str, list[Change]]:
    """Show each control character as U+FFFD (as CommonMark does with NUL), reported by line."""
    changes = []
    for match in CONTROL.finditer(text):
        changes.append(Change("encoding", name, text.count("\n", 0, match.start()) + 1,
                              f"control character U+{ord(match.group(0)):04X} shown as U+FFFD"))
    return (CONTROL.sub("\ufffd", text) if changes else text), changes


def drop_invisible(name: str, line: int, text: str) -> tuple[str, list[Change]]:
    """A heading without bidi controls or zero-width characters, each removal reported."""
    found = sorted({f"U+{ord(ch):04X}" for ch in INVISIBLE.findall(text)})
    if not found:
        return text, []
    return INVISIBLE.sub("", text), [Change("heading", name, line, f"invisible characters removed from "
                                                                   f"a heading: {', '.join(found)}")]


def split_number(title: str) -> tuple[str, str]:
    """Split a title into its number and the title without decoration: '12.Title' -> ('12', 'Title'),
    '4.1.1.1 面试问题：甲？' -> ('4.1.1.1', '甲？'); a title without a number gives ('', title)."""
    number, rest = "", title.strip()
    match = TITLE_NUMBER.match(rest)
    if match and rest[match.end():].strip():
        number = match.group("q") or match.group("dotted") or match.group("plain")
        rest = rest[match.end():].strip()
    label = TITLE_LABEL.match(rest)
    if label and rest[label.end():].strip():
        rest = rest[label.end():].strip()
    return number, rest


@lru_cache(maxsize=8192)
def title_key(text: str) -> str:
    """Compare titles the way a reader would: letters and digits only, case and width folded."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if ch.isalnum())


def is_toc_title(text: str) -> bool:
    """Whether a heading names the table of contents."""
    return title_key(text) in TOC_TITLES


def parse_html_heading(name: str, line_no: int, line: str) -> tuple[Heading, list[Change]]:
    """Parse a raw <hN id="..."> heading line, repairing an unescaped quote or a missing end tag."""
    changes = []
    match = HTML_HEADING.match(line)
    if match:
        level, attrs, inner = int(match.group(1)), match.group(2), match.group(3)
    else:
        start = HTML_HEADING_START.match(line)
        level = int(start.group(1))
        rest = line[start.end():]
        attrs, _, inner = rest.partition(">")
        inner = re.sub(r"</h[1-6]\s*>?\s*$", "", inner, flags=re.IGNORECASE)
        changes.append(Change("heading", name, line_no, f"repaired a malformed <h{level}> tag"))
    text = html.unescape(TAG.sub("", inner)).strip()
    if not text:
        raise SourceError(name, line_no, f"cannot read the <h{level}> heading: {line.strip()[:80]!r}")
    html_id = ""
    id_match = re.search(r"\bid\s*=\s*\"(.*)\"", attrs) or re.search(r"\bid\s*=\s*'(.*)'", attrs)
    if id_match:
        html_id = id_match.group(1)
        if '"' in html_id:
            changes.append(Change("heading", name, line_no, "heading id contains an unescaped '\"'"))
    changes.append(Change("heading", name, line_no, f"raw <h{level}> heading became a Markdown heading"))
    return Heading(level, text, html.unescape(html_id), line_no, True), changes


def parse_heading(name: str, line_no: int, line: str) -> tuple[Heading | None, list[Change]]:
    """Recognize an ATX or raw HTML heading on one line; invisible characters leave its text."""
    heading, changes = None, []
    if HTML_HEADING_START.match(line):
        heading, changes = parse_html_heading(name, line_no, line)
    elif match := ATX_HEADING.match(line):
        heading = Heading(len(match.group(1)), match.group(2).strip(), "", line_no, False)
    if heading is not None:
        heading.text, found = drop_invisible(name, line_no, heading.text)
        changes = changes + found
        if not heading.text.strip():
            raise SourceError(name, line_no, "the heading holds only invisible characters")
    return heading, changes


def heading_lines(name: str, lines: list[str]) -> tuple[dict[int, Heading], list[Change]]:
    """Find every heading outside code blocks; refuse a code fence that never closes."""
    headings: dict[int, Heading] = {}
    changes: list[Change] = []
    blocks = code_blocks("\n".join(lines))
    for block in blocks:
        if not block.closed:
            raise SourceError(name, block.first + 1, f"code fence {block.fence!r} opened here is never closed")
    code = {line for block in blocks for line in range(block.first, block.last + 1)}
    for index, line in enumerate(lines):
        if index in code:
            continue
        heading, found = parse_heading(name, index + 1, line)
        if heading:
            headings[index] = heading
            changes.extend(found)
    return headings, changes


def toc_item(line: str) -> re.Match | None:
    """A line of a TOC: a list item holding a link (whatever its target: the older files have links
    without '#'), or a bare link to a heading of the file ('[4.1.1 小节](#4.1.1_小节)'); a bare link
    elsewhere is text (an answer's reference, say)."""
    item = TOC_ITEM.match(line)
    if item and not LIST_LINK.match(line) and not item.group(3).strip().startswith("#"):
        return None
    return item


def read_toc(lines: list[str], headings: dict[int, Heading]) -> tuple[list[TocEntry], int, int]:
    """Read the table of contents at the top; return its entries, its heading's line and the first
    line after it (0, 0 without a TOC)."""
    start = next((i for i, h in sorted(headings.items()) if is_toc_title(h.text)), None)
    if start is None:
        return [], 0, 0
    raw: list[tuple[int, str, str, int, str, str]] = []  # indent, title, target, line, part, text
    heading_part = ""
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if index in headings:
            following = next((l for l in lines[index + 1:] if l.strip()), "")
            if classify(headings[index]) == "question" or not toc_item(following):
                break
            heading_part = headings[index].text
            raw.append((-1, heading_part, "", index + 1, heading_part, line))
            index += 1
            continue
        item = toc_item(line)
        if not item:
            break
        raw.append((len(item.group(1).expandtabs(4)), item.group(2).strip(), item.group(3).strip(),
                    index + 1, heading_part, line))
        index += 1
    if not any(target for _, _, target, *_ in raw):
        return [], 0, 0  # a heading named like a TOC without links under it is not one
    nested_style = any(indent > 0 for indent, *_ in raw)
    entries: list[TocEntry] = []
    part_title = ""
    for position, (indent, title, target, line, heading_part, text) in enumerate(raw):
        has_children = position + 1 < len(raw) and raw[position + 1][0] > max(indent, 0)
        is_part = indent < 0 or (indent == 0 and nested_style
                                 and (has_children or not split_number(title)[0]))
        if is_part:
            title = split_number(title)[1]
            part_title = title
        elif indent == 0 and nested_style:
            part_title = ""
        elif not nested_style:
            part_title = heading_part
        entries.append(TocEntry(title, target, line, is_part, "" if is_part else part_title, text))
    return entries, start, index


def is_separator(lines: list[str], index: int, start: int) -> bool:
    """Whether line `index` is a rule that separates entries: a '---' directly under a line of text
    underlines it as a heading (as on GitHub) and stays."""
    match = RULE.match(lines[index])
    return bool(match) and (match.group(1) != "-" or index == start or not lines[index - 1].strip())


def body_text(lines: list[str], start: int, end: int) -> tuple[str, int]:
    """Lines start..end without leading and trailing blank lines and rules, and the 1-based first line."""
    while start < end and (not lines[start].strip() or is_separator(lines, start, start)):
        start += 1
    while end > start and (not lines[end - 1].strip() or is_separator(lines, end - 1, start)):
        end -= 1
    return "\n".join(lines[start:end]), start + 1


def classify(heading: Heading) -> str:
    """Say whether a body heading opens a 'part', a 'question', or is 'content' of an answer."""
    if heading.level == 1:
        return "part"
    if heading.level == 2:
        if heading.is_html:
            return "question"
        return "question" if split_number(heading.text)[0] else "part"
    return "content"


def read_source(name: str, data: bytes) -> tuple[SourceDocument, list[Change]]:
    """Parse one source file into a document of parts and questions in body order."""
    text, changes = decode_source(name, data)
    lines = text.split("\n")
    headings, found = heading_lines(name, lines)
    changes.extend(found)
    toc, toc_start, body_start = read_toc(lines, headings)
    file_title, intro, intro_line = file_head(lines, headings, toc_start)
    for entry in toc:
        entry.title, found = drop_invisible(name, entry.line, entry.title)
        changes.extend(found)
    marks = [(i, h, classify(h)) for i, h in sorted(headings.items())
             if i >= body_start and classify(h) != "content"]
    parts: list[Part] = []
    lead_text, lead_line = body_text(lines, body_start, marks[0][0] if marks else len(lines))
    if lead_text or not marks or marks[0][2] == "question":
        parts.append(Part(name, lead_line if lead_text else body_start + 1, "", lead_text, lead_line))
    for position, (index, heading, kind) in enumerate(marks):
        end = marks[position + 1][0] if position + 1 < len(marks) else len(lines)
        content, content_line = body_text(lines, index + 1, end)
        if kind == "part":
            parts.append(Part(name, heading.line, split_number(heading.text)[1], content, content_line,
                              heading.html_id))
            continue
        number, title = split_number(heading.text)
        parts[-1].questions.append(Question(
            source=name, line=heading.line, number=number, title=title, body=content,
            body_line=content_line, part=parts[-1].title, heading_id=heading.html_id))
    if not any(part.questions for part in parts) and not toc:
        raise SourceError(name, 1, "no questions found: expected '<h2 id=...>' or '## 1.Title' headings")
    if intro and parts:  # the file's own introduction leads its first part
        first = parts[0]
        first.intro, first.intro_line = (f"{intro}\n\n{first.intro}" if first.intro else intro), intro_line
    return SourceDocument(name, parts, toc, file_title), changes


def file_head(lines: list[str], headings: dict[int, Heading], toc_start: int) -> tuple[str, str, int]:
    """What stands above the TOC: the file's title (its first heading, without decoration), the
    text under it and that text's 1-based first line."""
    first = next((i for i in sorted(headings) if i < toc_start), None)
    if first is None:
        text, line = body_text(lines, 0, toc_start)
        return "", text, line
    text, line = body_text(lines, first + 1, toc_start)
    return split_number(headings[first].text)[1], text, line
