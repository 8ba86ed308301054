"""Normalize step: reconcile each file with its own TOC, then anchors, duplicates and empty entries."""

from __future__ import annotations

import difflib
from functools import lru_cache
import re
import unicodedata

from qa_model import Change, Part, Question, SourceDocument, TocEntry
from qa_read import split_number, title_key

# Near-identical titles and answers mean the same question copied between files; the U-ViT
# answers of the core file share much text under different titles and must stay apart.
DUPLICATE_TITLE_RATIO = 0.8
DUPLICATE_BODY_RATIO = 0.9
# A copy cut off part-way (an older, truncated export) still counts when it holds half the answer.
TRUNCATED_COPY_MIN_SHARE = 0.5
# A cut-off line is shorter than the finished lines beside it.
TRUNCATED_LENGTH_RATIO = 0.75
SENTENCE_END = tuple("。！？；：.!?;:…）)」』”\"'`|*>")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
SENTENCE_FINAL = tuple("。！？；.!?;…")
LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def slugify(title: str) -> str:
    """A readable anchor: the title without its number, lower case, punctuation dropped."""
    text = unicodedata.normalize("NFKC", split_number(title)[1]).lower()
    kept = []
    for ch in text:
        if ch.isalnum() or ch in "-_":
            kept.append(ch)
        elif ch.isspace():
            kept.append("-")
    slug = re.sub(r"-{2,}", "-", "".join(kept)).strip("-_")
    return slug or "q"


