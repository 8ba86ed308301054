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
