"""The route template a request matched (`/api/v1/items/{item_id}`), never its raw path: one
label value per route, however many URLs the clients send."""

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.types import Scope

# Every request that matched no route (a 404, a redirect to add a slash) shares this value.
UNMATCHED = "unmatched"


class RouteTemplates:
    """Maps the route the router put in the scope to its full template, prefixes included.

    The router records the route object as its module defined it (`/items/{item_id}`); the
    prefixes it was included under (`/api/v1`) are known to the app only, so the full
    templates are read from the app once, and again only if a route was added since.
    """

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.templates: dict[int, str] = {}

    def of(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is None:
            return UNMATCHED
        template = self.templates.get(id(route))
        if template is None:
            self.templates = {
                id(context.original_route): context.path_format or UNMATCHED
                for context in iter_route_contexts(self.app.routes)
            }
            # A route the app does not list (none should be) is remembered as it stands.
            template = self.templates.setdefault(
                id(route), getattr(route, "path_format", None) or UNMATCHED
            )
        return template
