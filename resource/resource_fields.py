"""The one reader of the resource template's answers: the field mini-syntax, the baked project's
own answers (its `.cruft.json`) and the resource a reference names.

Cookiecutter imports this module from the resource template's directory (`_extensions` in its
cookiecutter.json) and the templates read `cookiecutter | resource`, a `Resource` with every
name and field they write. The pre-gen hook loads the same module from the same place and calls
`describe()`, so an answer it refuses is refused for the reason the templates would fail on.
No third-party imports but cookiecutter's own: this runs in the user's cookiecutter environment.

The field syntax, one answer, comma-separated:

    title:str(120)!unique, notes:text?, quantity:int, price:decimal, done:bool,
    due:datetime?, kind:enum(small|large)

`name:type`, then `?` for optional (nullable; may be left out or cleared with null) and
`!unique` for a value no two rows share (per owner when the resource is owned).
"""

from __future__ import annotations

import ast
import json
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cookiecutter.exceptions import FailedHookException
from jinja2 import Environment
from jinja2.ext import Extension

IDENTIFIER_RE = re.compile(r"[a-z][a-z0-9_]*")
FIELD_RE = re.compile(
    r"(?P<name>[^:\s]+)\s*:\s*(?P<type>[a-z]+)(?:\((?P<argument>[^)]*)\))?"
    r"(?P<optional>\?)?(?P<unique>!unique)?"
)
TYPES = ("str", "text", "int", "decimal", "bool", "datetime", "enum")
SYNTAX = (
    "name:type[?][!unique], comma-separated; types: str(N) (N from 1 to 10000, default 255), "
    "text, int, decimal, bool, datetime, enum(a|b|c)"
)
STR_DEFAULT_LENGTH = 255
STR_MAX_LENGTH = 10_000
ENUM_VALUE_MAX = 20  # stored_by_value's column length
NAME_MAX = 40  # leaves room in PostgreSQL's 63-character constraint names
# Columns and attributes every resource has, or that SQLAlchemy and Pydantic reserve.
RESERVED_FIELDS = frozenset(
    {"id", "owner_id", "owner", "created_at", "updated_at", "metadata", "registry"}
)
# Package names under app/ that a resource must not take, even where the bake lacks them.
RESERVED_PACKAGES = frozenset({"core", "db", "auth", "users", "health", "tests", "migrations"})
# Names the generated code already gives its parameters and variables.
RESERVED_NAMES = frozenset(
    {
        "body",
        "cause",
        "change",
        "changed",
        "changes",
        "client",
        "columns",
        "created",
        "data",
        "empty",
        "error",
        "exc",
        "field",
        "first",
        "listed",
        "message",
        "method",
        "n",
        "other",
        "owner",
        "page",
        "params",
        "past",
        "relinked",
        "renamed",
        "response",
        "rest",
        "router",
        "self",
        "session",
        "status",
        "taken",
        "theirs",
        "unlinked",
        "updated",
        "url",
        "user",
        "value",
        "values",
    }
)


class Refused(ValueError):
    """An answer the resource template cannot generate from; the message names the field."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    length: int | None = None
    choices: tuple[str, ...] = ()
    optional: bool = False
    unique: bool = False

    @property
    def alias(self) -> str:
        """The schema's type alias for this field: `Title` for `title`."""
        return camel(self.name)

    @property
    def constrained(self) -> str | None:
        """The schema's constrained type, where the field has constraints."""
        if self.type == "str":
            return f"Annotated[StorableText, Field(min_length=1, max_length={self.length})]"
        if self.type == "text":
            return "Annotated[StorableText, Field(max_length=10_000)]"
        # The schema's types and nothing else: no true for 1, no "7", no number for a time.
        if self.type == "int":  # PostgreSQL's integer: larger values are a 422, not a 500
            # Field first: after a validator, pydantic leaves the bounds out of the schema.
            return (
                "Annotated[int, Field(ge=-2_147_483_648, le=2_147_483_647), "
                "BeforeValidator(number_only)]"
            )
        if self.type == "bool":
            return "Annotated[bool, Field(strict=True)]"
        if self.type == "datetime":  # DATETIME_SCHEMA: see the schemas module
            return (
                "Annotated[AwareDatetime, BeforeValidator(datetime_text), "
                "WithJsonSchema(DATETIME_SCHEMA)]"
            )
        if self.type == "decimal":  # DECIMAL_SCHEMA: see the schemas module
            return (
                "Annotated[Decimal, BeforeValidator(decimal_text), WithJsonSchema(DECIMAL_SCHEMA)]"
            )
        return None

    def sample(self) -> str:
        """A Python expression of a valid JSON value, different for each `n` (the tests')."""
        if self.type == "str":
            if self.length is not None and self.length < len(self.name) + 6:
                return "chr(ord('a') + n % 26)"
            return f'f"{self.name.replace("_", " ")} {{n}}"'
        return {
            "text": 'f"Some text {n}"',
            "int": "n",
            "decimal": 'f"{n}.50"',
            "bool": "n % 2 == 1",
            "datetime": 'f"2030-01-{n % 28 + 1:02d}T03:04:05Z"',
        }.get(self.type) or f"{self.choices!r}[n % {len(self.choices)}]"

    def bad_values(self) -> list[str]:
        """Python expressions of JSON values the schema refuses."""
        return {
            "str": [f'"x" * {self.length + 1 if self.length else 0}', '"a\\x00b"', "12"],
            "text": ['"a\\x00b"', '"x" * 10_001'],
            "int": ['"many"', "2**31", "1.5", "True", '"7"'],
            "decimal": ['"1.234"', '"12345678901.00"', '"NaN"', "12.5"],
            "bool": ['"maybe"', "1", '"true"'],
            "datetime": ['"2030-01-02T03:04:05"', '"soon"', "1_900_000_000"],
            "enum": ['"NOT-A-CHOICE"'],
        }[self.type]


