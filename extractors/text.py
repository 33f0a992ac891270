"""Text normalisation and paragraph extraction for the cleaner.

Why this module exists: the gold `body` format is defined at the level of *characters* (NFC,
single spaces, no invisible characters) and of *paragraphs* (blocks separated by a blank line).
Government sites deliver the same words in many byte forms — decomposed diacritics from
Word-pasted content, NBSPs used as indentation, zero-width spaces from CMS editors, paragraphs as
`<p>`, as `<br><br>` runs or as list items. Both the adapter path and the generic cleaner must
turn all of them into the same string, so the rules live here, once.

Tables are not flattened into paragraphs: data tables are returned as rows of cell strings
(the Clean contract's `tables`); layout tables (one column, nested tables, long prose cells) are
walked as ordinary containers because some portals lay out whole articles with them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

from bs4 import NavigableString, Tag

# Characters that render as a space, and characters that render as nothing.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                            "\u2008\u2009\u200a\u202f\u205f\u3000\t\r\n\f\v"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_TRANSLATE = {**_SPACES, **_INVISIBLE}
_WS = re.compile(r" {2,}")

BLOCK_TAGS = frozenset(
    "p div section article main header footer aside nav h1 h2 h3 h4 h5 h6 ul ol li dl dt dd "
    "blockquote pre figure figcaption center address hr tr td th tbody thead tfoot caption "
    "form fieldset details summary".split()
)
SKIP_TAGS = frozenset("script style noscript template svg iframe object embed head title "
                      "button select input textarea".split())
_BR = "\x00"
_BR_SPLIT = re.compile(r"\x00\s*\x00[\s\x00]*")


def normalize(text: str | None) -> str:
    """NFC, every space-like character a plain space, invisible characters gone, trimmed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text.translate(_TRANSLATE))
    return _WS.sub(" ", text).strip()


def is_text_node(node) -> bool:
    """True for real text (not comments, doctypes, CDATA or processing instructions)."""
    return type(node) is NavigableString


class _Collector:
    """Walks one subtree once, emitting paragraphs with their link-text share, and tables."""

    def __init__(self, skip: Callable[[Tag], bool]):
        self.skip = skip
        self.paras: list[tuple[str, float]] = []
        self.tables: list[list[list[str]]] = []
        self._buf: list[str] = []
        self._link_chars = 0
        self._in_link = 0

    def flush(self) -> None:
        if not self._buf:
            return
        raw, links = "".join(self._buf), self._link_chars
        self._buf, self._link_chars = [], 0
        for part in _BR_SPLIT.split(raw):
            text = normalize(part.replace(_BR, " "))
            if text:
                share = min(1.0, links / max(1, len(raw.strip())))
                self.paras.append((text, share))

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if type(child) is NavigableString:
                self._buf.append(child)
                if self._in_link:
                    self._link_chars += len(child.strip())
            elif isinstance(child, Tag) and not self.skip(child):
                self._tag(child)

    def _tag(self, tag: Tag) -> None:
        name = tag.name
        if name in SKIP_TAGS:
            return
        if name == "br":
            self._buf.append(_BR)
        elif name == "table":
            self._table(tag)
        elif name == "a":
            self._in_link += 1
            self.walk(tag)
            self._in_link -= 1
        elif name in BLOCK_TAGS:
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)

    def _table(self, table: Tag) -> None:
        self.flush()
        rows = data_table_rows(table)
        if rows is None:
            self.walk(table)
            self.flush()
        else:
            self.tables.append(rows)


def _rows(table: Tag) -> list[Tag]:
    """The table's own rows, not those of nested tables."""
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def data_table_rows(table: Tag) -> list[list[str]] | None:
    """Rows of cell strings if `table` holds data; None if it is a layout table."""
    if table.find("table") is not None:
        return None
    rows = []
    for tr in _rows(table):
        cells = [normalize(td.get_text(" ")) for td in tr.find_all(("td", "th"), recursive=False)]
        if any(cells):
            rows.append(cells)
    widest = max((len(r) for r in rows), default=0)
    longest = max((len(c) for r in rows for c in r), default=0)
    if widest < 2 or len(rows) < 2 or longest > 400:
        return None
    return rows


def _keep_all(tag: Tag) -> bool:
    return False


def paragraphs(root: Tag, skip: Callable[[Tag], bool] = _keep_all):
    """Paragraphs of `root` as (text, link share) pairs, and its data tables.

    `skip(tag)` says which elements to leave out (drop lists, boilerplate), so dropping costs
    no tree mutation and the soup can still be read by a fallback.
    """
    collector = _Collector(skip)
    collector.walk(root)
    collector.flush()
    return collector.paras, collector.tables
