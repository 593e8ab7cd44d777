{%- set r = cookiecutter | resource -%}
"""FastAPI wiring for {{ r.plural }}: the service, on the session the route asks for by name."""

from typing import Annotated

from fastapi import Depends
{% for line in ["from app." ~ r.plural ~ ".service import " ~ r.model ~ "Service", "from app.core.dependencies import on_read_session, on_write_session"] | sort %}
{{ line }}
{%- endfor %}

{{ r.model }}Reader = Annotated[{{ r.model }}Service, Depends(on_read_session({{ r.model }}Service))]
{{ r.model }}Writer = Annotated[{{ r.model }}Service, Depends(on_write_session({{ r.model }}Service))]
