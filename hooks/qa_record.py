"""The recorded state: every question the site has published, under a stable id that is also its
short link (/q/<id>/), and how this build's questions match it.

`data/questions.yml` holds, per id, the title, anchor, page and file the question was recorded
with, a sketch of its answer, and every older anchor. The build reads it and never writes it;
`python hooks/qa_output.py record` records the questions now on the site (entries are never deleted).

A question of this build is the recorded one when, in this order:
1. the maintainer says so: an entry's `match:` names a current question's title or anchor (or
   `none`, to let the entry go);
2. their titles are the same after decoration (number, label) is dropped: a renumbered question,
   or one moved to another file;
3. their titles and answers are close: `score = (title + answer) / 2 >= MATCH_SCORE`, with both
   parts at least PART_MINIMUM, where `title` is difflib's ratio of the two titles (letters and
   digits only) and `answer` the Jaccard likeness of the answers' character trigrams, estimated
   from bottom-k sketches of SKETCH_SIZE hashes. The best-scoring pairs are taken first.
A recorded entry that matches nothing was removed upstream; a question that matches no entry is new.
"""

from __future__ import annotations

import base64
import difflib
import json
import re
import struct
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

from qa_model import UNRECORDED, Change, Question, SourceError
from qa_normalize import body_key, slugify
from qa_read import title_key
from qa_schema import ANY, TEXT, parse_data
from qa_short_links import ID_LENGTH, short_id

RECORD_NAME = "questions.yml"
RECORD_PATH = f"data/{RECORD_NAME}"
MATCH_SCORE = 0.6
PART_MINIMUM = 0.3
SKETCH_SIZE = 32
NO_MATCH = "none"
RECORD_SHAPE = {ANY: {"title": TEXT, "anchor": TEXT, "page": TEXT, "file": TEXT, "english?": TEXT,
                      "sketch?": TEXT, "anchors?": [TEXT], "match?": TEXT}}


@dataclass
class Recorded:
    """One entry of data/questions.yml."""

    id: str
    title: str
    anchor: str
    page: str
    file: str
    english: str = ""
    sketch: str = ""
    anchors: list[str] = field(default_factory=list)
    match: str = ""
    line: int = 1

    @property
    def all_anchors(self) -> list[str]:
        return [self.anchor, *[a for a in self.anchors if a != self.anchor]]


@dataclass
class Identity:
    """How this build's questions relate to the record."""

    matched: list[tuple[Question, Recorded]] = field(default_factory=list)
    merged: list[tuple[Question, Recorded]] = field(default_factory=list)  # entries of copies merged into a question
    removed: dict[str, Recorded] = field(default_factory=dict)  # id -> entry of a question gone upstream
    unrecorded: list[Question] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def owners(self) -> dict[str, Question | None]:
        """Every recorded anchor and the question it now belongs to (None: a removed question's)."""
        owners: dict[str, Question | None] = {}
        for entry in self.removed.values():
            owners.update(dict.fromkeys(entry.all_anchors))
        for question, entry in self.merged + self.matched:
            owners.update(dict.fromkeys(entry.all_anchors, question))
        return owners


