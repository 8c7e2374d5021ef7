"""What a message typed after "Did you mean…" asks of the entries offered: an aspect of "it"
("what time does it close?", "几点关门"), one of them by name ("北陵那个"), or a short question
they answer when asked with their name ("日本語対応はありますか"). A pick by number and a typed
"no" are bot.dialogue's."""

from __future__ import annotations

from datetime import datetime

from bot.aspects import applies, aspect_text
from bot.brain import Brain
from bot.categories import SMALL_TALK
from bot.dialogue import switched_topic
from bot.grammar import pointing_at, without_origin
from bot.i18n import Voice
from bot.knowledge import Entry
from bot.lexicon import Concept
from bot.naming import MEASURED_FROM, TOPIC_CHARS, content_of
from bot.passages import says_any
from bot.replies import entry_label
from bot.text import normalize

# A reply to "Did you mean…" this short that names one of the entries offered picks it: "北陵那个"
# (4), "the east tomb please" (20), "北陵的门票多少钱" (8); a longer message asks a question.
PICKED_CHARS = 24
# A short question with this share of its weight or more in words the base never saw is no
# question put to what was offered or talked about: "how are you today?", "any vegetarian food?".
LOOSE_UNSEEN = 0.3
# A question every word of which one entry not offered knows is that entry's own: "沈阳有什么好吃的？"
# (coverage 1.0, local food) after money was offered; "日本語対応はありますか" (0.74) is put to
# what was offered.
WHOLLY_COVERED = 0.95


def asked_of_offer(
    brain: Brain, text: str, voice: Voice, now: datetime, offered: tuple[str, ...]
) -> tuple[Concept | None, list[Entry]] | None:
    """The aspect a follow-up to "Did you mean…" asks of "it" or of nothing named ("what time
    does it close?", "几点关门"), and the entries offered that say it; or the one offered entry a
    short reply names ("北陵那个", "the east tomb please"), with the aspect it asks if any. After
    the palace, Zhongjie and hotel registration were offered, "what time does it close?" had been
    matched as a new question (the best season, the time zone) and "is it open on monday" asked
    which place; "北陵那个" after both tombs had been offered the tomb again."""
    asked = normalize(text)
    if brain.knowledge.lexicon.live_topic(asked) is not None:
        return None  # "今天人多不" after the palace and the mansion were offered: no live data
    aspect, rest = brain.knowledge.lexicon.aspect_in(asked)
    # Named beside a way or a distance, not where it is measured from: "瀋陽駅から歩いて行ける？"
    measured = aspect is not None and aspect.id in MEASURED_FROM
    to = brain.knowledge.lexicon.aspect_in(without_origin(asked))[1] if measured else rest
    named = brain.matcher.named_in(to)
    picked = [brain.knowledge.get(i) for i in named if i in offered]
    if len(asked) <= PICKED_CHARS and len(named) == 1 and picked and picked[0] is not None:
        return aspect, [picked[0]]  # "北陵那个" after both Qing tombs were offered
    if not offered or named or (aspect is None and len(asked) > PICKED_CHARS):
        return None
    if aspect is None:  # "日本語対応はありますか" after the investment entries were offered
        alone = brain.matcher.match(text, limit=1)
        if alone.evidence is None or alone.evidence.unseen >= LOOSE_UNSEEN:
            return None  # small talk: "how are you today?" had been asked of the zone offered
        said = brain.knowledge.get(alone.answer_id or "")
        own = said is not None and said.id not in offered
        if own and alone.evidence.coverage >= WHOLLY_COVERED:
            return None  # "沈阳有什么好吃的？" after money was offered had been given money
        switch = own and switched_topic(text)
        if said is not None and (said.category == SMALL_TALK or switch):
            # "谢啦" after the emergency numbers were offered is thanks, not a pick; "太原街は？"
            # after Shenyang Station was offered asks the street (had been the station's answer).
            return None
        return None, _answered_with(brain, text, voice.lang, offered)
    if len(content_of(rest)) >= TOPIC_CHARS and pointing_at(asked) is None:
        return None  # words of its own beside the aspect: a question, not a follow-up
    entries = [e for i in offered if (e := brain.knowledge.get(i)) and applies(e, aspect)]
    return aspect, [e for e in entries if aspect_text(e, aspect, voice, now)]


def _answered_with(brain: Brain, text: str, lang: str, offered: tuple[str, ...]) -> list[Entry]:
    """The offered entries that a short question names nothing of its own is answered with when
    asked with their name: "日本語対応はありますか" after support, the investment contact and the
    investment climate were offered is the contact's (whole, the medical centre was answered)."""
    entries = [e for i in offered if (e := brain.knowledge.get(i))]
    asked = (brain.matcher.match(f"{entry_label(e, lang)} {text}", limit=1) for e in entries)
    found = [e for e, one in zip(entries, asked, strict=True) if one.answer_id == e.id]
    # Only an entry whose answer holds a word of the question: "银行要带啥" after the time zone
    # was offered had been given the time zone.
    return [e for e in found if says_any(text, " ".join(e.answer.values()))]
