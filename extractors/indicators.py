"""Assigns an indicator from the catalogue (schemas/indicators.yaml) to each observation.

Why data-driven: the catalogue grows; adding an indicator or a new way of writing one must be
an edit of the YAML, reviewed as data. This module only knows the slot names the YAML uses and
the catalogue's global rules (examples, denominators, thresholds, targets, subsets, parts,
ellipses, regional ranks, averages). Matching ignores diacritics and case so that "can cuoc" and
"căn cước" are one phrase (each letter of a pattern becomes the class of its accented forms,
upper and lower case); a slot name ending in `_raw` matches the pattern as written,
case-sensitively, for the few cues where case or diacritics carry the meaning ("Cổng", the
Portal, against "công").

Every figure of an article asks the catalogue (issue 3: 1,000 articles a second), so the work per
figure is kept to what its answer needs: slots are sliced when a rule first reads them, rules
that share a sentence-wide slot share its answer, the noun rules are found through an index
of their first tests instead of being tried one by one, and a cue only some answers need (is the
figure an example?) is searched when one does. The patterns are compiled to open with a word
where the YAML opens them with \\b (see `_word_first`): the regex engine then skips ahead to the
word instead of trying the pattern at every position of every slot.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from extractors.lexicon import fold, load_indicators
from extractors.lowered import lower_in_place

_SLOTS = ("noun", "before", "after", "clause", "sentence", "paragraph", "prefix", "article")
_CACHED_SLOTS = frozenset({"sentence", "paragraph", "article"})   # shared by a sentence's figures


def _compile(pattern: str, raw: bool = False) -> re.Pattern:
    # Patterns match folded, lower-cased text (see `folded`): plain ASCII letters let the regex
    # engine scan for literals instead of testing a class of accented variants at every position.
    return re.compile(_word_first(pattern if raw else _lower_pattern(fold(pattern))))


def _word_first(pattern: str) -> str:
    """The same regex, with its alternatives that open with `\\b` and a word opening with the
    word: "\\bnhu\\b" -> "nhu(?<!\\w.{3})\\b". The engine skips ahead to a literal prefix, or to
    the first letters of an alternation, only when every alternative opens with one; \\b before a
    letter holds exactly when no word character precedes it, which the lookbehind asks after the
    word. "\\b(?:a|b)rest" is first spread into "\\barest|\\bbrest" (tried in the same order), and
    lookbehinds before the \\b move behind the word too, reaching back over it."""
    if _INLINE_FLAGS.search(pattern):
        return pattern        # verbose or case-blind: not the syntax `_syntax` reads
    return "|".join(opened for alternative in _alternatives(pattern) for opened in _opened(alternative))


def _opened(alternative: str) -> list[str]:
    behind = _LOOKBEHINDS.match(alternative).group()   # assertions at one place commute
    body = alternative[len(behind):]
    if body.startswith("\\b(?:"):
        end = _group_end(body, 2)
        if end is not None and body[end + 1:end + 2] not in ("?", "*", "+", "{"):
            rest = body[end + 1:]
            return [out for inner in _alternatives(body[5:end]) for out in _opened(f"{behind}\\b{inner}{rest}")]
    word = _OPENING_WORD.match(body)
    if word is None:
        return [alternative]
    k = len(word.group(1))
    moved = "".join(f"(?<{m[1]}(?:{m[2]}).{{{k}}})" for m in _LOOKBEHIND.finditer(behind))
    return [f"{word.group(1)}(?<!\\w.{{{k}}}){moved}{body[2 + k:]}"]


# \b, then letters or digits (literal in a regex), the last left out when a quantifier follows it
_OPENING_WORD = re.compile(r"\\b([^\W_]+)(?![?*+{])")
# a lookbehind with no group inside, and a run of them
_LOOKBEHIND = re.compile(r"\(\?<([!=])((?:[^()\\]|\\.)*)\)")
_LOOKBEHINDS = re.compile(f"(?:{_LOOKBEHIND.pattern})*")
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]")      # (an escaped "(" too: then nothing is rewritten)


def _syntax(pattern: str):
    """(offset, character, depth) of each character of a regex outside escapes and classes; a
    parenthesis has the depth of the text around its group."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += pattern.startswith("^", i + 1)
            i += pattern.startswith("]", i + 1)       # a "]" first in a class is a literal
        else:
            depth -= c == ")"
            yield i, c, depth
            depth += c == "("
        i += 1


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex (split at `|` outside groups and classes)."""
    cuts = [i for i, c, depth in _syntax(pattern) if c == "|" and depth == 0]
    return [pattern[a + 1:b] for a, b in zip([-1] + cuts, cuts + [len(pattern)])]


def _group_end(pattern: str, start: int) -> int | None:
    """The offset of the ")" that closes the group opened at `start` (at depth 0)."""
    for i, c, depth in _syntax(pattern):
        if i > start and c == ")" and depth == 0:
            return i
    return None


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
    match: tuple   # of rules, each a tuple of slot tests (see _test)
    exclude: tuple
    keep_examples: bool
    meta: dict = field(compare=False, hash=False)
    noun_rules: tuple = field(default=(), compare=False, hash=False)
    other_rules: tuple = field(default=(), compare=False, hash=False)


def _rules(entries) -> tuple:
    """Each rule as a tuple of tests (see `_test`), in slot order."""
    out = []
    for entry in entries or []:
        rule = []
        for key, pattern in entry.items():
            slot, raw = (key[:-4], True) if key.endswith("_raw") else (key, False)
            if slot in _SLOTS:
                rule.append((slot, raw, _compile(pattern, raw)))
        rule.sort(key=lambda r: _SLOTS.index(r[0]))
        out.append(tuple(_test(*r) for r in rule))
    return tuple(out)


def _test(slot: str, raw: bool, rx: re.Pattern) -> tuple:
    """One slot test, ready to run: ((slot, raw) — the key of the slot's text in a figure's memo,
    the cache key of a slot its sentence's figures share or None, the bound match/search, rx)."""
    run = rx.match if slot == "noun" else rx.search   # a noun pattern reads the noun's start
    return (slot, raw), (id(rx) if slot in _CACHED_SLOTS else None), run, rx


def _load():
    data = load_indicators()
    catalogue = []
    for item in data["indicators"]:
        meta = {k: v for k, v in item.items() if k not in ("match", "exclude", "keep_examples")}
        match = _rules(item.get("match"))
        catalogue.append(Indicator(item["id"], frozenset(item["kinds"]), match,
                                   _rules(item.get("exclude")), bool(item.get("keep_examples")), meta,
                                   tuple(r for r in match if r and r[0][0][0] == "noun"),
                                   tuple(r for r in match if not r or r[0][0][0] != "noun")))
    g = data.get("rules", {})
    never = r"(?!)"
    rules = {key: _compile(g.get(key, never)) for key in (
        "denominator_before", "subset_before", "part_before", "regional_rank_before", "regional_rank_after",
        "threshold_before", "threshold_after_count", "no_noun_after", "respectively_before",
        "list_joint")}
    rules["unit_between"] = _compile(g.get("unit_between_raw", never), raw=True)
    rules["list_item"] = _compile(g.get("list_item_raw", never), raw=True)
    # One alternation instead of a search per pattern: only whether any matches is asked. (No
    # group around each: `|` binds loosest, and bare alternatives keep their words first.)
    rules["exclude_before"] = _compile("|".join(g.get("exclude_before", [])) or never)
    for key in ("level_after_change", "bare_level_before"):
        rules[key] = _compile(g.get(key, never))
    rules["level_only_kinds"] = frozenset(g.get("level_only_kinds", []))
    rules["change_continues_kinds"] = {k: frozenset(v) for k, v in (g.get("change_continues_kinds") or {}).items()}
    rules["target_gate"] = tuple(fold(w).lower() for w in g.get("target_gate", []))
    rules["target_cues"] = tuple(_for_lowered(g.get(key, [])) for key in (
        "target_before", "target_not", "target_outcome_between"))
    return tuple(catalogue), rules


def _for_lowered(patterns) -> re.Pattern:
    """An alternation for lower-cased text as written, opening with its words (see `_word_first`).
    Not folded: folded, "đặt mục tiêu" (set a target) is "đạt mục tiêu" (reached it)."""
    patterns = [patterns] if isinstance(patterns, str) else patterns
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(_word_first(_lower_pattern(p)) for p in patterns))


