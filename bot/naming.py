"""Which aspect a message asks, read in the part that asks, and which entry it names beside it
("故宫周一开门吗", "沈阳古宫，周一开门不？"):
the one keyword it holds, the place its score alone is sure of, or the place named in the part
before the part that asks; and the places a live question or a need no entry answers names
("is Mukden Palace crowded right now?"). Pure functions over the knowledge base and its index
(bot.brain), used by the conversation core (bot.conversation)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from rapidfuzz import fuzz

from bot.aspects import applies, is_place
from bot.brain import Brain
from bot.categories import SIGHTS, SMALL_TALK
from bot.dialogue import (
    asking_part,
    asks_in_words,
    clauses,
    goes_back,
    questions,
    sentences,
    spaced,
    without_going_back,
)
from bot.grammar import without_grammar, without_landmarks, without_origin
from bot.knowledge import Entry
from bot.lexicon import Concept, Lexicon
from bot.matching import MatchResult, Outcome
from bot.passages import asked_lines, says_all, says_any
from bot.replies import entry_label
from bot.terms import stands_alone
from bot.text import has_cjk, is_hiragana, normalize
from bot.turns import Turn

# Below this many characters (after the aspect's words and Japanese particles are taken out), a
# follow-up names no topic of its own: "怎么去" leaves nothing, "そこへの行き方は" only particles,
# "どこで食べられますか" only 食 (it counted 8 with the particles and went to another entry).
TOPIC_CHARS = 4
SHORT_CHARS = 8  # a name beside an aspect, not a sentence: "故宫吗", "zhaoling tomb"
NAME_CHARS = 2  # the shortest name of a topic: 北陵, 中街 ("食" alone is a verb's stem)
# Aspects asked from somewhere: the way there and how far it is ("is the old palace far from
# zhongjie?" had been given Zhongjie's address).
MEASURED_FROM = frozenset({"access", "location"})
_CLOSE = 5.0  # points between the first entry and the topic second that the topic wins by
_STEM = 6  # letters two forms of an English word share: register, registration, registered


def sure_first(brain: Brain, found: MatchResult) -> str | None:
    """The entry a ranking has first where its score alone is sure of it, though the ranking
    may still be an offer: "to the palace" alone offers the palace and Zhongjie (which explains
    it as well, 2.5 points behind), but it surely means the palace."""
    sure = found.evidence is not None and brain.matcher.model.sure(found.evidence)
    return found.matches[0].id if sure and found.matches else None


def sure_of_other(brain: Brain, text: str, topic: Entry) -> bool:
    """Is the matcher's score alone sure that ``text`` asks an entry other than the topic?"""
    found = brain.matcher.match(text, limit=2)
    sure = found.evidence is not None and brain.matcher.model.sure(found.evidence)
    return sure and found.answer_id not in (None, topic.id)


def sure_other(brain: Brain, rest: str, entry: Entry) -> Entry | None:
    """The entry other than ``entry`` that the words beside an aspect are surely about, unless
    they name ``entry`` and the other's phrasing does not say that name: "中街晚上" (of "中街晚上
    几点关门") is Zhongjie's, though Taiyuan Street's "太原街晚上热闹吗" scored higher; "the
    taoxian park" is the bonded park's "taoxian bonded park", not the airport's "taoxian"."""
    found = brain.matcher.match(rest, limit=2)
    first = sure_first(brain, found)
    if first is None or first == entry.id:
        return None
    names = _keywords_in(entry, normalize(rest))
    phrasing = normalize(found.matches[0].question)
    return None if names and not any(n in phrasing for n in names) else brain.knowledge.get(first)


def asked_of_topic(brain: Brain, topic: Entry, named: str, lang: str) -> Entry | None:
    """The topic, where "what about X?" names nothing of its own and asks X of it: "那夏天呢"
    after the best season, "日本では？" after the sister cities (offered summer events and the
    Tokyo promotion before): X asked with the topic's name is answered with the topic."""
    found = brain.matcher.match(f"{entry_label(topic, lang)} {named}", limit=2)
    if topic.id not in (found.answer_id, sure_first(brain, found)):
        return None
    # A name is asked of the topic ("what about Germany" after the sister cities, which have
    # none there: not the visa rules it is a keyword of); other words only where the topic's
    # answer holds one: "what about skiing for kids" after the forecast had been told it has
    # nothing on that.
    if brain.matcher.named_in(named):
        return topic
    return topic if says_any(named, " ".join(topic.answer.values())) else None


