"""Reader for PETRARCH / TABARI actor and agent dictionaries.

Lets the coder resolve actors the way a PETRARCH dictionary says (the PETRARCH unit-test
suite's fictional countries, or an analyst's own dictionary), on top of Rashomon's
text-based resolution. Supported syntax (the subset PETRARCH's validation files use):

Actors::

    UNITED_STATES [USA]          words joined by "_" or spaces; "+SYNONYM" lines follow
    ARNOR_  [ARN]                a trailing "_" means the last word must match exactly;
    ARGENTIN [ARG]               without it the last word matches as a prefix ("Argentina")
    GOLLUM                       an entry whose codes follow on indented lines, optionally
        [HOB < 950601]           date-restricted: "< date", "> date", "date - date"
        [HOBGOV 19950601 - 19990815]

Agents::

    !PERSON! = MAN, MEN          substitution sets
    PRESIDENT [~GOV]             "~XXX": sector appended to the actor ("PAKGOV")
    HUMAN_RIGHTS_BODY [NGO~]     "XXX~": prefixed
    TROOPS {}  [~MIL]            "{}" = no automatic plural; "{GEESE}" = explicit plurals

Comments (``#`` to end of line, ``<!-- … -->``) are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

__all__ = ["ActorDictionary", "load_petrarch_dictionaries"]

_COMMENT = re.compile(r"<!--.*?-->|<!.*?-->", re.S)
_CODE = re.compile(r"\[([^\]]*)\]")


@dataclass(frozen=True, slots=True)
class _Code:
    code: str
    start: date | None = None  # inclusive
    end: date | None = None  # inclusive


@dataclass
class ActorDictionary:
    """Phrase → code tables; look up with :meth:`actor` / :meth:`agent` on word lists."""

    actors: dict[tuple[str, ...], list[_Code]] = field(default_factory=dict)
    prefix_last: dict[tuple[str, ...], bool] = field(default_factory=dict)
    agents: dict[tuple[str, ...], tuple[str, bool]] = field(default_factory=dict)  # (code, prefix?)
    max_len: int = 1

    def actor(self, words: list[str], when: str | None = None) -> tuple[str, int, int] | None:
        """Longest actor phrase in ``words``: (code, start, end) or ``None``."""
        up = [w.upper() for w in words]
        for n in range(min(self.max_len, len(up)), 0, -1):
            for i in range(len(up) - n + 1):
                for key in self._candidates(up[i:i + n]):
                    codes = self.actors.get(key)
                    if codes:
                        code = _pick(codes, when)
                        if code:
                            return code, i, i + n
        return None

    def _candidates(self, words: list[str]) -> list[tuple[str, ...]]:
        out = [tuple(words)]
        last = words[-1]
        for cut in range(len(last) - 1, 2, -1):
            key = (*words[:-1], last[:cut])
            if self.prefix_last.get(key):
                out.append(key)
        return out

    def agent(self, words: list[str]) -> tuple[str, bool] | None:
        up = [w.upper() for w in words]
        for n in range(min(self.max_len, len(up)), 0, -1):
            for i in range(len(up) - n + 1):
                hit = self.agents.get(tuple(up[i:i + n]))
                if hit:
                    return hit
        return None


def _parse_date(text: str) -> date | None:
    t = text.strip()
    if not t.isdigit():
        return None
    if len(t) == 6:  # YYMMDD, TABARI style
        yy = int(t[:2])
        t = (f"19{t}" if yy > 30 else f"20{t}")
    try:
        return date(int(t[:4]), int(t[4:6]), int(t[6:8]))
    except ValueError:
        return None


def _parse_code(body: str) -> _Code | None:
    body = body.strip()
    if not body:
        return None
    parts = body.split(None, 1)
    code = parts[0]
    rest = parts[1].strip() if len(parts) > 1 else ""
    if not rest:
        return _Code(code)
    if rest.startswith("<"):
        d = _parse_date(rest[1:])
        return _Code(code, None, d) if d else None
    if rest.startswith(">"):
        d = _parse_date(rest[1:])
        return _Code(code, d, None) if d else None
    if "-" in rest:
        a, b = rest.split("-", 1)
        da, db = _parse_date(a), _parse_date(b)
        return _Code(code, da, db) if da and db else None
    return None


def _pick(codes: list[_Code], when: str | None) -> str | None:
    day: date | None = None
    if when:
        try:
            day = date.fromisoformat(when[:10])
        except ValueError:
            day = None
    default = None
    for c in codes:
        if c.start is None and c.end is None:
            default = default or c.code
            continue
        if day is not None and (c.start is None or c.start <= day) and (c.end is None or day <= c.end):
            return _clean(c.code)
    if default:
        return _clean(default)
    return None


def _clean(code: str) -> str | None:
    code = code.strip()
    return None if not code or code in ("---", "+++", "###") else code


def _words(name: str) -> tuple[tuple[str, ...], bool]:
    """Dictionary phrase → words; the bool says the last word may be a prefix."""
    name = name.strip()
    exact = name.endswith("_")
    words = tuple(w for w in re.split(r"[_\s]+", name.upper()) if w)
    return words, not exact


def _strip(text: str) -> str:
    return _COMMENT.sub("", text)


def read_actors(text: str, into: ActorDictionary) -> None:
    names: list[str] = []
    codes: list[_Code] = []

    def flush() -> None:
        if names and codes:
            for n in names:
                words, prefix = _words(n)
                if not words:
                    continue
                into.actors.setdefault(words, []).extend(codes)
                if prefix:
                    into.prefix_last[words] = True
                into.max_len = max(into.max_len, len(words))

    for raw in _strip(text).splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("+"):
            names.append(stripped[1:].split("[")[0])
            for body in _CODE.findall(stripped):
                c = _parse_code(body)
                if c:
                    codes.append(c)
            continue
        if line[0].isspace() or stripped.startswith("["):
            for body in _CODE.findall(stripped):
                c = _parse_code(body)
                if c:
                    codes.append(c)
            continue
        flush()
        names = [stripped.split("[")[0]]
        codes = [c for c in (_parse_code(b) for b in _CODE.findall(stripped)) if c]
    flush()


def read_agents(text: str, into: ActorDictionary) -> None:
    subs: dict[str, list[str]] = {}
    for raw in _strip(text).splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
        if m:
            subs[m.group(1)] = [w.strip().upper() for w in m.group(2).split(",") if w.strip()]
            continue
        cm = _CODE.search(line)
        if not cm:
            continue
        body = cm.group(1).strip()
        prefix = body.endswith("~")
        code = body.strip("~ ")
        if not code:
            continue
        head = line[: cm.start()]
        plurals_m = re.search(r"\{([^}]*)\}", head)
        explicit = plurals_m is not None
        plurals = plurals_m.group(1).split() if plurals_m else []
        name = re.sub(r"\{[^}]*\}", "", head).strip()
        variants = [name]
        for key, alternatives in subs.items():
            if key in name:
                variants = [name.replace(key, w) for w in alternatives]
        for v in variants + plurals:
            words, _ = _words(v)
            if not words:
                continue
            into.agents[words] = (code, prefix)
            into.max_len = max(into.max_len, len(words))
            if not explicit:
                last = words[-1]
                plural = last + ("ES" if last.endswith(("S", "SH", "CH")) else "S")
                into.agents[(*words[:-1], plural)] = (code, prefix)


def load_petrarch_dictionaries(folder: str | Path) -> ActorDictionary:
    """Read every ``*actors*.txt`` and ``*agents*.txt`` file of a PETRARCH dictionary folder."""
    d = ActorDictionary()
    root = Path(folder)
    for f in sorted(root.glob("*ctors*.txt")):
        read_actors(f.read_text(encoding="utf-8", errors="replace"), d)
    for f in sorted(root.glob("*gents*.txt")):
        read_agents(f.read_text(encoding="utf-8", errors="replace"), d)
    return d
