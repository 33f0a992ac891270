"""Per-site cleaning adapters, loaded once from `adapters.toml`.

Why data and not code: site layouts change often and independently of our logic; a selector fix
should be a one-line data change reviewed as such (the trafilatura `xpaths.py` idea). This module
only reads the file, merges `[common].drop` into every adapter, compiles the selectors once
(CSS is translated to XPath by cssselect and compiled by lxml: translation costs more than
matching on a small page) and the `lead_prefix` regex.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cssselect import HTMLTranslator
from lxml import etree

ADAPTERS_FILE = Path(__file__).with_name("adapters.toml")
FIELDS = ("title", "lead", "time", "author", "body")


_SIMPLE = re.compile(r"^(?P<name>[a-zA-Z][\w-]*)?(?P<id>#[\w-]+)?(?P<classes>(?:\.[\w-]+)*)$")


class DropMatcher:
    """Decides per element whether a drop list removes it, without a tree walk per selector.

    Drop lists are mostly `tag`, `.class`, `tag.class`: those are indexed by tag name and class
    and checked while the cleaner walks the tree anyway (matching every element against
    twenty selectors cost more than parsing the page). Anything fancier is kept as one compiled
    selector, applied once per subtree by `select_complex`.
    """

    def __init__(self, selectors: list[str]):
        self.names: set[str] = set()
        self.rules: dict[str, list[tuple[str | None, str | None, frozenset]]] = {}
        complex_ = []
        for css in selectors:
            found = _SIMPLE.match(css.strip())
            if not found or not any(found.groupdict().values()):
                complex_.append(css)
                continue
            name, ident = found["name"], (found["id"] or "")[1:] or None
            classes = frozenset(c for c in found["classes"].split(".") if c)
            if name and not ident and not classes:
                self.names.add(name.lower())
                continue
            key = next(iter(sorted(classes)), None) or f"#{ident}"
            self.rules.setdefault(key, []).append((name and name.lower(), ident, classes))
        self.complex = Selector(", ".join(complex_)) if complex_ else None

    def matches(self, tag) -> bool:
        if tag.tag in self.names:
            return True
        classes = (tag.get("class") or "").split()
        ident = tag.get("id")
        keys = [*classes, f"#{ident}"] if ident else classes
        for key in keys:
            for name, want_id, want in self.rules.get(key, ()):
                if (name is None or tag.tag == name) and (want_id is None or ident == want_id) \
                        and want.issubset(classes):
                    return True
        return False

    def select_complex(self, root) -> set:
        """The elements under `root` the complex selectors match (a set of lxml elements: they
        are kept alive by the set, so identity tests against them stay valid)."""
        return set(self.complex.select(root)) if self.complex is not None else set()


class Selector:
    """A CSS selector (list) compiled once to XPath; matches come in document order."""

    def __init__(self, css: str):
        self.css = css
        self._xpath = etree.XPath(HTMLTranslator().css_to_xpath(css, prefix="descendant-or-self::"))

    def select(self, root) -> list:
        return self._xpath(root)

    def select_one(self, root):
        found = self._xpath(root)
        return found[0] if found else None


@dataclass(frozen=True)
class Adapter:
    name: str
    selectors: dict  # field -> compiled Selector (absent when not configured)
    drop: DropMatcher  # the adapter's and the common drop lists
    lead_prefix: re.Pattern | None


def _compile(css: str | None):
    return Selector(css) if css else None


def _build(name: str, table: dict, common_drop: list[str]) -> Adapter:
    selectors = {f: _compile(table.get(f)) for f in FIELDS if table.get(f)}
    drop = list(dict.fromkeys([*table.get("drop", []), *common_drop]))
    prefix = table.get("lead_prefix")
    return Adapter(name, selectors, DropMatcher(drop), re.compile(prefix) if prefix else None)


@cache
def load(path: Path = ADAPTERS_FILE) -> dict[str, Adapter]:
    """All adapters by name (compiled once per process)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    common = data.get("common", {}).get("drop", [])
    return {name: _build(name, table, common) for name, table in data.get("adapter", {}).items()}


@cache
def common_drop(path: Path = ADAPTERS_FILE) -> DropMatcher:
    """The `[common].drop` list alone (the generic cleaner removes these too)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return DropMatcher(data.get("common", {}).get("drop", []))


def get(name: str) -> Adapter:
    """The named adapter; KeyError names the known ones."""
    adapters = load()
    if name not in adapters:
        raise KeyError(f"unknown cleaning adapter {name!r}; known: {', '.join(sorted(adapters))}")
    return adapters[name]
