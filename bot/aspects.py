"""What an entry says about one aspect ("how do I get there", "opening hours", "ticket price"):
the event's dates, the place's address, or the sentences of its answer that speak of the aspect.
None when the entry does not say — the reply then says so plainly instead of guessing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from bot.categories import SIGHTS
from bot.event_text import venue_lines, when_lines
from bot.i18n import Voice
from bot.lexicon import Concept
from bot.records import FACT_OF_ASPECT, Entry, Facts
from bot.replies import localized
from bot.terms import TermFinder

ASPECT_CHARS = 300  # an aspect answer is one or two lines on a phone, before its buttons
# A sentence ends at CJK or Latin end punctuation, or at a full stop before a space ("No. 171"
# splits too: harmless, an address comes from the facts); not at "9.30".
_SENTENCE = re.compile(r"(?:[^。！？!?.\n]|\.(?!\s|$))+(?:[。！？!?]|\.(?=\s|$))?")
_MARKUP = re.compile(r"\*\*")

# Aspects an entry can speak of only if it is somewhere or at some time: asked about the
# investment climate, "open" is not about opening hours.
_PLACE_OR_TIME = frozenset(
    {"access", "location", "hours", "price", "booking", "dates", "duration", "phone"}
)
# Aspects whose answer is a figure: a sentence of the answer that names the aspect without one
# ("check tickets and hours before you go") does not answer it, and the reply says plainly that
# the bot does not have it.
# What each looks like: a sum with its currency ("30元", "¥30", "free"), a time of day ("9:00",
# "9点"), a length of time ("2 hours", "半天"), a date. A bare number is not one: "12306" (the
# railway's booking site) was shown as a ticket price, "2026年2月1日" as a taxi fare.
# How answers write an aspect that questions ask otherwise: a question's bare "电话" or "phone"
# is too often a phone card or a mobile ("沈阳怎么买电话卡", "Can I use my phone in China?"), a
# sentence's "客服电话：中国移动10086" or "tel. 024-…" is a number to call.
_WRITTEN = {
    "phone": ("电话", "電話", "tel", "phone", "hotline", "customer service", "热线"),
    # "最快2小时44分", "about 3.5 hours": how long a trip takes, as answers write it
    "duration": ("小时", "小時", "時間", "分钟", "hours", "hour", "minutes"),
}
_FIGURES = {
    "price": re.compile(
        r"\d[\d,.]*\s*(?:元|円|块|yuan|rmb|cny)|(?:¥|￥|rmb|cny)\s*\d|free|免费|免費|無料",
        re.IGNORECASE,
    ),
    "hours": re.compile(r"\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*(?:点|點|時|am|pm)", re.IGNORECASE),
    "duration": re.compile(
        r"\d+(?:\.\d+)?\s*(?:hours?|hrs?|minutes?|mins?|小时|小時|時間|分钟|分)|半天|半日|half a day"
        r"|\d+\s*个半?(?:小时|小時|钟头)",
        re.IGNORECASE,
    ),
    "dates": re.compile(r"\d"),
    # A number to dial: "024-24843956", a hotline ("10086", "12345"), an emergency number
    # ("110"); not a year ("1829") or a sum.
    "phone": re.compile(r"(?<![\d-])(?:0\d{2,3}-\d{7,8}|400-?\d{3}-?\d{4}|1\d{2}|1\d{4})(?![\d-])"),
}


# Where an organisation or a zone is, as its answer says it ("总部在浑南区", "lies in the north of
# Shenyang", "浑南区是主要承载区"): asked where SIASUN or a zone is, the whole answer had been
# given again (9 development turns).
_SEAT = re.compile(
    r"位于|位於|总部在|总部位于|坐落|承载区|本社|に位置|にあり|headquartered|located in|lies in"
    r"|based in|\bin [A-Z][a-z]+ District\b|[\u4e00-\u9fff]{2,4}区[）)]",
)
_SEATED = frozenset({"investment"})  # the categories of companies, zones and their agencies


def _seat(entry: Entry, lang: str) -> list[str]:
    """The sentences of an organisation's or zone's answer that say where it is."""
    answer = localized(entry.answer, lang)
    if entry.category not in _SEATED or answer is None:
        return []
    sentences = (s.strip() for s in _SENTENCE.findall(_MARKUP.sub("", answer[0])))
    # Not a piece cut from inside brackets by a full stop there: "渾河の南岸。市政府の所在地で…）"
    whole = (s for s in sentences if s.count("（") + s.count("(") >= s.count("）") + s.count(")"))
    return [s for s in whole if _SEAT.search(s)]


def is_place(entry: Entry) -> bool:
    """Whether "there" can point at the entry: a place, a sight, an event, a service's seat."""
    located = entry.location is not None or chinese_address(entry) is not None
    return located or entry.category == SIGHTS or entry.event is not None or bool(entry.series)


