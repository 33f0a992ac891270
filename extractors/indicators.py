"""Assigns an indicator from the catalogue (schemas/indicators.yaml) to each observation.

Why data-driven: the catalogue grows; adding an indicator or a new way of writing one must be
an edit of the YAML, reviewed as data. This module only knows the slot names the YAML uses and
the catalogue's global rules (examples, denominators, thresholds, subsets, parts, ellipses,
regional ranks, averages). Matching ignores diacritics and case so that "can cuoc" and
"căn cước" are one phrase (each letter of a pattern becomes the class of its accented forms,
upper and lower case); a slot name ending in `_raw` matches the pattern as written,
case-sensitively, for the few cues where case or diacritics carry the meaning ("Cổng", the
Portal, against "công").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractors.lexicon import fold, load_indicators

_SLOTS = ("noun", "before", "after", "clause", "sentence", "paragraph", "prefix", "article")


def _compile(pattern: str, raw: bool = False) -> re.Pattern:
    # Patterns match folded, lower-cased text (see `folded`): plain ASCII letters let the regex
    # engine scan for literals instead of testing a class of accented variants at every position.
    return re.compile(pattern) if raw else re.compile(_lower_pattern(fold(pattern)))


def _lower_pattern(pattern: str) -> str:
    """Lower-cases the literal letters of a regex, leaving escapes (\\S, \\W, \\B) alone."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        out.append(pattern[i].lower())
        i += 1
    return "".join(out)


# The last two texts folded, as (text, folded, lowered?) — one tuple, so threads see whole
# entries. An article is folded as its body, then as title + body (twice: once for the body's
# figures, once for the title's); folding is a per-character table lookup, a tenth of the
# extractor's time, so the second fold reuses the body's and the third is the second.
_recent: tuple = ()


def folded(text: str) -> str:
    """`text` as the catalogue's patterns read it: no diacritics, lower case, same offsets."""
    global _recent
    for entry in _recent:
        if entry[0] is text:
            return entry[1]
    out, lowered = _folded_reusing(text, _recent)
    _recent = ((text, out, lowered),) + _recent[:1]
    return out


def _folded_reusing(text: str, recent: tuple) -> tuple[str, bool]:
    for known, known_out, known_lowered in recent:
        cut = len(text) - len(known)
        # Folding and lower-casing go character by character, except a final sigma, which looks
        # at its neighbours: a newline before the reused part keeps them apart.
        if known_lowered and 0 < cut and text[cut - 1] == "\n" and text.endswith(known):
            head, head_lowered = _folded_whole(text[:cut])
            if head_lowered:
                return head + known_out, True
    return _folded_whole(text)


def _folded_whole(text: str) -> tuple[str, bool]:
    low = fold(text).lower()
    return (low, True) if len(low) == len(text) else (fold(text), False)


@dataclass(frozen=True)
class Indicator:
    id: str
    kinds: frozenset
    match: tuple   # of tuples of (slot, raw?, compiled regex)
    exclude: tuple
    keep_examples: bool
    meta: dict = field(compare=False, hash=False)
    noun_rules: tuple = field(default=(), compare=False, hash=False)
    other_rules: tuple = field(default=(), compare=False, hash=False)


def _rules(entries) -> tuple:
    out = []
    for entry in entries or []:
        rule = []
        for key, pattern in entry.items():
            slot, raw = (key[:-4], True) if key.endswith("_raw") else (key, False)
            if slot in _SLOTS:
                rule.append((slot, raw, _compile(pattern, raw)))
        rule.sort(key=lambda r: _SLOTS.index(r[0]))
        out.append(tuple(rule))
    return tuple(out)


def _load():
    data = load_indicators()
    catalogue = []
    for item in data["indicators"]:
        meta = {k: v for k, v in item.items() if k not in ("match", "exclude", "keep_examples")}
        match = _rules(item.get("match"))
        catalogue.append(Indicator(item["id"], frozenset(item["kinds"]), match,
                                   _rules(item.get("exclude")), bool(item.get("keep_examples")), meta,
                                   tuple(r for r in match if r and r[0][0] == "noun"),
                                   tuple(r for r in match if not r or r[0][0] != "noun")))
    g = data.get("rules", {})
    never = r"(?!)"
    rules = {key: _compile(g.get(key, never)) for key in (
        "denominator_before", "subset_before", "part_before", "regional_rank_before", "threshold_before")}
    # One alternation instead of a search per pattern: only whether any matches is asked.
    rules["exclude_before"] = _compile("|".join(f"(?:{p})" for p in g.get("exclude_before", [])) or never)
    for key in ("level_after_change", "bare_level_before"):
        rules[key] = _compile(g.get(key, never))
    rules["level_only_kinds"] = frozenset(g.get("level_only_kinds", []))
    return tuple(catalogue), rules