DECIMAL_DIGITS = 12


@dataclass(frozen=True)
class Reference:
    """Another resource of the bake, as this one's foreign key needs it."""

    plural: str
    singular: str  # its table, the foreign key's and the relationship's stem
    model: str
    service: str
    summary: str
    owned: bool
    not_found: str | None = None  # its NotFoundError, where app/<plural>/errors.py has one

    @property
    def column(self) -> str:
        return f"{self.singular}_id"


@dataclass(frozen=True)
class Resource:
    singular: str
    plural: str
    owned: bool
    auth: str
    database: str
    fields: tuple[Field, ...]
    reference: Reference | None = None
    enums: tuple[Field, ...] = field(default=())
    # The project's repository reports a reference deleted by a concurrent request (newer bakes).
    missing_reference: bool = False

    @property
    def racing(self) -> bool:
        """Whether a write can find its reference deleted since the check, and say so."""
        return bool(self.reference and self.reference.not_found and self.missing_reference)

    @property
    def model(self) -> str:
        return camel(self.singular)

    @property
    def users(self) -> bool:
        return self.auth == "users"

    def enum_class(self, item: Field) -> str:
        return self.model + camel(item.name)

    def python_type(self, item: Field) -> str:
        return {
            "str": "str",
            "text": "str",
            "int": "int",
            "decimal": "Decimal",
            "bool": "bool",
            "datetime": "datetime",
        }.get(item.type) or self.enum_class(item)

    def schema_type(self, item: Field) -> str:
        if item.constrained:
            return item.alias
        return self.python_type(item)

    def mapped(self, item: Field) -> str:
        """The model's annotation and column for the field."""
        annotation = self.python_type(item) + (" | None" if item.optional else "")
        arguments = {
            "str": [f"String({item.length})"],
            "text": ["Text"],
            "decimal": [f"Numeric({DECIMAL_DIGITS}, 2)"],
            "enum": [f'stored_by_value({self.enum_class(item)}, "{self.singular}_{item.name}")'],
        }.get(item.type, [])
        if item.unique and not self.owned:
            arguments.append("unique=True")
        column = f" = mapped_column({', '.join(arguments)})" if arguments else ""
        return f"Mapped[{annotation}]{column}"

    @property
    def enum_classes(self) -> list[str]:
        return [self.enum_class(item) for item in self.enums]

    @property
    def types(self) -> set[str]:
        return {item.type for item in self.fields}

    @property
    def unique(self) -> tuple[Field, ...]:
        return tuple(item for item in self.fields if item.unique)


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def parse_fields(spec: str) -> tuple[Field, ...]:
    """The fields of a spec, in order; `Refused` names the first part it cannot read."""
    parts = [part.strip() for part in spec.split(",")]
    if not spec.strip() or not all(parts):
        raise Refused(f"fields: give at least one field, as {SYNTAX}; got {spec!r}")
    fields: list[Field] = []
    for part in parts:
        match = FIELD_RE.fullmatch(part)
        if match is None:
            raise Refused(f"fields: {part!r} is not {SYNTAX}")
        fields.append(parse_field(part, **match.groupdict()))
    names = [item.name for item in fields]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise Refused(f"fields: {', '.join(duplicates)} given more than once")
    return tuple(fields)