def named_entry(brain: Brain, rest: str, aspect: Concept, topic: Entry | None) -> Entry | None:
    """The one entry other than the topic whose keyword the words beside the aspect hold, if the
    aspect applies to it. None where the topic's own questions use all those words: "how long
    can i stay" after the visa rules asks the visa's stay, not the hotels' (whose keyword "stay"
    had answered with the 24-hour registration)."""
    if topic_says(brain, topic, rest):
        return None
    keyed = _named_besides(brain, rest, topic)
    if not keyed and topic is not None and topic.id in brain.matcher.named_in(rest):
        # The topic itself named: "中街晚上几点关门" after Zhongjie (had been Taiyuan Street's).
        return None
    if not keyed and has_cjk(rest):  # "大帅付离那远不": 大帅府 typed with another 付
        keyed = _named_besides(brain, normalize(brain.homophones.corrected(rest)), topic)
    entry = brain.knowledge.get(keyed[0]) if len(keyed) == 1 else None
    if not keyed and len(content_of(rest)) >= TOPIC_CHARS:
        # A place no keyword names, surely meant: "how do I get to the palace from the north
        # station?" ("the palace" is the Mukden Palace; whole, getting to Shenyang led), "is
        # the palace open in winter?" after the best season (had answered the season's hours).
        first = sure_first(brain, brain.matcher.match(rest, limit=2))
        other = first if topic is None or first != topic.id else None
        entry = brain.knowledge.get(other) if other else None
    return entry if entry is not None and applies(entry, aspect) else None


def topic_says(brain: Brain, topic: Entry | None, rest: str) -> bool:
    """Do the topic's own questions use every word of a follow-up beside its aspect (grammar
    and Japanese particles aside), none of them a place's name? A place named is asked of
    ("棋盤山も近いですか？" after the Eastern Tomb, whose questions name Qipanshan too)."""
    if topic is None or any(
        is_place(e) for i in brain.matcher.named_in(rest) if (e := brain.knowledge.get(i))
    ):
        return False
    words = normalize("".join(c for c in without_grammar(rest) if not is_hiragana(c))).split()
    own = " ".join(normalize(q) for qs in topic.questions.values() for q in qs)
    return bool(words) and all(_said_in(word, own) for word in words)


def _said_in(word: str, text: str) -> bool:
    """Is a normalized word in a normalized text: CJK anywhere, a Latin word whole, or a long
    one by its first six letters at a word's start ("registration" in "register a company")?"""
    if has_cjk(word):
        return word in text
    if len(word) >= _STEM:
        return re.search(rf"(?<![a-z0-9]){re.escape(word[:_STEM])}", text) is not None
    return stands_alone(word, text)


def _named_besides(brain: Brain, text: str, topic: Entry | None) -> list[str]:
    """The entries other than the topic that a keyword in ``text`` names."""
    return [i for i in brain.matcher.named_in(text) if topic is None or i != topic.id]


