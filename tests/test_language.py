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


def test_a_clear_sentence_is_answered_in_its_own_language_whatever_was_saved() -> None:
    assert choose_language("Where is the palace?", saved="ja", telegram_code="en") == (
        LanguageChoice("en", clear=True)
    )
    assert choose_language("瀋陽故宮の入場料は？", saved="zh", recent="en").language == "ja"
    assert choose_language("沈阳故宫门票多少钱", saved="ja").language == "zh"


@pytest.mark.parametrize(
    ("text", "saved", "recent", "client", "expected"),
    [
        # Not a sentence (a name, a number, emoji, a tap or a command: no text) → the
        # conversation's language: saved › recent clear message › the text's guess › client › en.
        ("Mukden palace", "ja", "zh", "en", "ja"),
        ("Mukden palace", None, "zh", "en", "zh"),
        ("Mukden palace", None, None, "ja", "en"),  # Latin text reads as English before the client
        ("123", None, None, "ja", "ja"),
        ("👍", None, "ja", "en", "ja"),
        (None, "zh", "ja", "en", "zh"),
        (None, None, "ja", "en", "ja"),
        (None, None, None, "zh-hans", "zh"),
        (None, None, None, None, "en"),
        ("桃仙空港", None, None, "ja", "ja"),  # Han only, no telling forms: the client reads it
        ("桃仙空港", None, "en", "ja", "en"),
    ],
)
def test_the_rules_order(
    text: str | None, saved: str | None, recent: str | None, client: str | None, expected: str
) -> None:
    choice = choose_language(text, saved=saved, telegram_code=client, recent=recent)
    assert choice == LanguageChoice(expected)  # none of these is clear: none changes the recent


@pytest.mark.parametrize(
    ("text", "clear"),
    [
        ("瀋陽故宮在哪裡", True),  # Traditional Chinese, told by its question word
        ("沈阳", True),  # a Simplified-only form
        ("こんにちは", True),
        ("where is it", True),
        ("tell me about hunnan science city", True),
        ("Shenyang", False),
        ("Mukden palace", False),
        ("2026", False),
        ("😀", False),
    ],
)
def test_which_texts_are_clear(text: str, clear: bool) -> None:
    assert choose_language(text).clear is clear


@pytest.mark.parametrize("text", ["안녕하세요 선양", "Привет, где музей?", "مرحبا"])
def test_unsupported_scripts_get_english_with_note(text: str) -> None:
    assert choose_language(text, telegram_code="ko") == LanguageChoice("en", unsupported=True)
    assert detect_text_language(text) == "other"


@pytest.mark.parametrize(
    "text",
    [
        "also where do ppl go for karaoke 노래방",
        "annyeong 😊 im from LA. where can i find good 삼겹살 in shenyang",
    ],
)
def test_an_english_sentence_with_a_korean_word_is_english(text: str) -> None:
    # Had been told which languages the bot speaks, as if it had been written in Korean.
    assert choose_language(text, telegram_code="ko") == LanguageChoice("en", clear=True)


@pytest.mark.parametrize(
    "text", ["故宮 料金", "遼寧省博物館 無料", "北陵公園 入場料", "老辺餃子 住所"]
)
def test_kanji_only_text_with_a_japanese_word_is_japanese(text: str) -> None:
    # Had been answered in Chinese: Chinese says 门票, 免费, 地址.
    assert choose_language(text).language == "ja"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Is 鸡架 spicy?", "en"),  # had been answered in Chinese
        ("and 老边饺子?", "en"),
        ("我想去 the palace", "zh"),  # opens in Chinese
        ("沈阳 and 大连 哪个好", "zh"),  # more than one name
    ],
)
def test_one_name_in_a_sentence_that_opens_in_english(text: str, language: str) -> None:
    assert choose_language(text).language == language


def test_language_codes() -> None:
    assert normalize_code("ja-JP") == "ja"
    assert normalize_code("zh_Hant") == "zh"
    assert normalize_code("EN") == "en"
    assert normalize_code("ko") is None
    assert normalize_code(None) is None


@pytest.mark.parametrize("text", ["你好", "您好", "嗨"])
def test_a_chinese_greeting_alone_sets_the_conversations_language(text: str) -> None:
    assert choose_language(text, None, None, "en") == LanguageChoice("zh", clear=True)
