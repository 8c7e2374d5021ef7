"""Which language a text is written in, and the one rule for the language of every reply: a clear
sentence is answered in its own language; everything else in the conversation's language (saved
choice › most recent clear message › Telegram client language › English)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.dialogue import answer_language_asked
from bot.languages import FALLBACK, SUPPORTED, normalize_code
from bot.text import is_han, is_hangul, is_japanese_form, is_kana, is_simplified_form

__all__ = [
    "SUPPORTED",
    "LanguageChoice",
    "Reading",
    "choose_language",
    "detect_text_language",
    "normalize_code",
    "read_text",
]

# English words that carry a sentence's grammar: with these, Latin text is the meaning and any
# Han characters in it are names ("Where is 故宫?").
_ENGLISH_GRAMMAR = frozenset(
    [
        "what",
        "where",
        "when",
        "how",
        "who",
        "which",
        "why",
        "is",
        "are",
        "do",
        "does",
        "can",
        "could",
        "should",
        "would",
        "will",
        "the",
        "a",
        "an",
        "to",
        "of",
        "in",
        "for",
        "about",
        "tell",
        "me",
        "i",
        "you",
        "my",
        "please",
        "there",
        "any",
        "get",
        "go",
        "visit",
        "from",
        "and",
    ]
)
_LATIN_WORD = re.compile(r"[a-z]+")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_SAMPLE_CHARS = 2000  # the start of a message tells its language; a page of text need not be read


# Han characters that only Chinese writes as a word of their own (question words, particles):
# a Han-only text with one of them is a Chinese sentence, since Japanese sentences carry kana.
# 你, 您, 嗨, 喽: "你好" alone had left a Chinese conversation's menus in English.
_CHINESE_SIGNS = frozenset("哪吗嗎呢么麼什怎谁誰嘛吧呀啊这這们們请請是没沒咋啥你您嗨喽")
# Words of Han characters only that Japanese writes and Chinese does not (Chinese says 门票, 票价,
# 免费, 地址): "故宮 料金", "遼寧省博物館 無料" had been answered in Chinese (Japanese tester).
_JAPANESE_WORDS = ("料金", "入場料", "無料", "住所")
# Fewer Latin words than this, with no English grammar word, are a name or a keyword
# ("Mukden palace"), not a sentence that tells its language.
_ENGLISH_SENTENCE_WORDS = 4


@dataclass(frozen=True)
class Reading:
    """What a text tells about its own language."""

    language: str | None  # the best reading: "zh", "ja", "en"; None when there is nothing to read
    clear: bool = False  # the text alone settles it: a sentence, not a name, number or emoji
    unsupported: bool = False  # a script we do not speak (Korean, Cyrillic, Arabic …)


@dataclass(frozen=True)
class LanguageChoice:
    """The reply language, and what the text itself told."""

    language: str
    # The text is in a script we do not support: answer and say which languages we speak.
    unsupported: bool = False
    # The text was a sentence in this language: it becomes the conversation's language.
    clear: bool = False


@dataclass
class _Counts:
    kana: int = 0
    han: int = 0
    japanese_forms: int = 0
    chinese_forms: int = 0
    chinese_signs: int = 0
    hangul: int = 0
    other_letters: int = 0
    latin: int = 0


def _count(text: str) -> _Counts:
    counts = _Counts()
    for char in text:
        if is_kana(char):
            counts.kana += 1
        elif is_han(char):
            counts.han += 1
            counts.japanese_forms += is_japanese_form(char)
            counts.chinese_forms += is_simplified_form(char)
            counts.chinese_signs += char in _CHINESE_SIGNS
        elif is_hangul(char):
            counts.hangul += 1
        elif char.isalpha():
            if _is_latin(char):
                counts.latin += 1
            else:
                counts.other_letters += 1
    return counts


def read_text(text: str, hint: str | None = None) -> Reading:
    """The language ``text`` is written in, and whether the text alone settles it. ``hint`` is
    the user's Telegram language, used only to read Han-only text that both languages write."""
    text = unicodedata.normalize("NFKC", text[:_SAMPLE_CHARS])
    counts = _count(text)
    counts.japanese_forms += sum(word in text for word in _JAPANESE_WORDS)
    latin_words = _LATIN_WORD.findall("".join(c if _is_latin(c) else " " for c in text).lower())
    grammar = sum(word in _ENGLISH_GRAMMAR for word in latin_words)
    if counts.kana:
        return Reading("ja", clear=True)
    if counts.han:
        one_name = len(_HAN_RUN.findall(text)) == 1 and _is_latin(text.lstrip()[:1] or " ")
        return _read_han(counts, grammar, len(latin_words), hint, one_name)
    if (counts.hangul or counts.other_letters > counts.latin) and not _english_around(
        counts, grammar, len(latin_words)
    ):
        return Reading(None, unsupported=True)
    if counts.latin:
        sentence = grammar >= 1 and len(latin_words) >= 2
        return Reading("en", clear=sentence or len(latin_words) >= _ENGLISH_SENTENCE_WORDS)
    return Reading(None)


