{%- set r = cookiecutter | resource -%}
"""{{ r.plural | capitalize }}{% if r.owned %}, owned by users{% endif %}: added with the resource template."""