def parse_record(data: bytes) -> list[Recorded]:
    """The entries of data/questions.yml, each with its line."""
    entries = parse_data(data, RECORD_PATH, RECORD_SHAPE)
    for sid, entry in entries.items():
        if not re.fullmatch(r"[a-z2-7]{6,16}", sid):
            raise SourceError(RECORD_PATH, getattr(entry, "line", 1), f"'{sid}' is not a question id")
        if not re.fullmatch(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?", entry.get("sketch", "")):
            raise SourceError(RECORD_PATH, getattr(entry, "line", 1),
                              f"q/{sid}/: 'sketch' is not one this site writes (record the questions again)")
    return [Recorded(sid, e["title"], e["anchor"], e["page"], e["file"], e.get("english", ""), e.get("sketch", ""),
                     list(e.get("anchors", [])), e.get("match", ""), getattr(e, "line", 1))
            for sid, e in entries.items()]


@lru_cache(maxsize=8192)  # matching, recording and the notices' closest questions all ask
def answer_sketch(markdown: str) -> str:
    """A bottom-k sketch of an answer's character trigrams (letters and digits only), as base64."""
    text = body_key(markdown)
    grams = {zlib.crc32(text[i:i + 3].encode("utf-8")) for i in range(max(len(text) - 2, 0))}
    return base64.b64encode(struct.pack(f">{min(len(grams), SKETCH_SIZE)}I",
                                        *sorted(grams)[:SKETCH_SIZE])).decode("ascii")


def sketch_values(sketch: str) -> set[int]:
    data = base64.b64decode(sketch.encode("ascii")) if sketch else b""
    return set(struct.unpack(f">{len(data) // 4}I", data[:len(data) // 4 * 4]))


def answer_likeness(first: str, second: str) -> float:
    """Estimated Jaccard likeness of two answers from their sketches."""
    a, b = sketch_values(first), sketch_values(second)
    union = sorted(a | b)[:SKETCH_SIZE]
    return sum(1 for value in union if value in a and value in b) / len(union) if union else 0.0


def title_likeness(first: str, second: str) -> float:
    return difflib.SequenceMatcher(None, title_key(first), title_key(second)).ratio()


def titles_of(question: Question) -> list[str]:
    """A question's title keys, its merged copies' included."""
    return [title_key(question.title)] + [title_key(copy.title) for copy in question.merged_from]


def match_record(entries: list[Recorded], questions: list[Question]) -> Identity:
    """Match the recorded entries to this build's questions (see the module's docstring)."""
    identity = Identity()
    free = list(questions)

    def take(entry: Recorded, question: Question, kind: str, score: float | None) -> None:
        if any(q is question for q in free):
            free.remove(question)
            identity.matched.append((question, entry))
        else:  # a second entry for a question already matched: a copy merged into it
            identity.merged.append((question, entry))
        identity.changes.extend(describe_match(entry, question, kind, score))

    pending = []
    for entry in entries:
        wanted = title_key(entry.match) if entry.match and entry.match != NO_MATCH else ""
        # Anchors are given after matching: a `match:` naming one is compared with the title's anchor.
        target = next((q for q in questions if wanted and (wanted in titles_of(q) or entry.match == slugify(q.title))),
                      None)
        if entry.match == NO_MATCH or (entry.match and target is None):
            identity.removed[entry.id] = entry
            if target is None and entry.match != NO_MATCH:
                identity.changes.append(Change("removed", RECORD_PATH, entry.line,
                                               f"q/{entry.id}/ 'match: {entry.match}' names no question on the site"))
            continue
        if target is not None:
            take(entry, target, "override", None)
        else:
            pending.append(entry)
    # The same title: a question's own title first, for every entry, so that the entry of a copy now
    # merged into a question never takes the question from the question's own entry.
    later = []
    for entry in pending:
        same = [q for q in free if titles_of(q)[0] == title_key(entry.title)]
        if same:
            same.sort(key=lambda q: q.source != entry.file)
            take(entry, same[0], "same", 1.0)
        else:
            later.append(entry)
    still = []
    for entry in later:
        key = title_key(entry.title)
        merged_into = sorted((q for q in questions if key in titles_of(q)[1:]),
                             key=lambda q: not any(f is q for f in free))
        if merged_into:
            take(entry, merged_into[0], "same", 1.0)
        else:
            still.append(entry)
    pairs = []
    for entry in still:
        for question in free:
            title = title_likeness(entry.title, question.title)
            if title < PART_MINIMUM or not entry.sketch:
                continue
            answer = answer_likeness(entry.sketch, answer_sketch(question.source_body))
            score = (title + answer) / 2
            if answer >= PART_MINIMUM and score >= MATCH_SCORE:
                pairs.append((score, entry.id, entry, question))
    matched: set[str] = set()
    for score, _, entry, question in sorted(pairs, key=lambda p: (-p[0], p[1])):
        if entry.id not in matched and any(q is question for q in free):
            matched.add(entry.id)
            take(entry, question, "close", score)
    for entry in still:
        if entry.id not in matched:
            identity.removed[entry.id] = entry
            identity.changes.append(Change("removed", entry.file, 1, f"'{entry.title}' (q/{entry.id}/) is in no "
                                                                      "source any more; its links lead to a notice"))
    identity.unrecorded = free
    return identity


def describe_match(entry: Recorded, question: Question, kind: str, score: float | None) -> list[Change]:
    """Report lines for one match: moved, renamed, or nothing when it is the same place and title."""
    changes = []
    how = {"override": "the record's match:", "same": "same title"}.get(kind) or f"score {score:.2f}"
    if title_key(entry.title) != title_key(question.title):
        changes.append(Change("renamed", question.source, question.line,
                              f"'{entry.title}' is now '{question.title}' (q/{entry.id}/, {how})"))
    if entry.file != question.source:
        changes.append(Change("moved", question.source, question.line,
                              f"'{question.title}' (q/{entry.id}/) moved here from {entry.file} ({how})"))
    return changes


def assign_ids(identity: Identity, entries: list[Recorded]) -> tuple[dict[str, str], dict[str, str], list[Change]]:
    """Once anchors are final: the id of every question by anchor (new ones drawn from the anchor,
    unlike any recorded id), the ids of merged copies (id -> anchor), and one warning asking for
    new questions to be recorded."""
    ids = {question.anchor: entry.id for question, entry in identity.matched}
    extra = {entry.id: question.anchor for question, entry in identity.merged}
    taken = {entry.id for entry in entries}
    for question in identity.unrecorded:
        length = ID_LENGTH
        while short_id(question.anchor, length) in taken:
            length += 1
        ids[question.anchor] = short_id(question.anchor, length)
        taken.add(ids[question.anchor])
    if not identity.unrecorded:
        return ids, extra, []
    first = identity.unrecorded[0]
    changes = [Change("new", q.source, q.line, f"'{q.title}' is new (q/{ids[q.anchor]}/)")
               for q in identity.unrecorded]
    changes.append(Change(UNRECORDED, RECORD_PATH, 1,
                          f"questions not yet recorded: {len(identity.unrecorded)} (first: {first.location} "
                          f"'{first.title}'); record them with `python hooks/qa_output.py record`"))
    return ids, extra, changes


def add_recorded_aliases(identity: Identity) -> None:
    """Every anchor a question was recorded under leads to it (before anchors are given: the one the
    question gets again is dropped from its aliases by assign_anchors)."""
    for question, entry in identity.matched + identity.merged:
        for anchor in entry.all_anchors:
            if anchor not in question.aliases:
                question.aliases.append(anchor)


def record_text(entries: list[Recorded]) -> str:
    """data/questions.yml for these entries, in a stable order."""
    lines = ["# Every question this site has published, by its stable id (also its short link /q/<id>/).",
             "# Written by `python hooks/qa_output.py record`; entries are never deleted. To decide a match yourself,",
             "# add `match: <title or anchor of a question now on the site>` to an entry, or `match: none`."]
    for entry in sorted(entries, key=lambda e: e.id):
        lines.append(f"{entry.id}:")
        for name in ("title", "anchor", "page", "file", "english", "sketch", "match"):
            value = getattr(entry, name)
            if value:
                lines.append(f"  {name}: {json.dumps(value, ensure_ascii=False)}")
        if entry.anchors:
            lines.append(f"  anchors: {json.dumps(entry.anchors, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def updated_record(entries: list[Recorded], corpus) -> list[Recorded]:
    """The record after this build: current questions under their ids (older anchors kept), and
    every other entry as it was."""
    by_id = {entry.id: entry for entry in entries}
    english = corpus.editions["en"].english.questions if corpus.editions else {}
    page_of = {q.anchor: page.spec.id for page in corpus.pages for q in page.questions}
    for question in corpus.questions:
        sid = corpus.short_ids[question.anchor]
        old = by_id.get(sid)
        anchors = [a for a in (old.all_anchors if old else []) if a != question.anchor]
        translation = english.get(question.anchor)
        by_id[sid] = Recorded(sid, question.title, question.anchor, page_of[question.anchor], question.source,
                              translation.title if translation else (old.english if old else ""),
                              # A maintainer's match: has done its work once its question is recorded.
                              answer_sketch(question.source_body), anchors)
    return list(by_id.values())

