"""`python -m sdkgen`: the same command line as the `sdkgen` script."""

import sys

from .cli import main

sys.exit(main())
