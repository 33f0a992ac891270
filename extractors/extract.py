"""Article text -> numeric observations and legal references (the contract in
shared/spec/observations.md; module contracts in docs/architecture.md).

This module only orchestrates: sentences (extractors.sentences), legal symbols (legal), time
expressions (periods), candidate figures (quantities, over the number grammar of numbers),
places (areas) and the indicator catalogue (indicators). It owns the two rules that need the
whole article: parenthesis scoping of time expressions and dedupe of a fact stated twice.
News states about 40 figures per article, several per sentence (issue 3 asks for 1,000 articles
a second), so what a sentence's figures share — its slots for the catalogue, its time
expressions, whether it names a place, the province its "tỉnh" means — is read once per
sentence, and only when asked; what a figure needs is skipped when the sentence shows it
cannot matter (no place, no ";", no time expression in a figure's parentheses).

Offsets: `start`/`end` index into `body` as given (body[start:end] == text) when `body` is NFC,
as the cleaning stage produces it; otherwise they index into its NFC form. Figures found only in
the title have start = end = -1 and `sentence` = the title.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from datetime import date, datetime
from operator import itemgetter

from extractors import areas, indicators, legal, periods, plain, quantities
from extractors.lexicon import load
from extractors.lowered import lowered
from extractors.numbers import as_number
from extractors.sentences import Segmentation
from extractors.subjects import subject
from extractors.tables import observations as table_observations, restated as restated_in_prose

EXTRACTOR_VERSION = "0.5.0"  # 0.5: the second and third held-out rounds; 0.4.1: an "İ" no longer changes how time cues read; 0.4: held-out gold; 0.3: subject

_LEX = load("lexicon")
_URL_RE = re.compile(_LEX["url_like"], re.IGNORECASE)
_AVERAGE_RE = re.compile(_LEX["average_before"], re.IGNORECASE)
_EVENT_AFTER_RE = re.compile(_LEX["event_after_place"], re.IGNORECASE)
_EVENT_BEFORE_RE = re.compile(_LEX["event_place_before"], re.IGNORECASE)
_PLACE_AFTER_RE = re.compile(_LEX["place_after_figure"], re.IGNORECASE)
_ANAPHORA_RE = re.compile(_LEX["province_anaphora"])
_AVERAGE_KINDS = frozenset(_LEX["average_kinds"])
# Cheap tests in front of two regexes that ignore case or open with a lookbehind, which makes the
# engine try them at every position of a span (checked against them on random texts in
# tests/test_extraction_speed_b.py). Every average_before phrase holds one of these words, lower-
# cased; "ı" and "İ" (lower-cased to "i" + U+0307) match "i" case-blind, so they take the regex.
_AVERAGE_GATE_RE = re.compile("trung|bình|mỗi|hằng|hàng|ı|\u0307")
_ANAPHORA_START_RE = re.compile(r"[Tt](?:ỉnh|hành)")         # where a province_anaphora can start
_PAREN_RE = re.compile(r"\([^()\n]*\)")
_WORD_RE = re.compile(r"\w+(?:[.,/]\w+)*%?")
_DEDUPE_MIN_WORDS = 3
_READING = itemgetter("kind", "value", "denominator", "change", "qualifier")   # what dedupe compares
_TITLE_ROUNDING = {k: float(v) for k, v in _LEX["title_rounding"].items()}
_UNREAD = object()     # a memo not filled yet (None is a value it can hold)


def extract(body: str, published: str | date | datetime | None, default_area: str = "Việt Nam",
            title: str | None = None, tables: list | None = None) -> dict:
    """Observations and legal references of one article (see module docstring). `tables` are
    the article's tables as `clean()` returns them (rows of cell strings, header rows first):
    their figures follow the body's, read by extractors.tables."""
    pub = periods.to_date(published)
    body = body or ""
    if not unicodedata.is_normalized("NFC", body):
        body = unicodedata.normalize("NFC", body)
    if plain.looks_plain(body) and (read := plain.respelled(body)) != body:
        # Written without diacritics: read with the words' diacritics given back (extractors.plain).
        title_read = plain.respelled(title) if title and plain.unmarked(title) else title
        result = extract(read, published, default_area, title_read, tables)
        return plain.as_written(result, body, read, title, title_read)
    fallback_area = _fallback_area(default_area, body, title)
    article_text = (title or "") + "\n\n" + body
    observations, refs = _extract_text(body, pub, fallback_area, article_text)
    legal_refs = legal.unique_references(refs)
    if title:
        title = unicodedata.normalize("NFC", title)
        title_obs, title_refs = _extract_text(title, pub, fallback_area, article_text, observations)
        observations = _title_only(title_obs, observations) + observations
        known = {r["symbol"] for r in legal_refs}
        for ref in legal.unique_references(title_refs):
            if ref["symbol"] not in known:
                legal_refs.append({**ref, "start": -1, "end": -1})
    if tables:
        observations += [{**o, "subject": _subject_in_sentence(o)}
                         for o in table_observations(tables, pub, fallback_area, article_text)
                         if not restated_in_prose(o, observations)]
    return {"observations": observations, "legal_refs": legal_refs}


