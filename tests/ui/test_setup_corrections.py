"""The setup's corrections driven through their buttons and dialogs offscreen: the plan, a candidate,
a pool expert and its 资深中级 approval, the chair, the re-draw with its reason and the earlier draw
kept; hidden once step 1 is over. Batch actions report what they did and skipped; the ballot page
holds the quorum. The candidates of a roster without 评议组 are grouped by specialty from a proposal,
those it cannot place listed; the grouping actions say why they did nothing."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from app.domain import Step
from app.services import Conclave
from ui import ops
from ui.i18n import bridge

from .conftest import OpenMeeting, round_passphrase, wait_ops

SET_UP = 0


def setup_page(qtbot, app: Conclave, mid: int):  # type: ignore[no-untyped-def]
    from ui.pages.setup import SetupPage

    page = SetupPage(app, mid, None)
    qtbot.addWidget(page)
    page.refresh()
    return page


def select(view, codes: set[str]) -> None:  # type: ignore[no-untyped-def]
    model, selection = view.model(), view.selectionModel()
    selection.clearSelection()
    for i, row in enumerate(model.rows):
        if row.code in codes:
            selection.select(model.index(i, 0), QItemSelectionModel.SelectionFlag.Select
                             | QItemSelectionModel.SelectionFlag.Rows)


def test_the_plan_is_corrected_in_its_dialog_and_a_refusal_stays_in_it(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(SET_UP)
    page = setup_page(qtbot, app, mid)
    tab = page.plan_tab
    assert "2/3" in tab.values["quorum"].text() and "9" in tab.values["quorum"].text()
    tab.ask_edit()
    dialog = tab.dialog
    assert dialog is not None and dialog.isVisible() and not dialog.ok.isEnabled()     # no reason yet
    dialog.caps["中级"].setValue(0)
    dialog.quorum.setText("3/4")
    dialog.reason.setPlainText("按备案方案更正")
    assert dialog.ok.isEnabled()
    dialog.submit()
    wait_ops(qtbot)
    assert dialog.isVisible() and "[plan.caps]" in dialog.problems.text() and "通过率" in dialog.problems.text()
    assert app.views.plan(mid).quorum == "2/3"                  # nothing stored
    dialog.caps["中级"].setValue(75)
    dialog.place.setText("市人社局第一会议室")
    dialog.submit()
    wait_ops(qtbot)
    assert not dialog.isVisible()
    plan = app.views.plan(mid)
    assert (plan.place, plan.quorum, plan.caps) == ("市人社局第一会议室", "3/4", {"中级": "0.75"})
    assert "3/4" in tab.values["quorum"].text() and tab.values["place"].text() == "市人社局第一会议室"


def test_a_candidate_is_corrected_and_another_withdrawn_from_the_roster_tab(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(SET_UP)
    page = setup_page(qtbot, app, mid)
    tab = page.candidates_tab
    assert tab.import_button.isEnabled()                  # open after the draw: the gate rechecks the panel
    buttons = tab.buttons
    assert not buttons.edit.isEnabled()
    select(tab.view, {"C002"})
    assert buttons.edit.isEnabled() and buttons.drop.isEnabled()
    buttons.ask_edit()
    dialog = buttons.dialog
    assert dialog.code.isReadOnly() and dialog.unit.text() == "市第一人民医院"
    dialog.unit.setText("市第一人民医院（本部）")
    assert not dialog.ok.isEnabled()
    dialog.reason.setPlainText("工作单位录入有误")
    dialog.submit()
    wait_ops(qtbot)
    assert not dialog.isVisible()
    assert next(c for c in app.views.candidates(mid) if c.code == "C002").unit == "市第一人民医院（本部）"

    select(tab.view, {"C005"})
    buttons.ask_drop()
    withdraw = buttons.dialog
    # the dialog names whom it withdraws in its body, not only in its window title, and asks for the
    # reason of the withdrawal (not "更改理由")
    assert withdraw.subject.text() == "撤回申报人 C005 秦浩然" and not withdraw.subject.isHidden()
    assert withdraw.form.labelForField(withdraw.reason).text() == "撤回理由"
    withdraw.reason.setPlainText("本人书面申请撤回")
    withdraw.submit()
    wait_ops(qtbot)
    assert "C005" not in [c.code for c in tab.model.rows]
    assert not tab.withdrawn.isHidden() and "C005 秦浩然——本人书面申请撤回" in tab.withdrawn.text()
    bridge.set_language("en")
    assert "Withdrawn from the agenda" in tab.withdrawn.text()


def test_a_senior_intermediate_expert_is_added_and_approved(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(SET_UP)
    page = setup_page(qtbot, app, mid)
    tab = page.pool_tab
    tab.buttons.ask_add()
    add = tab.buttons.dialog
    for field, text in ((add.code, "S01"), (add.name, "资深一"), (add.unit, "县第一卫生院"), (add.specialty, "内科")):
        field.setText(text)
    add.title.setCurrentText("中级")
    add.years.setValue(25)
    assert add.reason is None and add.ok.isEnabled()
    add.submit()
    wait_ops(qtbot)
    row = next(e for e in tab.model.rows if e.code == "S01")
    column = [c.header for c in tab.model.columns].index("HR approval (资深中级)")
    index = tab.model.rows.index(row)
    assert tab.model.index(index, column).data() == "抽取前须登记批准"
    assert not any("S01" in m for m in app.procedure.setup_gate(mid))      # not drawn: the gate is quiet

    select(tab.view, {"P001"})
    assert not tab.buttons.approve.isEnabled()              # 正高: nothing to approve
    select(tab.view, {"S01"})
    assert tab.buttons.approve.isEnabled()
    tab.buttons.ask_approve()
    approve = tab.buttons.dialog
    assert not approve.ok.isEnabled()
    approve.form.itemAt(0, approve.form.ItemRole.FieldRole).widget().setText("湘人社函〔2026〕12号")
    approve.submit()
    wait_ops(qtbot)
    assert not approve.isVisible()
    assert next(e for e in app.views.pool(mid) if e.code == "S01").hr_approval == "湘人社函〔2026〕12号"
    assert tab.model.index(index, column).data() == "湘人社函〔2026〕12号"


def test_the_chair_is_replaced_and_the_draw_rerun_with_its_reason(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(SET_UP)
    page = setup_page(qtbot, app, mid)
    panel = page.panel_tab
    select(panel.presiding_view, {"M01"})
    panel.ask_replace()
    dialog = panel.dialog
    dialog.code.setText("M09")
    dialog.name.setText("钱主任")
    dialog.reason.setPlainText("原主任委员因公出差")
    dialog.submit()
    wait_ops(qtbot)
    assert {m.code for m in app.views.panel(mid) if m.presides} == {"M09", "M02"}

    draw = page.draw_tab
    first = app.views.draw_record(mid)
    assert draw.setup_box.isHidden() and draw.history.isHidden()
    draw.start_redraw(True)
    assert not draw.setup_box.isHidden() and draw.record_box.isHidden()
    draw.witnessed.setChecked(True)
    assert not draw.run.isEnabled()                          # the reason is missing
    draw.reason.setPlainText("抽取时监督人员未到场")
    assert draw.run.isEnabled() and draw.run.text() == "重新抽取"
    draw.run_draw()
    wait_ops(qtbot)
    second = app.views.draw_record(mid)
    assert first is not None and second is not None and second.seed != first.seed
    assert draw.setup_box.isHidden() and not draw.record_box.isHidden() and not draw.history.isHidden()
    [earlier] = draw.history.model.rows
    assert (earlier.seed, earlier.reason) == (first.seed, "抽取时监督人员未到场")
    assert "1" in draw.history.title()


def test_corrections_are_hidden_once_step_one_is_over(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(Step.PREPARATORY)
    page = setup_page(qtbot, app, mid)
    page.show()
    page.refresh()
    assert page.locked()
    assert not page.plan_tab.edit_button.isVisible() and not page.draw_tab.rerun.isVisible()
    for tab in (page.candidates_tab, page.pool_tab):
        assert not tab.buttons.add.isVisible() and not tab.buttons.edit.isVisible()
        assert not tab.import_button.isEnabled()
    page.tabs.setCurrentWidget(page.panel_tab)
    assert not page.panel_tab.replace.isVisible()


def test_signing_for_the_selected_skips_who_signed_at_the_kiosk_and_says_so(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.preparatory import PreparatoryPage

    app, mid = meeting_at(SET_UP)
    page = PreparatoryPage(app, mid, Step.PREPARATORY)
    qtbot.addWidget(page)
    page.refresh()
    page.view.selectAll()
    page.check_in_selected()
    wait_ops(qtbot)
    assert ops.messages.history[-1][:2] == ("info", "签到") and "已完成 15 项，跳过 0 项" in ops.messages.history[-1][2]
    page.view.selectAll()                                    # the rows as the screen shows them now
    kiosk = page.model.rows[0].code
    app.review.sign_commitment(kiosk, mid, kiosk)            # meanwhile, at the kiosk
    page.sign_selected()
    wait_ops(qtbot)
    assert ops.messages.history[-1][0] == "info" and "已完成 14 项，跳过 1 项" in ops.messages.history[-1][2]
    assert all(m.commitment_signed for m in app.views.members(mid))


def test_the_ballot_page_holds_the_quorum_and_warns_below_the_minimum(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.ballot import BallotPage

    app, mid = meeting_at(Step.PLENARY)
    page = BallotPage(app, mid, Step.BALLOT)
    qtbot.addWidget(page)
    page.refresh()
    presence = page.presence
    assert "至少 9 人出席" in presence.summary.text() and presence.warning.isHidden()
    assert "评审专家 13 人（主持会议的主任委员、副主任委员不计）的 2/3" in presence.summary.text()
    page.vote_day.setCurrentIndex(1)
    assert page.start_button.isEnabled()
    codes = list(presence.boxes)
    for code in codes[:5]:
        presence.boxes[code].setChecked(False)               # 8 of 13 present
    assert not page.start_button.isEnabled() and "不能开始表决" in presence.warning.text()
    presence.boxes[codes[0]].setChecked(True)                # 9: the quorum, below the X§8 minimum of 13
    assert page.start_button.isEnabled() and "少于本评委会评委最低人数 13 人" in presence.warning.text()
    bridge.set_language("en")
    assert "below the minimum panel of 13" in presence.warning.text()
    page.start_round()
    round_passphrase(page)
    wait_ops(qtbot)
    assert len(app.views.rounds(mid)[0].voters) == 9
    page.timer.stop()


def test_a_pool_file_imported_before_updates_the_pool_from_the_refusal(qtbot, meeting_at: OpenMeeting,  # type: ignore[no-untyped-def]
                                                                         tmp_path) -> None:
    from app.importing import write_roster
    from app.rules.draw import PoolExpert

    app, mid = meeting_at(SET_UP)
    page = setup_page(qtbot, app, mid)
    tab = page.pool_tab
    rows = [PoolExpert(e.code, e.name, e.unit, e.specialty, e.title, e.title_years, e.served, e.blacklisted,
                       e.conflict_units) for e in app.views.pool(mid)]
    path = write_roster("pool", tmp_path / "pool.xlsx", [*rows[1:], PoolExpert(
        rows[0].id, rows[0].name, rows[0].unit, rows[0].specialty, rows[0].title, rows[0].title_years + 1)])
    tab.import_file(path)
    wait_ops(qtbot)
    assert not tab.problem_box.isHidden() and not tab.update_button.isHidden()
    tab.ask_update()
    dialog = tab.buttons.dialog
    dialog.reason.setPlainText("任职年限更正后重新导入")
    dialog.submit()
    wait_ops(qtbot)
    assert not dialog.isVisible() and tab.problem_box.isHidden()
    assert ops.messages.history[-1][0] == "info"
    assert next(e for e in app.views.pool(mid) if e.code == rows[0].id).title_years == rows[0].title_years + 1


def _roster_without_groups(app: Conclave, mid: int, *, unmatched: str = "", experts_too: bool = False) -> None:
    """The demo set up as from a roster without a 评议组 column (experts in G1–G3 by specialty, no
    candidate in a group); ``unmatched``: a candidate of a specialty no expert has."""
    from sqlalchemy import update

    from app.storage.schema import candidate, member

    with app.store.write("测试", "test.roster_without_groups", mid) as tx:
        tx.conn.execute(update(candidate).where(candidate.c.meeting_id == mid).values(group_code=None))
        if unmatched:
            tx.conn.execute(update(candidate).where(candidate.c.meeting_id == mid, candidate.c.code == unmatched)
                            .values(specialty="全科医学"))
        if experts_too:
            tx.conn.execute(update(member).where(member.c.meeting_id == mid).values(group_code=None, leader=False))


def test_candidates_grouped_by_specialty_from_a_proposal_the_unmatched_listed(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(SET_UP)
    _roster_without_groups(app, mid, unmatched="C015")
    page = setup_page(qtbot, app, mid)
    panel = page.panel_tab
    assert "未分入评议组的申报人：30人" in panel.candidate_state.text() and "#b3261e" in panel.candidate_state.text()
    assert page.missing()[0].startswith("30 candidates in no discipline group") and not page.isComplete()
    assert panel.group_candidates.text() == "按专业分组申报人" and panel.group_candidates.isEnabled()

    panel.propose_candidate_groups()
    dialog = panel.dialog
    note = dialog.note.text()
    assert "30名未分组申报人中，29人编入与其专业相同的评委所在评议组" in note
    assert "G1组（内科）：10人" in note and "G2组（外科）：10人" in note and "G3组（护理）：9人" in note
    assert "未能分组的申报人，请在“申报人花名册”中用“更正…”" in note
    assert "C015 方卫东（全科医学）：没有该专业评委所在的评议组" in note
    assert app.views.candidates(mid)[0].group is None                 # nothing applied before OK
    dialog.submit()
    wait_ops(qtbot)
    by_specialty = {"内科": "G1", "外科": "G2", "护理": "G3"}
    groups = {c.code: c.group for c in app.views.candidates(mid)}
    assert groups == {c.code: by_specialty.get(c.specialty) for c in app.views.candidates(mid)}
    assert groups["C015"] is None and sum(g is not None for g in groups.values()) == 29
    kind, _title, text, _ = ops.messages.history[-1]
    assert kind == "info" and "已将29名申报人编入其专业所在的评议组" in text and "C015" in text
    assert page.missing() == ["1 candidate in no discipline group (评议组) — group the candidates by specialty, or "
                              "put each in a group: C015"]
    assert "1人" in panel.candidate_state.text() and "C015" in panel.candidate_state.text()

    panel.propose_candidate_groups()                   # only the unmatched one is left: said, nothing to apply
    kind, _title, text, _ = ops.messages.history[-1]
    assert kind == "info" and text.startswith("未作分组") and "C015" in text


def test_with_nothing_grouped_the_experts_get_one_group_per_specialty_then_the_candidates_follow(  # type: ignore[no-untyped-def]
        qtbot, meeting_at: OpenMeeting) -> None:
    """A roster without a 评议组 column: the candidates' grouping says the experts come first; the
    experts' grouping seats them in one group per specialty drawn; the candidates then follow."""
    app, mid = meeting_at(SET_UP)
    _roster_without_groups(app, mid, experts_too=True)
    page = setup_page(qtbot, app, mid)
    panel = page.panel_tab
    panel.propose_candidate_groups()                   # the experts are not in groups yet
    kind, title, text, _ = ops.messages.history[-1]
    assert (kind, title) == ("info", "按专业分组申报人") and "评委尚未分入评议组" in text
    assert all(m.group is None for m in app.views.panel(mid))

    bridge.set_language("en")
    try:
        panel.apply_suggestion()
        wait_ops(qtbot)
    finally:
        bridge.set_language("zh")
    kind, title, text, _ = ops.messages.history[-1]
    assert (kind, title) == ("info", "Group by the candidates' groups") and "one group per specialty drawn" in text
    drawn = app.views.draw_record(mid)
    assert drawn is not None
    specialty_of = {code: spec for spec, codes in drawn.drawn.items() for code in codes}
    experts = [m for m in app.views.panel(mid) if m.role == "expert"]
    assert experts and all(m.group == specialty_of[m.code] for m in experts)
    assert {m.group for m in experts} == set(drawn.drawn)

    panel.propose_candidate_groups()                   # the candidates follow the experts' specialties
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.submit()
    wait_ops(qtbot)
    cands = app.views.candidates(mid)
    assert all(c.group == c.specialty for c in cands if c.specialty in drawn.drawn)
    assert all(c.group is None for c in cands if c.specialty not in drawn.drawn)


