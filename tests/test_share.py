"""Sharing one question and reading it on a phone: short links, the share button, page descriptions,
English drawings, the opened figure, per-edition 404 pages, the content report's place, print."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, serve
from qa_figures import english_drawing
from qa_record import RECORD_PATH, parse_record
from qa_short_links import description, short_id
from test_publish import PagesHandler, REPO_PATH

EDITIONS = {"": "zh", "en/": "en", "zh-TW/": "zh-TW"}
HAN = re.compile(r"[\u3400-\u9fff]")


# --- unit -----------------------------------------------------------------------------------------

def test_short_ids_are_short_stable_and_plain():
    assert short_id("什么是dit模型") == short_id("什么是dit模型")
    assert re.fullmatch(r"[a-z2-7]{6}", short_id("什么是dit模型"))
    assert short_id("a") != short_id("b")


@pytest.mark.parametrize("markdown, expected", [
    ("**优点**：\n- 计算效率高\n- 质量好", "优点：计算效率高 质量好"),
    ("Short answer.", "Short answer."),
    ("abcdef " * 40, ("abcdef " * 17).strip() + "…"),  # not cut inside a word
    ("扩" * 130, "扩" * 120 + "…"),
    ("See $x_t$ and [the paper](https://example.com).", "See and the paper."),
])
def test_description_is_plain_and_cut_cleanly(markdown, expected):
    assert description(markdown) == expected


def test_english_drawing_replaces_every_chinese_text():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><title>示意图</title><text x="1"> 编码器 </text>'
           '<text>Encoder</text><text>t = T：N(0, I)</text><text>前<tspan>中</tspan>后</text></svg>').encode()
    copy, missing = english_drawing(svg, {"示意图": "Diagram", "编码器": "Encoder", "前": "before", "中": "mid"})
    text = copy.decode()
    assert "<title>Diagram</title>" in text and "> Encoder </text>" in text and "t = T: N(0, I)" in text
    assert missing == ["后"]
    assert 'lang="en"' in text


# --- build ----------------------------------------------------------------------------------------

def short_pages(site_build, corpus, prefix: str):
    for anchor, sid in corpus.short_ids.items():
        path = site_build.site / prefix / "q" / sid / "index.html"
        yield anchor, sid, path


@pytest.mark.parametrize("prefix", list(EDITIONS))
def test_every_question_has_a_short_link_page_with_preview_tags(site_build, corpus, prefix):
    edition = corpus.editions[EDITIONS[prefix]]
    by_anchor = {q.anchor: q for q in corpus.questions}
    sizes = []
    for anchor, sid, path in short_pages(site_build, corpus, prefix):
        data = path.read_bytes()
        sizes.append(len(data))
        soup = BeautifulSoup(data.decode("utf-8"), "html.parser")
        meta = {tag.get("property") or tag.get("name"): tag.get("content") for tag in soup.find_all("meta")}
        title = edition.convert_page(edition.title(by_anchor[anchor]))
        assert meta["og:title"] == title and meta["twitter:title"] == title
        assert meta["og:description"] and meta["og:description"] == meta["description"]
        assert meta["twitter:card"] == "summary" and meta["og:url"].endswith(f"/{prefix}q/{sid}/")
        canonical = soup.find("link", rel="canonical")["href"]
        assert unquote(canonical).endswith(f"/{prefix}topics/{corpus.page_of(by_anchor[anchor]).spec.id}/#{anchor}")
        # The no-script way on: the refresh target is the question on its topic page.
        target = meta[None] if None in meta else soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
        target = target.split("url=", 1)[1]
        page_url = urljoin(f"https://x/{prefix}q/{sid}/", target)
        page_file = site_build.site / urlparse(page_url).path.lstrip("/") / "index.html"
        assert anchor in {e.get("id") for e in BeautifulSoup(page_file.read_text("utf-8"), "html.parser").find_all("h2")}
        if prefix == "en/":
            assert not HAN.search(meta["og:title"]) and not HAN.search(meta["og:site_name"])
        else:  # the edition's own site name, not the one the last edition's build left in the config
            assert meta["og:site_name"] == edition.convert_page("AI 视频面试题库")
    print(f"\nshort link pages {prefix or 'zh/'}: {len(sizes)}, largest {max(sizes)} bytes")
    assert max(sizes) <= 4096


def test_short_link_pages_stay_out_of_the_sitemap_and_search(site_build):
    sitemap = (site_build.site / "sitemap.xml").read_text("utf-8")
    assert "/q/" not in sitemap and "content-report" not in sitemap
    assert "<loc>" in sitemap


def test_every_question_has_a_recorded_short_id(corpus):
    """data/questions.yml holds the id of each question on the site: a maintainer who adds sources
    runs `python hooks/qa_output.py record` (the build warns about the ones missing)."""
    recorded = {entry.id for entry in parse_record((ROOT / "docs" / RECORD_PATH).read_bytes())}
    assert set(corpus.short_ids.values()) <= recorded
    assert not corpus.removed


@pytest.mark.parametrize("prefix", list(EDITIONS))
def test_topic_pages_describe_themselves(site_build, corpus, prefix):
    descriptions = set()
    for page in corpus.pages:
        soup = BeautifulSoup((site_build.site / prefix / "topics" / page.spec.id / "index.html").read_text("utf-8"),
                             "html.parser")
        text = soup.find("meta", attrs={"name": "description"})["content"]
        assert len(text) >= 10
        descriptions.add(text)
    assert len(descriptions) == len(corpus.pages)


@pytest.mark.parametrize("prefix", list(EDITIONS))
def test_content_report_is_for_maintainers_only(site_build, prefix):
    soup = BeautifulSoup((site_build.site / prefix / "topics" / "introduction" / "index.html").read_text("utf-8"),
                         "html.parser")
    assert not [a for a in soup.select("a") if "content-report" in a.get("href", "")]
    assert (site_build.site / prefix / "topics" / "content-report" / "index.html").exists()


@pytest.mark.parametrize("prefix", list(EDITIONS))
def test_edit_links_lead_where_a_fix_belongs(site_build, corpus, prefix):
    english = corpus.editions["en"].english
    for page in corpus.pages:
        soup = BeautifulSoup((site_build.site / prefix / "topics" / page.spec.id / "index.html").read_text("utf-8"),
                             "html.parser")
        edit = unquote(soup.select_one("a.md-content__button[href*='/edit/']")["href"])
        files = [english.questions[q.anchor].file for q in page.questions if q.anchor in english.questions]
        if prefix == "en/" and files:
            assert edit.endswith(f"/docs/data/en/{max(set(files), key=files.count)}")
        else:
            assert edit.startswith("https://github.com/WeThinkIn/AIGC-Interview-Book/edit/")
            assert edit == corpus.upstream[page.sources[0]].replace("/blob/", "/edit/")


def test_english_pages_show_english_drawings(site_build, corpus):
    html = "".join((site_build.site / "en" / "topics" / p.spec.id / "index.html").read_text("utf-8") for p in corpus.pages)
    sources = set(re.findall(r'<img[^>]* src="([^"]+\.svg)"', html))
    assert sources and all("/imgs/en/" in source for source in sources)
    for name in corpus.english_drawings:
        drawing = (site_build.site / "imgs" / "en" / name).read_text("utf-8")
        assert not HAN.search(drawing.split("</style>")[-1]), name  # font names in the style may be Chinese
    assert not [c for c in corpus.changes if c.kind == "figure"]


# --- browser --------------------------------------------------------------------------------------

def phone(browser, **options):
    return browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, **options)


def dit_question(corpus):
    question = next(q for q in corpus.questions if q.title.startswith("什么DiT"))
    return question, corpus.page_of(question).spec.id


@pytest.mark.parametrize("prefix", list(EDITIONS))
def test_share_button_copies_a_short_link_that_lands_on_the_question(browser, served_site, corpus, prefix):
    question, page_id = dit_question(corpus)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.goto(f"{served_site}{prefix}topics/{page_id}/", wait_until="networkidle")
    heading = tab.locator(f"h2[id='{question.anchor}']")
    button = heading.locator("button.qa-share")
    button.focus()
    tab.keyboard.press("Enter")  # keyboard works as well as a click
    tab.wait_for_timeout(200)
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert copied == f"{served_site}{prefix}q/{corpus.short_ids[question.anchor]}/"
    status = tab.locator(".qa-toast[role=status]")
    assert copied in status.inner_text()
    tab.goto(copied, wait_until="networkidle")
    assert unquote(urlparse(tab.url).fragment) == question.anchor
    assert urlparse(tab.url).path == f"/{prefix}topics/{page_id}/"
    top = tab.evaluate(f"document.getElementById({question.anchor!r}).getBoundingClientRect().top")
    assert 0 <= top < 200
    context.close()


def test_share_button_is_visible_and_usable_by_touch(browser, served_site, corpus):
    question, page_id = dit_question(corpus)
    context = phone(browser)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.goto(f"{served_site}topics/{page_id}/", wait_until="networkidle")
    button = tab.locator(f"h2[id='{question.anchor}'] button.qa-share")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box["width"] >= 40 and box["height"] >= 40  # a finger-sized target
    assert button.evaluate("b => getComputedStyle(b).opacity") == "1"
    assert button.get_attribute("aria-label").startswith("分享这道题")
    has_share_sheet = tab.evaluate("!!navigator.share")
    button.tap()
    tab.wait_for_timeout(200)
    if not has_share_sheet:  # Chromium on Linux has none: the link is copied instead
        assert tab.evaluate("navigator.clipboard.readText()").endswith(f"/q/{corpus.short_ids[question.anchor]}/")
    context.close()


def test_short_link_lands_without_javascript(browser, served_site, corpus):
    question, page_id = dit_question(corpus)
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{served_site}en/q/{corpus.short_ids[question.anchor]}/")
    tab.wait_for_url(re.compile(r"/en/topics/"), timeout=5000)
    assert urlparse(tab.url).path == f"/en/topics/{page_id}/"
    assert unquote(urlparse(tab.url).fragment) == question.anchor
    context.close()


def open_figure(tab, served_site, prefix):
    tab.goto(f"{served_site}{prefix}topics/video-understanding/", wait_until="networkidle")
    tab.evaluate("scrollTo(0, 0)")
    link = tab.locator("a.glightbox").first
    link.scroll_into_view_if_needed()
    before = tab.evaluate("scrollY")
    link.tap() if tab.context.pages and tab.evaluate("matchMedia('(pointer: coarse)').matches") else link.click()
    image = tab.locator(".gslide.current img")
    image.wait_for(state="visible")
    tab.wait_for_timeout(600)
    return link, image, before


def pinch(tab, x, y, start, end):
    """Two fingers moving apart (end > start) or together, through Chromium's touch input."""
    session = tab.context.new_cdp_session(tab)

    def points(gap):
        return [{"x": x - gap / 2, "y": y, "id": 0}, {"x": x + gap / 2, "y": y, "id": 1}]
    session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(start)})
    for step in range(1, 6):
        session.send("Input.dispatchTouchEvent",
                     {"type": "touchMove", "touchPoints": points(start + (end - start) * step / 5)})
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.mark.parametrize("prefix", list(EDITIONS))
def test_an_opened_figure_fits_then_zooms_to_its_own_size_on_a_phone(browser, served_site, prefix):
    context = phone(browser)
    tab = context.new_page()
    link, image, _ = open_figure(tab, served_site, prefix)
    folder = {"": "imgs/", "en/": "imgs/en/", "zh-TW/": "imgs/zh-TW/"}[prefix]
    assert re.search(rf"/{folder}[^/]+\.svg$", unquote(image.get_attribute("src")))
    shown, natural = image.evaluate("i => [i.getBoundingClientRect().width, i.naturalWidth]")
    assert shown <= 390 and shown < natural  # fitted to the width: the whole drawing at a glance
    frame = tab.locator(".gslide.current .gslide-image")
    box = image.bounding_box()
    tab.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.wait_for_timeout(300)
    shown = image.evaluate("i => i.getBoundingClientRect().width")
    assert shown == pytest.approx(natural, abs=1)  # its own size: labels as drawn (13 px and up)
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")  # the rest is reached by panning
    assert tab.locator(".qa-pan").inner_text().strip()  # and the reader is told so
    tab.wait_for_timeout(600)
    assert frame.evaluate("f => f.scrollLeft") > 0  # the drawing was nudged to show it moves
    tab.touchscreen.tap(box["x"] + 50, box["y"] + 20)
    tab.touchscreen.tap(box["x"] + 50, box["y"] + 20)
    tab.wait_for_timeout(300)
    assert image.evaluate("i => i.getBoundingClientRect().width") <= 390  # a second double tap fits it again
    box = image.bounding_box()
    pinch(tab, 195, box["y"] + box["height"] / 2, 60, 200)
    tab.wait_for_timeout(300)
    assert image.evaluate("i => i.getBoundingClientRect().width") == pytest.approx(natural, abs=1)
    pinch(tab, 195, 400, 200, 60)
    tab.wait_for_timeout(300)
    assert image.evaluate("i => i.getBoundingClientRect().width") <= 390
    context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_back_closes_an_opened_figure_and_focus_returns(browser, served_site, size):
    context = phone(browser) if size == "phone" else browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{served_site}topics/video-understanding/", wait_until="networkidle")
    link = tab.locator("a.glightbox").first
    link.scroll_into_view_if_needed()
    address, before = tab.url, tab.evaluate("scrollY")
    link.focus()
    tab.keyboard.press("Enter")
    tab.locator(".gslide.current img").wait_for(state="visible")
    tab.wait_for_timeout(400)
    assert tab.evaluate("document.activeElement.closest('.glightbox-container') !== null")  # focus moved in
    tab.go_back()
    tab.locator(".glightbox-container").wait_for(state="detached")
    assert tab.url == address  # the reader is still on the page
    assert abs(tab.evaluate("scrollY") - before) < 5  # where they were
    assert tab.evaluate("document.activeElement.classList.contains('glightbox')")  # back on the figure
    # Closing it with its own button leaves no extra history entry: Back then leaves the page as usual.
    tab.keyboard.press("Enter")
    tab.locator(".gslide.current img").wait_for(state="visible")
    tab.wait_for_timeout(400)
    tab.keyboard.press("Escape")
    tab.locator(".glightbox-container").wait_for(state="detached")
    assert tab.evaluate("history.length") == 2 or tab.evaluate("history.state") is None
    context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_drawings_do_not_glare_in_the_dark_scheme(browser, served_site, size):
    context = phone(browser) if size == "phone" else browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{served_site}topics/video-understanding/", wait_until="networkidle")
    image = tab.locator("figure.qa-figure img").first
    assert image.evaluate("i => getComputedStyle(i).filter") == "none"
    tab.locator("label[for='__palette_1']").click()  # the site's own palette toggle, not the system setting
    tab.wait_for_timeout(200)
    assert tab.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert "invert" in image.evaluate("i => getComputedStyle(i).filter")
    context.close()


