"""The report as an HTML page: content, escaping, languages, and a 390 px phone screen in
headless Chromium (skipped, saying so, where Chromium is not installed)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from bot.i18n import Catalogs
from bot.report import Report, render_html
from bot.report_figures import Basis, Suggestion

PHONE_WIDTH = 390
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def test_page_is_self_contained_and_escaped(report: Report, catalogs: Catalogs) -> None:
    page = render_html(report, "en", catalogs)
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<html") == 1 and page.count("</html>") == 1
    assert page.count("<svg") == 2
    assert '<meta name="viewport"' in page
    assert "<link" not in page and "src=" not in page and "http" not in page
    assert "@import" not in page and "url(" not in page
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # one stacked bar segment per non-zero (day, language) pair + one rate bar per day
    assert page.count("<rect") == 15 + 8


def test_page_holds_every_cluster_in_the_reader_language(
    report: Report, catalogs: Catalogs
) -> None:
    page = render_html(report, "zh", catalogs)
    assert '<html lang="zh-CN">' in page
    assert page.count('<p class="todo ') == len(report.clusters) == 7
    assert "接下来写什么：共 7 类问题，按提问人数排序" in page
    assert "→ 把这些问法加到“外商投资服务”条目 <code>investment-support</code>" in page
    assert page.count("→ 需要新写一个条目") == 4
    assert "→ 把这些问法加到“沈阳故宫”条目 <code>mukden-palace</code>" in page
    assert "用户换个说法再问时得到了它的回答" in page
    assert "提问人数：4 · 提问次数：5" in page
    assert "推荐过的条目：外商投资服务, key-industries, 投资环境" in page
    for suspected in report.suspected:
        assert suspected.question in page
    assert "一分钟内换了个说法再问：“mukden palace location”" in page
    ja = render_html(report, "ja", catalogs)
    assert '<html lang="ja">' in ja and "この言い回しを「外資企業の進出支援」に追加" in ja


def _browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


# Headless Chromium lays a --dump-dom page out at least 500 px wide, whatever --window-size says:
# the report goes into a 390 px frame (srcdoc, so the frame shares the harness's origin), and a
# script at the end of the report measures its layout and writes the figures into the harness.
_MEASURE = """<script>
const root = document.documentElement, width = root.clientWidth;
const wide = [...document.body.querySelectorAll("*")].filter(e => {
  const box = e.getBoundingClientRect();
  return box.right > width + 0.5 || e.scrollWidth > e.clientWidth + 1
    && getComputedStyle(e).overflowX !== "visible";
}).map(e => e.tagName + ": " + e.textContent.slice(0, 40));
const out = parent.document.createElement("pre");
out.id = "measure";
out.textContent = JSON.stringify({scroll: root.scrollWidth, width, wide});
parent.document.body.append(out);
</script>"""


def measure_at_phone_width(page: str, tmp_path: Path) -> dict[str, object]:
    """Lay the page out 390 px wide in headless Chromium: its widths and what sticks out."""
    browser = _browser()
    if browser is None:
        pytest.skip(
            "Chromium is not installed: the report's phone-width check needs it "
            "(apt-get install chromium)"
        )
    framed = html.escape(page.replace("</body>", _MEASURE + "</body>"), quote=True)
    harness = tmp_path / "harness.html"
    harness.write_text(
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe srcdoc="{framed}" style="border:0;width:{PHONE_WIDTH}px;height:40000px">'
        "</iframe></body></html>",
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=800,2000",
            "--dump-dom",
            harness.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,  # a guard against a hung browser, not a speed check
        check=False,
    )
    found = re.search(r'<pre id="measure">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found, f"Chromium printed no measurement: {result.stderr[-2000:]}"
    measured: dict[str, object] = json.loads(html.unescape(found.group(1)))
    return measured


def _stretched(report: Report) -> Report:
    """The seeded report with the longest things a page meets: unbroken words, long ids."""
    long_word = "https://example.org/" + "very-long-path-" * 12
    cluster = replace(
        report.clusters[0],
        examples=(long_word, "沈阳" * 60, *report.clusters[0].examples),
        offered=("an-entry-id-that-goes-on-" * 4,),
        suggestion=Suggestion("another-entry-id-without-a-title-" * 3, Basis.OFFERED),
    )
    return replace(report, clusters=(cluster, *report.clusters[1:]))


@pytest.mark.parametrize("lang", ["zh", "ja", "en"])
def test_nothing_is_cut_off_at_phone_width(
    report: Report, catalogs: Catalogs, tmp_path: Path, lang: str
) -> None:
    measured = measure_at_phone_width(render_html(_stretched(report), lang, catalogs), tmp_path)
    assert measured["width"] == PHONE_WIDTH
    assert measured["scroll"] == PHONE_WIDTH, measured
    assert measured["wide"] == [], measured


def test_the_check_sees_overflow(report: Report, catalogs: Catalogs, tmp_path: Path) -> None:
    """The measurement itself can fail: a fixed 600 px block is caught."""
    page = render_html(report, "en", catalogs).replace(
        "</main>", '<div style="width:600px">wide</div></main>'
    )
    measured = measure_at_phone_width(page, tmp_path)
    assert isinstance(measured["scroll"], int) and measured["scroll"] > PHONE_WIDTH


def test_the_check_sees_columns_hidden_in_a_scroll_box(
    report: Report, catalogs: Catalogs, tmp_path: Path
) -> None:
    """The old page kept its table in a sideways-scrolling box: the page fit, the columns did not."""
    page = render_html(report, "en", catalogs).replace(
        "</main>", '<div style="overflow-x:auto"><p style="width:600px">columns</p></div></main>'
    )
    measured = measure_at_phone_width(page, tmp_path)
    assert measured["scroll"] == PHONE_WIDTH
    assert measured["wide"] == ["DIV: columns", "P: columns"]
