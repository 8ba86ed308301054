"""Render step: Markdown for each topic page, the home page's section list and the content report."""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict

import qa_short_links
from qa_catalog import GLOSSARY_PAGE, REMOVED_PREFIX, STUDY_PAGES
from qa_i18n import DEFAULT, Edition
from qa_model import WARNING_KINDS, Change, Question
from qa_pipeline import Corpus, Page
from qa_record import Recorded, answer_likeness, answer_sketch, title_likeness
from qa_sanitize import escape_text, markdown_text

ZH = Edition(DEFAULT)

GENERATED_NOTE = ("<!-- Generated at build time from docs/sources/{sources}. "
                  "Edit the source file, not this page. -->")
def page_path(page: Page) -> str:
    """Where a topic page lives under docs/."""
    return f"topics/{page.spec.id}.md"


def heading(question: Question, edition: Edition = ZH, short: str = "") -> str:
    """A question's Markdown heading: its title, alias anchors for old links, its own anchor and
    its short link's id (for the share button)."""
    aliases = "".join(f'<span class="qa-alias" id="{html.escape(a, quote=True)}"></span>'
                      for a in question.aliases)
    short_attr = f' data-short="{short}"' if short else ""
    return f"## {markdown_text(edition.title(question))}{aliases} {{ #{question.anchor}{short_attr} }}"


def front_matter(title: str, *extra: str) -> list[str]:
    """A page's front matter: the title as a quoted YAML (JSON) string of HTML-escaped text, since
    the theme places page titles into HTML as they are."""
    return ["---", f"title: {json.dumps(escape_text(title), ensure_ascii=False)}", *extra, "---", ""]


def question_link(target: Question, corpus: Corpus, edition: Edition = ZH, here: Page | None = None) -> str:
    """An HTML link to a question from a page under topics/ (`here`), the same URL in every edition."""
    page = corpus.page_of(target)
    href = f"#{target.anchor}" if page is here else f"../{page.spec.id}/#{target.anchor}"
    return f'<a href="{html.escape(href, quote=True)}">{escape_text(edition.title(target))}</a>'


def link_list(css_class: str, heading_html: str, items: list[str]) -> str:
    """A block of question links kept out of the search index.

    Written as HTML rather than Markdown: a page carries hundreds of these links, and leaving them
    out of Markdown's inline processing makes every build markedly faster.
    """
    rows = "\n".join(f"<li>{item}</li>" for item in items)
    return (f'<div class="{css_class}" data-search-exclude="true">\n<p>{heading_html}</p>\n'
            f"<ul>\n{rows}\n</ul>\n</div>")


def related_block(question: Question, corpus: Corpus, edition: Edition = ZH) -> str:
    """The 'related questions' list under an answer."""
    if corpus.links is None or not corpus.links.related.get(question.anchor):
        return ""
    here = corpus.page_of(question)
    items = [question_link(related.question, corpus, edition, here)
             + (f' <span class="qa-overlap">{edition.string("overlap")}</span>' if related.overlapping else "")
             for related in corpus.links.related[question.anchor]]
    return link_list("qa-related", f"<strong>{edition.string('related')}</strong>", items)


def render_page(page: Page, corpus: Corpus | None = None, edition: Edition = ZH) -> str:
    """The Markdown of one topic page: its title, each part's intro, then its questions."""
    title = edition.page_title(page.spec)
    # The theme places the description into an attribute as it is: escape it here, quotes too.
    described = html.escape(page_description(page, edition), quote=True)
    lines = [*front_matter(title, f"description: {json.dumps(described, ensure_ascii=False)}"),
             GENERATED_NOTE.format(sources=", docs/sources/".join(page.sources)), "",
             f"# {markdown_text(title)}", ""]
    for part in page.parts:
        intro = edition.intro(page.spec.id, part)
        if intro:
            lines += [from_topics(intro), ""]
        for question in part.questions:
            short = corpus.short_ids.get(question.anchor, "") if corpus is not None else ""
            lines += [heading(question, edition, short), "", from_topics(edition.body(question)), ""]
            if corpus is not None and question.anchor in corpus.truncated:
                lines += ['!!! warning ""', "", f"    {edition.string('truncated')}", ""]
            if corpus is not None:
                lines += [related_block(question, corpus, edition), ""]
    return edition.convert_page("\n".join(lines))




