"""The Streamlit script of ``moodrec serve`` (``streamlit run`` runs it; it is not imported):
``app.py -- --project-dir DIR [--env ENV]``."""

import sys

from moodrec.page.layout import main

main(sys.argv[1:])
