#!/usr/bin/env python3
"""Entry point: `python run_bot.py [run|console|check|ask|report] ...` (see README)."""

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
