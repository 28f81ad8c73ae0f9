"""Fetching the raw data into ``data/01_raw``: ``moodrec fetch-data``.

* :mod:`.layout` - what goes where under ``data/01_raw`` and what each file must contain;
* :mod:`.sources` - where the data comes from (a local mirror, or the publishers' URLs in
  ``conf/base/data_sources.yml``);
* :mod:`.transfer` - downloads and copies with progress bars, written atomically;
* :mod:`.face_source`, :mod:`.ravdess` - conversion of the publishers' original formats;
* :mod:`.verify` - row counts and schema checks;
* :mod:`.fetch` - the whole job; :mod:`.command` - its command line.
"""

from moodrec.fetch.errors import FetchError, VerificationError
from moodrec.fetch.fetch import GROUPS, Outcome, fetch_data

__all__ = ["GROUPS", "FetchError", "Outcome", "VerificationError", "fetch_data"]
