"""Place names: which province, city or country a figure is about (spec: `area`).

Why: the same indicator is a separate series per place (a province's online-filing rate never
mixes with the national one). The list of places is data (extractors/data/areas.yaml, and the
districts that stand for their province, extractors/data/districts.yaml); this
module adds the spellings news text uses without listing them by hand (no diacritics, old tone
placement "Hoà"/"Hòa", capitalised "Cả nước"), and finds mentions with one compiled regex.

A mention is a whole name as written. A spelling stripped of the diacritics its name has ("Lao"
for "Lào", "My" for "Mỹ") is a place only in text written without diacritics: in Vietnamese
prose it is another word ("Bộ Lao động", "huyện Nam Trà My"). A one-word country name joined to
another capitalised word is part of a longer proper name ("Mỹ Tho", "Nam Trà Mỹ", "Mỹ Latinh").
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from extractors.lexicon import fold, load, trie_alternation

NATIONAL = unicodedata.normalize("NFC", load("areas")["national"]["name"])

# Old ("oà") and new ("òa") tone placement are both common; NFC keeps them apart.
_TONE_PAIRS = [("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("õa", "oã"), ("ọa", "oạ"),
               ("òe", "oè"), ("óe", "oé"), ("ỏe", "oẻ"), ("õe", "oẽ"), ("ọe", "oẹ"),
               ("ùy", "uỳ"), ("úy", "uý"), ("ủy", "uỷ"), ("ũy", "uỹ"), ("ụy", "uỵ")]


def _variants(name: str) -> set[str]:
    name = unicodedata.normalize("NFC", name)
    out = {name, fold(name)}
    for new, old in _TONE_PAIRS:
        for v in list(out):
            out.add(v.replace(new, old))
            out.add(v.replace(old, new))
    for v in list(out):
        if v[:1].islower():
            out.add(v[:1].upper() + v[1:])
    return out


def _catalogue() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """(spelling -> canonical name; spellings that only drop a name's diacritics; one-word
    spellings of countries)."""
    data = load("areas")
    spelled: dict[str, str] = {}
    as_listed: set[str] = set()     # every spelling of a name or alias as written (tones, case aside)
    stripped: set[str] = set()
    one_word_countries: set[str] = set()
    # A district is its province's (extractors/data/districts.yaml), read after the provinces so
    # that "thành phố Hồ Chí Minh" stays the province's own spelling.
    districts = [{"name": province, "aliases": [_DESIGNATOR_LEAD_RE.sub("", n) for n in names],
                  "match_name": False}
                 for province, names in load("districts")["districts"].items()]
    entries = [data["national"]] + data["provinces"] + data["countries"] + districts
    countries = {id(entry) for entry in data["countries"]}
    districts_ids = {id(entry) for entry in districts}
    district_names: set[str] = set()     # spellings that name a district only
    for entry in entries:
        canonical = unicodedata.normalize("NFC", entry["name"])
        names = list(entry.get("aliases") or [])
        if entry.get("match_name", True):
            names.append(entry["name"])
        for name in names:
            variants = _variants(str(name))
            folded = {v for v in variants if v == fold(v)}
            as_listed |= variants if fold(str(name)) == str(name) else variants - folded
            stripped |= folded
            for v in variants:
                if v not in spelled and id(entry) in districts_ids:
                    district_names.add(v)
                spelled.setdefault(v, canonical)
                if id(entry) in countries and " " not in v:
                    one_word_countries.add(v)
        for name in entry.get("alone_only") or ():     # "Thủ đô": read as a one-word country name
            one_word_countries |= _variants(str(name))
    return spelled, frozenset(stripped - as_listed), frozenset(one_word_countries), frozenset(district_names)


_DESIGNATOR_WORDS = tuple(load("districts")["designators"]) + tuple(load("districts")["ward_designators"])


def _alternation(words) -> str:
    return "|".join(f"[{w[0].upper()}{w[0]}]" + re.escape(w[1:]).replace(r"\ ", r"\s+") for w in words)


def _designators() -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{_alternation(_DESIGNATOR_WORDS)})\s+")


# "huyện ", "Thị xã ": a district's name is a place only right after one (extractors/data/districts.yaml).
_DESIGNATOR_LEAD_RE = _designators()
_DESIGNATOR_BEFORE_RE = re.compile(_DESIGNATOR_LEAD_RE.pattern.removesuffix(r"\s+") + "$")
_SPELLED, _STRIPPED, _ONE_WORD_COUNTRIES, _DISTRICT_NAMES = _catalogue()
_CONTEXTUAL = _STRIPPED | _ONE_WORD_COUNTRIES
_SPACES_RE = re.compile(r"\s+")
_BY_KEY = {re.sub(r"\s+", " ", k): v for k, v in _SPELLED.items()}
# Districts are read by a regex of their own that opens with a designator: in the places' one,
# their 1,200 spellings would be tried at every capitalised word.
_PLACE_RE = re.compile(trie_alternation(_SPELLED.keys() - _DISTRICT_NAMES) + r"(?!\w)")
_DISTRICT_RE = re.compile(r"\s+(" + trie_alternation(_DISTRICT_NAMES) + r")(?!\w)")
# Each designator but its first letter ("uyện", "hành phố"), found with str.find (a scan of the
# whole text per word: the fewer, the faster); the designator is then matched whole before it, the
# district after it. A designator is read as written with single spaces ("thị xã"). A one-letter tail
# ("ã" of "xã") would stop at every "đã": the word is looked for whole, in both cases.
_DESIGNATOR_TAILS = tuple(t for w in _DESIGNATOR_WORDS
                          for t in ((w[1:],) if len(w) > 2 else (w, w[0].upper() + w[1:])))
# "phường Hải Dương", "xã Hòa Bình": a commune-level unit named like a province (not "thị xã").
_WARD_BEFORE_RE = re.compile(r"(?<!\w)(?<!hị\s)(?:" + _alternation(load("districts")["ward_designators"])
                             + r")\s+$")
PROVINCES = frozenset(unicodedata.normalize("NFC", p["name"]) for p in load("areas")["provinces"])


def find_places(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) of every place mention, left to right."""
    out = []
    for m in _PLACE_RE.finditer(text):
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "._"):
            continue
        spelled = _key(m.group())
        if spelled in _CONTEXTUAL and not _stands_alone(text, start, m.end(), spelled):
            continue
        if start and text[start - 1] in _BLANKS and _WARD_BEFORE_RE.search(text, max(0, start - 14), start):
            continue
        out.append((start, m.end(), _BY_KEY[spelled]))
    districts = _find_districts(text)
    return _merged(out, districts) if districts else out


