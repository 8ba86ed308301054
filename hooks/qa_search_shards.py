"""Search step: each edition's index, cut into small files so that a query loads only what it needs.

The site's search worker (hooks/qa_search_worker.js) reads these files; README, "Search", gives
the format. In short: `search_index.json` is a small manifest that Material's bundle fetches on
every page and hands to the worker; term files hold, for each token, where it occurs in each
question; question files hold the texts the results are shown with.

A question *holds* a term when the term's tokens occur one after the other in its title, glossary
names, English title or answer (a Latin term's last word may be the start of a longer word). The
same tokenizer runs here and in the worker: text is NFKC-normalised and lower-cased, each Han
character is a token, and each run of other letters and digits is a token. Positions let the
worker decide "holds" exactly, so the count it announces is the number of questions that hold the
query, at any size of the collection.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable

FORMAT = 1
# Fields in position order; a question's positions run through them with a gap between fields and
# between the answer's blocks, so no term is found across a boundary.
FIELDS = ("title", "names", "english", "text")
GAP = 1
# Raw bytes a term file or a question file aims at: a query of a few characters loads a few
# files, and the first results need the files of the ten questions shown first.
TERM_FILE_BYTES = 16_000
QUESTION_FILE_BYTES = 12_000
TERMS_DIR, QUESTIONS_DIR = "t", "q"
MANIFEST = "search_index.json"

BLOCK_TAGS = {"p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "div", "table", "tr", "td", "th",
              "pre", "blockquote", "dl", "dt", "dd", "figure", "figcaption", "br", "hr", "details", "summary"}
ZERO_WIDTH_SPACE = "\u200b"
NAME_SEPARATOR = " ; "
# The token listed at the gaps before and after each glossary name: no text makes it.
NAME_EDGE = "|"


def is_han(char: str) -> bool:
    """A Han character, by the ranges the worker uses too."""
    point = ord(char)
    return (0x3400 <= point <= 0x4DBF or 0x4E00 <= point <= 0x9FFF or 0xF900 <= point <= 0xFAFF
            or 0x20000 <= point <= 0x2FFFF)


def tokens(text: str) -> list[str]:
    """The tokens of a text: each Han character, and each run of other letters and digits."""
    out, word = [], []
    for char in unicodedata.normalize("NFKC", text).lower():
        if is_han(char):
            if word:
                out.append("".join(word))
                word = []
            out.append(char)
        elif char.isalnum():
            word.append(char)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def holds(stream: list[str | None], term: list[str]) -> bool:
    """Whether the term's tokens occur one after the other in a token stream (None is a gap); a
    Latin last token may be the start of a longer word."""
    if not term:
        return False
    last = len(term) - 1
    prefix = not is_han(term[last][0])
    for start in range(len(stream) - last):
        for offset, token in enumerate(term):
            found = stream[start + offset]
            if found is None or not (found == token or (offset == last and prefix and found.startswith(token))):
                break
        else:
            return True
    return False


class _Blocks(HTMLParser):
    """The plain text of an answer's HTML, one string per block (paragraph, list item, cell...)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []

    def end_block(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.end_block()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.end_block()

    def handle_data(self, data):
        self.current.append(data)


def blocks(answer_html: str) -> list[str]:
    """An answer's blocks as plain text (the index's word marks removed)."""
    parser = _Blocks()
    parser.feed(answer_html.replace(ZERO_WIDTH_SPACE, ""))
    parser.close()
    parser.end_block()
    return parser.blocks


@dataclass
class Question:
    """One search entry: what is shown, and what is matched."""

    location: str
    title: str
    names: str = ""
    english: str = ""
    blocks: list[str] = field(default_factory=list)

    def field_texts(self) -> list[list[str]]:
        """Each field's texts (glossary names and the answer's blocks apart)."""
        names = [name for name in self.names.split(NAME_SEPARATOR) if name.strip()]
        return [[self.title], names, [self.english] if self.english else [], self.blocks]

    def stream(self) -> tuple[list[str | None], list[int]]:
        """The question's tokens with a gap after each text, and each field's length: the
        positions it spans, its last gap not counted (the next field starts after that gap)."""
        stream: list[str | None] = []
        lengths = []
        for texts in self.field_texts():
            start = len(stream)
            for text in texts:
                stream += tokens(text)
                stream.append(None)
            if not texts:
                stream.append(None)
            lengths.append(len(stream) - start - GAP)
        return stream, lengths


def from_entry(doc: dict) -> Question:
    """A question from an entry of Material's index, shaped by qa_search_index."""
    def plain(key):
        return " ".join(str(doc.get(key, "")).replace(ZERO_WIDTH_SPACE, " ").split())

    # The index's word marks sit between Han words: removed without a space.
    title = " ".join(str(doc.get("title", "")).replace(ZERO_WIDTH_SPACE, "").split())
    return Question(doc["location"], title, plain("names"), plain("english"), blocks(str(doc.get("text", ""))))


def term_key(token: str, han_files: int, word_files: int) -> str:
    """The term file a token lives in: Han characters by code point, words by their first letter
    (so that every word starting with what a reader typed is in one file)."""
    point = ord(token[0])
    return f"h{point % han_files}" if is_han(token[0]) else f"w{point % word_files}"


def postings(questions: list[Question]) -> tuple[dict[str, list[int]], list[int]]:
    """Per token, its occurrences as a flat list: question number (as the gap from the previous
    one), how many positions, then the positions (each as the gap from the previous one); and
    the four field lengths of every question, in order."""
    where: dict[str, dict[int, list[int]]] = {}
    lengths: list[int] = []
    for number, question in enumerate(questions):
        stream, counts = question.stream()
        lengths += counts
        names_start = counts[0] + GAP
        names_end = names_start + counts[1] + GAP
        for position, token in enumerate(stream):
            if token is not None:
                where.setdefault(token, {}).setdefault(number, []).append(position)
            elif names_start - 1 <= position < names_end:  # the gaps around each name
                where.setdefault(NAME_EDGE, {}).setdefault(number, []).append(position)
    encoded = {}
    for token, places in where.items():
        flat, previous = [], 0
        for number in sorted(places):
            positions = places[number]
            flat += [number - previous, len(positions), positions[0]]
            flat += [b - a for a, b in zip(positions, positions[1:])]
            previous = number
        encoded[token] = flat
    return encoded, lengths


def compact(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def files_for(total_bytes: int, target: int) -> int:
    return max(1, -(-total_bytes // target))


def sharded(index: dict, edition_path: str) -> dict[str, str]:
    """The files of an edition's sharded index, by path under its search/ folder.

    `index` is Material's index after qa_search_index (config and one entry per question);
    `edition_path` is the edition's folder from the site root ('' or 'en/'), which the worker,
    served from the site's root, needs to find the files.
    """
    questions = [from_entry(doc) for doc in index["docs"]]
    where, lengths = postings(questions)
    sizes = {token: len(compact(flat)) + len(token.encode()) + 4 for token, flat in where.items()}
    han_files = files_for(sum(size for token, size in sizes.items() if is_han(token[0])), TERM_FILE_BYTES)
    word_files = files_for(sum(size for token, size in sizes.items() if not is_han(token[0])), TERM_FILE_BYTES)
    term_files: dict[str, dict[str, list[int]]] = {}
    for token in sorted(where):
        term_files.setdefault(term_key(token, han_files, word_files), {})[token] = where[token]
    shown = [[q.location, q.title, q.names, q.english, q.blocks] for q in questions]
    average = sum(len(compact(entry).encode()) for entry in shown) / max(1, len(shown))
    per_file = max(1, int(QUESTION_FILE_BYTES // max(1.0, average)))
    files = {f"{TERMS_DIR}/{key}.json": compact(data) for key, data in term_files.items()}
    for start in range(0, len(shown), per_file):
        files[f"{QUESTIONS_DIR}/{start // per_file}.json"] = compact(shown[start:start + per_file])
    config = {key: value for key, value in index["config"].items()}
    config["questions"] = {
        "format": FORMAT, "path": edition_path + "search/", "count": len(questions),
        "fields": list(FIELDS), "gap": GAP, "han_files": han_files, "word_files": word_files,
        "per_file": per_file, "lengths": lengths}
    files[MANIFEST] = compact({"config": config, "docs": []})
    return files


def write(folder: Path, files: dict[str, str]) -> int:
    """Write an edition's search files into its search/ folder (older term and question files
    removed first); returns the number of files."""
    for sub in (TERMS_DIR, QUESTIONS_DIR):
        old = folder / sub
        if old.is_dir():
            for path in old.glob("*.json"):
                path.unlink()
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(files)


def read(folder: Path) -> tuple[dict, list[Question]]:
    """An edition's manifest config and its questions, in order, from its search/ folder."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    config = manifest["config"]
    meta = config["questions"]
    questions = []
    for number in range(-(-meta["count"] // meta["per_file"])):
        entries = json.loads((folder / QUESTIONS_DIR / f"{number}.json").read_text(encoding="utf-8"))
        questions += [Question(*entry) for entry in entries]
    return config, questions


def holding(questions: Iterable[Question], term: str) -> list[str]:
    """The locations of the questions that hold a term (as the reader typed it, in the index's script)."""
    wanted = tokens(term)
    return [q.location for q in questions if holds(q.stream()[0], wanted)]
