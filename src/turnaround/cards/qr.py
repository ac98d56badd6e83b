"""QR codes and short URLs that send a card's reader to its page.

Real QR codes only (`segno.make_qr`; plain `make` may choose Micro QR, which
many phones cannot read), error level M, with the four-module quiet zone.
A QR code always encodes an absolute URL under the site's address (mkdocs.yml's
`site_url`, or `SITE_URL` in the environment). Without an address there is no
QR code: a phone cannot open a bare path, so the card prints the path as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


def configured_site_url(root: Path, config_file: Path | None = None) -> str | None:
    """The site's address as MkDocs reads mkdocs.yml (its `!ENV SITE_URL` included); None when unset.

    For commands outside a site build (`turnaround cards`, the bench, the export) and for
    `mkdocs serve`, which replaces config.site_url with its own address.
    """
    return configured_setting(root, "site_url", config_file)


def configured_setting(root: Path, name: str, config_file: Path | None = None) -> str | None:
    """One setting of mkdocs.yml as MkDocs reads it (`!ENV` included); None when unset.

    MkDocs is imported here only: the rest of the core never needs it.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from .errors import CardError

    config_file = config_file or root / "mkdocs.yml"
    if not config_file.is_file():
        return None
    try:
        return load_config(str(config_file))[name] or None
    except (Abort, ConfigurationError):
        # MkDocs has already said which value is wrong; say where the address comes from.
        raise CardError(
            f"cards: {config_file.name} cannot be read (see above); SITE_URL, when set, must be a whole address such as https://kb.example.org/"
        ) from None


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
