"""Downloads benchmark: the time to make every edition's PDF, EPUB and Anki deck, and their sizes,
against the budgets (making them ≤ 60 s for the three editions; per edition PDF ≤ 15 MB, EPUB ≤ 5 MB).

Usage:  python bench/downloads_bench.py [--runs 3]
Builds the site with QA_DOWNLOADS=1 into a temporary folder (needs Chromium and a CJK font), and once
without it; the time to make the files is what the build logs for them ("downloads made in"), the
whole build's time is printed beside it. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGETS = {"pdf": 15 * 1024 * 1024, "epub": 5 * 1024 * 1024}
MAKING_BUDGET = 60.0
EDITIONS = {"zh": "", "zh-TW": "zh-TW/", "en": "en/"}


def build(site: Path, downloads: bool) -> tuple[float, float | None, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", QA_DOWNLOADS="1" if downloads else "0")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(result.stdout + result.stderr)
    making = re.search(r"downloads made in ([\d.]+) s", result.stdout + result.stderr)
    return seconds, float(making.group(1)) if making else None, result.stdout + result.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as folder:
        plain = [build(Path(folder) / f"plain{n}", False)[0] for n in range(args.runs)]
        runs = [build(Path(folder) / f"site{n}", True) for n in range(args.runs)]
        site = Path(folder) / "site0"
        making = [making for _, making, _ in runs]
        print(f"build without downloads: {statistics.median(plain):.1f} s median of {args.runs}")
        print(f"build with downloads:    {statistics.median(r[0] for r in runs):.1f} s median")
        print(f"making the downloads (3 editions): {statistics.median(making):.1f} s median "
              f"(runs {', '.join(f'{m:.1f}' for m in making)}); budget {MAKING_BUDGET:.0f} s: "
              f"{statistics.median(making) / MAKING_BUDGET:.2f} of it")
        for line in runs[0][2].splitlines():
            if "INFO    -  download " in line:
                print("  " + line.split("-  ", 1)[1])
        for code, prefix in EDITIONS.items():
            row = []
            for kind in ("pdf", "epub", "apkg"):
                path = site / prefix / "downloads" / f"ai-video-qa-{code}.{kind}"
                size = path.stat().st_size
                budget = BUDGETS.get(kind)
                ratio = f" ({size / budget:.2f} of {budget // 1024 // 1024} MB)" if budget else ""
                row.append(f"{kind} {size / 1024 / 1024:.2f} MB{ratio}")
            print(f"{code}: " + "; ".join(row))


if __name__ == "__main__":
    main()
