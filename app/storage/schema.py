"""The database schema (SQLAlchemy Core tables), version :data:`SCHEMA_VERSION`.

One SQLite file holds the meetings of a committee. Design notes:

* Every table that a step writes carries ``meeting_id`` so a meeting can be
  exported, archived and recounted on its own.
* The secret ballot keeps the voter roll (``voter_roll``: who has voted) and the
  ballots (``ballot``: what was voted) in two tables that share nothing but the
  round: ``ballot`` is a ``WITHOUT ROWID`` table keyed by a random id, with no
  timestamp, no sequence and no author. While a round is open its ballots are
  sealed (``sealed_ballot``, encrypted to the round's key ``ballot_round.seal``)
  and only written to ``ballot``, shuffled, when the round closes. See
  :mod:`app.services.voting` and :mod:`app.sealing.ballotbox`.
* The audit trail (``audit_event``) is append-only and hash-chained; the chain's
  head is repeated in ``meta`` so that removing the newest events is detected too.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 8   # 2: calendar_year; 3: quorum, HR approval, draw_history, candidate_withdrawal;
#                      4: the facts the papers print (see app.storage.db._facts);
#                      5: the filing report's 发文字号 and 成文日期 (app.storage.db._filing_report);
#                      6: the sealed ballot box of an open round (app.storage.db._sealed_box);
#                      7: the LAN terminals and their entry ledger (app.storage.db._stations)
#                      8: the rounds voided unopened (app.storage.db._voided_rounds)

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

audit_event = Table(
    "audit_event", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String, nullable=False),          # ISO 8601 UTC, seconds
    Column("actor", String, nullable=False),
    Column("action", String, nullable=False),
    Column("meeting_id", Integer),
    Column("data", Text, nullable=False),          # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

committee = Table(
    "committee", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False, unique=True),
    Column("level", String, nullable=False),           # senior / intermediate / junior
    Column("organized_by", String, nullable=False),    # series / specialty
    Column("field", String, nullable=False),           # 系列 or 专业, e.g. 卫生系列
    Column("filing_number", String),
    Column("filing_date", Date, nullable=False),       # 核准备案 date, valid 3 years
    Column("root_pem", Text),                          # the committee's seal root certificate
    Column("organizer", String),                       # 组建单位, e.g. 湘西自治州人力资源和社会保障局
    Column("office", String),                          # 办事机构 (runs the meetings, issues the papers)
    Column("hr_department", String),                  # 人社部门 the results are filed with (备案机关)
)

meeting = Table(
    "meeting", metadata,
    Column("id", Integer, primary_key=True),
    Column("committee_id", ForeignKey("committee.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("title", String, nullable=False),
    Column("place", String, nullable=False),
    Column("plan_filed", Date, nullable=False),        # 年度评审方案 filed date
    Column("meeting_date", Date, nullable=False),
    Column("reduced_panel_approved", Boolean, nullable=False, default=False),
    Column("caps", JSON, nullable=False),               # {"正高": "0.4", ...} as strings, exact
    Column("fees", JSON, nullable=False),
    Column("supervisor", String),                       # 纪检监察 witness
    Column("secretary", String),
    Column("commitment_reader", String),                # expert who read the 评委承诺书 aloud
    Column("current_step", Integer, nullable=False, default=1),
    Column("quorum", String, nullable=False, server_default="2/3"),  # share of the panel present to vote
    Column("vote_date", Date),
    Column("publicity_start", Date),
    Column("publicity_objections", Text),                # after publicity: "" none, else what was raised
    Column("archived_path", String),
    Column("finished", Boolean, nullable=False, default=False),
    Column("plan_filing_number", String),                # 评审方案备案文号
    Column("secretary_unit", String),                    # the secretary's unit (办事机构)
    Column("supervisor_unit", String),                   # the supervisor's unit (纪检监察机构)
    Column("publicity_where", String),                   # 公示网站或地点
    Column("objection_contact", String),                 # 受理异议的部门或联系人
    Column("objection_phone", String),                   # 受理异议的电话
    Column("vote_presider", String),                     # who presided at the vote (主持表决)
    Column("summary_experience", Text),                  # work summary: 典型经验
    Column("summary_improvements", Text),                # work summary: 改进方向
    Column("summary_suggestions", Text),                 # work summary: 意见建议
    Column("filing_report_number", String),              # 备案报告的发文字号, e.g. 州卫职改〔2026〕7号
    Column("filing_report_date", Date),                  # 备案报告的成文日期 (the day it is signed)
)

meeting_day = Table(  # the days the meeting sits and its hours (honoraria: half days, over 8 hours)
    "meeting_day", metadata,
    Column("meeting_id", ForeignKey("meeting.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("starts", String(5), nullable=False),         # "HH:MM", local time
    Column("ends", String(5), nullable=False),
    CheckConstraint("starts < ends"),
)

rubric_item = Table(
    "rubric_item", metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", ForeignKey("meeting.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String, nullable=False),
    Column("max_points", Integer, nullable=False),
    UniqueConstraint("meeting_id", "name"),
    CheckConstraint("max_points > 0"),
)

quota = Table(
    "quota", metadata,
    Column("meeting_id", ForeignKey("meeting.id"), primary_key=True),
    Column("key", String, primary_key=True),             # unit/post, 评审职数
    Column("places", Integer, nullable=False),
    Column("unit", String),                              # the unit the places belong to
    Column("post", String),                              # and the post (申报资格) they are for: X§10(七) 不得跨专业
    CheckConstraint("places >= 0"),
)

pool_expert = Table(
    "pool_expert", metadata,
    Column("id", Integer, primary_key=True),
    Column("committee_id", ForeignKey("committee.id"), nullable=False),
    Column("code", String, nullable=False),
    Column("name", String, nullable=False),
    Column("unit", String, nullable=False),
    Column("specialty", String, nullable=False),
    Column("title", String, nullable=False),             # 正高 / 副高 / 中级
    Column("title_years", Integer, nullable=False),
    Column("served", JSON, nullable=False),              # years on this committee
    Column("blacklisted", Boolean, nullable=False, default=False),
    Column("conflict_units", JSON, nullable=False),
    Column("hr_approval", String),                       # 资深中级: the HR department's approval (批准文号)
    Column("phone", String),                             # to notify the drawn
    Column("category", String),                          # 全国知名专家 / 正高 / 副高 / 其他 (honoraria)
    UniqueConstraint("committee_id", "code"),
)

draw = Table(
    "draw", metadata,
    Column("meeting_id", ForeignKey("meeting.id"), primary_key=True),
    Column("seed", String, nullable=False),
    Column("pool_sha256", String(64), nullable=False),
    Column("witness", String, nullable=False),
    Column("needs", JSON, nullable=False),
    Column("drawn", JSON, nullable=False),
    Column("alternates", JSON, nullable=False),
    Column("excluded", JSON, nullable=False),
    Column("drawn_at", String),                          # when the draw ran, ISO 8601 UTC (audit time)
)

draw_history = Table(  # earlier draws of a meeting, replaced by a re-draw with a written reason
    "draw_history", metadata,
    Column("meeting_id", ForeignKey("meeting.id"), primary_key=True),
    Column("number", Integer, primary_key=True),         # 1 = the first draw
    Column("seed", String, nullable=False),
    Column("pool_sha256", String(64), nullable=False),
    Column("witness", String, nullable=False),
    Column("needs", JSON, nullable=False),
    Column("drawn", JSON, nullable=False),
    Column("alternates", JSON, nullable=False),
    Column("excluded", JSON, nullable=False),
    Column("replaced_by", String, nullable=False),       # who re-ran the draw
    Column("reason", Text, nullable=False),              # why (written)
    Column("drawn_at", String),
)

member = Table(  # 出席评审会议的评审专家, plus chair and vice-chair
    "member", metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", ForeignKey("meeting.id"), nullable=False),
    Column("code", String, nullable=False),
    Column("name", String, nullable=False),
    Column("unit", String, nullable=False),
    Column("title", String, nullable=False),
    Column("role", String, nullable=False),              # expert / chair / vice_chair
    Column("group_code", String),
    Column("checked_in", Boolean, nullable=False, default=False),
    Column("commitment_signed", Boolean, nullable=False, default=False),
    Column("departed", Boolean, nullable=False, default=False),
    Column("declared_conflicts", JSON, nullable=False),  # candidate codes
    Column("leader", Boolean, nullable=False, default=False, server_default="0"),  # 组长, chosen by the chair
    UniqueConstraint("meeting_id", "code"),
)

candidate = Table(
    "candidate", metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", ForeignKey("meeting.id"), nullable=False),
    Column("code", String, nullable=False),
    Column("name", String, nullable=False),
    Column("unit", String, nullable=False),
    Column("id_number", String),
    Column("level", String, nullable=False),
    Column("specialty", String, nullable=False),
    Column("group_code", String),
    Column("quota_key", String),
    Column("eligible", Boolean),                          # None: not yet decided (step 2)
    Column("eligibility_reason", String),
    Column("reviewer_id", ForeignKey("member.id")),       # 主审评委
    Column("recommendation", String),                     # step 5
    Column("recommendation_note", String),
    Column("plenary_conclusion", String),                 # step 6
    Column("plenary_presenter", String),
    Column("outcome", String),                            # passed / failed, after the ballot
    Column("reason", String),
    Column("signed_by", String),                          # step 8
    Column("applied_title", String),                      # 申报资格, e.g. 主治医师
    Column("education", String),                          # 学历
    Column("current_title", String),                      # 现职称
    Column("current_title_date", Date),                   # 现职称取得时间
    Column("years_in_post", Integer),                     # 任职年限
    Column("exceptional", Boolean),                       # 破格申报
    UniqueConstraint("meeting_id", "code"),
)

candidate_withdrawal = Table(  # a candidate withdrawn from the agenda before step 1 finished
    "candidate_withdrawal", metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", ForeignKey("meeting.id"), nullable=False),
    Column("code", String, nullable=False),
    Column("name", String, nullable=False),
    Column("unit", String, nullable=False),
    Column("level", String, nullable=False),
    Column("specialty", String, nullable=False),
    Column("id_number", String),
    Column("withdrawn_by", String, nullable=False),
    Column("reason", Text, nullable=False),
)

score = Table(
    "score", metadata,
    Column("candidate_id", ForeignKey("candidate.id"), primary_key=True),
    Column("member_id", ForeignKey("member.id"), primary_key=True),
    Column("item_id", ForeignKey("rubric_item.id"), primary_key=True),
    Column("points", Integer, nullable=False),
    CheckConstraint("points >= 0"),
)

question = Table(
    "question", metadata,
    Column("id", Integer, primary_key=True),
    Column("candidate_id", ForeignKey("candidate.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("setter_id", ForeignKey("member.id"), nullable=False),
    Column("reviewer_id", ForeignKey("member.id")),
    CheckConstraint("reviewer_id IS NULL OR reviewer_id != setter_id"),
)

interview = Table(
    "interview", metadata,
    Column("candidate_id", ForeignKey("candidate.id"), primary_key=True),
    Column("seconds", Integer, nullable=False),
    Column("result_told", Boolean, nullable=False),
    Column("note", Text),
    Column("result", Text),                               # the result as told to the candidate
)

step_state = Table(
    "step_state", metadata,
    Column("meeting_id", ForeignKey("meeting.id"), primary_key=True),
    Column("step", Integer, primary_key=True),
    Column("done", Boolean, nullable=False, default=False),
    Column("summary", Text),
)

ballot_round = Table(
    "ballot_round", metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", ForeignKey("meeting.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("kind", String, nullable=False),               # first / runoff
    Column("candidates", JSON, nullable=False),           # candidate codes on the ballot
    Column("places", Integer),                             # runoff: places to fill
    Column("voters", JSON, nullable=False),               # member codes present at the vote
    Column("absent", JSON, nullable=False),               # member codes absent or departed
    Column("status", String, nullable=False),             # open / closed
    # open: the round's public key and its private key wrapped under the round passphrase
    # (app.sealing.ballotbox.RoundKey.as_json); emptied at close. Empty in a round of an older file.
    Column("seal", JSON),
    UniqueConstraint("meeting_id", "number"),
)

# A round voided before it was counted (its passphrase lost, say): what the round was, and that its
# box was never opened. Its ballot_round row, roll and sealed ballots are gone; the round is held
# again under the same number. The minutes print it.
voided_round = Table(
    "voided_round", metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", ForeignKey("meeting.id"), nullable=False),
    Column("round_id", Integer, nullable=False),          # the id it had: never given to another round
    Column("number", Integer, nullable=False),            # the number the round held (and is held again under)
    Column("kind", String, nullable=False),               # first / runoff
    Column("candidates", JSON, nullable=False),
    Column("voters", JSON, nullable=False),               # member codes present at the vote
    Column("voted", JSON, nullable=False),                # member codes on the roll when it was voided
    Column("sealed", Integer, nullable=False),            # ballots in its box, discarded unopened
    Column("chair", String, nullable=False),              # member code of the chair or vice-chair who voided it
    Column("reason", Text, nullable=False),
)

# Who has voted. No timestamp, no ballot reference.
voter_roll = Table(
    "voter_roll", metadata,
    Column("round_id", ForeignKey("ballot_round.id"), primary_key=True),
    Column("member_id", ForeignKey("member.id"), primary_key=True),
    Column("channel", String, nullable=False),            # terminal / paper
    sqlite_with_rowid=False,
)

# What was voted. Random key, no timestamp, no author, no order.
ballot = Table(
    "ballot", metadata,
    Column("round_id", ForeignKey("ballot_round.id"), primary_key=True),
    Column("token", String(32), primary_key=True),
    Column("choices", Text, nullable=False),              # canonical JSON {code: yes/no/abstain}
    sqlite_with_rowid=False,
)

# The ballots of an open round, sealed to its key: random key, no timestamp, no author, no
# order; every sealed ballot of a round has the same length. Emptied when the round closes.
sealed_ballot = Table(
    "sealed_ballot", metadata,
    Column("round_id", ForeignKey("ballot_round.id"), primary_key=True),
    Column("token", String(32), primary_key=True),
    Column("sealed", LargeBinary, nullable=False),
    sqlite_with_rowid=False,
)

paper_batch = Table(  # paper ballots typed in twice by two staff
    "paper_batch", metadata,
    Column("round_id", ForeignKey("ballot_round.id"), primary_key=True),
    Column("code", String, primary_key=True),
    Column("clerk_a", String),
    Column("entry_a", Text),
    Column("clerk_b", String),
    Column("entry_b", Text),                              # both entries are erased once accepted
    Column("size", Integer),                              # ballots in the batch
    Column("status", String, nullable=False),             # waiting / mismatch / accepted
)

document = Table(  # every document issued, for QR and archive checks
    "document", metadata,
    Column("doc_id", String, primary_key=True),
    Column("meeting_id", ForeignKey("meeting.id"), nullable=False),
    Column("kind", String, nullable=False),
    Column("sha256", String(64), nullable=False),      # of the document's canonical content (QR)
    Column("file_sha256", String(64)),                 # of the file as written (sealed PDF bytes)
    Column("path", String),
)

# One-time codes that unlock the kiosk terminal for one expert: only a salted hash is kept.
terminal_code = Table(  # one live code per expert; a new issue replaces the old one
    "terminal_code", metadata,
    Column("meeting_id", ForeignKey("meeting.id"), primary_key=True),
    Column("member_id", ForeignKey("member.id"), primary_key=True),
    Column("salt", String(32), nullable=False),
    Column("hash", String(64), nullable=False),         # scrypt(code, salt), hex
    Column("expires_at", String, nullable=False),       # ISO 8601 UTC
    Column("tries", Integer, nullable=False, default=0),
    Column("status", String, nullable=False),           # active / used / locked
)

# Expert terminals paired over the closed LAN (:mod:`app.services.stations`), added in schema 7.
# A station's token is returned once at pairing and kept here only as its SHA-256 (a 192-bit random
# token needs no salt nor slow hash: nobody guesses it, and the hash is the lookup key).
station = Table(
    "station", metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", ForeignKey("meeting.id"), nullable=False),
    Column("name", String, nullable=False),             # as the terminal named itself at pairing
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("paired_by", String, nullable=False),        # the staff member who opened the pairing
    Column("paired_at", String, nullable=False),        # ISO 8601 UTC
    Column("revoked_by", String),
    Column("revoked_at", String),
)

# The entry ledger: every entry a station submitted and the host accepted, written in the same
# transaction as the entry itself, so a resubmission is recognised and writes nothing. It never
# says which ballot: no time, no order (WITHOUT ROWID, keyed by the terminal's random UUID), and a
# ballot's entry keeps no digest of its choices (a digest of a short ballot is a guess away).
station_entry = Table(
    "station_entry", metadata,
    Column("entry_id", String(36), primary_key=True),   # a UUID chosen by the terminal
    Column("station_id", ForeignKey("station.id"), nullable=False),
    Column("kind", String, nullable=False),             # commitment / scores / question / question_review / ballot
    Column("digest", String(64)),                       # SHA-256 of the entry's body; None for a ballot
    sqlite_with_rowid=False,
)

# Years of the working-day calendar entered by the user from the State Council notice (the
# bundled data stop at a fixed year). One row per year for the whole file, not per meeting:
# every meeting in the file counts its deadlines on the same calendar. A year stored here
# replaces the bundled data of that year. Added in schema 2.
calendar_year = Table(
    "calendar_year", metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("holidays", JSON, nullable=False),           # ["YYYY-MM-DD", …] days off, as listed
    Column("workdays", JSON, nullable=False),           # ["YYYY-MM-DD", …] make-up working days (调休上班)
    Column("source", String, nullable=False),           # typed / file
    Column("file_name", String),                        # the calendar file's name, when loaded from one
    Column("file_sha256", String(64)),
    Column("entered_by", String, nullable=False),
    Column("entered_at", String, nullable=False),       # ISO 8601 UTC, seconds
    CheckConstraint("source IN ('typed', 'file')"),
    CheckConstraint("year BETWEEN 1 AND 9999"),
)
