"""Render step for formulas: TeX kept intact by arithmatex becomes MathML at build time.

Readers need no script and no CDN: Chromium, Firefox and Safari render MathML natively.
"""

from __future__ import annotations

import html
import re

import latex2mathml.converter

ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])</(?P=tag)>',
    re.DOTALL)


class MathError(ValueError):
    """A formula latex2mathml cannot convert; carries the TeX so the caller can find its source line."""

    def __init__(self, tex: str, reason: str):
        super().__init__(f"cannot convert formula {tex!r}: {reason}")
        self.tex = tex


def tex_to_mathml(tex: str, block: bool) -> str:
    """One formula as a MathML element, block or inline."""
    try:
        mathml = latex2mathml.converter.convert(tex.strip(), display="block" if block else "inline")
    except Exception as error:  # latex2mathml raises many unrelated types for bad input
        raise MathError(tex, f"{type(error).__name__}: {error}") from None
    return mathml


def render_math(page_html: str) -> tuple[str, int]:
    """Replace every arithmatex span and div in a page by MathML; return the page and the count."""
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        count += 1
        block = match.group("block") is not None
        tex = html.unescape(match.group("block") if block else match.group("inline"))
        mathml = tex_to_mathml(tex, block)
        if block:
            return f'<div class="qa-math" role="math">{mathml}</div>'
        return f'<span class="qa-math">{mathml}</span>'

    return ARITHMATEX.sub(replace, page_html), count