def _extract_text(text: str, pub: date | None, fallback_area: str, article_text: str | None = None,
                  stated: list[dict] | None = None):
    """(observations, legal references) of `text`; for a title, `stated` are the body's
    observations: when the body states every figure of the title, the title gives none."""
    ref_day = pub or date.today()
    seg = Segmentation(text)
    refs = legal.find_references(text)
    legal_spans = [(r.start, r.issued_end) for r in refs]
    exprs = periods.find_time_expressions(text, ref_day, excluded=legal_spans)
    masked = _mask(text, legal_spans + [(e.start, e.end) for e in exprs])

    def sentence_of(offset):
        s = seg.sentence_at(offset)
        return s.start, s.end

    mentions = quantities.find_mentions(text, masked, sentence_of)
    if not mentions:
        return [], refs       # no figure (as in many titles): no place or fold to read around one
    if stated is not None and all(_restated(_reading(m), stated) for m in mentions):
        # A headline mostly restates the body's figures, and `_title_only` drops each one the
        # body states, reading only what a figure itself says: nothing around them is needed.
        return [], refs
    places = areas.PlaceIndex(text, fallback_area)
    figure_parens = _figure_parens(text, mentions)
    article = text if article_text is None else article_text
    folded_text = indicators.folded(text)
    if len(folded_text) != len(text):
        folded_text = None
    folded_article = indicators.folded(article)
    low = lowered(text)       # offsets kept, "İ" too (extractors.lowered)
    as_of = pub.isoformat() if pub else None
    cache: dict = {}
    observations: list[dict] = []
    sentence_starts: list[int] = []
    expr_starts = [e.start for e in exprs]
    carried: dict = {}        # kind -> last level figure of the previous sentences of the paragraph
    paragraph_index = -1
    for sentence, group in _by_sentence(seg, mentions):
        paragraph = seg.paragraph_of(sentence)
        if paragraph.paragraph != paragraph_index:
            carried, paragraph_index = {}, paragraph.paragraph
        shared = indicators.Sentence(text, folded_text, (sentence.start, sentence.end),
                                     (paragraph.start, paragraph.end), article, folded_article)
        # What every figure of the sentence shares, read once: its text, the time expressions
        # that can govern it (those starting inside it), whether it names a place, and the
        # province it means when it says "tỉnh" / "thành phố".
        near = _Sentence(text, sentence, exprs[bisect.bisect_left(expr_starts, sentence.start):
                                               bisect.bisect_left(expr_starts, sentence.end)],
                         places, group)
        contexts = _contexts(text, low, sentence, group, shared, ";" in near.text)
        chosen = indicators.assign(contexts, cache, places.any_between, carried)
        for ctx in contexts:
            if not ctx.change:
                carried[ctx.kind] = ctx
        parens = figure_parens if figure_parens and _any_inside(near.exprs, figure_parens) else None
        for i, (mention, ctx, indicator) in enumerate(zip(group, contexts, chosen)):
            right_end = group[i + 1].lead if i + 1 < len(group) else sentence.end
            observations.append(_observation(text, mention, ctx, indicator, near, parens, places,
                                             as_of, ref_day, fallback_area, right_end))
        sentence_starts += [sentence.start] * len(group)
    observations = _dedupe(observations, sentence_starts)
    if stated is None and len(seg.paragraphs) > 1:
        observations = _without_restating_headings(text, seg, observations)
    return observations, refs


_HEADING_MAX_CHARS = 100
_HEADING_ENDS = (".", ":", ";", "!", "?", "…", ",")
_BULLETS = ("-", "–", "+", "•", "*", "·")


