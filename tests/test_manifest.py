"""The post-gen hook's one table of what options change: it agrees with cookiecutter.json, and
the hook keeps, removes and chooses variant files as the table says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from expectations import CHOICE_DEFAULTS
from harness import HOOKS_DIR, REPO_ROOT, load_hook

if TYPE_CHECKING:
    import post_gen_project as post_gen
    import pre_gen_project as pre_gen
else:
    post_gen = load_hook("post_gen_project")
    pre_gen = load_hook("pre_gen_project")

TEMPLATE = REPO_ROOT / "{{cookiecutter.project_slug}}"
CHOICES: dict[str, list[str]] = {
    key: value
    for key, value in json.loads((REPO_ROOT / "cookiecutter.json").read_text("utf-8")).items()
    if isinstance(value, list) and not key.startswith("_")
}


def make_tree(root: Path, paths: list[str]) -> None:
    """A file for each path, except a path that holds others (`app/ai`): a directory."""
    parents = {str(parent) for path in paths for parent in Path(path).parents}
    for path in paths:
        if path in parents:
            continue
        target = root / path
        if any(other.startswith(f"{path}/") for other in paths):
            target.mkdir(parents=True, exist_ok=True)  # a directory the table names files in
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{path}\n", encoding="utf-8")


def test_every_option_and_value_in_the_table_is_a_prompt_choice() -> None:
    for path, rule in post_gen.MANIFEST.items():
        if isinstance(rule, post_gen.Keep):
            for condition in rule.conditions():
                for option, values in condition.items():
                    assert option in CHOICES, path
                    assert set(values) <= set(CHOICES[option]), path
        else:
            assert rule.option in CHOICES, path
            assert set(rule.values) <= set(CHOICES[rule.option]), path


def test_the_hooks_know_the_choices_cookiecutter_offers() -> None:
    assert list(post_gen.DATABASES) == CHOICES["database"]
    assert sorted(pre_gen.DATABASES) == sorted(CHOICES["database"])
    assert sorted(pre_gen.PYTHON_VERSIONS) == sorted(CHOICES["python_version"])
    assert set(post_gen.LICENSES) == set(CHOICES["license"]) - {"proprietary"}
    assert list(post_gen.AUTHS) == list(pre_gen.AUTHS) == CHOICES["auth"]


def test_every_choice_is_checked_by_the_pre_gen_hook() -> None:
    """A prompt with choices that the hook does not check could be replayed with any value."""
    for option, choices in CHOICES.items():
        check = pre_gen.CHECKS[option]
        assert all(check(choice) == [] for choice in choices), option
        assert check("not-a-choice") != [], option


def test_every_option_value_is_named_by_the_table_or_changes_only_rendered_text() -> None:
    """The options that change no file are listed here, so a new one must pick a side."""
    named = {option for rule in post_gen.MANIFEST.values() for option in rule.options()}
    text_only = {"python_version", "git_init"}
    assert named | text_only == set(CHOICES)
    assert not named & text_only


def test_every_path_the_table_names_is_in_the_template() -> None:
    missing = [path for path in post_gen.template_paths() if not (TEMPLATE / path).exists()]
    assert missing == []
    chosen = [path for path, rule in post_gen.MANIFEST.items() if isinstance(rule, post_gen.Choose)]
    assert [path for path in chosen if (TEMPLATE / path).exists()] == []


def test_no_variant_file_is_left_out_of_the_table() -> None:
    """A file named like a variant (`name.<choice>.ext`) that the table does not know would
    reach every bake."""
    values = {value for choices in CHOICES.values() for value in choices}
    known = set(post_gen.template_paths())
    for path in TEMPLATE.rglob("*"):
        relative = path.relative_to(TEMPLATE).as_posix()
        if path.is_file() and variant_named(path.name, values):
            assert relative in known, relative


def variant_named(name: str, values: set[str]) -> bool:
    """`stem.<value>.suffix`, or `name.<value>` for a file without a suffix (`LICENSE.MIT`)."""
    return any(f".{value}." in name or name.endswith(f".{value}") for value in values)


def test_variant_names_are_recognised() -> None:
    values = {"MIT", "Apache-2.0", "sqlite", "yes"}
    assert variant_named("LICENSE.Apache-2.0", values)
    assert variant_named("LICENSE.MIT", values)
    assert variant_named("engine.sqlite.py", values)
    assert variant_named("served_command.yes.py", values)
    assert not variant_named("engine.py", values)
    assert not variant_named("sqlite_notes.md", values)


def test_a_suffix_less_path_takes_the_value_as_its_suffix() -> None:
    rule = post_gen.Choose("license", ("MIT", "Apache-2.0"))
    assert rule.sources("LICENSE") == ["LICENSE.MIT", "LICENSE.Apache-2.0"]
    assert rule.source("docs/LICENSE", "MIT") == "docs/LICENSE.MIT"


def test_choose_only_leaves_the_path_out_unless_its_condition_holds(tmp_path: Path) -> None:
    manifest = {
        "compose.yml": post_gen.Choose(
            "database", ("postgresql", "sqlite"), only=post_gen.keep(docker="yes")
        )
    }
    make_tree(tmp_path, ["compose.postgresql.yml", "compose.sqlite.yml"])
    plan = post_gen.layout({"database": "sqlite", "docker": "no"}, manifest)
    assert sorted(plan.removed) == ["compose.postgresql.yml", "compose.sqlite.yml"]
    assert plan.moved == {}
    post_gen.prune(tmp_path, {"database": "sqlite", "docker": "yes"}, manifest)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compose.yml"]
    assert (tmp_path / "compose.yml").read_text(encoding="utf-8") == "compose.sqlite.yml\n"


def test_choose_only_options_must_be_answered() -> None:
    manifest = {"c.yml": post_gen.Choose("database", ("sqlite",), only=post_gen.keep(docker="yes"))}
    with pytest.raises(post_gen.HookError, match="docker"):
        post_gen.layout({"database": "sqlite"}, manifest)


@pytest.mark.parametrize("database", ["postgresql", "sqlite"])
def test_prune_moves_the_chosen_variants_into_place(tmp_path: Path, database: str) -> None:
    make_tree(tmp_path, [*post_gen.template_paths(), "app/main.py"])
    answers = {**CHOICE_DEFAULTS, "database": database}
    plan = post_gen.prune(tmp_path, {**answers, "license": "MIT"})
    other = "sqlite" if database == "postgresql" else "postgresql"
    engine = tmp_path / "app/core/engine.py"
    assert engine.read_text(encoding="utf-8") == f"app/core/engine.{database}.py\n"
    assert not (tmp_path / f"app/core/engine.{database}.py").exists()
    assert not (tmp_path / f"app/core/engine.{other}.py").exists()
    assert plan.moved[f"app/core/engine.{database}.py"] == "app/core/engine.py"
    assert f"app/core/engine.{other}.py" in plan.removed
    assert (tmp_path / "app/main.py").exists()
    sqlite_tests = tmp_path / "tests/test_sqlite.py"
    assert sqlite_tests.exists() is (database == "sqlite")
    if database == "sqlite":
        assert sqlite_tests.read_text(encoding="utf-8") == "tests/test_sqlite.users.py\n"
    assert (tmp_path / "app/users").exists()
    assert (tmp_path / "tests/test_items_search.py").is_file()
    assert not (tmp_path / "tests/test_search.py").exists()
    compose = tmp_path / "docker-compose.yml"
    assert compose.read_text(encoding="utf-8") == f"docker-compose.{database}.yml\n"
    assert (tmp_path / "LICENSE").read_text(encoding="utf-8") == "LICENSE.MIT\n"
    assert not (tmp_path / "k8s").exists()
    assert not (tmp_path / ".gitlab-ci.yml").exists()


def test_keep_with_several_options_needs_all_of_them() -> None:
    rule = post_gen.keep(database="postgresql", python_version=("3.12", "3.13"))
    assert rule.keeps({"database": "postgresql", "python_version": "3.13"})
    assert not rule.keeps({"database": "postgresql", "python_version": "3.11"})
    assert not rule.keeps({"database": "sqlite", "python_version": "3.13"})


def test_keep_joined_with_or_keeps_when_either_does() -> None:
    rule = post_gen.keep(auth="users") | post_gen.keep(ai_provider=("anthropic", "openai"))
    assert rule.keeps({"auth": "users", "ai_provider": "none"})
    assert rule.keeps({"auth": "none", "ai_provider": "openai"})
    assert not rule.keeps({"auth": "none", "ai_provider": "none"})
    assert rule.options() == {"auth", "ai_provider"}
    third = rule | post_gen.keep(database="sqlite")
    assert third.keeps({"auth": "none", "ai_provider": "none", "database": "sqlite"})
    assert len(third.conditions()) == 3


@pytest.mark.parametrize("provider", ["none", "anthropic", "openai"])
def test_variants_inside_a_directory_the_table_removes_go_with_it(
    tmp_path: Path, provider: str
) -> None:
    manifest: dict[str, post_gen.Rule] = {
        "app/ai": post_gen.keep(ai_provider=("anthropic", "openai")),
        "app/ai/provider.py": post_gen.Choose("ai_provider", ("anthropic", "openai")),
    }
    make_tree(tmp_path, [*post_gen.template_paths(manifest), "app/ai/client.py"])
    post_gen.prune(tmp_path, {"ai_provider": provider}, manifest)
    if provider == "none":
        assert not (tmp_path / "app").exists()
    else:
        names = sorted(path.name for path in (tmp_path / "app/ai").iterdir())
        assert names == ["client.py", "provider.py"]
        provider_text = (tmp_path / "app/ai/provider.py").read_text(encoding="utf-8")
        assert provider_text == f"app/ai/provider.{provider}.py\n"


def test_without_an_ai_provider_nothing_of_it_is_baked(tmp_path: Path) -> None:
    make_tree(tmp_path, [*post_gen.template_paths(), "app/main.py"])
    answers = {**CHOICE_DEFAULTS, "auth": "none"}
    post_gen.prune(tmp_path, answers)
    for gone in ("app/ai", "tests/ai", "app/core/throttling.py"):
        assert not (tmp_path / gone).exists(), gone


def test_a_value_without_a_variant_leaves_the_path_out(tmp_path: Path) -> None:
    manifest = {"LICENSE": post_gen.Choose("database", ("postgresql",))}
    make_tree(tmp_path, ["LICENSE.postgresql"])
    plan = post_gen.prune(tmp_path, {"database": "sqlite"}, manifest)
    assert plan.removed == ["LICENSE.postgresql"]
    assert list(tmp_path.iterdir()) == []


def test_prune_removes_directories_left_empty_but_not_the_project(tmp_path: Path) -> None:
    manifest = {"a/b/c/only.txt": post_gen.keep(database="sqlite")}
    make_tree(tmp_path, [*manifest, "a/keep.txt"])
    post_gen.prune(tmp_path, {"database": "postgresql"}, manifest)
    assert not (tmp_path / "a/b").exists()
    assert (tmp_path / "a/keep.txt").exists()


def test_prune_removes_and_chooses_whole_directories(tmp_path: Path) -> None:
    manifest: dict[str, post_gen.Rule] = {
        "extras": post_gen.keep(database="sqlite"),
        "deploy": post_gen.Choose("database", ("postgresql", "sqlite")),
    }
    make_tree(tmp_path, ["extras/one.py", "deploy.postgresql/a.yml", "deploy.sqlite/b.yml"])
    post_gen.prune(tmp_path, {"database": "postgresql"}, manifest)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "deploy",
        "deploy/a.yml",
    ]


def test_prune_fails_loudly_and_first_on_a_missing_variant(tmp_path: Path) -> None:
    make_tree(tmp_path, ["app/core/engine.postgresql.py"])
    with pytest.raises(post_gen.HookError, match=r"app/core/engine\.sqlite\.py"):
        post_gen.prune(tmp_path, {"database": "postgresql"})
    assert (tmp_path / "app/core/engine.postgresql.py").exists(), "nothing moves before the check"


def test_prune_refuses_a_template_that_holds_the_chosen_path_too(tmp_path: Path) -> None:
    manifest = {"engine.py": post_gen.Choose("database", ("postgresql", "sqlite"))}
    make_tree(tmp_path, ["engine.py", "engine.postgresql.py", "engine.sqlite.py"])
    with pytest.raises(post_gen.HookError, match=r"engine\.py"):
        post_gen.prune(tmp_path, {"database": "sqlite"}, manifest)


def test_prune_fails_on_an_option_missing_from_the_answers(tmp_path: Path) -> None:
    make_tree(tmp_path, post_gen.template_paths())
    with pytest.raises(post_gen.HookError, match="database"):
        post_gen.prune(tmp_path, {"python_version": "3.13", "docker": "yes"})


@pytest.mark.parametrize("path", ["../outside.txt", "/etc/passwd", "a/../../b"])
def test_prune_refuses_manifest_paths_outside_the_bake(tmp_path: Path, path: str) -> None:
    with pytest.raises(post_gen.HookError, match="stay inside the bake"):
        post_gen.prune(tmp_path, {"database": "sqlite"}, {path: post_gen.keep(database="sqlite")})


def test_hook_directory_is_the_one_tested() -> None:
    assert (HOOKS_DIR / "post_gen_project.py").is_file()


def test_prune_without_users_removes_their_domains_and_chooses_the_none_variants(
    tmp_path: Path,
) -> None:
    make_tree(tmp_path, [*post_gen.template_paths(), "app/main.py"])
    answers = {
        **CHOICE_DEFAULTS,
        "database": "sqlite",
        "auth": "none",
        "docker": "no",
        "ci": "none",
    }
    post_gen.prune(tmp_path, answers)
    for gone in (
        "app/auth",
        "app/users",
        "app/cli.py",
        "app/core/security.py",
        "tests/test_auth.py",
    ):
        assert not (tmp_path / gone).exists(), gone
    for path in post_gen.AUTH_VARIANTS:
        assert (tmp_path / path).read_text(encoding="utf-8").endswith(".none.py\n"), path
    assert (tmp_path / "tests/test_search.py").read_text(encoding="utf-8") == (
        "tests/test_search.sqlite.py\n"
    )
    assert not (tmp_path / "tests/test_items_search.py").exists()
    assert (tmp_path / "tests/test_sqlite.py").read_text(encoding="utf-8") == (
        "tests/test_sqlite.none.py\n"
    )
