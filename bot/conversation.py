"""A typed message read in its conversation, in this order:

1. a request to switch language in words ("日本語でお願いします") switches and confirms ("中国語で
   表示して" after a place shows its taxi card instead);
2. a number or a "no" right after "Did you mean…" picks a suggestion or gets an apology; a short
   reply naming one suggestion picks it ("北陵那个"); an aspect asked of "it" ("what time does it
   close?") is answered about the one suggestion that says it, and a short question naming
   nothing ("日本語対応はありますか") about the one answered with it;
   a request to book, buy or call something ("帮我订个酒店") is told the bot cannot;
3. a question about live data (tomorrow's weather) is told plainly there is none, with the
   stable entry;
4. a short follow-up that asks an aspect without naming a topic ("how do I get there?", "怎么去")
   is answered about the topic of the conversation, never about another entry;
5. "what about X?" / "那X呢" / "Xは？" switches the topic to X (or offers the entries X names
   alike: "what about the tombs?");
6. a question that points back without an aspect ("那里晚上热闹吗"), or a short one that names no
   place and is no question of its own ("冬天能去吗"), is asked with the topic's name where it
   points, and answered with the topic if that ranks among the first;
7. anything else is matched as a question — a long message sentence by sentence, so greetings
   and context around the question do not drown it — and an aspect it asks of a place is
   answered first.

Memory (per user and chat, in the store) keeps the topic, its aspect and the suggestions offered;
a topic older than the memory span is forgotten.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial

from bot import render_details
from bot.aspects import applies, aspect_text, chinese_address, is_place
from bot.brain import Brain
from bot.categories import SIGHTS, SMALL_TALK
from bot.dialogue import (
    Pick,
    Refusal,
    StrayPick,
    asking_part,
    asks_beside_name,
    asks_chinese_address,
    asks_for_chat,
    asks_for_other_language,
    asks_for_service,
    asks_in_words,
    clauses,
    reply_to_offer,
    requested_language,
    says_switch,
    sentences,
    wants_taxi_card,
)
from bot.dialogue import switched_topic as switched
from bot.grammar import (
    pointing_at,
    points_as_subject,
    points_at_place,
    without_origin,
    without_season,
)
from bot.i18n import Catalogs
from bot.knowledge import Entry, KnowledgeBase
from bot.lexicon import Concept
from bot.matching import SUGGEST_SCORE, MatchResult, Outcome
from bot.naming import (
    MEASURED_FROM,
    NAME_CHARS,
    SHORT_CHARS,
    TOPIC_CHARS,
    asked_of_topic,
    aspect_asked,
    aspect_of,
    content_of,
    gone_back,
    kept_on_topic,
    live_places,
    name_sized,
    named_entry,
    named_in_question,
    names_service,
    names_start,
    priced_service,
    sure_of_other,
    sure_other,
    switch_target,
    topic_says,
)
from bot.offers import LOOSE_UNSEEN, asked_of_offer
from bot.reading import also_asked, best_reading, need_asked, without_pleasantries
from bot.render import Renderer
from bot.replies import Reply, entry_label
from bot.rereads import just_read, reread
from bot.store import Candidate, Memory, Store
from bot.text import normalize
from bot.turns import Turn, fresh

SUGGESTIONS = 3
FOLLOWUP_WINDOW = timedelta(minutes=30)  # a pick within this of "Did you mean…" is logged as its
# A follow-up this short that names no place may be asked of the topic ("can we go in winter", 19),
# if under LOOSE_UNSEEN of its weight is in words the base never saw ("any vegetarian food?").
_LOOSE_CHARS = 24
_NEARBY = re.compile(
    r"附近|周边|周邊|旁边|旁邊|近く|周辺|\bnear(?:by)?\b|\baround (?:there|here)\b", re.I
)


@dataclass(frozen=True)
class Listener:
    """Reads a turn and answers it; returns the reply and the memory to keep."""

    brain: Brain
    store: Store
    render: Renderer
    catalogs: Catalogs
    span: timedelta  # how long a topic is remembered

    def reply(self, turn: Turn) -> tuple[Reply, Memory]:
        """The answer to a typed message, and what to remember of it."""
        turn = gone_back(self.brain, turn)
        if self._topic(turn) is not None:  # "Hello, how much is the ticket?" is a follow-up
            bare = without_pleasantries(self.brain.matcher, self.brain.knowledge, turn.text)
            turn = replace(turn, text=bare) if len(bare) < _LOOSE_CHARS * 2 else turn
        steps: tuple[Callable[[Turn], tuple[Reply, Memory] | None], ...] = (
            self._language_request,
            self._service,  # "明日の朝の切符、取っといてくれる？" after an offer is no pick
            self._offer_reply,
            self._live,
            self._follow_up,
            self._topic_switch,
            self._about_topic,
        )
        for step in steps:
            done = step(turn)
            if done is not None:
                return done
        return self._question(turn)

    # -- conversational moves ----------------------------------------------------------------------

    def _language_request(self, turn: Turn) -> tuple[Reply, Memory] | None:
        lang = requested_language(turn.text)
        shown = _shown_in_chinese(self, turn, self._topic(turn), lang)
        if shown is not None:
            return shown, turn.memory
        if lang is None:
            return _spoken_instead(self.render, turn)
        self.store.set_language(turn.user_id, lang)
        voice = self.catalogs.voice(lang)
        done = voice._("Done: I will reply in English from now on.")
        topic, memory = self._topic(turn), replace(turn.memory, language=lang)
        if topic is None:
            return replace(self.render.with_menu(voice, done), outcome="switch"), memory
        # What was just read, again in the language asked for: "用日语回一遍吧" after the palace;
        # whole, not the lines "英語で教えて" asks of it (bot.rereads: no topic read just now).
        again = replace(turn, voice=voice, memory=replace(memory, topic_at=None))
        reply, memory = self._answer(again, topic, _last_aspect(self.brain, turn))
        text = f"<i>{html.escape(done)}</i>\n\n{reply.text}"
        return replace(reply, text=text, outcome="switch"), memory

    def _offer_reply(self, turn: Turn) -> tuple[Reply, Memory] | None:
        offered, memory = turn.memory.offered, turn.memory
        if not fresh(memory.offered_at, turn.now, self.span):
            offered = ()  # a "no" with nothing on offer still means "not that", never a question
        move = reply_to_offer(turn.text, len(offered))
        if isinstance(move, Pick):
            entry = self.brain.knowledge.get(offered[move.index])
            if entry is not None:
                self.store.record_followup(turn.user_id, entry.id, FOLLOWUP_WINDOW, now=turn.now)
                return self._answer(turn, entry, None)
        if isinstance(move, Refusal):
            answered = (memory.topic,) if memory.topic and not offered else ()
            shown = [Candidate(entry_id, 0.0) for entry_id in (*offered, *answered)]
            self._log(turn, "unknown", None, shown)
            return self.render.refused(turn.voice), replace(memory, offered=(), offered_at=None)
        if isinstance(move, StrayPick):  # "99", "0": no question for the curators
            return self.render.no_such_option(turn.voice), memory
        asked = asked_of_offer(self.brain, turn.text, turn.voice, turn.now, offered)
        if asked is not None and len(asked[1]) == 1:
            self._log(turn, "answer", asked[1][0].id, [Candidate(asked[1][0].id, 100.0)])
            return self._answer(turn, asked[1][0], asked[0])
        return None

    def _service(self, turn: Turn) -> tuple[Reply, Memory] | None:
        chat = asks_for_chat(turn.text)
        if not chat and not asks_for_service(turn.text):
            return None
        self._log(turn, "unknown", None, [])  # curators see what users wanted done
        return self.render.cannot_do(turn.voice, play=chat), turn.memory

    def _live(self, turn: Turn) -> tuple[Reply, Memory] | None:
        lexicon, asked = self.brain.knowledge.lexicon, normalize(turn.text)
        topic = lexicon.live_topic(asked)
        entry = self.brain.knowledge.get(topic.entry) if topic and topic.entry else None
        # A live question with its stable entry goes before a need: "后天去棋盘山露营 下雨吗" asks
        # the forecast. Tomorrow's weather in Osaka is not ours to point to.
        if entry is not None and self.brain.matcher.names_other_place(turn.text):
            return None
        need = None if entry else need_asked(self.brain.matcher, self.brain.knowledge, turn.text)
        if topic is None and need is None:
            return None
        # Crowds right now, tickets left, parking: no entry has them; the place is the way on.
        if entry is None:
            places = live_places(self.brain, turn.text, self._topic(turn), need)
            self._log(turn, "unknown", None, [Candidate(place.id, 0.0) for place in places])
            return self.render.live_unknown(turn.voice, places, need), turn.memory
        self._log(turn, "answer", entry.id, [Candidate(entry.id, 100.0)])
        reply = self.render.live(turn.voice, entry, self.brain.knowledge, turn.now)
        return reply, _remembered(turn, entry, None)

    def _follow_up(self, turn: Turn) -> tuple[Reply, Memory] | None:
        asked, topic = normalize(turn.text), self._topic(turn)
        fits = (lambda a: applies(topic, a)) if topic else (lambda _a: True)
        aspect, rest = aspect_of(self.brain.knowledge.lexicon, turn.text, fits)
        if aspect is None:
            return None
        if topic is not None or aspect.id in MEASURED_FROM:
            # "故宮からどうやって行けますか" after Zhongjie; "瀋陽北駅から故宮まではどう行けば…" asks
            # the way to the palace
            rest = self.brain.knowledge.lexicon.aspect_in(without_origin(asked))[1]
        rest = without_season(rest)
        target = _asked_elsewhere(self.brain, turn.text, aspect, topic)
        if target is not None:
            self._log(turn, "answer", target.id, [Candidate(target.id, 100.0)])
            return self._answer(turn, target, aspect)
        pointing = topic is not None and _pointing_at(self.brain, asked, topic) is not None
        content = content_of(rest)
        # A short message of a name and an aspect; in a longer one a keyword may be incidental.
        short = len(content) < SHORT_CHARS
        named = None if pointing or not short else named_entry(self.brain, rest, aspect, topic)
        if named is None and not pointing and not short:
            apart = named_in_question(self.brain, turn.text, aspect, topic)
            named, aspect = apart or (None, aspect)
        if named is not None and self.brain.matcher.elsewhere(turn.text, named.id):
            named = None  # "我下个月去哈尔滨，冰雪大世界的门票在哪里买"
        if named is not None:  # "故宫周一开门吗": the palace's hours, whatever else says 周一
            self._log(turn, "answer", named.id, [Candidate(named.id, 100.0)])
            return self._answer(turn, named, aspect)
        if topic is None and len(content) >= TOPIC_CHARS:
            return None  # an aspect asked of something the message names: a question
        away = not pointing and (topic is None or not applies(topic, aspect))
        own = not pointing and len(content) >= NAME_CHARS
        own = own and self._names_topic(rest, content, aspect, topic)
        if (own and not topic_says(self.brain, topic, rest)) or (
            away and names_start(self.brain, asked)
        ):
            # A name of its own ("冰雪节什么时候", "制博会在哪", "where can I change money"), or
            # the place the way starts from ("桃仙空港から市内まで…何号線？", and "空港から市内
            # まではどうやって…" after the visa rules); "how do i get there from airport" points
            # back at the topic.
            return None
        if topic is None or _offered_since(turn.memory, turn.now, self.span):
            self._log(turn, "unknown", None, [])
            offered = _offered(self.brain, turn, self.span, topic, aspect)
            return self.render.which_place(turn.voice, offered), turn.memory
        self._log(turn, "answer", topic.id, [Candidate(topic.id, 100.0)])  # a gap, if it lacks
        return self._answer(turn, topic, aspect)

    def _about_topic(self, turn: Turn) -> tuple[Reply, Memory] | None:
        """A question that points back without asking an aspect ("那里晚上热闹吗" after Xita,
        "is it worth it?"): asked with the topic's name where it points, it is answered with
        the topic if that is among the entries it ranks first, after none the message names
        (Taiyuan Street, for its phrasing "太原街晚上热闹吗", had been answered for "那里晚上
        热闹吗" after Xita)."""
        topic, asked = self._topic(turn), normalize(turn.text)
        at = None if topic is None else _asked_pointing(self.brain, turn.text, topic)
        loose = topic is not None and at is None and _loosely_asked(self.brain, turn.text)
        if topic is None or (at is None and not loose):
            return None
        at = len(asked) if at is None else at
        named = f"{asked[:at]}{entry_label(topic, turn.voice.lang)} {asked[at:]}"
        found = best_reading(self.brain.matcher, self.brain.knowledge, named, SUGGESTIONS)
        first = [m.id for m in found.matches[: 1 if loose else SUGGESTIONS]]
        if topic.id not in first or set(first[: first.index(topic.id)]) & set(
            self.brain.matcher.named_in(named)
        ):
            return None
        self._log(turn, "answer", topic.id, _candidates(found))
        # The aspect it asks, if the topic has it: "and what dates this year" after the expo.
        asked_aspect = aspect_of(self.brain.knowledge.lexicon, turn.text, partial(applies, topic))
        return self._answer(turn, topic, asked_aspect[0])

    def _names_topic(self, rest: str, content: str, aspect: Concept, topic: Entry | None) -> bool:
        """Whether the words left beside the aspect name an entry other than the topic: one of
        its keywords ("冰雪节" in "冰雪节什么时候"), or words the matcher answers with it on their
        own ("can I change money" in "where can I change money"). Without a topic, a short name
        the matcher only offers counts too ("棋盘山" alone is not answered), if the aspect applies
        to it (not "晚上" in "晚上几点关门")."""
        other = {topic.id} if topic else set()
        if any(i not in other for i in self.brain.matcher.named_in(rest)):
            return True
        found = self.brain.matcher.match(rest, limit=1)
        # Two characters ("开吗" beside "周一") are too few to be a question of their own.
        telling = len(content) >= TOPIC_CHARS
        if telling and found.answer_id is not None and found.answer_id not in other:
            return True
        best = found.matches[0] if found.matches and topic is None else None
        entry = self.brain.knowledge.get(best.id) if best and best.score >= SUGGEST_SCORE else None
        return entry is not None and entry.category != SMALL_TALK and applies(entry, aspect)

    def _topic_switch(self, turn: Turn) -> tuple[Reply, Memory] | None:
        named = switched(turn.text)
        if named is None:
            return None
        topic, lexicon = self._topic(turn), self.brain.knowledge.lexicon
        # "冬天呢" after the mansion's hours: its winter hours (had become the best season)
        seasonal = not without_season(normalize(named)).strip() and turn.memory.aspect is not None
        if topic is not None and (lexicon.only_time(normalize(named)) or seasonal):  # "明天呢"
            asked = lexicon.aspect_in(normalize(named))[0] or _last_aspect(self.brain, turn)
            self._log(turn, "answer", topic.id, [Candidate(topic.id, 100.0)])
            return self._answer(turn, topic, asked)
        entry, found = switch_target(self.brain, named, SUGGESTIONS + 2, topic, turn.voice.lang)
        tied = found.evidence is not None and self.brain.matcher.model.open_question(found.evidence)
        if entry is None and tied:
            # "what about the tombs?": two tombs tie, and the whole sentence had picked one
            self._log(turn, found.outcome.value, None, _candidates(found))
            return self._offer(turn, found)
        entry = entry or (topic and asked_of_topic(self.brain, topic, named, turn.voice.lang))
        if entry is None:
            return None
        self._log(turn, found.outcome.value, entry.id, _candidates(found))
        # "総領事館の住所は？" asks the address of what it names; "那故宫呢" what was asked before.
        asked = self.brain.knowledge.lexicon.aspect_in(normalize(named))[0]
        # Not to the topic itself: "去年の来場者数は？" after the expo's venue is no venue.
        previous = _carried_aspect(self.brain, turn, entry) if topic not in (None, entry) else None
        return self._answer(turn, entry, asked or previous)

    # -- questions ---------------------------------------------------------------------------------

    def _question(self, turn: Turn) -> tuple[Reply, Memory]:
        found = best_reading(self.brain.matcher, self.brain.knowledge, turn.text, SUGGESTIONS + 2)
        if found.outcome is not Outcome.ANSWER:
            found = _as_it_sounds(self.brain, turn, found)
        knowledge = self.brain.knowledge
        topic = self._topic(turn)
        answered = kept_on_topic(self.brain, topic, turn.text, found) or found.answer_id
        entry = knowledge.get(answered) if answered else None
        if entry is not None:
            aspect, rest = aspect_asked(knowledge.lexicon, turn.text)
            if aspect is not None:
                entry = self._asked_of(rest, entry, aspect)
            self._log(turn, found.outcome.value, entry.id, _candidates(found))
            reply, memory = self._answer(turn, entry, aspect)
            others = also_asked(self.brain.matcher, knowledge, turn.text, entry.id)
            return render_details.with_also_asked(turn.voice, reply, others), memory
        self._log(turn, found.outcome.value, found.answer_id, _candidates(found))
        if found.outcome is Outcome.SUGGEST:
            return self._offer(turn, found)
        # What was offered is no more: "银行要带啥" after "I don't know" had picked an offer before.
        return self.render.dont_know(turn.voice), replace(turn.memory, offered=(), offered_at=None)

    def _offer(self, turn: Turn, found: MatchResult) -> tuple[Reply, Memory]:
        """'Did you mean…' with the best matches, remembered for a typed number or "no"."""
        knowledge = self.brain.knowledge
        options = [e for m in found.matches[:SUGGESTIONS] if (e := knowledge.get(m.id))]
        offered = tuple(e.id for e in options)
        memory = replace(turn.memory, offered=offered, offered_at=turn.now)
        return self.render.suggestions(turn.voice, options), memory

    def _asked_of(self, rest: str, entry: Entry, aspect: Concept) -> Entry:
        """The entry an aspect question is about: the one its other words are answered with on
        their own, where that is not the whole message's ("is the palace open on mondays" fitted
        the museum's "… open on monday"; "is the palace" alone is surely the palace). Never one
        that is no place the aspect is asked of: "how much is a taxi?" asks the fares, though "is a
        taxi" alone is getting around, which is no place with prices."""
        if not name_sized(rest):
            return entry  # a name, not a sentence: "is a taxi ride in Shenyang" is the question
        # Without Shenyang's name: "how do I get to shenyang from beijing" is getting there
        rest = self.brain.knowledge.lexicon.home_finder.spans(normalize(rest))[1]
        other = sure_other(self.brain, rest, entry)
        return other if other is not None and applies(other, aspect) else entry

    # -- pieces ------------------------------------------------------------------------------------

    def _answer(self, turn: Turn, entry: Entry, aspect: Concept | None) -> tuple[Reply, Memory]:
        knowledge = self.brain.knowledge
        # Just read whole, the entry is not shown again for an aspect it lacks: "どこにありますか"
        # after the Japanese school had repeated the whole answer; now "I don't have the address".
        if aspect is not None and (
            applies(entry, aspect) or just_read(turn, entry, aspect, self.span)
        ):
            reply = _aspect_reply(self.render, knowledge, turn, entry, aspect)
        else:
            note = aspect and render_details.without_figure(turn.voice, entry, aspect, turn.now)
            again = None if note else reread(self.brain, self.render, turn, entry, self.span)
            reply = again or self.render.entry(
                turn.voice, entry, knowledge, turn.now, note=note or None
            )
            # Said plainly that the entry lacks it, the aspect is the one answered, and stays
            # asked: "那故宫呢" after "门票多少钱" wants the palace's price.
            if note and aspect is not None:
                reply = replace(reply, aspect=aspect.id, lacking=True)
            else:
                aspect = None
        return reply, _remembered(turn, entry, aspect)

    def _topic(self, turn: Turn) -> Entry | None:
        memory = turn.memory
        if memory.topic is None or not fresh(memory.topic_at, turn.now, self.span):
            return None
        entry = self.brain.knowledge.get(memory.topic)
        return entry if entry is not None and entry.category != SMALL_TALK else None

    def _log(self, turn: Turn, outcome: str, answer: str | None, shown: list[Candidate]) -> None:
        self.store.record_question(
            turn.user_id, turn.voice.lang, turn.text, outcome, answer, shown, turn.now
        )


def _offered(
    brain: Brain, turn: Turn, span: timedelta, topic: Entry | None, aspect: Concept
) -> list[Entry]:
    """The places to ask which of: the topic, then the entries "Did you mean…" offered within the
    span, those the aspect applies to ("予約いる？" after the museum and a "Did you mean…" about
    crowds had offered Qipanshan, key industries and tap water, not the museum)."""
    memory = turn.memory
    recent = fresh(memory.offered_at, turn.now, span)
    offered = [e for i in memory.offered if recent and (e := brain.knowledge.get(i))]
    first = [topic] if topic is not None and applies(topic, aspect) else []
    return [*first, *(e for e in offered if e not in first and applies(e, aspect))]


def _switched_in_clauses(brain: Brain, text: str) -> Entry | None:
    """The entry a clause or a sentence of a longer message switches to: "ok and what about
    Qipanshan, how do I get there" asks the way to Qipanshan, not to the topic before, and "what
    about exhibition for equipment? when next time" the expo's dates (had been the contacts')."""
    pieces = clauses(text)
    pieces = pieces if len(pieces) > 1 else sentences(text)
    named = [n for part in pieces if (n := switched(part))] if len(pieces) > 1 else []
    return switch_target(brain, named[0], SUGGESTIONS + 2)[0] if named else None


def _asked_elsewhere(brain: Brain, text: str, aspect: Concept, topic: Entry | None) -> Entry | None:
    """What an aspect is asked of, other than the topic: the place a clause switches to, or the
    service whose price is asked ("打车过去多少钱")."""
    switched = _switched_in_clauses(brain, text)
    if switched is not None and applies(switched, aspect):
        return switched
    return priced_service(brain, text, aspect, topic)


def _remembered(turn: Turn, entry: Entry, aspect: Concept | None) -> Memory:
    if entry.category == SMALL_TALK:
        # A greeting or a thank-you is no topic to follow up: "市の支援窓口はどこ…" after
        # "はじめまして" was read as asking where the greeting is. The topic before stays.
        return replace(turn.memory, offered=(), offered_at=None)
    aspect_id = aspect.id if aspect else None
    return replace(
        turn.memory,
        topic=entry.id,
        topic_at=turn.now,
        aspect=aspect_id,
        offered=(),
        offered_at=None,
    )


def _asked_pointing(brain: Brain, text: str, topic: Entry) -> int | None:
    """:func:`_pointing_at` where a part that asks points back, not at what is near the topic:
    "any tips…? my fixer is only there 2 days" (had answered the museum before), "is there a
    halal hotel near there?", nor at a service it names ("…用LINE跟Google嗎": bot.naming)."""
    asked = normalize(text)
    away = pointing_at(normalize(asking_part(text))) is None or bool(_NEARBY.search(text))
    if away or names_service(brain, asked, topic):
        return None
    at = _pointing_at(brain, asked, topic)
    there = at is not None and points_at_place(asked, at) and not is_place(topic)
    if at is None or not (there or points_as_subject(asked, at)):
        return at
    # "What should I eat while I'm there?" after tap water: there is the city, and the question
    # is one of its own (it had been answered with tap water again); "how cold is it in
    # december" after the palace asks the weather ("it" is no palace).
    found = brain.matcher.match(text, limit=2)
    return None if found.answer_id not in (None, topic.id) else at


def _pointing_at(brain: Brain, asked: str, topic: Entry) -> int | None:
    """Where a follow-up points back at the topic, if it does: a pointing word not preceded by
    words that are surely about another entry on their own ("the tomb of nurhaci, where is it"
    after the 9.18 museum had been given the museum's address; "how long should I plan for it"
    is not sure of the itinerary)."""
    at = pointing_at(asked)
    if at is None:
        return None
    # With and without the aspect's words: "how long should I spend there" after Qipanshan,
    # whose "how long should I spend" alone was sure of getting to Shenyang ("how long is the
    # train…"); "should I plan for" is sure of the itinerary, "how long should I plan for" not.
    told = asked[:at]
    bare = brain.knowledge.lexicon.aspect_in(told)[1]
    # And by name: "who built it?" after the palace is the palace's ("who built" alone was sure
    # of the aircraft maker's "which fighter jets are built in shenyang", on one word).
    named = set(brain.matcher.named_in(told))
    other = named and sure_of_other(brain, told, topic) and sure_of_other(brain, bare, topic)
    # "and what about Zhang's mansion, is it close?" after the 9.18 museum: it is the mansion.
    switched_to = bool(named - {topic.id}) and says_switch(told)
    return None if other or switched_to else at


def _loosely_asked(brain: Brain, text: str) -> bool:
    """A short question that names no place, says little the base never saw, and is no question
    of its own: "冬天能去吗", "can we go in winter" after Qipanshan (offered the best season and
    the morning market) may be asked of the topic."""
    if not asks_in_words(text) or len(normalize(text)) > _LOOSE_CHARS:
        return False  # words to look up ("expo tokyo"), no question put to the topic
    named = [brain.knowledge.get(i) for i in brain.matcher.named_in(text)]
    if any(e and e.location for e in named):
        return False  # a place of its own ("is the tomb open in winter"); "冬天" is no place
    if _NEARBY.search(text) or brain.matcher.names_other_place(text):
        return False  # "近くで何か食べられますか" asks of somewhere else than the topic
    found = best_reading(brain.matcher, brain.knowledge, text, 2)
    unseen = found.evidence.unseen if found.evidence is not None else 1.0
    return found.outcome is not Outcome.ANSWER and unseen < LOOSE_UNSEEN


def _as_it_sounds(brain: Brain, turn: Turn, found: MatchResult) -> MatchResult:
    """A Chinese question whose name was typed with other characters of its sound ("沈阳冬陵好玩
    不" is the East Tomb, 东陵) matched with the name written right, where that answers or finds
    a better match than as typed (``found``). Only for questions without an answer: written
    right everywhere, "想去现场" became the ATM's "取现" and "面签" (a visa interview) "免签"
    (no visa needed), for there is no list of Chinese words here to tell a word from a typo."""
    text = turn.text  # as typed, not normalized: its punctuation says where sentences end
    heard = brain.homophones.corrected(text) if turn.voice.lang == "zh" else text
    if heard == text:
        return found
    again = best_reading(brain.matcher, brain.knowledge, heard, SUGGESTIONS + 2)
    better = again.outcome is Outcome.ANSWER or again.top_score > found.top_score
    return replace(again, query=text) if better else found


def _shown_in_chinese(
    listener: Listener, turn: Turn, topic: Entry | None, lang: str | None
) -> Reply | None:
    """The taxi card of the topic for "中国語で表示して" / "show it in Chinese", rather than a
    switch of language: the user wants a driver to read it, and reads on in their own. So for
    the address asked in Chinese ("住所を中国語で教えてください。タクシーで行きます", which had
    been answered with the entry on language help)."""
    if topic is None or chinese_address(topic) is None:
        # No address to show, none named: which place, not the address the matcher finds first
        # ("whats the address in chinese" after the 二人转 show had been the Japanese consulate's)
        named = (
            listener.brain.knowledge.get(i) for i in listener.brain.matcher.named_in(turn.text)
        )
        unnamed = not any(e and chinese_address(e) for e in named)
        asked = unnamed and asks_chinese_address(turn.text)
        return listener.render.which_place(turn.voice, []) if asked else None
    if not wants_taxi_card(turn.text, lang):
        return None
    return render_details.taxi_card(turn.voice, topic, listener.catalogs.voice("zh"))


def _last_aspect(brain: Brain, turn: Turn) -> Concept | None:
    """The aspect the last reply answered, if any."""
    return next((a for a in brain.knowledge.lexicon.aspects if a.id == turn.memory.aspect), None)


def _aspect_reply(
    render: Renderer, knowledge: KnowledgeBase, turn: Turn, entry: Entry, aspect: Concept
) -> Reply:
    """One aspect of an entry, with the other aspects the message asks ("開館時間と行き方") and,
    for dates, the calendar buttons."""
    below = [render.vote_row(turn.voice, entry)]
    if aspect.id == "dates" and (dated := render.date_buttons(turn.voice, entry, turn.now)):
        below.insert(0, tuple(dated))
    also = knowledge.lexicon.aspects_in(normalize(turn.text))
    return render_details.aspect(turn.voice, entry, aspect, turn.now, tuple(below), also)


def _carried_aspect(brain: Brain, turn: Turn, entry: Entry) -> Concept | None:
    """The aspect the last reply answered, carried to the entry "what about X?" turns to if it
    is a sight, or says it: "スキー場は？" after the festival's price asks about the ski resorts
    (had been told "no prices for Sports"); "那东陵呢" after the palace's tickets asks its."""
    aspect = _last_aspect(brain, turn)
    if aspect is None or asks_beside_name(switched(turn.text) or ""):
        return None  # "what about the Financial Museum - what's there?" asks what is there
    sight = entry.category == SIGHTS
    return aspect if sight or aspect_text(entry, aspect, turn.voice, turn.now) else None


def _spoken_instead(render: Renderer, turn: Turn) -> tuple[Reply, Memory] | None:
    """For a language the assistant does not speak ("can you speak korean?"), the ones it does."""
    if not asks_for_other_language(turn.text):
        return None
    said = turn.voice._("I speak Chinese (中文), Japanese (日本語) and English.")
    return render.with_menu(turn.voice, said), turn.memory


def _offered_since(memory: Memory, now: datetime, span: timedelta) -> bool:
    """Whether "Did you mean…" came after the topic (a new topic clears the offer): a follow-up
    then asks about one of those."""
    return bool(memory.offered) and fresh(memory.offered_at, now, span)


def _candidates(found: MatchResult) -> list[Candidate]:
    return [Candidate(m.id, m.score) for m in found.matches]
