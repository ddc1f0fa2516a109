"""The host's serving panel and the live board: serving off until the chair turns it on, on one
interface; a staff member's pairing code with its QR; a real terminal pairs over TLS on loopback and
appears with its state; revoking it; the board shows who voted, never how."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.domain import Step
from app.services import Conclave
from tests.sessions import ROUND_PASSPHRASE, STAFF_CODES, set_staff_codes, unlock
from ui.live_board import LiveBoard
from ui.serving import ServingPanel, qr_image

from .conftest import OpenMeeting, wait_ops
from .test_kiosk import experts


def loopback_panel(qtbot, app: Conclave, mid: int) -> ServingPanel:
    from app.lan.host import Host

    panel = ServingPanel(app, mid, host_factory=lambda a, m, bind, _port: Host(a, m, bind, 0),
                         interfaces=lambda: [("lo", "127.0.0.1")])
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_qr_image_has_a_quiet_zone_and_dark_modules() -> None:
    image = qr_image("conclave-host 127.0.0.1:8443 AB:CD code 123456", scale=4)
    assert image.width() == image.height() and image.width() % 4 == 0
    assert image.pixelColor(1, 1).name() == "#ffffff"                         # the quiet zone
    assert image.pixelColor(4 * 4 + 1, 4 * 4 + 1).name() == "#000000"           # the finder pattern's corner


def test_serving_pairing_and_revoking_a_terminal(qtbot, meeting_at: OpenMeeting, tmp_path: Path) -> None:
    from app.lan.client import StationClient

    app, mid = meeting_at(Step.PLENARY)
    set_staff_codes(app, mid)
    panel = loopback_panel(qtbot, app, mid)
    assert panel.host is None and not panel.pair_box.isEnabled() and panel.state.text() == "已关闭"
    assert panel.interface.currentData() == "127.0.0.1"
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    try:
        assert panel.host is not None and panel.host.address.startswith("127.0.0.1:")
        assert panel.address.text() == panel.host.address and panel.fingerprint.text() == panel.host.fingerprint
        assert panel.pair_box.isEnabled() and not panel.interface.isEnabled()

        qtbot.mouseClick(panel.new_code, Qt.MouseButton.LeftButton)      # a staff member signs in first
        dialog = panel.sign_in_dialog
        dialog.fields.choose("secretary")
        dialog.fields.code.setText(STAFF_CODES["secretary"])
        dialog.sign_in()
        wait_ops(qtbot)
        assert panel.staff is not None and panel.code and panel.code == panel.pairing.text()
        assert panel.qr.pixmap() is not None and not panel.qr.pixmap().isNull()
        assert "分" in panel.expiry.text()

        client = StationClient(panel.host.address, panel.fingerprint.text(), tmp_path / "journal")
        client.pair(panel.code, "第1号终端")
        client.close()
        panel.refresh()
        assert [s.name for s in panel.model.rows] == ["第1号终端"] and "已配对终端1台" in panel.summary.text()
        panel.view.selectRow(0)
        assert panel.revoke.isEnabled()
        qtbot.mouseClick(panel.revoke, Qt.MouseButton.LeftButton)      # the staff member is still signed in
        wait_ops(qtbot)
        assert panel.model.rows[0].revoked and "已吊销" in panel.message.text()
        assert panel.model.index(0, 1).data() == "已吊销"
    finally:
        panel.shutdown()
    assert panel.host is None and panel.staff is None
    panel.close()


def test_live_board_shows_who_voted_never_how(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    board = LiveBoard(app, mid, refresh_ms=60_000)
    qtbot.addWidget(board)
    board.show()
    assert board.title.text() == "当前没有进行中的表决"
    voters = experts(app, mid)
    rid = app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE)
    token = unlock(app, mid, voters[0])
    cands = [c.code for c in app.views.candidates(mid)]
    app.desk.cast(token, rid, {cands[0]: "no", cands[1]: "yes"})
    board.refresh()
    names = {m.code: m.name for m in app.views.members(mid)}
    assert "1" in board.count.text() and str(len(voters)) in board.count.text()
    assert board.title.text() == "第1轮表决进行中"          # the vote's progress, not "表决票" (an expert's ballot)
    assert [lab.text() for lab in board.voted.labels] == [f"✓ {names[voters[0]]}"]
    assert len(board.waiting.labels) == len(voters) - 1
    shown = "\n".join(w.text() for w in board.findChildren(QLabel))
    for word in ("赞成", "反对", "弃权"):
        assert word not in shown                                     # never how
    assert "不显示投票内容" in board.note.text()


class _FakeHost:
    """A host that records being started and stopped (the real one is tested above)."""

    def __init__(self, bind: str, port: int) -> None:
        self.address, self.fingerprint, self.running = f"{bind}:{port}", "AB" * 32, False

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    def pairing_qr_text(self, code: str) -> str:
        return f"conclave-pair:{self.address}?fp={self.fingerprint}&code={code}"


def test_the_main_window_keeps_serving_while_the_panel_is_closed_and_stops_it_on_close(
        qtbot, meeting_at: OpenMeeting, monkeypatch) -> None:
    import ui.serving
    from ui.main_window import MainWindow

    hosts: list[_FakeHost] = []

    def fake(_app: Conclave, _mid: int, bind: str, port: int) -> _FakeHost:
        hosts.append(_FakeHost(bind, port))
        return hosts[-1]

    monkeypatch.setattr(ui.serving, "lan_host", fake)
    monkeypatch.setattr(ui.serving, "lan_interfaces", lambda: [("eth0", "192.168.1.10")])
    app, mid = meeting_at(Step.PLENARY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.tool_actions["Terminals on the network"].trigger()
    panel = window.serving
    assert isinstance(panel, ServingPanel) and panel.parent() is window and panel.isVisible()
    assert panel.windowTitle() == "网络终端服务" and panel.host is None
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    assert hosts and hosts[0].running and panel.address.text() == "192.168.1.10:8443"
    panel.close()                                                   # hidden: terminals keep voting
    assert hosts[0].running
    assert window.open_serving() is panel and panel.host is hosts[0]
    window.close_helpers()                                          # the meeting closes: serving stops
    assert not hosts[0].running and window.serving is None
    window.close()
