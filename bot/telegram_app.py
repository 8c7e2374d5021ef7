"""python-telegram-bot wiring: turn updates into calls on the :class:`Assistant` and render its
:class:`Reply` objects as Telegram messages. No business logic lives here."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import signal
from collections.abc import Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputFile,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, InvalidToken, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.assistant import Assistant, Brain, Reply, User, html_to_plain, open_assistant
from bot.config import Settings
from bot.i18n import N_
from bot.knowledge import LoadResult, load_knowledge
from bot.language import SUPPORTED

log = logging.getLogger(__name__)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

MESSAGE_LIMIT = 4096
REMINDER_CHECK_SECONDS = 60
ASSISTANT = "assistant"
SETTINGS = "settings"

Context = ContextTypes.DEFAULT_TYPE
CommandCallback = Callable[[Update, Context], Coroutine[Any, Any, None]]

# (command, msgid of its description); descriptions are translated per language at start-up.
COMMANDS = (
    ("start", N_("Welcome and topic menu")),
    ("topics", N_("Browse topics")),
    ("events", N_("Upcoming and recent events")),
    ("lang", N_("Choose the reply language")),
    ("reminders", N_("Your event reminders")),
    ("help", N_("How to ask")),
    ("forget", N_("Delete what the bot stores about you")),
)
DESCRIPTION = N_(
    "Ask me about Shenyang — investment, tourism, events, culture — in Chinese, "
    "Japanese or English."
)


# One unit of Telegram HTML that must never be cut: a tag, an entity, or a single character.
_HTML_UNIT = re.compile(r"<[^<>]*>|&#?[0-9A-Za-z]+;|.", re.DOTALL)
_BREAKS = ("\n\n", "\n", " ")  # where to cut, best first; anywhere else comes last


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut a long HTML text at paragraph, then line, then word boundaries, never inside a tag or
    an entity. Formatting open at a cut is closed at the end of the part and reopened at the start
    of the next, so each part is valid Telegram HTML of at most ``limit`` characters."""
    if len(text) <= limit:
        return [text]
    units = _HTML_UNIT.findall(text)
    visible = [i for i, unit in enumerate(units) if _is_text(unit) and not unit.isspace()]
    chunks: list[str] = []
    reopen: list[str] = []  # opening tags carried over from the previous part
    start = 0
    while visible and start <= visible[-1]:
        prefix = "".join(reopen)
        stack = list(reopen)
        length = len(prefix)
        cuts: dict[int, tuple[int, list[str]]] = {}  # rank of the break -> latest (index, stack)
        has_text = False
        index = start
        while index < len(units) and length + len(units[index]) <= limit:
            unit = units[index]
            length += len(unit)
            index += 1
            if not _is_text(unit):
                _track_tag(stack, unit)
            has_text = has_text or not unit.isspace()
            if has_text and length + sum(len(_closing_tag(t)) for t in stack) <= limit:
                cuts[_break_rank(units, index)] = (index, list(stack))
        if index == len(units):  # the rest fits (the original text closes its own tags)
            chunks.append(prefix + "".join(units[start:]))
            break
        if cuts:
            cut, stack = cuts[min(cuts)]
        else:  # not even one character fits beside the carried tags: give up on them
            cut, stack = start + 1, []
            prefix = ""
        chunks.append(
            prefix
            + "".join(units[start:cut])
            + "".join(_closing_tag(tag) for tag in reversed(stack))
        )
        reopen = stack
        start = cut
        while start < len(units) and _is_text(units[start]) and units[start].isspace():
            start += 1  # the separator belongs to neither part
    return chunks


def _is_text(unit: str) -> bool:
    return not (unit.startswith("<") and unit.endswith(">") and len(unit) > 1)


def _break_rank(units: list[str], index: int) -> int:
    """How good a cut before ``units[index]`` is: 0 at a paragraph break, … len(_BREAKS) inside a
    word."""
    for rank, separator in enumerate(_BREAKS):
        if "".join(units[index : index + len(separator)]) == separator:
            return rank
    return len(_BREAKS)


def _tag_name(tag: str) -> str:
    inner = tag.strip("<>/").split()
    return inner[0].lower() if inner else ""


def _closing_tag(opening: str) -> str:
    return f"</{_tag_name(opening)}>"


def _track_tag(stack: list[str], tag: str) -> None:
    """Push an opening tag, or drop the innermost open tag that a closing tag ends."""
    if not tag.startswith("</"):
        stack.append(tag)
        return
    name = _tag_name(tag)
    for position in range(len(stack) - 1, -1, -1):
        if _tag_name(stack[position]) == name:
            del stack[position]
            return


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.action)
                for b in row
            ]
            for row in reply.buttons
        ]
    )


def user_of(update: Update) -> User:
    person = update.effective_user
    chat = update.effective_chat
    return User(
        id=person.id if person else (chat.id if chat else 0),
        language_code=person.language_code if person else None,
        chat_id=chat.id if chat else None,
    )


def assistant_of(context: Context) -> Assistant:
    assistant: Assistant = context.bot_data[ASSISTANT]
    return assistant


