"""Login throttling: failed logins counted per account and per client address.

A check comes before any password work, so a throttled guess costs the service nothing and
says nothing about the account. A success clears the account's count (not the address's).

When the counts cannot be read or written (their storage, Redis say, is down), logins fail
closed: a 503, never a guess that nobody counts. Signed-in clients keep their tokens and
refresh them as usual; only new logins wait for the storage to come back.
"""

import logging

from limits.aio.storage import Storage
from limits.errors import StorageError

from app.auth.errors import LoginUnavailable, TooManyLoginAttempts
from app.core.config import Settings
from app.core.throttling import KeyedLimit

logger = logging.getLogger(__name__)


class FailureLimit(KeyedLimit):
    """Failures are counted when they happen; a key over its limit may not try again."""

    async def retry_after(self, key: str) -> int | None:
        """Seconds until the key may try again, or None when it is under its limit."""
        if await self.limiter.test(self.item, self.namespace, key):
            return None
        return await self.wait(key)

    async def failed(self, key: str) -> None:
        await self.limiter.hit(self.item, self.namespace, key)

    async def forget(self, key: str) -> None:
        await self.limiter.clear(self.item, self.namespace, key)


class LoginThrottle:
    def __init__(self, storage: Storage, *, per_account: str, per_address: str) -> None:
        self.storage = storage
        self.accounts = FailureLimit(storage, per_account, "login-account")
        self.addresses = FailureLimit(storage, per_address, "login-address")

    @classmethod
    def from_settings(cls, settings: Settings, storage: Storage) -> "LoginThrottle":
        return cls(
            storage,
            per_account=settings.login_failures_per_account,
            per_address=settings.login_failures_per_address,
        )

    async def check(self, email: str, address: str) -> None:
        """Refuse with a 429 (and Retry-After) while the account or the address is over."""
        try:
            waits = [
                wait
                for wait in (
                    await self.accounts.retry_after(email),
                    await self.addresses.retry_after(address),
                )
                if wait is not None
            ]
        except StorageError as exc:
            raise self.unavailable(exc) from exc
        if waits:
            raise TooManyLoginAttempts(retry_after=max(waits))

    async def failed(self, email: str, address: str) -> None:
        try:
            await self.accounts.failed(email)
            await self.addresses.failed(address)
        except StorageError as exc:
            raise self.unavailable(exc) from exc

    async def succeeded(self, email: str) -> None:
        try:
            await self.accounts.forget(email)
        except StorageError as exc:
            # The password was right: the login goes ahead. Left uncleared, the count only
            # makes the throttle stricter until its window passes.
            logger.warning("Login failures not cleared: %s", type(exc.storage_error).__name__)

    @staticmethod
    def unavailable(exc: StorageError) -> LoginUnavailable:
        logger.error(
            "Logins refused: the failure counts are unavailable (%s)",
            type(exc.storage_error).__name__,
        )
        return LoginUnavailable()
