"""The post-gen hook's one table of what options change: it agrees with cookiecutter.json, and
the hook keeps, removes and chooses variant files as the table says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
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
    if isinstance(value, list)
}


def make_tree(root: Path, paths: list[str]) -> None:
    for path in paths:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{path}\n", encoding="utf-8")


def test_every_option_and_value_in_the_table_is_a_prompt_choice() -> None:
    for path, rule in post_gen.MANIFEST.items():
        if isinstance(rule, post_gen.Keep):
            for option, values in rule.when.items():
                assert option in CHOICES, path
                assert set(values) <= set(CHOICES[option]), path
        else:
            assert rule.option in CHOICES, path
            assert set(rule.values) <= set(CHOICES[rule.option]), path


def test_the_hooks_know_the_choices_cookiecutter_offers() -> None:
    assert list(post_gen.DATABASES) == CHOICES["database"]
    assert sorted(pre_gen.DATABASES) == sorted(CHOICES["database"])
    assert sorted(pre_gen.PYTHON_VERSIONS) == sorted(CHOICES["python_version"])


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
        suffixes = path.name.split(".")[1:-1]
        if path.is_file() and set(suffixes) & values:
            assert relative in known, relative


@pytest.mark.parametrize("database", ["postgresql", "sqlite"])
def test_prune_moves_the_chosen_variants_into_place(tmp_path: Path, database: str) -> None:
    make_tree(tmp_path, [*post_gen.template_paths(), "app/core/config.py"])
    plan = post_gen.prune(tmp_path, {"database": database})
    other = "sqlite" if database == "postgresql" else "postgresql"
    engine = tmp_path / "app/core/engine.py"
    assert engine.read_text(encoding="utf-8") == f"app/core/engine.{database}.py\n"
    assert not (tmp_path / f"app/core/engine.{database}.py").exists()
    assert not (tmp_path / f"app/core/engine.{other}.py").exists()
    assert plan.moved[f"app/core/engine.{database}.py"] == "app/core/engine.py"
    assert f"app/core/engine.{other}.py" in plan.removed
    assert (tmp_path / "app/core/config.py").exists()
    assert (tmp_path / "tests/test_sqlite.py").exists() is (database == "sqlite")


def test_keep_with_several_options_needs_all_of_them() -> None:
    rule = post_gen.keep(database="postgresql", python_version=("3.12", "3.13"))
    assert rule.keeps({"database": "postgresql", "python_version": "3.13"})
    assert not rule.keeps({"database": "postgresql", "python_version": "3.11"})
    assert not rule.keeps({"database": "sqlite", "python_version": "3.13"})


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
        post_gen.prune(tmp_path, {"python_version": "3.13"})


@pytest.mark.parametrize("path", ["../outside.txt", "/etc/passwd", "a/../../b"])
def test_prune_refuses_manifest_paths_outside_the_bake(tmp_path: Path, path: str) -> None:
    with pytest.raises(post_gen.HookError, match="stay inside the bake"):
        post_gen.prune(tmp_path, {"database": "sqlite"}, {path: post_gen.keep(database="sqlite")})


def test_hook_directory_is_the_one_tested() -> None:
    assert (HOOKS_DIR / "post_gen_project.py").is_file()
