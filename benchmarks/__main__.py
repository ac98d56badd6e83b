"""`python -m benchmarks`: the site build bench (`make bench`)."""

import sys

from benchmarks.site import main

sys.exit(main())