def applies(entry: Entry, aspect: Concept) -> bool:
    """Whether asking this aspect of this entry makes sense: a place, a sight or an event."""
    if aspect.id not in _PLACE_OR_TIME:
        return True
    is_event = entry.event is not None or entry.series is not None
    if aspect.id == "dates":
        # Only an event has dates: "when's the best time to visit?" is the whole answer on the
        # best season, "when was the palace built?" the palace's; both had been told "I don't
        # have dates for …".
        return is_event
    if aspect.id == "location" and not is_event:
        # Where a thing with no address is ("where can I eat local food?") is its whole answer,
        # not "I don't have the address for Local food".
        has_address = entry.location is not None or bool(entry.facts and entry.facts.address)
        # In every language, so that no reader is told "I don't have the address" (BMW's
        # English answer names its districts, its Chinese one its plants).
        return has_address or all(_seat(entry, lang) for lang in entry.answer)
    if entry.location is not None or is_event or entry.category == SIGHTS:
        return True
    if aspect.id == "phone" and entry.facts is not None:
        return True  # any place or service with facts is one to call, number known or not
    if aspect.id == "duration" and entry.category == "living":
        # A trip's length written in every language's answer ("Harbin–Dalian about 3.5 hours"):
        # "how long is the train to Harbin?" had been the whole entry again. Not the visa rules:
        # "how long can Germans stay" is 30 days, not the transit rule's "240 hours".
        return all(_sentences_about(entry, aspect, lang) for lang in entry.answer)
    # A service with the fact written down: the hospitals' addresses, a booking line.
    name = FACT_OF_ASPECT.get(aspect.id)
    return entry.facts is not None and name is not None and bool(_fact_values(entry.facts, name))


def _fact_values(facts: Facts, name: str) -> Mapping[str, str]:
    """A fact's texts per language; the phone number is the same in every language."""
    value: Mapping[str, str] | str | None = getattr(facts, name)
    if isinstance(value, str):
        return {"zh": f"☎ {value}"}
    return {lang: text for lang, text in (value or {}).items() if text}


def aspect_text(entry: Entry, aspect: Concept, voice: Voice, now: datetime) -> str | None:
    """Plain text of what the entry says about ``aspect`` in the voice's language, or None: its
    fact when it has one, else the sentences of its answer that speak of the aspect. The dates of
    an event are its next announced edition, never a past one; for a series with none announced,
    its usual pattern and the last edition."""
    lang = voice.lang
    if aspect.id == "dates" and (entry.event is not None or entry.series is not None):
        return "\n".join(when_lines(voice, entry, now)) or None
    fact = _fact(entry, aspect, lang)
    if fact is not None:
        return _fit([fact])
    found = _sentences_about(entry, aspect, lang)
    if aspect.id == "location" and not found and entry.location is None:
        events = entry.event is not None or entry.series is not None
        found = venue_lines(voice, entry, now) if events else _seat(entry, lang)[:2]
    if aspect.id == "location" and entry.location is not None:
        address = localized(entry.location.address, lang)
        if address:
            found = [f"📍 {address[0]}", *found]
    return _fit(found) if found else None


def _fact(entry: Entry, aspect: Concept, lang: str) -> str | None:
    name = FACT_OF_ASPECT.get(aspect.id)
    if entry.facts is None or name is None:
        return None
    text = localized(_fact_values(entry.facts, name), lang)
    if text is None:
        return None
    return f"📍 {text[0]}" if name == "address" else text[0]


def chinese_address(entry: Entry) -> str | None:
    """The entry's address in Chinese, for a taxi driver, if the entry has one."""
    if entry.facts is not None and entry.facts.address.get("zh"):
        return entry.facts.address["zh"]
    if entry.location is None:
        return None
    return entry.location.address.get("zh") or None


def _sentences_about(entry: Entry, aspect: Concept, lang: str) -> list[str]:
    answer = localized(entry.answer, lang)
    if answer is None:
        return []
    words = (*(aspect.terms.get(answer[1], ()) or aspect.all_terms()), *_WRITTEN.get(aspect.id, ()))
    finder = TermFinder([words])
    sentences = (s.strip() for s in _SENTENCE.findall(_MARKUP.sub("", answer[0])))
    found = [s for s in sentences if s and finder.found_in(s)]
    figure = _FIGURES.get(aspect.id)
    return [s for s in found if figure.search(s)] if figure else found


def _fit(sentences: list[str]) -> str:
    """The first sentences that fit the aspect answer's room."""
    kept: list[str] = []
    for sentence in sentences:
        if sum(len(s) + 1 for s in kept) + len(sentence) > ASPECT_CHARS:
            break
        kept.append(sentence)
    return "\n".join(kept) if kept else sentences[0][: ASPECT_CHARS - 1] + "…"