def named_in_question(
    brain: Brain, text: str, aspect: Concept, topic: Entry | None
) -> tuple[Entry, Concept] | None:
    """:func:`named_entry` in the one sentence of a longer message that asks, where that is a name
    beside the aspect: "沈阳故宮周一开门不？别白跑一趟😂" asks the palace's hours (whole, it
    offered the palace, the 9.18 museum and the provincial museum). In a message of one
    sentence, its first part set apart by a space may be that, with an aspect of its own:
    "东陵离市区远吗 打车过去大概多少钱" asks where the tomb is first (whole, it offered getting
    around, the fares and language help)."""
    asking = questions(sentences(text))
    if len(asking) != 1:
        return None
    lexicon = brain.knowledge.lexicon
    parts = [part for part in spaced(asking[0]) if asks_in_words(part)]
    if asking[0] == text.strip():
        own, rest = lexicon.aspect_in(normalize(parts[0])) if len(parts) > 1 else (None, "")
    else:
        own, rest = lexicon.aspect_in(normalize(asking[0]))
        own = own if own == aspect else None
        if own is not None and own.id == "access":
            # "…大帥府を見学したいです。故宮から歩いて行ける距離ですか？" asks the way to the
            # mansion: the palace is where the walk starts
            rest = lexicon.aspect_in(without_origin(normalize(asking[0])))[1]
    told = _told_before_asking(asking[0])
    if told is not None:
        # The part that asks is the aspect alone ("你好 …想去北陵公园转转 地铁能到不", "…下午想
        # 直接去沈阳古宫，周一开门不？"): the one place named nearest before it.
        before, last = told
        alone, left = lexicon.aspect_in(normalize(last))
        one = _named_before(brain, before)
        if alone == aspect and len(content_of(left)) < NAME_CHARS and one and applies(one, aspect):
            return one, aspect
        beside = lexicon.aspect_in(without_origin(normalize(last)))[1]
        keyed = (
            _named_besides(brain, beside, topic) if len(content_of(beside)) < SHORT_CHARS else ()
        )
        named = brain.knowledge.get(keyed[0]) if alone == aspect and len(keyed) == 1 else None
        if named is not None and applies(named, aspect):
            return named, aspect  # "你好 下周带爸妈去沈阳玩三天 故宫离中街近不近": its own name
    short = NAME_CHARS <= len(content_of(rest)) < SHORT_CHARS
    named = named_entry(brain, rest, own, topic) if own is not None and short else None
    if named is None and own is not None and not brain.matcher.named_in(rest):
        # "hi! landing at taoxian friday night… whats the easiest way into the city?"
        named = _named_before(brain, [s for s in sentences(text) if s != asking[0]])
        named = named if named is not None and applies(named, own) else None
    return (named, own) if named is not None and own is not None else None


def _told_before_asking(sentence: str) -> tuple[list[str], str] | None:
    """The parts of a sentence before the one part that asks (set apart by spaces, or else by
    commas), and that part; None unless exactly one part asks, the last."""
    pieces = spaced(sentence)
    if len(pieces) < 2:
        pieces = clauses(sentence)
    asking = [n for n, piece in enumerate(pieces) if asks_in_words(piece)]
    if len(pieces) < 2 or asking != [len(pieces) - 1]:
        return None
    return pieces[:-1], pieces[-1]


def _named_before(brain: Brain, parts: list[str]) -> Entry | None:
    """The one entry named in the last of ``parts`` that names any, typed as it sounds or not
    ("沈阳古宫" is the palace); a landmark ("住在中街附近") names none."""
    for part in reversed(parts):
        heard = brain.homophones.corrected(part) if has_cjk(part) else part
        keyed = brain.matcher.named_in(without_landmarks(normalize(heard)))
        if len(keyed) > 1:  # "去沈阳故宫" holds "去沈阳" too: the one the part ranks first
            keyed = tuple(
                m.id for m in brain.matcher.match(heard, limit=1).matches if m.id in keyed
            )
        if keyed:
            # The part sure of an entry more than the keyword names it: "the Hello Shenyang
            # event in Tokyo" is the Tokyo stop, not the series (had been told Munich's date).
            sure = sure_first(brain, brain.matcher.match(heard, limit=2))
            return brain.knowledge.get(sure or keyed[0])
    return None


def content_of(rest: str) -> str:
    """What is left beside an aspect once grammar is gone: spaces, Japanese particles (hiragana)
    and English function words. "は" in "行き方は" and "is it" in "is it open on Mondays" are
    grammar; "棋盘山" in "棋盘山 怎么去" and "downtown" in "how do I get there from downtown" are
    not."""
    return "".join(c for c in without_grammar(rest) if not c.isspace() and not is_hiragana(c))


