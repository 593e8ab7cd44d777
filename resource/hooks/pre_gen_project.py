"""Refuse the answers before any file of the project is touched.

Cookiecutter runs this with the (empty) staging directory `.new-resource` as the working
directory and deletes it on a non-zero exit. The rules live in `resource_fields.py`, the
template's Jinja extension, which the templates read through the same `describe()`.
"""

import importlib.util
import json
import sys
from pathlib import Path

ANSWERS = json.loads(r"""{{ cookiecutter | jsonify }}""")


def main() -> int:
    path = Path(ANSWERS["_repo_dir"]) / "resource_fields.py"
    spec = importlib.util.spec_from_file_location("resource_fields", path)
    if spec is None or spec.loader is None:
        print(f"ERROR: cannot load {path}", file=sys.stderr)
        return 1
    rules = importlib.util.module_from_spec(spec)
    sys.modules["resource_fields"] = rules  # dataclasses look their module up by name
    spec.loader.exec_module(rules)
    try:
        rules.describe(ANSWERS)
    except rules.Refused as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
