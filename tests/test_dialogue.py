"""Conversational moves read from the text alone: language requests, replies to "Did you
mean…", topic switches, sentences."""

from __future__ import annotations

import pytest

from bot.dialogue import (
    Pick,
    Refusal,
    StrayPick,
    answer_language_asked,
    asking_part,
    asks_chinese_address,
    asks_for_chat,
    asks_for_other_language,
    asks_for_service,
    asks_in_words,
    clauses,
    pieces,
    questions,
    reply_to_offer,
    requested_language,
    sentences,
    signs_off,
    spaced,
    switched_topic,
    wants_taxi_card,
)


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("can you book tickets for us?", True),
        ("could you please book a table at Laobian tonight", True),
        ("get me a taxi please", True),
        ("帮我订个明晚的酒店", True),
        ("能帮我叫个出租车吗", True),
        ("你能帮她约个面签时间不", True),  # for someone else
        ("今夜のレストランを予約してもらえますか", True),
        ("明日の朝の切符、取っといてくれる？", True),
        ("エントリー代わりにやっといてくれる？", True),
        ("出展の申込みを代行してもらえますか", True),
        ("代表团想看看机器人企业 你帮着联系下新松呗", True),
        ("帮我们报个媒体证呗", True),
        ("门票帮我抢两张呗", True),
        ("给我联系方式", False),  # asks for the contact, to call it oneself
        ("can u grab us 2 tix for saturday", True),
        ("could you introduce us to a local logistics company there?", True),
        ("Can you arrange a meeting with Hunnan district government for us?", True),
        ("how do I arrange a visa?", False),
        ("怎么报名", False),
        ("can u register us as an exhibitor", True),
        ("could you please sign us up for the marathon", True),
        ("can you register for the expo?", False),  # "you": anyone
        ("how do i register for the marathon?", False),
        ("do I need to book?", False),  # questions about booking
        ("can you book tickets online?", False),  # "you": anyone
        ("where can you buy tickets", False),
        ("where can I buy a SIM card for us", False),
        ("要预约吗", False),
        ("予約は必要ですか", False),
        ("屋台みたいな小さい店でも現金は受け取ってもらえる？", False),  # had been a refusal
    ],
)
def test_requests_to_do_something_are_told_apart_from_questions(text: str, service: bool) -> None:
    assert asks_for_service(text) is service


