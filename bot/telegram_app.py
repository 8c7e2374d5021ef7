"""python-telegram-bot wiring: turn updates into calls on the conversation core and render its
:class:`Reply` objects as Telegram messages. Nothing is decided here: commands, button data and
text all go to the core as they came."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import secrets
import signal
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
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
    Application,
    ApplicationBuilder,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.app import open_assistant
from bot.assistant import APOLOGY, COMMANDS, Assistant, User
from bot.config import Settings
from bot.journal import UpdateJournal
from bot.languages import N_, SUPPORTED
from bot.limits import MESSAGE_CHARS, SHORT_DESCRIPTION_CHARS
from bot.replies import Reply, html_to_plain
from bot.telegram_format import keyboard, split_message
from bot.telegram_updates import (
    ChatProcessor,
    DurableApplication,
    DurableQueue,
    RetryingRateLimiter,
    send_once,
)

log = logging.getLogger(__name__)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

REMINDER_CHECK_SECONDS = 60
RETENTION_CHECK_SECONDS = 86_400  # a bot that runs for months must still forget on time
DESCRIPTION = N_(
    "Ask me about Shenyang — investment, tourism, events, culture — in Chinese, "
    "Japanese or English."
)


class BotData:
    """What every handler shares, set once when the application is built."""

    def __init__(self) -> None:
        self.assistant: Assistant | None = None
        self.settings: Settings | None = None
        self.journal: UpdateJournal | None = None


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The handlers' context, with typed access to the assistant and the settings."""

    @property
    def assistant(self) -> Assistant:
        """The conversation core."""
        assistant = self.bot_data.assistant
        if assistant is None:
            raise RuntimeError("the application was built without an assistant")
        return assistant

    @property
    def settings(self) -> Settings:
        """The settings the bot was started with."""
        settings = self.bot_data.settings
        if settings is None:
            raise RuntimeError("the application was built without settings")
        return settings


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
App = Application[Any, BotContext, Any, Any, BotData, Any]


def user_of(update: Update) -> User:
    """Who sent the update, in the core's terms."""
    person = update.effective_user
    chat = update.effective_chat
    return User(
        id=person.id if person else (chat.id if chat else 0),
        language_code=person.language_code if person else None,
        chat_id=chat.id if chat else None,
        private=chat is None or chat.type == ChatType.PRIVATE,
    )


async def send(
    context: BotContext, chat_id: int, reply: Reply, reply_to: int | None = None
) -> None:
    """Send a reply as new messages (text split to Telegram's limit, buttons on the last part)."""
    await send_with(context.bot, chat_id, reply, reply_to)


async def send_with(
    bot: ExtBot[None], chat_id: int, reply: Reply, reply_to: int | None = None
) -> None:
    """:func:`send` with a bot rather than a handler's context. A message already sent for
    this update before a crash is not sent again (bot/telegram_updates.py)."""
    markup = keyboard(reply)
    if reply.text:
        parts = split_message(reply.text)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await send_once(
                functools.partial(
                    bot.send_message,
                    chat_id,
                    part,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if last else None,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                    reply_to_message_id=reply_to if index == 0 else None,
                )
            )
    if reply.venue:
        venue = reply.venue
        title, address = venue.title, venue.address or venue.title
        await send_once(
            functools.partial(
                bot.send_venue, chat_id, venue.latitude, venue.longitude, title, address
            )
        )
    if reply.document:
        upload = InputFile(reply.document.content, filename=reply.document.filename)
        await send_once(functools.partial(bot.send_document, chat_id, upload))


# -- handlers ----------------------------------------------------------------------------------------


async def on_command(update: Update, context: BotContext) -> None:
    """Every slash command: the core decides what it means (and who may use it)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    name = message.text.split()[0][1:].partition("@")[0]
    argument = " ".join(context.args or [])
    reply = context.assistant.command(user_of(update), name, argument)
    if reply is not None:
        await _answer(update, context, reply)


async def on_reload(update: Update, context: BotContext) -> None:
    """/reload reads and indexes in a worker thread; the bot keeps answering meanwhile."""
    assistant = context.assistant
    user = user_of(update)
    if not assistant.is_admin(user):
        return
    loaded = await asyncio.to_thread(assistant.load)
    await _answer(update, context, assistant.reload(loaded, user))
    await deliver_edition_notices(context)


async def on_text(update: Update, context: BotContext) -> None:
    """A typed message: in groups only what is addressed to the bot."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    text = message.text
    if not _private(update):
        text_for_bot = _addressed_text(message, context)
        if text_for_bot is None:
            return  # group chatter not meant for us
        text = text_for_bot
    await _answer(update, context, context.assistant.ask(user_of(update), text))


