"""The host's serving panel (终端服务): expert terminals on the office LAN, turned on by the chair.

Off by default: nothing listens until the chair turns serving on here, on the one network
interface they pick (the host then listens on that address only and never contacts any other,
:class:`app.lan.host.Host`). The panel shows what a terminal needs to pair — the address, the
fingerprint of the host's certificate (the terminal pins it: a look-alike host is refused) and a
one-time pairing code, also as a QR code — and every paired terminal with its state (connected,
who is signed in, entries waiting, last seen) and a *Revoke* button.

A pairing code and a revocation are acts of a staff member signed in with their own code
(:class:`ui.staff_sign_in.StaffSignInDialog`): the audit trail names them
(:meth:`app.services.stations.StationService.open_pairing`, ``revoke``). The panel keeps the
session's token while it is open and forgets it when it closes.

Closing the panel does not stop serving (terminals keep voting); :meth:`ServingPanel.shutdown`
does, and the main window calls it when it closes or opens another meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

import qrcode
import qrcode.constants
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import RuleViolation
from app.services import Conclave
from app.services.staff import StaffSession
from ui.i18n import bridge, headline, tr
from ui.models import Column, RowsModel
from ui.ops import run_op
from ui.scrolling import fit_to_screen
from ui.staff_sign_in import StaffSignInDialog

DEFAULT_PORT = 8443
REFRESH_MS = 1_000


class HostLike(Protocol):
    """What the panel uses of :class:`app.lan.host.Host`."""

    @property
    def address(self) -> str: ...
    @property
    def fingerprint(self) -> str: ...

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def pairing_qr_text(self, code: str) -> str: ...


#: Makes the host for (services, meeting id, bind address, port): :class:`app.lan.host.Host` unless a test says.
HostFactory = Callable[[Conclave, int, str, int], HostLike]


def lan_host(app: Conclave, meeting_id: int, bind: str, port: int) -> HostLike:
    from app.lan.host import Host

    return Host(app, meeting_id, bind, port)


def lan_interfaces() -> list[tuple[str, str]]:
    from app.lan.host import listen_addresses

    return list(listen_addresses())


def qr_image(text: str, scale: int = 6, border: int = 4) -> QImage:
    """``text`` as a QR code (error correction M), ``scale`` pixels a module, quiet zone included."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    qr.add_data(text)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix) * scale
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(QRect(x * scale, y * scale, scale, scale), QColor("black"))
    painter.end()
    return image


