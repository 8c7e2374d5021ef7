from __future__ import annotations

import pytest

from bot.language import LanguageChoice, choose_language, detect_text_language, normalize_code


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ("瀋陽故宮はどこですか", None, "ja"),
        ("沈阳故宫在哪里", None, "zh"),
        ("沈阳故宫在哪里", "ja", "zh"),  # Simplified-only forms are Chinese whatever the client
        ("瀋陽故宮在哪裡", None, "zh"),  # Traditional Chinese
        ("瀋陽故宮", None, "zh"),  # Han only, nothing Japanese about it
        ("瀋陽故宮", "ja", "ja"),  # … unless the user's Telegram is Japanese
        ("気になる", None, "ja"),
        ("経済開発区", None, "ja"),  # Japanese-only forms 経 済 発
        ("沈阳有哪些大学和科研院所", "ja", "zh"),  # 研 is Chinese too, whatever OpenCC's jp2t says
        ("為什麼要選擇在瀋陽投資", None, "zh"),  # 為 is Traditional Chinese, not only Japanese
        ("桃仙空港 市内", "ja", "ja"),  # 内 is Japanese as well as Simplified
        ("Hunnan Science and Technology Cityって何？", "en", "ja"),
        ("Where is 故宫?", "zh", "en"),
        ("沈阳 Hunnan Science City 在哪里", None, "zh"),
        ("hello there", "ja", "en"),
        ("😀😀", "ja", "ja"),  # nothing to read: Telegram's language decides
        ("", None, "en"),
        ("?!", "zh-hans", "zh"),
    ],
)
def test_reply_language(text: str, code: str | None, expected: str) -> None:
    assert choose_language(text, telegram_code=code).language == expected


def test_saved_choice_wins() -> None:
    assert choose_language("Where is the palace?", saved="ja", telegram_code="en") == (
        LanguageChoice("ja")
    )


@pytest.mark.parametrize("text", ["안녕하세요 선양", "Привет, где музей?", "مرحبا"])
def test_unsupported_scripts_get_english_with_note(text: str) -> None:
    assert choose_language(text, telegram_code="ko") == LanguageChoice("en", unsupported=True)
    assert detect_text_language(text) == "other"


def test_language_codes() -> None:
    assert normalize_code("ja-JP") == "ja"
    assert normalize_code("zh_Hant") == "zh"
    assert normalize_code("EN") == "en"
    assert normalize_code("ko") is None
    assert normalize_code(None) is None
