"""``python -m ringkas`` is the ``ringkas`` command."""

from ringkas.cli import main

main()
