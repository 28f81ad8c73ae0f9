"""``python -m moodrec``: the project's command line (same as the ``moodrec`` script)."""

from moodrec.cli import main

if __name__ == "__main__":
    main()
