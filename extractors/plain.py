"""Text written without diacritics ("tang 14,7% so voi cung ky"), read as if it had them.

Why: some syndicated copies and forums publish Vietnamese without diacritics, and every rule of
the extractor (qualifiers, periods, changes, units, ranks, labels) is written over the words as
Vietnamese writes them. Rather than each rule also accepting the folded spelling of its words,
such a text is given back the diacritics of the words the rules know, and read like any other.

How: the words the extractor's data know (extractors/data/*.yaml, schemas/indicators.yaml, the
period grammar's strings in extractors/periods.py) give a table from each folded phrase of one to
four syllables to its spelling there ("so voi" -> "so với", "cung ky" -> "cùng kỳ"); a syllable
that is a whole entry somewhere ("có") beats one seen only inside longer words ("cơ" of "cơ
quan"), and right before or after a number the words the data write there come first ("thang
10/2024" -> "tháng", "5 bac" -> "bậc", "21 so" -> "sở"). A text with (almost) no diacritic whose
words are mostly syllables the data write with one (`looks_plain`) gets each run of known
syllables respelled, longest phrase first, letter for letter (same length, so every offset
holds); words the data do not know stay as written. The figures are read in the respelled copy
and their `text` / `sentence` / `subject` taken back from the text as written.

Text with diacritics is never touched: `looks_plain` is false as soon as a few letters carry one,
and words written with their marks are no key of the table.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from extractors.legal import TYPE_CODES
from extractors.lexicon import fold, load, load_indicators

# Vietnamese letters with a diacritic (and đ): any handful of them means the text has its marks.
_MARKED_RE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
                        re.IGNORECASE)
_WORD_RE = re.compile(r"[^\W\d_]+")
# Regex syntax in the data's patterns: escapes and classes are no words, and group syntax,
# alternation and quantifiers end a phrase.
_ESCAPE_RE = re.compile(r"\\s[+*]?|\\xa0|\s+")
_SYNTAX_RE = re.compile(r"\\.|\[[^\]]*\]|\{[^}]*\}|\(\?[:<=!P]*|[()|?*+^$,;./\"“”'’:%<>!=-]")


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            if isinstance(k, str):
                yield k
            yield from _strings(v)
    elif isinstance(node, (list, tuple)):
        for v in node:
            yield from _strings(v)


def _phrases(s: str):
    """Runs of words separated only by spaces in a data string (a word list entry, a pattern)."""
    s = _ESCAPE_RE.sub(" ", s)
    for chunk in _SYNTAX_RE.split(s):
        words = chunk.split()
        if words and all(_WORD_RE.fullmatch(w) for w in words):
            yield words


MAX_WORDS = 4
# Lexicon entries whose words stand right before a figure ("hơn", "thứ", "mức độ", "tăng") or
# right after one ("tháng", "bậc", "lần", "sở", "triệu"): next to a number their spelling there
# comes first ("5 bac" is "5 bậc", not the "Bắc" of place names).
_BEFORE_KEYS = ("qualifiers", "verb_qualifiers", "spelled_rank_verbs", "spelled_step_verbs")
_AFTER_KEYS = ("scale_words", "money_units", "percent_units", "percent_point_units", "multiple_units",
               "rank_step_units", "spelled_nouns", "group_counted_nouns")


def _count(counts, single, strings, weight=1):
    for s in strings:
        for words in _phrases(s):
            low = [w.lower() for w in words]
            if len(low) == 1:
                single[fold(low[0])][low[0]] += weight
            for i in range(len(low)):
                for n in range(1, min(MAX_WORDS, len(low) - i) + 1):
                    phrase = " ".join(low[i:i + n])
                    counts[fold(phrase)][phrase] += weight


def _choose(counts, single) -> dict[str, str]:
    # A syllable that is a whole entry somewhere ("có", "số") wins over one only seen inside longer
    # words ("cơ" of "cơ quan"): alone in a text it is more likely the word.
    out = {}
    for key, forms in counts.items():
        alone = single.get(key)
        out[key] = (alone or forms).most_common(1)[0][0]
    return out


# Right before or right after a number in a pattern: "tháng\s+(\d{1,2})", "\d+\s*bậc".
_BEFORE_DIGIT_RE = re.compile(r"((?:[^\W\d_]+(?:\\s[+*]|\s+))*[^\W\d_]+)(?:\\s[+*]?|\s)*\(?(?:\\d|\[0-9)")
_AFTER_DIGIT_RE = re.compile(r"\\d[^\s\\\w]*(?:\\s[+*]?|\s)+((?:[^\W\d_]+(?:\\s[+*]|\s+))*[^\W\d_]+)")


def _grammar_strings():
    """The strings of the period grammar (extractors/periods.py): its words are data too."""
    from extractors import periods
    for value in vars(periods).values():
        if isinstance(value, re.Pattern):
            yield value.pattern
        elif isinstance(value, (str, tuple, list, dict)):
            yield from _strings(value)


@lru_cache(maxsize=None)
def tables() -> tuple[dict, dict, dict]:
    """(everywhere, before a number, after a number): folded lower-case phrase of 1-4 syllables
    (single spaces) -> its spelling in the data."""
    lexicon = load("lexicon")
    strings = [s for source in (lexicon, load("subjects"), load("areas"), load_indicators())
               for s in _strings(source)] + list(_grammar_strings())
    counts, single = defaultdict(Counter), defaultdict(Counter)
    _count(counts, single, strings)
    near = []
    for keys, suffix, digit_re in ((_BEFORE_KEYS, "_before", _BEFORE_DIGIT_RE),
                                   (_AFTER_KEYS, "_after", _AFTER_DIGIT_RE)):
        c, one = defaultdict(Counter), defaultdict(Counter)
        _count(c, one, _strings([v for k, v in lexicon.items() if k in keys or k.endswith(suffix)]))
        _count(c, one, [m.group(1) for s in strings for m in digit_re.finditer(s)])
        near.append(_choose(c, one))
    return _choose(counts, single), near[0], near[1]


# Share of a text's words that must be syllables the data write with diacritics for it to be
# Vietnamese written without them (about 85% in such news; English prose: under 20%).
_VIETNAMESE_SHARE = 0.5
_MIN_WORDS = 8


def unmarked(text: str) -> bool:
    """Whether (almost) no letter of `text` carries a Vietnamese diacritic: at most one in 400
    characters, so that a name pasted with its marks ("Hà Nội") leaves a text plain. Stops at the
    first few marks: ordinary text is told at once."""
    limit = len(text) // 400
    for n, _ in enumerate(_MARKED_RE.finditer(text)):
        if n >= limit:
            return False
    return True


def looks_plain(text: str) -> bool:
    """Whether `text` is Vietnamese written without diacritics."""
    if not unmarked(text):
        return False
    words = _WORD_RE.findall(text)
    if len(words) < _MIN_WORDS:
        return False
    known = tables()[0]
    # words the data spell with diacritics: English words of the catalogue ("of") do not count
    hits = 0
    for w in words:
        low = w.lower()
        hits += known.get(low, low) != low
    return hits >= _VIETNAMESE_SHARE * len(words)


_GLUE = frozenset("/-–")
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+(?:[.,/]\d+)*")


def _respell(word: str, spelled: str) -> str:
    return "".join(s.upper() if w.isupper() else s for w, s in zip(word, spelled))


def respelled(text: str) -> str:
    """`text` with the diacritics of the data's phrases restored, same length and case."""
    everywhere, before, after = tables()
    tokens = [(m.start(), m.end(), m.group()[0].isdigit()) for m in _TOKEN_RE.finditer(text)]
    out = list(text)

    def joined(i, j):   # tokens i..j-1 are one run of words separated by spaces only
        return all(not tokens[k][2] for k in range(i, j)) and all(
            text[tokens[k][1]:tokens[k + 1][0]].isspace() for k in range(i, j - 1))

    i = 0
    while i < len(tokens):
        a, b, digits = tokens[i]
        if digits or (text[a:b].isupper() and (text[a - 1:a] in _GLUE or text[b:b + 1] in _GLUE)):
            i += 1      # a number, or a code of a symbol ("01-NQ/TU", "QD-UBND"): as written
            continue
        in_name = i > 0 and text[a].isupper() and text[tokens[i - 1][0]].isupper() and \
            not tokens[i - 1][2] and text[tokens[i - 1][1]:a].isspace()
        after_number = i > 0 and tokens[i - 1][2] and text[tokens[i - 1][1]:tokens[i][0]].isspace()
        for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            if not joined(i, i + n):
                continue
            key = " ".join(text[a:b].lower() for a, b, _ in tokens[i:i + n])
            before_number = i + n < len(tokens) and tokens[i + n][2] and \
                text[tokens[i + n - 1][1]:tokens[i + n][0]].isspace()
            spelled = (after_number and after.get(key)) or (before_number and before.get(key)) \
                or everywhere.get(key)
            if not spelled or (n == 1 and in_name):
                continue    # a capitalised word after another is part of a name ("Ba To", "Hai
                            # Ba Trung"): respelled only in a longer phrase of the data
            for (a, b, _), part in zip(tokens[i:i + n], spelled.split(" ")):
                out[a:b] = _respell(text[a:b], part)
            i += n
            break
        else:
            i += 1
    return "".join(out)


