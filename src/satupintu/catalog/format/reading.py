"""Reading YAML definitions from a folder, strictly: a duplicated key is an error, not a
silent override."""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, printed as ``file: path.to.field: what is wrong``."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path or '(file)'}: {self.message}"


@dataclass
class Document:
    path: str  # relative to the folder, with forward slashes
    data: Any

    @property
    def stem(self) -> str:
        return Path(self.path).stem


@dataclass
class Catalogue:
    root: Path
    organisations: Document | None = None
    categories: Document | None = None
    services: list[Document] = field(default_factory=list)
    life_events: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_count: int = 0

    def problem(self, file: str, path: str, message: str) -> None:
        self.problems.append(Problem(file, path, message))


# libyaml's parser is about ten times faster than the pure-Python one; the constructors
# below (Python) run on top of either.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):
    """SafeLoader that refuses duplicate keys and keeps dates as text (definitions hold
    dates as ``YYYY-MM-DD`` strings; JSON has no date type)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def load_yaml(path: Path, relative: str, catalogue: Catalogue) -> Any | None:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_StrictLoader)  # noqa: S506 — a SafeLoader subclass
    except UnicodeDecodeError:
        catalogue.problem(relative, "", "the file is not UTF-8 text; save it as UTF-8")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        catalogue.problem(relative, "", f"not valid YAML: {where}{what}")
    except OSError as exc:
        catalogue.problem(relative, "", f"cannot be read: {exc.strerror}")
    return None


def read_folder(path: str | Path) -> Catalogue:
    """Read every definition file under ``path``; unreadable files become problems."""
    root = Path(path)
    catalogue = Catalogue(root=root)
    if not root.is_dir():
        catalogue.problem(str(path), "", "is not a folder of definitions")
        return catalogue

    def read(file: Path) -> Document | None:
        relative = file.relative_to(root).as_posix()
        catalogue.file_count += 1
        data = load_yaml(file, relative, catalogue)
        if data is None and not any(p.file == relative for p in catalogue.problems):
            catalogue.problem(relative, "", "the file is empty")
            return None
        return Document(relative, data) if data is not None else None

    for name, attribute in (("organisations", "organisations"), ("categories", "categories")):
        for suffix in (".yaml", ".yml"):
            file = root / f"{name}{suffix}"
            if file.exists():
                setattr(catalogue, attribute, read(file))
    for folder, target in (
        ("services", catalogue.services),
        ("life_events", catalogue.life_events),
    ):
        files = sorted([*(root / folder).rglob("*.yaml"), *(root / folder).rglob("*.yml")])
        for file in files:
            if document := read(file):
                target.append(document)
    if catalogue.file_count == 0:
        catalogue.problem(
            str(path), "", "holds no definitions (expected services/*.yaml and life_events/*.yaml)"
        )
    return catalogue


def content_hash(data: Any) -> str:
    """A hash of the parsed content: formatting and key order do not change it."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
