from ringkas.cli.main import main

__all__ = ["main"]
