"""Short links: one short, stable id per question (/q/<id>/), and the tiny page each one is.

A question's short id is its stable id (qa_record): drawn once from its anchor, which carries no
number, and kept in data/questions.yml, so renumbering, moving or rewording upstream keeps it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from urllib.parse import quote

from qa_link import plain_text

SHORT_DIR = "q"
ID_LENGTH = 6
DESCRIPTION_LENGTH = 120
LOCALES = {"zh": "zh_CN", "zh-TW": "zh_TW", "en": "en_US"}


def short_id(anchor: str, length: int = ID_LENGTH) -> str:
    """Lower-case base32 letters and digits from the anchor's hash."""
    digest = hashlib.sha256(anchor.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:length]


LIST_OR_HEADING = re.compile(r"^\s*(?:[-*+]|\d+[.)]|#{1,6})\s+", re.M)
TABLE_ROW = re.compile(r"^\s*\|.*$", re.M)
EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)")


def description(markdown: str, length: int = DESCRIPTION_LENGTH) -> str:
    """The start of an answer as one line of plain text, cut at a word or character."""
    text = plain_text(EMPHASIS.sub("", LIST_OR_HEADING.sub("", TABLE_ROW.sub("", markdown))))
    text = re.sub(r"\s+([,.;:!?，。；：！？、）])", r"\1", re.sub(r"\s+", " ", text))
    text = re.sub(r"([，。；：！？、（])\s+", r"\1", text).strip()
    if len(text) <= length:
        return text
    cut = text[:length]
    word = re.search(r"[A-Za-z0-9-]+$", cut)
    if word and len(word.group(0)) < 25:  # do not cut an English word in two
        cut = cut[:word.start()]
    return cut.rstrip(" ,，、;；:：") + "…"


def short_page(*, lang: str, title: str, summary: str, site_name: str, target: str, canonical: str,
               short_url: str, go_text: str) -> str:
    """A tiny page: preview tags for chat apps, canonical link to the question, and on to it."""
    def attr(value: str) -> str:
        return html.escape(value, quote=True)

    locale = LOCALES.get(lang, lang)
    tags = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{attr(title)} - {attr(site_name)}</title>",
        f'<meta name="description" content="{attr(summary)}">',
        f'<link rel="canonical" href="{attr(canonical)}">',
        f'<meta http-equiv="refresh" content="0; url={attr(target)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{attr(title)}">',
        f'<meta property="og:description" content="{attr(summary)}">',
        f'<meta property="og:url" content="{attr(short_url)}">',
        f'<meta property="og:site_name" content="{attr(site_name)}">',
        f'<meta property="og:locale" content="{locale}">',
        '<meta name="twitter:card" content="summary">',
        f'<meta name="twitter:title" content="{attr(title)}">',
        f'<meta name="twitter:description" content="{attr(summary)}">',
    ]
    return (f'<!doctype html>\n<html lang="{attr(lang)}">\n<head>\n' + "\n".join(tags) + "\n</head>\n"
            f'<body>\n<p><a href="{attr(target)}">{attr(go_text)}: {attr(title)}</a></p>\n'
            # The same script on every page: it follows the link above, without waiting for the refresh.
            "<script>location.replace(document.links[0].href)</script>\n</body>\n</html>\n")


def question_path(page_id: str, anchor: str) -> str:
    """Site path of a question, from an edition's root; Han characters stay as they are (an IRI),
    which keeps the page small."""
    fragment = "".join(ch if ord(ch) > 127 else quote(ch, safe="-_.~!$'()*+,;=:@/?") for ch in anchor)
    return f"topics/{page_id}/#{fragment}"