def test_traditional_pages_show_traditional_drawings(site_build, corpus):
    import opencc

    to_traditional = opencc.OpenCC("s2t").convert
    html = "".join((site_build.site / "zh-TW" / "topics" / p.spec.id / "index.html").read_text("utf-8")
                   for p in corpus.pages)
    sources = set(re.findall(r'<img[^>]* src="([^"]+\.svg)"', html))
    assert sources and all("/imgs/zh-TW/" in source for source in sources)
    for name in corpus.traditional_drawings:
        drawing = (site_build.site / "imgs" / "zh-TW" / name).read_text("utf-8").split("</style>")[-1]
        texts = "".join(re.findall(r">([^<]+)<", drawing))
        simplified_only = {c for c in HAN.findall(texts) if to_traditional(c) != c}
        assert not simplified_only, (name, sorted(simplified_only)[:10])
        assert HAN.search(texts), name


def test_a_wide_formula_shows_that_it_scrolls(browser, served_site):
    context = phone(browser)
    tab = context.new_page()
    tab.goto(f"{served_site}topics/video-understanding/", wait_until="networkidle")
    wide = tab.evaluate("""[...document.querySelectorAll('div.qa-math')]
        .filter(d => d.scrollWidth > d.clientWidth).map(d => getComputedStyle(d).backgroundImage)""")
    assert wide and all(style.count("gradient") >= 2 for style in wide)
    context.close()


