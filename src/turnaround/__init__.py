"""Turnaround: a knowledge base on service recovery.

The core (load, validate, index, render cards) is plain Python and knows
nothing of MkDocs; `hooks/` adapts it to a site build.
"""