CATALOGUE, _GLOBAL = _load()
_DENOMINATOR_BEFORE = _GLOBAL["denominator_before"]
_THRESHOLD_BEFORE = _GLOBAL["threshold_before"]
_REGIONAL_RANK_BEFORE = _GLOBAL["regional_rank_before"]
_REGIONAL_RANK_AFTER = _GLOBAL["regional_rank_after"]
_THRESHOLD_AFTER_COUNT = _GLOBAL["threshold_after_count"]
_UNIT_BETWEEN = _GLOBAL["unit_between"]
_NO_NOUN_AFTER = _GLOBAL["no_noun_after"]
_EXCLUDE_BEFORE = _GLOBAL["exclude_before"]
_LEVEL_ONLY_KINDS = _GLOBAL["level_only_kinds"]
_TARGET_SET, _TARGET_NOT, _TARGET_OUTCOME = _GLOBAL["target_cues"]
_TARGET_GATE = _GLOBAL["target_gate"]
_LIST_ITEM = _GLOBAL["list_item"]
_RESPECTIVELY_BEFORE = _GLOBAL["respectively_before"]
_LIST_JOINT = _GLOBAL["list_joint"]
_CHANGE_CONTINUES_KINDS = _GLOBAL["change_continues_kinds"]
IDS = frozenset(i.id for i in CATALOGUE)
# id -> the noun tests of its rules: what a figure of the measure counts (see _counts_units_of)
_NOUN_TESTS = {i.id: tuple(r[0] for r in i.noun_rules) for i in CATALOGUE}
_BY_KIND = {kind: tuple(i for i in CATALOGUE if kind in i.kinds) for kind in
            ("count", "percent", "money", "ratio", "rank", "multiple")}


