"""Fetching the raw data into ``data/01_raw``: ``moodrec fetch-data`` (docs/data.md).

:mod:`.sources` reads what to fetch (``conf/base/data_sources.yml``), :mod:`.fetch` does it
(pooch downloads, archives, mirrors, checks), :mod:`.faces` converts FER2013's releases into
the face table and checks it, :mod:`.command` is the command line.
"""

from moodrec.fetch.fetch import FetchResult, fetch_data
from moodrec.fetch.sources import FetchError, VerificationError, load_sources

__all__ = ["FetchError", "FetchResult", "VerificationError", "fetch_data", "load_sources"]
