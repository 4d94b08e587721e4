"""``python -m ringkas`` is the ``ringkas`` command."""

import sys

from ringkas.cli.main import main

sys.exit(main())
