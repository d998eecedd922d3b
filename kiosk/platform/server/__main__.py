"""``python -m kiosk.platform.server COMMAND``."""

import sys

from kiosk.platform.server.cli import main

sys.exit(main())