def _since(when: Any) -> str:
    if when is None:
        return tr("never")
    if isinstance(when, dt.datetime):
        now = dt.datetime.now(when.tzinfo) if when.tzinfo else dt.datetime.now()
        seconds = max(0, int((now - when).total_seconds()))
    else:
        seconds = max(0, int(float(when)))
    return tr("{n} s ago", n=seconds) if seconds < 120 else tr("{n} min ago", n=seconds // 60)


class ServingPanel(QWidget):
    """Turn serving on, pair terminals, see and revoke them."""

    def __init__(self, app: Conclave, meeting_id: int, host_factory: HostFactory | None = None,
                 interfaces: Callable[[], list[tuple[str, str]]] | None = None,
                 refresh_ms: int = REFRESH_MS, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)     # owned by the main window: kiosk mode hides it too
        self.app, self.meeting_id = app, meeting_id
        self.host_factory = host_factory or lan_host        # the real host unless a test says
        self.interfaces = interfaces or lan_interfaces
        self.host: HostLike | None = None
        self.staff: StaffSession | None = None
        self.code: str | None = None
        self.expires: dt.datetime | None = None
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        # serving on/off, on one interface
        self.switch_box = QGroupBox()
        form = QFormLayout(self.switch_box)
        self.interface, self.port = QComboBox(), QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.interface_label, self.port_label = QLabel(), QLabel()
        form.addRow(self.interface_label, self.interface)
        form.addRow(self.port_label, self.port)
        self.toggle = QPushButton()
        self.toggle.clicked.connect(self.toggle_serving)
        self.state = QLabel()
        self.state.setWordWrap(True)
        form.addRow(self.toggle, self.state)

        # what a terminal needs to pair
        self.pair_box = QGroupBox()
        pair = QHBoxLayout(self.pair_box)
        facts = QFormLayout()
        self.address, self.fingerprint, self.pairing = QLabel(), QLabel(), QLabel()
        for label in (self.address, self.fingerprint, self.pairing):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.fingerprint.setStyleSheet("font-family: monospace; font-size: 12pt;")
        self.fingerprint.setWordWrap(True)
        self.pairing.setStyleSheet("font-size: 28pt; font-weight: bold; letter-spacing: 4px;")
        self.address_label, self.fingerprint_label, self.pairing_label = QLabel(), QLabel(), QLabel()
        facts.addRow(self.address_label, self.address)
        facts.addRow(self.fingerprint_label, self.fingerprint)
        facts.addRow(self.pairing_label, self.pairing)
        self.expiry = QLabel()
        self.expiry.setWordWrap(True)
        self.new_code = QPushButton()
        self.new_code.clicked.connect(self.open_pairing)
        column = QVBoxLayout()
        column.addLayout(facts)
        column.addWidget(self.expiry)
        column.addWidget(self.new_code, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        self.qr = QLabel()
        self.qr.setFixedSize(220, 220)
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pair.addLayout(column, 1)
        pair.addWidget(self.qr)

        # the paired terminals
        self.stations_box = QGroupBox()
        sl = QVBoxLayout(self.stations_box)
        self.model = RowsModel([
            Column("Terminal", lambda s: s.name),
            Column("State", self._state_text, colour=lambda s: "#b3261e" if s.revoked else
                   ("#2e7d32" if s.connected else "#8a6d00")),
            Column("Signed-in expert", lambda s: s.expert or "—"),
            Column("Entries waiting", lambda s: s.pending, align_right=True),
            Column("Last seen", lambda s: _since(s.last_seen))], self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().hide()
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.revoke = QPushButton()
        self.revoke.clicked.connect(self.revoke_selected)
        self.summary = QLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.revoke)
        sl.addWidget(self.view, 1)
        sl.addLayout(bottom)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.sign_out = QPushButton()
        self.sign_out.clicked.connect(self.forget_staff)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        foot = QHBoxLayout()
        foot.addWidget(self.message, 1)
        foot.addWidget(self.sign_out)
        foot.addWidget(self.close_button)
        top = QHBoxLayout()
        top.addWidget(self.switch_box, 2)
        top.addWidget(self.pair_box, 3)
        layout.addLayout(top)
        layout.addWidget(self.stations_box, 1)
        layout.addLayout(foot)

        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self.refresh)
        self.load_interfaces()
        bridge.language_changed.connect(self.retranslate)
        fit_to_screen(self, 1200, 720)
        self.retranslate()
        self.refresh()
        self.timer.start()

    # -- serving --------------------------------------------------------------------------
    def load_interfaces(self) -> None:
        self.interface.clear()
        try:
            found = self.interfaces()
        except OSError:
            found = []
        for name, ip in found:
            self.interface.addItem(f"{name} — {ip}", ip)

    def toggle_serving(self) -> None:
        if self.host is not None:
            self.stop_serving()
            return
        ip = self.interface.currentData()
        if not ip:
            self.say(tr("Choose the network interface of the office LAN first."), error=True)
            return
        try:
            host = self.host_factory(self.app, self.meeting_id, str(ip), self.port.value())
            host.start()
        except RuleViolation as exc:
            self.say("\n".join(headline(v) for v in exc.violations), error=True)
            return
        except OSError as exc:
            self.say(tr("Serving could not start on {address}: {why}", address=f"{ip}:{self.port.value()}",
                        why=exc.strerror or str(exc)), error=True)
            return
        self.host = host
        self.say(tr("Serving is on. Terminals can pair now."))
        self.retranslate()

    def stop_serving(self) -> None:
        host, self.host = self.host, None
        if host is not None:
            host.stop()
        self.code = self.expires = None
        self.say(tr("Serving is off. Paired terminals keep their pairing and reconnect when it is on again."))
        self.retranslate()

    def shutdown(self) -> None:
        """Stop serving and forget the staff session (the main window closes or changes meeting)."""
        self.timer.stop()
        if self.host is not None:
            self.host.stop()
            self.host = None
        self.forget_staff()

    # -- staff acts -------------------------------------------------------------------------
    def _as_staff(self, then: Callable[[str], None]) -> None:
        """Run ``then(staff_token)``, asking a staff member to sign in first if none is."""
        if self.staff is not None:
            try:
                self.app.staff.session(self.staff.token)
            except RuleViolation:
                self.staff = None
        if self.staff is not None:
            then(self.staff.token)
            return
        dialog = StaffSignInDialog(self.app, self.meeting_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.intro.setText(tr("Pairing a terminal and revoking one are done by a staff member named in the plan, "
                                "signed in with their own code: the record names them."))

        def signed_in(session: StaffSession) -> None:
            self.staff = session
            self.retranslate()
            then(session.token)
        dialog.signed_in.connect(signed_in)
        dialog.open()
        self.sign_in_dialog = dialog

    def forget_staff(self) -> None:
        if self.staff is not None:
            sign_out = getattr(self.app.staff, "sign_out", None)
            if sign_out is not None:
                sign_out(self.staff.token)
        self.staff = None
        self.retranslate()

    def open_pairing(self) -> None:
        if self.host is None:
            return

        def offer(token: str) -> None:
            run_op(lambda: self.app.stations.open_pairing(token), self._offered,
                   lambda exc: self.say("\n".join(headline(v) for v in exc.violations), error=True))
        self._as_staff(offer)

    def _offered(self, offer: Any) -> None:
        self.code, self.expires = offer.code, offer.expires_at
        self.say("")
        self.retranslate()

    def selected(self) -> Any:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def revoke_selected(self) -> None:
        station = self.selected()
        if station is None or station.revoked:
            return

        def revoked(_result: object) -> None:
            self.say(tr("Terminal “{name}” is revoked: it can no longer send anything.", name=station.name))
            self.refresh()

        def revoke(token: str) -> None:
            run_op(lambda: self.app.stations.revoke(token, station.station_id), revoked,
                   lambda exc: self.say("\n".join(headline(v) for v in exc.violations), error=True))
        self._as_staff(revoke)

    # -- showing ----------------------------------------------------------------------------
    def _state_text(self, s: Any) -> str:
        if s.revoked:
            return tr("Revoked")
        return tr("Connected") if s.connected else tr("Not connected")

    def refresh(self) -> None:
        """Read the terminals' states again (kept in memory by the host process) and the code's time left."""
        chosen = self.selected()
        try:
            states = list(self.app.stations.station_states(self.meeting_id))
        except RuleViolation:
            states = []
        self.model.set_rows(states)
        if chosen is not None:
            for i, s in enumerate(states):
                if s.station_id == chosen.station_id:
                    self.view.selectRow(i)
        self._show_code()
        self._update()

    def _show_code(self) -> None:
        if self.code is not None and self.expires is not None:
            left = (self.expires - dt.datetime.now(self.expires.tzinfo)).total_seconds() if self.expires.tzinfo \
                else (self.expires - dt.datetime.now()).total_seconds()
            if left <= 0:
                self.code = self.expires = None
        serving = self.host is not None
        if serving and self.code is not None and self.expires is not None:
            self.pairing.setText(self.code)
            minutes, seconds = divmod(int(left), 60)
            self.expiry.setText(tr("Valid once, for {m} min {s} s more. Type it on the terminal with the address "
                                   "and the fingerprint, or scan the QR code.", m=minutes, s=seconds))
            if self.qr.property("for") != self.code and self.host is not None:
                image = qr_image(self.host.pairing_qr_text(self.code), scale=5)
                self.qr.setPixmap(QPixmap.fromImage(image).scaled(
                    self.qr.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation))
                self.qr.setProperty("for", self.code)
        else:
            self.pairing.setText("—")
            self.expiry.setText(tr("Press “New pairing code” for each terminal to pair.") if serving else "")
            self.qr.clear()
            self.qr.setProperty("for", None)

    def _update(self) -> None:
        station = self.selected()
        self.revoke.setEnabled(station is not None and not station.revoked)
        states = self.model.rows
        connected = sum(1 for s in states if s.connected and not s.revoked)
        self.summary.setText(tr("{n} terminal(s) paired, {c} connected now.",
                                n=sum(1 for s in states if not s.revoked), c=connected))

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(f"color:{'#b3261e' if error else '#1e5e22'};")
        self.message.setText(text)

    def retranslate(self, _language: str = "") -> None:
        serving = self.host is not None
        self.setWindowTitle(tr("Terminals on the network"))
        self.intro.setText(tr("Experts can vote, score and draft questions at terminals on the office's closed "
                              "network. Serving is off until you turn it on; the host then listens only on the "
                              "interface chosen here and never contacts any other address."))
        self.switch_box.setTitle(tr("Serving"))
        self.interface_label.setText(tr("Network interface"))
        self.port_label.setText(tr("Port"))
        self.toggle.setText(tr("Turn serving off") if serving else tr("Turn serving on"))
        self.toggle.setStyleSheet("" if serving else "background:#1a5fb4; color:white; font-weight:bold;")
        self.interface.setEnabled(not serving)
        self.port.setEnabled(not serving)
        self.state.setText(tr("On, listening at {address}", address=self.host.address) if self.host else tr("Off"))
        self.pair_box.setTitle(tr("Pair a terminal"))
        self.pair_box.setEnabled(serving)
        self.address_label.setText(tr("Host address"))
        self.fingerprint_label.setText(tr("Certificate fingerprint"))
        self.pairing_label.setText(tr("Pairing code"))
        self.address.setText(self.host.address if self.host else "—")
        self.fingerprint.setText(self.host.fingerprint if self.host else "—")
        self.new_code.setText(tr("New pairing code"))
        self.stations_box.setTitle(tr("Paired terminals"))
        self.revoke.setText(tr("Revoke the selected terminal"))
        self.sign_out.setText(tr("Sign out {name}", name=self.staff.name) if self.staff else "")
        self.sign_out.setVisible(self.staff is not None)
        self.close_button.setText(tr("Close"))
        self._show_code()
        self._update()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing hides the panel: serving goes on; the staff member is signed out of it."""
        self.forget_staff()
        super().closeEvent(event)
