"""A small knowledge base of event series for the events tests, written to a directory: seen
from tests/support/fake_request.NOW (2026-11-25), the ice festival has only past editions, the
expo has a past and an announced one, the marathon's last edition is over a year old, and the
gala is a single event next month."""

from __future__ import annotations

from pathlib import Path

SERIES_KB = """\
category: events
entries:
  - id: ice-festival
    title: {zh: 冰雪节, ja: 氷雪祭, en: Ice Festival}
    questions:
      zh: [冰雪节是什么活动, 冰雪节什么时候开始]
      ja: [氷雪祭とは]
      en: [What is the ice festival?]
    answer: {zh: 冰雪节。, ja: 氷雪祭です。, en: The ice festival.}
    series:
      pattern: {zh: 通常在12月启动, ja: 例年12月に開幕, en: usually opens in December}
      kind: culture
      month: 12
      link:
        url: https://example.org/ice
        title: {zh: 主办方, ja: 主催者, en: Organiser}
    editions:
      - start: 2024-12-08
        venue: {zh: 东北亚滑雪场, ja: 東北アジアスキー場, en: Northeast Asia Ski Resort}
        source: "release of 2024-12-11"
      - start: 2025-12-28
        venue: {zh: 稻梦小镇, ja: 稲夢小鎮, en: Daomeng Town}
        source: "release of 2025-12-30"
    source: "Test fixture"
  - id: marathon
    title: {zh: 马拉松, ja: マラソン, en: Marathon}
    questions:
      zh: [马拉松是什么活动]
      ja: [マラソン大会とは]
      en: [What is the marathon?]
    answer: {zh: 马拉松。, ja: マラソンです。, en: The marathon.}
    series:
      pattern: {zh: 通常在9月举行, ja: 例年9月に開催, en: usually run in September}
      kind: sports
      month: 9
    editions:
      - start: 2025-09-14
        source: "report of 2025-09-14"
    source: "Test fixture"
  - id: expo
    title: {zh: 博览会, ja: 博覧会, en: Expo}
    questions:
      zh: [博览会是什么活动]
      ja: [博覧会とは]
      en: [What is the expo?]
    answer: {zh: 博览会。, ja: 博覧会です。, en: The expo.}
    series:
      pattern: {zh: 通常在9月1日前后开幕, ja: 例年9月1日前後に開幕, en: usually opens around 1 September}
      kind: business
      month: 9
    editions:
      - start: 2026-09-01
        source: "release of 2026-09-02"
      - start: 2027-09-01T09:00:00+08:00
        end: 2027-09-05T17:00:00+08:00
        venue: {zh: 沈阳国际展览中心, ja: 瀋陽国際展覧センター, en: Shenyang International Exhibition Center}
        source: "announcement of 2026-11-01"
    source: "Test fixture"
  - id: gala
    title: {zh: 晚会, ja: ガラ, en: Gala}
    questions:
      zh: [晚会是什么活动]
      ja: [ガラとは]
      en: [What is the gala?]
    answer: {zh: 晚会。, ja: ガラです。, en: The gala.}
    event:
      start: 2026-12-20T19:00:00+08:00
    source: "Test fixture"
"""

# An edition a curator adds later: the ice festival's 2026 season is announced.
ICE_2026 = """\
      - start: 2026-12-12T18:00:00+08:00
        venue: {zh: 棋盘山, ja: 棋盤山, en: Qipanshan}
        source: "announcement of 2026-11-30"
"""


LEXICON = """\
aspects:
  - id: dates
    label: {zh: 日期, ja: 日程, en: dates}
    terms:
      zh: [什么时候, 啥时候]
      ja: [いつ]
      en: [when]
"""


def write_series_kb(directory: Path, announced: bool = False) -> Path:
    """The series knowledge base in ``directory``; ``announced`` adds the 2026 ice festival."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "_lexicon.yaml").write_text(LEXICON, encoding="utf-8")
    text = SERIES_KB
    if announced:
        anchor = '        source: "release of 2025-12-30"\n'
        text = text.replace(anchor, anchor + ICE_2026)
    (directory / "events.yaml").write_text(text, encoding="utf-8")
    return directory
