"""Normalize step for answer bodies: rewrite GitHub-flavoured Markdown so Python-Markdown renders it alike.

GitHub (CommonMark) and Python-Markdown disagree on lists: CommonMark nests by the column where an
item's text starts and lets a list or table interrupt a paragraph; Python-Markdown nests by steps of
four spaces and wants a blank line first. Each function rewrites one such difference.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

from qa_blocks import code_lines, setext_headings, soft_breaks

LIST_ITEM = re.compile(r"^( *)([-*+]|(\d{1,9})[.)])( +|$)")
FENCE = re.compile(r"^( *)(`{3,}|~{3,})")
ATX = re.compile(r"^ {0,3}(#{1,6})(?=[ \t]|$)")
TABLE_ROW = re.compile(r"^ *\|")
THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
# GitHub's centred figure, on one line or several, with an optional caption paragraph under the
# picture; or a picture alone on its line.
CENTERED_IMAGE = re.compile(
    r"^[ \t]*<div\b[^>]*>\s*<img\b([^>]*?)/?>\s*(?:<p\b[^>]*>((?:(?!</?(?:p|div)\b).)*)</p>\s*)?</div>[ \t]*$"
    r"|^[ \t]*<img\b([^>]*?)/?>[ \t]*$", re.IGNORECASE | re.MULTILINE | re.DOTALL)
TAG = re.compile(r"<[^>]*>")
IMG_ATTR = re.compile(r"""\b(src|alt|title)\s*=\s*("([^"]*)"|'([^']*)')""", re.IGNORECASE)
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(\s+\"[^\"]*\")?\s*\)")
INLINE_MATH_PADDED = re.compile(r"(?<![\\$\w])\$(?!\$)[ \t]+([^$\n]*?[^$\s\\])[ \t]+\$(?![$\w])")
CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
# Han characters and full-width punctuation: a line break between two of them is no word space.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass
class Item:
    """An open list item: where its text starts in the source, and in the output."""

    source_column: int
    output_column: int
    kind: str


def expand_tabs(line: str) -> str:
    """CommonMark counts a tab as reaching the next multiple of four columns."""
    return line.expandtabs(4) if "\t" in line else line


def outside_code(body: str, rewrite: Callable[[str], str]) -> str:
    """Apply a text rewrite to everything except code blocks and code spans."""
    out, chunk = [], []
    code = code_lines(body)

    def flush() -> None:
        if chunk:
            text = "\n".join(chunk)
            pieces, last = [], 0
            for span in CODE_SPAN.finditer(text):
                pieces.append(rewrite(text[last:span.start()]))
                pieces.append(span.group(0))
                last = span.end()
            pieces.append(rewrite(text[last:]))
            out.append("".join(pieces))
            chunk.clear()

    for index, line in enumerate(body.split("\n")):
        if index in code:
            flush()
            out.append(line)
        else:
            chunk.append(line)
    flush()
    return "\n".join(out)


def centered_images_to_markdown(body: str) -> tuple[str, int]:
    """Turn GitHub's `<div align="center"><img src alt><p>caption</p></div>` (or a lone `<img>`) into a
    Markdown image whose title is the caption, and whose path MkDocs checks."""
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        attrs = {m.group(1).lower(): html.unescape(m.group(3) or m.group(4) or "")
                 for m in IMG_ATTR.finditer(match.group(1) or match.group(3))}
        if not attrs.get("src"):
            return match.group(0)
        count += 1
        alt = attrs.get("alt", "").replace("]", "\\]")
        caption = " ".join(html.unescape(TAG.sub("", match.group(2) or "")).split())
        title = f' "{html.escape(caption)}"' if caption else ""  # the caption under the picture
        # Keep the line count so later messages still point at the right source line.
        return f"![{alt}]({attrs['src']}{title})" + "\n" * match.group(0).count("\n")

    return outside_code(body, lambda text: CENTERED_IMAGE.sub(replace, text)), count


