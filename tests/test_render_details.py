"""Parts of replies beside a whole answer: the message's other questions as buttons."""

from __future__ import annotations

from bot.actions import OpenEntry
from bot.assistant import Assistant, User
from bot.i18n import Catalogs
from bot.knowledge import KnowledgeBase
from bot.render_details import with_also_asked
from bot.replies import Button, Reply
from bot.store import Store


def test_an_entry_also_asked_about_is_offered_once(
    shipped_kb: KnowledgeBase, catalogs: Catalogs
) -> None:
    voice = catalogs.voice("en")
    related = Button.press("➡ Business visa", OpenEntry("business-visa"), lang="en")
    other = Button.press("➡ Getting there", OpenEntry("getting-there"), lang="en")
    reply = Reply("en", "Visa-free entry …", buttons=((related,), (other,)))
    visa = shipped_kb.get("business-visa")
    assert visa is not None
    shown = with_also_asked(voice, reply, [visa])
    actions = [b.action for row in shown.buttons for b in row]
    assert actions.count(related.action) == 1 and actions[0] == related.action
    assert other.action in actions and "You also asked about:" in shown.text


def test_the_way_to_shenyang_is_the_way_there_not_from_the_airport(
    shipped_kb: KnowledgeBase, catalogs: Catalogs, store: Store
) -> None:
    # "日本から瀋陽へはどうやって行けばいいですか？" (one of the entry's own questions) had been
    # given the airport's metro line into town.
    assistant = Assistant(shipped_kb, catalogs, store)
    reply = assistant.ask(
        User(41, "ja", chat_id=41), "日本から瀋陽へはどうやって行けばいいですか？"
    )
    assert (reply.entry_id, reply.aspect) == ("getting-there", "access")
    assert "航空会社" in reply.text and "北京" in reply.text
