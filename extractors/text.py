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

Trees are lxml.html trees (parsing one costs a twentieth of a BeautifulSoup tree, which alone
cost what all of trafilatura does — shared/notes/dependencies.md). In lxml a text run is an
element's `.text` or the `.tail` of its previous sibling, so a skipped element's tail is still
read: it belongs to the parent.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, NamedTuple

from lxml import etree, html as lxml_html

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
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def normalize(text: str | None) -> str:
    """NFC, every space-like character a plain space, invisible characters gone, trimmed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text.translate(_TRANSLATE))
    return _WS.sub(" ", text).strip()


def decode(page: str | bytes) -> str:
    """The page as text: its declared charset, else UTF-8, else Windows-1258 (legacy Vietnamese)."""
    if isinstance(page, str):
        return page
    declared = _CHARSET.search(page[:4096])
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8"]:
        try:
            return page.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return page.decode("cp1258", errors="replace")


def parse(page: str | bytes):
    """An lxml.html document tree (always rooted at <html>, fragments included)."""
    text = _XML_DECL.sub("", decode(page), count=1)
    try:
        return lxml_html.document_fromstring(text or "<html></html>")
    except (etree.ParserError, ValueError):  # empty or unparsable: an empty document
        return lxml_html.document_fromstring("<html><body></body></html>")


def is_element(node) -> bool:
    """True for elements (not comments or processing instructions, whose tag is a function)."""
    return isinstance(node.tag, str)


def text_of(el) -> str:
    """An element's text, pieces joined by spaces (BeautifulSoup's get_text(" "))."""
    return " ".join(el.itertext())


def classes_and_id(el) -> str:
    """The class and id words of an element, one string (what boilerplate rules read)."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


class Paragraph(NamedTuple):
    """One paragraph of a container: its text, the share of it that is link text, and whether
    its block also holds an image (a short text beside a picture is its caption)."""
    text: str
    link_share: float
    beside_image: bool = False


class _Collector:
    """Walks one subtree once, emitting paragraphs with their link-text share, and tables."""

    def __init__(self, skip: Callable):
        self.skip = skip
        self.paras: list[tuple[str, float]] = []
        self.tables: list[list[list[str]]] = []
        self._buf: list[str] = []
        self._link_chars = 0
        self._in_link = 0
        self._image = False

    def flush(self) -> None:
        if not self._buf:
            self._image = False  # a picture alone in its block marks no paragraph
            return
        raw, links, image = "".join(self._buf), self._link_chars, self._image
        self._buf, self._link_chars, self._image = [], 0, False
        for part in _BR_SPLIT.split(raw):
            text = normalize(part.replace(_BR, " "))
            if text:
                share = min(1.0, links / max(1, len(raw.strip())))
                self.paras.append(Paragraph(text, share, image))

    def _text(self, text: str | None) -> None:
        if text:
            self._buf.append(text)
            if self._in_link:
                self._link_chars += len(text.strip())

    def walk(self, node) -> None:
        self._text(node.text)
        for child in node:
            if isinstance(child.tag, str) and not self.skip(child):
                self._tag(child)
            self._text(child.tail)

    def _tag(self, tag) -> None:
        name = tag.tag
        if name in SKIP_TAGS:
            return
        if name == "br":
            self._buf.append(_BR)
        elif name == "img":
            self._image = True
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

    def _table(self, table) -> None:
        self.flush()
        rows = data_table_rows(table)
        if rows is None:
            self.walk(table)
            self.flush()
        else:
            self.tables.append(rows)


def _rows(table) -> list:
    """The table's own rows, not those of nested tables."""
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def data_table_rows(table) -> list[list[str]] | None:
    """Rows of cell strings if `table` holds data; None if it is a layout table."""
    if next(table.iterdescendants("table"), None) is not None:
        return None
    rows = []
    for tr in _rows(table):
        cells = [normalize(text_of(td)) for td in tr if td.tag in ("td", "th")]
        if any(cells):
            rows.append(cells)
    widest = max((len(r) for r in rows), default=0)
    longest = max((len(c) for r in rows for c in r), default=0)
    if widest < 2 or len(rows) < 2 or longest > 400:
        return None
    return rows


def _keep_all(tag) -> bool:
    return False


def paragraphs(root, skip: Callable = _keep_all):
    """Paragraphs of `root` (`Paragraph` tuples), and its data tables.

    `skip(tag)` says which elements to leave out (drop lists, boilerplate), so dropping costs
    no tree mutation and the tree can still be read by a fallback.
    """
    collector = _Collector(skip)
    collector.walk(root)
    collector.flush()
    return collector.paras, collector.tables