def test_print_shows_answers_and_figures_only(browser, served_site, corpus):
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    tab = context.new_page()
    tab.goto(f"{served_site}topics/video-understanding/", wait_until="networkidle")
    tab.emulate_media(media="print")
    hidden = tab.evaluate("""['.qa-share', '.qa-related', '.headerlink', '.md-header', '.md-sidebar',
        '.md-footer', '.md-content__button'].map(s => [s, [...document.querySelectorAll(s)]
        .every(e => getComputedStyle(e).display === 'none' || e.offsetParent === null)])""")
    assert all(ok for _, ok in hidden), hidden
    assert tab.locator("article p").first.is_visible() and tab.locator("article figure img").first.is_visible()
    context.close()


@pytest.fixture(scope="module")
def pages_site(site_build):
    with serve(site_build.site, PagesHandler) as url:
        yield url.rstrip("/") + REPO_PATH


@pytest.mark.parametrize("path, heading, expected", [
    ("en/topics/video-editng/", "Page not found", "video editing"),
    ("topics/什么是dit/", "找不到这个页面", "DiT"),
    ("zh-TW/topics/擴散模型/", "找不到這個頁面", "擴散模型"),
])
def test_404_keeps_the_address_and_suggests_questions_of_its_edition(browser, pages_site, path, heading, expected):
    context = phone(browser)
    tab = context.new_page()
    tab.goto(pages_site + path, wait_until="networkidle")
    tab.locator(".qa-suggest a").first.wait_for(timeout=5000)
    assert unquote(tab.url) == pages_site + path  # the address the reader typed
    assert tab.locator("article h1").inner_text() == heading
    suggestions = tab.locator(".qa-suggest a").all_inner_texts()
    assert 1 <= len(suggestions) <= 5 and expected in suggestions[0]
    if path.startswith("en/"):
        assert not any(HAN.search(text) for text in suggestions)
    config = tab.evaluate("JSON.parse(document.getElementById('__config').textContent).base")
    assert config.rstrip("/").endswith(path.split("/")[0]) if path.startswith(("en/", "zh-TW/")) else True
    context.close()


