"""Which language to reply in: saved choice › language of the text › Telegram language_code › en."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.languages import FALLBACK, SUPPORTED, normalize_code
from bot.text import is_han, is_hangul, is_japanese_form, is_kana, is_simplified_form

__all__ = [
    "SUPPORTED",
    "LanguageChoice",
    "choose_language",
    "detect_text_language",
    "normalize_code",
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
    ]
)
_LATIN_WORD = re.compile(r"[a-z]+")
_SAMPLE_CHARS = 2000  # the start of a message tells its language; a page of text need not be read


@dataclass(frozen=True)
class LanguageChoice:
    """The reply language, and whether the text was in a script we do not speak."""

    language: str
    # The text is in a script we do not support (Korean, Cyrillic, Arabic …): answer in English
    # and say which languages we speak.
    unsupported: bool = False


def detect_text_language(text: str, hint: str | None = None) -> str | None:
    """The language of ``text`` from its script, or None when the text does not tell.

    Returns "zh", "ja", "en", or "other" for scripts we do not support. ``hint`` is the user's
    Telegram language, used only to read Han-only text (which both Chinese and Japanese write).
    """
    text = unicodedata.normalize("NFKC", text[:_SAMPLE_CHARS])
    kana = han = japanese_forms = chinese_forms = hangul = other_letters = latin = 0
    for char in text:
        if is_kana(char):
            kana += 1
        elif is_han(char):
            han += 1
            japanese_forms += is_japanese_form(char)
            chinese_forms += is_simplified_form(char)
        elif is_hangul(char):
            hangul += 1
        elif char.isalpha():
            if _is_latin(char):
                latin += 1
            else:
                other_letters += 1
    latin_words = _LATIN_WORD.findall("".join(c if _is_latin(c) else " " for c in text).lower())
    if kana:
        return "ja"
    if han:
        english_grammar = sum(word in _ENGLISH_GRAMMAR for word in latin_words)
        if english_grammar >= 2 and len(latin_words) >= han / 2:
            return "en"
        if chinese_forms > japanese_forms:
            return "zh"
        if japanese_forms or hint == "ja":
            return "ja"
        return "zh"
    if hangul or other_letters > latin:
        return "other"
    if latin:
        return "en"
    return None


def _is_latin(char: str) -> bool:
    return char.isascii() or unicodedata.name(char, "").startswith("LATIN")


def choose_language(
    text: str | None, saved: str | None = None, telegram_code: str | None = None
) -> LanguageChoice:
    """The reply language, by the order the product promises."""
    saved_lang = normalize_code(saved)
    if saved_lang:
        return LanguageChoice(saved_lang)
    hint = normalize_code(telegram_code)
    detected = detect_text_language(text or "", hint)
    if detected == "other":
        return LanguageChoice(FALLBACK, unsupported=True)
    if detected:
        return LanguageChoice(detected)
    return LanguageChoice(hint or FALLBACK)
