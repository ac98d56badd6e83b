"""QR codes and short URLs that send a card's reader to its page.

Real QR codes only (`segno.make_qr`; plain `make` may choose Micro QR, which
many phones cannot read), error level M, with the four-module quiet zone.
A QR code always encodes an absolute URL under the site's address (the
`card_site_url` option, by default mkdocs.yml's `site_url` or `SITE_URL`). Without an address there is no
QR code: a phone cannot open a bare path, so the card prints the path as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import segno

# The code is printed 25 mm square with its quiet zone (cards.css): the symbol itself is then
# 18 mm (version 1, short paths) to 21 mm wide (version 7, long URLs), read at arm's length.
QUIET_MODULES = 4


@dataclass(frozen=True)
class Link:
    """Where a card points: the encoded URL and the text printed under its QR code."""

    url: str  # what the QR code encodes
    label: str  # the short URL printed under it

    @property
    def image(self) -> str | None:
        """The QR code as a data: URI of an SVG (vector, sharp at any printer resolution); None for a bare path."""
        return _qr(self.url) if "://" in self.url else None


def page_link(site_url: str | None, path: str) -> Link:
    """The link to a page of the site, `path` like `steps/apologize/`."""
    url = absolute_url(site_url, path)
    return Link(url, short_label(url))


def absolute_url(site_url: str | None, path: str) -> str:
    """site_url + path; the path alone (from the site root) when there is no site_url."""
    path = path.lstrip("/")
    if not site_url:
        return "/" + path
    return site_url.rstrip("/") + "/" + path


def short_label(url: str) -> str:
    """The URL as printed: without the scheme."""
    return url.split("://", 1)[-1]


@lru_cache(maxsize=4096)
def _qr(url: str) -> str:
    code = segno.make_qr(url, error="m", boost_error=False)
    return code.svg_data_uri(scale=1, border=QUIET_MODULES, dark="#000", light="#fff")