def _find_districts(text: str) -> list[tuple[int, int, str]]:
    """District mentions, each from its designator ("huyện Diễn Châu"), named by their province."""
    out = []
    for tail in _DESIGNATOR_TAILS:
        at = text.find(tail, 1)
        while at != -1:
            end = at + len(tail)
            district = _DISTRICT_RE.match(text, end)
            if district is not None:
                designator = _DESIGNATOR_BEFORE_RE.search(text, at - 1, end)
                if designator is not None:
                    out.append((designator.start(), district))
            at = text.find(tail, end)
    if len(out) > 1:
        out.sort(key=lambda found: found[0])
    return [place for place in (_district(text, start, m) for start, m in out) if place]


def _district(text: str, start: int, m: re.Match) -> tuple[int, int, str] | None:
    """The mention from `start` (its designator) to the district's name matched as `m`."""
    spelled = _key(m.group(1))
    if spelled in _STRIPPED and not _stands_alone(text, m.start(1), m.end(), spelled):
        return None
    return start, m.end(), _BY_KEY[spelled]


def _merged(places: list, districts: list) -> list:
    """Both lists of mentions in order, a place inside a district's mention dropped."""
    kept = [p for p in places if not any(s <= p[0] and p[1] <= e for s, e, _ in districts)]
    return sorted(kept + districts)


_WORD_BEFORE_RE = re.compile(r"(\w+)(\W{0,3})$")
_WORD_AFTER_RE = re.compile(r"\W{0,3}(\w+)")
_BLANKS = " \t\xa0"


