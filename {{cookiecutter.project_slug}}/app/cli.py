"""Administrative commands: `python -m app.cli create-admin`, `python -m app.cli purge-tokens`."""

import argparse
import asyncio
import getpass
import sys
from collections.abc import Sequence

from pydantic import SecretStr, TypeAdapter, ValidationError

from app.auth.service import purge_spent_tokens
from app.core.config import Settings, get_settings
from app.core.database import Database
from app.users.models import Role
from app.users.repository import UserRepository
from app.users.schemas import Email, UserCreate
from app.users.service import UserService


async def create_admin(settings: Settings, email: str, password: str) -> str:
    """Create the admin, or promote an existing user; returns what was done."""
    address = TypeAdapter(Email).validate_python(email)  # as registration stores it
    database = Database.from_settings(settings)
    try:
        async with database.transaction() as session:
            users = UserRepository(session)
            existing = await users.get_by_email(address)
            if existing is not None:
                if existing.is_admin and existing.is_active:
                    return f"{existing.email} is already an active admin."
                # Also the way back in for a deactivated admin (the last one, say).
                await users.update(existing, {"role": Role.ADMIN, "is_active": True})
                return f"{existing.email} is now an active admin."
            data = UserCreate(email=address, password=SecretStr(password))
            user = await UserService(session).register(data, role=Role.ADMIN)
            return f"Created admin {user.email}."
    finally:
        await database.dispose()


async def purge_tokens(settings: Settings) -> str:
    """Delete expired and revoked refresh tokens (run it daily, from cron or a scheduler)."""
    database = Database.from_settings(settings)
    try:
        removed = await purge_spent_tokens(database)
    finally:
        await database.dispose()
    return f"Removed {removed} expired or revoked refresh tokens."


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser(
        "create-admin",
        help="create the first admin (defaults: FIRST_ADMIN_EMAIL and FIRST_ADMIN_PASSWORD)",
    )
    admin.add_argument("--email", help="the admin's e-mail address")
    admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    commands.add_parser("purge-tokens", help="delete expired and revoked refresh tokens")
    args = parser.parse_args(argv)

    settings = get_settings()
    if args.command == "purge-tokens":
        print(asyncio.run(purge_tokens(settings)))
        return 0
    email = args.email or settings.first_admin_email
    if not email:
        parser.error("give --email or set FIRST_ADMIN_EMAIL")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif settings.first_admin_password is not None and not args.email:
        password = settings.first_admin_password.get_secret_value()
    else:
        password = getpass.getpass(f"Password for {email}: ")
    try:
        print(asyncio.run(create_admin(settings, email, password)))
    except ValidationError as exc:
        print(f"error: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
