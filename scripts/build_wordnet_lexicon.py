"""Build the event-trigger lexicon the event-pair model reads (``rashomon/compare/data/wordnet_events.json.gz``).

Source: Princeton WordNet 3.0 as Debian ships it (``apt-get install wordnet-base``: the
database files under ``/usr/share/wordnet``; WordNet licence, reproduced in the output's
``licence`` field). Nothing is downloaded at run time: this script is run once and the
compact derived table is committed.

For every single-word verb and noun lemma the table keeps

- ``syn``: its senses' synsets, at most :data:`SENSES` per part of speech in WordNet's
  frequency order (only the first for a noun that is rare -- untagged in SemCor --, names
  no event -- not a hyponym of ``event.n.01`` or ``act.n.02`` -- and is not derived from a
  verb), plus the synsets they are derivationally related to, so "killing" (noun) meets
  "kill" (verb) and "capture" meets "apprehend";
- ``hyp``: the direct hypernyms (class and instance) of those synsets, so "Oscar" meets
  "award" and "crash" meets "accident";

and ``exceptions``, WordNet's irregular inflections ("caught" -> "catch").

Synset offsets are renumbered densely in a deterministic order (sorted by part of speech
and offset), so rebuilding gives an identical file.

Usage: ``python scripts/build_wordnet_lexicon.py [--wordnet /usr/share/wordnet]``
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import defaultdict
from pathlib import Path

SENSES = 4
#: event.n.01 ("something that happens at a given place and time") and act.n.02
#: ("something that people do or cause to happen"): noun triggers live under them.
_EVENT_ROOTS = {("n", "00029378"), ("n", "00030358")}
_OUT = Path(__file__).resolve().parents[1] / "rashomon" / "compare" / "data" / "wordnet_events.json.gz"

Synset = tuple[str, str]  # (pos, offset)


def _read_data(path: Path, pos: str) -> tuple[dict[Synset, list[str]], dict[Synset, list[tuple[str, Synset, int]]]]:
    """Words and pointers (symbol, target, source word number) of every synset in one data file."""
    words: dict[Synset, list[str]] = {}
    pointers: dict[Synset, list[tuple[str, Synset, int]]] = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        fields = line.split(" | ")[0].split()
        offset = fields[0]
        n_words = int(fields[3], 16)
        ws = [fields[4 + 2 * k].lower() for k in range(n_words)]
        # adjective-satellite markers such as "(a)" never occur in nouns and verbs
        words[(pos, offset)] = ws
        i = 4 + 2 * n_words
        n_ptr = int(fields[i])
        ptrs: list[tuple[str, Synset, int]] = []
        for k in range(n_ptr):
            sym, target, tpos, srctgt = fields[i + 1 + 4 * k: i + 5 + 4 * k]
            tpos = "a" if tpos == "s" else tpos
            ptrs.append((sym, (tpos, target), int(srctgt[:2], 16)))
        pointers[(pos, offset)] = ptrs
    return words, pointers


def _read_index(path: Path, pos: str) -> dict[str, tuple[list[Synset], int]]:
    """lemma -> (synsets in frequency order, number of senses tagged in SemCor)."""
    out: dict[str, tuple[list[Synset], int]] = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        f = line.split()
        n_syn, n_ptr = int(f[2]), int(f[3])
        tagged = int(f[5 + n_ptr])
        offsets = f[6 + n_ptr: 6 + n_ptr + n_syn]
        out[f[0].lower()] = ([(pos, o) for o in offsets], tagged)
    return out


def build(wordnet: Path) -> dict[str, object]:
    words: dict[Synset, list[str]] = {}
    pointers: dict[Synset, list[tuple[str, Synset, int]]] = {}
    index: dict[str, dict[str, tuple[list[Synset], int]]] = {}
    for pos, name in (("n", "noun"), ("v", "verb")):
        w, p = _read_data(wordnet / f"data.{name}", pos)
        words.update(w)
        pointers.update(p)
        index[pos] = _read_index(wordnet / f"index.{name}", pos)

    # nouns under the event roots (hyponym closure)
    hyponyms: dict[Synset, list[Synset]] = defaultdict(list)
    for s, ptrs in pointers.items():
        for sym, t, _src in ptrs:
            if sym in ("@", "@i"):
                hyponyms[t].append(s)
    eventive: set[Synset] = set()
    stack = sorted(_EVENT_ROOTS)
    while stack:
        s = stack.pop()
        if s in eventive:
            continue
        eventive.add(s)
        stack.extend(hyponyms[s])

    def derived(s: Synset, lemma: str) -> list[Synset]:
        """Synsets derivationally related to ``lemma``'s sense ``s`` (lemma-specific pointers)."""
        ws = words[s]
        num = ws.index(lemma) + 1 if lemma in ws else -1
        return [t for sym, t, src in pointers[s] if sym == "+" and t[0] in "nv" and src in (0, num)]

    entries: dict[str, tuple[set[Synset], set[Synset]]] = {}
    for pos in ("v", "n"):
        for lemma, (synsets, tagged) in index[pos].items():
            if "_" in lemma or not lemma.isascii():
                continue
            senses = synsets[:SENSES]
            rel = [t for s in senses for t in derived(s, lemma)]
            if pos == "n" and not (tagged or rel or any(s in eventive for s in senses)):
                # other nouns ("Oscar" -> award) keep their first sense only
                senses = senses[:1]
            syn, hyp = entries.setdefault(lemma, (set(), set()))
            syn.update(senses)
            syn.update(rel)
    for syn, hyp in entries.values():
        for s in syn:
            hyp.update(t for sym, t, _src in pointers[s] if sym in ("@", "@i"))

    # irregular inflections ("caught" -> "catch"), for heads the parser left unlemmatised
    exceptions: dict[str, str] = {}
    for name in ("verb", "noun"):
        for line in (wordnet / f"{name}.exc").read_text(encoding="latin-1").splitlines():
            f = line.split()
            if len(f) >= 2 and f[1] in entries and "_" not in f[0]:
                exceptions.setdefault(f[0], f[1])
    used = sorted({s for syn, hyp in entries.values() for s in syn | hyp})
    ids = {s: k for k, s in enumerate(used)}
    # the licence as the database files carry it (their header lines)
    header = [line.split(None, 1)[1].strip() for line in
              (wordnet / "data.verb").read_text(encoding="latin-1").splitlines()
              if line.startswith("  ") and len(line.split(None, 1)) == 2]
    return {
        "source": "Princeton WordNet 3.0 (Debian wordnet-base), built by scripts/build_wordnet_lexicon.py",
        "licence": " ".join(w for w in header if w),
        "senses": SENSES,
        "exceptions": dict(sorted(exceptions.items())),
        "lemmas": {lemma: [sorted(ids[s] for s in syn), sorted(ids[s] for s in hyp)]
                   for lemma, (syn, hyp) in sorted(entries.items())},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    ap.add_argument("--out", type=Path, default=_OUT)
    args = ap.parse_args()
    table = build(args.wordnet)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(table, separators=(",", ":"), sort_keys=True).encode()
    # mtime=0: the same input gives a byte-identical file
    with args.out.open("wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw)
    print(f"{len(table['lemmas'])} lemmas -> {args.out} ({args.out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
