"""Offline reading: a web app manifest and an offline notice per edition, the service worker, and
the list of files that saving an edition stores (what the save control reads).

The worker (qa_offline_worker.js) is written to the site root, so its scope is the whole site under
site_url's path; each edition is saved into its own cache. `mkdocs serve` and QA_OFFLINE=0 write a
worker that removes itself and its caches, and leave the manifest out, so no reader or maintainer
keeps a worker they did not ask for.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import struct
import zlib
from pathlib import Path
from urllib.parse import quote, urlsplit

import qa_i18n
from qa_pipeline import Corpus

SWITCH = "QA_OFFLINE"
WORKER = "sw.js"
WORKER_SOURCE = Path(__file__).resolve().parent / "qa_offline_worker.js"
MANIFEST = "manifest.webmanifest"
LIST = "offline.json"
NOTICE = "offline.html"
ICONS_DIR = "icons"
THEME_COLOR = "#3f51b5"  # Material's indigo, the site's primary colour
# Not saved: the downloads (large, and they are downloads), short link pages (they redirect), the
# maintainers' report, and what crawlers read.
LEFT_OUT = ("downloads/", "q/", "topics/content-report/", "sitemap.xml", "sitemap.xml.gz", "404.html", "robots.txt")


def enabled(command: str, environ=os.environ) -> bool:
    """On for `mkdocs build` unless QA_OFFLINE=0; always off under `mkdocs serve`."""
    return command != "serve" and environ.get(SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


# --- icons, drawn here: a white play sign on the site's indigo -------------------------------------
TRIANGLE = ((0.39, 0.29), (0.39, 0.71), (0.74, 0.5))  # inside the safe zone of a maskable icon


def icon_svg() -> str:
    points = " ".join(f"{x * 512:g},{y * 512:g}" for x, y in TRIANGLE)
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">'
            f'<rect width="512" height="512" rx="96" fill="{THEME_COLOR}"/>'
            f'<polygon points="{points}" fill="#fff" stroke="#fff" stroke-width="24" stroke-linejoin="round"/>'
            "</svg>\n")


def icon_png(size: int) -> bytes:
    """A square PNG of the icon (full bleed, so it also serves as a maskable icon), antialiased by
    covering each pixel row with the triangle's span at four heights."""
    background = tuple(int(THEME_COLOR[i:i + 2], 16) for i in (1, 3, 5))
    (ax, ay), (bx, by), (cx, cy) = [(x * size, y * size) for x, y in TRIANGLE]
    rows = []
    for row in range(size):
        coverage = [0.0] * (size + 1)
        for step in range(4):
            y = row + (step + 0.5) / 4
            if not ay <= y <= by:
                continue
            # Left edge is vertical at ax; the right edge follows the upper or lower side to the tip.
            right = ax + (cx - ax) * ((y - ay) / (cy - ay) if y <= cy else (by - y) / (by - cy))
            left = ax
            start, end = int(left), min(int(right), size - 1)
            for x in range(start, end + 1):
                covered = min(x + 1, right) - max(x, left)
                if covered > 0:
                    coverage[x] += covered / 4
        line = bytearray(b"\0")
        for x in range(size):
            alpha = min(1.0, coverage[x])
            line += bytes(round(c + (255 - c) * alpha) for c in background)
        rows.append(bytes(line))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


# --- per edition ----------------------------------------------------------------------------------------
def edition_prefix(code: str) -> str:
    return "" if code == qa_i18n.DEFAULT else f"{code}/"


