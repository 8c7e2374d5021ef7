"""The report as text and CSV, in zh, ja and en, from the seeded store (tests/support/report_seed.py)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

from bot.i18n import Catalogs
from bot.report import Report, build_report, render_csv, render_text, write_csv
from bot.report_render import TEXT_LIMIT
from tests.support.report_seed import NOW, SCRIPT, SINCE


def test_text_in_english(report: Report, catalogs: Catalogs) -> None:
    text = render_text(report, "en", catalogs)
    for line in (
        "Hello, Shenyang — curator report",
        "Mon, March 3, 2025 – Mon, March 10, 2025 (UTC)",
        "Questions: 19 (period before: 3)",
        "Answered well: 5 (26%; period before: 33%)",
        "Suspected wrong answers: 3",
        "Votes: 👍 1 · 👎 1 (period before: 👍 0 · 👎 1)",
        "By language: en 10 · zh 5 · ja 4",
        "What to write next: 7 clusters, most users first",
        "1. users: 4 · questions: 5 [ja 2 · zh 2 · en 1]",
        "   “外资优惠政策” / “優遇策は？税金とか” / “外資向けの優遇政策ありますか”",
        "   → Add these phrasings to “Investment support”",
        "   → Add these phrasings to “Getting around”",
        "2 more clusters — see --html / --csv",
        # an entry without a title is named by its id
        "2. “Where is the Mukden Palace?” → “zhongshan-square” "
        "(asked again in other words within a minute)",
        "3. “沈阳故宫门票多少钱” → “Mukden Palace” (replied “no”)",
        "1. Investment environment 👎1 👍0",
    ):
        assert line in text.splitlines(), line
    assert text.count("→ New entry needed") == 2  # clusters 3 and 4 of the top 5
    assert "   → Add these phrasings to “Mukden Palace”" in text.splitlines()


def test_text_in_chinese(report: Report, catalogs: Catalogs) -> None:
    lines = render_text(report, "zh", catalogs).splitlines()
    for line in (
        "你好，沈阳 — 知识库运营报告",
        "2025年3月3日 星期一 – 2025年3月10日 星期一 (UTC)",
        "提问数：19（上期：3）",
        "有效回答：5（26%；上期：33%）",
        "接下来写什么：共 7 类问题，按提问人数排序",
        "1. 提问人数：4 · 提问次数：5 [ja 2 · zh 2 · en 1]",
        "   → 把这些问法加到“外商投资服务”条目",
        "   → 需要新写一个条目",
        "另有 2 类问题，请看 --html 或 --csv",
        "1. “is there a good hotpot place” → “投资环境”（点了 👎）",
    ):
        assert line in lines, line


def test_text_in_japanese(report: Report, catalogs: Catalogs) -> None:
    lines = render_text(report, "ja", catalogs).splitlines()
    for line in (
        "質問数：19件（前期間：3件）",
        "適切に回答：5件（26%、前期間：33%）",
        "   → この言い回しを「外資企業の進出支援」に追加",
        "ほか2グループは --html / --csv をご覧ください",
        # mukden-palace has no Japanese title: its id, not another language's title
        "3. 「沈阳故宫门票多少钱」→「mukden-palace」（「違う」と返信）",
    ):
        assert line in lines, line


def test_every_cluster_is_reachable_from_the_text(report: Report, catalogs: Catalogs) -> None:
    text = render_text(report, "en", catalogs, top=3)
    assert "4 more clusters — see --html / --csv" in text
    everything = render_text(report, "en", catalogs, top=10)
    assert "more clusters" not in everything
    assert "7. users: 1 · questions: 1 [en 1]" in everything


def test_text_stays_short(report: Report, catalogs: Catalogs) -> None:
    long = replace(report.clusters[0], examples=("x" * 5000 + "\n" * 50,) * 3)
    huge = replace(report, clusters=(long,) * 40, suspected=report.suspected * 40)
    text = render_text(huge, "zh", catalogs, top=40)
    assert len(text) < TEXT_LIMIT
    assert "\n\n\n" not in text


def test_empty_text(tmp_path: Path, catalogs: Catalogs) -> None:
    from bot.store import Store

    store = Store(tmp_path / "empty.sqlite3", hash_key=b"k" * 32)
    empty = build_report(store, SINCE, NOW)
    store.close()
    text = render_text(empty, "en", catalogs)
    assert "Questions: 0 (period before: 0)" in text
    assert "Answered well: 0 (—; period before: —)" in text
    assert text.count("(none)") == 3


def test_csv_round_trip(report: Report, catalogs: Catalogs, tmp_path: Path) -> None:
    path = tmp_path / "clusters.csv"
    write_csv(path, report, "zh", catalogs)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == [
        "排名", "提问人数", "提问数", "zh", "ja", "en", "答不上来", "仅给出推荐", "疑似答错",
        "条目未提及", "建议", "条目 ID", "条目", "依据", "推荐过的条目", "问题示例",
    ]  # fmt: skip
    assert len(rows) == 1 + len(report.clusters) == 8
    assert rows[1] == [
        "1", "4", "5", "2", "2", "1", "3", "2", "0", "0",
        "把这些问法加到“外商投资服务”条目", "investment-support", "外商投资服务",
        "用户从推荐中选了它", "investment-support, key-industries, investment-environment",
        "外资优惠政策\n優遇策は？税金とか\n外資向けの優遇政策ありますか\n"
        "tax incentives for foreign investors?",
    ]  # fmt: skip
    for row, cluster in zip(rows[1:], report.clusters, strict=True):
        assert (int(row[1]), int(row[2])) == (cluster.users, cluster.count)
        assert row[9 + 2] == (cluster.suggestion.entry_id or "")
    # user text that looks like a formula is kept as text
    assert rows[7][-1] == "'" + SCRIPT


def test_csv_headers_follow_the_language(report: Report, catalogs: Catalogs) -> None:
    assert render_csv(report, "en", catalogs).splitlines()[0].startswith("Rank,Users,Questions")
    assert render_csv(report, "ja", catalogs).splitlines()[0].startswith("順位,質問者数,質問数")