def github_slug(text: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, spaces to '-', punctuation dropped."""
    kept = [ch for ch in text.strip().lower() if ch.isalnum() or ch in " -_"]
    return "".join(kept).replace(" ", "-")


def fragment_id(target: str) -> str:
    """The element id a TOC link points at, as GitHub would resolve it (spaces become '-')."""
    return re.sub(r"\s+", "-", target.strip().lstrip("#"))


@lru_cache(maxsize=8192)  # compared pairwise while merging copies: compute once per answer
def body_key(body: str) -> str:
    """An answer's words without layout, to compare copies of one answer."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", body).lower() if ch.isalnum())


def heading_ids(doc: SourceDocument) -> dict[str, Question | Part]:
    """Every id a heading of the document defines, as GitHub would see it."""
    ids = {}
    for part in doc.parts:
        ids[fragment_id(part.heading_id)] = part
        ids[github_slug(part.title)] = part
        for question in part.questions:
            number = f"{question.number}." if question.number else ""
            ids[fragment_id(question.heading_id)] = question
            ids[github_slug(number + question.title)] = question
    ids.pop("", None)
    return ids


def describe_toc_defect(entry: TocEntry, ids: dict[str, Question | Part]) -> str:
    """Say what is wrong with one TOC link, or '' when it reaches its heading."""
    defects = []
    if re.search(r"\]\s+\(", entry.raw):
        defects.append("a space between ']' and '(' makes it plain text on GitHub")
    target = entry.target
    if not target.startswith("#"):
        defects.append(f"the link '{target[:40]}' lacks its leading '#'")
    fragment = target.lstrip("#")
    if fragment in ids:
        return "; ".join(defects)
    if fragment_id(fragment) in ids or fragment.replace("-", " ") in {i.replace("-", " ") for i in ids}:
        defects.append("spaces and hyphens differ from the heading id")
    elif not defects:
        defects.append(f"no heading has the id '{fragment[:40]}'")
    return "; ".join(defects)


def match_toc(doc: SourceDocument, questions: list[Question]) -> tuple[dict[int, TocEntry], list[Change]]:
    """Pair each question heading with its TOC entry: same title, else same number, else close title."""
    entries = [e for e in doc.toc if not e.is_part]
    taken: dict[int, TocEntry] = {}
    used: set[int] = set()
    changes: list[Change] = []

    def claim(question: Question, entry: TocEntry) -> None:
        taken[id(question)] = entry
        used.add(id(entry))

    def free(question: Question):
        return [e for e in entries if id(e) not in used and id(question) not in taken]

    for question in questions:
        for entry in free(question):
            number, title = split_number(entry.title)
            if title_key(title) == title_key(question.title) and number == question.number:
                claim(question, entry)
                break
    for question in questions:
        for entry in free(question):
            if title_key(split_number(entry.title)[1]) == title_key(question.title):
                claim(question, entry)
                break
    for question in questions:
        same_number = [e for e in free(question) if split_number(e.title)[0] == question.number]
        same_part = [e for e in same_number if title_key(e.part_title) == title_key(question.part)]
        if same_part or same_number:
            claim(question, (same_part or same_number)[0])
    for question in questions:
        scored = [(difflib.SequenceMatcher(None, title_key(split_number(e.title)[1]),
                                           title_key(question.title)).ratio(), e)
                  for e in free(question)]
        best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        if best[0] >= 0.6:
            claim(question, best[1])
    for entry in entries:
        if id(entry) not in used:
            changes.append(Change("toc", doc.name, entry.line,
                                  f"TOC entry '{entry.title}' has no question under it"))
    return taken, changes


def reconcile_titles(doc: SourceDocument, questions: list[Question],
                     taken: dict[int, TocEntry]) -> list[Change]:
    """Where a heading copies another question's title but its TOC entry differs, use the TOC's."""
    changes = []
    keys = [title_key(q.title) for q in questions]
    for question in questions:
        entry = taken.get(id(question))
        if entry is None:
            changes.append(Change("toc", doc.name, question.line,
                                  f"question '{question.title}' is missing from the TOC"))
            continue
        question.toc_entry = entry
        toc_title = split_number(entry.title)[1]
        if title_key(toc_title) == title_key(question.title):
            continue
        if keys.count(title_key(question.title)) > 1:
            changes.append(Change("title", doc.name, question.line,
                                  f"heading repeats another question's title; using its TOC title "
                                  f"'{toc_title}' (TOC line {entry.line})"))
            question.aliases.append(slugify(question.title) + f"-{question.number}")
            question.title = toc_title
        else:
            changes.append(Change("title", doc.name, question.line,
                                  f"TOC line {entry.line} names an older title '{toc_title}'; "
                                  f"kept the heading's '{question.title}'"))
            question.aliases.append(slugify(toc_title))
    return changes


def order_by_toc(doc: SourceDocument, questions: list[Question],
                 taken: dict[int, TocEntry]) -> tuple[list[Part], list[Change]]:
    """Arrange parts and questions in the order, and under the parts, that the file's TOC gives."""
    changes: list[Change] = []
    toc_parts = [e for e in doc.toc if e.is_part]
    parts: list[Part] = []
    by_key: dict[str, Part] = {}
    for entry in toc_parts:
        body = next((p for p in doc.parts if title_key(p.title) == title_key(entry.title)), None)
        part = Part(doc.name, body.line if body else entry.line, entry.title if not body else body.title,
                    body.intro if body else "", body.intro_line if body else 0)
        parts.append(part)
        by_key[title_key(entry.title)] = part
    for body in doc.parts:
        if title_key(body.title) not in by_key:
            part = Part(doc.name, body.line, body.title, body.intro, body.intro_line)
            parts.append(part)
            by_key[title_key(body.title)] = part
    order = {id(e): i for i, e in enumerate(doc.toc)}
    rank, previous = {}, -1.0
    for question in questions:
        entry = taken.get(id(question))
        rank[id(question)] = order[id(entry)] if entry else previous + 0.001
        previous = rank[id(question)]
    body_position = {id(q): i for i, q in enumerate(questions)}
    for question in sorted(questions, key=lambda q: rank[id(q)]):
        entry = taken.get(id(question))
        part_title = entry.part_title if entry and toc_parts else question.part
        part = by_key.get(title_key(part_title)) or by_key[title_key(question.part)]
        if title_key(part.title) != title_key(question.part):
            changes.append(Change("order", doc.name, question.line,
                                  f"moved under part '{part.title}' as the TOC lists it there "
                                  f"(the file places it under '{question.part}')"))
        question.part = part.title
        part.questions.append(question)
    final = [q for part in parts for q in part.questions]
    moved = [q for i, q in enumerate(final) if body_position[id(q)] != i]
    if moved and not any(c.kind == "order" for c in changes):
        changes.append(Change("order", doc.name, moved[0].line, "questions reordered to follow the TOC"))
    return parts, changes


def collect_aliases(doc: SourceDocument, question: Question) -> None:
    """Remember every id a link could have used for this question, so old links still land."""
    number = f"{question.number}." if question.number else ""
    candidates = [fragment_id(question.heading_id)]
    if not question.heading_id:
        candidates.append(github_slug(number + question.title))
    if question.toc_entry is not None:
        candidates.append(fragment_id(question.toc_entry.target))
    for alias in candidates:
        if alias and alias not in question.aliases:
            question.aliases.append(alias)


def normalize_document(doc: SourceDocument) -> tuple[list[Part], list[Change]]:
    """Check the TOC links, match questions to them, fix titles and order; keep every question."""
    questions = [q for part in doc.parts for q in part.questions]
    ids = heading_ids(doc)
    changes = []
    for entry in doc.toc:
        if entry.target or entry.raw.lstrip().startswith(("-", "*", "+")):
            defect = describe_toc_defect(entry, ids)
            if defect:
                changes.append(Change("toc-link", doc.name, entry.line,
                                      f"TOC link to '{entry.title}' repaired: {defect}"))
    taken, found = match_toc(doc, questions)
    changes += found
    changes += reconcile_titles(doc, questions, taken)
    parts, found = order_by_toc(doc, questions, taken)
    changes += found
    for question in questions:
        collect_aliases(doc, question)
    return parts, changes


def is_empty(question: Question) -> bool:
    """An answer with no words, figure or code."""
    return not body_key(question.body) and "![" not in question.body and "<img" not in question.body


def last_text_line(body: str) -> str:
    """The last line of prose of an answer, or '' when it ends in code, a table or a figure."""
    lines = [line for line in body.split("\n") if line.strip()]
    if not lines or FENCE.match(lines[-1]) or lines[-1].lstrip().startswith(("|", "<", "![", "$$")):
        return ""
    return lines[-1].strip()


def looks_truncated(question: Question) -> bool:
    """Whether an answer stops mid-sentence: its last line ends in a word, and is short, where its peers end in punctuation."""
    line = last_text_line(question.body)
    text = LIST_MARKER.sub("", line).rstrip("*_ ")
    if len(text) < 4 or text.endswith(SENTENCE_END) or not text[-1].isalpha():
        return False
    raw_last = next(l for l in reversed(question.body.split("\n")) if l.strip())
    indent = len(raw_last) - len(raw_last.lstrip())
    is_item = bool(LIST_MARKER.match(raw_last))
    peers = [LIST_MARKER.sub("", l).strip().rstrip("*_ ") for l in question.body.split("\n")
             if l.strip() and l is not raw_last and len(l) - len(l.lstrip()) == indent
             and bool(LIST_MARKER.match(l)) == is_item and l.strip() != raw_last.strip()]
    if not peers:
        return False
    finished = [p for p in peers if p.endswith(SENTENCE_FINAL)]
    mean_length = sum(map(len, peers)) / len(peers)
    return len(finished) * 2 >= len(peers) and len(text) < TRUNCATED_LENGTH_RATIO * mean_length


def is_duplicate(kept: Question, other: Question) -> bool:
    """Two copies of one question: nearly the same title and nearly the same answer."""
    a, b = body_key(kept.body), body_key(other.body)
    if a == b and a:
        return True
    titles = difflib.SequenceMatcher(None, title_key(kept.title), title_key(other.title))
    # The cheap upper bounds first: most pairs of titles differ at a glance.
    if titles.real_quick_ratio() < DUPLICATE_TITLE_RATIO or titles.quick_ratio() < DUPLICATE_TITLE_RATIO \
            or titles.ratio() < DUPLICATE_TITLE_RATIO or not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    if longer.startswith(shorter) and len(shorter) >= len(longer) * TRUNCATED_COPY_MIN_SHARE:
        return True
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= DUPLICATE_BODY_RATIO and matcher.ratio() >= DUPLICATE_BODY_RATIO


def completeness(question: Question) -> tuple[int, int]:
    """Rank copies: more answer text first, then the longer (more specific) title."""
    return len(body_key(question.body)), len(title_key(question.title))


def merge_duplicates(questions: list[Question]) -> tuple[list[Question], list[Change]]:
    """Keep the most complete copy of each question (earlier file wins ties); the rest become aliases."""
    groups: list[list[Question]] = []
    head_lengths: list[int] = []
    for question in questions:
        length = len(title_key(question.title))
        # A title ratio of 0.8 needs lengths within a factor of 1.5: check that before comparing;
        # identical answers are duplicates whatever the titles.
        group = next((group for group, head_length in zip(groups, head_lengths)
                      if (2 * min(length, head_length) >= DUPLICATE_TITLE_RATIO * (length + head_length)
                          or body_key(group[0].body) == body_key(question.body))
                      and is_duplicate(group[0], question)), None)
        if group is None:
            groups.append([question])
            head_lengths.append(length)
        else:
            group.append(question)
    kept_ids = set()
    changes = []
    for group in groups:
        best = max(group, key=lambda q: (completeness(q), -group.index(q)))
        kept_ids.add(id(best))
        for copy in group:
            if copy is best:
                continue
            best.merged_from.append(copy)
            for alias in [slugify(copy.title)] + copy.aliases:
                if alias not in best.aliases:
                    best.aliases.append(alias)
            changes.append(Change("duplicate", copy.source, copy.line,
                                  f"'{copy.title}' is a copy of {best.location}; kept that one "
                                  f"({len(body_key(best.body))} vs {len(body_key(copy.body))} characters)"))
    return [q for q in questions if id(q) in kept_ids], changes


def drop_empty(parts: list[Part]) -> tuple[list[Part], list[Change]]:
    """Remove questions without an answer and parts without questions or text, reporting each."""
    changes = []
    kept_parts = []
    for part in parts:
        for question in [q for q in part.questions if is_empty(q)]:
            changes.append(Change("empty", question.source, question.line,
                                  f"question '{question.title}' has no answer; not rendered"))
        part.questions = [q for q in part.questions if not is_empty(q)]
        if part.questions or part.intro.strip():
            kept_parts.append(part)
        else:
            changes.append(Change("empty", part.source, part.line,
                                  f"part '{part.title}' has no questions; not rendered"))
    return kept_parts, changes


def report_truncated(questions: list[Question]) -> list[Change]:
    """Report answers found to stop mid-sentence (looks_truncated); they are kept as written."""
    return [Change("truncated", q.source, q.body_line + q.body.count("\n"),
                   f"answer to '{q.title}' seems to stop mid-sentence: "
                   f"'…{last_text_line(q.body)[-20:]}'; kept as written")
            for q in questions]
