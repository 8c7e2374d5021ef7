"""Which reading of a message the bot acts on: the whole message, one of its sentences or
clauses when that is clearly the question ("Hi, I'm visiting from Osaka next month. Where can I
eat local food?"), the message without the greetings, thanks and sign-offs around it, its
greeting when the rest only tells, or the one place it names when it asks nothing; never a place
it names only as a landmark ("near Zhongjie"). One function, shared by the conversation core and
by the script that fits the matcher's confidence model on what the core really decides on; and
the other questions a message asks besides the one answered.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.categories import SMALL_TALK
from bot.dialogue import (
    asks_in_words,
    clauses,
    parts,
    pieces,
    questions,
    sentences,
    signs_off,
    spaced,
)
from bot.grammar import pointing_at, without_landmarks
from bot.knowledge import Entry, KnowledgeBase
from bot.lexicon import Concept
from bot.matching import CLEAR_LEAD, Matcher, MatchResult, Outcome
from bot.text import normalize

# A sentence of a long message is the question when it is answered this much better than the
# whole message (which greetings and context dilute).
SENTENCE_GAIN = 3.0
# Where the opening words of a message end ("你好，…", "Hi! …", "こんにちは。…").
_OPENING = re.compile(r"[，,。！!？?\n.、]")
# A keyword this telling names its entry outright ("Beiling", "中街"), see _same_topic.
NAMING_SPECIFICITY = 0.7
# A part of less than two words' information ("cars?", 1.5) is not a question of its own.
LEAST_INFORMATION = 2.0
# An asking sentence of this much information (three telling words or so) is a question of its
# own: "…どのような支援をしてくれますか？" 12.9, "How long is the ride?" 3.6.
STANDS_ALONE = 6.0
# A message that points back at nothing named needs this much information to be answered on its
# own: "where can I try it" 2.3.
POINTING_INFORMATION = 3.0
# Only in a short message: in a longer one "it" points at what it said before ("…know nothing
# about it. how big is the city", 82 characters).
POINTING_CHARS = 30


def best_reading(matcher: Matcher, knowledge: KnowledgeBase, text: str, limit: int) -> MatchResult:
    """The match of the whole message, or of one of its parts where that is clearly better; not
    answered with a place the message names only as a landmark ("staying near Zhongjie… is the
    old imperial palace within walking distance?" had been answered with Zhongjie)."""
    found = _best_reading(matcher, knowledge, text, limit)
    if found.answer_id is None:
        return found
    asked = normalize(text)
    if _points_at_nothing(matcher, asked, found):
        return replace(found, outcome=Outcome.SUGGEST)
    apart = without_landmarks(asked)
    if apart == asked or found.answer_id not in matcher.named_in(asked):
        return found
    landmark = found.answer_id not in matcher.named_in(apart)
    return replace(found, outcome=Outcome.SUGGEST) if landmark else found


def _points_at_nothing(matcher: Matcher, asked: str, found: MatchResult) -> bool:
    """Whether a message that points back ("it", "那里") names nothing and says too little to be
    a question of its own: "where can I try it" after "I don't know" had been the ice fishing
    (information 2.3), whose phrasing "where can I try ice fishing" it shares."""
    if found.evidence is None or found.evidence.information >= POINTING_INFORMATION:
        return False
    if len(asked) > POINTING_CHARS:
        return False  # "…know nothing about it. how big is the city": it is the city
    return pointing_at(asked) is not None and not matcher.named_in(asked)


def _best_reading(matcher: Matcher, knowledge: KnowledgeBase, text: str, limit: int) -> MatchResult:
    whole = matcher.match(text, limit=limit)
    said = sentences(text)
    readings = [c for s in questions(said) for c in dict.fromkeys((s, *clauses(s)))]
    # Only parts that ask: "故宫 北陵 大帅府 顺序咋排" lists names, each a part of its own.
    apart = [p for s in questions(said) for p in spaced(s) if asks_in_words(p)]
    if (readings == [text.strip()] or not readings) and not apart:
        return whole
    thanked = _beside_small_talk(matcher, knowledge, text, whole, limit)
    if thanked is not None:
        return thanked
    if whole.outcome is Outcome.ANSWER:
        return _asked_instead(matcher, text, whole, limit) or whole
    greeted = _small_talk(matcher, knowledge, text, limit)
    if greeted is not None:
        return replace(greeted, query=text)
    visit = _the_place_told(matcher, knowledge, text, whole)
    if visit is not None:
        return visit
    readings += _from_question(said)
    pleasant: dict[str, bool] = {}  # a piece recurs in several readings: matched once
    bare = _bare(matcher, knowledge, text, pleasant)  # "ok thx. also are there trams…": the rest
    readings += bare + [b for r in readings for b in _bare(matcher, knowledge, r, pleasant)]
    fragments = [part for part in apart if part not in readings]
    asking = [s for s in said if asks_in_words(s)]
    lone = asking[0] if len(asking) == 1 and len(said) > 1 else ""
    whole_question = {lone, *_bare(matcher, knowledge, lone, pleasant)} - {""}
    best = whole
    led = whole.evidence is not None and not matcher.model.open_question(whole.evidence)
    for part in dict.fromkeys(readings + fragments):
        found = matcher.match(part, limit=limit)
        if (
            found.top_score >= best.top_score + SENTENCE_GAIN
            and _telling(knowledge, found)
            and (
                _names_topic(whole, found)
                if part in fragments
                else _same_topic(whole, found, led or part in bare)
                or _the_question(found, part in whole_question)
            )
        ):
            best = found
    if best is whole:
        return whole
    if best.answer_id and _elsewhere(matcher, knowledge, text, best):
        best = replace(best, outcome=Outcome.SUGGEST)  # "我下个月去哈尔滨，…门票在哪里买"
    return replace(best, query=text)


def _elsewhere(matcher: Matcher, knowledge: KnowledgeBase, text: str, part: MatchResult) -> bool:
    """Whether the message asks about another city, not Shenyang: it names one that the part's
    answer never mentions, and the part does not name Shenyang itself. "is there a jetro office in
    shenyang? boss in osaka is asking" asks about Shenyang (development sets: 8 questions and 7
    conversation turns more right, none lost)."""
    home = knowledge.lexicon.home_finder.found_in(normalize(part.query))
    return not home and part.answer_id is not None and matcher.elsewhere(text, part.answer_id)


def _names_topic(whole: MatchResult, part: MatchResult) -> bool:
    """Whether a part set apart by a space in Chinese or Japanese ("张氏帅府要门票吗 学生有半价没")
    is answered with the whole's best entry, which it names outright. Any such part, as commas'
    clauses are, had answered fragments: "坐地铁能到不" of "沈阳宜家在哪 坐地铁能到不" the metro,
    "開館時間は？" of "918博物館 開館時間は？" the palace (development sets: 5 more right, 5 more
    wrong or off-topic)."""
    if part.outcome is not Outcome.ANSWER or part.evidence is None or not whole.matches:
        return False
    named = part.evidence.specificity >= NAMING_SPECIFICITY
    return named and part.matches[0].id == whole.matches[0].id


def _the_question(found: MatchResult, lone: bool) -> bool:
    """Whether a part that is the message's one asking sentence (``lone``; a clause of it is a
    fragment: "打车大概多久？" of "东陵离市里远不远，打车大概多久？") is answered on its own with a
    question's worth of information: the context around it only tells ("我是从日本来的，下个月
    要去沈阳出差。沈阳地铁有几条线 谢谢🙏" is about the metro, not about getting to Shenyang)."""
    if not lone or found.evidence is None:
        return False
    return found.outcome is Outcome.ANSWER and found.evidence.information >= STANDS_ALONE


def _from_question(said: list[str]) -> list[str]:
    """The message from its first asking sentence on, where context comes before it: "My wife and
    I are planning our first trip to China. Is there a Korean neighbourhood in Shenyang? Someone
    told me about Xita" is about Xita, not about trips to China."""
    first = next((n for n, sentence in enumerate(said) if asks_in_words(sentence)), 0)
    return [" ".join(said[first:])] if first > 0 and first < len(said) - 1 else []


def without_pleasantries(matcher: Matcher, knowledge: KnowledgeBase, text: str) -> str:
    """The question a message asks between the greetings and thanks around it ("Hello, how much is
    the ticket?", "thanks! and how do i get there"), where that asks; else the message. Read
    whole, both had been answered as something else (the fares, and thanks)."""
    bare = _bare(matcher, knowledge, text, {})
    return bare[0] if bare and asks_in_words(bare[0]) else text


def _bare(
    matcher: Matcher, knowledge: KnowledgeBase, text: str, pleasant: dict[str, bool]
) -> list[str]:
    """The message without the greetings, thanks and sign-offs it opens and closes with ("你好！
    …。沈阳地铁有几条线 谢谢🙏"), where it has any: each dilutes the question's words. ``pleasant``:
    what is known of pieces already looked at."""
    spans = pieces(text)
    for a, b in spans:
        if text[a:b] not in pleasant:
            pleasant[text[a:b]] = _pleasantry(matcher, knowledge, text[a:b])
    kept = [n for n, (a, b) in enumerate(spans) if not pleasant[text[a:b]]]
    if not kept or (kept[0] == 0 and kept[-1] == len(spans) - 1):
        return []
    return [text[spans[kept[0]][0] : spans[kept[-1]][1]]]


def _pleasantry(matcher: Matcher, knowledge: KnowledgeBase, piece: str) -> bool:
    """Whether a piece of a message is only a greeting, thanks, a sign-off or emoji."""
    if not normalize(piece) or signs_off(piece):
        return True
    entry = _answered(knowledge, matcher.match(piece, limit=2))
    return entry is not None and entry.category == SMALL_TALK


def _asked_instead(
    matcher: Matcher, text: str, whole: MatchResult, limit: int
) -> MatchResult | None:
    """The one asking sentence's answer where the whole message's comes from what it only tells."""
    said = sentences(text)
    asking = [s for s in said if asks_in_words(s)]
    told = [s for s in said if not asks_in_words(s)]
    if len(asking) != 1 or not told:
        return None
    found = matcher.match(asking[0], limit=limit)
    if found.outcome is not Outcome.ANSWER or found.answer_id == whole.answer_id:
        return None
    if found.evidence is None or found.evidence.information < STANDS_ALONE:
        return None  # "How long is the ride?" needs the sentence before it (Harbin by train)
    if not any(matcher.match(t, limit=1).answer_id == whole.answer_id for t in told):
        return None
    return replace(found, query=text)


def also_asked(
    matcher: Matcher, knowledge: KnowledgeBase, text: str, answered: str, most: int = 2
) -> list[Entry]:
    """The message's other questions, each answered on its own by another entry than the one
    answered: "Where can I exchange money, and do I need a VPN?" asks about VPNs too."""
    said = parts(text)
    if len(said) < 2:
        return []
    found: list[Entry] = []
    for part in said:
        if not asks_in_words(part):
            continue  # "住在太原街附近" says where the writer stays, it asks nothing
        if pointing_at(normalize(part)) is not None:
            continue  # "…the old palace, is it open on mondays?" had also offered another museum
        match = matcher.match(part, limit=2)
        if match.evidence is None or match.evidence.information < LEAST_INFORMATION:
            continue  # "where is it" beside "the tomb of nurhaci" had offered ice fishing
        entry = _answered(knowledge, match)
        if entry is None or entry.id == answered or entry in found or entry.category == SMALL_TALK:
            continue
        if not matcher.elsewhere(text, entry.id):
            found.append(entry)
    return found[:most]


def _small_talk(
    matcher: Matcher, knowledge: KnowledgeBase, text: str, limit: int
) -> MatchResult | None:
    """A message that opens with a greeting or thanks and then only tells ("こんにちは。来月出張で
    瀋陽に行きます。", "你好，我们一家三口下个月去沈阳玩"): the greeting is answered, which invites
    the question. Without this, the bot offered a greeting, visa-free entry and the itinerary as
    "Did you mean…" (and "你好" + "沈阳" the "Hello, Shenyang" promotion first)."""
    opening, rest = [*_OPENING.split(text.strip(), maxsplit=1), ""][:2]
    told = parts(rest) if rest.strip() else []
    if not told or any(map(asks_in_words, told)) or _names_place(knowledge, matcher, rest):
        return None  # "…想顺便看看故宫" names the place it is about: no mere news
    if any(_answered_apart(knowledge, matcher, said) for said in dict.fromkeys((rest, *told))):
        return None  # "hey, quick question - shenyang metro lines": keywords ask without a "?"
    found = matcher.match(opening, limit=limit)
    entry = _answered(knowledge, found)
    return found if entry is not None and entry.category == SMALL_TALK else None


def _beside_small_talk(
    matcher: Matcher, knowledge: KnowledgeBase, text: str, whole: MatchResult, limit: int
) -> MatchResult | None:
    """The question beside thanks or a greeting the whole message is read as: "ok thanks! any good
    hotpot…" and "thanks! what should we eat in shenyang" had been "You're welcome!" (or offered
    it first). Only a part answered on its own: "thanks, very useful" is thanks, and "你好…都能问点
    啥" is what the bot can do (its greeting's rest, read alone, had been "I don't know")."""
    first = knowledge.get(whole.matches[0].id) if whole.matches else None
    bare = _bare(matcher, knowledge, text, {}) if first and first.category == SMALL_TALK else []
    if not bare:
        return None
    found = matcher.match(bare[0], limit=limit)
    entry = _answered(knowledge, found)
    return found if entry is not None and entry.category != SMALL_TALK else None


def need_asked(matcher: Matcher, knowledge: KnowledgeBase, text: str) -> Concept | None:
    """The need no entry answers (parking, lockers) that a message asks about, if any; not one it
    only tells of beside one asking sentence answered on its own: "I'm a student at Liaoning
    University. The Summer of Hunhe festival, what kind of events are there?" asks about the
    festival, not about the university."""
    need = knowledge.lexicon.missing_in(normalize(text))
    said = sentences(text)
    asking = [s for s in said if asks_in_words(s)]
    if need is None or len(asking) != 1 or len(said) < 2:
        return need
    if knowledge.lexicon.missing_in(normalize(asking[0])) is not None:
        return need
    if pointing_at(normalize(asking[0])) is not None:
        return need  # "I read American POWs were held in Mukden. Is there a museum about them?"
    return None if _answered_apart(knowledge, matcher, asking[0]) else need


def _answered_apart(knowledge: KnowledgeBase, matcher: Matcher, text: str) -> bool:
    """Whether ``text`` alone is answered with an entry that is not small talk."""
    entry = _answered(knowledge, matcher.match(text, limit=2))
    return entry is not None and entry.category != SMALL_TALK


def _answered(knowledge: KnowledgeBase, found: MatchResult) -> Entry | None:
    """The entry a match answers with directly, if any."""
    return knowledge.get(found.answer_id) if found.answer_id else None


def _the_place_told(
    matcher: Matcher, knowledge: KnowledgeBase, text: str, whole: MatchResult
) -> MatchResult | None:
    """The one place a message names, answered, where the message asks nothing ("你好！我是从大阪
    来的，下个月要去沈阳出差，顺便想看看故宫 😊" wants to hear about the palace: it had offered
    three entries, and "门票多少钱" next had no topic) or names every other place as a landmark
    ("故宮を見学したいのですが、中街近くのホテルから歩いて行けますか" asks about the palace)."""
    asked = _without_city(text)
    apart = without_landmarks(asked)
    asks = any(map(asks_in_words, parts(text))) and apart == asked
    named = [knowledge.get(entry_id) for entry_id in matcher.named_in(apart)]
    places = [entry.id for entry in named if entry is not None and _a_place(entry, apart)]
    if len(places) != 1 or matcher.asks_about_other_place(text):
        return None  # "下个月去北京出差，顺便想看看故宫" is about Beijing's palace
    if asks and not _leads_by_name(whole, places[0]):
        return None  # a question is answered with a place only where the place also leads
    first = [m for m in whole.matches if m.id == places[0]]
    rest = [m for m in whole.matches if m.id != places[0]]
    return replace(whole, outcome=Outcome.ANSWER, matches=(*first, *rest)) if first else None


def _a_place(entry: Entry, asked: str) -> bool:
    """Whether ``entry`` is a place to visit that ``asked`` (normalized) calls by its name: a
    keyword that is part of its title ("故宫" of 沈阳故宫). "航班" names getting to Shenyang, whose
    place is the airport, and "German" the Sino-German park, an investment zone: they are topics,
    and had answered "充电宝能带上飞机吗" and a question on SWIFT transfers."""
    if entry.location is None or entry.category == "investment":
        return False
    titles = [normalize(title) for title in entry.title.values()]
    words = (normalize(k) for keywords in entry.keywords.values() for k in keywords)
    return any(k and k in asked and any(k in title for title in titles) for k in words)


def _leads_by_name(whole: MatchResult, entry_id: str) -> bool:
    """Whether ``entry_id`` leads the ranking by a keyword that names it outright (0.7 or more:
    "飞机" of getting there, "German" of the Sino-German park are not names)."""
    if not whole.matches or whole.matches[0].id != entry_id or whole.evidence is None:
        return False
    return whole.evidence.specificity >= NAMING_SPECIFICITY


def _names_place(knowledge: KnowledgeBase, matcher: Matcher, text: str) -> bool:
    """Whether ``text`` names an entry that is a place ("故宫"), the city's own name aside: "去沈阳"
    is a keyword of getting there, whose place is the airport."""
    named = (knowledge.get(entry_id) for entry_id in matcher.named_in(_without_city(text)))
    return any(entry is not None and entry.location is not None for entry in named)


def _without_city(text: str) -> str:
    """``text`` normalized, the city's own name taken out: it names no place of its own."""
    return " ".join(
        normalize(text).replace(normalize("沈阳"), " ").replace("shenyang", " ").split()
    )


def _same_topic(whole: MatchResult, part: MatchResult, led: bool) -> bool:
    """Whether a part is about what the whole message is about: its best entry is the whole's,
    or the part names it outright. A fragment fits some phrasing closely and would answer for
    the whole: "都有哪些" a question on the chicken rack, "What is there to see?" the palace for a
    question on the Young Marshal's home. On the development questions and practical questions,
    of the parts that answered for a whole message with another best entry, 3 were right and 10
    wrong; a naming keyword (specificity 0.7 or more) kept 1 of the 3 and none of the 10. ``led``: whether the whole's best entry leads at all;
    the first of three within 0.5 points ("our university wants to partner with one in
    Shenyang, any suggestions which ones?") is no topic for a fragment ("any suggestions")."""
    if not part.matches or not whole.matches or part.evidence is None:
        return bool(part.matches)
    if part.evidence.specificity >= NAMING_SPECIFICITY and part.outcome is Outcome.ANSWER:
        return True  # a name answered on its own ("想顺便看看故宫": 故宫, 1.6 words' worth)
    if part.evidence.information < LEAST_INFORMATION:
        return False
    if part.matches[0].id == whole.matches[0].id and (
        led or part.evidence.information >= STANDS_ALONE
    ):
        return True  # a question of its own breaks the whole's near-tie with the context's entry
    return part.evidence.specificity >= NAMING_SPECIFICITY


def _telling(knowledge: KnowledgeBase, found: MatchResult) -> bool:
    """Whether a part of a message can stand for the whole: not a greeting or a thank-you, and
    not a part that fits two entries nearly as well ("有啥好玩的", a piece of both "铁西有啥好玩的"
    and "这周末沈阳有啥好玩的", 96.7 and 93.3)."""
    if not found.matches:
        return False
    entry = knowledge.get(found.matches[0].id)
    if entry is not None and entry.category == SMALL_TALK:
        return False
    runner_up = found.matches[1].score if len(found.matches) > 1 else 0.0
    return found.matches[0].score - runner_up >= CLEAR_LEAD