def rewrite_image_paths(body: str, resolve: Callable[[str], str]) -> str:
    """Point every Markdown image at the page-relative path `resolve` gives for its source path."""
    def replace(match: re.Match) -> str:
        return f"![{match.group(1)}]({resolve(match.group(2))}{match.group(3) or ''})"

    return outside_code(body, lambda text: MD_IMAGE.sub(replace, text))


def tighten_inline_math(body: str) -> tuple[str, int]:
    """`$ x_T $` is math on GitHub; arithmatex wants `$x_T$`, without the inner spaces."""
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        count += 1
        return f"${match.group(1)}$"

    return outside_code(body, lambda text: INLINE_MATH_PADDED.sub(replace, text)), count


def is_interrupting_item(match: re.Match, previous: str) -> bool:
    """Whether a list marker may start a list right after paragraph text (CommonMark's rule)."""
    if previous != "paragraph":
        return True
    if match.group(3) is not None and int(match.group(3)) != 1:
        return False
    return bool(match.group(4))


def is_block_start(line: str, previous: str) -> bool:
    """Whether a line opens a new block rather than continuing a paragraph lazily."""
    item = LIST_ITEM.match(line)
    if item:
        return is_interrupting_item(item, previous)
    stripped = line.strip()
    return bool(ATX.match(line) or FENCE.match(line) or THEMATIC_BREAK.match(line)
                or stripped.startswith(("$$", ">", "<div", "|")))


def reindent_lists(body: str) -> tuple[str, int]:
    """Re-indent list items to four spaces per level and add the blank lines Python-Markdown needs."""
    out: list[str] = []
    stack: list[Item] = []
    previous = "blank"
    paragraph_depth = 0
    paragraph_is_item_text = False
    fence: tuple[str, int, int] | None = None
    inserted_blanks = 0
    last_kind: dict[int, str] = {}

    def blank_before() -> None:
        nonlocal inserted_blanks
        if out and out[-1].strip():
            out.append("")
            inserted_blanks += 1

    for raw in body.split("\n"):
        line = expand_tabs(raw)
        if fence:
            marker, source_base, output_base = fence
            indent = len(line) - len(line.lstrip(" "))
            kept = line[min(indent, source_base):] if line.strip() else ""
            out.append((" " * output_base + kept) if kept else "")
            if line.strip().startswith(marker) and not line.strip().strip(marker[0]):
                fence = None
                previous = "other"
            continue
        if not line.strip():
            out.append("")
            previous = "blank"
            continue
        indent = len(line) - len(line.lstrip(" "))
        matched = sum(1 for open_item in stack if open_item.source_column <= indent)
        if previous == "paragraph" and paragraph_depth > matched and not is_block_start(line, "other"):
            column = stack[paragraph_depth - 1].output_column if paragraph_depth else 0
            out.append(" " * column + line.lstrip())
            continue
        closed = stack[matched:]
        del stack[matched:]
        for depth in [d for d in last_kind if d > len(stack)]:
            del last_kind[depth]
        base_source = stack[-1].source_column if stack else 0
        base_output = stack[-1].output_column if stack else 0
        interrupts = previous == "paragraph" and paragraph_depth == len(stack)
        item = LIST_ITEM.match(line)
        if item and indent - base_source < 4 and (not interrupts or is_interrupting_item(item, previous)):
            marker = item.group(2)
            kind = marker[-1] if item.group(3) is None or marker[-1] == ")" else "."
            # Python-Markdown only starts a new list, or leaves a nested one, after a blank line.
            sibling_kind = closed[0].kind if closed else last_kind.get(len(stack), kind)
            if interrupts and not paragraph_is_item_text or previous == "other" \
                    or previous != "blank" and sibling_kind != kind:
                blank_before()
            last_kind[len(stack)] = kind
            spaces = len(item.group(4))
            spaces = 1 if spaces == 0 or spaces > 4 else spaces
            out.append(" " * base_output + marker + " " + line[indent + len(marker):].lstrip(" "))
            stack.append(Item(indent + len(marker) + spaces, base_output + 4, kind))
            previous, paragraph_depth, paragraph_is_item_text = "paragraph", len(stack), True
            continue
        text = " " * (base_output + indent - base_source) + line.lstrip(" ")
        if closed and previous != "blank":
            # A block that ends a list item needs a blank line for Python-Markdown to end it too.
            blank_before()
        opening = FENCE.match(line)
        stripped = line.strip()
        # A `$$` block is copied like fenced code: its lines are TeX, not Markdown.
        math_block = stripped == "$$" or stripped.startswith("$$") and not stripped[2:].rstrip().endswith("$$")
        if opening or math_block:
            if interrupts:
                blank_before()
            fence = (opening.group(2) if opening else "$$", indent, base_output + indent - base_source)
            out.append(text)
            continue
        if interrupts and (TABLE_ROW.match(line) and not TABLE_ROW.match(out[-1])
                           or stripped.startswith("$$")):
            blank_before()
        out.append(text)
        if ATX.match(line) or THEMATIC_BREAK.match(line) or stripped.startswith(("$$", "<")):
            previous = "other"
        elif previous != "paragraph":
            previous, paragraph_depth, paragraph_is_item_text = "paragraph", len(stack), False
    return "\n".join(out), inserted_blanks


