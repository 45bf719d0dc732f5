"""Reading course files strictly (a key written twice is an error, not a silent
override) and checking each against the schema."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from satupintu.learning.catalogue_file.schema import validator


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, printed as ``file: path.to.field: what is wrong``."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path or '(file)'}: {self.message}"


@dataclass
class CourseEntry:
    """One course of a file, as written."""

    file: str  # as shown in problems: relative to the folder loaded
    path: str  # courses[3]
    folder: Path  # where the file's lesson files are
    data: dict


@dataclass
class CourseFiles:
    root: Path
    files: int = 0
    entries: list[CourseEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, file: str, path: str, message: str) -> None:
        self.problems.append(Problem(file, path, message))


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):
    """A SafeLoader that refuses a key written twice and keeps dates as text."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_StrictLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def _dotted(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _schema_problems(files: CourseFiles, name: str, data: Any) -> bool:
    """Report where ``data`` breaks the schema; True when it does not."""
    errors = sorted(
        validator().iter_errors(data), key=lambda error: list(map(str, error.absolute_path))
    )
    for error in errors:
        path = list(error.absolute_path)
        message = error.message
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
            path.append(missing)
            message = "is required"
        elif error.validator == "additionalProperties":
            message = error.message.replace("Additional properties are not allowed", "unknown key")
        elif error.validator == "enum":
            message = f"{error.instance!r} is not allowed; use one of: " + ", ".join(
                map(str, error.validator_value)
            )
        elif error.validator == "pattern" and path and path[-1] in {"code", "provider", "course"}:
            message = (
                f"{error.instance!r} is not a valid code: use lower-case letters, digits and '-'"
            )
        elif error.validator == "pattern" and path and path[-1] == "video_url":
            message = f"{error.instance!r} is not a secure link: give an https:// address"
        elif error.validator == "multipleOf":
            message = f"{error.instance!r} is not a whole or half number of lesson hours"
        elif (
            error.validator == "type"
            and error.validator_value == "object"
            and isinstance(error.instance, str)
        ):
            message = f"{error.message}; give the text in both languages as {{id: …, en: …}}"
        files.problem(name, _dotted(path), message)
    return not errors


def course_files_read(path: str | Path) -> CourseFiles:
    """Read the course file at ``path``, or every ``*.yaml`` file under the folder ``path``.
    Unreadable files and files that break the schema become problems."""
    path = Path(path)
    if path.is_file():
        root, candidates = path.parent, [path]
    elif path.is_dir():
        root = path
        candidates = sorted([*path.rglob("*.yaml"), *path.rglob("*.yml")])
    else:
        files = CourseFiles(root=path)
        files.problem(str(path), "", "there is no such file or folder")
        return files
    files = CourseFiles(root=root)
    for file in candidates:
        name = file.relative_to(root).as_posix()
        files.files += 1
        try:
            with file.open(encoding="utf-8") as handle:
                data = yaml.load(handle, Loader=_StrictLoader)  # noqa: S506 — a SafeLoader
        except UnicodeDecodeError:
            files.problem(name, "", "the file is not UTF-8 text; save it as UTF-8")
            continue
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            what = getattr(exc, "problem", None) or str(exc)
            files.problem(name, "", f"not valid YAML: {where}{what}")
            continue
        except OSError as exc:
            files.problem(name, "", f"cannot be read: {exc.strerror}")
            continue
        if data is None:
            files.problem(name, "", "the file is empty; write `courses:` and a list of courses")
            continue
        if not _schema_problems(files, name, data):
            continue
        for index, course in enumerate(data["courses"]):
            files.entries.append(CourseEntry(name, f"courses[{index}]", file.parent, course))
    if files.files == 0:
        files.problem(str(path), "", "holds no course files (*.yaml)")
    return files
