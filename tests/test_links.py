"""Related questions and the glossary: every answer reaches others in one click, every link lands."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

import fidelity
from conftest import run_build
from qa_link import MAX_RELATED, MIN_RELATED, Term, overlapping, pick_related, terms_in

MIN_GLOSSARY = 40


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site_pages(site: Path) -> dict[str, BeautifulSoup]:
    """Every built page by its URL path ('' for the home page, 'topics/x/' for a topic)."""
    return {str(p.parent.relative_to(site)).replace(".", "") + ("/" if p.parent != site else ""): soup_of(p)
            for p in site.rglob("index.html")}


def resolve(page_url: str, href: str) -> tuple[str, str]:
    """A link's target page path and anchor, relative to the site root."""
    absolute = urlparse(urljoin("http://site/" + page_url, href))
    return absolute.path.lstrip("/"), unquote(absolute.fragment)


def ids_of(soup: BeautifulSoup) -> set[str]:
    return {element["id"] for element in soup.find_all(id=True)}


def test_every_question_has_three_to_five_related_links_never_itself(site_build, corpus):
    pages = fidelity.topic_pages(site_build.site)
    for page in corpus.pages:
        for question in page.questions:
            heading = pages[page.spec.id].find("h2", id=question.anchor)
            block = heading.find_next(class_="qa-related")
            assert block.find_previous("h2") is heading, question.location
            targets = [resolve(f"topics/{page.spec.id}/", a["href"]) for a in block.find_all("a")]
            assert MIN_RELATED == 3 and MAX_RELATED == 5 and 3 <= len(targets) <= 5, question.location
            assert (f"topics/{page.spec.id}/", question.anchor) not in targets


def test_related_links_reach_across_pages_and_files(corpus):
    related = corpus.links.related
    crossing_pages = sum(1 for q in corpus.questions for r in related[q.anchor]
                         if corpus.page_of(r.question) is not corpus.page_of(q))
    crossing_files = sum(1 for q in corpus.questions for r in related[q.anchor] if r.question.source != q.source)
    total = sum(len(related[q.anchor]) for q in corpus.questions)
    print(f"\nrelated links: {total}; across pages: {crossing_pages}; across files: {crossing_files}")
    assert crossing_pages >= len(corpus.questions) // 2 and crossing_files > 0


def stand_ins(count: int) -> list:
    return [SimpleNamespace(anchor=f"q{index}") for index in range(count)]


# Scores of the other questions (index 0 is the question itself) and the page each one is on.
@pytest.mark.parametrize("scores, pages, chosen", [
    # Three to five best, later ones only if at least half as similar as the best.
    ([-1, .9, .8, .7, .6, .5, .4], "aaaaaaa", [1, 2, 3, 4, 5]),
    ([-1, .9, .8, .7, .3, .2], "aaaaaa", [1, 2, 3]),
    ([-1, .9, .8, .7, .6, .5, .45, .44], "aaaaaaaa", [1, 2, 3, 4, 5]),
    # All from the question's own page: the best one from another page takes the last place.
    ([-1, .9, .8, .7, .6, .5, .1], "aaaaaab", [1, 2, 3, 4, 6]),
    ([-1, .9, .8, .7, .2, .1], "aaaaab", [1, 2, 3, 5]),
    # Nothing elsewhere is similar at all: no link from another page is forced.
    ([-1, .9, .8, .7, 0.0], "aaaab", [1, 2, 3]),
])
def test_pick_related(scores, pages, chosen):
    questions = stand_ins(len(scores))
    page_of = {question.anchor: page for question, page in zip(questions, pages)}
    assert pick_related(0, questions, scores, page_of) == chosen


def test_near_copy_answers_are_linked_and_marked(corpus):
    uvit = [q for q in corpus.questions if q.title.startswith("请介绍一下U-ViT")
            or q.title.startswith("U-ViT模型在视频生成中的时间依赖性")]
    assert len(uvit) == 2 and overlapping(*uvit)
    first, second = uvit
    marks = {r.question.anchor: r.overlapping for r in corpus.links.related[first.anchor]}
    assert marks.get(second.anchor) is True
    marks = {r.question.anchor: r.overlapping for r in corpus.links.related[second.anchor]}
    assert marks.get(first.anchor) is True


def test_every_link_on_topic_and_glossary_pages_resolves(site_build):
    pages = site_pages(site_build.site)
    checked = 0
    for url, soup in pages.items():
        if not (url.startswith("topics/") or url == ""):
            continue
        for link in soup.select("article a[href]"):
            href = link["href"]
            if urlparse(href).scheme or href.startswith(("mailto:", "#__")):
                continue
            target, anchor = resolve(url, href)
            if Path(target).suffix:  # a figure the lightbox opens
                assert (site_build.site / unquote(target)).is_file(), f"{url}: {href}"
                continue
            assert target in pages, f"{url}: {href}"
            if anchor:
                assert anchor in ids_of(pages[target]), f"{url}: {href}"
                checked += 1
    assert checked > 500


def test_glossary_has_forty_terms_with_definitions_and_uses(site_build, corpus):
    glossary = soup_of(site_build.site / "topics" / "glossary" / "index.html")
    entries = glossary.select("article h2[id]")
    assert len(entries) == len(corpus.links.glossary) >= MIN_GLOSSARY
    for entry in entries:
        definition = entry.find_next("p")
        assert definition.get_text(strip=True).endswith("。"), entry["id"]
    used = [term for term in corpus.links.glossary
            if any(term in corpus.links.terms[q.anchor] for q in corpus.questions)]
    assert len(used) >= MIN_GLOSSARY
    for term in used:
        uses = glossary.find("h2", id=term.id).find_next(class_="qa-term-uses")
        expected = sum(1 for q in corpus.questions if term in corpus.links.terms[q.anchor])
        assert len(uses.find_all("a")) == expected, term.id