def demote_headings(body: str, lowest: int = 3) -> tuple[str, int]:
    """Headings inside an answer sit below the question's own level so the page outline holds;
    lines of code blocks are never touched."""
    count = 0
    lines = body.split("\n")
    code = code_lines(body)
    for index, line in enumerate(lines):
        heading = None if index in code else ATX.match(line)
        if heading and len(heading.group(1)) < lowest:
            count += 1
            lines[index] = "#" * lowest + line.lstrip()[len(heading.group(1)):]
    for first, underline, level in reversed(setext_headings(body)):  # text underlined with --- or ===
        # Inside a list item the heading belongs to the item; Python-Markdown does not read it as one.
        if level < lowest and not lines[first][:1].isspace() and not LIST_ITEM.match(lines[first]):
            count += 1
            text = lines[first].strip()
            for line in lines[first + 1:underline]:
                glue = joint(text, line)
                text = text.rstrip() + (" " if glue is None else glue) + line.strip()
            lines[first:underline + 1] = ["#" * lowest + " " + text]
    return "\n".join(lines), count


def join_chinese_lines(body: str) -> tuple[str, int]:
    """Join a paragraph's lines where the break falls between two Chinese characters or full-width
    punctuation marks: browsers render that soft break as a space ("数据中， 并随后"), which
    Chinese text has none of. A break next to Latin text keeps its space; code, headings, tables
    and hard breaks are left alone. Which breaks are soft is GitHub's parser's call (qa_blocks)."""
    breaks = soft_breaks(body)
    if not breaks:
        return body, 0
    lines, out, joined = body.split("\n"), [], 0
    for index, line in enumerate(lines):
        glue = joint(out[-1], line) if out and index - 1 in breaks else None
        if glue is not None:
            out[-1] = out[-1].rstrip() + glue + line.lstrip()
            joined += 1
        else:
            out.append(line)
    return "\n".join(out), joined


# An emphasis mark next to punctuation needs a break or space to close or open (CommonMark's
# flanking rules, which Python-Markdown follows here): a zero-width space keeps it one.
EMPHASIS_MARKS = "*_~"
ZERO_WIDTH_SPACE = "&#8203;"


def joint(left: str, right: str) -> str | None:
    """What joins two lines of a paragraph with no space between them, or None to keep the break."""
    text, following = left.rstrip(), right.lstrip()
    if not text or not following or left.endswith("  ") or text.endswith("\\"):
        return None  # a hard break, or no text on one side
    if text.count("`") % 2:
        return None  # inside a code span that continues on the next line
    before, after = text.rstrip(EMPHASIS_MARKS), following.lstrip(EMPHASIS_MARKS)
    if not before or not after or not (CJK.fullmatch(before[-1]) and CJK.fullmatch(after[0])):
        return None
    return ZERO_WIDTH_SPACE if before != text or after != following else ""