def _english_around(counts: _Counts, grammar: int, latin_words: int) -> bool:
    """Whether an English sentence holds a word or two of another script: "also where do ppl go
    for karaoke 노래방" had been told which languages the bot speaks."""
    foreign = counts.hangul + counts.other_letters
    return grammar >= 1 and latin_words >= _ENGLISH_SENTENCE_WORDS and counts.latin > 2 * foreign


def _read_han(
    counts: _Counts, grammar: int, latin_words: int, hint: str | None, one_name: bool = False
) -> Reading:
    if grammar >= 2 and latin_words >= counts.han / 2:  # "Where is 故宫?": Han names in English
        return Reading("en", clear=True)
    # One name in a sentence that opens in English: "Is 鸡架 spicy?", "and 老边饺子?" had been
    # answered in Chinese ("我想去 the palace" opens in Chinese).
    if one_name and grammar >= 1:
        return Reading("en", clear=True)
    if counts.chinese_forms > counts.japanese_forms:
        return Reading("zh", clear=True)
    if counts.japanese_forms > counts.chinese_forms:
        return Reading("ja", clear=True)
    if counts.chinese_signs:  # Traditional Chinese: 瀋陽故宮在哪裡
        return Reading("zh", clear=True)
    if counts.japanese_forms or hint == "ja":
        return Reading("ja")
    return Reading("zh")


def detect_text_language(text: str, hint: str | None = None) -> str | None:
    """The language of ``text`` from its script: "zh", "ja", "en", "other" for scripts we do
    not support, or None when the text does not tell."""
    reading = read_text(text, hint)
    return "other" if reading.unsupported else reading.language


def _is_latin(char: str) -> bool:
    return char.isascii() or unicodedata.name(char, "").startswith("LATIN")


def choose_language(
    text: str | None,
    saved: str | None = None,
    telegram_code: str | None = None,
    recent: str | None = None,
) -> LanguageChoice:
    """The language of a reply — the one rule of the product, for text, taps and commands alike:

    0. a question that asks to be answered in a language is ("请用日语告诉我…");
    1. a message that is clearly a sentence in one language is answered in that language;
    2. otherwise (a name, a keyword, a number, emoji, a tap, a command) the conversation's
       language: the user's saved choice (/lang), else the language of their most recent clear
       message (``recent``), else what the text suggests (Han-only text), else the Telegram
       client's language, else English.
    """
    asked = answer_language_asked(text or "")
    if asked is not None:  # "请用日语告诉我沈阳故宫怎么去": asked for in the question itself
        return LanguageChoice(asked, clear=True)
    hint = normalize_code(telegram_code)
    reading = read_text(text or "", hint)
    if reading.clear and reading.language:
        return LanguageChoice(reading.language, clear=True)
    conversation = normalize_code(saved) or normalize_code(recent)
    if reading.unsupported:
        return LanguageChoice(conversation or FALLBACK, unsupported=True)
    return LanguageChoice(conversation or reading.language or hint or FALLBACK)
