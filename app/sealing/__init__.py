"""Sealing (电子签章): the committee's own key, PAdES seals on documents, and their checks.

The committee creates its key on the meeting laptop (:mod:`app.sealing.keys`, through
``DocumentsService.create_key``); minutes and result sheets are sealed with a visible
PAdES signature (:mod:`app.sealing.sign`); anyone holding the committee's root
certificate can check a sealed file offline (:mod:`app.sealing.verify`, whose verdict is
:mod:`app.sealing.verdict`), and a QR payload read from a printed sheet can be checked
against the archive (:mod:`app.sealing.qrcheck`). Nothing here touches the network: no
CRL, OCSP or timestamp server is ever asked.

Importing this package loads nothing: cryptography and pyHanko are imported only by the
modules that make keys, sign or verify, so ``conclave --help`` and the window's start-up
(which imports :mod:`app.sealing.verdict` through the documents service) do not pay for them.
"""