def test_term_links_mark_first_mentions_only_and_never_headings(site_build, corpus):
    pages = fidelity.topic_pages(site_build.site)
    glossary_ids = {term.id for term in corpus.links.glossary}
    total = 0
    for page_id, soup in pages.items():
        links = soup.select("article a.qa-term")
        targets = [resolve(f"topics/{page_id}/", a["href"]) for a in links]
        assert len(targets) == len(set(targets)), page_id
        assert all(path == "topics/glossary/" and anchor in glossary_ids for path, anchor in targets)
        assert not soup.select("article h1 a.qa-term, article h2 a.qa-term, article h3 a.qa-term, code a.qa-term")
        assert all(a.get("title") for a in links)
        total += len(links)
    assert total >= MIN_GLOSSARY


@pytest.mark.parametrize("text, found", [
    ("U-ViT模型的特点", ["u-vit"]),
    ("ViT和CLIP", ["vit", "clip"]),
    ("VQ-VAE编码器", []),
    ("基于光流的编辑", ["optical-flow"]),
    ("GANs are", []),
])
def test_term_matching(text, found):
    glossary = [Term("u-vit", "U-ViT", "U-ViT", ("U-ViT",), "d。"), Term("vit", "ViT", "ViT", ("ViT",), "d。"),
                Term("clip", "CLIP", "CLIP", ("CLIP",), "d。"), Term("vae", "VAE", "VAE", ("VAE",), "d。"),
                Term("optical-flow", "光流", "optical flow", ("光流",), "d。"),
                Term("gan", "GAN", "GAN", ("GAN",), "d。")]
    assert [t.id for t in terms_in(text, glossary)] == found


@pytest.mark.parametrize("start", ["", "topics/glossary/", "topics/video-editing/", "topics/datasets-generation/"])
def test_any_question_within_three_clicks(site_build, corpus, start):
    pages = site_pages(site_build.site)
    targets = {(f"topics/{corpus.page_of(q).spec.id}/", q.anchor) for q in corpus.questions}
    seen = {(start, ""): 0}
    queue = deque([(start, "")])
    while queue:
        node = queue.popleft()
        depth = seen[node]
        if depth == 3:
            continue
        page = pages.get(node[0])
        if page is None:
            continue
        for link in page.select("a[href]"):
            href = link["href"]
            if urlparse(href).scheme:
                continue
            target = resolve(node[0], href)
            if target[0] in pages and target not in seen:
                seen[target] = depth + 1
                queue.append(target)
    unreached = targets - set(seen)
    assert not unreached


def test_every_question_has_a_permalink(site_build, corpus):
    pages = fidelity.topic_pages(site_build.site)
    for page in corpus.pages:
        for question in page.questions:
            heading = pages[page.spec.id].find("h2", id=question.anchor)
            assert heading.select_one(f'a.headerlink[href="#{question.anchor}"]') is not None


def test_relatedness_is_stable_across_two_builds(site_build, tmp_path):
    again = run_build(Path(__file__).resolve().parent.parent, tmp_path / "site")
    assert again.returncode == 0
    for page_id in fidelity.topic_pages(site_build.site):
        first = [str(b) for b in soup_of(site_build.site / "topics" / page_id / "index.html").select(".qa-related")]
        second = [str(b) for b in soup_of(again.site / "topics" / page_id / "index.html").select(".qa-related")]
        assert first == second, page_id


def test_glossary_edit_link_points_at_its_data_file(site_build):
    glossary = soup_of(site_build.site / "topics" / "glossary" / "index.html")
    assert glossary.select_one("a.md-content__button")["href"].endswith("docs/data/glossary.yml")
    report = soup_of(site_build.site / "topics" / "content-report" / "index.html")
    assert report.select_one("a.md-content__button") is None


@pytest.mark.parametrize("term, en, shown", [
    ("FVD", "Fréchet Video Distance", "Fréchet Video Distance (FVD)"),
    ("SVD（Stable Video Diffusion）", "Stable Video Diffusion", "Stable Video Diffusion (SVD)"),
    ("帧率（FPS）", "frame rate", "frame rate (FPS)"),
    ("LayerNorm", "layer normalization", "layer normalization (LayerNorm)"),
    ("U-Net", "U-Net", "U-Net"),
    ("InfoNCE", "InfoNCE loss", "InfoNCE loss"),
    ("Triplet Loss（三元组损失）", "triplet loss", "triplet loss"),
    ("光流", "optical flow", "optical flow"),
])
def test_english_glossary_names_carry_the_abbreviation(term, en, shown):
    assert Term("x", term, en, (), "").english_name == shown


def test_english_glossary_headings_let_search_find_abbreviations(site_build):
    soup = BeautifulSoup((site_build.site / "en/topics/glossary/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    headings = [h2.get_text().rstrip("¶") for h2 in soup.select("article h2")]
    for abbreviation in ("FVD", "LoRA", "DiT", "GAN", "CLIP"):
        assert any(f"({abbreviation})" in heading for heading in headings), abbreviation
