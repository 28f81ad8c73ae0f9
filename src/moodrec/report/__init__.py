"""``moodrec report``: ``docs/results.md`` generated from the pipelines' metrics and plots.

:mod:`.collect` reads the catalog, :mod:`.render` writes the text, :mod:`.command` is the
``moodrec report`` command (it writes the file and copies the plots).
"""
