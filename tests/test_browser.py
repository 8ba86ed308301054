"""The site in Debian's Chromium: a shared question link lands on its question, the theme works,
and no page asks any host but the local server."""

from __future__ import annotations

from urllib.parse import quote, urlparse

import pytest


@pytest.fixture
def page(browser, served_site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    foreign = []
    tab.on("request", lambda request: foreign.append(request.url)
           if urlparse(request.url).hostname not in ("127.0.0.1", None) and not request.url.startswith("data:")
           else None)
    tab.foreign_requests = foreign
    yield tab
    context.close()


def test_home_page_loads_only_local_resources(page, served_site):
    page.goto(served_site, wait_until="networkidle")
    assert page.locator("article h1").inner_text().rstrip("¶") == "AI 视频面试题库"
    assert page.locator("article .grid.cards a").count() >= 7
    assert page.foreign_requests == []


def test_shared_question_link_scrolls_to_its_question(page, served_site, corpus):
    question = next(q for q in corpus.questions if q.title.startswith("什么DiT"))
    page_id = next(p.spec.id for p in corpus.pages if question in p.questions)
    page.goto(f"{served_site}topics/{page_id}/#{quote(question.anchor)}", wait_until="networkidle")
    top = page.evaluate(f"document.getElementById({question.anchor!r}).getBoundingClientRect().top")
    assert 0 <= top < 200


def test_old_github_anchor_lands_on_the_kept_question(page, served_site, corpus):
    """A link to a copy that was merged away still reaches the kept question."""
    question = next(q for q in corpus.questions if q.merged_from)
    alias = question.merged_from[0].heading_id.replace(" ", "-")
    page_id = next(p.spec.id for p in corpus.pages if question in p.questions)
    page.goto(f"{served_site}topics/{page_id}/#{quote(alias)}", wait_until="networkidle")
    top = page.evaluate(f"document.getElementById({question.anchor!r}).getBoundingClientRect().top")
    assert 0 <= top < 200


def test_dark_mode_toggle_switches_scheme(page, served_site):
    page.goto(served_site, wait_until="networkidle")
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {before, after} == {"default", "slate"}


def test_code_blocks_have_a_copy_button(page, served_site):
    page.goto(f"{served_site}topics/training-generation/", wait_until="networkidle")
    assert page.locator("button[data-md-type='copy']").count() >= 1


LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 1000);
})"""


def largest_topic(site_build, corpus) -> str:
    """The question page with the most bytes of HTML."""
    return max((p.spec.id for p in corpus.pages),
               key=lambda page_id: (site_build.site / "topics" / page_id / "index.html").stat().st_size)


@pytest.mark.parametrize("where", ["home", "long page", "last question of the long page"])
def test_pages_do_not_shift_while_loading(page, served_site, site_build, corpus, where):
    """Answers far down a long page are laid out only near the screen; nothing visible may jump."""
    url, anchor = served_site, None
    if where != "home":
        page_id = largest_topic(site_build, corpus)
        url = f"{served_site}topics/{page_id}/"
        if where.startswith("last"):
            anchor = next(p for p in corpus.pages if p.spec.id == page_id).questions[-1].anchor
            url += f"#{quote(anchor)}"
    page.goto(url, wait_until="networkidle")
    assert page.evaluate(LAYOUT_SHIFT) < 0.1
    if anchor:
        top = page.evaluate(f"document.getElementById({anchor!r}).getBoundingClientRect().top")
        assert 0 <= top < 200


def test_outline_link_to_the_last_question_lands_on_it(browser, served_site, site_build, corpus):
    """A click in the page outline jumps exactly, although answers far down are laid out lazily."""
    page_id = largest_topic(site_build, corpus)
    anchor = next(p for p in corpus.pages if p.spec.id == page_id).questions[-1].anchor
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{served_site}topics/{page_id}/", wait_until="networkidle")
    tab.locator(f"nav.md-nav--secondary a[href='#{anchor}']:visible").click()
    tab.wait_for_timeout(500)
    top = tab.evaluate(f"document.getElementById({anchor!r}).getBoundingClientRect().top")
    context.close()
    assert 0 <= top < 200


@pytest.mark.parametrize("edition", ["", "en/"])
def test_link_to_a_question_on_its_former_page_arrives(page, served_site, corpus, edition):
    """Questions of a split chapter moved to a second page; a link naming the first page still lands."""
    moved = next(p for p in corpus.pages if p.spec.id == "video-generation-practice").questions[0]
    page.goto(f"{served_site}{edition}topics/video-generation/#{quote(moved.anchor)}")
    page.wait_for_url(f"**/{edition}topics/video-generation-practice/**")
    page.wait_for_load_state("networkidle")
    top = page.evaluate(f"document.getElementById({moved.anchor!r}).getBoundingClientRect().top")
    assert 0 <= top < 200
