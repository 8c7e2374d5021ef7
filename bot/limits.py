"""Telegram Bot API limits (https://core.telegram.org/bots/api), in one place: the code keeps
within them and the test fakes refuse what goes beyond them, as Telegram does."""

from __future__ import annotations

MESSAGE_CHARS = 4096  # text of one message, after entity parsing
CAPTION_CHARS = 1024
CALLBACK_DATA_BYTES = 64  # callback_data of an inline button, 1-64 bytes
CALLBACK_ANSWER_CHARS = 200  # text of answerCallbackQuery
INLINE_RESULT_ID_BYTES = 64
INLINE_RESULTS = 50  # results per answerInlineQuery
DESCRIPTION_CHARS = 512  # setMyDescription
SHORT_DESCRIPTION_CHARS = 120  # setMyShortDescription
COMMAND_DESCRIPTION_CHARS = 256  # BotCommand.description
# Not a Bot API limit but a phone's: longer button labels are cut off on screen anyway.
BUTTON_LABEL_CHARS = 48
