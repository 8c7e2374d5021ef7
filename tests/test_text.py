from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text import is_japanese_form, is_simplified_form, normalize, strip_controls


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("瀋陽", "沈阳"),
        ("沈陽", "沈阳"),
        ("故宮", "故宫"),
        ("渾南", "浑南"),
        ("ＭＵＫＤＥＮ　Palace！", "mukden palace"),
        ("ｼｪﾝﾔﾝ", "シェンヤン"),
        ("  Where   is\tit?? 🏯✨ ", "where is it"),
    ],
)
def test_forms_meet(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


def test_punctuation_and_emoji_only_normalize_to_nothing() -> None:
    assert normalize("?!?!…。、🙂🙂") == ""


def test_japanese_and_simplified_only_forms() -> None:
    assert is_japanese_form("気") and is_japanese_form("発") and is_japanese_form("駅")
    assert not is_japanese_form("国") and not is_japanese_form("会") and not is_japanese_form("a")
    assert is_simplified_form("阳") and is_simplified_form("宫")
    assert not is_simplified_form("国") and not is_simplified_form("陽")
    # Shared by Chinese and Japanese, though OpenCC maps them to other forms one way or the other.
    assert not any(map(is_japanese_form, "研為学"))
    assert not is_simplified_form("内")


def test_strip_controls_keeps_text() -> None:
    assert strip_controls("\x00a\x07b\u200bc\nd") == "abc d"


def test_normalize_many_equals_normalize_one_by_one(shipped_kb: object) -> None:
    from bot.knowledge import KnowledgeBase
    from bot.text import normalize_many

    assert isinstance(shipped_kb, KnowledgeBase)
    texts = [q for e in shipped_kb.entries for qs in e.questions.values() for q in qs]
    texts += ["a\nb", " x_y ", "", "ＡＢＣ！", "瀋陽\r\n故宮", "🏯 a\u3000_b！"]
    assert normalize_many(texts) == [normalize(t) for t in texts]
    # Many texts are normalized with numpy rather than a regular expression: the same forms.
    many = [f"{text} {number}" for number in range(200) for text in texts]
    assert sum(map(len, many)) > 200_000
    assert normalize_many(many) == [normalize(t) for t in many]
    assert normalize_many([]) == []


def test_normal_forms_map_each_distinct_text_to_its_normal_form() -> None:
    from bot.text import normal_forms

    texts = ["瀋陽故宮", "Mukden Palace!", "瀋陽故宮", "🏯"]
    assert dict(normal_forms(texts)) == {t: normalize(t) for t in texts}
    assert list(normal_forms(texts)) == ["瀋陽故宮", "Mukden Palace!", "🏯"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("aZ _-\n\r\t!。、瀋陽気ですＡ１\u3000\x1f\u2028🏯")))
    )
)
def test_normalize_many_equals_normalize_on_any_texts(texts: list[str]) -> None:
    from bot.text import normalize_many

    assert normalize_many(texts) == [normalize(t) for t in texts]