def _stands_alone(text: str, start: int, end: int, spelled: str) -> bool:
    """Whether a spelling that needs its context to be a place (one of _CONTEXTUAL, written with
    single spaces) is one here: a spelling stripped of its name's diacritics only among words
    without diacritics, a one-word country name not joined by a blank to another capitalised word
    (but the first word of a sentence: "Tại Mỹ")."""
    stripped = spelled in _STRIPPED
    if not stripped and spelled not in _ONE_WORD_COUNTRIES:
        return True
    before = _WORD_BEFORE_RE.search(text, max(0, start - 24), start)
    after = _WORD_AFTER_RE.match(text, end, end + 24)
    if stripped:
        return not any(w and fold(w.group(1)) != w.group(1) for w in (before, after))
    if after and after.start(1) > end and text[end:after.start(1)].strip(_BLANKS) == "" \
            and after.group(1)[:1].isupper():
        return False
    if before and before.group(2) and before.group(2).strip(_BLANKS) == "" \
            and before.group(1)[:1].isupper():
        j = before.start(1)
        while j and text[j - 1] in _BLANKS:
            j -= 1
        return not j or text[j - 1] in ".!?:;\n\"“(«'‘"
    return True


def _key(spelled: str) -> str:
    """A mention's spelling as the catalogue's keys are written: with single spaces (a mention
    written so is a key as it stands)."""
    return spelled if spelled in _BY_KEY else _SPACES_RE.sub(" ", spelled)


# Every spelling written with single spaces only (checked, not assumed): then a phrase so written
# is a whole place name exactly when it is one of the spellings — a set lookup, not a regex scan.
_SPELLINGS = frozenset(_SPELLED)
_SPELLINGS_PLAIN = all(k == " ".join(k.split()) for k in _SPELLED)


# A place name at a phrase's start starts with the first character of a spelling: most subject
# phrases ("hồ sơ trực tuyến") are answered by one set lookup.
_FIRST_CHARS = frozenset(k[0] for k in _SPELLED)


def is_place_name(phrase: str) -> bool:
    """Whether `phrase` is, from its first character to its last, one place name."""
    if _DESIGNATOR_LEAD_RE.match(phrase) is None:
        if phrase[:1] not in _FIRST_CHARS:
            return False
        if _SPELLINGS_PLAIN and phrase == " ".join(phrase.split()):
            # A district's name alone is none (it needs its designator): then the scan tells.
            return phrase in _SPELLINGS and phrase not in _DISTRICT_NAMES
    return any(start == 0 and stop == len(phrase) for start, stop, _ in find_places(phrase))


def canonical(name: str) -> str | None:
    """The catalogue name for a spelling ("TP.HCM" -> "Hồ Chí Minh"), or None."""
    return _BY_KEY.get(re.sub(r"\s+", " ", unicodedata.normalize("NFC", name.strip())))


