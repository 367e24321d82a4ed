import sys

from poetry import main

sys.exit(main())
