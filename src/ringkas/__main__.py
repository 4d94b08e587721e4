"""``python -m ringkas`` is the ``ringkas`` command."""

import sys

from .cli import main

sys.exit(main())
