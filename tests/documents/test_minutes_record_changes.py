"""The minutes record what changed before the meeting and the ballot's quorum: a candidate
withdrawn with the reason, a draw replaced by a re-draw with the reason, and the share of the
panel that must be present for a round to open."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from app.documents.from_db import build_report
from app.documents.minutes import make_minutes
from app.services import Conclave
from tests.demo_templates import Templates

SECRETARY = "人事科 李文静"
SET_UP = 0                       # the demo set up, step 1 not finished: corrections are still open


def _minutes_text(app: Conclave, out: Path) -> str:
    report = build_report(app.views, app.calendar, 1)
    make_minutes(report, out)
    return "".join(page.extract_text() for page in PdfReader(out).pages).replace(" ", "").replace("\n", "")


def test_withdrawal_redraw_and_quorum_are_in_the_minutes(demo_templates: Templates, tmp_path: Path) -> None:
    with Conclave(demo_templates.copy(SET_UP, tmp_path / "m.sqlite3")) as app:
        plain = _minutes_text(app, tmp_path / "plain.pdf")
        assert "无申报人撤回申报，评委未重新抽取" in plain
        assert "表决法定出席人数：评审方案规定为评审专家的三分之二，即不少于9人" in plain

        withdrawn = app.views.candidates(1)[0]
        app.setup.withdraw_candidate(SECRETARY, 1, withdrawn.code, "本人书面申请撤回")
        draw = app.views.draw_record(1)
        assert draw is not None
        app.setup.redraw(SECRETARY, 1, reason="抽中评委王某因病不能到会", witness=draw.witness,
                         needs=draw.needs, alternates=1, seed="second-draw")
        text = _minutes_text(app, tmp_path / "changed.pdf")
    assert "撤回申报1人" in text and withdrawn.name in text and "本人书面申请撤回" in text
    assert "第1次抽取" in text and draw.seed in text and "抽中评委王某因病不能到会" in text
    assert withdrawn.name not in text.split("参评人员评审情况")[1]        # not reviewed, not voted on