def render_study_page(kind: str, edition: Edition = ZH) -> str:
    """The practice or review page: its text, and the element the study script fills."""
    title = edition.string(f"{kind}_title")
    lines = [*front_matter(title, "search:", "  exclude: true"), f"# {markdown_text(title)}", "",
             markdown_text(edition.string(f"{kind}_intro")), "",
             f'<div class="qa-{kind}-app"><p>{escape_text(edition.string("study_needs_script"))}</p></div>', ""]
    return edition.convert_page("\n".join(lines))


def study_catalog(corpus: Corpus, edition: Edition = ZH) -> dict:
    """What the study script needs to know of the site: each section's questions with their short
    id, title in the edition, address, and the ids of copies merged into them; and the ids of
    questions removed upstream (an export that holds them still imports)."""
    present = {page.spec.id: page for page in corpus.pages}
    merged: dict[str, list[str]] = defaultdict(list)
    for sid, anchor in sorted(corpus.merged_ids.items()):
        merged[anchor].append(sid)
    sections = []
    for section in corpus.sections:
        pages = [present[p.id] for p in section.pages if p.id in present]
        items = [{"id": corpus.short_ids[q.anchor], "title": edition.convert_page(edition.title(q)),
                  "url": qa_short_links.question_path(page.spec.id, q.anchor),
                  "aliases": sorted(({qa_short_links.short_id(a) for a in q.aliases} | set(merged.get(q.anchor, [])))
                                    - {corpus.short_ids[q.anchor]})}
                 for page in pages for q in page.questions]
        if items:
            sections.append({"title": edition.convert_page(edition.section_text(section)[0]), "questions": items})
    return {"version": 1, "sections": sections, "removed": sorted(corpus.removed)}


def page_description(page: Page, edition: Edition = ZH) -> str:
    """The page's own meta description: the questions it answers, as many as fit."""
    separator, colon = ("; ", ": ") if edition.is_english else ("；", "：")
    titles = separator.join(edition.title(q).rstrip("?？。. ") for q in page.questions)
    return qa_short_links.description(f"{edition.page_title(page.spec)}{colon}{titles}", 150)


def from_topics(markdown: str) -> str:
    """An answer's figure paths as seen from a page under topics/."""
    return markdown.replace("](imgs/", "](../imgs/")


def render_sections(corpus: Corpus, edition: Edition = ZH) -> str:
    """The home page's list of sections: each with its summary, pages and question counts."""
    counts = {page.spec.id: len(page.questions) for page in corpus.pages}
    blocks = ['<div class="grid cards" markdown>', ""]
    for section in corpus.sections:
        pages = [p for p in section.pages if p.id in counts]
        if not pages:
            continue
        total = sum(counts[p.id] for p in pages)
        title, summary = edition.section_text(section)
        blocks.append(f"-   **[{markdown_text(title)}](topics/{pages[0].id}.md)** · "
                      f"{edition.string('questions', count=total)}")
        blocks += ["", "    ---", ""]
        if summary:
            blocks += [f"    {summary}", ""]
        for page in pages if len(pages) > 1 else ():  # one page: the card's own title says it all
            count = edition.string("questions", count=counts[page.id])
            page_title = markdown_text(edition.page_title(page))
            blocks.append(f"    - [{page_title}](topics/{page.id}.md)（{count}）"
                          if not edition.is_english else
                          f"    - [{page_title}](topics/{page.id}.md) ({count})")
        blocks.append("")
    blocks.append("</div>")
    return edition.convert_page("\n".join(blocks))