async def on_other_message(update: Update, context: BotContext) -> None:
    """Photos, stickers, voice…: a polite note in private chats and replies to the bot."""
    message = update.effective_message
    if message is None:
        return
    if not _private(update) and not _replies_to_bot(message, context):
        return
    await _answer(update, context, context.assistant.non_text(user_of(update)))


async def on_button(update: Update, context: BotContext) -> None:
    """A tapped button: its raw data goes to the core; the answer edits or follows the message."""
    query = update.callback_query
    if query is None:
        return
    user = user_of(update)
    reply = context.assistant.press(user, query.data)
    try:
        await query.answer(reply.notice)
    except BadRequest as error:  # too old (handled after a restart): the reply still matters
        log.info("could not answer the button: %s", error)
    message = query.message
    # PTB delivers a deleted or otherwise inaccessible message as a Message dated 0: it cannot be
    # edited, so answer with a new message instead.
    editable = message is not None and message.is_accessible
    if reply.edit and reply.text and editable and len(reply.text) <= MESSAGE_CHARS:
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


async def on_inline(update: Update, context: BotContext) -> None:
    """Inline mode: matching entries as articles."""
    query = update.inline_query
    if query is None:
        return
    items = context.assistant.inline(user_of(update), query.query)
    results = [
        InlineQueryResultArticle(
            id=item.id,
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


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure and apologise to the user instead of staying silent."""
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        # Stop the spinner on the tapped button; fails harmlessly if it was already answered.
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    if update.effective_chat is None or context.bot_data.assistant is None:
        return
    with contextlib.suppress(TelegramError):
        apology = context.assistant.note(user_of(update), APOLOGY)
        await send(context, update.effective_chat.id, apology)


async def _answer(update: Update, context: BotContext, reply: Reply) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    message = update.effective_message
    reply_to = message.message_id if message and not _private(update) else None
    await send(context, chat.id, reply, reply_to=reply_to)


def _private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is None or chat.type == ChatType.PRIVATE


def _replies_to_bot(message: Message, context: BotContext) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == context.bot.id)


def _addressed_text(message: Message, context: BotContext) -> str | None:
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


# -- jobs and start-up -------------------------------------------------------------------------------


async def deliver_reminders(context: BotContext) -> None:
    """Send the reminders whose time has come; one is removed only once Telegram accepted it."""
    assistant = context.assistant
    for due in assistant.due_reminders():
        try:
            await send(context, due.chat_id, due.reply)
        except TelegramError as error:
            if assistant.reminder_sent(due.id, accepted=False):
                log.warning("could not deliver reminder %d, will retry: %s", due.id, error)
            else:
                log.error("gave up on reminder %d after 12 hours of failures: %s", due.id, error)
        else:
            assistant.reminder_sent(due.id, accepted=True)


# -- following events: the core queues a notice per follower and new edition at a reload; they
# are sent here, through the application's rate limiter, right after the reload and by a job
# (so a notice queued just before a restart still goes out).


async def deliver_edition_notices(context: BotContext) -> None:
    """Send followers the notices of newly announced editions."""
    for chat_id, reply in context.assistant.due_notices():
        try:
            await send(context, chat_id, reply)
        except TelegramError as error:
            log.warning("could not deliver an edition notice: %s", error)


async def expire_old_questions(context: BotContext) -> None:
    """Delete question logs past the retention period, and old rows of the update journal."""
    context.assistant.expire_questions(timedelta(days=context.settings.retention_days))
    if context.bot_data.journal is not None:
        context.bot_data.journal.prune()


async def register_commands(application: App) -> None:
    """Commands and descriptions per language, so Telegram's menu speaks the user's language."""
    assistant = _assistant_of(application)
    bot = application.bot
    for lang in (None, *SUPPORTED):
        _ = assistant.catalogs.for_language(lang or "en")
        commands = [BotCommand(c.name, _(c.description)) for c in COMMANDS if not c.admin]
        try:
            await bot.set_my_commands(commands, language_code=lang)
            await bot.set_my_description(_(DESCRIPTION), language_code=lang)
            short = _(DESCRIPTION)[:SHORT_DESCRIPTION_CHARS]
            await bot.set_my_short_description(short, language_code=lang)
        except TelegramError as error:
            log.warning("could not register commands for %s: %s", lang or "default", error)


def _assistant_of(application: App) -> Assistant:
    assistant = application.bot_data.assistant
    if assistant is None:
        raise RuntimeError("the application was built without an assistant")
    return assistant


async def _post_init(application: App) -> None:
    if isinstance(application.update_queue, DurableQueue):  # unfinished updates first
        application.update_queue.replay(application.bot)
    await register_commands(application)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            deliver_reminders, REMINDER_CHECK_SECONDS, first=1, name="reminders"
        )
        application.job_queue.run_repeating(
            expire_old_questions, RETENTION_CHECK_SECONDS, name="retention"
        )
        application.job_queue.run_repeating(
            deliver_edition_notices, REMINDER_CHECK_SECONDS, first=1, name="edition-notices"
        )
    with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, _reload_on_signal, application)


def _reload_on_signal(application: App) -> None:
    application.create_task(_log_reload(application), name="reload")


async def _log_reload(application: App) -> None:
    assistant = _assistant_of(application)
    loaded = await asyncio.to_thread(assistant.load)
    reply = assistant.reload(loaded, User(0))
    log.info("SIGHUP: %s", html_to_plain(reply.text))
    if application.job_queue is not None:
        application.job_queue.run_once(deliver_edition_notices, 0, name="edition-notices-now")


def add_handlers(application: App) -> None:
    """Every handler hands its update to the core as it came."""
    names = [c.name for c in COMMANDS if c.name != "reload"]
    application.add_handler(CommandHandler(names, on_command))
    # Updates are handled one after another: a reload, seconds long on a large knowledge base,
    # runs beside them (block=False) rather than holding everyone's questions back.
    application.add_handler(CommandHandler("reload", on_reload, block=False))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    # A mistyped command in a private chat gets the help text, not silence.
    application.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, on_command))
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
    rate_limit: bool = True,
) -> App:
    """A python-telegram-bot Application around the assistant. ``rate_limit=False`` only for
    feeding the handlers thousands of updates (benchmarks/fuzz_updates.py): Telegram's limit of
    30 messages a second would make that take minutes."""
    builder = (builder or ApplicationBuilder()).context_types(CONTEXT_TYPES)
    if settings.token:
        builder = builder.token(settings.token)
    if settings.api_base_url:
        base = settings.api_base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    journal = UpdateJournal(assistant.store.path)
    queue = DurableQueue(journal)
    processor = ChatProcessor(queue)
    if rate_limit:
        builder = builder.rate_limiter(RetryingRateLimiter(max_retries=3))
    application: App = (
        builder.application_class(DurableApplication)
        .update_queue(queue)
        .concurrent_updates(processor)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data.assistant = assistant
    application.bot_data.settings = settings
    application.bot_data.journal = journal
    processor.notify = functools.partial(_notify, application)
    add_handlers(application)
    return application


async def _notify(application: App, update: Update, msgid: str) -> None:
    """Say one of the core's notes (sorry for the delay, slow down) in the update's chat."""
    chat = update.effective_chat
    if chat is None:
        return
    with contextlib.suppress(TelegramError):
        await send_with(
            application.bot, chat.id, _assistant_of(application).note(user_of(update), msgid)
        )


async def _post_shutdown(application: App) -> None:
    if application.bot_data.journal is not None:
        application.bot_data.journal.close()


class RedactingFormatter(logging.Formatter):
    """Log lines and tracebacks with the bot token blanked out (library errors quote it)."""

    def __init__(self, secret: str, fmt: str) -> None:
        super().__init__(fmt)
        self.secret = secret

    def format(self, record: logging.LogRecord) -> str:
        """The log line with the token blanked out."""
        return super().format(record).replace(self.secret, "<TELEGRAM_BOT_TOKEN>")


def run_telegram(
    settings: Settings, webhook_url: str | None = None, port: int = 8443, listen: str = "127.0.0.1"
) -> int:
    """Run the Telegram bot (long polling, or a webhook); returns the exit code."""
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
                bootstrap_retries=-1,  # Telegram unreachable at start: wait, do not exit
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    except InvalidToken:
        log.error("Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather.")
        return 2
    return 0