def _heading(text: str, paragraph) -> bool:
    """Whether a paragraph is a subheading: one short line, no sentence end, no list mark."""
    line = text[paragraph.start:paragraph.end].strip()
    return 0 < len(line) <= _HEADING_MAX_CHARS and not line.endswith(_HEADING_ENDS) and \
        not line.startswith(_BULLETS) and line[0].isupper() and ". " not in line


def _without_restating_headings(text: str, seg: Segmentation, observations: list[dict]) -> list[dict]:
    """A subheading restates the paragraph under it ("Hơn 1,1 triệu hồ sơ trực tuyến" over "… hơn
    1,1 triệu hồ sơ nộp trực tuyến …"): one fact stated twice is one observation, the paragraph's
    (the same test as a title's, `_restates`)."""
    paragraph_of = [seg.sentence_at(o["start"]).paragraph for o in observations]
    drop = set()
    for i, (obs, p) in enumerate(zip(observations, paragraph_of)):
        if i and paragraph_of[i - 1] == p or p + 1 >= len(seg.paragraphs):
            continue                      # (a heading's figures are looked at from its first)
        if not _heading(text, seg.paragraphs[p]):
            continue
        under = [o for o, q in zip(observations, paragraph_of) if q == p + 1]
        for j in range(i, len(observations)):
            if paragraph_of[j] != p:
                break
            if _restated(observations[j], under):
                drop.add(j)
    return [o for i, o in enumerate(observations) if i not in drop] if drop else observations


def _by_sentence(seg: Segmentation, mentions) -> list[tuple]:
    """(sentence, its figures) in order of each sentence's first figure. Sentences do not overlap,
    so a figure that starts inside the previous figure's sentence is in it: not looked up again."""
    groups: dict[int, tuple] = {}
    sentence = None
    for mention in mentions:
        if sentence is None or not sentence.start <= mention.start < sentence.end:
            sentence = seg.sentence_at(mention.start)
            group = groups.get(sentence.start)
            if group is None:
                group = groups[sentence.start] = (sentence, [])
        group[1].append(mention)
    return list(groups.values())


def _any_inside(exprs, figure_parens) -> bool:
    """Whether a time expression starts inside a parenthesis that holds a figure: if none does,
    parenthesis scoping accepts every expression and need not be asked."""
    return any(p_start < e.start < p_end for e in exprs for p_start, p_end in figure_parens)


def _says_average(text: str, start: int, end: int, low: str | None = None) -> bool:
    """Whether `average_before` matches in text[start:end] ("trung bình", "mỗi ngày" …). `low`
    is `lowered(text)`, which keeps text's offsets: lower-casing goes character by character (but
    for a final sigma, in no gate word), so its gate reads it in place of a lower-cased slice."""
    if low is not None:
        gate = _AVERAGE_GATE_RE.search(low, start, end)
    else:
        gate = _AVERAGE_GATE_RE.search(text[start:end].lower())
    return gate is not None and _AVERAGE_RE.search(text, start, end) is not None


def _anaphora_starts(text: str, start: int, end: int) -> list[int]:
    """Where in text[start:end] `province_anaphora` matches: tried only where "tỉnh" / "thành"
    starts, instead of at every position (its lookbehinds leave the engine no prefix to scan for),
    and not at all in a sentence with neither "ỉnh" nor "phố" (most of them)."""
    if text.find("ỉnh", start, end) == -1 and text.find("phố", start, end) == -1:
        return []
    return [c.start() for c in _ANAPHORA_START_RE.finditer(text, start, end)
            if _ANAPHORA_RE.match(text, c.start(), end)]


def _anaphors(text: str, start: int, end: int) -> list[int]:
    """Where in text[start:end] "tỉnh" / "thành phố" means the province, but not as one of many
    ("6 tỉnh", "các tỉnh, thành phố"): offsets, left to right."""
    return [at for at in _anaphora_starts(text, start, end) if not areas.many_provinces(text, at)]


