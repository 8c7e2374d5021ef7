"""English function words: the closed class of words that carry a sentence's grammar, not its
topic ("is", "it", "the", "on", "do"). One table, for the matcher (they weigh little, as hiragana
does in Japanese) and for reading follow-ups ("is it open on Mondays?" names no topic of its own).

A small knowledge base has seen some of them only once: "it" in "hunnan technology city, what is
it" made "is it open?" score 89 for that entry and be answered with it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from itertools import accumulate

from bot.text import has_cjk, is_hiragana, normalize

ENGLISH_FUNCTION_WORDS = frozenset(
    (
        *("a", "an", "the", "this", "that", "these", "those", "some", "any", "each", "every"),
        *("i", "me", "my", "mine", "we", "us", "our", "you", "your", "he", "him", "his", "she"),
        *("her", "it", "its", "they", "them", "their", "there", "here", "one", "ones"),
        *("is", "am", "are", "was", "were", "be", "been", "being", "do", "does", "did", "done"),
        *("have", "has", "had", "can", "could", "will", "would", "shall", "should", "may"),
        *("might", "must", "s", "m", "re", "ve", "ll", "d", "t", "don", "isn", "aren", "didn"),
        *("of", "in", "on", "at", "to", "for", "from", "by", "with", "about", "into", "onto"),
        *("and", "or", "but", "so", "if", "then", "than", "as", "also", "too", "just", "very"),
        *("what", "which", "who", "whom", "whose", "how", "why", "not", "no", "yes", "ok"),
        *("okay", "please", "pls", "really", "actually", "maybe", "kind", "sort", "anything"),
        *("something", "know", "tell", "let", "like", "want", "need", "wondering"),
        # Common verbs and adjectives a small base has seen once or twice: "take" in one
        # phrasing of money-exchange made "where can I take Chinese lessons?" answer with it.
        # Not "see", "go" or "visit": in a guide to a city they say what is asked.
        *("take", "find", "make", "use", "try", "come", "think"),
        *("say", "good", "great", "nice", "much", "many", "more", "most", "lot", "way"),
        *("around", "anyone", "someone"),
        # Chat laughter, which says nothing of the topic: "lol" in one phrasing of the chicken
        # rack ("what's a chicken rack lol") answered "tell me a joke lol" with it.
        *("lol", "lmao", "haha", "hahaha", "hehe", "xd"),
    )
)


# Colloquial Chinese and its written form: a phrasing says "沈阳有什么好吃的", people type
# "沈阳有啥好吃的", whose "啥" only "沈阳清真美食街有啥好吃的" shared, so that entry was answered.
# "沈阳的" is "沈阳": "沈阳的火车站在哪" had missed the keyword 沈阳火车站 and answered Shenyang North.
_WRITTEN_CHINESE = (("啥", "什么"), ("咋", "怎么"), ("哪儿", "哪里"), ("沈阳的", "沈阳"))


def written_chinese(normalized: str) -> str:
    """A normalized text with colloquial Chinese words in their written form ("啥" → "什么")."""
    for colloquial, written in _WRITTEN_CHINESE:
        if colloquial in normalized:
            normalized = normalized.replace(colloquial, written)
    return normalized


# Chat shorthand and its words: "what can u do?" had matched the U.S. consulate's "us" (71.0)
# and answered with it.
_SHORTHAND = {
    **{"u": "you", "r": "are", "ur": "your", "y": "why", "pls": "please", "plz": "please"},
    **{"thx": "thanks", "ty": "thank you", "wat": "what", "wut": "what", "cuz": "because"},
}


def spelled_out(normalized: str) -> str:
    """A normalized text with English chat shorthand written out ("r u open" → "are you open")."""
    words = normalized.split(" ")
    if not any(word in _SHORTHAND for word in words):
        return normalized
    return " ".join(_SHORTHAND.get(word, word) for word in words)


def written_chinese_all(texts: list[str]) -> list[str]:
    """:func:`written_chinese` of many normalized texts: ``texts`` itself when none holds a
    colloquial word, as one scan of them all tells (210,000 calls took 0.07 s at 10,000 entries);
    otherwise only the texts the scan found one in are rewritten (141 of the 216,000 phrasings of
    10,000 synthetic entries: 0.062 s, where rewriting every text took 0.089 s)."""
    joined = "\n".join(texts)
    found = [at for colloquial, _ in _WRITTEN_CHINESE for at in _places(joined, colloquial)]
    if not found:
        return texts
    starts = list(accumulate((len(text) + 1 for text in texts), initial=0))
    written = list(texts)
    for at in {bisect_right(starts, position) - 1 for position in found}:
        written[at] = written_chinese(texts[at])
    return written


def _places(text: str, part: str) -> Iterator[int]:
    """Where ``part`` starts in ``text``: str.find took half the time of a regular expression of
    the three colloquial words over the 4 million characters of 10,000 entries' phrasings."""
    at = text.find(part)
    while at != -1:
        yield at
        at = text.find(part, at + 1)