def parse_field(
    part: str,
    *,
    name: str,
    type: str,
    argument: str | None,
    optional: str | None,
    unique: str | None,
) -> Field:
    check_identifier("fields", name)
    if name in RESERVED_FIELDS or name.startswith("model_"):
        raise Refused(f"fields: {name!r} is a name every resource has or a library reserves")
    if type not in TYPES:
        raise Refused(f"fields: {part!r} has the unknown type {type!r}; types: {', '.join(TYPES)}")
    length = None
    choices: tuple[str, ...] = ()
    if type == "str":
        length = STR_DEFAULT_LENGTH if argument is None else int_argument(part, argument)
    elif type == "enum":
        choices = tuple(value.strip() for value in (argument or "").split("|"))
        if argument is None or len(choices) < 2 or len(set(choices)) != len(choices):
            raise Refused(f"fields: {part!r}: an enum lists two or more distinct values, a|b")
        for value in choices:
            if not IDENTIFIER_RE.fullmatch(value) or len(value) > ENUM_VALUE_MAX:
                raise Refused(
                    f"fields: {part!r}: enum value {value!r} is not a snake_case word "
                    f"of at most {ENUM_VALUE_MAX} characters"
                )
    elif argument is not None:
        raise Refused(f"fields: {part!r}: only str(N) and enum(a|b) take an argument")
    if unique and type in ("text", "bool", "enum"):
        raise Refused(f"fields: {part!r}: a {type} field cannot be unique")
    return Field(name, type, length, choices, optional=bool(optional), unique=bool(unique))


def int_argument(part: str, argument: str) -> int:
    if not argument.isdigit() or not 1 <= int(argument) <= STR_MAX_LENGTH:
        raise Refused(f"fields: {part!r}: the length of str(N) is from 1 to {STR_MAX_LENGTH}")
    return int(argument)


def check_identifier(prompt: str, name: str) -> None:
    if not IDENTIFIER_RE.fullmatch(name) or len(name) > NAME_MAX:
        raise Refused(
            f"{prompt}: {name!r} is not a snake_case identifier (lower-case letters, digits "
            f"and '_', starting with a letter, at most {NAME_MAX} characters)"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise Refused(f"{prompt}: {name!r} is a Python keyword")


def baked_answers(project: Path) -> dict[str, Any]:
    """The answers the project was baked with, from the `.cruft.json` the template wrote."""
    path = project / ".cruft.json"
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
        answers: dict[str, Any] = recorded["context"]["cookiecutter"]
        str(answers["auth"]) + str(answers["database"])  # both must be there
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise Refused(
            f"project: no readable {path} with the answers `auth` and `database` ({exc}); "
            "run this template from the root of a project baked by the main template"
        ) from exc
    return answers


def classes(path: Path) -> list[ast.ClassDef]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return []
    return [node for node in tree.body if isinstance(node, ast.ClassDef)]


def table_name(node: ast.ClassDef) -> str | None:
    """The class's `__tablename__`, if it is a model with a literal one."""
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and getattr(statement.targets[0], "id", None) == "__tablename__"
            and isinstance(statement.value, ast.Constant)
        ):
            return str(statement.value.value)
    return None


def existing_tables(project: Path) -> dict[str, str]:
    """Every `__tablename__` of the project's models, and the file that declares it."""
    tables: dict[str, str] = {}
    for path in sorted((project / "app").glob("*/models.py")):
        for node in classes(path):
            table = table_name(node)
            if table is not None:
                tables[table] = str(path.relative_to(project))
    return tables


def read_reference(project: Path, plural: str, auth: str) -> Reference:
    """What this template needs of `app/<plural>`: a model with a table, a service, a summary
    schema and, for the tests, `create_<singular>()` in tests/test_<plural>.py."""
    check_identifier("reference", plural)
    package = project / "app" / plural
    needs = (
        "a models.py with one table, a service.py with a ...Service class, a schemas.py with "
        f"a ...Summary class and tests/test_{plural}.py with create_<singular>()"
    )
    table = model = None
    owned = False
    for node in classes(package / "models.py"):
        if table_name(node) is not None:
            table, model = table_name(node), node.name
            owned = any(
                isinstance(statement, ast.AnnAssign)
                and getattr(statement.target, "id", None) == "owner_id"
                for statement in node.body
            )
    service = next(
        (c.name for c in classes(package / "service.py") if c.name.endswith("Service")), None
    )
    summary = next(
        (c.name for c in classes(package / "schemas.py") if c.name.endswith("Summary")), None
    )
    if table is None or model is None or service is None or summary is None:
        raise Refused(
            f"reference: app/{plural} is not a resource this template can link to ({needs})"
        )
    helpers = project / "tests" / f"test_{plural}.py"
    tree = ast.parse(helpers.read_text(encoding="utf-8")) if helpers.is_file() else None
    if tree is None or not any(
        isinstance(node, ast.AsyncFunctionDef) and node.name == f"create_{table}"
        for node in tree.body
    ):
        raise Refused(f"reference: {helpers} has no create_{table}() for the tests ({needs})")
    not_found = next(
        (c.name for c in classes(package / "errors.py") if c.name.endswith("NotFound")), None
    )
    return Reference(plural, table, model, service, summary, owned and auth == "users", not_found)