class _Sentence:
    """A sentence as its figures' fields read it. `exprs` are the time expressions that start
    inside it: `periods.governing` keeps only those, so it need not walk the article's list.
    `names_place` is False when no place lies where `_area` looks for one (see _names_place)."""

    __slots__ = ("start", "end", "text", "exprs", "names_place", "_article", "_places", "_province",
                 "_group", "_subjects", "counted")

    def __init__(self, text: str, span, exprs: list, places: areas.PlaceIndex, group: list):
        self.start, self.end = span.start, span.end
        self.text = text[span.start:span.end]
        self.exprs = exprs
        self.names_place = _names_place(places, span, group)
        self._article, self._places, self._province = text, places, _UNREAD
        self._group, self._subjects, self.counted = group, None, frozenset()

    def province(self, own: str | None = None) -> str | None:
        """When the sentence says "tỉnh" / "thành phố" (then a bare figure is the province's),
        the province it means (see province_at, at its first such word); else None."""
        if self._province is _UNREAD:
            anaphors = [at for at, what in self.subjects() if what == "province"]
            self._province = self.province_at(anaphors[0], own) if anaphors else None
        return self._province

    def province_at(self, position: int, own: str | None) -> str | None:
        """The province "tỉnh" / "thành phố" at `position` means: one named before it in the
        sentence, else the article's own (`own`, when it is a province), else the last one named
        before the sentence — never one named as a comparison point ("sau Hà Nội"). In an article
        about a province, nor one of a list of places named each with a figure of its own ("Hà Nội
        đạt 85%, Đà Nẵng đạt 83%, tỉnh đạt 80%": the article's province's 80%); with no province of
        its own to fall back on, the article keeps the last one named."""
        if own in areas.PROVINCES:
            named = self._places.last_subject_province(position, self.start,
                                                       [m.lead for m in self._group])
            return named or own
        named = self._places.last_subject_province(position, self.start)
        return named or self._places.last_subject_province(self.start)

    def subjects(self) -> list[tuple[int, str]]:
        """(offset, "province" | "nation") of what the sentence names as a figure's subject besides
        places: "tỉnh" / "thành phố" meaning the province, a count of provinces, a national
        system as a clause's subject. Read once, when a figure first asks; `counted` is then the
        ends of the figures that count provinces."""
        if self._subjects is None:
            text, start, end = self._article, self.start, self.end
            counts = areas.province_counts(text, self._group)
            # The gates of _anaphors and national_subjects, asked here of the sentence's own text:
            # `in` costs a fifth of a bounded str.find, a rare letter ("ỉ") or pair ("ph") first
            # a third of `in` on the word; most sentences pass none, and then neither is called.
            own = self.text
            anaphors = _anaphors(text, start, end) \
                if ("ỉ" in own and "ỉnh" in own) or ("ph" in own and "phố" in own) else ()
            nations = areas.national_subjects(text, start, end) if "uốc gia" in own else []
            if areas.names_agency(own):
                nations += areas.agency_subjects(text, start, end)
            found = []
            if counts or anaphors or nations:       # most sentences name none
                self.counted = frozenset(m.end for m in counts)
                # "hai tỉnh": the noun counted, not "the province"
                found = [(at, "province") for at in anaphors
                         if at - 1 not in self.counted and at - 2 not in self.counted]
                found += [(at, "nation") for at in nations]
                found += [(m.start, "nation") for m in counts if not areas.one_of(text, m.lead)]
                found.sort()
            self._subjects = found
        return self._subjects

    def subject_before(self, position: int) -> tuple[int, str | None]:
        """The last of `subjects` that starts before `position`, or (-1, None)."""
        last = _NO_SUBJECT
        for found in self._subjects if self._subjects is not None else self.subjects():
            if found[0] >= position:
                break
            last = found
        return last


_NO_SUBJECT = (-1, None)


def _names_place(places: areas.PlaceIndex, sentence, group) -> bool:
    """Whether a place lies where `_area` reads one for a figure of the group: after the figure up
    to the next one (or the sentence's end), or from the sentence's start up to the figure."""
    low, high = sentence.start, sentence.end
    for mention in group:
        if mention.end < low:
            low = mention.end
        if mention.lead > high:
            high = mention.lead
    return places.any_between(low, high)


def _mask(text: str, spans) -> bytearray:
    masked = bytearray(len(text) + 1)
    if "http" in text or "www." in text or "@" in text:
        spans.extend((m.start(), m.end()) for m in _URL_RE.finditer(text))
    for s, e in spans:
        masked[s:e] = b"\x01" * (e - s)
    return masked


def _figure_parens(text, mentions) -> list[tuple[int, int]]:
    """Parentheses that hold a figure of their own: their time expressions stay inside them."""
    starts = [m.start for m in mentions]     # in order: the first after a "(" tells
    out = []
    for p in _PAREN_RE.finditer(text):
        i = bisect.bisect_right(starts, p.start())
        if i < len(starts) and starts[i] < p.end():
            out.append((p.start(), p.end()))
    return out


