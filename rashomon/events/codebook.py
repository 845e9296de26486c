"""CAMEO and PLOVER codebooks, loaded from the package data (``rashomon/events/data``).

* :func:`load_codebook` reads the CAMEO 0.7b5 code list with Goldstein scores and quad
  classes, the CAMEO→PLOVER 2021 mapping and the PLOVER event-type definitions (Open
  Event Data Alliance, see ``data/LICENSES.md``).
* Lookups fall back from a 4-digit code to its 3-digit parent and then to the root, so a
  code the mapping does not list still gets a Goldstein score and a PLOVER type.

One documented extension of the official mapping: CAMEO 02x (appeals) are unmapped in
CAMEO2PLOVER-2021, yet PLOVER's REQUEST is defined as "all requests, demands, and orders";
Rashomon maps 02x to REQUEST with the mode of the matching 10x code (assist / change /
yield / meet). Statements (01x) stay without a PLOVER type.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["CameoCode", "Codebook", "PloverType", "load_codebook"]

#: 02x appeal → PLOVER REQUEST mode, mirroring the mapping of the 10x demand codes.
_APPEAL_MODES: dict[str, str | None] = {
    "020": None, "021": "assist", "022": "assist", "023": "assist", "024": "change",
    "025": "yield", "026": "meet", "027": "meet", "028": "meet",
}


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    root: str
    label: str
    goldstein: float | None
    quad_class: int | None
    plover_type: str | None
    plover_mode: str | None
    plover_context: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PloverType:
    name: str
    definition: str
    modes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """Read-only view of the codebooks. Build it with :func:`load_codebook`."""

    codes: dict[str, CameoCode]
    plover_types: dict[str, PloverType] = field(default_factory=dict)

    def get(self, code: str) -> CameoCode | None:
        """The entry for ``code`` or its nearest listed ancestor (``1622`` → ``162`` → ``16``)."""
        c = code
        while c:
            hit = self.codes.get(c)
            if hit is not None:
                return hit
            c = c[:-1] if len(c) > 2 else ""
        return None

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self.codes

    def label(self, code: str) -> str:
        hit = self.get(code)
        return hit.label if hit else ""

    def goldstein(self, code: str) -> float | None:
        hit = self.get(code)
        return hit.goldstein if hit else None

    def quad_class(self, code: str) -> int | None:
        hit = self.get(code)
        return hit.quad_class if hit else None

    def plover(self, code: str) -> tuple[str | None, str | None]:
        """(PLOVER type, mode) for a CAMEO code, walking up to the nearest mapped ancestor."""
        c = code
        while c:
            hit = self.codes.get(c)
            if hit is not None and hit.plover_type:
                return hit.plover_type, hit.plover_mode
            c = c[:-1] if len(c) > 3 else ""
        return None, None

    def plover_context(self, code: str) -> tuple[str, ...]:
        c = code
        while c:
            hit = self.codes.get(c)
            if hit is not None and hit.plover_type:
                return hit.plover_context
            c = c[:-1] if len(c) > 3 else ""
        return ()

    @staticmethod
    def root(code: str) -> str:
        return code[:2]


def _read_text(name: str) -> str:
    return resources.files("rashomon.events").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_codebook() -> Codebook:
    """Load (once per process) the CAMEO codes with their Goldstein and PLOVER columns."""
    raw: list[dict[str, Any]] = json.loads(_read_text("cameo_event_codes.json"))
    mapping: dict[str, dict[str, str]] = {
        row["cameo_code"]: row for row in csv.DictReader(io.StringIO(_read_text("cameo_to_plover.csv")))
    }
    codes: dict[str, CameoCode] = {}
    for item in raw:
        code = str(item["code"])
        row = mapping.get(code)
        ptype = (row or {}).get("plover_type") or item.get("plover_type")
        pmode = (row or {}).get("plover_mode") or item.get("plover_mode")
        pctx_raw = (row or {}).get("plover_context") or ""
        pctx = tuple(x for x in pctx_raw.split(";") if x) if pctx_raw else tuple(item.get("plover_context") or ())
        if code[:2] == "02" and not ptype and len(code) >= 3:
            ptype, pmode = "REQUEST", _APPEAL_MODES.get(code[:3])
        codes[code] = CameoCode(
            code=code,
            root=str(item["root_code"]),
            label=item.get("label") or (item.get("label_variants") or [""])[0] or "",
            goldstein=item.get("goldstein"),
            quad_class=item.get("quad_class"),
            plover_type=ptype or None,
            plover_mode=pmode or None,
            plover_context=pctx,
        )
    ptypes: dict[str, PloverType] = {}
    for t in json.loads(_read_text("plover_event_types.json")):
        ptypes[t["event"]] = PloverType(
            name=t["event"], definition=t.get("definition") or "",
            modes=tuple(m["mode"] for m in t.get("modes") or ()),
        )
    return Codebook(codes=codes, plover_types=ptypes)
