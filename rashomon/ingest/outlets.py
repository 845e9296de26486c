"""Outlet names: one canonical spelling per outlet.

``normalize_outlet`` maps the many spellings of an outlet (``Reuters``, ``REUTERS``,
``Thomson Reuters``; ``AP``, ``The Associated Press``; ``voa``, ``Voice of America``) to
one short name, so a story view can count outlets. Unknown names are kept as written
(whitespace collapsed). ``outlet_from_url`` does the same from a web address; an unknown
host gives the host name without ``www.``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# canonical name -> spellings (compared case-insensitively, punctuation-insensitively)
_CANONICAL: dict[str, tuple[str, ...]] = {
    "Reuters": ("reuters", "thomson reuters", "reuters news", "reuters.com"),
    "AP": ("ap", "associated press", "the associated press", "apnews", "apnews.com"),
    "AFP": ("afp", "agence france-presse", "agence france presse", "france presse"),
    "VOA": ("voa", "voice of america", "voa news", "voanews", "voanews.com"),
    "UPI": ("upi", "united press international"),
    "Xinhua": ("xinhua", "xinhua news agency", "xinhuanet"),
    "Bloomberg": ("bloomberg", "bloomberg news"),
    "dpa": ("dpa", "deutsche presse-agentur"),
    "EFE": ("efe", "agencia efe"),
    "ANSA": ("ansa",),
    "Kyodo": ("kyodo", "kyodo news"),
    "Yonhap": ("yonhap", "yonhap news agency"),
    "TASS": ("tass", "itar-tass"),
    "Anadolu Agency": ("anadolu agency", "anadolu", "aa"),
    "PTI": ("pti", "press trust of india"),
    "BBC": ("bbc", "bbc news"),
    "CNN": ("cnn",),
    "Al Jazeera": ("al jazeera", "aljazeera", "al jazeera english"),
    "The New York Times": ("the new york times", "new york times", "nyt", "nytimes"),
    "The Washington Post": ("the washington post", "washington post", "wapo", "washingtonpost"),
    "The Guardian": ("the guardian", "guardian", "theguardian"),
    "The Wall Street Journal": ("the wall street journal", "wall street journal", "wsj"),
    "Fox News": ("fox news", "fox", "foxnews"),
    "HuffPost": ("huffpost", "huffington post", "the huffington post", "hpo", "huffingtonpost"),
    "NPR": ("npr",),
    "Dawn": ("dawn", "dawn news"),
    "Deutsche Welle": ("deutsche welle", "dw"),
    "RFE/RL": ("rfe/rl", "radio free europe/radio liberty", "rferl"),
}

# registrable host (without www.) -> canonical name
_HOSTS: dict[str, str] = {
    "reuters.com": "Reuters",
    "apnews.com": "AP",
    "ap.org": "AP",
    "afp.com": "AFP",
    "voanews.com": "VOA",
    "upi.com": "UPI",
    "xinhuanet.com": "Xinhua",
    "news.cn": "Xinhua",
    "bloomberg.com": "Bloomberg",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "cnn.com": "CNN",
    "aljazeera.com": "Al Jazeera",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "theguardian.com": "The Guardian",
    "wsj.com": "The Wall Street Journal",
    "foxnews.com": "Fox News",
    "huffpost.com": "HuffPost",
    "huffingtonpost.com": "HuffPost",
    "npr.org": "NPR",
    "dawn.com": "Dawn",
    "dw.com": "Deutsche Welle",
    "rferl.org": "RFE/RL",
}


def _key(name: str) -> str:
    return re.sub(r"[^\w/]+", " ", name.casefold()).strip()


_ALIASES: dict[str, str] = {_key(alias): canon for canon, aliases in _CANONICAL.items()
                            for alias in (*aliases, canon)}


def known_outlet(name: str | None) -> str | None:
    """The canonical name if ``name`` is a known spelling, else None."""
    if not name:
        return None
    return _ALIASES.get(_key(name))


def normalize_outlet(name: str | None) -> str | None:
    """Canonical outlet name; unknown names are returned tidied, empty ones as None."""
    if name is None:
        return None
    tidy = re.sub(r"\s+", " ", name).strip()
    if not tidy:
        return None
    return _ALIASES.get(_key(tidy), tidy)


def outlet_from_url(url: str | None) -> str | None:
    """Outlet of a web address: a known host's name, else the host without ``www.``."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    host = host.removeprefix("www.")
    if not host:
        return None
    parts = host.split(".")
    for i in range(len(parts) - 1):
        canon = _HOSTS.get(".".join(parts[i:]))
        if canon:
            return canon
    return host


__all__ = ["known_outlet", "normalize_outlet", "outlet_from_url"]
