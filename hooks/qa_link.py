"""Link step: glossary terms found in each answer, and related questions computed from the content."""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from functools import cached_property, lru_cache
from dataclasses import dataclass, field


from qa_blocks import code_lines
from qa_model import GLOSSARY_LEFT, Change, Question, SourceError
from qa_schema import TEXT, parse_data
from qa_normalize import body_key

GLOSSARY_NAME = "glossary.yml"
# Question words carry no topic: they would make every "请介绍下…" question look alike.
STOPWORDS = set("""
什么 哪些 如何 怎么 怎样 为什么 为何 是否 请 介绍 介绍一下 一下 简要 简述 解释 说明 讲一讲 说一下 概括性 总结
主要 具体 以及 进行 可以 通过 使用 采用 实现 其中 这些 那些 它们 我们 一个 一种 以下 如下 包括 包含 方面 方法
问题 作用 特点 优势 区别 应用 场景 有效 能够 用于 基于 之间 相比 不同 相关 常见 常用 主流 当前 目前 分别
the and of to in for with on by is are
""".split())
MIN_RELATED, MAX_RELATED = 3, 5
# Later picks must be at least this share of the best one's similarity to be worth a click.
RELATED_RELATIVE_FLOOR = 0.5
# Answers sharing this much of the shorter one's text are near-copies, linked and marked.
OVERLAP_SHARE = 0.6
# Only runs of this many shared characters count: short ones are chance (common words).
OVERLAP_MIN_RUN = 6
TITLE_WEIGHT = 3
TERM_WEIGHT = 2.0


@dataclass(frozen=True)
class Term:
    """A glossary entry: anchor id, shown name, English name, spellings in answers, definition,
    the question that defines it (its anchor) and the entry's line in glossary.yml."""

    id: str
    term: str
    en: str
    match: tuple[str, ...]
    definition: str
    question: str = ""
    line: int = 0

    @property
    def english_name(self) -> str:
        """The English name with the abbreviation readers search for: 'Fréchet Video Distance (FVD)'."""
        latin = re.search(r"[A-Za-z][A-Za-z0-9-]*(?: [A-Za-z][A-Za-z0-9-]*)*", self.term)
        if latin is None or latin.group(0).lower() in self.en.lower():
            return self.en
        return f"{self.en} ({latin.group(0)})"

    def english_term(self) -> Term:
        """The same entry matched by its Latin spellings and English name, for English text."""
        spellings = tuple(m for m in self.match if re.search(r"[A-Za-z]", m)) + (self.en,)
        return Term(self.id, self.term, self.en, tuple(dict.fromkeys(spellings)), self.definition,
                    self.question, self.line)

    @cached_property
    def pattern(self) -> re.Pattern:
        """Latin spellings match whole words (a hyphen binds: ViT is not found in U-ViT); Han ones anywhere."""
        parts = []
        for spelling in sorted(self.match, key=len, reverse=True):
            escaped = re.escape(spelling)
            if re.search(r"[A-Za-z0-9]", spelling):
                escaped = rf"(?<![A-Za-z0-9\-]){escaped}(?![A-Za-z0-9\-])"
            parts.append(escaped)
        return re.compile("|".join(parts))


@dataclass
class Related:
    """A related question, how similar it is, and whether the two answers overlap heavily."""

    question: Question
    score: float
    overlapping: bool


@dataclass
class Links:
    """Everything the link step found: terms and related questions, by question anchor."""

    glossary: list[Term]
    terms: dict[str, list[Term]] = field(default_factory=dict)
    related: dict[str, list[Related]] = field(default_factory=dict)


GLOSSARY_SHAPE = [{"id": TEXT, "term": TEXT, "en": TEXT, "match": [TEXT], "definition": TEXT, "question": TEXT}]


def parse_glossary(text: str) -> list[Term]:
    """Read glossary.yml against its shape; ids unique."""
    terms, seen = [], set()
    for index, entry in enumerate(parse_data(text, GLOSSARY_NAME, GLOSSARY_SHAPE), 1):
        if entry["id"] in seen:
            raise SourceError(GLOSSARY_NAME, entry.line, f"[{index}].id: '{entry['id']}' is used twice")
        seen.add(entry["id"])
        terms.append(Term(entry["id"], entry["term"], entry["en"], tuple(entry["match"]),
                          entry["definition"].strip(), entry["question"], entry.line))
    return terms


def check_defining_questions(glossary: list[Term], anchors: set[str]) -> list[Change]:
    """Report each term whose defining question is not on the site (upstream removed or renamed it):
    the term keeps its glossary entry, and its names are searched as ordinary words."""
    return [Change(GLOSSARY_LEFT, f"data/{GLOSSARY_NAME}", term.line,
                   f"term '{term.id}': its defining question '{term.question}' is not on the site; "
                   f"set 'question' to the anchor of the question that now defines it")
            for term in glossary if term.question not in anchors]


