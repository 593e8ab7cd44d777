"""`python -m app.cli create-admin`."""

import asyncio
import io
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import cli
from app.auth.models import RefreshToken
from app.core.config import Settings
from app.core.database import Database
from app.db.base import utcnow
from app.users.models import Role, User

EMAIL = "cli-admin@example.com"


@pytest.fixture
async def committed_session(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session outside the test transaction: the command commits for real, so clean up."""
    database = Database.from_settings(settings)
    async with database.write_sessions() as session:
        yield session
        await session.execute(delete(User).where(User.email == EMAIL))
        await session.commit()
    await database.dispose()


async def run_cli(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return await asyncio.to_thread(cli.main, list(args))


async def test_create_admin_then_again(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    committed_session: AsyncSession,
) -> None:
    args = ("create-admin", "--email", EMAIL, "--password-stdin")
    assert await run_cli(monkeypatch, *args, stdin="a long admin password\n") == 0
    assert await run_cli(monkeypatch, *args, stdin="a long admin password\n") == 0
    output = capsys.readouterr().out
    assert f"Created admin {EMAIL}." in output
    assert f"{EMAIL} is already an active admin." in output
    user = await committed_session.scalar(select(User).where(User.email == EMAIL))
    assert user is not None
    assert user.role is Role.ADMIN
    assert "a long admin password" not in output


async def test_create_admin_promotes_an_existing_user(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    committed_session: AsyncSession,
) -> None:
    committed_session.add(User(email=EMAIL, hashed_password="x", role=Role.USER))
    await committed_session.commit()
    assert await run_cli(monkeypatch, "create-admin", "--email", EMAIL, "--password-stdin") == 0
    assert f"{EMAIL} is now an active admin." in capsys.readouterr().out


async def test_create_admin_restores_a_deactivated_admin(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    committed_session: AsyncSession,
) -> None:
    committed_session.add(User(email=EMAIL, hashed_password="x", role=Role.ADMIN, is_active=False))
    await committed_session.commit()
    assert await run_cli(monkeypatch, "create-admin", "--email", EMAIL, "--password-stdin") == 0
    assert f"{EMAIL} is now an active admin." in capsys.readouterr().out
    restored = await committed_session.scalar(select(User).where(User.email == EMAIL))
    assert restored is not None
    await committed_session.refresh(restored)
    assert restored.is_active


async def test_create_admin_from_settings(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    settings: Settings,
    committed_session: AsyncSession,
) -> None:
    configured = settings.model_copy(
        update={"first_admin_email": EMAIL, "first_admin_password": SecretStr("from the env")}
    )
    monkeypatch.setattr(cli, "get_settings", lambda: configured)
    assert await run_cli(monkeypatch, "create-admin") == 0
    assert f"Created admin {EMAIL}." in capsys.readouterr().out


async def test_create_admin_rejects_a_weak_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("create-admin", "--email", EMAIL, "--password-stdin")
    assert await run_cli(monkeypatch, *args, stdin="short\n") == 2
    assert "password" in capsys.readouterr().err


async def test_create_admin_needs_an_email(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    unconfigured = settings.model_copy(update={"first_admin_email": None})
    monkeypatch.setattr(cli, "get_settings", lambda: unconfigured)
    with pytest.raises(SystemExit) as exit_info:
        await run_cli(monkeypatch, "create-admin")
    assert exit_info.value.code == 2


async def test_purge_tokens_removes_expired_and_revoked_ones(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    committed_session: AsyncSession,
) -> None:
    owner = User(email=EMAIL, hashed_password="x", role=Role.USER)
    committed_session.add(owner)
    await committed_session.flush()
    now = utcnow()
    for expires_at, revoked_at in (
        (now - timedelta(days=1), None),  # expired
        (now + timedelta(days=1), now),  # revoked
        (now + timedelta(days=1), None),  # live
    ):
        committed_session.add(
            RefreshToken(
                user_id=owner.id,
                family_id=uuid.uuid4(),
                expires_at=expires_at,
                revoked_at=revoked_at,
            )
        )
    await committed_session.commit()
    assert await run_cli(monkeypatch, "purge-tokens") == 0
    assert "Removed 2 expired or revoked refresh tokens." in capsys.readouterr().out
    left = await committed_session.scalar(
        select(func.count()).where(RefreshToken.user_id == owner.id)
    )
    assert left == 1