def _contexts(text, low, sentence, group, shared: indicators.Sentence, semicolons: bool) -> list:
    """Each figure's context in its sentence: its clause (up to a ";" or a neighbouring figure).
    Without a ";" in the sentence (`semicolons` False) the searches for one are skipped."""
    out = []
    s_start, s_end = sentence.start, sentence.end
    last = len(group) - 1
    for i, mention in enumerate(group):
        lead, end = mention.lead, mention.end
        left = s_start
        if i and group[i - 1].end > left:
            left = group[i - 1].end
        right = s_end
        if semicolons:
            left = max(left, text.rfind(";", s_start, lead) + 1)
            semicolon = text.find(";", end, s_end)
            if semicolon != -1:
                right = semicolon
        if i < last and group[i + 1].lead < right:
            right = group[i + 1].lead
        if right < end:
            right = end
        out.append(indicators.in_sentence(
            shared, mention.kind, mention.change,
            mention.kind in _AVERAGE_KINDS and _says_average(text, left, lead, low),
            mention.qualifier, lead, end, left, right))
    return out


def _observation(text, mention, ctx, indicator, sentence: _Sentence, figure_parens, places, as_of, ref_day,
                 fallback_area, right_end) -> dict:
    """One figure's fields. `figure_parens` is None when no time expression of the sentence lies
    in one (then scoping accepts them all); `as_of` is the publication day, for ungoverned ones."""
    allowed = None
    if figure_parens:
        def allowed(expr):
            for p_start, p_end in figure_parens:
                if p_start < expr.start < p_end:
                    return p_start < mention.start < p_end
            return True

    expr = None
    if sentence.exprs:      # else none can govern it
        expr = periods.governing(sentence.exprs, mention.lead, sentence.start, allowed)
    if expr is None:
        period_start = None
    else:
        as_of = expr.as_of.isoformat()
        period_start = None
        if mention.kind in ("count", "money") and not mention.change and not ctx.average and \
                periods.covers_period(expr, text, (mention.lead, mention.end), (ctx.left, ctx.right),
                                      right_end if right_end < sentence.end else None):
            period_start = expr.period_start.isoformat()
    return {
        "value": as_number(mention.value),
        "denominator": mention.denominator,
        "kind": mention.kind,
        "change": mention.change,
        "qualifier": mention.qualifier,
        "indicator": indicator,
        "area": _area(text, places, mention, sentence, right_end, fallback_area)
        or _unplaced_area(sentence, fallback_area),
        "as_of": as_of,
        "period_start": period_start,
        "text": text[mention.start:mention.end],
        "sentence": sentence.text,
        "start": mention.start,
        "end": mention.end,
        "rule": mention.rule,
        "subject": subject(text, mention.end, mention.kind),   # `text` is the title for title figures
    }


def _subject_in_sentence(obs: dict) -> str | None:
    """A table cell has no offsets: its subject is read in its row text (`sentence`)."""
    at = obs["sentence"].rfind(obs["text"])
    return subject(obs["sentence"], at + len(obs["text"]), obs["kind"]) if at >= 0 else None


def _area(text, places, mention, sentence: _Sentence, right, own: str | None = None) -> str | None:
    """The place a figure is about: a place right after its noun ("700 doanh nghiệp tại Hà
    Nội"); the nation for a count of provinces ("6 tỉnh"); else the nearest subject named before
    it in its sentence — a place (not where an event took place: "tại Hà Nội, Thủ tướng chủ trì
    …", nor a comparison point: "sau Hà Nội, với 88,2%"), "tỉnh" / "thành phố" (the province it
    means, see _Sentence.province_at), a count of provinces or a national system (the nation);
    else — when the sentence says "tỉnh" / "thành phố" — the province that means. `own` is the article's own place (its fallback area)."""
    if sentence.names_place:
        for start, end, name in places.between(mention.end, right):
            between = text[mention.end:start]
            if _PLACE_AFTER_RE.search(between) or areas.people_of(between):
                if areas.opens_clause(between):
                    break             # "…, còn tại Hàn Quốc …": a clause of its own
                if right < sentence.end and areas.owns_next(text, end, right):
                    continue          # "ở Thái Lan là 88%, ở Malaysia là 97,4%": the next one's
                return name
    found = sentence._subjects if sentence._subjects is not None else sentence.subjects()   # sets `counted`
    # Most sentences name no subject besides places: then none precedes the figure, and nothing
    # is left for `province` to mean (its anaphors are among them).
    subject_at, subject = sentence.subject_before(mention.lead) if found else _NO_SUBJECT
    if mention.end in sentence.counted:
        return areas.NATIONAL
    if sentence.names_place:
        i = bisect.bisect_right(places.ends, mention.lead) - 1
        while i >= 0 and places.places[i][0] >= sentence.start and places.places[i][0] > subject_at:
            start, end, name = places.places[i]
            event = (_EVENT_BEFORE_RE.search(text, max(sentence.start, start - 8), start)
                     and _EVENT_AFTER_RE.search(text[end:mention.lead]))
            if not event and not places.merger_object(i) and not places.yardstick(i, mention.lead):
                return name
            i -= 1
    if not found:
        return None
    if subject == "nation":
        return areas.NATIONAL
    if subject == "province":
        return sentence.province_at(subject_at, own)
    return sentence.province(own)


