"""The cards' fonts are the @font-face files of cards.css and nothing else.

WeasyPrint lets Fontconfig add every font of the machine as a fallback, so a
card could come out differently on each machine (a system's colour emoji, its
own CJK face), and `turnaround check` (printable.py) could not know what
prints. Its font configuration is therefore made from `fonts.conf`, which
names no font folder, and shared by every render of the process, so the font
files are loaded once.
"""

from __future__ import annotations

import os
from functools import lru_cache

from .layout import HERE

FONTS_CONF = HERE / "fonts.conf"


@lru_cache(maxsize=1)
def font_config():
    """WeasyPrint's FontConfiguration over an empty Fontconfig set-up (it reads FONTCONFIG_FILE when created)."""
    from weasyprint.text.fonts import FontConfiguration

    before = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(FONTS_CONF)
    try:
        return FontConfiguration()
    finally:
        if before is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = before
