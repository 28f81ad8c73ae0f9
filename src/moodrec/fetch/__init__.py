"""Fetching the raw data into ``data/01_raw``: ``moodrec fetch-data`` (docs/data.md).

:mod:`.sources` reads what to fetch (``conf/base/data_sources.yml``), :mod:`.fetch` does it
(pooch downloads, archives, mirrors), :mod:`.verify` checks each item, :mod:`.faces` converts
FER2013's releases into the face table and checks it, :mod:`.command` is the command line.
Nothing is imported
here: ``moodrec``'s parser loads the command without pooch and the downloaders (cold start).
"""