def _written(read: str, written: str, part: str | None, near: int) -> str | None:
    """`part`, a piece of `read` around offset `near`, as `written` has it (same offsets)."""
    if not part:
        return part
    at = read.find(part, max(0, near - len(part)))
    while at != -1 and at <= near + 1:
        if at + len(part) >= near:
            return written[at:at + len(part)]
        at = read.find(part, at + 1)
    at = read.find(part)
    return written[at:at + len(part)] if at != -1 else part


def _symbol(symbol: str) -> str:
    # A type code written without its "Đ" ("ND-CP", "QD-UBND") stands for the code (Decree
    # 30/2020/NĐ-CP, appendix I, has no "ND"): the spec's "normalised form" spells it as issued.
    codes = {fold(code): code for code in TYPE_CODES if code != fold(code)}
    return re.sub(r"[^\W\d_]+", lambda m: codes.get(m.group(), m.group()), symbol)


def as_written(result: dict, body: str, body_read: str, title: str | None, title_read: str | None) -> dict:
    """`extract`'s result on the respelled texts with its strings taken back from the texts as
    written: `text`, `sentence` and `subject` of each figure, and legal symbols' "Đ" codes."""
    for obs in result["observations"]:
        if obs["start"] >= 0:
            read, written, near = body_read, body, obs["start"]
        elif title is not None and title_read is not None and title_read.find(obs["text"]) != -1:
            read, written, near = title_read, title, title_read.find(obs["text"])
        else:
            continue
        obs["text"] = written[near:near + len(obs["text"])]
        obs["sentence"] = _written(read, written, obs["sentence"], near)
        obs["subject"] = _written(read, written, obs.get("subject"), near + len(obs["text"]))
    for ref in result["legal_refs"]:
        ref["symbol"] = _symbol(ref["symbol"])
    return result
