"""Search step: each edition's search index holds questions, and knows the words readers type for them.

Material groups hits by page and folds every hit but a page's best under "N more on this page";
a page entry, the home page or the content report can take a first-screen slot. Here every entry
is one question with no page entry above it, so each hit is shown with its text and the count
counts questions. The question that defines a glossary term carries the term's names (Chinese,
English, abbreviation, spellings) in a field of its own, so those names find it first; in the
Chinese editions each question also carries its English title. A variant table lets the worker
read a query typed in the other Chinese script (qa_search_worker).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Iterable

# Field weights, relative to Material's title (1000) and text (1): a glossary name outweighs a
# title that merely mentions the term, but not a title that also has a query's second word; an
# English title counts a quarter of a title. Chosen with the query set (tests/search_queries.yml):
# names at 1000-5000 and English at 250-1000 all meet the targets; 1500 and 250 did best.
NAMES_FIELD, NAMES_BOOST = "names", 1500.0
ENGLISH_FIELD, ENGLISH_BOOST = "english", 250.0

# Between two names of a question: the search worker tells a whole name from part of one.
NAME_SEPARATOR = " ; "
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
# Longest phrase looked at for the variant table: words of the site, and runs of them.
PHRASE_WORDS, PHRASE_CHARACTERS = 3, 4


def fragment(location: str) -> str:
    """The anchor a search entry points at ('' for a page's own entry)."""
    return location.split("#", 1)[1] if "#" in location else ""


def question_index(index: dict, anchors: set[str], names: dict[str, list[str]],
                   english: dict[str, str], variants: dict | None) -> dict:
    """The index with question entries only, names and English titles added, and the variant table.

    `names` and `english` are keyed by anchor.
    """
    docs = []
    for doc in index["docs"]:
        anchor = fragment(doc["location"])
        if anchor not in anchors:
            continue
        doc = dict(doc)
        if names.get(anchor):
            doc[NAMES_FIELD] = NAME_SEPARATOR.join(dict.fromkeys(names[anchor]))
        if english.get(anchor):
            doc[ENGLISH_FIELD] = english[anchor]
        docs.append(doc)
    fields = {**index["config"]["fields"], NAMES_FIELD: {"boost": NAMES_BOOST}}
    if english:
        fields[ENGLISH_FIELD] = {"boost": ENGLISH_BOOST}
    config = {**index["config"], "fields": fields}
    if variants:
        config["variants"] = variants
    return {**index, "config": config, "docs": docs}


def read_variants(text: str, chars: dict[str, str], phrases: dict[str, str]) -> str:
    """What the worker makes of a query with this table (the same longest-phrase-first reading)."""
    longest = max(map(len, phrases), default=1)
    out, i = [], 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 1, -1):
            if text[i:i + size] in phrases:
                out.append(phrases[text[i:i + size]])
                i += size
                break
        else:
            out.append(chars.get(text[i], text[i]))
            i += 1
    return "".join(out)


def variant_table(words: Iterable[str], forms: Callable[[str], Iterable[str]],
                  target: Callable[[str], str]) -> dict:
    """What the worker needs to turn a query in another script into the index's script.

    For each word or phrase of the 简体 vocabulary, `target(word)` is how the index spells it and
    `forms(word)` how a reader may type it. Characters map one to one (each converted alone); a
    phrase is listed only where the table so far would not read it right (影片 -> 视频, 解析度 ->
    分辨率), shortest first. A form that is itself a word of the index is left alone.
    """
    words = sorted(set(words), key=lambda word: (len(word), word))
    spelled = {word: target(word) for word in words}
    index_vocabulary = set(spelled.values())
    chars: dict[str, str] = {}
    for char in sorted({char for word in words for char in word}):
        wanted = target(char)
        for form in forms(char):
            if len(form) == len(wanted) == 1 and form != wanted:
                chars.setdefault(form, wanted)
    phrases: dict[str, str] = {}
    for word in words:
        for form in forms(word):
            if form == spelled[word] or form in index_vocabulary or form in phrases:
                continue
            if read_variants(form, chars, phrases) != spelled[word]:
                phrases[form] = spelled[word]
    return {"chars": "".join(a + b for a, b in sorted(chars.items())), "words": dict(sorted(phrases.items()))}


