"""Run the kiosk: ``python main.py [ARGS]`` is the same program as the ``kiosk`` command."""

import sys

from ui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