@pytest.mark.parametrize(
    ("text", "play"),
    [
        ("tell me a joke lol", True),
        ("sing me a song", True),
        ("给我讲个笑话呗 无聊死了", True),
        ("何か面白い冗談言って", True),
        ("is there a comedy club in shenyang", False),
        ("二人转好笑吗", False),
        ("what songs do they sing at errenzhuan shows", False),
        ("tell me a story about nurhaci and the palace", False),
        ("二人转演员说段子好笑吗", False),
    ],
)
def test_play_is_told_apart_from_questions(text: str, play: bool) -> None:
    assert asks_for_chat(text) is play


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("日本語でお願いします", "ja"),
        ("中国語で答えてもらえますか", "zh"),
        ("中国語で答えてもらえますか？", "zh"),
        ("reply in English", "en"),
        ("English please", "en"),
        ("can you speak Japanese?", "ja"),
        ("请用中文回答", "zh"),
        ("用日语回答", "ja"),
        ("请用英文回答我", "en"),
        ("能说英语吗", "en"),
        ("Is there a Japanese restaurant?", None),  # a question about Japanese food
        ("日本語のメニューはありますか", None),
        ("I am learning Japanese and Chinese", None),
        ("Where can I study Chinese in Shenyang for a month this summer?", None),
        # A request with a reason beside it, and nothing else asked.
        ("could you answer in English? my boss doesn't read Chinese", "en"),
        ("我老板看不懂中文，请用英文回答", "en"),
        ("日本語でお願いします。上司が中国語を読めないので", "ja"),
        ("Please answer in English. Where is the palace?", None),  # the question is answered
        # A reason in the same clause, before or after the request.
        ("can you answer in Chinese so I can show them?", "zh"),
        ("同僚に見せたいので英語で答えてもらえますか？", "en"),
        ("请用中文回答 因为我朋友看不懂英文", "zh"),
        ("so how do I get there in winter?", None),
        ("能用英文再说一遍不？我截图发他", "en"),
        # The reason set apart by a space, as chat messages do
        ("能用日语说一遍不 我转给他看", "ja"),
        ("整个日语版的呗 要给日本总部看", "ja"),
        ("沈阳故宫 日语导游有吗", None),  # asks about guides, in two spaced parts
        ("can u write that in chinese? want to show them", "zh"),
        ("用日语回答一下呗，我媳妇是日本人，想自己看", "ja"),
        ("could you put that in Japanese? my buddy from Osaka wants to read it", "ja"),
        ("用日语回一遍吧 日方领导要看", "ja"),
        ("整成英文的呗 他们看不懂中文", "en"),  # the language they cannot read is a reason
        ("could you give me that in japanese? she'd rather read it herself", "ja"),
        ("切成英文吧 让他自己看", "en"),
        ("英語版もお願いします。シンガポール本社に送るので", "en"),
        ("私も日本語を勉強しています", None),
        ("我越南同学也想看 发个英文的", "en"),
        # For whom it is: a reason too
        ("can you answer in japanese for her?", "ja"),
        ("can you show it in chinese for her grandpa", "zh"),
        ("来份英文的 我给交换生看", "en"),
        ("能翻成日语不 日本领导要看", "ja"),
        ("show me where the show is", None),  # "show" alone is no request
        ("switch back to english pls", "en"),
        ("hi! can you switch to Chinese please", "zh"),  # had been "Did you mean…"
        ("actually back to english pls", "en"),
        ("hi, where is the palace in english", None),  # a question, with a language named
        ("换回中文", "zh"),
        ("还是用中文吧", "zh"),
        ("日本語に戻して", "ja"),
        ("あと英語で説明してもらえますか？", "en"),
        ("帮我找个日语导游", None),  # a guide who speaks Japanese, not the reply's language
        ("ドイツ本社の同僚に転送したいので、英語で回答いただけますか", "en"),
        ("中国語でも出せる？管理人さんに見せたいので", "zh"),
        ("英語に切り替えてもらえる？アメリカ人の友達にも見せたいから", "en"),
        ("日本語の資料は出せる？", None),  # asks for a leaflet, not for the reply's language
        ("英語で教えて", "en"),  # had been answered with language help
        ("これ中国語で見せたい", "zh"),
        ("can you tell me in english", "en"),
        ("教えて", None),
        ("夫にも読めるように英語でお願いします", "en"),
        ("switch to english for now", "en"),
        ("Is there a Japanese school for kids?", None),
        ("what is that in chinese?", None),  # a question about a word
        ("不要用英语回答", None),  # a language refused
        ("please don't answer in english", None),
        ("英語で答えないでください", None),
        ("I'm learning Japanese, where can I take Chinese classes?", None),
        # Each had been "Did you mean…" or "nothing more" (console testers, third round)
        ("请把刚才的内容翻译成日语，我要给日本编辑看", "ja"),
        ("英文版呢", "en"),
        ("中文就行了，谢谢", "zh"),
        ("やっぱ日本語で", "ja"),
        ("やっぱり日本語がいいです", "ja"),
        ("日本語にもどして", "ja"),
        ("英語が話せる病院はありますか", None),
        ("有英文菜单吗", None),
    ],
)
def test_requests_to_switch_language(text: str, lang: str | None) -> None:
    assert requested_language(text) == lang


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("2", Pick(1)),
        ("①", Pick(0)),
        ("2番", Pick(1)),
        ("第三个", Pick(2)),
        ("#3", Pick(2)),
        ("4", StrayPick()),  # only three were offered: not a question either
        ("no", Refusal()),
        ("none of them", Refusal()),
        ("不是", Refusal()),
        ("都不对", Refusal()),
        ("いいえ", Refusal()),
        ("違います", Refusal()),
        ("no 2 is closer but where is it", None),
        ("2025年のイベント", None),
        # As people pick in words
        ("the second one", Pick(1)),
        ("option 2", Pick(1)),
        ("the 2nd", Pick(1)),
        ("the first", Pick(0)),
        ("最初の", Pick(0)),
        ("the last one", Pick(2)),
        ("最后一个", Pick(2)),
        ("none of those", Refusal()),
        ("两个都不是", Refusal()),
        ("どれでもない", Refusal()),
        ("last train", None),
        ("first time in shenyang", None),
    ],
)
def test_replies_to_did_you_mean(text: str, move: Pick | Refusal | StrayPick | None) -> None:
    assert reply_to_offer(text, 3) == move