def test_the_experts_grouped_by_the_candidates_groups_are_counted(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(SET_UP)
    from sqlalchemy import update

    from app.storage.schema import member

    with app.store.write("测试", "test.experts_without_groups", mid) as tx:
        tx.conn.execute(update(member).where(member.c.meeting_id == mid).values(group_code=None, leader=False))
    page = setup_page(qtbot, app, mid)
    page.panel_tab.apply_suggestion()
    wait_ops(qtbot)
    kind, _title, text, _ = ops.messages.history[-1]
    assert kind == "info" and text == "已将13名评委编入评议组：G1 5，G2 4，G3 4。"
    assert {m.group for m in app.views.panel(mid) if m.role == "expert"} == {"G1", "G2", "G3"}


def test_a_specialty_whose_experts_sit_in_several_groups_is_left_to_the_person() -> None:
    from app.views.candidates import CandidateView
    from app.views.panel import PanelRow
    from ui.pages.setup_panel import proposed_candidate_groups

    experts = [PanelRow(code, code, "某院", "正高", "expert", group, False, False, False, False, ())
               for code, group in (("P1", "G1"), ("P2", "G2"), ("P3", "G2"), ("P4", None))]
    specialty = {"P1": "内科", "P2": "内科", "P3": "外科", "P4": "儿科"}
    cands = [CandidateView(code, code, "某院", "中级", s, group, *[None] * 4, None, None, None, None, None, None)
             for code, s, group in (("C1", "内科", None), ("C2", "外科", None), ("C3", "儿科", None),
                                    ("C4", "外科", "G1"))]
    found = proposed_candidate_groups(experts, specialty, cands)
    assert found.placed == {"C2": "G2"}                       # C4 is in a group already: left as it is
    assert [(x.code, gs) for x, gs in found.ambiguous] == [("C1", ("G1", "G2"))]
    assert [x.code for x in found.unmatched] == ["C3"]        # P4 (儿科) sits in no group