def _gate(rule_sets) -> tuple | None:
    """Rules of one test each, one per slot, that match where the first test of any of these
    rules matches: a rule can only match when its first slot does, so a figure none of them fits
    skips the loop over the catalogue (most figures fit no indicator). None when some rule is
    empty (it always matches)."""
    firsts: dict = {}     # slot key -> {pattern: the first rule test with it}
    for rules in rule_sets:
        for rule in rules:
            if not rule:
                return None
            firsts.setdefault(rule[0][0], {}).setdefault(rule[0][3].pattern, rule[0])
    gate = []
    for (slot, raw), tests in firsts.items():
        if len(tests) == 1:
            # One pattern: its rule's own test, so a shared slot's answer is cached under the
            # key the rule asks with, and the rule after the gate does not search again.
            gate.append(tuple(tests.values()))
        else:
            gate.append((_test(slot, raw, re.compile("|".join(tests))),))   # see exclude_before
    return tuple(gate)


def _pass(kind: str, noun_pass: bool) -> tuple:
    """(gate, ((indicator, its rules of this pass), …)): indicators with no rule for a pass can
    never match in it, so they are left out of its loop."""
    inds = _BY_KIND[kind]
    rules = [i.noun_rules if noun_pass else i.other_rules for i in inds]
    return _gate(rules), tuple((i, r) for i, r in zip(inds, rules) if r)


class _Firsts:
    """Which of the patterns that open the rules of one pass match a figure's slot, found with
    one anchored match per hit instead of one per pattern. An alternation reports the first of
    its alternatives that matches at the start (each ends with an empty named group, the last to
    close, so `lastindex` names it); matching the alternation of the patterns after that one
    finds the next. Most figures' nouns open one rule or none, so a handful of matches replaces
    a test of every rule of the catalogue. Used for the noun pass, whose rules all open with an
    anchored noun test."""

    def __init__(self, tests: list):
        self.key = tests[0][0]
        self.patterns = [t[3].pattern for t in tests]
        self._chains: list = [None] * len(self.patterns)   # compiled on first use
        self.plans: dict = {}      # hits -> its `_plan`, filled by `_indexed_noun_pass`

    def chain(self, k: int) -> tuple:
        """The alternation of the patterns from the k-th on, and the pattern each group ends."""
        chain = self._chains[k]
        if chain is None:
            # A match starts where "^" holds, so the alternatives drop it: one that opens with
            # a letter is then skipped by the engine at the noun's first letter unless it fits.
            rx = re.compile("|".join(f"(?:{_unanchored(p)})(?P<p{j}>)"
                                     for j, p in enumerate(self.patterns) if j >= k))
            ends = [0] * (rx.groups + 1)
            for name, group in rx.groupindex.items():
                ends[group] = int(name[1:])
            chain = self._chains[k] = (rx.match, ends)
        return chain

    def hits(self, text: str) -> int:
        """A bit mask: bit j is set when pattern j matches at the start of `text`."""
        hits, k, n = 0, 0, len(self.patterns)
        while k < n:
            match, ends = self._chains[k] or self.chain(k)
            m = match(text)
            if m is None:
                break
            j = ends[m.lastindex]
            hits |= 1 << j
            k = j + 1
        return hits


def _unanchored(pattern: str) -> str:
    if _INLINE_FLAGS.search(pattern):
        return pattern        # see _word_first
    return "|".join(a[1:] if a.startswith("^") else a for a in _alternatives(pattern))


def _noun_pass(kind: str) -> tuple | None:
    """The noun pass of `kind` over an index of its rules' first tests: (firsts, ((indicator, the
    bits of its rules' first tests, ((bit of a rule's first test, the rule's other tests), …)), …)),
    or None when its rules open with tests one index cannot hold (a raw noun slot next to a
    folded one): then the gated loop of `_pass` runs."""
    candidates = _pass(kind, True)[1]
    firsts: list = []
    index: dict = {}       # (slot key, pattern) -> its place in `firsts`: one test per pattern
    for _, rules in candidates:
        for rule in rules:
            key, _, _, rx = rule[0]
            if (key, rx.pattern) not in index:
                index[key, rx.pattern] = len(firsts)
                firsts.append(rule[0])
    if not firsts or len({t[0] for t in firsts}) != 1:
        return None
    out = []
    for ind, rules in candidates:
        bits = tuple((1 << index[rule[0][0], rule[0][3].pattern], rule[1:]) for rule in rules)
        mask = 0
        for bit, _ in bits:
            mask |= bit
        out.append((ind, mask, bits))
    return _Firsts(firsts), tuple(out)


# kind -> the (gate, candidates) of the noun pass, then of the other pass, of _own
_PASSES = {kind: (_pass(kind, True), _pass(kind, False)) for kind in _BY_KIND}
# kind -> the indexed noun pass (see _Firsts), when it can be indexed
_NOUN_PASSES = {kind: _noun_pass(kind) for kind in _BY_KIND}


