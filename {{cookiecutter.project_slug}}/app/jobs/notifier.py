"""Where notifications go: a `Notifier` sends them; the default one writes them to the log."""

import logging
from dataclasses import dataclass
from typing import Protocol

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notification:
    recipient: str  # an e-mail address, or the name of a channel
    subject: str
    body: str


class Notifier(Protocol):
    async def send(self, notification: Notification) -> None: ...


class LoggingNotifier:
    """Logs each notification (its recipient and subject). Replace it with a sender of your
    own (SMTP, a mail API, a chat webhook) that implements `Notifier`."""

    async def send(self, notification: Notification) -> None:
        logger.info("Notification to %s: %s", notification.recipient, notification.subject)
