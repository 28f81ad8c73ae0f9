"""Imported by Python at start-up when this folder is on ``PYTHONPATH`` (the browser tests'
``moodrec serve``): every ``connect``/``connect_ex``/``sendto`` of a socket and every name
looked up (``getaddrinfo``) is appended to the file named by ``MOODREC_CONNECTIONS_LOG``, one
JSON line each, before it happens. The first line says the recorder is armed in this process."""

from __future__ import annotations

import json
import os
import socket

_LOG = os.environ.get("MOODREC_CONNECTIONS_LOG")


def _note(**what) -> None:
    with open(_LOG, "a", encoding="utf-8") as log:  # noqa: PTH123 - no pathlib this early
        log.write(json.dumps({"pid": os.getpid(), **what}, default=str) + "\n")


def _recorded(method, kind):
    def recording(self, address, *args):
        target = args[-1] if kind == "sendto" else address
        _note(call=kind, family=int(self.family), type=int(self.type), target=target)
        return method(self, address, *args)
    return recording


if _LOG:
    _real_getaddrinfo = socket.getaddrinfo

    def _getaddrinfo(host, *args, **kwargs):
        _note(call="getaddrinfo", target=host)
        return _real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = _getaddrinfo
    for _name in ("connect", "connect_ex", "sendto"):
        setattr(socket.socket, _name, _recorded(getattr(socket.socket, _name), _name))
    _note(call="armed", target=None)
