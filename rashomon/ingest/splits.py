"""Reading one large JSON Lines file as several pieces, for parallel readers (the Spark job).

A file is cut at line ends into byte ranges of about ``split_bytes``; each range knows the
number of its first line, so a piece's records and failures are named ``<file>:<line>``
exactly as a whole-file reading names them, and ordering pieces by position gives the
file's reading order. Only uncompressed files the ingest stage reads as JSONL are cut (a
gzip stream cannot be entered in the middle); anything else is read whole.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from ..errors import IngestError
from ..records import Article, IngestFailure
from .core import _HEAD
from .detect import detect_format
from .tabular import read_jsonl

_CHUNK = 1 << 22


class LineRange(NamedTuple):
    start: int  # byte offset of the piece's first line
    end: int  # byte offset just past its last line end
    first_line: int  # the file's line number of ``start`` (1-based)


def jsonl_ranges(path: str, split_bytes: int, *,
                 field_map: Mapping[str, str] | None = None) -> list[LineRange] | None:
    """Byte ranges cutting a local JSONL file at line ends into pieces of about
    ``split_bytes``; ``None`` when the file is to be read whole (no larger than one piece,
    compressed, not JSONL, unreadable, or holding no content: a whole reading reports those).
    """
    try:
        with open(path, "rb") as fh:
            size = fh.seek(0, io.SEEK_END)
            if split_bytes <= 0 or size <= split_bytes:
                return None
            fh.seek(0)
            head = fh.read(_HEAD)
            if head.startswith(b"\x1f\x8b") or detect_format(path, head, field_map=field_map) != "jsonl":
                return None
            cuts = [0]
            while cuts[-1] + split_bytes < size:
                fh.seek(cuts[-1] + split_bytes)
                fh.readline()  # on to the end of the line the target falls in
                if fh.tell() >= size:
                    break
                cuts.append(fh.tell())
            cuts.append(size)
            ranges: list[LineRange] = []
            line, content, first = 1, False, True
            for start, end in itertools.pairwise(cuts):
                ranges.append(LineRange(start, end, line))
                fh.seek(start)
                left = end - start
                while left > 0:
                    chunk = fh.read(min(_CHUNK, left))
                    if not chunk:
                        break
                    left -= len(chunk)
                    line += chunk.count(b"\n")
                    if first:  # a byte-order mark is not content (a whole reading drops it)
                        chunk, first = chunk.removeprefix(b"\xef\xbb\xbf"), False
                    content = content or bool(chunk.strip())
    except OSError:
        return None
    return ranges if content and len(ranges) > 1 else None


def read_jsonl_range(path: str, source: str, piece: LineRange, *,
                     field_map: Mapping[str, str] | None = None,
                     max_bytes: int = 50_000_000) -> Iterator[Article | IngestFailure]:
    """The articles and failures of one piece of a JSONL file, named as in a whole reading.
    Never raises: a piece that cannot be read is one failure naming the file."""
    try:
        with open(path, "rb") as fh:
            fh.seek(piece.start)
            data = fh.read(piece.end - piece.start)
        yield from read_jsonl(io.BytesIO(data), source=source, field_map=field_map, max_bytes=max_bytes,
                              first_line=piece.first_line, whole=False)
    except IngestError as exc:
        yield IngestFailure(exc.source or source, exc.reason)
    except OSError as exc:
        yield IngestFailure(source, f"cannot read file ({(exc.strerror or str(exc)).lower()})")


__all__ = ["LineRange", "jsonl_ranges", "read_jsonl_range"]
