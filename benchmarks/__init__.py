"""The benchmarks (`make bench`), kept out of the shipped package.

- `benchmarks.site`: how the site build scales with the number of stories (`python -m benchmarks`).
- `benchmarks.cards`: how long the card PDFs take (`python -m benchmarks.cards`).

Run them from the repository root, with the project installed in the virtual environment.
"""