def _kind_passes(kind: str) -> tuple:
    """(the indexed noun pass or None, the gated passes left to run): what `_own` loops over for
    a kind, without the passes that have no candidates (a count has no rule outside its nouns)."""
    indexed = _NOUN_PASSES[kind]
    gated = _PASSES[kind][1:] if indexed is not None else _PASSES[kind]
    return indexed, tuple(p for p in gated if p[1])


_KIND_PASSES = {kind: _kind_passes(kind) for kind in _BY_KIND}


class Sentence:
    """The slots every figure of one sentence shares (sentence, paragraph, article), read from
    offsets into the text and its fold: each is sliced once, on the first rule that reads it, and
    the same string object then serves every figure (its hash, the cache key, is computed once).
    `folded_text` is None when folding changed the text's length (offsets would not carry over):
    then each slot is folded on its own, as a Context given `texts` does."""

    __slots__ = ("text", "folded_text", "spans", "start", "article", "folded_article", "_memo")

    def __init__(self, text: str, folded_text: str | None, sentence: tuple, paragraph: tuple,
                 article: str, folded_article: str | None):
        self.text, self.folded_text = text, folded_text
        self.spans = {"sentence": sentence, "paragraph": paragraph}
        self.start = sentence[0]
        self.article, self.folded_article = article, folded_article
        self._memo: dict = {}

    def slot(self, key: tuple) -> str:
        text = self._memo.get(key)
        if text is None:
            text = self._memo[key] = self._slice(*key)
        return text

    def _slice(self, name: str, raw: bool) -> str:
        if name == "article":
            if raw:
                return self.article
            return self.folded_article if self.folded_article is not None else folded(self.article)
        return cut(self.text, self.folded_text, self.spans[name], raw)


def cut(text: str, folded_text: str | None, span: tuple, raw: bool) -> str:
    """text[a:b] as written, or as `folded()` reads it (sliced from the folded text when given)."""
    a, b = span
    if raw:
        return text[a:b]
    return folded_text[a:b] if folded_text is not None else folded(text[a:b])


class Context:
    """The text around one figure, as the YAML slots name it: `texts` maps slot names (before,
    after, sentence, paragraph, prefix, article) to the text as written. Or, instead of `texts`,
    `sentence` (the shared slots) and `spans` (before, after and prefix as offsets into the
    sentence's text): then only the slots a rule reads are ever sliced. (A class with slots, not
    a dataclass: one is built per figure, mostly by `in_sentence`, and every rule reads it.)"""

    __slots__ = ("kind", "change", "average", "qualifier", "texts", "lead", "end", "sentence_start",
                 "indicator", "folded", "sentence", "spans", "memo", "example", "left", "right")

    def __init__(self, kind: str, change: bool, average: bool, qualifier: str, texts: dict | None = None,
                 lead: int = 0, end: int = 0, sentence_start: int = 0, indicator: str | None = None,
                 folded: dict | None = None, sentence: Sentence | None = None, spans: dict | None = None):
        self.kind, self.change, self.average, self.qualifier = kind, change, average, qualifier
        self.texts = texts
        self.lead, self.end, self.sentence_start = lead, end, sentence_start   # offsets in the text
        self.indicator = indicator
        self.folded = folded         # the same slots as `folded()` text; computed when not given
        self.sentence, self.spans = sentence, spans
        self.left = self.right = 0   # the clause around the figure, when `in_sentence` made it
        # (slot, raw) -> its text: every catalogue rule asks for slots, each is built once per figure
        self.memo: dict = {}
        self.example: bool | None = None     # see _is_example
        if sentence is not None and sentence.folded_text is not None:
            # Every figure reads its folded before slot (the global rules) and most read their
            # noun (the noun pass): sliced here in one go, they skip the lazy path's calls.
            text = sentence.folded_text
            if "before" in spans:
                self.memo[_BEFORE] = text[spans["before"][0]:spans["before"][1]]
            if "after" in spans:
                after = self.memo[_AFTER] = text[spans["after"][0]:spans["after"][1]]
                self.memo[_NOUN] = after.lstrip()

    def __repr__(self) -> str:
        return f"Context({self.kind!r}, change={self.change!r}, lead={self.lead}, indicator={self.indicator!r})"

    def as_level(self) -> Context:
        """The same figure read as a level: not a change, exact (see `_inherited`)."""
        other = copy.copy(self)
        other.change, other.qualifier, other.memo, other.example = False, "exact", dict(self.memo), None
        return other

    @property
    def before(self) -> str:
        return self.text_of(_BEFORE)

    def slot(self, name: str, raw: bool = False) -> str:
        return self.text_of((name, raw))

    def text_of(self, key: tuple) -> str:
        text = self.memo.get(key)
        if text is None:
            text = self.memo[key] = self._slot(*key)
        return text

    def _slot(self, name: str, raw: bool) -> str:
        if name == "noun":
            return self.text_of(("after", raw)).lstrip()
        if name == "clause":
            return self.text_of(("before", raw)) + " \u2016 " + self.text_of(("after", raw))
        shared = self.sentence
        if shared is None:
            if raw:
                return self.texts[name]
            if self.folded is None:
                self.folded = {k: folded(v) for k, v in self.texts.items()}
            return self.folded[name]
        span = self._span(name)
        if span is None:
            return shared.slot((name, raw))
        # Sliced here rather than through `cut`: every figure reads its before and noun slots.
        if raw:
            return shared.text[span[0]:span[1]]
        if shared.folded_text is None:
            return folded(shared.text[span[0]:span[1]])
        return shared.folded_text[span[0]:span[1]]

    def _span(self, name: str) -> tuple | None:
        if self.spans is not None:
            return self.spans.get(name)
        if name == "before":
            return self.left, self.lead
        if name == "after":
            return self.end, self.right
        return (self.sentence_start, self.lead) if name == "prefix" else None


