"""Block scanner: which lines of Markdown are code, read by GitHub's own parser (PyPI cmarkgfm).

Every step that must leave code alone (heading discovery, heading demotion, text rewrites) asks
here instead of tracking fences itself: inside a fence opened by three backticks, a line
"```python" is content (a closing fence has no info string), a fence inside a list item is code,
and an indented code block is code, exactly as GitHub renders them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

FENCE_MARKER = re.compile(r"^ *(`{3,}|~{3,})")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")


@dataclass(frozen=True)
class CodeBlock:
    """A code block: its first and last line (0-based, inclusive), its opening fence's marker
    ("" for an indented block) and whether a closing fence ends it (a fence left open runs to the
    end of the text, as on GitHub)."""

    first: int
    last: int
    fence: str = ""
    closed: bool = True


class _SourcePositions(HTMLParser):
    """The line ranges of the <pre> blocks in cmark's HTML rendered with source positions, and of
    its headings (with their level)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ranges: list[tuple[int, int]] = []
        self.headings: list[tuple[int, int, int]] = []

    def handle_starttag(self, tag, attrs):
        position = dict(attrs).get("data-sourcepos")
        if position and re.fullmatch(r"h[1-6]", tag):
            self.headings.append((*line_range(position), int(tag[1])))
        elif position and tag == "pre":
            self.ranges.append(line_range(position))


def line_range(position: str) -> tuple[int, int]:
    """First and last line (0-based) of a block from cmark's `data-sourcepos`: a range can end at
    column 0 of the line after the block (an indented code block's blank line, a heading's)."""
    start, end = position.split("-")
    first = int(start.split(":")[0]) - 1
    end_line, end_column = (int(part) for part in end.split(":"))
    return first, max(end_line - 1 if end_column > 0 else end_line - 2, first)


@lru_cache(maxsize=8192)
def source_html(text: str) -> str:
    """GitHub's HTML for a Markdown text, each block marked with its source lines."""
    return cmarkgfm.github_flavored_markdown_to_html(
        text, options=Options.CMARK_OPT_SOURCEPOS | Options.CMARK_OPT_UNSAFE)


@lru_cache(maxsize=8192)
def _positions(text: str) -> _SourcePositions:
    parser = _SourcePositions()
    parser.feed(source_html(text))
    return parser


def setext_headings(text: str) -> tuple[tuple[int, int, int], ...]:
    """Headings underlined with '---' or '===' (first line, underline, level; 0-based), as GitHub
    reads them: a '---' directly under a paragraph makes it a heading."""
    lines = text.split("\n")
    return tuple((first, last, level) for first, last, level in _positions(text).headings
                 if last > first and last < len(lines) and SETEXT_UNDERLINE.match(lines[last]))


@lru_cache(maxsize=8192)
def code_blocks(text: str) -> tuple[CodeBlock, ...]:
    """The code blocks of a Markdown text, as GitHub reads them."""
    parser = _positions(text)
    lines = text.split("\n")
    blocks = []
    for first, last in parser.ranges:
        opening = FENCE_MARKER.match(lines[first]) if first < len(lines) else None
        fence = opening.group(1) if opening else ""
        closed = not fence or last > first and last < len(lines) and \
            bool(re.fullmatch(rf" *{re.escape(fence[0])}{{{len(fence)},}} *", lines[last]))
        blocks.append(CodeBlock(first, last, fence, closed))
    return tuple(blocks)


class _InlineLines(HTMLParser):
    """The line ranges that hold a paragraph's text, from cmark's HTML with source positions: each
    <p>, and each list item's own lines (a tight item's text has no <p>) less its child blocks."""

    BLOCKS = {"p", "li", "ul", "ol", "pre", "blockquote", "table", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int, int, list[tuple[int, int]]]] = []
        self.ranges: list[tuple[int, int]] = []

    def handle_starttag(self, tag, attrs):
        position = dict(attrs).get("data-sourcepos")
        if tag not in self.BLOCKS or not position:
            return
        start, end = position.split("-")
        first, last = int(start.split(":")[0]) - 1, int(end.split(":")[0]) - 1
        if self.stack:
            self.stack[-1][3].append((first, last))
        if tag in ("p", "li"):
            self.stack.append((tag, first, last, []))
        elif tag == "hr":
            return
        else:
            self.stack.append((tag, first, last, []))

    def handle_endtag(self, tag):
        if tag not in self.BLOCKS or tag == "hr" or not self.stack or self.stack[-1][0] != tag:
            return
        _, first, last, children = self.stack.pop()
        if tag == "p":
            self.ranges.append((first, last))
        elif tag == "li":
            taken = {line for a, b in children for line in range(a, b + 1)}
            end = first
            while end + 1 <= last and end + 1 not in taken:
                end += 1
            if first not in taken:
                self.ranges.append((first, end))


@lru_cache(maxsize=4096)
def soft_breaks(text: str) -> frozenset[int]:
    """0-based indexes of the lines whose line break is a soft break inside a paragraph, as GitHub
    reads the text (never in code, headings or tables); a hard break (two spaces, a backslash)
    counts too: the caller tells them apart."""
    parser = _InlineLines()
    parser.feed(source_html(text))
    return frozenset(line for first, last in parser.ranges for line in range(first, last))


def code_lines(text: str) -> frozenset[int]:
    """0-based indexes of the lines inside code blocks, fence lines included."""
    return frozenset(line for block in code_blocks(text) for line in range(block.first, block.last + 1))