def test_a_number_with_nothing_on_offer_is_a_stray_pick() -> None:
    assert reply_to_offer("1", 0) == StrayPick()
    assert reply_to_offer("99", 3) == StrayPick()  # had been matched, and logged, as a question
    assert reply_to_offer("0", 3) == StrayPick()
    assert reply_to_offer("110", 0) is None  # the police's number is a question


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("What about Beiling Park?", "beiling park"),
        ("how about the palace", "palace"),
        ("ok and what about Qipanshan", "qipanshan"),
        ("那西塔呢", "西塔"),
        ("那冰雪节呢", "冰雪节"),
        ("開発区は？", "开发区"),
        ("じゃあ中街はどうですか", "中街"),
        ("瀋陽の空港は？", "沈阳の空港"),  # の belongs to names
        ("Where is the palace?", None),
        ("ok", None),
        # Questions of their own, not "what about X?": grammar or a question word inside.
        ("瀋陽で有名な食べ物は？", None),
        ("几月份去比较好呢", None),
        ("沈阳有什么好吃的呢", None),
        ("how much is a taxi to the city then", None),
        ("and the east tomb then", "the east tomb"),
    ],
)
def test_topic_switches(text: str, topic: str | None) -> None:
    assert switched_topic(text) == topic


def test_sentences_of_a_chatty_message() -> None:
    text = "Hi! I'm Tom from Osaka. We visit next month. Where can we eat local food? Thanks :)"
    assert sentences(text) == [
        "I'm Tom from Osaka.",
        "We visit next month.",
        "Where can we eat local food?",
        "Thanks :)",
    ]
    assert sentences("你好，我下个月去沈阳出差。请问故宫门票多少钱？") == [
        "你好，我下个月去沈阳出差。",
        "请问故宫门票多少钱？",
    ]


def test_emoji_and_ellipses_keep_a_sentence_and_a_spaced_dash_ends_a_clause() -> None:
    # What comes before the emoji says what is asked: a dental question, not one on language.
    text = "cracked a tooth 🦷 any english speaking dentist in shenyang?"
    assert sentences(text) == [text]
    assert sentences("歯が痛い…日本語が通じる歯医者さんはありますか") == [
        "歯が痛い…日本語が通じる歯医者さんはありますか"
    ]
    # A dash joins a topic to its question ("mukden palce tickets - how much …"): one sentence,
    # two clauses.
    text = "mukden palce tickets - how much and do I need to book ahead?"
    assert sentences(text) == [text]
    assert clauses(text) == ["mukden palce tickets", "how much and do I need to book ahead?"]
    assert sentences("the x-ray of 3.5 km") == ["the x-ray of 3.5 km"]


def test_pieces_of_a_message_set_apart_greetings_and_thanks() -> None:
    text = "你好！我是从日本来的，下个月要去沈阳出差。沈阳地铁有几条线 谢谢🙏"
    assert [text[a:b] for a, b in pieces(text)] == [
        *("你好", "我是从日本来的", "下个月要去沈阳出差", "沈阳地铁有几条线", "谢谢"),
    ]
    text = "Hi there! metro lines? Thanks a lot!"
    assert [text[a:b] for a, b in pieces(text)] == ["Hi there", "metro lines", "Thanks a lot"]
    assert pieces("") == []


def test_parts_set_apart_by_spaces_in_chinese_or_japanese() -> None:
    assert spaced("张氏帅府要门票吗 学生有半价没") == ["张氏帅府要门票吗", "学生有半价没"]
    assert spaced("中街 ってどこ") == ["中街", "ってどこ"]
    assert spaced("where is it") == []  # English words are always set apart
    assert spaced("沈阳故宫") == []


def test_clauses_of_a_long_sentence() -> None:
    assert clauses("不好意思打扰了，我爸突然胸口疼，急救电话是多少，着急") == [
        "不好意思打扰了",
        "我爸突然胸口疼",
        "急救电话是多少",
    ]
    assert clauses("Where is it") == ["Where is it"]


def test_the_parts_that_ask_are_the_question_of_a_message() -> None:
    parts = sentences(
        "Hi! Coming to Shenyang in January for a trade fair. Is it really that cold??"
    )
    assert questions(parts) == ["Is it really that cold?"]
    assert questions(["我下周去沈阳出差。", "故宫几点开门"]) == ["故宫几点开门"]
    assert questions(["来月瀋陽に行きます。", "故宮は月曜も開いていますか"]) == [
        "故宮は月曜も開いていますか"
    ]
    assert questions(["I love history.", "The palace, mostly."]) == [
        "I love history.",
        "The palace, mostly.",
    ]  # nothing asks: every part may hold the question
    # A request asks.
    assert questions(["I love history.", "Tell me about the palace."]) == [
        "Tell me about the palace."
    ]
    assert questions(["来月出張です。", "おいしい餃子のお店を教えてください！"]) == [
        "おいしい餃子のお店を教えてください！"
    ]
    # A Japanese question word asks without か or "？": "ハルビン氷祭り いつ" had been read as
    # news after a greeting; いつも ("always") and どうぞ ask nothing.
    assert questions(["来月出張です。", "ハルビン氷祭り いつ"]) == ["ハルビン氷祭り いつ"]
    assert questions(["いつもありがとう。", "どうぞよろしく。"]) == [
        "いつもありがとう。",
        "どうぞよろしく。",
    ]


