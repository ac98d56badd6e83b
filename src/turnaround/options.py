"""The project's options, declared once: `extra: turnaround:` in mkdocs.yml, read through MkDocs.

The one module of the package that imports MkDocs, shared by the hooks and the
command-line tools; the core receives the plain frozen `Settings` it makes.
Each option may come from the environment with MkDocs' `!ENV` tag, as mkdocs.yml does.
A wrong option is a `BadOptions` naming it: `extra.turnaround.review_interval_days: ...`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers
from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.exceptions import Abort, ConfigurationError

from .repository import CONFIG, TEMPLATE_OVERRIDES, Settings, find_root

# Where the options live in mkdocs.yml.
KEY = "extra.turnaround"


class BadOptions(Exception):
    """mkdocs.yml cannot be read, or an option under `extra: turnaround:` is wrong; the message names it."""


class _Days(c.Type):
    # A whole number of days, 0 or more (a bool is not a number of days).
    def __init__(self, default: int):
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise c.ValidationError(f"expected a whole number of days, got {value!r}")
        if value < 0:
            raise c.ValidationError(f"must be 0 or more days, got {value}")
        return value


class _Region(c.Type):
    # A region phonenumbers knows (ISO 3166 code such as US, GB, DE).
    def __init__(self, default: str):
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str) or value.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise c.ValidationError(f"expected a two-letter region such as US or GB, got {value!r}")
        return value.upper()


class TurnaroundOptions(base.Config):
    """`extra: turnaround:` in mkdocs.yml."""

    # The address the cards' QR codes point to; unset, the site's own site_url.
    card_site_url = c.Optional(c.URL(is_dir=True))
    # How old a page's `reviewed` date may get before it is flagged "review due".
    review_interval_days = _Days(default=365)
    # The region used to recognise phone numbers written without a country code.
    phone_region = _Region(default="US")
    # Where rendered card PDFs are kept between builds, relative to mkdocs.yml (default .cache/cards).
    cache_dir = c.Optional(c.Type(str))


def settings(config) -> Settings:
    """The Settings of a loaded MkDocs config (its `extra.turnaround` validated); BadOptions names a wrong one."""
    root = Path(config.config_file_path).resolve().parent
    table = (config.extra or {}).get("turnaround")
    if table is None:
        table = {}
    if not isinstance(table, dict):
        raise BadOptions(f"{KEY}: expected a mapping of options, got {table!r}")
    options = TurnaroundOptions(config_file_path=config.config_file_path)
    options.load_dict(dict(table))
    failed, warnings = options.validate()
    # An unknown key is an error too: a misspelt option must not be silently ignored.
    messages = [f"{KEY}.{name}: {err}" for name, err in failed]
    messages += [f"{KEY}.{name}: unknown option" for name, _ in warnings if name not in options._schema_keys]
    if messages:
        raise BadOptions("; ".join(messages))
    cache_dir = options.cache_dir
    return Settings(
        review_interval_days=options.review_interval_days,
        phone_region=options.phone_region,
        docs_dir=_relative(Path(config.docs_dir).resolve(), root),
        site_url=options.card_site_url or config.site_url or None,
        cache_dir=(root / cache_dir) if cache_dir else None,
        repo_url=config.repo_url or None,
        templates_dir=_templates(config),
    )


def load(config_file: Path) -> Settings:
    """The Settings of the repository's mkdocs.yml, read by MkDocs' own config loader (its `!ENV` included).

    The command-line tools' one way to the options, and the hooks' under `mkdocs serve`,
    which replaces config.site_url with its own address.
    """
    if not config_file.is_file():
        raise BadOptions(f"{config_file}: no such file")
    try:
        config = load_config(str(config_file))
    except (Abort, ConfigurationError) as err:
        # MkDocs has already logged which value is wrong; SITE_URL is the usual one.
        hint = "SITE_URL, when set, must be a whole address such as https://kb.example.org/"
        raise BadOptions(f"{config_file.name} cannot be read ({err or 'see above'}); {hint}") from None
    return settings(config)


def site_names(config_file: Path) -> tuple[str, str]:
    """The site's name and description in a mkdocs.yml (the export's own, for `turnaround offline`)."""
    try:
        config = load_config(str(config_file))
    except (Abort, ConfigurationError, OSError) as err:
        raise BadOptions(f"{config_file} cannot be read ({err or 'see above'})") from None
    return config.site_name, config.site_description or ""


def serving_address(config) -> bool:
    """Whether config.site_url is `mkdocs serve`'s own address (never one for the cards)."""
    host, port = config.dev_addr
    return bool(config.site_url) and urlsplit(config.site_url).netloc == f"{host}:{port}"


def find(start: Path | None = None) -> tuple[Path, Settings]:
    """The enclosing repository's root and its Settings: how every command-line tool reads the options."""
    root = find_root(start)
    return root, load(root / CONFIG)


def _templates(config) -> Path | None:
    # The theme's custom_dir holds a site's overrides of Material's templates, and of ours in a folder of it.
    custom_dir = config.theme.custom_dir
    folder = Path(custom_dir) / TEMPLATE_OVERRIDES if custom_dir else None
    return folder if folder is not None and folder.is_dir() else None


def _relative(path: Path, root: Path) -> str:
    # docs_dir as the core joins it to the root (absolute when it lies outside).
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
