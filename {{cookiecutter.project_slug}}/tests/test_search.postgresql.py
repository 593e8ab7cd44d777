"""What app/items/search.py adds on PostgreSQL: full-text search and GIN-indexed tag arrays."""

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.test_items import ITEMS, create_item


async def test_search_matches_word_forms(client: AsyncClient) -> None:
    await create_item(client, title="Running shoes", description="")
    await create_item(client, title="Runner bean", description="")
    response = await client.get(ITEMS, params={"q": "run"})
    assert [item["title"] for item in response.json()["items"]] == ["Running shoes"]


async def test_search_understands_web_syntax(client: AsyncClient) -> None:
    await create_item(client, title="Red apple", description="")
    await create_item(client, title="Red car", description="")
    response = await client.get(ITEMS, params={"q": "red -car"})
    assert [item["title"] for item in response.json()["items"]] == ["Red apple"]


async def test_filters_are_served_by_indexes(session: AsyncSession) -> None:
    indexes = set(
        await session.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'item'"))
    )
    assert {"ix_item_tags", "ix_item_search_vector", "ix_item_created_at"} <= indexes
