"""Catalogs are complete in zh, ja and en; dates are written the way each reader expects."""

from __future__ import annotations

from datetime import date

import pytest
from babel.messages.pofile import read_po

from bot.config import LOCALES_DIR
from bot.i18n import Catalogs, format_day, format_event_when
from bot.knowledge import KnowledgeBase


def template_ids() -> list[str]:
    with (LOCALES_DIR / "messages.pot").open("rb") as handle:
        return [m.id for m in read_po(handle) if m.id]


@pytest.mark.parametrize("lang", ["zh", "ja", "en"])
def test_every_message_is_translated(lang: str) -> None:
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    ids = template_ids()
    assert len(ids) > 40
    missing = [i for i in ids if i not in catalog or not catalog[i].string]
    assert missing == []
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == []


def test_template_matches_the_code() -> None:
    """Every string the code marks is in the template (run `make catalogs` after editing)."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    root = LOCALES_DIR.parent
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "fresh.pot"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "babel.messages.frontend",
                "extract",
                "-F",
                "babel.cfg",
                "-k",
                "N_",
                "-k",
                "_tr:3",
                "--no-location",
                "-o",
                str(out),
                ".",
            ],
            cwd=root,
            check=True,
            capture_output=True,
        )
        with out.open("rb") as handle:
            fresh = {m.id for m in read_po(handle) if m.id}
    assert fresh == set(template_ids())


def test_catalogs_translate(catalogs: Catalogs) -> None:
    assert catalogs.gettext("ja", "📍 Map") == "📍 地図"
    assert catalogs.gettext("zh", "📍 Map") == "📍 地图"
    assert catalogs.gettext("en", "📍 Map") == "📍 Map"


def test_days_per_language() -> None:
    day = date(2023, 6, 20)
    assert format_day(day, "ja") == "2023年6月20日（火）"
    assert format_day(day, "zh") == "2023年6月20日 星期二"
    assert format_day(day, "en") == "Tue, June 20, 2023"


def test_event_times_in_the_event_time_zone(fixture_kb: KnowledgeBase) -> None:
    fair = fixture_kb.get("future-fair")
    assert fair is not None and fair.event is not None
    assert format_event_when(fair.event, "en") == (
        "Sun, September 1, 2030 – Tue, September 3, 2030, 9:00\u202fAM – 5:00\u202fPM "
        "(China Standard Time)"
    )
    assert "中国標準時" in format_event_when(fair.event, "ja")


def test_japanese_readers_also_see_japan_time() -> None:
    from datetime import datetime

    from bot.knowledge import Event

    at_two = datetime.fromisoformat("2030-09-01T14:00:00+08:00")
    cst = Event(at_two, at_two, "Asia/Shanghai", {})
    assert format_event_when(cst, "ja") == "2030年9月1日（日） 14:00（中国標準時、日本時間 15:00）"
    assert "日本時間" not in format_event_when(cst, "zh") + format_event_when(cst, "en")
    late = datetime.fromisoformat("2030-09-01T23:30:00+08:00")
    crossing = format_event_when(Event(late, late, "Asia/Shanghai", {}), "ja")
    assert crossing.endswith("（中国標準時、日本時間 2030年9月2日（月） 0:30）")
    tokyo = Event(at_two.replace(tzinfo=None), at_two.replace(tzinfo=None), "Asia/Tokyo", {})
    assert format_event_when(tokyo, "ja") == "2030年9月1日（日） 14:00（日本標準時）"  # no twin
