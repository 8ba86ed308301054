"""Normalize step for raw HTML: the few constructs the sources use pass; anything else is shown as text.

Sources come from community pull requests. The site must never carry a script, frame, style
or event handler from them, nor a link that runs code.
"""

from __future__ import annotations

import re

from qa_markdown import outside_code
from qa_model import Change

# Tags the sources use for layout, with the attributes that may stay on them.
ALLOWED_TAGS = {
    "div": {"align"}, "img": {"src", "alt", "title", "width", "height"}, "br": set(), "p": {"align"},
    "center": set(), "sub": set(), "sup": set(), "b": set(), "strong": set(), "i": set(), "em": set(),
    "u": set(), "span": set(), "details": set(), "summary": set(), "kbd": set(), "code": set(),
    "table": set(), "thead": set(), "tbody": set(), "tr": set(), "th": {"align"}, "td": {"align"},
}
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|<!--.*?-->", re.S)
ATTRIBUTE = re.compile(r"([^\s=/\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.I)
MARKDOWN_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?[^)]*\)")
AUTOLINK = re.compile(r"<((?:javascript|vbscript|data):[^>]*)>", re.I)


def unsafe_reason(closing: str, name: str, attributes: str) -> str:
    """Why a tag may not reach the site, or '' when it may."""
    name = name.lower()
    if name not in ALLOWED_TAGS:
        return f"<{name}> is not allowed"
    if closing:
        return ""
    for match in ATTRIBUTE.finditer(attributes):
        attribute = match.group(1).lower()
        value = (match.group(2) or "").strip("\"'")
        if attribute.startswith("on"):
            return f"event handler {attribute}= on <{name}>"
        if attribute not in ALLOWED_TAGS[name]:
            return f"attribute {attribute}= on <{name}> is not allowed"
        if UNSAFE_URL.match(value):
            return f"{attribute}= with a {UNSAFE_URL.match(value).group(1).lower()}: URL"
    return ""


def escape(text: str) -> str:
    """Markdown text that shows `text` literally."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sanitize(body: str, source: str, line: int) -> tuple[str, list[Change]]:
    """Escape every raw HTML tag, comment or link the allowlist does not admit, reporting each by line."""
    changes: list[Change] = []

    def report(found: str, reason: str) -> None:
        position = body.find(found)
        changes.append(Change("html", source, line + body.count("\n", 0, max(position, 0)),
                              f"{reason}: shown as text"))

    # A closing tag whose opening tag was escaped is escaped too, or it would close the page's own
    # markup; per tag name, a stack of whether each open element was escaped.
    open_elements: dict[str, list[bool]] = {}

    def rewrite(text: str) -> str:
        def tag(match: re.Match) -> str:
            if match.group(0).startswith("<!--"):
                report(match.group(0), "HTML comment")
                return escape(match.group(0))
            name = match.group(2).lower()
            stack = open_elements.setdefault(name, [])
            if match.group(1) and stack and stack.pop():
                return escape(match.group(0))
            reason = unsafe_reason(match.group(1), match.group(2), match.group(3) or "")
            if not match.group(1) and not match.group(0).endswith("/>") and name not in ("img", "br"):
                stack.append(bool(reason))
            if not reason:
                return match.group(0)
            report(match.group(0), reason)
            return escape(match.group(0))

        def link(match: re.Match) -> str:
            if not UNSAFE_URL.match(match.group(3)):
                return match.group(0)
            report(match.group(0), f"link to a {UNSAFE_URL.match(match.group(3)).group(1).lower()}: URL")
            return re.sub(r"([\[\]])", r"\\\1", match.group(0))  # no link; \( would start math

        def autolink(match: re.Match) -> str:
            report(match.group(0), "autolink with an unsafe URL")
            return escape(match.group(0))

        text = AUTOLINK.sub(autolink, text)
        text = TAG.sub(tag, text)
        return MARKDOWN_LINK.sub(link, text)

    return outside_code(body, rewrite), changes