def manifest(edition: qa_i18n.Edition, name: str, description: str) -> str:
    up = "../" if edition.code != qa_i18n.DEFAULT else ""
    icons = [{"src": f"{up}{ICONS_DIR}/icon.svg", "sizes": "any", "type": "image/svg+xml"}]
    icons += [{"src": f"{up}{ICONS_DIR}/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png",
               "purpose": "any maskable"} for size in (192, 512)]
    short = edition.interface("offline_short_name")
    data = {"name": name, "short_name": short, "description": description, "lang": qa_i18n.LANGUAGE_TAGS[edition.code],
            "dir": "ltr", "start_url": "./", "scope": "./", "display": "standalone",
            "background_color": "#ffffff", "theme_color": THEME_COLOR, "icons": icons}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def saved_files(site: Path, code: str) -> list[tuple[str, int]]:
    """What saving an edition stores, as (path from the site root, bytes): its pages (by their
    address), the search index in whatever files the search folder holds, its study data, and the
    shared scripts, styles and the figures its pages use."""
    prefix = edition_prefix(code)
    others = [edition_prefix(c) for c in qa_i18n.EDITIONS if c != code and edition_prefix(c)]
    files = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site).as_posix()
        if path.name in (WORKER, LIST) or relative.endswith(".map") or relative.startswith(ICONS_DIR + "/"):
            continue
        if code != qa_i18n.DEFAULT and not relative.startswith((prefix, "assets/", "javascripts/", "stylesheets/",
                                                                 "imgs/")):
            continue
        if any(relative.startswith(other) for other in others):
            continue
        inner = relative[len(prefix):] if relative.startswith(prefix) else relative
        if inner.startswith(LEFT_OUT) or inner in LEFT_OUT:
            continue
        if relative.startswith("imgs/en/") != (code == qa_i18n.ENGLISH) and relative.startswith("imgs/"):
            continue  # the English edition draws its figures with English labels
        address = relative[:-len("index.html")] if relative.endswith("index.html") else relative
        files.append((address, path.stat().st_size))
    return files


def site_version(site: Path) -> str:
    """A hash of every file the worker may serve: a deploy that changes any of them is a new version."""
    digest = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.name not in (WORKER, LIST):
            digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def notice_page(edition: qa_i18n.Edition, base_path: str, titles: dict[str, str]) -> str:
    """The page a reader gets offline for a page that is not saved: in the edition's language, with
    the saved pages of the edition listed by the script (which asks the caches)."""
    lang = qa_i18n.LANGUAGE_TAGS[edition.code]
    root = base_path + edition_prefix(edition.code)
    esc = html.escape
    return (f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width,initial-scale=1">\n<link rel="icon" href="data:,">\n'
            f"<title>{esc(edition.interface('offline_notice_title'))}</title>\n"
            "<style>body{font:16px/1.6 system-ui,sans-serif;margin:2rem auto;max-width:36rem;padding:0 1rem}"
            "a{color:#3f51b5}@media (prefers-color-scheme:dark){body{background:#1e2129;color:#e2e4e9}"
            "a{color:#8c9eff}}</style>\n</head>\n<body>\n"
            f"<h1>{esc(edition.interface('offline_notice_title'))}</h1>\n"
            f"<p>{esc(edition.interface('offline_notice_text'))}</p>\n"
            f'<p><a href="{esc(root)}">{esc(edition.interface("home"))}</a></p>\n'
            f"<h2>{esc(edition.interface('offline_notice_saved'))}</h2>\n"
            # The titles are data in the page, not in the script: the script is the same on every build.
            f'<ul id="saved" data-root="{esc(root)}"></ul>\n<div id="titles" hidden>'
            + "".join(f'<span data-path="{esc(path)}">{esc(title)}</span>' for path, title in titles.items())
            + "</div>\n<script>var list=document.getElementById('saved'),root=list.dataset.root,titles={};"
            "document.querySelectorAll('#titles span').forEach(function(s){titles[s.dataset.path]=s.textContent});"
            "caches.keys().then(function(names){return Promise.all(names.filter(function(n){return n.indexOf('qa-')==0})"
            ".map(function(n){return caches.open(n).then(function(c){return c.keys()})}))}).then(function(lists){"
            "var seen={};lists.forEach(function(keys){keys.forEach(function(r){"
            "var p=new URL(r.url).pathname;if(p.indexOf(root)!=0)return;var k=p.slice(root.length);"
            "if(!(k in titles)||seen[k])return;seen[k]=1;var a=document.createElement('a');a.href=p;"
            "a.textContent=titles[k];var li=document.createElement('li');li.appendChild(a);list.appendChild(li)})})})"
            "</script>\n</body>\n</html>\n")


