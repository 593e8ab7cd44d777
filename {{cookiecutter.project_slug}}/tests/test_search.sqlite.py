"""What app/items/search.py does on SQLite: tags in a JSON array, substring search."""

from httpx import AsyncClient

from tests.test_items import ITEMS, create_item


async def test_search_is_a_case_insensitive_substring(client: AsyncClient) -> None:
    await create_item(client, title="Running shoes", description="")
    await create_item(client, title="Red car", description="")
    response = await client.get(ITEMS, params={"q": "UNNING"})
    assert [item["title"] for item in response.json()["items"]] == ["Running shoes"]


async def test_wildcards_in_the_search_are_plain_characters(client: AsyncClient) -> None:
    await create_item(client, title="100% juice", description="")
    await create_item(client, title="1000 juices", description="")
    response = await client.get(ITEMS, params={"q": "0%"})
    assert [item["title"] for item in response.json()["items"]] == ["100% juice"]


async def test_tag_matches_whole_elements_only(client: AsyncClient) -> None:
    await create_item(client, title="Milk", tags=["dairy"])
    await create_item(client, title="Cheese", tags=["dairy-free"])
    response = await client.get(ITEMS, params={"tag": "dairy"})
    assert [item["title"] for item in response.json()["items"]] == ["Milk"]
