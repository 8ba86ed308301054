"""Measure an answer's rendered structure, to compare the site with GitHub's rendering."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

MATH_TEXT = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$|\\\(.*?\\\)|\\\[.*?\\\]", re.S)


@dataclass(frozen=True)
class Shape:
    """Counts a reader would notice if they differed."""

    list_items: int
    list_depth: int
    table_rows: int
    bold: int
    code_blocks: int
    images: int


def list_depth(node: Tag) -> int:
    """Deepest nesting of lists under a node."""
    deepest = 0
    for lst in node.find_all(["ul", "ol"]):
        depth = len([p for p in lst.parents if p.name in ("ul", "ol")]) + 1
        deepest = max(deepest, depth)
    return deepest


def wrap(nodes: list[Tag]) -> Tag:
    """Copies of an answer's elements under one <div>, formulas (MathML) left out."""
    wrapper = BeautifulSoup("<div></div>", "html.parser").div
    for node in nodes:
        wrapper.append(node.__copy__())
    for math in wrapper.find_all("math"):
        math.decompose()
    return wrapper


def plain_text(nodes: list[Tag]) -> str:
    """An answer's visible text without formulas, normalized for comparison."""
    return normalized_text(wrap(nodes).get_text())


def shape_of(nodes: list[Tag]) -> Shape:
    """The Shape of a run of sibling elements (one answer)."""
    wrapper = wrap(nodes)
    return Shape(
        list_items=len(wrapper.find_all("li")),
        list_depth=list_depth(wrapper),
        table_rows=len(wrapper.find_all("tr")),
        bold=len(wrapper.find_all(["strong", "b"])),
        code_blocks=len(wrapper.find_all("pre")),
        images=len(wrapper.find_all("img")),
    )


def normalized_text(text: str) -> str:
    """Text as compared between renderings: no whitespace (the zero-width space that keeps emphasis
    closed where Chinese lines are joined included), no math source."""
    return re.sub(r"[\s\u200b]+", "", MATH_TEXT.sub("", text))


def text_units(nodes: list[Tag]) -> list[str]:
    """Every paragraph, list item (its own text), table cell, heading and code block."""
    units = []
    wrapper = wrap(nodes)
    for element in wrapper.find_all(["p", "li", "td", "th", "pre", "h3", "h4", "h5", "h6"]):
        if element.name == "li":
            parts = [c.get_text() if isinstance(c, Tag) else str(c) for c in element.children
                     if not (isinstance(c, Tag) and c.name in ("ul", "ol", "p", "pre", "table"))]
            text = "".join(parts)
        else:
            text = element.get_text()
        text = normalized_text(text)
        if text:
            units.append(text)
    return units