_new_context = object.__new__


def in_sentence(sentence: Sentence, kind: str, change: bool, average: bool, qualifier: str,
                lead: int, end: int, left: int, right: int) -> Context:
    """The Context of a figure at text[lead:end] whose clause is text[left:right] in `sentence`:
    its before slot text[left:lead], its after slot text[end:right], its prefix from the
    sentence's start to `lead`. Built attribute by attribute, without `__init__`'s keywords and
    spans dict: a sentence-heavy article makes some forty a call of `extract()`."""
    ctx = _new_context(Context)
    ctx.kind, ctx.change, ctx.average, ctx.qualifier = kind, change, average, qualifier
    ctx.lead, ctx.end, ctx.left, ctx.right = lead, end, left, right
    ctx.sentence_start = sentence.start
    ctx.sentence = sentence
    ctx.texts = ctx.indicator = ctx.folded = ctx.spans = ctx.example = None
    text = sentence.folded_text
    if text is None:
        ctx.memo = {}
    else:
        after = text[end:right]     # (as in __init__: slots every figure reads)
        ctx.memo = {_BEFORE: text[left:lead], _AFTER: after, _NOUN: after.lstrip()}
    return ctx


_BEFORE = ("before", False)       # the key of the folded `before` slot, read by every global rule
_AFTER, _NOUN = ("after", False), ("noun", False)


def _matches(rule: tuple, ctx: Context, cache: dict) -> bool:
    memo = ctx.memo
    for key, shared, run, _ in rule:
        text = memo.get(key)
        if text is None:
            text = ctx.text_of(key)
        if shared is not None:
            # A slot the sentence's figures share: its answer is the same for all of them.
            hit = cache.get((shared, text))
            if hit is None:
                hit = cache[shared, text] = run(text) is not None
        elif run(text) is None:
            return False
        else:
            continue
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


def _own(ctx: Context, cache: dict, targets: bool = True) -> tuple[str | None, bool]:
    """(indicator, vetoed): vetoed when a global rule says the figure is not any indicator's
    value (a denominator, a target, a threshold, a regional rank, a change of a rate). A figure given as an
    example is vetoed too, but `assign` asks that only of a figure that would inherit. `targets`
    False leaves out the target veto: `assign` asks it last, only of a figure that got an
    indicator (a veto gives no indicator and no inheritance, so asking it last ends the same)."""
    before = ctx.text_of(_BEFORE)
    if _DENOMINATOR_BEFORE.search(before) or (targets and _is_target(ctx)):
        return None, True
    kind = ctx.kind
    if ctx.change and kind in _LEVEL_ONLY_KINDS:
        return None, True
    if ctx.qualifier in ("at_least", "at_most") and _THRESHOLD_BEFORE.search(before):
        return None, True
    regional = kind == "rank" and (_REGIONAL_RANK_BEFORE.search(before) is not None
                                   or _REGIONAL_RANK_AFTER.match(ctx.text_of(_AFTER)) is not None)
    # Two passes: what the figure counts (its noun) outranks cue words in its clause, which may
    # belong to the figure before it ("… 40% hồ sơ nộp trực tuyến và chưa đến 20% kết quả …").
    indexed, passes = _KIND_PASSES.get(kind, (None, ()))
    if indexed is not None:
        found = _indexed_noun_pass(indexed, ctx, cache, regional)
        if found is not None:
            return found, False
    for gate, candidates in passes:
        if gate is not None and not _any_matches(gate, ctx, cache):
            continue
        for ind, rules in candidates:
            if (regional and ind.id == "egdi_rank") or (not ind.keep_examples and _is_example(ctx)):
                continue
            if _any_matches(rules, ctx, cache) and not _any_matches(ind.exclude, ctx, cache):
                return ind.id, False
    return None, regional


def _is_target(ctx: Context) -> bool:
    """Whether a target cue governs the figure: the last cue before it in its sentence sets a
    target (not "đạt mục tiêu") and no outcome is reported between them (see the YAML's
    target_before). The cues of a sentence are found once, for all its figures."""
    shared = ctx.sentence
    if shared is None:
        read = _cues(ctx.slot("prefix", raw=True)) if _may_cue(ctx.slot("prefix")) else None
        at = len(ctx.slot("prefix", raw=True))
    else:
        read = shared._memo.get(_TARGETS, _UNREAD)
        if read is _UNREAD:
            read = shared._memo[_TARGETS] = _cues(shared.slot(_SENTENCE)) \
                if _may_cue(shared.slot(_FOLDED_SENTENCE)) else None
        at = ctx.lead - shared.start
        if read is None or not governs(read, at):
            lead_in = shared._memo.get(_LEAD_IN, _UNREAD)
            if lead_in is _UNREAD:
                lead_in = shared._memo[_LEAD_IN] = _lead_in_target(shared)
            return lead_in
    return read is not None and governs(read, at)     # None: no cue word in the sentence (most)


