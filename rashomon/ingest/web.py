"""Fetching a URL, safely: only when asked, never from private networks, never too much.

:func:`fetch` is used for URL inputs (``allow_urls``) and feed links (``fetch_links``):

* only ``http`` and ``https``;
* the host is resolved first and every address it resolves to must be public: private,
  loopback, link-local, multicast, reserved and unspecified addresses (IPv4 and IPv6,
  IPv4-mapped included) are refused unless ``allow_private``; redirects are followed by
  hand (at most :data:`MAX_REDIRECTS`) and each hop is checked again. (The address is
  resolved again when connecting; a DNS answer that changes in between is not covered.)
* the body is streamed and cut off past ``max_bytes`` (a ``Content-Length`` over the
  limit is refused before reading);
* ``timeout`` seconds for connecting and for each read;
* a status other than 200 is a failure naming it.

Tests pass an ``httpx.Client`` built on ``httpx.MockTransport``: no real network.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import IngestError
from .sizes import human_size

MAX_REDIRECTS = 5
USER_AGENT = "rashomon-ingest (+https://github.com/rashomon-news/rashomon)"


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # the final URL, after redirects
    content: bytes
    content_type: str | None


def _resolve(host: str) -> list[str]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                or ip.is_reserved or ip.is_unspecified)


def check_url(url: str, *, allow_private: bool = False) -> None:
    """Raise :class:`IngestError` unless ``url`` is http(s) and its host is public."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise IngestError(url, f"invalid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise IngestError(url, f"only http and https URLs can be fetched, not '{parts.scheme}'")
    if not host:
        raise IngestError(url, "URL has no host name")
    if allow_private:
        return
    try:
        addresses = _resolve(host)
    except (OSError, UnicodeError) as exc:
        raise IngestError(url, f"cannot resolve host '{host}' ({exc})") from None
    blocked = [a for a in addresses if not _is_public(a)]
    if blocked or not addresses:
        raise IngestError(url, f"refused: host '{host}' resolves to a private or reserved address "
                               f"({', '.join(blocked) or 'none'}); pass allow_private to fetch it")


def fetch(url: str, *, allow_private: bool = False, max_bytes: int = 50_000_000,
          timeout: float = 20.0, client: httpx.Client | None = None) -> Fetched:
    """GET ``url`` under the rules in the module docstring, or raise :class:`IngestError`."""
    own = client is None
    http = client or httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False,
                                  headers={"User-Agent": USER_AGENT})
    try:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                check_url(current, allow_private=allow_private)
            except IngestError as exc:
                if current == url:
                    raise
                raise IngestError(url, f"redirected to {current}: {exc.reason}") from None
            try:
                with http.stream("GET", current, timeout=timeout, follow_redirects=False) as resp:
                    if resp.is_redirect:
                        location = resp.headers.get("location")
                        if not location:
                            raise IngestError(url, f"HTTP {resp.status_code} redirect without a Location")
                        current = urljoin(current, location)
                        continue
                    if resp.status_code != 200:
                        raise IngestError(url, f"HTTP {resp.status_code} {resp.reason_phrase}".strip())
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise IngestError(url, f"response is {human_size(int(declared))}, over the "
                                               f"{human_size(max_bytes)} limit")
                    chunks: list[bytes] = []
                    total = 0
                    for chunk in resp.iter_bytes():
                        total += len(chunk)
                        if total > max_bytes:
                            raise IngestError(url, f"response is over the {human_size(max_bytes)} limit "
                                                   "(stopped reading)")
                        chunks.append(chunk)
                    return Fetched(url=current, content=b"".join(chunks),
                                   content_type=resp.headers.get("content-type"))
            except httpx.TimeoutException:
                raise IngestError(url, f"timed out after {timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise IngestError(url, f"could not fetch ({type(exc).__name__}: {exc})") from None
        raise IngestError(url, f"more than {MAX_REDIRECTS} redirects")
    finally:
        if own:
            http.close()


__all__ = ["Fetched", "check_url", "fetch"]
