"""Reading a message as a move in a conversation, before it is looked up as a question: a request
to switch language ("日本語でお願いします"), an answer to "Did you mean…" (a number, a "no"), a
switch of topic ("what about X?", "那X呢", "Xは？"), and the sentences of a long, chatty message.

Pure functions of the text; what to do about each move is the assistant's decision. These are
the grammar of talking to the bot, the same for every knowledge base; the words of the domain
(aspects, synonyms, places) are the curators', in the lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.languages import LANGUAGES, OTHER_LANGUAGE_NAMES
from bot.text import has_cjk, normalize

# A request to switch language is a short message: "I'm learning Japanese, where can I take
# Chinese classes?" names two languages and asks for neither.
REQUEST_MAX_CHARS = 40
# What may stand around a language's name in such a request, in any of the three languages.
_REQUEST_WORDS = (
    *("please", "pls", "reply", "answer", "respond", "speak", "talk", "write", "in", "can"),
    *("could", "would", "you", "do", "does", "switch", "to", "change", "use", "let's", "lets"),
    *("me", "us", "i", "want", "prefer", "the", "language", "ok", "okay", "thanks", "only"),
    *("version", "mode", "again", "now", "from", "on", "with", "and", "a", "an", "u", "plz"),
    # "could you put that in Japanese?", "能用英文再说一遍不", "用日语回答一下呗"
    *("put", "that", "this", "it", "translate", "into", "say", "repeat", "one", "more", "time"),
    *("give", "send", "back"),  # "could you give me that in japanese?", "switch back to english"
    *("show", "display"),  # "can you show it in chinese for her grandpa" (a driver: the taxi card)
    # A greeting or an aside around it: "hi! can you switch to Chinese please", "actually back to
    # english pls" (both had been "Did you mean…" with language help first)
    *("hi", "hello", "hey", "actually", "instead", "just", "sorry", "你好", "您好", "すみません"),
    *("一下", "呗", "再", "一遍", "重新", "翻译", "翻译成", "不", "成", "发", "写", "回", "个"),
    # "整个日语版的呗", "整成英文的呗": Northeastern for "make a Japanese/English version"
    *("整个", "来个", "版", "的", "整成"),
    *("来份", "来一份", "翻成", "翻"),  # "来份英文的 我给交换生看", "能翻成日语不 日本领导要看"
    *("訳して", "翻訳して", "もう一度", "書いて", "言って"),
    *("请", "用", "说", "讲", "回答", "回复", "答", "可以", "吗", "嗎", "能", "你", "会", "會"),
    *("切换", "切換", "到", "换成", "換成", "改成", "改用", "我", "要", "想", "语言", "語言", "吧"),
    *("切成", "切到", "も"),  # "切成英文吧 让他自己看", "英語版もお願いします"
    # "换回中文", "切回中文", "还是用中文吧", "帮我翻译成日语", "日本語に戻して", "あと英語で説明して…"
    *("换回", "換回", "切回", "还是", "還是", "帮我", "幫我", "戻して", "説明して", "あと"),
    *("好", "谢谢", "謝謝", "麻烦", "麻煩", "了", "啊", "呀", "跟", "和", "交流", "说话", "講話"),
    *("で", "お願い", "おねがい", "します", "しますか", "答えて", "話して", "回答", "返事"),
    *("もらえますか", "もらえません", "くれますか", "くれません", "ください", "下さい", "か"),
    *("切り替えて", "切り替え", "にして", "に", "して", "変えて", "できますか", "できる"),
    *("話せますか", "話せる", "使って", "表示", "は", "を", "の", "ね", "よ", "です", "ますか"),
    # "英語で回答いただけますか", "中国語で返信して！", "中国語でも出せる？", "英語に切り替えてもらえる？"
    *("いただけますか", "いただけます", "いただけ", "返信して", "返信", "出せる", "出して"),
    *("もらえる", "もらえ", "くれる"),
    # "英語で教えて", "これ中国語で見せたい", "can you tell me in english" (the first two had been
    # answered with language help)
    *("教えて", "これ", "それ", "見せたい", "見せて", "tell"),
    # "请把刚才的内容翻译成日语，我要给日本编辑看", "英文版呢", "中文就行了，谢谢", "やっぱ日本語で",
    # "やっぱり日本語がいいです" (each had been "Did you mean…" or "nothing more")
    *("把", "刚才", "剛才", "上面", "内容", "內容", "这段", "這段", "呢", "就行", "就好"),
    *("やっぱ", "やっぱり", "が", "いい", "もどして", "もどす"),  # "日本語にもどして"
)
_NO = (
    *("no", "nope", "neither", "none", "none of them", "none of these", "not that", "wrong"),
    *("no thanks", "no thank you", "not these", "nah", "not really", "that's not it"),
    *("不是", "不对", "不對", "都不是", "都不对", "没有", "沒有", "不", "不要", "没有我要的"),
    *("いいえ", "違う", "違います", "ちがう", "ちがいます", "どれも違う", "どれも違います"),
    *("いや", "違うよ", "そうじゃない", "該当なし", "どれでもない", "どれでもないです"),
    *("none of those", "nope neither", "neither of them", "neither of those", "not those"),
    *("两个都不是", "三个都不是", "都不是我要的", "哪个都不是"),
)
# A reason given in the same clause as a request: "can you answer in Chinese so I can show
# them?", "同僚に見せたいので英語で答えてもらえますか" (both had been matched as questions). The reason
# is split off and does not ask, whatever question mark ends the message.
# Whom it is for is a reason too: "can you answer in japanese for her?", "夫にも読めるように英語で
# お願いします" (answered with language help and with what the bot can do).
_BECAUSE_WORDS = r"(?:so|because|since|for) "
_BECAUSE = re.compile(rf"(?=\b{_BECAUSE_WORDS})|(?<=ので)|(?<=ように)|(?=因[为為])", re.IGNORECASE)
# Who cannot read a language gives a reason, not a request: "整成英文的呗 他们看不懂中文".
_REASON = re.compile(
    rf"^\s*{_BECAUSE_WORDS}|(?:ので|ように)\s*$|因[为為]|看不懂|听不懂|不懂|読めない|\bcan'?t read\b",
    re.IGNORECASE,
)
# "不要用英语回答", "don't reply in English": a language refused, not requested ("不" alone is a
# request's question particle: "能用英文再说一遍不").
_NOT_IN = re.compile(
    r"不要|不用|别用|別用|\bdon'?t\b|\bdo not\b|\bnot in\b|じゃなく|ではなく|ないで"
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "一": 1, "二": 2, "三": 3}
_ORDINALS.update({"1st": 1, "2nd": 2, "3rd": 3, "最初": 1, "一番上": 1, "top": 1})
_LAST = ("last", "最后", "最後", "最后面", "一番下")  # the last suggestion, however many
# "2", "the second one", "option 2", "the 2nd", "2番目", "第二个", "the last one", "最初の"; any
# number under 100 ("99", "0" had been questions noted for the curators), not 110 (the police)
_PICK = re.compile(
    r"^(?:the |option |choice |no |number |#|第)?"
    r"(?P<n>\d{1,2}|1st|2nd|3rd|first|second|third|top|last|最初|一番上|一番下|最后面|最后|最後"
    r"|一|二|三)"
    r"(?: ?(?:番|番目|つ目|の|一个|一個|个|個|号|one|st|nd|rd|th|please|pls))*$"
)
# "what about X?", "那X呢", "Xは？": the topic becomes X.
_SWITCH = (
    re.compile(
        r"^(?:(?:and|so|ok|okay|also|then|well|hmm) )*(?:what|how) about (?:the )?(?P<x>.+)$"
    ),
    re.compile(r"^(?:and |also )?(?P<x>.+?) (?:too|then)$"),
    re.compile(r"^(?:那|那么|那麼|还有|還有)?(?P<x>.+?)(?:呢|怎么样|怎麼樣)$"),
    re.compile(
        r"^(?:じゃあ|では|それでは|あと|それと)?(?P<x>.+?)"
        r"(?:は|はどう|はどうですか|はどうでしょうか|の方は|のほうは|について)$"
    ),
)
# What a name never holds: Japanese grammar (hiragana but the の of "瀋陽の空港") or a Chinese
# question word. "瀋陽で有名な食べ物は？" and "几月份去比较好呢" ask questions of their own; read
# as "what about X?" they had kept the aspect asked before (the food answered with its address).
_SENTENCE_NOT_NAME = re.compile(
    r"[\u3041-\u306d\u306f-\u3096]|什么|怎么|哪|吗|多少|几|谁|啥|咋|为什么"
)
# Emoji and ellipses do not end a sentence: what comes before them often says what is asked
# ("cracked a tooth 🦷 any english speaking dentist?", "歯が痛い…日本語が通じる歯医者さんは"); read
# apart, those questions had been answered with the entry on language help or on hospitals (2
# more off-topic answers of 208 practical development questions, for 2 more right of 813). A
# spaced dash ends a clause ("hey, quick question - shenyang metro lines"); as a sentence end it
# had cut "mukden palce tickets - how much …" from its topic.
_EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf"
_SENTENCE_END = re.compile(r"(?<=[。！？!?\n])|(?<=[.;])\s+")
_MIN_SENTENCE_CHARS = 4
_CLAUSE_END = re.compile(r"[，,、；;]|\s+[-–—]+\s+")

# "中国語で表示して" after a place asks for what the 🚕 button shows: something to show a driver.
_SHOWING = re.compile(r"表示|見せ|显示|顯示|\bshow\b|\bdisplay\b", re.IGNORECASE)
# Shown to a driver (or to no one named), it is the taxi card; shown to someone else ("so I can
# show them", a hotel's front desk), or with "switch" said, the language switch asked for.
_DRIVER = re.compile(r"運転手|タクシー|司机|師傅|师傅|出租|打车|\bdriver\b|\btaxi\b|\bcab\b", re.I)
_READER = re.compile(
    r"\bthem\b|\bhim\b|\bher\b|\bstaff\b|\bguard\b|\bdoctor\b|\bnurse\b|\breception\b"
    r"|\bfront desk\b|\blandlord\b|フロント|受付|同僚|医者|看護師|前台|同事|保安|医生|护士|房东",
    re.I,
)
_SWITCH_SAID = re.compile(r"\bswitch\b|切り替え|切换|切換", re.IGNORECASE)


def _asked_in_chinese(words: str) -> re.Pattern[str]:
    """``words`` asked in Chinese: "住所を中国語で", "the address in chinese", "中文地址"."""
    return re.compile(
        rf"(?:{words}).{{0,12}}(?:中国語|中文|汉字|漢字|\bin chinese\b)"
        rf"|(?:中国語|中文|\bchinese\b).{{0,6}}(?:{words})",
        re.IGNORECASE,
    )


_ADDRESS = r"住所|地址|\baddress\b"
# The address or the name in Chinese: "can you write the name in chinese so i can show the taxi
# driver", "whats the chinese name again" after Zhongjie (both had been "Did you mean…").
_ADDRESS_IN_CHINESE = _asked_in_chinese(rf"{_ADDRESS}|名前|\bname\b")
_ONLY_ADDRESS_IN_CHINESE = _asked_in_chinese(_ADDRESS)


# A request to be answered in a language, inside a question. The text is normalized first, so
# Japanese forms read as simplified ones: 英語 is 英语, 日本語 日本语.
_LANGUAGE_NAME = r"(中文|汉语|日语|日文|英语|英文|中国语|日本语|english|japanese|chinese)"
_ANSWER_IN = re.compile(
    rf"用{_LANGUAGE_NAME}(?:回答|回复|告诉我|说|讲|介绍|写)"
    rf"|(中国语|英语|日本语)で(?:教えて|答えて|回答|返信|説明)"
    rf"|\b(?:answer|reply|tell me|explain|respond)\b(?: (?:it|this|that|me))? in {_LANGUAGE_NAME}\b"
)


@dataclass(frozen=True)
class Pick:
    """A typed choice among the suggestions last offered (0-based)."""

    index: int


@dataclass(frozen=True)
class Refusal:
    """A typed "no" to the suggestions last offered."""


@dataclass(frozen=True)
class StrayPick:
    """A typed number with no suggestion of that number on offer: "1" after an answer is not a
    question (matched as one, it answered with the itinerary, whose phrasings say "1 day")."""


@cache
def _normalized(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalize(word) for word in words)


@cache
def _language_names() -> tuple[tuple[str, str], ...]:
    """(normalized name, language code), longest names first."""
    pairs = {normalize(name): row.code for row in LANGUAGES for name in row.names}
    return tuple(sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True))


def requested_language(text: str) -> str | None:
    """The language a short message asks the bot to speak ("reply in English", "用日语回答",
    "日本語でお願いします", "can you speak Japanese?"), or None. A request with a reason beside it
    counts too, if nothing else is asked: "用日语回答吧，我同事看不懂中文" had been answered with
    what the bot can do, in Chinese."""
    whole = _requested(text)
    # Parts set apart by a space too: "能用日语说一遍不 我转给他看" (the reason had made the whole
    # message a question, answered in Chinese with what the bot can do).
    said = [
        p
        for part in parts(text)
        for piece in spaced(part) or [part]
        for p in _BECAUSE.split(piece)
        if p.strip()
    ]
    if whole is not None or len(said) < 2:
        return whole
    requested = [_requested(part) for part in said]
    named = set(filter(None, requested))
    asking = any(
        code is None and asks_in_words(p) and not _REASON.search(p)
        for p, code in zip(said, requested, strict=True)
    )
    return named.pop() if len(named) == 1 and not asking else None


def asks_for_other_language(text: str) -> bool:
    """Whether a short message asks for a language the assistant does not speak ("can you
    speak korean?", "한국어로 해주세요", "用韩语回答")."""
    named = _names_requested(normalize(text), _longest_first(_normalized(OTHER_LANGUAGE_NAMES)))
    return named is not None and len(named) == 1


def answer_language_asked(text: str) -> str | None:
    """The language a question asks to be answered in, beside the question itself: "请用日语告诉我
    沈阳故宫怎么去" (had been answered in Chinese), "英語で教えて：故宮の入場料", "tell me in
    japanese how to get to the palace". Not a language named otherwise ("英語で話せる病院")."""
    found = _ANSWER_IN.search(normalize(text))
    if found is None or _ADDRESS_IN_CHINESE.search(text) or _DRIVER.search(text):
        return None  # "住所を中国語で教えてください。タクシーで行きます" is the taxi card
    named = next(g for g in found.groups() if g)
    return next((code for name, code in _language_names() if name == named), None)


def _requested(text: str) -> str | None:
    code_of = dict(_language_names())
    codes = {code_of[name] for name in _names_requested(normalize(text), tuple(code_of)) or ()}
    return codes.pop() if len(codes) == 1 else None


def _names_requested(normalized: str, names: tuple[str, ...]) -> list[str] | None:
    """The ``names`` (longest first) a short request holds, if besides them it holds request
    words only: what a request for a language, ours or another, names."""
    if not normalized or len(normalized) > REQUEST_MAX_CHARS or _NOT_IN.search(normalized):
        return None
    named = [name for name in names if name in normalized]
    rest = normalized
    for name in named:
        rest = rest.replace(name, " ")
    return named if _only_request_words(rest) else None


@cache
def _longest_first(names: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(names, key=len, reverse=True))


def _only_request_words(rest: str) -> bool:
    words = _normalized(_REQUEST_WORDS)
    latin = [w for w in rest.split() if not has_cjk(w)]
    if any(w not in words for w in latin):
        return False
    cjk = "".join(w for w in rest.split() if has_cjk(w))
    for word in sorted((w for w in words if has_cjk(w)), key=len, reverse=True):
        cjk = cjk.replace(word, "")
    return not cjk


def reply_to_offer(text: str, offered: int) -> Pick | Refusal | StrayPick | None:
    """A typed number picking one of ``offered`` suggestions (or none of them), a typed "no", or
    None."""
    normalized = normalize(text)
    if normalized in _normalized(_NO):
        return Refusal()
    match = _PICK.match(normalized)
    if match is None:
        return None
    value = match.group("n")
    named = int(value) if value.isdigit() else _ORDINALS.get(value, 0)
    number = offered if value in _LAST else named
    return Pick(number - 1) if 1 <= number <= offered else StrayPick()


# Asking the bot to do something it cannot: book, buy, order, call. Not a question about booking
# ("要预约吗", "do I need to book?", "can you book tickets online?", where "you" is anyone).
_SERVICE = re.compile(
    r"\b(?:book|reserve|buy|order|call|get|grab) (?:me|us)\b"
    # "could you introduce us to a local logistics company", "can you arrange a meeting"
    r"|\b(?:you|u) (?:please )?(?:introduce (?:me|us) to|arrange|organi[sz]e)\b"
    r"|^(?:(?!\b(?:where|how|when|what|which)\b).)*\b(?:you|u|please) (?:please )?"
    r"(?:book|reserve|buy|order|call)\b(?!.*\b(?:online|in advance|ahead|via|through)\b)"
    # "can u register us as an exhibitor" (answered with the expo), not "can you register for it?"
    r"|\b(?:you|u|please) (?:please )?(?:register|sign up|sign|enrol|enroll) (?:me|us|them|him|her)\b"
    r"|(?:帮|幫|替|给|給)(?:我|我们|我們|他|她|他们|她们|他們|她們)?着?"
    r"(?:订|訂|预订|預訂|预定|預定|买|買|叫|约|約|预约|預約|抢|搶|报个|報個|报名|報名)"
    r"|(?:帮|幫|替)(?:我|我们|我們|他|她)?着?(?:联系|聯繫|联络)"
    r"|帮忙(?:订|訂|买|買|叫)"
    r"|(?:予約|手配|購入|注文|代行)(?:して|を)(?:もらえ|くれ|いただけ|ください|下さい|お願い)"
    # "明日の朝の切符、取っといてくれる？", "エントリー代わりにやっといてくれる？"
    # Not "受け取ってもらえる" (accepted): "屋台でも現金は受け取ってもらえる？" asks about cash.
    r"|(?:(?<!受け)取っ|買っ|呼ん|やっ|申し込ん|登録し)(?:て|で|とい[てで]|[てで]おいて)"
    r"(?:もらえ|くれ|いただけ|ください|下さい)",
    re.IGNORECASE,
)


# Play rather than a question: a joke, a song, a poem, a game. "tell me a joke" had offered the
# city's profile, a development zone and language help.
_CHAT = re.compile(
    r"\b(?:tell|know) (?:me |us )?(?:a |any )?jokes?\b|\bsing (?:me |us )?(?:a )?song\b"
    r"|\bwrite (?:me |us )?(?:a )?poem\b|\bplay (?:a )?game\b"
    # Not "段子" or a story: "二人转演员说段子", "tell me a story about Nurhaci" ask about Shenyang.
    r"|(?:讲|講|说|說|来)(?:个|個|一个|一個)?(?:笑话|笑話)|唱(?:个|首)?歌|(?:写|寫)(?:首|个)?诗"
    r"|冗談|ジョーク|歌って|笑わせて",
    re.IGNORECASE,
)


def asks_for_chat(text: str) -> bool:
    """Whether a message asks for play (a joke, a song, a poem), which the bot does not do."""
    return _CHAT.search(text) is not None


def asks_for_service(text: str) -> bool:
    """Whether a message asks the bot to book, buy, order or call something ("帮我订个酒店",
    "can you book tickets for us?", "予約してもらえますか"): it can only say so. Matched as a
    question, "can you book tickets for us?" had been answered with the ice festival."""
    return _SERVICE.search(text) is not None


def switched_topic(text: str) -> str | None:
    """X in "what about X?" / "那X呢" / "Xは？", or None."""
    normalized = normalize(text)
    for pattern in _SWITCH:
        match = pattern.match(normalized)
        named = match.group("x").strip() if match else ""
        # "how much is a taxi to the city then" is a question, not "what about X then?"
        questioned = _SENTENCE_NOT_NAME.search(named) or _ENGLISH_ASKING.match(named)
        if len(named) >= 2 and not questioned:
            return named
    return None


# Going back to what was talked about before: "back to the marathon - where does it start?",
# "再说回帅府，里面有啥看的", "帥府に戻るけど、日本語ガイドはいる？".
# Matched normalized: 戻 reads as 戾 there, 說 as 说.
_BACK_TO = re.compile(r"\bback to\b|\bgoing back\b|回到|说回|に戾")


# "What about X" inside a longer message: "ok thx. and what about Zhang's mansion, is it close?"
_SWITCH_SAID_INSIDE = re.compile(r"\b(?:what|how) about\b|那.{1,12}呢")


def says_switch(text: str) -> bool:
    """Whether a message says "what about X" anywhere in it, or goes back to something."""
    return _SWITCH_SAID_INSIDE.search(normalize(text)) is not None or goes_back(text)


# A question of its own beside the name "what about X" turns to: "what about the Shenyang
# Financial Museum - what's there?", "ok what about Taiyuan Street, how is it different?".
_ASKING_BESIDE = re.compile(
    r"\b(?:what|how|which|who|why)\b|\b(?:is|are) (?:it|they|there)\b|什么|怎么|啥|何が|どんな|どう"
)


def asks_beside_name(named: str) -> bool:
    """Whether the X of "what about X" holds a question of its own beside the name."""
    return _ASKING_BESIDE.search(named) is not None


def goes_back(text: str) -> bool:
    """Whether a message says it goes back to something talked about before."""
    return _BACK_TO.search(normalize(text)) is not None


def without_going_back(text: str) -> str:
    """A message (normalized) without its words of going back: "back to the palace" → "the palace"."""
    return " ".join(_BACK_TO.sub(" ", normalize(text)).split())


def sentences(text: str) -> list[str]:
    """The sentences of a message, long enough to be a question or a statement of their own."""
    parts = (part.strip() for part in _SENTENCE_END.split(text))
    return [part for part in parts if len(normalize(part)) >= _MIN_SENTENCE_CHARS]


# What marks a sentence as a question when it has no question mark: Chinese question words and
# particles, the Japanese か. English questions nearly always end with "?".
# A request asks too: "すみません、瀋陽でおいしい餃子のお店を教えてください！" had been answered as a
# greeting, its "教えてください" read as telling.
_ASKING = re.compile(
    r"[?？]|[吗嗎呢]|什么|什麼|哪|怎么|怎麼|谁|誰|多少|几|幾|啥|咋|か[。．\s]*$"
    r"|(?<=[\u4e00-\u9fff])[不没沒][。．!！\s]*$"  # "地铁能到不", "要钱不", "有优惠没"
    r"|([\u4e00-\u9fff])[不没沒]\1"  # "故宫离中街近不近", "开不开", "有没有"
    r"|いつ(?!も)|どこ|どう(?!ぞ)|いくら|どれ|どんな|どの|なに|何[がをでにのかもと]|誰"
    r"|教えて|知りたい|おすすめ|オススメ|推荐|推薦|告诉我|告訴我|介绍|介紹"
    r"|\btell me\b|\brecommend|\blooking for\b"
    # "please suggest a plan, my parents like old history places" had been greeted
    r"|\bsuggest|\badvise\b|\blet me know\b|\bany (?:tips|ideas|advice)\b",
    re.IGNORECASE,
)


# The words an English question opens with (after "and", "also" …).
_ENGLISH_ASKING = re.compile(
    r"\s*(?:and |also |or |plus )?(?:where|what|when|how|which|who|why|is|are|do|does|can|could"
    r"|should|will|would)\b",
    re.IGNORECASE,
)


def questions(parts: list[str]) -> list[str]:
    """The parts of a message that ask something; all of them when none does ("Hi! Coming to
    Shenyang in January for a trade fair. Is it really that cold??" asks about the cold)."""
    asking = [part for part in parts if asks(part)]
    return asking or parts


def asking_part(text: str) -> str:
    """The clauses of a message that ask, joined; the whole message when none does. The aspect
    asked is read there: in "we land at taoxian on friday night, how do we get into the city?"
    Friday is when, not a question about opening hours."""
    asking = [part for part in parts(text) if asks_in_words(part)]
    return " ".join(asking) or text


def parts(text: str) -> list[str]:
    """The clauses of a message's sentences, in order; a sentence without commas is one."""
    return [c for s in sentences(text) for c in (clauses(s) or [s])]


def asks(part: str) -> bool:
    """Does this part of a message ask something (a question mark, a question word)?"""
    return _ASKING.search(part) is not None


def asks_in_words(part: str) -> bool:
    """:func:`asks`, or an English part that opens as a question does even without "?" in the
    middle of a message ("Where can I exchange money, and do I need a VPN?")."""
    return asks(part) or _ENGLISH_ASKING.match(part) is not None


# A space between Chinese or Japanese words, where chat messages often put a comma's pause:
# "张氏帅府要门票吗 学生有半价没".
_SPACED = re.compile(r"(?<=[\u3040-\u9fff])\s+(?=[\u3040-\u9fff])")


# Where a message may hold a pleasantry of its own: its sentences and clauses, and a space
# between Chinese or Japanese words ("瀋陽主要產業有哪些 在线等，谢谢大家了").
_PIECE_END = re.compile(
    rf"[。！？!?\n…～~，,、；;{_EMOJI}]+\s*|(?<=[.;])\s+|\s+[-–—]+\s+"
    rf"|{_SPACED.pattern}"
)


# How chat and forum posts sign off, beside thanks: a piece of a message that asks nothing of
# the bot's subject ("瀋陽主要產業有哪些 在线等，谢谢大家了").
_SIGN_OFFS = (
    *("在线等", "在线等挺急的", "急", "急急急", "求助", "求解答", "蹲", "蹲一个", "提前谢过"),
    *("先谢了", "拜托了", "拜托", "谢谢大家", "感谢", "跪求", "求大神", "求指点"),
    *("よろしくお願いします", "よろしくお願いいたします", "お願いします", "助かります"),
    *("thanks in advance", "thx in advance", "tia", "pls help", "please help", "help"),
)


def signs_off(piece: str) -> bool:
    """Whether a piece of a message is a sign-off of chat or forum posts ("在线等", "tia")."""
    return normalize(piece) in _normalized(_SIGN_OFFS)


def pieces(text: str) -> list[tuple[int, int]]:
    """The spans of a message's pieces (sentences, clauses, words set apart by spaces in Chinese
    or Japanese), in order; what separates them is in none."""
    spans, start = [], 0
    for end in _PIECE_END.finditer(text):
        spans.append((start, end.start()))
        start = end.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def spaced(sentence: str) -> list[str]:
    """The parts of a Chinese or Japanese sentence set apart by spaces; none when it has none."""
    found = [part.strip() for part in _SPACED.split(sentence)]
    return found if len(found) > 1 else []


def clauses(sentence: str) -> list[str]:
    """The clauses of a long sentence, cut at commas: "不好意思打扰了，我爸突然胸口疼，急救电话是多少"
    holds its question in one of them."""
    parts = (part.strip() for part in _CLAUSE_END.split(sentence))
    return [part for part in parts if len(normalize(part)) >= _MIN_SENTENCE_CHARS]


def asks_chinese_address(text: str) -> bool:
    """Whether a message asks for an address in Chinese ("whats the address in chinese")."""
    return _ONLY_ADDRESS_IN_CHINESE.search(text) is not None


def wants_taxi_card(text: str, requested: str | None) -> bool:
    """Whether a message asks to show the place in Chinese to a driver (or to no one named):
    "中国語で表示して", the address asked in Chinese. ``requested``: the language the message
    asks for, if any."""
    to_driver = (_DRIVER.search(text) or not _READER.search(text)) and not _SWITCH_SAID.search(text)
    showing = requested == "zh" and bool(to_driver) and _SHOWING.search(text) is not None
    return showing or _ADDRESS_IN_CHINESE.search(text) is not None