def _lead_in_target(shared: "Sentence") -> bool:
    """Whether the sentence is in a numbered or bulleted item (the YAML's list_item_raw) listed
    under a lead-in line that sets targets and ends with ":" — over the items before it:
    "…đề nghị các sở, ngành tập trung thực hiện:\n\n1. …;\n\n2. Bảo đảm 100% hồ sơ …"."""
    text = shared.text
    start = shared.spans["paragraph"][0]
    if not _LIST_ITEM.match(text, start):
        return False                    # not an item: most sentences stop at this one match
    end = start
    while True:
        while end and text[end - 1].isspace():
            end -= 1
        if not end:
            return False
        line_start = text.rfind("\n", 0, end) + 1
        if not _LIST_ITEM.match(text, line_start):
            break
        end = line_start
    if text[end - 1] != ":":
        return False
    line = text[line_start:end]
    if not _may_cue(folded(line).lower()):
        return False
    read = _cues(line)
    return read is not None and governs(read, len(line))


def governs(read: tuple, at: int, outcome: re.Pattern = _TARGET_OUTCOME) -> bool:
    """Whether the cues of a `_cues` reading make a figure at `at` a target: the last cue ending
    before it sets one, and no outcome (`outcome`, the YAML's target_outcome_between) lies between."""
    text, spans = read
    last = None
    for span in spans:
        if span[1] > at:
            break
        last = span
    return last is not None and last[2] and outcome.search(text, last[1], at) is None


def _may_cue(folded_text: str) -> bool:
    """Whether a folded text holds a word every target cue contains: the cue search runs only
    on the few sentences that do."""
    for word in _TARGET_GATE:
        if word in folded_text:
            return True
    return False


def _cues(text: str) -> tuple | None:
    """(the text searched, lower-cased, ((start, end, sets a target?), …) in order): the cues
    that set a target, less those inside a cue that reports on one ("đạt mục tiêu"). None when no
    cue sets a target: then no figure of the text is a target (`_is_target` answers True only
    after a span that sets one), so the cues that report are not looked for. The copy keeps the
    text's offsets even with an "İ" in it, so an "İ" changes nothing else in the reading (a case-
    blind fallback for it read "ı" as "i", which the lower-cased copy does not)."""
    text = lower_in_place(text)
    sets = [m.span() for m in _TARGET_SET.finditer(text)]
    if not sets:
        return None           # a gate word without a cue ("phải", "kế hoạch"): most gated sentences
    nots = [m.span() for m in _TARGET_NOT.finditer(text)]
    spans = [(a, b, not any(c <= a < d for c, d in nots)) for a, b in sets]
    spans += [(a, b, False) for a, b in nots]
    spans.sort(key=lambda span: (span[1], span[2]))
    return text, tuple(spans)


_UNREAD = object()
_SENTENCE, _FOLDED_SENTENCE = ("sentence", True), ("sentence", False)
_TARGETS = "target cues"      # a Sentence's memo entry: its `_cues`, or None
_LEAD_IN = "lead-in targets"  # a Sentence's memo entry: its `_lead_in_target`


def _is_example(ctx: Context) -> bool:
    """Whether the figure is an item of a list of examples ("như …"): searched only when an
    answer needs it (most figures fit no indicator and inherit none, so most never are)."""
    if ctx.example is None:
        ctx.example = _EXCLUDE_BEFORE.search(ctx.before) is not None
    return ctx.example


def _indexed_noun_pass(indexed: tuple, ctx: Context, cache: dict, regional: bool) -> str | None:
    """The noun pass of `_own` over the index of its rules' first tests (see _Firsts)."""
    firsts, candidates = indexed
    hits = firsts.hits(ctx.text_of(firsts.key))
    if not hits:
        return None           # no rule of the pass opens with a noun this one has
    plan = firsts.plans.get(hits)
    if plan is None:
        plan = _plan(candidates, hits)
        if len(firsts.plans) < _PLANS_KEPT:
            firsts.plans[hits] = plan
    for ind, rests in plan:
        if (regional and ind.id == "egdi_rank") or (not ind.keep_examples and _is_example(ctx)):
            continue
        for rest in rests:
            if _matches(rest, ctx, cache):
                if not _any_matches(ind.exclude, ctx, cache):
                    return ind.id
                break
    return None


_PLANS_KEPT = 4096    # distinct sets of hits remembered per pass (a catalogue's nouns give a few dozen)


