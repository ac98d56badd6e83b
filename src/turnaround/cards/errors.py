"""The error raised when the cards cannot be made at all; a leaf module, so any cards module may raise it."""


class CardError(Exception):
    """The cards cannot be rendered at all (a missing font, a forbidden URL)."""