def render_report(corpus: Corpus, edition: Edition = ZH) -> str:
    """The maintainers' content report: counts, then every change by source file and line."""
    def text(key: str) -> str:
        return edition.string(f"report_{key}")

    def kinds_text(kind: str) -> str:
        return edition.strings.get(f"kind_{kind}", kind)

    by_source: dict[str, list[Change]] = defaultdict(list)
    for change in corpus.changes:
        by_source[change.source].append(change)
    kinds = Counter(change.kind for change in corpus.changes)
    title = edition.string("report")
    lines = [*front_matter(title, "search:", "  exclude: true"),
             f"# {title}", "", text("intro"), "",
             f"- {text('found')}: {corpus.found}", f"- {text('shown')}: {len(corpus.questions)}", ""]
    lines += [f"| {text('kind')} | {text('count')} |", "| --- | --- |"]
    # What the maintainer must act on first (the build's WARNINGs), then what the build handled.
    lines += [f"| {kinds_text(kind)} | {count} |" for kind, count in
              sorted(kinds.items(), key=lambda item: (item[0] not in WARNING_KINDS, item[0]))]
    for source in sorted(by_source):
        lines += ["", f"## {markdown_text(source)}", "", f"| {text('line')} | {text('kind')} | {text('message')} |", "| --- | --- | --- |"]
        for change in sorted(by_source[source], key=lambda c: c.line):
            message = markdown_text(change.message).replace("|", "\\|")
            lines.append(f"| {change.line} | {kinds_text(change.kind)} | {message} |")
    return edition.convert_page("\n".join(lines) + "\n")


def navigation(corpus: Corpus, edition: Edition = ZH) -> list:
    """MkDocs `nav`: home, one entry per section (a single page stands alone), glossary; the content
    report is linked from the footer only (it is for maintainers)."""
    def convert(title: str) -> str:  # the theme places navigation titles into HTML as they are
        return escape_text(edition.convert_page(title))

    nav: list = [{convert(edition.string("home")): "index.md"}]
    present = {page.spec.id for page in corpus.pages}
    for section in corpus.sections:
        pages = [p for p in section.pages if p.id in present]
        title = convert(edition.section_text(section)[0])
        if len(pages) == 1:
            nav.append({title: f"topics/{pages[0].id}.md"})
        elif pages:
            nav.append({title: [{convert(edition.page_title(p)): f"topics/{p.id}.md"} for p in pages]})
    nav.append({convert(edition.string("glossary")): f"topics/{GLOSSARY_PAGE}.md"})
    nav.append({convert(edition.string("study")): [{convert(edition.string(f"{kind}_title")): f"topics/{kind}.md"}
                                                   for kind in STUDY_PAGES]})
    return nav


SUBHEADING = re.compile(r'<h([3-6]) id="[^"]*">(.*?)<a class="headerlink" href="#[^"]*"[^>]*>[^<]*</a></h\1>',
                        re.DOTALL)


def fold_subheadings(page_html: str) -> str:
    """Headings inside an answer lose their anchors, so search shows each hit under its question."""
    return SUBHEADING.sub(r"<h\1>\2</h\1>", page_html)




def render_glossary(corpus: Corpus, edition: Edition = ZH) -> str:
    """The glossary page: each term with its definition and every question that uses it."""
    links = corpus.links
    users: dict[str, list[Question]] = {term.id: [] for term in links.glossary}
    for question in corpus.questions:
        for term in links.terms.get(question.anchor, []):
            users[term.id].append(question)
    title = edition.string("glossary")
    lines = [*front_matter(title), f"# {markdown_text(title)}", "",
             edition.string("glossary_intro", count=len(links.glossary)), ""]
    for term in sorted(links.glossary, key=lambda t: edition.term_name(t).lower()):
        lines += [f"## {edition.term_name(term)} {{ #{term.id} }}", "", edition.term_definition(term), ""]
        if not edition.is_english:
            lines += [f"{edition.string('english')}：*{term.en}*", ""]
        if users[term.id]:
            lines += [link_list("qa-term-uses", edition.string("used_in", count=len(users[term.id])),
                                [question_link(question, corpus, edition) for question in users[term.id]]), ""]
    return edition.convert_page("\n".join(lines))


TAG_OR_TEXT = re.compile(r"(<[^>]+>)")
OPENING_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b")
CLOSING_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9]*)\s*>")
# Text inside these is not prose: a term there is not linked.
NO_TERM_LINKS = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "math", "figcaption",
                 "script", "style", "kbd", "button", "summary", "label", "title"}