def aspect_of(
    lexicon: Lexicon, text: str, fits: Callable[[Concept], bool]
) -> tuple[Concept | None, str]:
    """The aspect a message asks, read first in the part that asks ("landing at taoxian friday
    night… whats the easiest way into the city?" asks the way, not Friday's hours), and the
    message without the aspects' words."""
    aspect, rest = lexicon.aspect_in(normalize(text), fits)
    if aspect is None:
        return None, rest
    return lexicon.aspect_in(normalize(asking_part(text)), fits)[0] or aspect, rest


def aspect_asked(lexicon: Lexicon, text: str) -> tuple[Concept | None, str]:
    """The aspect a question asks (read in its asking clauses) and its words beside it. A way
    asked from somewhere to somewhere is the way to the second: "how do I get from Shenyang
    North Station to the palace?" (the station's name had split "get … to")."""
    asking = normalize(asking_part(text))
    aspect = lexicon.aspect_in(asking)[0] or lexicon.aspect_in(without_origin(asking))[0]
    if aspect is None:
        return None, ""
    asked = without_origin(asking) if aspect.id in MEASURED_FROM else asking
    return aspect, lexicon.aspect_in(asked)[1]


def name_sized(rest: str) -> bool:
    """Whether the words beside an aspect are a name rather than a sentence: 2 to 7 Chinese or
    Japanese characters ("机场" in "沈阳北站咋去机场"), or one to three English words ("is the old
    palace far from zhongjie?" leaves "old palace", 9 letters, which the count of characters had
    taken for a sentence)."""
    content = content_of(rest)
    if has_cjk(content):
        return NAME_CHARS <= len(content) < SHORT_CHARS
    return len(content) >= TOPIC_CHARS and len(without_grammar(rest).split()) <= 3


def names_start(brain: Brain, asked: str) -> bool:
    """Whether a message asking the way names only where it starts, and is answered on its own:
    "桃仙空港から市内まで地下鉄で行けますか？何号線？" is the airport's way into the city."""
    lexicon = brain.knowledge.lexicon
    rest = lexicon.aspect_in(asked)[1]
    if len(content_of(rest)) < TOPIC_CHARS or rest == lexicon.aspect_in(without_origin(asked))[1]:
        return False
    return brain.matcher.match(asked, limit=1).answer_id is not None


def priced_service(brain: Brain, text: str, aspect: Concept, topic: Entry | None) -> Entry | None:
    """The service a price is asked of, where the message names one by a lexicon concept:
    "打车过去多少钱" after the East Tomb asks the taxi fare, not the tomb's ticket (it had been
    given the tomb's ticket price). The concept's and the aspect's words as written, matched
    alone, must answer an entry that is no place (the fares, not the airport)."""
    if aspect.id != "price" or topic is None:  # with no topic, the question is matched whole
        return None
    lexicon, asked = brain.knowledge.lexicon, normalize(text)
    service = lexicon.concept_finder.names_in(asked)
    if not service:
        return None
    words = [*service, *lexicon.aspect_finder.names_in(asked)]
    found = brain.matcher.match(" ".join(words), limit=2)
    entry = brain.knowledge.get(found.answer_id) if found.answer_id else None
    if entry is None or entry is topic or entry.location is not None or entry.category == SIGHTS:
        return None
    return entry


def kept_on_topic(brain: Brain, topic: Entry | None, text: str, found: MatchResult) -> str | None:
    """The topic, where a question the matcher ranked (``found``) is still about it."""
    return (
        subject_left_out(brain, topic, text, found)
        or still_on_topic(brain, topic, text, found)
        or said_in_topic(topic, text, found)
        or within_topic(brain, topic, text, found)
    )


# A message this short (normalized) that names nothing is a remark on what was just read.
_REMARK_CHARS = 12


def within_topic(brain: Brain, topic: Entry | None, text: str, found: MatchResult) -> str | None:
    """The topic, where a short remark that names nothing says only words its answer holds:
    "滞在は10日です" after the business visa (a Japanese traveller's 30 days) had been the rules
    for other nationalities, whose answer says "10日間" of the 240-hour transit."""
    if topic is None or found.answer_id in (None, topic.id) or topic.category == SMALL_TALK:
        return None
    other = brain.knowledge.get(found.answer_id or "")
    if other is None or other.category == SMALL_TALK:
        return None  # "谢谢" is thanks, whatever the topic's answer says
    asked = normalize(text)
    if len(asked) > _REMARK_CHARS or asks_in_words(text) or brain.matcher.named_in(text):
        return None  # "主要な産業は何ですか" after the investment climate asks the industries
    return topic.id if says_all(text, " ".join(topic.answer.values())) else None