def _plan(candidates: tuple, hits: int) -> tuple:
    """The candidates of an indexed noun pass that have a rule opening with a test among `hits`,
    in catalogue order, each with the other tests of just those rules: the loop a noun's hits
    leave, worked out once per set of hits instead of masking every candidate of every figure."""
    plan = []
    for ind, mask, rules in candidates:
        if hits & mask:
            plan.append((ind, tuple(rest for bit, rest in rules if hits & bit)))
    return tuple(plan)


def assign(contexts: list[Context], cache: dict | None = None, has_place=None,
           carried: dict | None = None) -> list[str | None]:
    """Indicators for the figures of one sentence, in order.

    Beyond each figure's own phrases: an average is never an indicator; a count that is a change
    with no phrase of its own ("tăng 17,2 triệu tài khoản so với …") continues the last level
    figure of its kind in the sentence; a part in "(riêng …)" continues the figure just before
    it; so does a figure for another place in an elliptical list ("Quảng Ninh … 99,1% hồ sơ …
    nộp trực tuyến; Bắc Giang đạt 87,6%"), or for another tier or named district ("cấp tỉnh đạt
    89,2%, cấp huyện đạt 71,5%"); a noun left bare continues the measure whose noun it shortens,
    in the sentence, its paragraph or the paragraph before ("… giao dịch thanh toán trực tuyến.
    Quý I ghi nhận 98.430 giao dịch;"); a subset "(trong đó …)" of a figure is not that figure's
    indicator, nor is a bounded rate right after a count of units ("35/38 xã đạt tỷ lệ … trên
    50%"). `has_place(a, b)` tells whether a place is named between two offsets. `cache` is one
    dict for the calls of a text's sentences, made in reading order (see _LEVELS).
    """
    cache = {} if cache is None else cache
    out: list[str | None] = []
    for i, ctx in enumerate(contexts):
        ind, vetoed = (None, True) if ctx.average else _own(ctx, cache, False)
        prev = contexts[i - 1] if i else None
        if ind and prev and prev.indicator == ind and _GLOBAL["subset_before"].search(ctx.before):
            ind, vetoed = None, True
        if ind and prev and _sorts_units(ctx, prev):
            ind, vetoed = None, True
        if ind is None and not vetoed:
            ind = _inherited(contexts, i, has_place, cache, carried or {})
            if ind is not None and _is_example(ctx):
                ind = None    # an example's figure is no indicator's value, inherited or its own
        if ind is not None and _is_target(ctx):
            ind = None        # _own's target veto, asked last: most figures fit no indicator
        ctx.indicator = ind
        out.append(ind)
    levels = cache.get(_LEVELS)
    if levels is None:
        levels = cache[_LEVELS] = {}
    for ctx in contexts:
        if not ctx.change:
            levels[ctx.kind] = ctx
    return out


# The cache's entry for the last level figure of each kind read so far: `extract` gives one cache
# to the calls for every sentence of a text, in reading order, so a figure can continue a measure
# stated in the paragraph before its own (a lead, then its breakdown).
_LEVELS = "levels read"


def _sorts_units(ctx: Context, prev: Context) -> bool:
    """A bounded rate right after a count of units ("35/38 đơn vị cấp xã đạt tỷ lệ … trên 50%"):
    a threshold that sorts them, not a value of the rate."""
    return ctx.qualifier in ("at_least", "at_most") and prev.kind in ("count", "ratio") \
        and (ctx.sentence is None or ctx.left == prev.end) and _THRESHOLD_AFTER_COUNT.search(ctx.before) is not None


def _inherited(contexts: list[Context], i: int, has_place, cache: dict, carried: dict) -> str | None:
    ctx = contexts[i]
    prev = contexts[i - 1] if i else None
    if prev is not None and prev.change and not ctx.change and prev.kind == ctx.kind \
            and _GLOBAL["level_after_change"].search(ctx.before):
        # "tỷ lệ … tăng 8,2%, đạt 45,6%": the level carries the measure its change was vetoed for.
        return _own(prev.as_level(), cache)[0]
    if ctx.change:
        if ctx.kind in _LEVEL_ONLY_KINDS:
            return None
        also = _CHANGE_CONTINUES_KINDS.get(ctx.kind, ())
        for prev in reversed(contexts[:i]):
            if prev.change:
                continue
            if prev.kind == ctx.kind:
                return prev.indicator
            # "59/63 tỉnh đã vận hành IOC, tăng 6 địa phương so với …": a count change of the units
            # a ratio counts continues the ratio's measure, when the measure counts that noun.
            if prev.kind in also and prev.indicator and _counts_units_of(ctx, prev.indicator, cache):
                return prev.indicator
        return None
    if i and contexts[i - 1].kind == ctx.kind and _GLOBAL["part_before"].search(ctx.before):
        return contexts[i - 1].indicator
    for prev in reversed(contexts[:i]):
        if prev.kind == ctx.kind and not prev.change:
            # (A previous figure with no indicator leaves none to continue — unless it is a
            # threshold, whose measure the places listed after it give their values of.)
            measure = prev.indicator
            if measure and (_shortened(ctx, prev) or _respectively(contexts, i)):
                return measure
            if (measure or prev.qualifier in _BOUNDED) and _unit_between(ctx, prev, has_place) \
                    and _elliptic(ctx, prev):
                return measure or _threshold_measure(prev, cache)
            return None
    # "… 684.215 giao dịch thanh toán trực tuyến …. Quý I ghi nhận 98.430 giao dịch;": a noun left
    # bare continues the measure of the last figure of its kind, in its paragraph or the one before.
    last = cache.get(_LEVELS, {}).get(ctx.kind)     # the last level figure of its kind read before
    if last is not None and last.indicator and _within_reach(last, ctx) and _shortened(ctx, last):
        return last.indicator       # (a level with no indicator, most of them, leaves nothing to continue)
    # First of its kind in the sentence: "… của Đà Nẵng đạt 72,5%. Quảng Ninh đạt 81,2%, …" —
    # a place then the bare figure continues the previous sentence's measure.
    prev = carried.get(ctx.kind)
    if prev is not None and prev.indicator and has_place and not ctx.slot("noun")[:1].isalpha() \
            and has_place(ctx.sentence_start, ctx.lead) and _GLOBAL["bare_level_before"].search(ctx.before):
        return prev.indicator
    return None