_HOME_AREAS = areas.PROVINCES | {areas.NATIONAL}


def _unplaced_area(sentence: _Sentence, fallback_area: str) -> str:
    """The area of a figure whose sentence names no place: the article's fallback, unless that is
    another country and the sentence names a Vietnamese system ("ứng dụng VNeID"): Việt Nam's."""
    if fallback_area in _HOME_AREAS or not areas.names_home_system(sentence.text):
        return fallback_area
    return areas.NATIONAL


def _fallback_area(default_area: str, body: str, title: str | None) -> str:
    """Where a figure is when its sentence names no place: the province the article is about
    (`default_area` if the title or lead names it, else the one province the title names),
    otherwise the spec's default, Việt Nam."""
    wanted = areas.canonical(default_area or "") or default_area
    lead = body.split("\n", 1)[0]
    if wanted and wanted != areas.NATIONAL:
        named = {name for _, _, name in areas.find_places((title or "") + "\n" + lead)}
        if wanted in named:
            return wanted
    # The nation named in the title only as a yardstick ("dẫn đầu cả nước", "cao hơn bình quân cả
    # nước") is not what the article is about: PlaceIndex leaves such mentions out.
    in_title = {name for _, _, name in areas.PlaceIndex(title).places} if title else set()
    country = areas.title_country(title) if in_title else None
    if country is not None:
        return country
    provinces = in_title & areas.PROVINCES
    if len(provinces) == 1 and len(in_title) == 1:
        return provinces.pop()
    return areas.NATIONAL


def _words(s: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(s)]


def _dedupe(observations: list[dict], sentence_starts: list[int]) -> list[dict]:
    """Drops a figure that restates an earlier one: same reading, and the words on one side of
    it in its sentence are the same as the earlier one's until one of the two sentences runs out
    (a lead repeated in the body, a subheading repeated in a quote)."""
    kept: list[dict] = []
    seen: dict[tuple, list] = {}   # reading -> the sides of the kept figures that state it
    for obs, s_start in zip(observations, sentence_starts):
        key = _READING(obs)
        earlier = seen.get(key)
        if earlier is None:
            # Most readings are stated once: a figure's sides are wanted only when a second comes.
            seen[key] = [(obs, s_start)]
            kept.append(obs)
            continue
        if type(earlier[0]) is tuple:       # the first figure's sides, deferred until now
            earlier[0] = _sides(*earlier[0])
        sides = _sides(obs, s_start)
        if any(_same_sides(sides, other) for other in earlier):
            continue
        earlier.append(sides)
        kept.append(obs)
    return kept


def _sides(obs: dict, s_start: int) -> _Sides:
    offset = obs["start"] - s_start
    return _Sides(obs["sentence"], offset, offset + len(obs["text"]))


_NEAR_CHARS = 32


class _Sides:
    """A figure in its sentence, with the words before it read as far as a comparison needs.
    Figures that share a reading mostly share no words around it ("100%", "1"): the three words
    nearest before it, read from a short window, settle that side; all the words before it are
    read only when those agree, and once however many later figures compare."""

    __slots__ = ("sentence", "start", "end", "_near", "_before")

    def __init__(self, sentence: str, start: int, end: int):
        self.sentence, self.start, self.end = sentence, start, end
        self._near, self._before = _UNREAD, None

    def near_before(self) -> list[str] | None:
        """The last _DEDUPE_MIN_WORDS words before the figure, lower-cased (fewer when it has
        fewer), or None when the window cannot tell them for sure."""
        if self._near is _UNREAD:
            self._near = _near_before(self.sentence, self.start)
        return self._near

    def before(self) -> list[str]:
        if self._before is None:
            self._before = _words(self.sentence[:self.start])
        return self._before


