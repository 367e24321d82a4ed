import sys

from pipenv import main

sys.exit(main())
