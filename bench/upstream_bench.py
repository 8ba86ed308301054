"""Benchmark: what each upstream change of tests/test_upstream.py does to a build of a project, and
what happens when real upstream files are dropped in. Prints, per case, whether the plain build
made a site, its WARNINGs, how many of the published questions' links and short links still land
(in the 简体 edition), and the content report's rows by kind. Asserts nothing.

Usage:  python bench/upstream_bench.py [--project DIR] [--drop FILE[:NAME]]...
  --project  the project to measure (default: this one; e.g. a `git worktree` of an older commit)
  --drop     a real upstream file to copy into docs/sources/ (as NAME, e.g. ai-video-core.md to
             replace that file); all --drop files make one extra case, "dropped in"
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "tests")]

from conftest import COPY_IGNORE, run_build  # noqa: E402
from test_upstream import CASES, RECORD, SOURCES, Built, lands  # noqa: E402

SHOWN_KINDS = ("moved", "renamed", "removed", "new", "figure-missing", "unlisted-source", "glossary-left")


def measure(project: Path, edit, scratch: Path) -> str:
    root = scratch / "project"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(project, root, ignore=COPY_IGNORE)
    edit(root)
    result = run_build(root, root / "site", strict=False)
    build = Built(result.returncode, result.output, root / "site", False)
    warnings = len(re.findall(r"^WARNING\s+-", result.output, re.M))
    if result.returncode != 0:
        error = next((l for l in result.output.splitlines() if "Error" in l or ": " in l and "ERROR" in l), "")
        return f"build failed ({error.strip()[:110]})"
    landed = sum(1 for e in RECORD if lands(build, e.page, e.anchor))
    short = 0
    for entry in RECORD:
        page = build.page(f"q/{entry.id}")
        refresh = page.find("meta", attrs={"http-equiv": "refresh"}) if page else None
        target = refresh["content"].split("url=", 1)[1] if refresh else ""
        path, _, anchor = target.removeprefix("../../").partition("#")
        holder = build.page(path.rstrip("/")) if path else None
        short += bool(holder and (not anchor or holder.find(id=anchor) or "removed-" in path))
    kinds = Counter(kind for kind, _ in build.report_rows()) if build.page("topics/content-report") else Counter()
    rows = ", ".join(f"{kind} {kinds[kind]}" for kind in SHOWN_KINDS if kinds[kind])
    return (f"site ok, {warnings} WARNINGs, links land {landed}/{len(RECORD)}, short links {short}/{len(RECORD)}"
            + (f"; report: {rows}" if rows else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--drop", action="append", default=[])
    args = parser.parse_args()
    cases = {name: case.edit for name, case in CASES.items()}
    if args.drop:
        def drop(root: Path) -> None:
            for item in args.drop:
                source, _, name = item.partition(":")
                shutil.copy(source, root / SOURCES / (name or Path(source).name))
        cases["dropped in: " + ", ".join(Path(d.partition(":")[0]).name for d in args.drop)] = drop
    cases = {"unchanged": lambda root: None, **cases}
    with tempfile.TemporaryDirectory() as scratch:
        for name, edit in cases.items():
            print(f"{name:45} {measure(args.project.resolve(), edit, Path(scratch))}", flush=True)


if __name__ == "__main__":
    main()
