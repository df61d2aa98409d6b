#!/usr/bin/env python
from stportal.cli import main

if __name__ == "__main__":
    main()