async def send(context: Context, chat_id: int, reply: Reply, reply_to: int | None = None) -> None:
    """Send a reply as new messages (text split to Telegram's limit, buttons on the last part)."""
    markup = keyboard(reply)
    if reply.text:
        parts = split_message(reply.text)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await context.bot.send_message(
                chat_id,
                part,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if last else None,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                reply_to_message_id=reply_to if index == 0 else None,
            )
    if reply.venue:
        venue = reply.venue
        await context.bot.send_venue(
            chat_id, venue.latitude, venue.longitude, venue.title, venue.address or venue.title
        )
    if reply.document:
        document = reply.document
        await context.bot.send_document(
            chat_id,
            InputFile(document.content, filename=document.filename),
        )


# -- handlers ----------------------------------------------------------------------------------------


async def on_start(update: Update, context: Context) -> None:
    payload = context.args[0] if context.args else None
    await _answer(update, context, assistant_of(context).start(user_of(update), payload))


def _command(reply_for: Callable[[Assistant, User], Reply]) -> CommandCallback:
    """A command whose answer depends only on who asks."""

    async def handle(update: Update, context: Context) -> None:
        await _answer(update, context, reply_for(assistant_of(context), user_of(update)))

    return handle


async def on_reload(update: Update, context: Context) -> None:
    if not _is_admin(update, context):
        return
    await _answer(update, context, await _reload_reply(context.application, user_of(update)))


async def on_report(update: Update, context: Context) -> None:
    if not _is_admin(update, context):
        return
    assistant = assistant_of(context)
    await _answer(update, context, assistant.report(user_of(update)))


