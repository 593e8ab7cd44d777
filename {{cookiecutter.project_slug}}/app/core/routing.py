"""Where the API lives, and the operation ids a client generated from its schema reads."""

from fastapi.routing import APIRoute

API_PREFIX = "/api/v1"


def operation_id(route: APIRoute) -> str:
    """`items-list` for `list_items` under the `items` tag, `auth-login` for `login`.

    The words of the function's name that repeat the tag (singular or plural) are dropped, so
    generated clients read `client.items.list()`, not `list_items_api_v1_items_get`.
    """
    tag = str(route.tags[0]) if route.tags else "api"
    repeated = {tag, tag.removesuffix("s")}
    words = [word for word in route.name.split("_") if word not in repeated]
    return "-".join([tag, *(words or [route.name])])
