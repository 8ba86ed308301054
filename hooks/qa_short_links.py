"""Short links: one short, stable id per question (/q/<id>/), and the tiny page each one is.

An id is drawn from the question's anchor, which carries no number, so renumbering upstream keeps
it. `data/short-links.yml` records the ids handed out; when an upstream title edit changes an
anchor, the recorded id follows the question the old anchor most resembles, so old links keep
working, and the build says so in the content report.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import html
import json
import re
from urllib.parse import quote

from qa_link import plain_text
from qa_model import Change, Question

SHORT_LINKS_NAME = "short-links.yml"
SHORT_DIR = "q"
ID_LENGTH = 6
# Below this likeness of anchors, a recorded id whose question is gone is not given to another one.
FOLLOW_RATIO = 0.6
DESCRIPTION_LENGTH = 120
LOCALES = {"zh": "zh_CN", "zh-TW": "zh_TW", "en": "en_US"}


def short_id(anchor: str, length: int = ID_LENGTH) -> str:
    """Lower-case base32 letters and digits from the anchor's hash."""
    digest = hashlib.sha256(anchor.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:length]


def assign_short_ids(questions: list[Question], recorded: dict[str, str]) \
        -> tuple[dict[str, str], dict[str, str], list[Change]]:
    """Ids by anchor, recorded ids whose question is gone (id -> the anchor it now leads to, or ""),
    and the changes to report. `recorded` is data/short-links.yml: id -> anchor."""
    anchors = {q.anchor for q in questions}
    ids: dict[str, str] = {}
    for sid, anchor in recorded.items():
        if anchor in anchors and anchor not in ids:
            ids[anchor] = sid
    changes: list[Change] = []
    taken = set(recorded)
    for question in questions:
        if question.anchor in ids:
            continue
        length = ID_LENGTH
        while short_id(question.anchor, length) in taken:
            length += 1
        ids[question.anchor] = short_id(question.anchor, length)
        taken.add(ids[question.anchor])
    gone: dict[str, str] = {}
    recorded_anchors = set(recorded.values())
    unrecorded = [q.anchor for q in questions if q.anchor not in recorded_anchors]
    for sid, anchor in recorded.items():
        if anchor in anchors:
            continue
        likeness = {other: difflib.SequenceMatcher(None, anchor, other).ratio() for other in unrecorded}
        best = max(likeness, key=likeness.get, default="")
        if best and likeness[best] >= FOLLOW_RATIO:
            gone[sid] = best
            message = f"short link q/{sid}/ was '{anchor}', which is gone; it now leads to '{best}'"
        else:
            gone[sid] = ""
            message = f"short link q/{sid}/ was '{anchor}', which is gone; it leads to the home page"
        changes.append(Change("short-link", f"data/{SHORT_LINKS_NAME}", 1, message))
    new = [a for a in ids if a not in recorded_anchors]
    if new:
        changes.append(Change("short-link", f"data/{SHORT_LINKS_NAME}", 1,
                              f"{len(new)} questions have ids not yet recorded (first: q/{ids[new[0]]}/ "
                              f"'{new[0]}'); run `python hooks/qa_short_links.py` to record them"))
    return ids, gone, changes


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


def recorded_text(ids: dict[str, str]) -> str:
    """data/short-links.yml for the ids given (id -> anchor), in a stable order."""
    lines = ["# Short links handed out: /q/<id>/ -> the question's anchor. Keep old entries: a link",
             "# shared once keeps working. New ids are added by `python hooks/qa_short_links.py`."]
    lines += [f"{sid}: {json.dumps(anchor, ensure_ascii=False)}" for sid, anchor in sorted(ids.items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # record the ids of the questions now on the site
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import qa_inputs

    root = Path(__file__).resolve().parent.parent
    corpus = qa_inputs.build_site_corpus(qa_inputs.read_inputs(root / "docs", root / qa_inputs.FIGURES_DIR))
    path = root / "docs" / qa_inputs.DATA_DIR / SHORT_LINKS_NAME
    merged = {**corpus.recorded_short_ids, **{sid: anchor for anchor, sid in corpus.short_ids.items()}}
    path.write_text(recorded_text(merged), encoding="utf-8")
    print(f"{path}: {len(merged)} ids")
