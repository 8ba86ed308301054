"""Figures and page assets: every image is this project's drawing and loads, nothing comes from a third party."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"
SOURCE_FIGURES = re.compile(r'(?:\]\(|src=")(?:\./)?imgs/([^)"\s]+)\.(?:png|jpg|jpeg)')


def built_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def drawings() -> list[Path]:
    return sorted((ROOT / "imgs").glob("*.svg"))


@pytest.mark.parametrize("path", drawings(), ids=lambda p: p.name)
def test_each_svg_parses_with_title_and_size(path):
    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}title").text.strip()
    assert re.fullmatch(r"\d+", root.get("width", "")) and re.fullmatch(r"\d+", root.get("height", ""))
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<(image|script|foreignObject)\b|https?://(?!www\.w3\.org)", text), \
        "figures must be self-contained drawings"
    assert root.findall(f".//{SVG}text"), "labels are real text"


def test_every_figure_the_sources_reference_is_drawn_or_written_as_tex():
    import yaml

    formulas = set(yaml.safe_load((ROOT / "imgs" / "formulas.yml").read_text(encoding="utf-8")))
    drawn = {p.stem for p in drawings()}
    referenced = set()
    for source in (ROOT / "docs" / "sources").glob("*.md"):
        referenced |= set(SOURCE_FIGURES.findall(source.read_text(encoding="utf-8")))
    assert referenced
    assert referenced - formulas <= drawn
    assert formulas <= referenced


def test_every_img_in_the_site_resolves_to_a_valid_image(site_build):
    checked = 0
    for page in built_pages(site_build.site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for img in soup.select("img[src]"):
            if img["src"].startswith("data:"):
                continue
            target = (page.parent / unquote(urlparse(img["src"]).path)).resolve()
            assert target.is_file(), f"{page}: {img['src']}"
            if target.suffix == ".svg":
                ElementTree.parse(target)
            checked += 1
            if img.find_parent("article"):
                assert img.get("width") and img.get("height") and img.get("loading") == "lazy", str(img)
                assert img.get("alt"), str(img)
    assert checked >= len(drawings())


def test_no_page_references_a_third_party_asset(site_build):
    for page in built_pages(site_build.site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in soup.find_all(tag):
                url = element.get(attr)
                if not url or (tag == "link" and element.get("rel") in (["canonical"], ["alternate"])):
                    continue
                assert not urlparse(url).netloc, f"{page}: {tag} {url}"
        assert "fonts.googleapis" not in page.read_text(encoding="utf-8")


def figure_page(corpus) -> str:
    return next(p.spec.id for p in corpus.pages if any("imgs/" in q.body for q in p.questions))


@pytest.mark.parametrize("width, scheme", [(1280, "light"), (390, "dark")])
def test_pages_load_figures_and_math_with_no_third_party_request(browser, served_site, corpus, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    foreign, failed = [], []
    tab.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None) else None)
    tab.on("requestfailed", lambda r: failed.append(r.url))
    math_page = next(p.spec.id for p in corpus.pages if any("$" in q.source_body for q in p.questions))
    for path in ("", f"topics/{figure_page(corpus)}/", f"topics/{math_page}/"):
        tab.goto(urljoin(served_site, path), wait_until="networkidle")
        for image in tab.locator("article img").all():
            image.scroll_into_view_if_needed()
            # Lazy images start loading once scrolled into view.
            tab.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(),
                                  timeout=5000)
    assert tab.locator("article math").count() > 0
    visible = tab.locator("article").inner_text()
    assert "$" not in visible and "\\(" not in visible
    assert foreign == [] and failed == []
    context.close()


def test_figure_opens_in_the_lightbox_with_its_caption(browser, served_site, corpus):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(urljoin(served_site, f"topics/{figure_page(corpus)}/"), wait_until="networkidle")
    link = tab.locator("article figure a.glightbox").first
    caption = link.get_attribute("data-title")
    link.scroll_into_view_if_needed()
    link.click()
    tab.wait_for_selector(".glightbox-container .gslide-image img", state="visible", timeout=5000)
    assert caption and caption in tab.locator(".glightbox-container .gslide-description").first.inner_text()
    context.close()


@pytest.mark.parametrize("body, kinds, placeholders", [
    ("如图：\n\n![甲](./imgs/ch01/甲.png)\n", 1, 1),
    ('<div align="center">\n  <img src="./imgs/ch01/乙.png" alt="乙" />\n  <p>图1 乙</p>\n</div>\n', 1, 1),
    ('如图 <img src="./imgs/ch01/丙.png"> 所示。\n', 1, 0),  # inside a line: a warning, it cannot be drawn
    ("```\n![甲](./imgs/ch01/甲.png)\n```\n", 0, 0),  # code is code
])
def test_every_figure_without_a_drawing_is_a_warning_with_its_line(body, kinds, placeholders):
    from qa_pipeline import Figures, convert_body
    text, changes = convert_body(body, "new.md", 10, Figures({}, {}), missing_text="此图尚未绘制")
    warnings = [c for c in changes if c.is_warning]
    assert len(warnings) == kinds and all(c.kind == "figure-missing" and c.line >= 10 for c in warnings)
    assert text.count("qa-figure-placeholder") == placeholders