def without_grammar(normalized: str) -> str:
    """A normalized text without its English function words: "what should I pack" is "pack"."""
    return " ".join(word for word in normalized.split() if word not in ENGLISH_FUNCTION_WORDS)


# Words that point back at what was just talked about: "how do I get there", "is it open",
# "那里怎么走", "そこへの行き方". A follow-up holding one is about the topic of the conversation,
# whatever else it names ("how do I get there by metro" is not a question about the metro).
# "they" is a place's people ("lost my passport … where is the us consulate" → "are they open on
# weekends"): read as a question of its own it had offered events, a school and the free trade zone.
_POINTING_WORDS = frozenset(
    (
        *("there", "it", "its", "they", "them", "their", "that place", "this place", "the place"),
        # Getting in is into the place talked about: "do I need my passport to get in" after
        # the 9.18 museum (had been the SIM cards, whose answer says to bring a passport).
        "get in",
    )
)
# "where exactly is that street" after halal food had offered three streets: "that" or "this"
# before a kind of place points back as "there" does.
_PLACE_KINDS = frozenset(
    [
        "street",
        "road",
        "area",
        "district",
        "museum",
        "park",
        "temple",
        "tomb",
        "palace",
        "mansion",
        "station",
        "market",
        "mall",
        "shop",
        "restaurant",
        "zone",
        "square",
        "lake",
        "mountain",
        "church",
        "cathedral",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")
_BEING = frozenset(("is", "are", "was", "were", "be"))
_POINTING_CJK = (
    "那里",
    "那儿",
    "那边",
    "那个地方",
    "这个地方",
    "这里",
    "它",
    "そこ",
    "あそこ",
    "そちら",
    # The same with a kind of place: "那条街在哪", "その通りはどこですか".
    "那条街",
    "那条路",
    "那家店",
    "那个馆",
    "那个博物馆",
    "那个公园",
    "那个景点",
    # Inside the topic: "里面有几个厅" after the Grand Theatre, "里面有啥日本企业" after a zone
    # (both had offered other entries); "館内" is "馆内" once normalized.
    "里面",
    "里头",
    "里边",
    "馆内",
    "园内",
    # Written as normalize() leaves them (simplified Han): "その博物館" is "その博物馆".
    "その店",
    "その博物馆",
    "その公园",
    "その通りは",
    "その通りへ",
    "その通りまで",
    "その场所",
)


def _names_a_kind_only(following: list[str]) -> bool:
    """Whether the words after "that"/"this" are a kind of place and nothing more: "that
    street" points back; "that street with halal food" says which street itself."""
    if not following or following[0] not in _PLACE_KINDS:
        return False
    rest = following[1].split() if len(following) > 1 else []
    return all(word in ENGLISH_FUNCTION_WORDS for word in rest)


# Words pointing at a place, not at a thing: "what should I eat while I'm there?" after tap
# water points at the city, not at the water (it had been answered with tap water again).
_PLACE_DEIXIS = (
    *("there", "that place", "this place", "the place", "那里", "那儿", "那边"),
    *("那个地方", "这个地方", "这里", "そこ", "あそこ", "その场所"),
)


def points_at_place(normalized: str, at: int) -> bool:
    """Whether the pointing word at ``at`` (see :func:`pointing_at`) points at a place."""
    return normalized.startswith(_PLACE_DEIXIS, at)


def points_as_subject(normalized: str, at: int) -> bool:
    """Whether the pointing word at ``at`` is "it" right after "is" or "was", where English puts
    an "it" that may point at nothing: "how cold is it in december" asks the weather, while
    "who built it?" and "where to get it" ask about the thing talked of."""
    before = normalized[:at].split()
    return re.match(r"it\b", normalized[at:]) is not None and before[-1:] in (["is"], ["was"])


def pointing_at(normalized: str) -> int | None:
    """Where in a normalized text its first word pointing back begins, if it has one: what a
    message names before it may be what it points at ("the tomb of nurhaci, where is it")."""
    found = [normalized.find(word) for word in _POINTING_CJK if word in normalized]
    previous = ""
    for match in _WORD.finditer(normalized):
        following = normalized[match.end() :].split(maxsplit=1)
        pair = f"{match.group()} {following[0]}" if following else ""
        existential = match.group() == "there" and previous in _BEING  # "is there", "there is"
        existential |= match.group() == "there" and following[:1] in (["is"], ["are"])
        # "get in touch with the investment office" gets in nowhere
        existential |= pair == "get in" and normalized[match.end() :].split()[1:2] == ["touch"]
        kind = match.group() in ("that", "this") and _names_a_kind_only(following)
        if (
            match.group() in _POINTING_WORDS or pair in _POINTING_WORDS or kind
        ) and not existential:
            found.append(match.start())
            break
        previous = match.group()
    return min(found, default=None)


# The words that make a message a polite request, around its question: "西塔への行き方を
# 教えてください" shares 教えてください with a phrasing of the palace, and scored it first (70.6
# against 69.6). Taken out of a query before it is matched, unless nothing else is left.
_REQUESTS = (
    *("ご教示いただけますでしょうか", "ご教示いただけますか", "ご教示ください", "ご教示願います"),
    *("ご教示いただけますと幸いです", "ご教示いただければ幸いです", "ご教示いただけると助かります"),
    *("教えていただけますと幸いです", "教えていただければ幸いです", "教えていただけると助かります"),
    *(
        "ご紹介いただけますか",
        "ご紹介ください",
        "について知りたい",
        "をお聞きしたい",
        "お伺いしたい",
    ),
    *("教えていただけますでしょうか", "教えていただけますか", "教えていただけませんか"),
    *("教えてもらえますか", "教えてください", "教えて下さい", "教えてくれる", "教えて"),
    *("知りたいのですが", "知りたいです", "お願いします", "よろしくお願いいたします"),
    *("麻烦问一下", "请问一下", "想问一下", "想问问", "请告诉我", "告诉我", "我想知道", "请问"),
    *("请介绍一下", "介绍一下", "介绍介绍", "给我介绍", "帮我介绍", "具体介绍下", "介绍下"),
    *("想顺便看看", "顺便看看", "想去看看", "想看看"),
    *("can you tell me", "could you tell me", "please tell me", "i would like to know"),
    *("i want to know", "i was wondering"),
)


@cache
def _requests() -> tuple[str, ...]:
    return tuple(sorted({normalize(r) for r in _REQUESTS}, key=len, reverse=True))


# Words that join a second question to a first ("故宫门票多少钱？还有北陵怎么去？"): at the start of
# a query they only say "and", but "还有" weighed like a word of the question and left "还有北陵
# 怎么去" at 69.6, offered rather than answered (96.4 without it).
_CONNECTORS = (
    *("顺便问一下", "顺便问下", "顺便问", "再问一下", "还想问", "还有", "另外", "那么"),
    *("ついでに", "それから", "それでは", "それと", "じゃあ", "では", "あと"),
    *("and also", "oh and", "also", "and", "plus", "btw"),
)


def without_connector(normalized: str) -> str:
    """A normalized query without the word that joins it to a question before; the query
    itself when nothing would be left but a character or two."""
    for word in _CONNECTORS:
        rest = normalized.removeprefix(word if has_cjk(word) else f"{word} ").strip()
        if rest != normalized and len(rest) > 2:
            return rest
    return normalized


def without_requests(normalized: str) -> str:
    """A normalized query, its chat shorthand written out, without its polite request words; the
    query itself if that is all. A Japanese question ending on its topic ("おすすめの観光コースは？") loses that は too: it
    only says "what about", and cost the itinerary its direct answer (0.71 against 0.77)."""
    normalized = without_connector(spelled_out(normalized))
    if normalized.endswith("は") and len(normalized) > 3 and not is_hiragana(normalized[-2]):
        normalized = normalized[:-1].rstrip()
    padded = f" {normalized} "
    for request in _requests():
        if has_cjk(request):
            padded = padded.replace(request, " ")
        else:
            padded = padded.replace(f" {request} ", " ")
    left = " ".join(padded.split())
    return without_speakers(left or normalized)


def _blanked(pattern: re.Pattern[str], normalized: str) -> str:
    """A normalized text with what ``pattern`` finds taken out, its spaces made single."""
    return " ".join(pattern.sub(" ", normalized).split())


# Who speaks English is how a question qualifies what it asks for, not what it asks: "a dentist
# who speaks English", "english speaking teacher?" and "会说英语的导游" had been answered with the
# entry on getting by without Chinese. Taken out where other words are left (written as
# normalized text is: simplified characters, 英語 as 英语). Not where the speakers are what is
# asked about: "沈阳说英语的人多吗", "is there anyone who speaks english?".
_SPEAKING = re.compile(
    r"\b(?:an? )?english[- ]speaking\b|(?<!anyone )(?<!anybody )(?<!people )"
    r"\b(?:who|that) (?:can )?speaks? english\b"
    r"|(?:会|能)?(?:说|讲)英(?:语|文)的(?!人)|英语(?:が|を)?(?:话せる|对应の?|ができる)(?!人)",
    re.IGNORECASE,
)


def without_speakers(normalized: str) -> str:
    """A normalized query without the language its speakers are asked to speak, if other words
    (not grammar) are left."""
    left = _blanked(_SPEAKING, normalized)
    return left if left != normalized and without_grammar(left).strip() else normalized


# Where a trip starts, not where it goes: "from the palace", "从故宫", "故宮から". In a follow-up
# about the topic ("how do I get there from the palace?") the place named is the start.
# "离机场近不" after the science city asks how far it is from the airport, as "离市区远吗" does
# from downtown: the place after 离 is where the distance is measured from.
# In Japanese the place is the word just before から, not the whole run of text up to it:
# "東陵って市内から遠い？" starts from the city, and asks about the tomb.
_ORIGIN = re.compile(
    r"\bfrom\b.*?(?=\bto\b|$)|[从從][^到去至\s]*|[离離][^远遠近多\s]*"
    # "沈阳北站咋去机场": the place before "how to go" with another after it is the start
    r"|[\u4e00-\u9fff]+(?=(?:怎么|怎麼|咋|如何)(?:去|走到)[\u4e00-\u9fff]{2})"
    r"|(?:[\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9]+(?:近く|付近|周辺)?の)*"  # "中街近くのホテルから"
    r"[\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9]*から"
)


def without_origin(normalized: str) -> str:
    """A normalized follow-up without the place it starts from."""
    return _blanked(_ORIGIN, normalized)


def without_season(normalized: str) -> str:
    """A normalized follow-up without the season it asks about: "冬天几点停止入馆" and "when's last
    entry this time of year" after a museum ask its hours (which say what changes with the
    season); "冬天" and "time of year" had each found the entry on the best season as a topic
    of their own."""
    return _blanked(_SEASON, normalized)


_SEASON = re.compile(
    r"\bthis time of (?:the )?year\b|\b(?:in )?(?:the )?(?:winter|summer|spring|autumn|fall)\b"
    r"|[冬夏春秋](?:天|季)|寒假|暑假|この時期|[冬夏春秋]は|[冬夏春秋]も|[冬夏春秋]でも"
)


# A place named as a landmark, to say where something else is: "staying near Zhongjie",
# "next to the zhang mansion", "故宫附近", "中街近くのホテル". The message is about the other thing.
_LANDMARK = re.compile(
    r"\b(?:near|next to|close to|nearby|opposite|behind|beside|(?:right|just) (?:by|on)"
    r"|staying (?:at|by))\s+(?:the\s+)?\w+(?:\s+\w+)?"
    r"|[\u4e00-\u9fff]{2,6}?(?:附近|旁边|周边|周围|对面)"
    r"|[\u4e00-\u9fff\u30a0-\u30ff]{2,8}?の?(?:近く|周辺|付近|隣|そば)"
    # Where one stays: "中街のホテルから歩いて行けますか" asks about the walk, not Zhongjie.
    r"|[\u4e00-\u9fff\u30a0-\u30ff]{2,6}?(?=の(?:ホテル|宿))|[\u4e00-\u9fff]{2,6}?(?=的(?:酒店|宾馆))"
    # Where one lives: "…去九一八纪念馆参观，我家住铁西，坐地铁咋过去" asks the way to the museum
    # (Tiexi's development zone had been given).
    r"|(?:(?<=家住|住在|我住)|(?<=我们住))[\u4e00-\u9fff]{2,4}"
)


def without_landmarks(normalized: str) -> str:
    """A normalized text without the places it names only to say where something else is."""
    return _blanked(_LANDMARK, normalized)
