"""Expert terminals on a closed LAN: the host's HTTPS server, the terminal's client, their messages.

A reader layer, like :mod:`app.cli`: it calls the services and views of :class:`app.services.Conclave`
(the host) and never SQL; no Qt. :mod:`app.lan.host` serves, :mod:`app.lan.client` connects,
:mod:`app.lan.messages` says what may cross, :mod:`app.lan.tls` makes and pins the certificate,
:mod:`app.lan.journal` keeps a terminal's entries until the host has them.
"""