def _reversed_words_at_end(pattern: str) -> re.Pattern | None:
    """For a pattern `(?:w1|w2…)\\s*$` of literal words (a space written `\\s+`), the pattern whose
    match at the start of the reversed text says whether it matches at the text's end; None for
    any other shape. (Case-blind matching compares character by character, so order is free.)"""
    shape = re.fullmatch(r"\(\?:(.*)\)\\s\*\$", pattern)
    words = shape and [w.replace(r"\s+", " ") for w in shape.group(1).split("|")]
    if not words or not all(re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", w) for w in words):
        return None
    return re.compile(r"\s*(?:" + "|".join(w[::-1].replace(" ", r"\s+") for w in words) + ")", re.IGNORECASE)


_NATIONAL_COMPARATIVE_RE = re.compile(load("lexicon")["national_comparative_before"], re.IGNORECASE)
# The search above tries each of the 30 positions before a mention (case-blind, the engine cannot
# skip ahead); read backwards from the mention, one match attempt answers.
_NATIONAL_COMPARATIVE_REVERSED_RE = _reversed_words_at_end(load("lexicon")["national_comparative_before"])
_NATIONAL_FIGURE_AFTER_RE = re.compile(load("lexicon")["national_figure_after"], re.IGNORECASE)
_RANK_POOL_BEFORE_RE = re.compile(load("lexicon")["national_rank_pool_before"], re.IGNORECASE)
_AVERAGE_YARDSTICK_BEFORE_RE = re.compile(load("lexicon")["national_average_yardstick_before"], re.IGNORECASE)


def _comparison_only(text: str, place) -> bool:
    """"dẫn đầu cả nước với 99,1%", "vượt mức trung bình cả nước": the nation as a yardstick. But a
    figure stated right after it ("tỷ lệ chung của cả nước là 45,3%", "bình quân cả nước (45,2%)")
    is the nation's own. After a rank ("đứng thứ 2 toàn quốc") it is the ranking's pool, whatever
    follows."""
    start, end, name = place
    if name != NATIONAL:
        return False
    if _RANK_POOL_BEFORE_RE.search(text, max(0, start - 24), start) is not None:
        return True
    if not _says_comparative_before(text, start) \
            and _AVERAGE_YARDSTICK_BEFORE_RE.search(text, max(0, start - 40), start) is None:
        return False
    return not _NATIONAL_FIGURE_AFTER_RE.match(text, end)


def _says_comparative_before(text: str, start: int) -> bool:
    """Whether `national_comparative_before` matches in text[start - 30:start]."""
    lo = max(0, start - 30)
    if _NATIONAL_COMPARATIVE_REVERSED_RE is None:
        return _NATIONAL_COMPARATIVE_RE.search(text, lo, start) is not None
    return _NATIONAL_COMPARATIVE_REVERSED_RE.match(text[lo:start][::-1]) is not None


_SUBJECTS = load("areas")["subjects"]
# Case-blind, as national_comparative_before is read: a sentence may open with its comparison
# ("So với Hưng Yên, tỉnh có …", "Sau Hà Nội, …").
_COMPARISON_BEFORE_RE = re.compile(_SUBJECTS["comparison_before"], re.IGNORECASE)
_MERGER_BEFORE_RE = re.compile(_SUBJECTS["merger_before"])
_MERGER_LIST_BETWEEN_RE = re.compile(_SUBJECTS["merger_list_between"])
# The verbs merger_before opens with hold one of these two: a text without them has no merger
# object (two `in` scans of the text, no regex; tests/test_blind2_areas.py checks the pattern).
_MERGER_WORDS = ("nhập", "hợp nhất")
_LIST_BETWEEN_RE = re.compile(_SUBJECTS["list_between"])
_LIST_COMMA_BETWEEN_RE = re.compile(_SUBJECTS["list_comma_between"])
_OWN_FIGURE_BETWEEN_RE = re.compile(_SUBJECTS["own_figure_between"])
_CLAUSE_PLACE_BEFORE_RE = re.compile(_SUBJECTS["clause_place_before"], re.IGNORECASE)
_PEOPLE_OF_BETWEEN_RE = re.compile(_SUBJECTS["people_of_between"])
_PROVINCE_COUNT_AFTER_RE = re.compile(_SUBJECTS["province_count_after"])
_NOT_ANAPHORA_BEFORE_RE = re.compile(_SUBJECTS["not_anaphora_before"])
_NATIONAL_SUBJECT_RE = re.compile(_SUBJECTS["national_subject"])
_ONE_OF_BEFORE_RE = re.compile(_SUBJECTS["one_of_before"])
_BAND_BEFORE_RE = re.compile(_SUBJECTS["band_before"])


_COUNT_NOUN_STARTS = ("tỉnh", "địa")
_COUNT_NOUN_FIRSTS = frozenset(w[0] for w in _COUNT_NOUN_STARTS)


def province_counts(text: str, mentions) -> list:
    """The mentions (figures with `kind`, `lead` and `end`) that count provinces ("6 tỉnh",
    "38/63 tỉnh, thành phố", "ba địa phương"): figures about the nation, not about a province named
    near them. Ranks aside: a rank's denominator counts the pool ("xếp thứ 9/63 tỉnh"); so is a
    band a province is placed in ("nằm trong nhóm 5 địa phương dẫn đầu")."""
    out = []
    for m in mentions:
        # The character after the blank: the first of a count noun, or a further blank (most
        # figures: neither); a one-character slice and a set lookup before any method call.
        c = text[m.end + 1:m.end + 2]
        if (c in _COUNT_NOUN_FIRSTS and text.startswith(_COUNT_NOUN_STARTS, m.end + 1) or c.isspace()) \
                and m.kind != "rank" and _PROVINCE_COUNT_AFTER_RE.match(text, m.end) is not None \
                and _BAND_BEFORE_RE.search(text, max(0, m.lead - 16), m.lead) is None:
            out.append(m)
    return out


def people_of(between: str) -> bool:
    """Whether `between` (from a figure's end to a place after it) names the people the figure
    counts and nothing else ("98% người dân Estonia"): then the place is the figure's."""
    return _PEOPLE_OF_BETWEEN_RE.match(between) is not None


def opens_clause(between: str) -> bool:
    """Whether `between` (from a figure's end to a place after it) ends with "còn tại", "trong
    khi ở": the place opens a clause of its own, which no figure before it belongs to."""
    return _CLAUSE_PLACE_BEFORE_RE.search(between, max(0, len(between) - 24)) is not None


def owns_next(text: str, end: int, lead: int) -> bool:
    """Whether the place ending at `end` owns the figure whose words start at `lead` ("ở Malaysia
    là 97,4%"): own_figure_between is all that lies between them."""
    return _OWN_FIGURE_BETWEEN_RE.fullmatch(text, end, lead) is not None


def title_country(title: str | None) -> str | None:
    """The other country a title names as its subject before a colon ("Singapore: 97% cư dân
    …"): the article is about it, so a figure whose sentence names no place is its; else None."""
    head, colon, _ = (title or "").partition(":")
    head = head.strip()
    if not colon or not is_place_name(head):
        return None
    name = canonical(head)
    return name if name not in PROVINCES and name != NATIONAL else None


_HOME_SYSTEMS = tuple(_SUBJECTS["home_systems"])


def names_home_system(sentence: str) -> bool:
    """Whether `sentence` names a Vietnamese national system ("ứng dụng VNeID"): in an article
    about another country (title_country), its figures are still Việt Nam's."""
    return any(name in sentence for name in _HOME_SYSTEMS)


def one_of(text: str, start: int) -> bool:
    """Whether the count at `start` says "one of N" ("một trong ba địa phương"): then the place
    named before it stays the subject of what follows."""
    return _ONE_OF_BEFORE_RE.search(text, max(0, start - 16), start) is not None


def many_provinces(text: str, start: int) -> bool:
    """Whether the "tỉnh" / "thành phố" at `start` is one of many provinces ("6 tỉnh",
    "tỉnh, thành phố"), not "the province"."""
    return _NOT_ANAPHORA_BEFORE_RE.search(text, max(0, start - 12), start) is not None


def national_subjects(text: str, start: int, end: int) -> list[int]:
    """Where in text[start:end] (a sentence) a national system is a clause's subject ("…, Cổng
    Dịch vụ công quốc gia đã tích hợp …"): offsets in `text`, left to right."""
    if text.find("uốc gia", start, end) == -1:
        return []
    out = []
    for m in _NATIONAL_SUBJECT_RE.finditer(text, start, end):
        at = m.start()
        while at > start and text[at - 1].isspace():
            at -= 1
        if at == start or text[at - 1] in ",;:":
            out.append(at)
    return out


# The names as a trie (one branch per first character, not 37 names tried at each); no lookbehind
# in front, which would make the engine try every position of the sentence.
_AGENCY_RE = re.compile(trie_alternation(_SUBJECTS["national_agencies"]) + r"(?!\w)")
_AGENCY_LEAD_RE = re.compile(_SUBJECTS["agency_lead"])
_AGENCY_NOT_AFTER_RE = re.compile(_SUBJECTS["agency_not_after"])


def names_agency(sentence: str) -> bool:
    """Whether `sentence` can name one of national_agencies: each holds "Bộ", "Chính phủ", "Thủ
    tướng", "Tổng cục", "VPCP" or "Nhà nước" (tests/test_blind2_areas.py checks the list), and most
    sentences hold none: `in` answers before any regex."""
    return ("Bộ" in sentence or "hính phủ" in sentence or "hủ tướng" in sentence or "ổng cục" in sentence
            or "VPCP" in sentence or "hà nước" in sentence)


def agency_subjects(text: str, start: int, end: int) -> list[int]:
    """Where in text[start:end] (a sentence) a ministry or national agency is a clause's subject
    ("Bộ Công an ước tính, …", "…, theo Văn phòng Chính phủ, …"): offsets in `text`, left to right.
    Ask `names_agency` first."""
    out = []
    for m in _AGENCY_RE.finditer(text, start, end):
        at = m.start()
        if at > start and (text[at - 1].isalnum() or text[at - 1] == "_"):
            continue                          # inside a longer word
        clause = max(start, text.rfind(",", start, at) + 1, text.rfind(";", start, at) + 1,
                     text.rfind(":", start, at) + 1)
        if _AGENCY_LEAD_RE.fullmatch(text, clause, at) and not _AGENCY_NOT_AFTER_RE.match(text, m.end()):
            out.append(at)
    return out


_WARD_LEAD_RE = re.compile(r"(?:" + _alternation(load("districts")["ward_designators"]) + r")\s")


def _wards_in(text: str, places: list, own: str) -> list:
    """In an article about a province (`own`), a ward, commune or special zone named after a former
    district ("phường Thủ Dầu Một", "đặc khu Côn Đảo" in a 2025 article about Hồ Chí Minh) is in
    that province: the district's province before the merger may no longer exist. In a national
    article it keeps the district's province ("phường Hoàn Kiếm": Hà Nội)."""
    return [(s, e, own) if name != own and _WARD_LEAD_RE.match(text, s)
            else (s, e, name) for s, e, name in places]


class PlaceIndex:
    """Place mentions of one text, for "nearest place before this offset" lookups.

    "dẫn đầu cả nước", "cao nhất cả nước" name the country as a comparison, not as the place a
    figure is about: such mentions are dropped."""

    def __init__(self, text: str, own: str | None = None):
        self.places = [p for p in find_places(text) if not _comparison_only(text, p)]
        if own in PROVINCES:
            self.places = _wards_in(text, self.places, own)
        self.ends = [p[1] for p in self.places]
        self._starts = [p[0] for p in self.places]
        self._text = text
        self._compared: list[bool] | None = None
        self._merged: list[bool] | None = None
        self._has_merger = _MERGER_WORDS[0] in text or _MERGER_WORDS[1] in text

    def _comparison_points(self) -> list[bool]:
        """Per mention, whether it names a comparison point ("sau Hà Nội", "so với Đà Nẵng"), or
        is listed after one ("sau Hà Nội, Hải Phòng và Quảng Ninh"; not "Xếp sau Hà Nội, Đà Nẵng
        có …", where the comma ends the comparison)."""
        if self._compared is None:
            self._compared = self._flagged(_COMPARISON_BEFORE_RE, 12, _LIST_BETWEEN_RE,
                                           _LIST_COMMA_BETWEEN_RE)
            # "so với bình quân cả nước (62,8%)": the nation is kept only for the figure right
            # after it (_comparison_only); it is a comparison point for every figure further on.
            text = self._text
            for i, (start, _, name) in enumerate(self.places):
                if name == NATIONAL and not self._compared[i] and (
                        _says_comparative_before(text, start)
                        or _AVERAGE_YARDSTICK_BEFORE_RE.search(text, max(0, start - 40), start)):
                    self._compared[i] = True
        return self._compared

    def yardstick(self, i: int, lead: int) -> bool:
        """Whether mention i is only a comparison point for the figure whose words start at `lead`
        ("sau Hà Nội và Đà Nẵng, với 88,2%"), not its subject: one of _comparison_points the figure
        does not follow at once ("sau Hà Nội (85%)" is Hà Nội's own)."""
        return self._comparison_points()[i] and not owns_next(self._text, self.places[i][1], lead)

    def merger_object(self, i: int) -> bool:
        """Whether mention i is what something merged with ("sau hợp nhất với tỉnh Bình Dương và
        tỉnh Bà Rịa - Vũng Tàu"): never the subject of a figure, nor the province "tỉnh" means."""
        if not self._has_merger:
            return False
        if self._merged is None:
            self._merged = self._flagged(_MERGER_BEFORE_RE, 32, _MERGER_LIST_BETWEEN_RE)
        return self._merged[i]

    def _flagged(self, before_re: re.Pattern, window: int, list_re: re.Pattern,
                 comma_re: re.Pattern | None = None) -> list[bool]:
        """Per mention, whether `before_re` matches in the `window` characters before it, or it is
        listed right after a mention so flagged: joined by `list_re` ("và"), or by `comma_re` (",")
        when a `list_re` joint follows in the same list (see list_comma_between in areas.yaml)."""
        text, places, out = self._text, self.places, []
        on_trial: list[int] = []      # listed by a comma alone: flagged until the list breaks off
        for i, (start, _, _) in enumerate(places):
            between = text[places[i - 1][1]:start] if i and out[i - 1] else None
            joined = between is not None and list_re.match(between) is not None
            comma = not joined and between is not None and comma_re is not None \
                and comma_re.match(between) is not None
            own = before_re.search(text, max(0, start - window), start) is not None
            if not comma:
                if not joined:        # the list broke off: each after a comma opened a clause
                    for j in on_trial:
                        out[j] = False
                on_trial = []         # else it closed ("và"): they were listed
            elif not own:
                on_trial.append(i)
            out.append(own or joined or comma)
        for j in on_trial:
            out[j] = False
        return out

    def last_subject_province(self, position: int, floor: int = 0, leads=()) -> str | None:
        """The last province named between `floor` and `position` that is not a comparison point:
        the one "tỉnh" / "thành phố" can mean. Nor, given the `leads` (where the words of the
        sentence's figures start), one of a list of places that each own a figure before
        `position` ("Hà Nội đạt 85%, Đà Nẵng đạt 83%, tỉnh đạt 80%": see owns_figure): two or more
        such places. One alone is still the subject "tỉnh" goes on with ("Lâm Đồng đạt 68,4%;
        trong đó cấp tỉnh đạt 89,2%", "Quảng Nam có 18 huyện; toàn tỉnh đạt 80%")."""
        i = bisect.bisect_right(self.ends, position) - 1
        compared = self._comparison_points() if i >= 0 else []
        listed: set[int] = set()
        if leads and i >= 1 and self.places[i - 1][0] >= floor:
            j = i
            while j >= 0 and self.places[j][0] >= floor:
                if self.owns_figure(j, leads, position):
                    listed.add(j)
                j -= 1
            if len(listed) < 2:
                listed = set()
        while i >= 0 and self.places[i][0] >= floor:
            if self.places[i][2] in PROVINCES and not compared[i] and not self.merger_object(i) \
                    and i not in listed:
                return self.places[i][2]
            i -= 1
        return None

    def owns_figure(self, i: int, leads, position: int) -> bool:
        """Whether mention i is followed at once by a figure of its own that starts before
        `position` ("Đà Nẵng đạt 83%", "Đà Nẵng (83%)", "Đà Nẵng với 83%": own_figure_between)."""
        end = self.places[i][1]
        return any(end <= lead < position and owns_next(self._text, end, lead) for lead in leads)

    def between(self, start: int, end: int) -> list[tuple[int, int, str]]:
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.places) and self.places[i][1] <= end:
            out.append(self.places[i])
            i += 1
        return out

    def any_between(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, start)
        return i < len(self.places) and self.places[i][1] <= end

    def nearest_before(self, position: int, floor: int) -> str | None:
        """The last place mentioned between `floor` and `position`, if any."""
        i = bisect.bisect_right(self.ends, position) - 1
        if i >= 0 and self.places[i][0] >= floor:
            return self.places[i][2]
        return None

    def mentioned(self, start: int, end: int) -> set[str]:
        return {name for s, e, name in self.places if start <= s and e <= end}
