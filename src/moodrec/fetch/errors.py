"""Errors of ``moodrec fetch-data``: each names the file, and the column or line, at fault."""

from __future__ import annotations


class FetchError(RuntimeError):
    """Raw data could not be fetched (missing source, network or HTTP error, bad archive)."""


class VerificationError(FetchError):
    """A fetched file does not have the expected schema or row counts."""