def _counts_units_of(ctx: Context, indicator: str, cache: dict) -> bool:
    """Whether the figure's noun is one the measure's noun rules count ("6 địa phương" for the
    localities with an IOC)."""
    return any(_matches((test,), ctx, cache) for test in _NOUN_TESTS[indicator])


def _threshold_measure(prev: Context, cache: dict) -> str | None:
    """The measure a threshold that was vetoed sorts units by ("12 địa phương đạt tỷ lệ hồ sơ trực
    tuyến trên 70%, dẫn đầu là Quảng Ninh (91,4%), …"): the figure's own indicator read as a level."""
    if prev.qualifier not in _BOUNDED or prev.average:
        return None
    return _own(prev.as_level(), cache)[0]


_BOUNDED = ("at_least", "at_most")    # the qualifiers of a threshold


def _respectively(contexts: list[Context], i: int) -> bool:
    """Whether the figure follows the previous one in a list of values given "lần lượt" (respectively)
    for units named before it ("… mới đạt lần lượt 38% và 41%"): only a joint between each pair,
    the cue before the first."""
    kind = contexts[i].kind
    while i and contexts[i - 1].kind == kind and _LIST_JOINT.match(contexts[i].before):
        i -= 1
        if _RESPECTIVELY_BEFORE.search(contexts[i].before):
            return True
    return False


def _unit_between(ctx: Context, prev: Context, has_place) -> bool:
    """Whether a place, a tier or a named district is named between the two figures."""
    if has_place and has_place(prev.end, ctx.lead):
        return True
    return ctx.sentence is not None and _UNIT_BETWEEN.search(ctx.sentence.text, prev.end, ctx.lead) is not None


def _shortened(ctx: Context, prev: Context) -> bool:
    """Whether the figure's noun is the head of the previous figure's, left bare (nothing after it
    but the clause's end): "98.430 giao dịch;" after "684.215 giao dịch thanh toán trực tuyến",
    "nâng tổng số … lên 78,95 triệu hồ sơ." after "9,1 triệu hồ sơ định danh". Not a subset
    ("trong đó 20 hồ sơ.")."""
    noun = _BARE_NOUN_RE.match(ctx.slot("noun"))
    if noun is None:
        return False
    head = noun.group(1)
    previous = prev.slot("noun")
    return previous.startswith(head) and not previous[len(head):len(head) + 1].isalnum() \
        and _GLOBAL["subset_before"].search(ctx.before) is None


# one to three words, then the clause's end (the noun slot is folded: plain letters)
_BARE_NOUN_RE = re.compile(r"([a-z]+(?:\s+[a-z]+){0,2})\s*(?:[,.;:)]|$)")


def _within_reach(last: Context, ctx: Context) -> bool:
    """Whether `last`, a level figure read before this sentence (see _LEVELS), is in the same
    paragraph or the one right before it."""
    if last.sentence is None or ctx.sentence is None:
        return False
    (a, b), (c, d) = last.sentence.spans["paragraph"], ctx.sentence.spans["paragraph"]
    if (a, b) == (c, d):
        return True
    return b <= c and not ctx.sentence.text[b:c].strip()


def _elliptic(ctx: Context, prev: Context) -> bool:
    # The figure repeats the previous one's noun, shortened or left out: "đạt 87,6%;",
    # "với hơn 2,3 triệu giao dịch" after "2,8 triệu giao dịch thanh toán trực tuyến".
    noun = _NOUN_WORDS_RE.match(ctx.slot("noun"))
    if noun is None or _NO_NOUN_AFTER.match(noun.group()):
        return True
    return prev.slot("noun").lower().startswith(noun.group().lower())


_NOUN_WORDS_RE = re.compile(r"[^\W\d_]+(?:\s+[^\W\d_]+)?")


def catalogue_table() -> list[dict]:
    """The catalogue's descriptive fields (id, name_vi, name_en, unit, kinds, definition)."""
    return [dict(ind.meta) for ind in CATALOGUE]