def link_terms(page_html: str, links, page: Page, edition: Edition = ZH) -> str:
    """Link the first mention of each glossary term on a page to its entry, definition on hover."""
    if links is None:
        return page_html
    wanted = {}
    for question in page.questions:
        for term in links.terms.get(question.anchor, []):
            wanted.setdefault(term.id, term)
    if edition.is_english:
        wanted = {key: term.english_term() for key, term in wanted.items()}
    done: set[str] = set()
    blocked: Counter = Counter()
    pieces = TAG_OR_TEXT.split(page_html)
    for position, piece in enumerate(pieces):
        if piece.startswith("<"):
            closing = CLOSING_TAG.match(piece)
            opening = OPENING_TAG.match(piece)
            if closing and closing.group(1).lower() in NO_TERM_LINKS:
                blocked[closing.group(1).lower()] -= 1
            elif opening and opening.group(1).lower() in NO_TERM_LINKS and not piece.endswith("/>"):
                blocked[opening.group(1).lower()] += 1
            continue
        if not piece.strip() or any(count > 0 for count in blocked.values()):
            continue
        pieces[position] = link_terms_in_text(piece, wanted, done, edition)
    return "".join(pieces)


def link_terms_in_text(text: str, wanted: dict, done: set[str], edition: Edition = ZH) -> str:
    """Link, in one run of text, the first mention of each term not yet linked on the page."""
    spans = []
    for term_id, term in wanted.items():
        if term_id in done:
            continue
        match = term.pattern.search(text)
        if match and not any(s < match.end() and match.start() < e for s, e, _ in spans):
            spans.append((match.start(), match.end(), term))
            done.add(term_id)
    for start, end, term in sorted(spans, key=lambda span: -span[0]):
        title = edition.convert_page(f"{edition.term_name(term)}：{edition.term_definition(term)}"
                                     if not edition.is_english else
                                     f"{term.en}: {edition.term_definition(term)}")
        title = html.escape(title, quote=True)
        text = (text[:start] + f'<a class="qa-term" href="../{GLOSSARY_PAGE}/#{term.id}" title="{title}">'
                + text[start:end] + "</a>" + text[end:])
    return text


def anchor_pages(corpus: Corpus) -> dict[str, str]:
    """The page id of every question anchor and alias anchor, for links that name an old page, and
    the notice page of every anchor of a question removed upstream."""
    pages = {}
    for page in corpus.pages:
        for question in page.questions:
            for anchor in [question.anchor, *question.aliases]:
                pages[anchor] = page.spec.id
    for sid, entry in corpus.removed.items():
        for anchor in entry.all_anchors:
            pages.setdefault(anchor, removed_page_id(sid))
    return dict(sorted(pages.items()))


CLOSEST_COUNT = 5


def removed_page_id(sid: str) -> str:
    """The page of the notice for a question removed upstream: /topics/removed-<id>/."""
    return f"{REMOVED_PREFIX}{sid}"


def closest_questions(entry: Recorded, corpus: Corpus, count: int = CLOSEST_COUNT) -> list[Question]:
    """The questions on the site most like a removed one, by title and answer (qa_record's measures)."""
    def score(question: Question) -> float:
        answer = answer_likeness(entry.sketch, answer_sketch(question.source_body)) if entry.sketch else 0.0
        return title_likeness(entry.title, question.title) + answer

    return sorted(corpus.questions, key=lambda q: (-score(q), q.anchor))[:count]


def render_removed(entry: Recorded, corpus: Corpus, edition: Edition = ZH) -> str:
    """The notice a removed question's links lead to: which question it was, that upstream removed
    it, and the closest questions still on the site."""
    heading_text = edition.string("removed_heading")
    title = entry.english if edition.is_english and entry.english else entry.title
    lines = [*front_matter(heading_text, "search:", "  exclude: true"), f"# {markdown_text(heading_text)}", "",
             edition.string("removed_text").replace("{title}", markdown_text(title)), ""]
    closest = [question_link(q, corpus, edition) for q in closest_questions(entry, corpus)]
    lines.append(link_list("qa-related", escape_text(edition.string("removed_closest")), closest))
    return edition.convert_page("\n".join(lines) + "\n")