def page_titles(corpus: Corpus, edition: qa_i18n.Edition) -> dict[str, str]:
    """Edition paths of the reading pages -> their titles, for the offline notice."""
    titles = {"": edition.interface("home")}
    for page in corpus.pages:
        titles[f"topics/{quote(page.spec.id)}/"] = edition.convert_page(edition.page_title(page.spec))
    return titles


def worker(version: str, shell: list[str], on: bool) -> str:
    """The worker as served: its source's comment lines are for maintainers, not for every reader."""
    source = "".join(line for line in WORKER_SOURCE.read_text(encoding="utf-8").splitlines(keepends=True)
                     if not line.lstrip().startswith("//"))
    prefixes = sorted((edition_prefix(code) for code in qa_i18n.EDITIONS), key=len, reverse=True)
    return (source.replace('"__VERSION__"', json.dumps(version))
            .replace("__ON__", "true" if on else "false")
            .replace("__EDITIONS__", json.dumps(prefixes))
            .replace("__SHELL__", json.dumps(shell)))


def shell_files(site: Path) -> list[str]:
    """Stored when the worker installs: the styles and scripts the home page links, and each
    edition's offline notice."""
    from bs4 import BeautifulSoup

    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    linked = [element.get("href") for element in home.find_all("link", rel="stylesheet")]
    linked += [element.get("src") for element in home.find_all("script", src=True)]
    names = sorted({url.split("?")[0].removeprefix("./") for url in linked if url and "://" not in url})
    return names + [edition_prefix(code) + NOTICE for code in qa_i18n.EDITIONS
                    if (site / edition_prefix(code) / "index.html").exists()]


def write_offline(site: Path, corpus: Corpus, site_url: str, texts: dict[str, tuple[str, str]], on: bool) -> dict:
    """Every edition's manifest, notice and save list, the icons and the worker; returns the saved
    size per edition in bytes. The lists hold paths from the site root, where the worker is: the
    worker and the save control resolve them against its address, wherever the site is served."""
    base_path = urlsplit(site_url).path.rstrip("/") + "/"
    sizes = {}
    if on:
        icons = site / ICONS_DIR
        icons.mkdir(exist_ok=True)
        (icons / "icon.svg").write_text(icon_svg(), encoding="utf-8")
        for size in (192, 512):
            (icons / f"icon-{size}.png").write_bytes(cached_png(size))
        for code, edition in corpus.editions.items():
            folder = site / edition_prefix(code)
            if not (folder / "index.html").exists():
                continue
            (folder / MANIFEST).write_text(manifest(edition, *texts[code]), encoding="utf-8")
            (folder / NOTICE).write_text(notice_page(edition, base_path, page_titles(corpus, edition)),
                                         encoding="utf-8")
    version = site_version(site)
    for code in corpus.editions:
        folder = site / edition_prefix(code)
        if on and (folder / "index.html").exists():
            files = saved_files(site, code)
            sizes[code] = sum(size for _, size in files)
            data = {"version": version, "edition": code, "bytes": sizes[code],
                    "files": [quote(path) for path, _ in files]}
            (folder / LIST).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    (site / WORKER).write_text(worker(version, [quote(p) for p in shell_files(site)] if on else [], on),
                               encoding="utf-8")
    return sizes


_pngs: dict[int, bytes] = {}


def cached_png(size: int) -> bytes:
    if size not in _pngs:
        _pngs[size] = icon_png(size)
    return _pngs[size]