def _near_before(sentence: str, start: int) -> list[str] | None:
    # Scanning a window that starts inside a word may cut that word, never a later one (a word
    # ends where it ends however early the scan starts). So with one word more than needed read,
    # those away from the cut are the side's own.
    n = _DEDUPE_MIN_WORDS
    a = max(0, start - _NEAR_CHARS)
    words = _WORD_RE.findall(sentence, a, start)
    if a > 0 and len(words) <= n:
        return None
    return [w.lower() for w in words[-n:]]


def _same_sides(mine: _Sides, other: _Sides) -> bool:
    """Whether the two figures' sides agree (see _dedupe), reading no more words than it needs.
    The rule on whole word lists, as first written, is tests/test_extract_fast_paths.py's
    _plain_same_side, which the tests hold this to."""
    return _same_after(mine, other) or _same_before(mine, other)


def _same_after(mine: _Sides, other: _Sides) -> bool:
    # Word by word from both figures' ends, so most pairs stop at the first word: the sides agree
    # as the rule reads them when they match until the shorter ends, in at least n words.
    agreed = 0
    for word, other_word in zip(_WORD_RE.finditer(mine.sentence, mine.end),
                                _WORD_RE.finditer(other.sentence, other.end)):
        if word.group().lower() != other_word.group().lower():
            return False
        agreed += 1
    return agreed >= _DEDUPE_MIN_WORDS


def _same_before(mine: _Sides, other: _Sides) -> bool:
    near, other_near = mine.near_before(), other.near_before()
    # A side can only agree for _DEDUPE_MIN_WORDS words or more if its nearest ones do.
    if near is not None and other_near is not None and \
            not (len(near) == _DEDUPE_MIN_WORDS and near == other_near):
        return False
    before, other_before = mine.before(), other.before()
    n = min(len(before), len(other_before))
    return n >= _DEDUPE_MIN_WORDS and before[len(before) - n:] == other_before[len(other_before) - n:]


def _title_only(title_obs: list[dict], body_obs: list[dict]) -> list[dict]:
    """Title figures the body does not state: a headline restates the body's figure, often
    rounded ("Hơn 52 triệu tài khoản" for 52,3 triệu) or without its denominator ("thứ 71")."""
    return [{**obs, "start": -1, "end": -1} for obs in title_obs if not _restated(obs, body_obs)]


def _restated(title: dict, body_obs: list[dict]) -> bool:
    return any(_restates(title, o) for o in body_obs)


def _reading(mention) -> dict:
    """The fields of a figure's observation that `_restates` reads, read off its mention. No
    subject: a title figure restated only by its noun (another `change`) is left to `_title_only`."""
    return {"kind": mention.kind, "change": mention.change, "denominator": mention.denominator,
            "value": as_number(mention.value), "qualifier": mention.qualifier}


def _restates(title: dict, body: dict) -> bool:
    if title["kind"] != body["kind"]:
        return False
    if title["change"] != body["change"]:
        # "thêm 4,1 triệu tài khoản" over "tăng 4,1 triệu tài khoản so với …": the same fact, read
        # as a level in the headline. Two facts that share a number count different nouns.
        return float(title["value"]) == float(body["value"]) and \
            _same_noun(title.get("subject"), body.get("subject"))
    if title["denominator"] is not None and title["denominator"] != body["denominator"]:
        return False
    t, b = float(title["value"]), float(body["value"])
    if t == b:
        return True
    slack = _TITLE_ROUNDING.get(title["qualifier"], 0.0)
    return t > 0 and (b >= t if title["qualifier"] == "at_least" else True) and abs(b - t) <= slack * t


def _same_noun(title: str | None, body: str | None) -> bool:
    """Whether two figures count the same noun: one subject is the other's first words ("tài
    khoản" and "tài khoản định danh điện tử": the body's is cut before "so với")."""
    if not title or not body:
        return False
    a, b = title.lower().split(), body.lower().split()
    n = min(len(a), len(b))
    return a[:n] == b[:n]