CATALOGUE, _GLOBAL = _load()
_CACHED_SLOTS = frozenset({"sentence", "paragraph", "article"})   # shared by a sentence's figures
IDS = frozenset(i.id for i in CATALOGUE)
_BY_KIND = {kind: tuple(i for i in CATALOGUE if kind in i.kinds) for kind in
            ("count", "percent", "money", "ratio", "rank", "multiple")}


def _gate(rule_sets) -> tuple | None:
    """One regex per slot that matches where the first regex of any of these rules matches: a
    rule can only match when its first slot does, so a figure none of them fits skips the loop
    over the catalogue (most figures fit no indicator). None when some rule is empty (it always
    matches)."""
    firsts: dict = {}
    for rules in rule_sets:
        for rule in rules:
            if not rule:
                return None
            slot, raw, rx = rule[0]
            firsts.setdefault((slot, raw), []).append(rx.pattern)
    return tuple((slot, raw, re.compile("|".join(f"(?:{p})" for p in patterns)))
                 for (slot, raw), patterns in firsts.items())


# (kind, noun pass?) -> the gate of that pass of _own
_GATES = {(kind, noun_pass): _gate(i.noun_rules if noun_pass else i.other_rules for i in inds)
          for kind, inds in _BY_KIND.items() for noun_pass in (True, False)}


@dataclass
class Context:
    """The text around one figure, as the YAML slots name it: `texts` maps slot names (before,
    after, sentence, paragraph, prefix, article) to the text as written."""

    kind: str
    change: bool
    average: bool
    qualifier: str
    texts: dict
    lead: int = 0                # offsets of the figure (its qualifier included) in the text
    end: int = 0
    sentence_start: int = 0
    indicator: str | None = None
    folded: dict | None = None   # the same slots as `folded()` text; computed when not given

    @property
    def before(self) -> str:
        return self.slot("before")

    def slot(self, name: str, raw: bool = False) -> str:
        # Every catalogue rule asks for slots: build each one once per figure.
        memo = self.__dict__.setdefault("_slots", {})
        key = (name, raw)
        text = memo.get(key)
        if text is None:
            text = memo[key] = self._slot(name, raw)
        return text

    def _slot(self, name: str, raw: bool) -> str:
        if raw:
            texts = self.texts
        else:
            if self.folded is None:
                self.folded = {k: folded(v) for k, v in self.texts.items()}
            texts = self.folded
        if name == "noun":
            return texts["after"].lstrip()
        if name == "clause":
            return texts["before"] + " \u2016 " + texts["after"]
        return texts[name]


def _matches(rule: tuple, ctx: Context, cache: dict) -> bool:
    memo = ctx.__dict__.get("_slots")
    if memo is None:
        memo = ctx.__dict__["_slots"] = {}
    for slot, raw, rx in rule:
        text = memo.get((slot, raw))
        if text is None:
            text = ctx.slot(slot, raw)
        if slot in _CACHED_SLOTS:
            key = (id(rx), text)
            hit = cache.get(key)
            if hit is None:
                hit = cache[key] = rx.search(text) is not None
        elif slot == "noun":
            hit = rx.match(text) is not None
        else:
            hit = rx.search(text) is not None
        if not hit:
            return False
    return True


def _any_matches(rules: tuple, ctx: Context, cache: dict) -> bool:
    for rule in rules:
        if _matches(rule, ctx, cache):
            return True
    return False


def own_indicator(ctx: Context, cache: dict | None = None) -> str | None:
    """The first catalogue indicator whose kind and phrases fit this figure's own context."""
    return _own(ctx, {} if cache is None else cache)[0]