async def on_text(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or message.text is None:
        return
    text = message.text
    if not _private(update):
        text_for_bot = _addressed_text(message, context)
        if text_for_bot is None:
            return  # group chatter not meant for us
        text = text_for_bot
    await _answer(update, context, assistant_of(context).ask(user_of(update), text))


async def on_other_message(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    if not _private(update) and not _replies_to_bot(message, context):
        return
    await _answer(update, context, assistant_of(context).non_text(user_of(update)))


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    assistant = assistant_of(context)
    user = user_of(update)
    data = query.data or ""
    if data.startswith("rmx:") and data[4:].isdigit():
        reply = assistant.cancel_reminder(user, int(data[4:]))
    else:
        reply = assistant.press(user, data)
    await query.answer(reply.notice)
    message = query.message
    # PTB delivers a deleted or otherwise inaccessible message as a Message dated 0: it cannot be
    # edited, so answer with a new message instead.
    if (
        reply.edit
        and reply.text
        and message is not None
        and message.is_accessible
        and len(reply.text) <= MESSAGE_LIMIT
    ):
        try:
            await query.edit_message_text(
                reply.text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(reply),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
            return
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return
            log.info("could not edit message, sending a new one: %s", error)
    chat_id = message.chat.id if message else user.chat_id or user.id
    if reply.text or reply.venue or reply.document:
        await send(context, chat_id, reply)


async def on_inline(update: Update, context: Context) -> None:
    query = update.inline_query
    if query is None:
        return
    items = assistant_of(context).inline(user_of(update), query.query)
    results = [
        InlineQueryResultArticle(
            id=item.id[:64],
            title=item.title,
            description=item.description,
            input_message_content=InputTextMessageContent(
                split_message(item.text)[0],
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            ),
        )
        for item in items
    ]
    # Results depend on the user's saved language: Telegram must not show them to other users.
    await query.answer(results, cache_time=60, is_personal=True)


async def on_error(update: object, context: Context) -> None:
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        # Stop the spinner on the tapped button; fails harmlessly if it was already answered.
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    if update.effective_chat is None:
        return
    assistant = context.bot_data.get(ASSISTANT)
    if assistant is None:
        return
    with contextlib.suppress(TelegramError):
        await send(context, update.effective_chat.id, assistant.apology(user_of(update)))


async def _answer(update: Update, context: Context, reply: Reply) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    message = update.effective_message
    reply_to = message.message_id if message and not _private(update) else None
    await send(context, chat.id, reply, reply_to=reply_to)


def _private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is None or chat.type == ChatType.PRIVATE


def _replies_to_bot(message: Message, context: Context) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == context.bot.id)


def _addressed_text(message: Message, context: Context) -> str | None:
    """In a group: the text meant for the bot (mention removed), or None if not addressed to it."""
    text = message.text or ""
    mention = f"@{context.bot.username}".lower() if context.bot.username else None
    # Telegram marks mentions as entities: "@HelloShenyangBotX" is not a mention of us.
    for value in message.parse_entities([MessageEntity.MENTION]).values():
        if value.lower() == mention:
            return text.replace(value, "", 1).strip()
    if _replies_to_bot(message, context):
        return text
    return None


def _is_admin(update: Update, context: Context) -> bool:
    settings: Settings = context.bot_data[SETTINGS]
    person = update.effective_user
    return person is not None and person.id in settings.admin_ids


async def _reload_reply(
    application: Application[Any, Any, Any, Any, Any, Any], user: User
) -> Reply:
    assistant: Assistant = application.bot_data[ASSISTANT]
    settings: Settings = application.bot_data[SETTINGS]
    # Reading and indexing a large knowledge base takes seconds: a worker thread does it, and
    # the bot goes on answering from the old one until the new one is swapped in.
    result, brain = await asyncio.to_thread(_load_and_index, settings.knowledge_dir)
    return assistant.reload(result, user, brain)


def _load_and_index(directory: Path) -> tuple[LoadResult, Brain | None]:
    result = load_knowledge(directory)
    return result, Brain.of(result.knowledge) if result.knowledge is not None else None


async def deliver_reminders(context: Context) -> None:
    assistant = assistant_of(context)
    for chat_id, reply in assistant.due_reminders():
        try:
            await send(context, chat_id, reply)
        except TelegramError as error:
            log.warning("could not deliver a reminder: %s", error)


async def expire_old_questions(context: Context) -> None:
    settings: Settings = context.bot_data[SETTINGS]
    assistant_of(context).store.expire_questions(timedelta(days=settings.retention_days))


async def register_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Commands and descriptions per language, so Telegram's menu speaks the user's language."""
    assistant: Assistant = application.bot_data[ASSISTANT]
    bot = application.bot
    for lang in (None, *SUPPORTED):
        _ = assistant.catalogs.for_language(lang or "en")
        commands = [BotCommand(name, _(description)) for name, description in COMMANDS]
        try:
            await bot.set_my_commands(commands, language_code=lang)
            await bot.set_my_description(_(DESCRIPTION), language_code=lang)
            await bot.set_my_short_description(_(DESCRIPTION)[:120], language_code=lang)
        except TelegramError as error:
            log.warning("could not register commands for %s: %s", lang or "default", error)


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await register_commands(application)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            deliver_reminders, REMINDER_CHECK_SECONDS, first=1, name="reminders"
        )
        # A bot that runs for months must still forget old questions on time.
        application.job_queue.run_repeating(expire_old_questions, 86_400, name="retention")
    with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, _reload_on_signal, application)


def _reload_on_signal(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.create_task(_log_reload(application), name="reload")


async def _log_reload(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    reply = await _reload_reply(application, User(0))
    log.info("SIGHUP: %s", html_to_plain(reply.text))


def add_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    for name, callback in (
        ("start", on_start),
        ("help", _command(Assistant.help)),
        ("topics", _command(Assistant.topics)),
        ("events", _command(Assistant.events)),
        ("lang", _command(Assistant.language_menu)),
        ("reminders", _command(Assistant.reminders)),
        ("forget", _command(Assistant.forget)),
        ("report", on_report),
    ):
        application.add_handler(CommandHandler(name, callback))
    # Updates are handled one after another: a reload, seconds long on a large knowledge base,
    # runs beside them (block=False) rather than holding everyone's questions back.
    application.add_handler(CommandHandler("reload", on_reload, block=False))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    # A mistyped command in a private chat gets the help text, not silence.
    application.add_handler(
        MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, _command(Assistant.help))
    )
    application.add_handler(
        MessageHandler(
            ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_other_message
        )
    )
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(InlineQueryHandler(on_inline))
    application.add_error_handler(on_error)


def build_application(
    settings: Settings,
    assistant: Assistant,
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    builder = builder or ApplicationBuilder()
    if settings.token:
        builder = builder.token(settings.token)
    if settings.api_base_url:
        base = settings.api_base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    application = builder.rate_limiter(AIORateLimiter(max_retries=3)).post_init(_post_init).build()
    application.bot_data[ASSISTANT] = assistant
    application.bot_data[SETTINGS] = settings
    add_handlers(application)
    return application


class RedactingFormatter(logging.Formatter):
    """Log lines and tracebacks with the bot token blanked out (library errors quote it)."""

    def __init__(self, secret: str, fmt: str) -> None:
        super().__init__(fmt)
        self.secret = secret

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace(self.secret, "<TELEGRAM_BOT_TOKEN>")


def run_telegram(
    settings: Settings, webhook_url: str | None = None, port: int = 8443, listen: str = "0.0.0.0"
) -> int:
    logging.basicConfig(format=LOG_FORMAT, level=logging.INFO)
    if settings.token:
        for handler in logging.getLogger().handlers:
            handler.setFormatter(RedactingFormatter(settings.token, LOG_FORMAT))
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    assistant, problems = open_assistant(settings)
    for problem in problems:
        log.warning("%s", problem)
    if assistant is None:
        return 1
    application = build_application(settings, assistant)
    try:
        if webhook_url:
            # Telegram echoes the secret in a header on every call, so forged posts are refused.
            application.run_webhook(
                listen=listen,
                port=port,
                url_path=urlsplit(webhook_url).path.lstrip("/"),
                webhook_url=webhook_url,
                secret_token=secrets.token_urlsafe(32),
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        log.error("Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather.")
        return 2
    return 0