@pytest.mark.parametrize("prefix", list(EDITIONS))
@pytest.mark.parametrize("typo", ["swap", "change"])
def test_404_suggests_the_question_of_a_mistyped_short_link(browser, pages_site, corpus, prefix, typo):
    question, _ = dit_question(corpus)
    sid = corpus.short_ids[question.anchor]
    wrong = sid[1] + sid[0] + sid[2:] if typo == "swap" else sid[:3] + ("a" if sid[3] != "a" else "b") + sid[4:]
    context = phone(browser)
    tab = context.new_page()
    tab.goto(f"{pages_site}{prefix}q/{wrong}/", wait_until="networkidle")
    tab.locator(".qa-suggest a").first.wait_for(timeout=5000)
    first = tab.locator(".qa-suggest a").first
    assert first.inner_text() == corpus.editions["en" if prefix == "en/" else "zh"].title(question) or prefix == "zh-TW/"
    assert unquote(urlparse(first.get_attribute("href")).fragment) == question.anchor
    context.close()


@pytest.mark.parametrize("path, expected", [("光流/", "光流"), ("topics/一致性/", "一致性"), ("zh-TW/資料集/", "資料集")])
def test_404_suggests_questions_for_a_chinese_word_in_the_path(browser, pages_site, path, expected):
    context = phone(browser)
    tab = context.new_page()
    tab.goto(pages_site + path, wait_until="networkidle")
    tab.locator(".qa-suggest a").first.wait_for(timeout=5000)
    suggestions = tab.locator(".qa-suggest a").all_inner_texts()
    assert expected in suggestions[0]
    context.close()