def said_in_topic(topic: Entry | None, text: str, found: MatchResult) -> str | None:
    """The topic, where nothing answers the message but a line of the topic's answer stands out
    for its words: "宝发园有啥招牌菜" after local food, whose answer names Baofayuan's four
    dishes, had been "I don't know"."""
    if topic is None or found.outcome is not Outcome.UNKNOWN or topic.category == SMALL_TALK:
        return None
    asked = normalize(text)
    return topic.id if any(asked_lines(asked, answer) for answer in topic.answer.values()) else None


# Less than this much information is a few words, not a question naming a place of its own.
_BARE_INFORMATION = 3.5


def subject_left_out(
    brain: Brain, topic: Entry | None, text: str, found: MatchResult
) -> str | None:
    """The topic, where the message is another entry's phrasing without that entry's name and
    names nothing itself: "晚上热闹不" after Zhongjie is not Taiyuan Street's "太原街晚上热闹吗"
    (Chinese console test), "能参观吗" after the aircraft maker not the cathedral's "小南天主教堂
    能参观吗"."""
    other = brain.knowledge.get(found.answer_id or "")
    if topic is None or other is None or other.id == topic.id:
        return None
    if other.category == SMALL_TALK or not is_place(other):
        return None  # "谢啦" is thanks, not "谢谢" without a name
    if brain.matcher.named_in(text):
        return None
    asked, phrasing = normalize(text), normalize(found.matches[0].question)
    names = {normalize(k) for ks in other.keywords.values() for k in ks}
    left = [phrasing.replace(n, "") for n in names if n and n in phrasing and n not in asked]
    if any(fuzz.ratio(rest, asked) >= 80 for rest in left):
        return topic.id
    # A few words asked of one place after another was talked about: "best time to go?" after
    # Xita had been the morning market's ("xiaoheyan market what time should i go").
    said = found.evidence.information if found.evidence else 0.0
    # A sight, not an event: "寒さはどれくらい？" after the ice festival asks the climate.
    sight = is_place(topic) and topic.category == SIGHTS
    return topic.id if sight and left and said < _BARE_INFORMATION else None


def still_on_topic(brain: Brain, topic: Entry | None, text: str, found: MatchResult) -> str | None:
    """The topic, where "Did you mean…" would put it first and the message names no other:
    "那国际专线找谁办" after the VPN entry, "沈阳站那个老站房是哪年盖的" after Shenyang Station
    had offered it with others (4 more development turns right, none lost)."""
    if topic is None or set(brain.matcher.named_in(text)) - {topic.id}:
        return None
    first = found.outcome is Outcome.SUGGEST and found.matches[0].id == topic.id
    # A close second, to a phrasing that names what the message leaves out: "人口多少" after the
    # city's overview is the city's (Shenbei's "沈北新区人口多少" led by 3.8 and was answered).
    second = (
        len(found.matches) > 1
        and found.matches[1].id == topic.id
        and found.matches[0].score - found.matches[1].score < _CLOSE
    )
    return topic.id if first or second else None


def names_service(brain: Brain, text: str, topic: Entry) -> bool:
    """Does a normalized ``text`` name an entry other than the topic that is no place (a service,
    a rule), by words the topic's answers never use? "在那邊可以用LINE跟Google嗎" after the
    climate asks the internet's rules there (had been the climate's whole answer again); "the
    history of the street" after Taiyuan Street is the street's, whose answer tells it."""
    said = normalize(" ".join(topic.answer.values()))
    named = (brain.knowledge.get(i) for i in brain.matcher.named_in(text) if i != topic.id)
    return any(
        not is_place(e) and not any(k in said for k in _keywords_in(e, text))
        for e in named
        if e is not None
    )