def describe(answers: dict[str, Any], project: Path | None = None) -> Resource:
    """The resource the answers describe, in the project at `project` (the output directory)."""
    project = Path(answers.get("_output_dir") or ".") if project is None else project
    baked = baked_answers(project)
    singular, plural = str(answers["singular"]), str(answers["plural"])
    check_identifier("singular", singular)
    check_identifier("plural", plural)
    if singular == plural:
        raise Refused(f"plural: {plural!r} is the singular too; give another word")
    for prompt, name in (("plural", plural), ("singular", singular)):
        taken = (project / "app" / name).exists() or (project / "app" / f"{name}.py").exists()
        if taken or name in RESERVED_PACKAGES:
            raise Refused(f"{prompt}: app/{name} exists or is reserved; choose another name")
        if name in RESERVED_NAMES:
            raise Refused(
                f"{prompt}: {name!r} names a variable of the generated code; choose another"
            )
    if (project / "tests" / f"test_{plural}.py").exists():
        raise Refused(f"plural: tests/test_{plural}.py exists; choose another name")
    tables = existing_tables(project)
    if singular in tables:
        raise Refused(
            f"singular: the table {singular!r} exists ({tables[singular]}); choose another name"
        )
    owned = answers["owned"]
    if owned not in ("yes", "no"):
        raise Refused(f"owned: {owned!r}; answer yes or no")
    if owned == "yes" and baked["auth"] != "users":
        raise Refused(
            f"owned: the project was baked with auth={baked['auth']!r}, which has no users "
            "to own rows; answer owned=no"
        )
    fields = parse_fields(str(answers["fields"]))
    reference = None
    if str(answers["reference"]).strip():
        reference = read_reference(project, str(answers["reference"]).strip(), baked["auth"])
        if reference.owned and owned != "yes":
            raise Refused(
                f"reference: app/{reference.plural} is owned by users; only an owned resource "
                "can reference it (whose rows would an unowned one check?); answer owned=yes"
            )
        if reference.column in {item.name for item in fields} or reference.singular in {
            item.name for item in fields
        }:
            raise Refused(f"fields: {reference.column!r} is the reference's own column")
    model = camel(singular)
    taken_names = {"Annotated", "BaseModel", "ConfigDict", "Decimal", "Field", "AwareDatetime"}
    taken_names |= {"BeforeValidator", "WithJsonSchema", "StorableText"}
    taken_names |= {model + suffix for suffix in ("Create", "Update", "Summary", "Read")}
    taken_names |= {model + camel(item.name) for item in fields if item.type == "enum"}
    clashes = {item.alias for item in fields if item.alias in taken_names}
    if clashes:
        raise Refused(f"fields: {', '.join(sorted(clashes))} would shadow a name; rename it")
    return Resource(
        singular=singular,
        plural=plural,
        owned=owned == "yes",
        auth=str(baked["auth"]),
        database=str(baked["database"]),
        fields=fields,
        reference=reference,
        enums=tuple(item for item in fields if item.type == "enum"),
        missing_reference=any(
            node.name == "MissingReferenceError"
            for node in classes(project / "app" / "db" / "repository.py")
        ),
    )


class AnswersRefused(FailedHookException):  # type: ignore[misc]  # cookiecutter is untyped
    """Raised while cookiecutter renders the staging directory's name, before it creates it:
    its command line prints a FailedHookException's message alone, where a failing pre-gen hook
    comes with a traceback. The hook checks the same answers again, for the Python API."""


STAGING_DIRECTORY = "{{cookiecutter.__staging}}"
CHECK_FILTER = "resource_refuse"
ANSWERS = ("singular", "plural", "owned", "fields", "reference", "_output_dir")


class ResourceExtension(Extension):
    """`cookiecutter | resource`: the templates' view of the answers; and the answers' check
    when cookiecutter renders the staging directory's name (the first thing it writes)."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["resource"] = self.resource
        environment.filters[CHECK_FILTER] = self.refuse
        self._described: dict[str, Resource] = {}

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if name is None and source == STAGING_DIRECTORY:
            return "{{ cookiecutter | " + CHECK_FILTER + " }}" + source
        return source

    def refuse(self, answers: object) -> str:
        """Raise AnswersRefused for answers the template cannot use; render as nothing."""
        if isinstance(answers, dict) and all(key in answers for key in ANSWERS):
            try:
                self.resource(answers)
            except Refused as exc:
                raise AnswersRefused(f"ERROR: {exc}") from None
        return ""

    def resource(self, answers: dict[str, Any]) -> Resource:
        key = json.dumps(answers, sort_keys=True, default=str)
        if key not in self._described:
            self._described[key] = describe(dict(answers))
        return self._described[key]
