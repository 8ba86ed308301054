"""Offline reading, in Chromium at 390 px with the network cut, in every edition: the saved edition's
pages, figures, formulas, search and practice; the notice for a page not saved; the manifests, icons,
the worker's switch and the save list."""

from __future__ import annotations

import gzip
import json

import pytest

import qa_offline
from conftest import ROOT, copy_project, run_build, serve
from search_eval import open_search, run_query
from test_publish import REPO_PATH, PagesHandler

EDITIONS = {"zh": ("", "离线", "视频"), "zh-TW": ("zh-TW/", "離線", "影片"), "en": ("en/", "Offline", "video")}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def offline_server(site_build):
    with serve(site_build.site, PagesHandler) as url:
        yield url.rstrip("/") + REPO_PATH


# --- the files the build writes ---------------------------------------------------------------------------
def test_icons_are_drawn_and_each_edition_has_a_manifest(site_build):
    for size in (192, 512):
        png = (site_build.site / "icons" / f"icon-{size}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == size
    assert (site_build.site / "icons/icon.svg").read_text().startswith("<svg")
    for code, (prefix, _, _) in EDITIONS.items():
        manifest = json.loads((site_build.site / prefix / "manifest.webmanifest").read_text("utf-8"))
        assert manifest["lang"].startswith(code[:2]) and manifest["start_url"] == "./"
        for icon in manifest["icons"]:
            assert (site_build.site / prefix / icon["src"]).resolve().is_file()


def test_save_list_holds_the_edition_and_leaves_out_downloads_and_short_links(site_build):
    for code, (prefix, _, _) in EDITIONS.items():
        listed = json.loads((site_build.site / prefix / "offline.json").read_text("utf-8"))
        files = listed["files"]
        assert f"{prefix}topics/video-editing/" in files and f"{prefix}study.json" in files
        assert any(f.startswith(f"{prefix}search/") for f in files)  # whatever the index is made of
        assert not [f for f in files if f.startswith((f"{prefix}downloads/", f"{prefix}q/")) or "content-report" in f]
        others = [p for c, (p, _, _) in EDITIONS.items() if p and c != code]
        assert not [f for f in files if f.startswith(tuple(others))]
        assert listed["bytes"] <= 5 * 1024 * 1024


def test_worker_and_save_control_fit_their_budget(site_build):
    size = sum(len(gzip.compress((site_build.site / name).read_bytes(), 9)) for name in ("sw.js",
                                                                                          "javascripts/offline.js"))
    assert size <= 3 * 1024


@pytest.mark.parametrize("command, environ, on", [("build", {}, True), ("build", {"QA_OFFLINE": "0"}, False),
                                                  ("serve", {}, False), ("serve", {"QA_OFFLINE": "1"}, False)])
def test_switch(command, environ, on):
    assert qa_offline.enabled(command, environ) is on


def test_switched_off_the_worker_removes_itself_and_pages_have_no_manifest(tmp_path):
    build = run_build(copy_project(tmp_path / "project"), tmp_path / "site", QA_OFFLINE="0")
    assert build.returncode == 0, build.output
    worker = (build.site / "sw.js").read_text("utf-8")
    assert "ON = false" in worker and "unregister" in worker
    assert 'rel="manifest"' not in (build.site / "index.html").read_text("utf-8")
    assert not (build.site / "offline.json").exists()


# --- in Chromium -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", EDITIONS)
def test_saved_edition_reads_offline_on_a_phone(browser, offline_server, corpus, code):
    prefix, notice, query = EDITIONS[code]
    base = offline_server + prefix
    context = browser.new_context(**PHONE)
    tab = context.new_page()
    tab.goto(base + "topics/downloads/", wait_until="load")
    tab.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    button = tab.locator("#qa-offline-save button")
    button.wait_for()
    assert "MB" in button.inner_text()  # the size, before anything is saved
    button.click()
    tab.wait_for_function("document.querySelector('#qa-offline-save [role=status]').textContent.includes('MB')",
                          timeout=60000)
    context.set_offline(True)

    # A page never opened: its text, figures and formulas come from the saved copy.
    tab.goto(base + "topics/video-understanding/", wait_until="load")
    assert tab.locator("article h1").is_visible()
    assert tab.locator("article math").count() > 0
    assert tab.locator(".qa-offline-bar").is_visible()
    page_with_figure = next(page for page in corpus.pages if "](imgs/" in "".join(q.body for q in page.questions))
    tab.goto(base + f"topics/{page_with_figure.spec.id}/", wait_until="load")
    images = tab.locator("article img")
    images.first.scroll_into_view_if_needed()
    tab.wait_for_function("[...document.querySelectorAll('article img')].slice(0, 3)"
                          ".every(i => i.complete && i.naturalWidth > 0)")

    # Search answers from the saved index.
    open_search(tab, base)
    hits, _ = run_query(tab, query)
    assert hits

    # Practice and marks work from the saved study data.
    tab.goto(base + "topics/practice/", wait_until="load")
    tab.wait_for_selector(".qa-practice__scope select")

    # A page that is not saved (short links are left out): the notice, in the edition's language.
    sid = sorted(corpus.short_ids.values())[0]
    tab.goto(base + f"q/{sid}/", wait_until="load")
    assert tab.locator("h1").inner_text() == notice
    tab.wait_for_function("document.querySelectorAll('#saved a').length > 0")
    context.set_offline(False)
    context.close()


def test_new_version_is_offered_after_a_deploy(browser, site_build, tmp_path):
    """A changed site's worker waits; the page offers to reload, and reloading brings the new version."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(site_build.site, site)
    with serve(site, PagesHandler) as url:
        base = url.rstrip("/") + REPO_PATH
        context = browser.new_context(**PHONE)
        tab = context.new_page()
        tab.goto(base, wait_until="load")
        tab.wait_for_function("navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
                              " || new Promise(r => navigator.serviceWorker.oncontrollerchange = () => r(true))")
        worker = (site / "sw.js").read_text("utf-8")
        (site / "sw.js").write_text(worker.replace('var VERSION = "', 'var VERSION = "new'), encoding="utf-8")
        tab.reload(wait_until="load")
        bar = tab.locator(".qa-offline-bar button")
        bar.wait_for(timeout=20000)
        with tab.expect_navigation():
            bar.click()
        tab.wait_for_function("navigator.serviceWorker.controller && "
                              "caches.keys().then(k => k.some(n => n.startsWith('qa-run-new')))")
        context.close()