def _keywords_in(entry: Entry, text: str) -> list[str]:
    """The entry's keywords, normalized, that a normalized text holds."""
    keywords = (normalize(k) for ks in entry.keywords.values() for k in ks)
    return [k for k in keywords if k and k in text and (has_cjk(k) or stands_alone(k, text))]


def switch_target(
    brain: Brain, named: str, limit: int, topic: Entry | None = None, lang: str = ""
) -> tuple[Entry | None, MatchResult]:
    """The entry "what about X?" turns to: the one X is answered with, or the one entry
    whose keyword X is ("老辺餃子は？" scored the dumplings' entry and local food alike), in a
    ranking of ``limit`` entries. An
    entry no place, asked of the topic, may be the topic's: "what about Germany" after the
    sister cities (had been the visa rules, whose keyword "germany" is)."""
    found = brain.matcher.match(named, limit=limit)
    chosen = found.answer_id
    if chosen is None:
        keyed = brain.matcher.named_in(named)
        one = keyed[0] if len(keyed) == 1 else None
        chosen = one if one and not brain.matcher.elsewhere(named, one) else None
    entry = brain.knowledge.get(chosen) if chosen else None
    keyed_only = entry is not None and chosen != found.answer_id and not is_place(entry)
    if keyed_only and topic is not None and entry != topic:
        entry = asked_of_topic(brain, topic, named, lang) or entry
    return entry, found


# How many entries a live question or a need is ranked against to find the one it names first.
_PLACES_RANKED = 3


def live_places(
    brain: Brain, text: str, topic: Entry | None, need: Concept | None = None
) -> list[Entry]:
    """The entry a live question or a missing need names ("is Mukden Palace crowded right now?"):
    the one it is ranked with first ("华晨宝马铁西工厂能参观吗" names BMW and the park it is in),
    else a place, else the topic it follows ("今朝の朝市、いま混んでます？" after the market); then
    the entry the need points to, if its curators gave one (hotel picks: where to stay)."""
    places = _places_named(brain, text, topic)
    pointed = brain.knowledge.get(need.entry) if need and need.entry else None
    return [*places, pointed] if pointed and pointed not in places else places


def _places_named(brain: Brain, text: str, topic: Entry | None) -> list[Entry]:
    # Not thanks: "thx. is there parking there?" had offered the entry on thanks.
    found = [e for i in brain.matcher.named_in(text) if (e := brain.knowledge.get(i))]
    named = [e for e in found if e.category != SMALL_TALK]
    # Ranked without the need's own words: "land price … in hunnan" had ranked the fares first.
    rest = brain.knowledge.lexicon.missing_finder.spans(normalize(text))[1]
    ranked = [m.id for m in brain.matcher.match(rest, limit=_PLACES_RANKED).matches]
    first = [e for i in ranked for e in named if e.id == i][:1]  # BMW, not the park it is in
    places = [e for e in named if e.location is not None or e.category == SIGHTS]
    chosen = first or places[:1] or named[:1]
    # A topic that is no place is no way on: vegetarian food after the time zone.
    return chosen or ([topic] if topic and is_place(topic) else [])


def gone_back(brain: Brain, turn: Turn) -> Turn:
    """The turn with the one entry a message goes back to as its topic: "back to the marathon -
    where does it start?" after the ice festival had been given the festival's address, "再说回
    帅府，里面有啥看的" after the palace the palace again."""
    back = [clause for clause in clauses(turn.text) if goes_back(clause)]
    # The name in the clause that goes back: "故宮に戻るけど、日本語の音声ガイドある？" names 故宮
    # there (the whole also names language help).
    named = brain.matcher.named_in(back[0]) if back else ()
    if back and not named:  # "back to the palace - how much…": no keyword, but "the palace" is
        found = brain.matcher.match(without_going_back(back[0]), limit=2)
        named = (found.answer_id,) if found.answer_id else ()
    if len(named) != 1 or named[0] == turn.memory.topic:
        return turn
    memory = replace(turn.memory, topic=named[0], topic_at=turn.now, aspect=None, offered=())
    return replace(turn, memory=replace(memory, offered_at=None))