def test_the_asking_part_of_a_message() -> None:
    text = "hi! we land at taoxian on friday night, how do we get into the city?"
    assert asking_part(text) == "how do we get into the city?"
    assert asking_part("故宫周一开门吗") == "故宫周一开门吗"
    assert asking_part("I will visit on Monday.") == "I will visit on Monday."  # none asks: all
    # A clause that opens as a question asks without its "?": the price was asked there.
    taxi = "how much is a taxi from taoxian airport to the city center, roughly in yuan?"
    assert asking_part(taxi) == "how much is a taxi from taoxian airport to the city center " + (
        "roughly in yuan?"
    )


def test_an_english_clause_opening_as_a_question_asks() -> None:
    assert asks_in_words("Where can I exchange money")
    assert asks_in_words("and do I need a VPN")
    assert asks_in_words("沈阳有什么好吃的")
    assert not asks_in_words("we land on friday night")
    # A request asks too: the message had been answered with a greeting.
    assert asks_in_words("please suggest a plan, my parents like old history places")
    assert asks_in_words("any tips for a first trip")
    assert not asks_in_words("my parents like old history places")


@pytest.mark.parametrize("piece", ["在线等", "急急急", "提前谢过", "よろしくお願いします", "TIA"])
def test_chat_sign_offs(piece: str) -> None:
    assert signs_off(piece)


@pytest.mark.parametrize("piece", ["在线等车", "沈阳", "help me find the palace"])
def test_a_question_is_no_sign_off(piece: str) -> None:
    assert not signs_off(piece)


@pytest.mark.parametrize(
    ("part", "asking"),
    [
        ("地铁能到不", True),
        ("要钱不", True),
        ("学生有优惠没", True),
        ("想去北陵公园转转", False),
        ("故宫离中街近不近", True),  # A-not-A: the other yes-no question
        ("周一开不开", True),
        ("好不容易到了沈阳", False),
    ],
)
def test_a_chinese_clause_ending_on_bu_or_mei_asks(part: str, asking: bool) -> None:
    # "V不" / "V没" at the end is the colloquial yes-no question ("能到不" = "能到吗").
    assert asks_in_words(part) is asking


@pytest.mark.parametrize(
    ("text", "card"),
    [
        ("中国語で表示して", True),  # no one named: the taxi card
        ("これ中国語で見せたい", True),
        ("タクシーの運転手に見せたいので、中国語で表示してもらえますか", True),
        ("住所を中国語で教えてください。タクシーで行きます", True),
        ("can you answer in Chinese so I can show them?", False),  # someone else reads it
        ("ホテルのフロントの方に見せたいので、中国語でお願いします", False),
        ("pls switch to chinese so i can show the driver", False),  # "switch" said
        ("can you show that in chinese so the security guard gets it", False),
        ("can you write the name in chinese so i can show the taxi driver", True),
        ("whats the chinese name again", True),
    ],
)
def test_a_taxi_card_is_for_a_driver_or_no_one_named(text: str, card: bool) -> None:
    assert wants_taxi_card(text, requested_language(text) or "zh") is card


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("can you speak korean?", True),
        ("french please", True),
        ("用韩语回答", True),
        ("is there a korean restaurant", False),
        ("German speaking doctor?", False),
        ("reply in english", False),  # one the assistant speaks: requested_language's
    ],
)
def test_a_language_the_assistant_does_not_speak_is_asked_for(text: str, other: bool) -> None:
    assert asks_for_other_language(text) is other


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("请用日语告诉我沈阳故宫怎么去", "ja"),
        ("英語で教えて：故宮の入場料", "en"),
        ("tell me in japanese how to get to the palace", "ja"),
        ("英語で話せる病院", None),  # a hospital where English is spoken
        ("沈阳有日语导游吗", None),
    ],
)
def test_a_question_may_ask_to_be_answered_in_a_language(text: str, lang: str | None) -> None:
    assert answer_language_asked(text) == lang


def test_an_address_asked_in_chinese_beside_the_name_is_still_the_address() -> None:
    # The name's match had come first and hidden the address asked after it.
    assert asks_chinese_address("what is the chinese name and the address in chinese")
    assert not asks_chinese_address("whats the chinese name again")
