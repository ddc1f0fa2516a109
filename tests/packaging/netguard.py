"""A guard that makes any use of the network during a test visible: opening a connection,
resolving a name, or asking one of pyHanko's certificate validator's fetchers (CRL, OCSP,
certificate issuers — the ways a signature check reaches for the internet).

Each attempt is recorded and refused (:class:`NetworkUsed`, an ``OSError`` as a real failure
would be): a library that swallows the error is still caught by the record.
"""

from __future__ import annotations

import contextlib
import importlib
import socket
from collections.abc import Iterator
from typing import Any

import pytest

FETCHER_METHODS = ("fetch", "fetch_certs", "fetch_cert_issuers", "fetch_crl_issuers")


class NetworkUsed(OSError):
    pass


def _fetcher_classes() -> list[type]:
    """Every fetcher class pyhanko_certvalidator has (both backends, where importable)."""
    from pyhanko_certvalidator.fetchers import api

    for backend in ("requests_fetchers", "aiohttp_fetchers"):
        with contextlib.suppress(ImportError):
            importlib.import_module(f"pyhanko_certvalidator.fetchers.{backend}")
    found: list[type] = []
    todo: list[type] = [api.OCSPFetcher, api.CRLFetcher, api.CertificateFetcher]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


@contextlib.contextmanager
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Within the block, every network attempt is refused and listed in the yielded list."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def refused(*args: Any, **kwargs: Any) -> Any:
            shown = ", ".join(repr(a) for a in args[1:3] if not isinstance(a, socket.socket))
            attempts.append(f"{what}({shown})")
            raise NetworkUsed(f"network used under test: {what}")
        return refused

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_connection"):
        monkeypatch.setattr(socket, name, refuse(f"socket.{name}"))
    for cls in _fetcher_classes():
        for method in FETCHER_METHODS:
            if method in vars(cls):
                monkeypatch.setattr(cls, method, refuse(f"{cls.__module__}.{cls.__qualname__}.{method}"))
    yield attempts
