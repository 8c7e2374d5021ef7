"""The one table of the languages the assistant speaks: code, native name, Babel locale, the
codes Telegram clients send, and how a day is written for that reader."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """One supported language and every fact the code needs about it."""

    code: str  # what the knowledge base, the catalogs and the store use
    native_name: str  # how the language menu names it, in its own script
    babel_locale: str  # CLDR locale for dates and times
    # Telegram sends an IETF tag (zh-hans, ja, en-US); these are the primary subtags we accept.
    telegram_codes: tuple[str, ...]
    # How a day is written for this reader: 2023年6月20日 星期二 / 2023年6月20日（火） / Tue, June 20, 2023.
    day_pattern: str
    # How people name the language when they ask for it ("reply in English", "用日语回答",
    # "中国語でお願いします"), in the three languages.
    names: tuple[str, ...] = ()
    # Where most of these readers live: an event's time is also shown in this zone, with this
    # label, when it differs ("14:00（日本時間 15:00）"). Chinese and English readers are spread
    # over too many zones to pick one.
    home_zone: str | None = None
    home_zone_label: str = ""


LANGUAGES = (
    Language(
        "zh",
        "中文",
        "zh_Hans_CN",
        ("zh",),
        "y年M月d日 EEEE",
        (
            "中文",
            "汉语",
            "漢語",
            "华语",
            "普通话",
            "中国语",
            "中国語",
            "中国话",
            "chinese",
            "mandarin",
        ),
    ),
    Language(
        "ja",
        "日本語",
        "ja_JP",
        ("ja",),
        "y年M月d日（E）",
        ("日本語", "日语", "日語", "日文", "にほんご", "japanese"),
        "Asia/Tokyo",
        "日本時間",
    ),
    Language(
        "en",
        "English",
        "en",
        ("en",),
        "EEE, MMMM d, y",
        ("英语", "英語", "英文", "えいご", "english"),
    ),
)
# Languages people ask for that the assistant does not speak, as they name them ("can you speak
# korean?" had been put to the topic of the moment, SIM cards): told which it speaks instead.
OTHER_LANGUAGE_NAMES = (
    *("korean", "韩语", "韓語", "韩文", "韓国語", "한국어"),
    *("russian", "俄语", "ロシア語"),
    *("french", "法语", "フランス語"),
    *("german", "德语", "ドイツ語"),
    *("spanish", "西班牙语", "スペイン語"),
    *("italian", "意大利语", "イタリア語"),
    *("portuguese", "葡萄牙语", "ポルトガル語"),
    *("hindi", "印地语", "ヒンディー語"),
    *("arabic", "阿拉伯语", "アラビア語"),
    *("vietnamese", "越南语", "ベトナム語"),
    *("thai", "泰语", "タイ語"),
    *("indonesian", "印尼语", "インドネシア語"),
    *("mongolian", "蒙古语", "モンゴル語"),
    *("cantonese", "粤语", "広東語"),
)
SUPPORTED = tuple(language.code for language in LANGUAGES)
FALLBACK = "en"
# When an entry lacks the reader's language: English is read by most of our users, then Chinese
# (the city's own language), then Japanese.
CONTENT_FALLBACK = ("en", "zh", "ja")


def language(code: str) -> Language:
    """The table row of a supported code; the fallback language for anything else."""
    for row in LANGUAGES:
        if row.code == code:
            return row
    return language(FALLBACK)


def normalize_code(code: str | None) -> str | None:
    """Map a Telegram/IETF language code (zh-hans, ja-JP, en-US) to a supported language."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    for row in LANGUAGES:
        if base in row.telegram_codes:
            return row.code
    return None


def N_(message: str) -> str:
    """Mark a constant for translation (pybabel extracts it); it is translated where shown."""
    return message
