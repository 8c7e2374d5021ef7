"""Parts of replies beside a whole answer: the message's other questions as buttons."""

from __future__ import annotations

from bot.actions import OpenEntry
from bot.i18n import Catalogs
from bot.knowledge import KnowledgeBase
from bot.render_details import with_also_asked
from bot.replies import Button, Reply


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