def plain_text(markdown: str) -> str:
    """Answer text without Markdown syntax, HTML tags, link targets, code or formulas."""
    code = code_lines(markdown)  # code blocks as GitHub reads them (qa_blocks), not by a regex
    text = "\n".join(line for index, line in enumerate(markdown.split("\n")) if index not in code)
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", " ", text, flags=re.S)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"[*_`#>|]", " ", text)


def terms_in(text: str, glossary: list[Term]) -> list[Term]:
    """The glossary terms a text uses, in glossary order."""
    return [term for term in glossary if term.pattern.search(text)]


class TextTokenizer:
    """Words of a text for similarity: a private jieba tokenizer on the search step's short-word list.

    The search step changes the dictionary of jieba's shared tokenizer per edition; a private
    one keeps relatedness independent of that, and the short-word list loads from jieba's cache
    in a fraction of the time of the full dictionary.
    """

    def __init__(self) -> None:
        import jieba

        import qa_search

        self._tokenizer = jieba.Tokenizer(str(qa_search.search_dictionary(jieba)))
        self.words = lru_cache(maxsize=8192)(self._words)  # serve rebuilds re-link unchanged answers

    def cut(self, text: str) -> list[str]:
        """Every word of a text as the short-word list splits it, punctuation included."""
        return self._tokenizer.lcut(text)

    def _words(self, text: str) -> tuple[str, ...]:
        words = []
        for word in self._tokenizer.lcut(text.lower()):
            word = word.strip()
            if len(word) < 2 or word in STOPWORDS or not any(ch.isalnum() for ch in word):
                continue
            words.append(word)
        return tuple(words)


@lru_cache(maxsize=1)
def shared_tokenizer() -> TextTokenizer:
    """One tokenizer per process: loading jieba's dictionary is the slow part."""
    return TextTokenizer()


def vectors(questions: list[Question], term_lists: list[list[Term]], tokenizer: TextTokenizer) -> list[dict]:
    """TF-IDF vectors over title (weighted), answer words and shared glossary terms, unit length."""
    counts = []
    for question, terms in zip(questions, term_lists):
        words = Counter(tokenizer.words(plain_text(question.source_body)))
        for word in tokenizer.words(question.title):
            words[word] += TITLE_WEIGHT
        for term in terms:
            words[f"term:{term.id}"] += TERM_WEIGHT
        counts.append(words)
    documents = Counter(word for words in counts for word in words)
    total = len(counts)
    result = []
    for words in counts:
        vector = {w: (1 + math.log(c)) * math.log((1 + total) / (1 + documents[w])) for w, c in words.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        result.append({w: v / norm for w, v in vector.items()})
    return result


@lru_cache(maxsize=8192)
def character_counts(text: str) -> Counter:
    return Counter(text)


def overlapping(a: Question, b: Question) -> bool:
    """Near-copies: most of the shorter answer's text reappears in the longer one."""
    first, second = sorted((body_key(a.source_body), body_key(b.source_body)), key=len)
    if not first:
        return False
    # Upper bound first: the characters the two share at all, counted with repeats.
    if sum((character_counts(first) & character_counts(second)).values()) < OVERLAP_SHARE * len(first):
        return False
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    shared = sum(block.size for block in matcher.get_matching_blocks() if block.size >= OVERLAP_MIN_RUN)
    return shared / len(first) >= OVERLAP_SHARE


def pick_related(index: int, questions: list[Question], scores: list[float],
                 page_of: dict[str, str]) -> list[int]:
    """3–5 most similar other questions, best first; at least one from another page when any is similar."""
    order = sorted((i for i in range(len(questions)) if i != index), key=lambda i: (-scores[i], i))
    best = scores[order[0]] if order else 0.0
    chosen = order[:MIN_RELATED]
    for candidate in order[MIN_RELATED:MAX_RELATED]:
        if scores[candidate] >= best * RELATED_RELATIVE_FLOOR:
            chosen.append(candidate)
    if all(page_of[questions[i].anchor] == page_of[questions[index].anchor] for i in chosen):
        elsewhere = next((i for i in order if page_of[questions[i].anchor] != page_of[questions[index].anchor]
                          and scores[i] > 0), None)
        if elsewhere is not None:
            chosen = chosen[:-1] + [elsewhere] if len(chosen) >= MAX_RELATED else chosen + [elsewhere]
    return chosen


def link_questions(questions: list[Question], page_of: dict[str, str], glossary: list[Term]) -> Links:
    """Find each question's glossary terms and its related questions (deterministic)."""
    links = Links(glossary)
    term_lists = [terms_in(q.title + "\n" + plain_text(q.source_body), glossary) for q in questions]
    vecs = vectors(questions, term_lists, shared_tokenizer())
    postings: dict[str, list[tuple[int, float]]] = {}
    for position, vector in enumerate(vecs):
        for word, weight in vector.items():
            postings.setdefault(word, []).append((position, weight))
    for index, question in enumerate(questions):
        links.terms[question.anchor] = term_lists[index]
        # Cosine through the inverted index: only questions sharing a word are visited.
        scores = [0.0] * len(questions)
        for word, weight in vecs[index].items():
            for position, other in postings[word]:
                scores[position] += weight * other
        scores[index] = -1.0
        chosen = pick_related(index, questions, scores, page_of)
        copies = [i for i in range(len(questions))
                  if i != index and scores[i] > 0.3 and overlapping(question, questions[i])]
        for copy in copies:
            if copy not in chosen:
                chosen = [copy] + chosen[:MAX_RELATED - 1]
        links.related[question.anchor] = [
            Related(questions[i], round(scores[i], 4), i in copies)
            for i in sorted(chosen, key=lambda i: (i not in copies, -scores[i], i))]
    return links
