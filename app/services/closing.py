"""Steps 8–10: signing the conclusions, archiving, publicity and filing dates.

Two archives, as X§10(九) and X§11 ask at two moments. At step 9 (归档保密) the meeting's
confidential materials are archived — the minutes, the interview questions and the original
ballot records, with the database they come from — before anything is published. The
*final* archive (最终归档) is written once the meeting is finished (step 10 done and the
publicity's outcome recorded): it holds every final paper, the publicity notice, the filing
report (备案报告) and the work summary included, which do not exist at step 9.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from app.domain import Role, Step
from app.errors import RuleViolation, Violation
from app.rules.calendar import PublicityDates, WorkCalendar
from app.rules.calendar_years import Deadlines, calendar_document, deadlines, missing_calendar
from app.services.base import Store, fail, meeting_row, member_row, require_step
from app.storage.db import backup
from app.storage.schema import candidate, meeting
from app.text import bi
from app.views.record import meeting_record


class ClosingService:
    def __init__(self, store: Store, calendar: WorkCalendar) -> None:
        self.store = store
        self.calendar = calendar

    def sign_conclusions(self, actor: str, meeting_id: int, signer_code: str) -> int:
        """The chair or vice-chair signs every candidate's conclusion (签字确认)."""
        with self.store.write(actor, "conclusion.sign", meeting_id, signer=signer_code) as tx:
            require_step(tx.conn, meeting_id, Step.SIGNING)
            signer = member_row(tx.conn, meeting_id, signer_code)
            if signer.role not in (Role.CHAIR.value, Role.VICE_CHAIR.value):
                raise fail("sign.role", bi(f"{signer.name} is not the chair or vice-chair",
                                           f"{signer.name}不是主任委员或副主任委员，不能签字"))
            undecided = tx.conn.execute(select(candidate.c.code).where(
                candidate.c.meeting_id == meeting_id, candidate.c.outcome.is_(None))).scalars().all()
            if undecided:
                raise fail("sign.undecided", bi(f"no outcome yet for: {', '.join(undecided)}",
                                                f"以下申报人尚无评审结论，不能签字：{'、'.join(undecided)}"))
            n = tx.conn.execute(update(candidate).where(
                candidate.c.meeting_id == meeting_id, candidate.c.signed_by.is_(None)).values(
                signed_by=f"{signer.name}（{_ROLE_ZH[signer.role]}）")).rowcount
            tx.data["signed"] = n
        return int(n)

    def archive(self, actor: str, meeting_id: int, folder: Path,
                extra_files: dict[str, bytes] | None = None,
                add_files: Callable[[Path], object] | None = None, *, final: bool = False) -> Path:
        """Archive the meeting (归档): a consistent database copy, the meeting record and
        whatever ``add_files(target)`` writes (the documents), under a SHA-256 manifest.

        At step 9 into ``meeting-<id>-<year>`` (the confidential archive of the meeting's
        materials); with ``final``, once the meeting is finished and the publicity's outcome is
        recorded, into ``meeting-<id>-<year>-final`` (every final paper; see the module docstring)."""
        folder = Path(folder)
        with self.store.read() as conn:
            if final:
                _require_finished(conn, meeting_id)
            else:
                require_step(conn, meeting_id, Step.ARCHIVE)
            m = meeting_row(conn, meeting_id)
        target = folder / f"meeting-{meeting_id}-{m.year}{'-final' if final else ''}"
        target.mkdir(parents=True, exist_ok=True)
        files: dict[str, bytes] = dict(extra_files or {})
        files["record.json"] = (json.dumps(meeting_record(self.store, meeting_id), ensure_ascii=False,
                                           indent=2) + "\n").encode("utf-8")
        entered = self.calendar.user_years()
        if entered:   # the years the meeting's dates were counted on: `conclave recount --calendar calendar.json`
            files["calendar.json"] = (json.dumps(calendar_document(entered), ensure_ascii=False,
                                                 indent=2) + "\n").encode("utf-8")
        for name, data in files.items():
            (target / name).write_bytes(data)
        if add_files is not None:
            add_files(target)
        backup(self.store.engine, target / "meeting.sqlite3")
        manifest = {p.relative_to(target).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                    for p in sorted(target.rglob("*")) if p.is_file() and p.name != "MANIFEST.sha256"}
        (target / "MANIFEST.sha256").write_text(
            "".join(f"{digest}  {name}\n" for name, digest in manifest.items()), encoding="utf-8")
        if final:        # the step-9 archive stays where the meeting records it; the final one in the trail
            with self.store.write(actor, FINAL_ARCHIVE, meeting_id, path=str(target), manifest=manifest) as tx:
                _require_finished(tx.conn, meeting_id)
            return target
        with self.store.write(actor, "meeting.archive", meeting_id, path=str(target),
                              manifest=manifest) as tx:
            require_step(tx.conn, meeting_id, Step.ARCHIVE)
            tx.conn.execute(update(meeting).where(meeting.c.id == meeting_id).values(
                archived_path=str(target)))
        return target

    def check_final_archive(self, meeting_id: int) -> None:
        """Refuse now what the final archive would refuse (the window asks before a long write)."""
        with self.store.read() as conn:
            _require_finished(conn, meeting_id)

    def deadlines(self, meeting_id: int, start: dt.date | None = None) -> Deadlines:
        """Publicity dates (公示) and the filing deadline (备案) for this meeting's vote, as far as the
        working-day calendar knows them: a date in a year nobody entered is None, and
        :meth:`missing_calendar` says which year and where to enter it. Never guesses, never raises
        for an unknown year."""
        with self.store.read() as conn:
            m = meeting_row(conn, meeting_id)
        if m.vote_date is None:
            raise fail("publicity.no_vote", bi("the vote has not been held", "尚未表决"))
        return deadlines(self.calendar, m.vote_date, start or m.publicity_start)

    def missing_calendar(self, found: Deadlines) -> Violation | None:
        """The refusal for what ``found`` lacks (``calendar.unknown_year``), or None when complete."""
        return missing_calendar(found, self.store.path)

    def publicity(self, meeting_id: int, start: dt.date | None = None) -> tuple[PublicityDates, dt.date]:
        """Publicity dates (公示) and the filing deadline (备案) for this meeting's vote; refused
        (``calendar.unknown_year``) when either falls in a year nobody entered."""
        found = self.deadlines(meeting_id, start)
        missing = self.missing_calendar(found)
        if missing is not None:
            raise RuleViolation(missing)
        assert found.publicity is not None and found.filing_due is not None
        return found.publicity, found.filing_due

    def set_publicity(self, actor: str, meeting_id: int, start: dt.date) -> PublicityDates:
        """Set the publicity start. Its period must be known; the filing deadline may still wait for
        next year's calendar (finishing step 10 needs it, publicity on time must not)."""
        found = self.deadlines(meeting_id, start)
        if found.publicity is None:
            raise RuleViolation(self.missing_calendar(found))   # type: ignore[arg-type]
        dates, due = found.publicity, found.filing_due
        with self.store.read() as conn:
            vote = meeting_row(conn, meeting_id).vote_date
        if start <= vote:
            raise fail("publicity.early", bi(f"publicity starts after the vote of {vote}",
                                             f"公示应在表决日（{vote}）之后开始"), ref="X§10(十)")
        if dates.late:
            raise fail("publicity.late", bi(f"publicity must start by {dates.start_by} (the 3rd "
                                            f"working day after the vote of {vote}); {start} is too late",
                                            f"公示须在表决日（{vote}）后第3个工作日（{dates.start_by}）前开始，{start}已晚"),
                       ref="X§10(十)")
        with self.store.write(actor, "publicity.set", meeting_id, start=start, end=dates.end,
                              filing_due=due) as tx:
            require_step(tx.conn, meeting_id, Step.PUBLICITY)
            tx.conn.execute(update(meeting).where(meeting.c.id == meeting_id).values(publicity_start=start))
        return dates


    def record_publicity_outcome(self, actor: str, meeting_id: int, objections: str) -> None:
        """What the publicity period brought (公示结果): ``""`` for no objection, else the
        objections and how they were handled. The filing report (备案报告) must say it."""
        with self.store.write(actor, "publicity.outcome", meeting_id, objections=objections.strip()) as tx:
            m = meeting_row(tx.conn, meeting_id)
            if not m.publicity_start:
                raise fail("publicity.not_started", bi("set the publicity start first",
                                                       "尚未确定公示开始日期"))
            tx.conn.execute(update(meeting).where(meeting.c.id == meeting_id).values(
                publicity_objections=objections.strip()))

    def record_work_summary(self, actor: str, meeting_id: int, *, experience: str, improvements: str,
                            suggestions: str) -> None:
        """The texts of the work summary (评审工作总结, X§11(二)) only people can write: 典型经验,
        改进方向, 意见建议. The paper composes the rest (the pool and the draw, the procedure) from the
        record and prints these under their headings; an empty one prints as a section to fill in.
        Written from step 10 on — the summary is filed after the meeting, so also once it is finished;
        each call replaces the three texts (audited)."""
        texts = {"summary_experience": experience.strip(), "summary_improvements": improvements.strip(),
                 "summary_suggestions": suggestions.strip()}
        n = sum(1 for text in texts.values() for ch in text if not ch.isspace())
        if n > SUMMARY_LIMIT:
            raise fail("filing.summary_length", bi(
                f"the work summary's texts have {n} characters; the whole summary is at most {SUMMARY_LIMIT}",
                f"工作总结的典型经验、改进方向、意见建议共{n}字，而工作总结全文不超过{SUMMARY_LIMIT}字"), ref="X§11")
        with self.store.write(actor, "summary.texts", meeting_id, **texts) as tx:
            m = meeting_row(tx.conn, meeting_id)
            if m.current_step < Step.PUBLICITY:
                current = Step(m.current_step)
                raise fail("step.not_reached", bi(
                    f"the work summary is written from step 10 on: the meeting is at step {int(current)} {current.zh}",
                    f"工作总结在第10步“结果公示”起填写，会议正在进行第{int(current)}步“{current.zh}”"))
            tx.conn.execute(update(meeting).where(meeting.c.id == meeting_id).values(
                **{k: v or None for k, v in texts.items()}))

    def record_filing_report(self, actor: str, meeting_id: int, *, number: str, date: dt.date | None) -> None:
        """The filing report's 发文字号 (e.g. 州卫职改〔2026〕7号) and 成文日期, as the office issues it
        (GB/T 9704 上行文, X§11). The report prints them; not recorded, it leaves lines to fill by hand —
        never a made-up number or day. The date is not before the publicity ends (the report states its
        outcome). Written from step 10 on, also once the meeting is finished; each call replaces both."""
        number = number.strip()
        with self.store.read() as conn:
            m = meeting_row(conn, meeting_id)
        if m.current_step < Step.PUBLICITY:
            current = Step(m.current_step)
            raise fail("step.not_reached", bi(
                f"the filing report is issued from step 10 on: the meeting is at step {int(current)} {current.zh}",
                f"备案报告在第10步“结果公示”起填写，会议正在进行第{int(current)}步“{current.zh}”"))
        if date is not None:
            if m.publicity_start is None:
                raise fail("publicity.not_started", bi("set the publicity start before dating the filing report",
                                                       "尚未确定公示开始日期，不能确定备案报告的成文日期"))
            found = self.deadlines(meeting_id, m.publicity_start)
            end = found.publicity.end if found.publicity is not None else None
            if end is not None and date < end:
                raise fail("filing.date_early", bi(
                    f"the filing report is dated after the publicity ends ({end}): {date} is before it",
                    f"备案报告的成文日期应在公示结束（{end}）之后，{date}早于公示结束日"), ref="X§11")
        with self.store.write(actor, "filing.report", meeting_id, number=number, date=date) as tx:
            tx.conn.execute(update(meeting).where(meeting.c.id == meeting_id).values(
                filing_report_number=number or None, filing_report_date=date))


FINAL_ARCHIVE = "meeting.archive.final"
"""The audit action of the final archive (its path and manifest are in the event)."""


def _require_finished(conn: Any, meeting_id: int) -> None:
    """The final archive holds the papers of a finished meeting: step 10 done, and the publicity's
    outcome recorded (the filing report states it; without it there is no filing report to archive)."""
    m = meeting_row(conn, meeting_id)
    if not m.finished:
        current = Step(m.current_step)
        raise fail("archive.not_finished", bi(
            f"the final archive is written once the meeting is finished (step 10 done): the meeting is at "
            f"step {int(current)} {current.zh}",
            f"最终归档在会议全部完成（第10步“结果公示”完成）后生成，会议正在进行第{int(current)}步“{current.zh}”"))
    if m.publicity_objections is None:
        raise fail("archive.no_outcome", bi(
            "record the publicity's outcome (公示结果) first: the filing report in the final archive states it",
            "请先记录公示结果：最终归档中的备案报告须写明公示情况"))


SUMMARY_LIMIT = 2000   # X§11(二) 评审工作总结不超过2000字 (the paper checks the whole text)

_ROLE_ZH: dict[Any, str] = {"chair": "主任委员", "vice_chair": "副主任委员", "expert": "评委"}