@pytest.mark.parametrize("prefix", list(EDITIONS))
def test_the_404_language_menu_goes_to_each_edition_home(site_build, prefix):
    soup = BeautifulSoup((site_build.site / prefix / "404.html").read_text("utf-8"), "html.parser")
    links = {a["hreflang"]: urlparse(a["href"]).path for a in soup.select("a.md-select__link")}
    assert links == {"zh": REPO_PATH, "en": f"{REPO_PATH}en/", "zh-TW": f"{REPO_PATH}zh-TW/"}


def test_a_missing_english_label_is_reported_at_its_drawing_entry():
    from qa_figures import english_drawings
    from qa_i18n import FIGURE_LABELS_SHAPE
    from qa_schema import parse_data

    labels = parse_data('# labels\nCDM:\n  "甲": "A"\n', "data/en/figure-labels.yml", FIGURE_LABELS_SHAPE)
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>甲</text><text>乙</text></svg>'.encode()
    copies, changes = english_drawings({"CDM.svg": svg}, labels)
    assert [(c.source, c.line) for c in changes] == [("data/en/figure-labels.yml", 3)]
    assert "乙" in changes[0].message and b">A<" in copies["CDM.svg"]


@pytest.mark.parametrize("prefix", list(EDITIONS))
def test_a_tap_on_a_term_shows_its_definition_in_place(browser, served_site, prefix):
    context = phone(browser)
    tab = context.new_page()
    tab.goto(f"{served_site}{prefix}topics/video-editing/", wait_until="networkidle")
    address = tab.url
    term = tab.locator("article a.qa-term").first
    term.scroll_into_view_if_needed()
    definition = term.get_attribute("title")
    term.tap()
    tip = tab.locator(".qa-term-tip")
    tip.wait_for(state="visible")
    assert tab.url == address  # still on the question
    assert definition in tip.inner_text()
    box, place = tip.bounding_box(), term.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 390 and box["y"] >= place["y"] + place["height"]
    tab.locator("article p").first.tap()  # a tap elsewhere closes it
    assert tip.is_hidden()
    term.tap()
    tip.locator("a").tap()  # its link goes to the glossary entry
    tab.wait_for_url(re.compile(r"/topics/glossary/#"))
    context.close()


def test_a_term_on_a_desktop_keeps_its_hover_title_and_link(browser, served_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{served_site}topics/video-editing/", wait_until="networkidle")
    tab.locator("article a.qa-term").first.click()
    tab.wait_for_url(re.compile(r"/topics/glossary/#"))
    assert tab.locator(".qa-term-tip").count() == 0
    context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_no_request_fails_on_pages_and_404_pages_nor_through_the_language_menu(browser, pages_site, size):
    context = phone(browser) if size == "phone" else browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    failed = []
    tab.on("response", lambda response: failed.append(response.url) if response.status >= 400 and
           not response.url.endswith(("/missing-page/", "404.html")) else None)
    for prefix in EDITIONS:
        for path in ("", "topics/video-editing/", "missing-page/"):
            tab.goto(pages_site + prefix + path, wait_until="networkidle")
            with tab.expect_navigation(wait_until="networkidle"):
                tab.locator(".md-header [hreflang]").last.dispatch_event("click")
    assert not [url for url in failed if "sitemap" in url], failed
    context.close()