def term_names(term, english: bool, convert: Callable[[str], str] = str) -> list[str]:
    """The names a reader may search a glossary term by: Chinese name and spellings (converted for
    the 繁體 edition), English name, the English name with its abbreviation, Latin spellings."""
    latin = [spelling for spelling in term.match if re.search(r"[A-Za-z]", spelling)]
    english_names = [term.en, term.english_name, *latin]
    english_names += [ascii_folded(name) for name in english_names]  # Fréchet is typed Frechet
    if english:
        return list(dict.fromkeys(english_names))
    return list(dict.fromkeys([convert(term.term), *(convert(m) for m in term.match), *english_names]))


def ascii_folded(text: str) -> str:
    """Latin text without its accents (Fréchet -> Frechet); other text as it is."""
    if text.isascii() or any(ord(ch) >= 0x250 for ch in text):
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def defining_names(glossary, anchors: set[str], english: bool,
                   convert: Callable[[str], str] = str) -> dict[str, list[str]]:
    """Names per defining question's anchor, for the glossary terms whose question is on the site."""
    names: dict[str, list[str]] = {}
    for term in glossary:
        if term.question in anchors:
            names.setdefault(term.question, []).extend(term_names(term, english, convert))
    return names


def edition_index(index: dict, corpus, code: str, variants: dict | None) -> dict:
    """One edition's index shaped for questions (see the module docstring)."""
    import qa_i18n

    anchors = {question.anchor for question in corpus.questions}
    english_edition = corpus.editions[qa_i18n.ENGLISH]
    english = {} if code == qa_i18n.ENGLISH else {
        question.anchor: english_edition.translation(question).title
        for question in corpus.questions if english_edition.translation(question)}
    convert = qa_i18n.traditional_converter().convert if code == qa_i18n.TRADITIONAL else str
    names = defining_names(corpus.links.glossary, anchors, code == qa_i18n.ENGLISH, convert)
    return question_index(index, anchors, names, english, variants)


def variant_tables(corpus, codes: Iterable[str]) -> dict[str, dict | None]:
    """The variant table of each edition asked for (None for English), from the site's own words,
    read once for all of them."""
    import qa_i18n

    taiwan = qa_i18n.traditional_converter().convert
    forms_and_target = {
        qa_i18n.DEFAULT: (lambda word: (plain_traditional(word), taiwan(word)), str),
        # A reader of the 繁體 edition may type simplified characters or mainland traditional ones.
        qa_i18n.TRADITIONAL: (lambda word: (word, plain_traditional(word)), taiwan),
    }
    codes = list(codes)
    vocabulary = chinese_vocabulary(corpus) if set(codes) & set(forms_and_target) else set()
    return {code: variant_table(vocabulary, *forms_and_target[code]) if code in forms_and_target else None
            for code in codes}


def plain_traditional(text: str) -> str:
    """Character-level traditional spelling, as a reader outside Taiwan types it (視頻, 數據)."""
    return _plain_converter().convert(text)


@lru_cache(maxsize=1)
def _plain_converter():
    import opencc

    return opencc.OpenCC("s2t")


def chinese_vocabulary(corpus) -> set[str]:
    """The site's Han words: its questions' titles and answers split by the search dictionary."""
    import qa_link

    tokenizer = qa_link.shared_tokenizer()
    words = set()
    texts = [text for question in corpus.questions for text in (question.title, question.source_body)]
    texts += [term.term + " " + " ".join(term.match) for term in corpus.links.glossary]
    for text in texts:
        for run in HAN_RUN.findall(text):
            pieces = tokenizer.cut(run)
            # Runs of up to three words as well: Taiwan phrasing differs for some only as a whole
            # (分辨率 -> 解析度, split into 分辨 + 率).
            for start in range(len(pieces)):
                for end in range(start + 1, min(start + PHRASE_WORDS, len(pieces)) + 1):
                    phrase = "".join(pieces[start:end])
                    if len(phrase) <= PHRASE_CHARACTERS:
                        words.add(phrase)
    return words
