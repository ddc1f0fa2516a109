"""Screenshots of the setup's corrections for ``conclave screenshots`` (:mod:`ui.screenshots`): each
dialog as the setup page opens it, on the demo meeting set up (stage 0), with its fields filled in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QLineEdit, QTableView

from ui.pages.setup import SetupPage


def _setup(window: Any) -> SetupPage:
    page = window.wizard.page_for(0)
    assert isinstance(page, SetupPage)
    page.refresh()
    return page


def _select(view: QTableView, code: str) -> None:
    model = view.model()
    for i, row in enumerate(getattr(model, "rows", [])):
        if row.code == code:
            view.selectionModel().select(model.index(i, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                         | QItemSelectionModel.SelectionFlag.Rows)


def plan(app: Any, mid: int, window: Any) -> Any:
    tab = _setup(window).plan_tab
    tab.ask_edit()
    assert tab.dialog is not None and tab.dialog.reason is not None
    tab.dialog.place.setText("市人力资源和社会保障局第一会议室")
    tab.dialog.reason.setPlainText("会议地点调整，按备案方案补正")
    return tab.dialog


def candidate(app: Any, mid: int, window: Any) -> Any:
    tab = _setup(window).candidates_tab
    _select(tab.view, "C002")
    tab.buttons.ask_edit()
    dialog = tab.buttons.dialog
    dialog.unit.setText("市第一人民医院（本部）")         # type: ignore[union-attr]
    dialog.reason.setPlainText("工作单位录入有误，按申报材料更正")  # type: ignore[union-attr]
    return dialog


def withdraw(app: Any, mid: int, window: Any) -> Any:
    tab = _setup(window).candidates_tab
    _select(tab.view, "C005")
    tab.buttons.ask_drop()
    tab.buttons.dialog.reason.setPlainText("本人书面申请撤回本年度申报")  # type: ignore[union-attr]
    return tab.buttons.dialog


def pool_expert(app: Any, mid: int, window: Any) -> Any:
    tab = _setup(window).pool_tab
    _select(tab.view, "P002")
    tab.buttons.ask_edit()
    tab.buttons.dialog.reason.setPlainText("任职年限录入有误")  # type: ignore[union-attr]
    return tab.buttons.dialog


def approval(app: Any, mid: int, window: Any) -> Any:
    from app.rules.draw import PoolExpert

    app.setup.add_pool("秘书", app.views.plan(mid).committee_id,
                       [PoolExpert("S01", "资深一", "县人民医院", "内科", "中级", 25)])
    tab = _setup(window).pool_tab
    _select(tab.view, "S01")
    tab.buttons.ask_approve()
    dialog = tab.buttons.dialog
    assert dialog is not None
    for field in dialog.findChildren(QLineEdit):
        field.setText("湘人社函〔2026〕12号")
    return dialog


def replace_chair(app: Any, mid: int, window: Any) -> Any:
    tab = _setup(window).panel_tab
    _select(tab.presiding_view, "M01")
    tab.ask_replace()
    tab.dialog.reason.setPlainText("原主任委员因公出差，经批准更换")  # type: ignore[union-attr]
    return tab.dialog


def redraw(app: Any, mid: int, window: Any) -> Any:
    record = app.views.draw_record(mid)
    app.setup.redraw("秘书", mid, reason="抽取时监督人员未按时到场，经研究重新抽取", witness=record.witness,
                     needs=record.needs, alternates=1)
    window.resize(1280, 820)
    window.show()
    window.wizard.restart()                          # the setup page, where the draw is re-run
    page = _setup(window)
    page.tabs.setCurrentWidget(page.draw_tab)
    page.draw_tab.start_redraw(True)
    page.draw_tab.reason.setPlainText("一名抽取评委与新增申报人同一单位，须回避")
    return window


SCREENSHOT_DIALOGS: list[tuple[str, int, Callable[[Any, int, Any], Any]]] = [
    ("dialog-correct-plan", 0, plan), ("dialog-correct-candidate", 0, candidate),
    ("dialog-withdraw-candidate", 0, withdraw), ("dialog-correct-pool-expert", 0, pool_expert),
    ("dialog-hr-approval", 0, approval), ("dialog-replace-chair", 0, replace_chair),
    ("page-00-setup-redraw", 0, redraw),
]
