"""Search step: the site's own search worker, and three corrections to Material's bundle.

Material's bundle runs whatever worker the page's configuration names and talks to it in a small
message format (its integrations/search/worker). The site's worker (qa_search_worker.js, written
into the site under a name that changes with its content) reads the sharded index of
qa_search_shards: a query loads only what it needs, and the worker decides which questions hold
the query's terms exactly. Material's own worker and its lunr files are left out of the site.

The bundle shows the count of `items`; the site's worker also says how many hits hold every term
(`whole`), and the bundle is taught here, by exact replacement, to count those and to show the
text of a hit that has no page entry above it. Each replacement must match exactly once in the
file Material ships; anything else fails the build with a message that names the replacement,
because a silently skipped fix would bring the defect back unnoticed after an upgrade.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

WORKER_SOURCE = Path(__file__).with_name("qa_search_worker.js")
WORKERS_DIR = Path("assets") / "javascripts" / "workers"


class PatchError(Exception):
    """A replacement no longer matches the theme's script: the theme changed; review the fix."""


@dataclass(frozen=True)
class Patch:
    """One exact replacement in a built script, and why it is there."""

    name: str
    old: str
    new: str


BUNDLE_PATCHES = (
    # Every result in this site's index is a question with no page entry above it: show its
    # text (and any missing words) as Material does for a page that is its own best match.
    Patch("show the text of a result that has no page entry",
          "oo(i,2|+(!n&&s===0))", "oo(i,2|+(n<=0&&s===0))"),
    # The worker counts the hits that hold every term (`whole`); when none does, the hits that
    # hold some of the terms are still listed, under a sentence that says so.
    Patch("count the hits that hold every term",
          '.subscribe(([{items:l},{value:f}])=>{switch(l.length){case 0:s.textContent=f.length?Me("search.result.none")',
          '.subscribe(([{items:l,whole:w},{value:f}])=>{switch(w!=null?w:l.length){case 0:s.textContent=f.length?'
          'Me(l.length?"search.result.partial":"search.result.none")'),
    Patch("the number in the count is the hits that hold every term",
          "default:let u=br(l.length);", "default:let u=br(w!=null?w:l.length);"),
)


def apply(text: str, patches: tuple[Patch, ...], name: str) -> str:
    """Apply each patch once; raise PatchError naming the script and patch if it does not match once."""
    for patch in patches:
        count = text.count(patch.old)
        if count != 1:
            raise PatchError(
                f"{name}: the search fix '{patch.name}' expects its code once in the theme's script but "
                f"finds it {count} times. mkdocs-material has changed this code: check whether the "
                f"defect is fixed upstream, then update or drop the patch in hooks/qa_search_worker.py.")
        text = text.replace(patch.old, patch.new, 1)
    return text


# Marks a script as patched: `mkdocs serve` may hand the same built file over again.
PATCHED = "/* search fixes: hooks/qa_search_worker.py */\n"


def patch_bundle(text: str, name: str = "theme bundle") -> str:
    if text.startswith(PATCHED):
        return text
    return PATCHED + apply(text, BUNDLE_PATCHES, name)


def worker_name() -> str:
    """The worker's file name in the site: a new version is a new address (no stale cache)."""
    return f"questions.{hashlib.sha256(WORKER_SOURCE.read_bytes()).hexdigest()[:8]}.js"


def install(site: Path) -> list[str]:
    """Put the site's worker in place of Material's, and patch the bundle; return the files changed."""
    scripts = site / "assets" / "javascripts"
    bundles = sorted(scripts.glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise PatchError(f"{scripts}: expected one bundle script of mkdocs-material, found {len(bundles)}")
    changed = []
    text = bundles[0].read_text(encoding="utf-8")
    patched = patch_bundle(text, bundles[0].name)
    if patched != text:
        bundles[0].write_text(patched, encoding="utf-8")
        changed.append(bundles[0].name)
    workers = site / WORKERS_DIR
    target = workers / worker_name()
    for old in [*workers.glob("search.*"), *workers.glob("questions.*.js")]:  # Material's lunr worker, older ours
        if old != target:
            old.unlink()
    shutil.rmtree(scripts / "lunr", ignore_errors=True)
    if not target.exists() or target.read_bytes() != WORKER_SOURCE.read_bytes():
        workers.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(WORKER_SOURCE, target)
        changed.append(target.name)
    return changed