def _own(ctx: Context, cache: dict) -> tuple[str | None, bool]:
    """(indicator, vetoed): vetoed when a global rule says the figure is not any indicator's
    value (a denominator, a threshold, a regional rank, a change of a rate)."""
    if _GLOBAL["denominator_before"].search(ctx.before):
        return None, True
    if ctx.change and ctx.kind in _GLOBAL["level_only_kinds"]:
        return None, True
    if ctx.qualifier in ("at_least", "at_most") and _GLOBAL["threshold_before"].search(ctx.before):
        return None, True
    regional = ctx.kind == "rank" and bool(_GLOBAL["regional_rank_before"].search(ctx.before))
    example = _GLOBAL["exclude_before"].search(ctx.before) is not None
    # Two passes: what the figure counts (its noun) outranks cue words in its clause, which may
    # belong to the figure before it ("… 40% hồ sơ nộp trực tuyến và chưa đến 20% kết quả …").
    for noun_pass in (True, False):
        gate = _GATES.get((ctx.kind, noun_pass))
        if gate is not None and not any(_matches((first,), ctx, cache) for first in gate):
            continue
        for ind in _BY_KIND.get(ctx.kind, ()):
            if example and not ind.keep_examples:
                continue
            if ind.id == "egdi_rank" and regional:
                continue
            rules = ind.noun_rules if noun_pass else ind.other_rules
            if _any_matches(rules, ctx, cache) and not _any_matches(ind.exclude, ctx, cache):
                return ind.id, False
    return None, regional or example


def assign(contexts: list[Context], cache: dict | None = None, has_place=None,
           carried: dict | None = None) -> list[str | None]:
    """Indicators for the figures of one sentence, in order.

    Beyond each figure's own phrases: an average is never an indicator; a count that is a change
    with no phrase of its own ("tăng 17,2 triệu tài khoản so với …") continues the last level
    figure of its kind in the sentence; a part in "(riêng …)" continues the figure just before
    it; so does a figure for another place in an elliptical list ("Quảng Ninh … 99,1% hồ sơ …
    nộp trực tuyến; Bắc Giang đạt 87,6%"); a subset "(trong đó …)" of a figure is not that
    figure's indicator. `has_place(a, b)` tells whether a place is named between two offsets.
    """
    cache = {} if cache is None else cache
    out: list[str | None] = []
    for i, ctx in enumerate(contexts):
        ind, vetoed = (None, True) if ctx.average else _own(ctx, cache)
        prev = contexts[i - 1] if i else None
        if ind and prev and prev.indicator == ind and _GLOBAL["subset_before"].search(ctx.before):
            ind, vetoed = None, True
        if ind is None and not vetoed:
            ind = _inherited(contexts, i, has_place, cache, carried or {})
        ctx.indicator = ind
        out.append(ind)
    return out


def _inherited(contexts: list[Context], i: int, has_place, cache: dict, carried: dict) -> str | None:
    ctx = contexts[i]
    prev = contexts[i - 1] if i else None
    if prev is not None and prev.change and not ctx.change and prev.kind == ctx.kind \
            and _GLOBAL["level_after_change"].search(ctx.before):
        # "tỷ lệ … tăng 8,2%, đạt 45,6%": the level carries the measure its change was vetoed for.
        return _own(replace(prev, change=False, qualifier="exact"), cache)[0]
    if ctx.change:
        if ctx.kind in _GLOBAL["level_only_kinds"]:
            return None
        for prev in reversed(contexts[:i]):
            if prev.kind == ctx.kind and not prev.change:
                return prev.indicator
        return None
    if i and contexts[i - 1].kind == ctx.kind and _GLOBAL["part_before"].search(ctx.before):
        return contexts[i - 1].indicator
    for prev in reversed(contexts[:i]):
        if prev.kind == ctx.kind and not prev.change:
            if has_place and has_place(prev.end, ctx.lead) and _elliptic(ctx, prev):
                return prev.indicator
            return None
    # First of its kind in the sentence: "… của Đà Nẵng đạt 72,5%. Quảng Ninh đạt 81,2%, …" —
    # a place then the bare figure continues the previous sentence's measure.
    prev = carried.get(ctx.kind)
    if prev is not None and prev.indicator and has_place and not ctx.slot("noun")[:1].isalpha() \
            and has_place(ctx.sentence_start, ctx.lead) and _GLOBAL["bare_level_before"].search(ctx.before):
        return prev.indicator
    return None


def _elliptic(ctx: Context, prev: Context) -> bool:
    # The figure repeats the previous one's noun, shortened or left out: "đạt 87,6%;",
    # "với hơn 2,3 triệu giao dịch" after "2,8 triệu giao dịch thanh toán trực tuyến".
    noun = _NOUN_WORDS_RE.match(ctx.slot("noun"))
    if noun is None:
        return True
    return prev.slot("noun").lower().startswith(noun.group().lower())


_NOUN_WORDS_RE = re.compile(r"[^\W\d_]+(?:\s+[^\W\d_]+)?")


def catalogue_table() -> list[dict]:
    """The catalogue's descriptive fields (id, name_vi, name_en, unit, kinds, definition)."""
    return [dict(ind.meta) for ind in CATALOGUE]
