"""The columns of the two rosters: which headers are recognised and how a cell becomes a value.

Secretaries build these sheets by hand or export them from other systems, so the
importer is lenient about *form* and strict about *meaning*: headers in Chinese or
English in any order, spaces (full-width too) trimmed, numbers typed as numbers
accepted where a number is meant; but a header it does not know, a level it does
not know or an ID number Excel has turned into a number is a problem, never a
guess. Values are not NFKC-normalised except where they are codes (levels, years,
ID digits, dates, telephone numbers): names and units keep their exact characters, rare
ones (生僻字) included.

The columns added for the facts the papers and the eligibility re-check need (申报资格, 学历,
现职称, 现职称取得时间, 任职年限, 是否破格; 联系电话, 专家类别) are optional: a roster made
before them imports as it did, and what it lacks stays "not captured".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Final

from app.importing.problems import VALUE, CellError, Kind
from app.rules.fees import CATEGORY_NAMES
from app.rules.idnumber import id_number_problem, normalize
from app.rules.levels import CANDIDATE_LEVELS
from app.rules.phone import normal_phone, phone_problem

Converter = Callable[[object], object]

_INVISIBLE: Final = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_EXCEL_ERRORS: Final = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!",
                                  "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"})
_HAN_NAME: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f·•\s]+")
_SCIENTIFIC: Final = re.compile(r"\d(\.\d+)?e\+?\d+", re.IGNORECASE)
_LIST_SEPARATORS: Final = ",，、;；\n\r"
_OPEN, _CLOSE = "(（[【《〔", ")）]】》〕"
MIN_YEAR, MAX_YEAR = 1950, 2100


def clean(raw: str) -> str:
    """Trim white space (full-width and no-break spaces too) and drop invisible characters."""
    return raw.translate(_INVISIBLE).strip()


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not clean(raw))


def header_key(text: str) -> str:
    """A header as compared: NFKC, case-folded, without spaces, ``_``, ``-`` or a ``*``/(必填) mark."""
    key = unicodedata.normalize("NFKC", clean(text)).casefold()
    key = re.sub(r"\((必填|选填|可选|required|optional)\)$|\*$", "", key)
    return re.sub(r"[\s_\-]+", "", key)


def _number_text(value: float) -> str | None:
    """An integral float as digits (Excel stores every number as a float)."""
    return str(int(value)) if value.is_integer() else None


def as_text(raw: object) -> str:
    """Any text field. A number typed in Excel becomes its digits; a date is refused."""
    if isinstance(raw, bool):
        raise CellError(VALUE, "应填写文字，而不是逻辑值 TRUE/FALSE", "must be text, not TRUE/FALSE")
    if isinstance(raw, dt.date | dt.time | dt.datetime):
        raise CellError(VALUE, f"Excel 把它存成了日期/时间（{raw}）；请把该列设为“文本”格式后重新输入",
                        f"Excel stored this as a date/time ({raw}); format the column as Text and retype it")
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return _number_text(raw) or repr(raw)
    text = clean(str(raw))
    if text in _EXCEL_ERRORS:
        raise CellError(VALUE, f"单元格是公式错误 {text}", f"the cell holds the formula error {text}")
    return text


def as_name(raw: object) -> str:
    """A person's name; the spaces padding a two-character Chinese name (王　海) are removed."""
    text = as_text(raw)
    return "".join(text.split()) if _HAN_NAME.fullmatch(text) else text


def as_id_number(raw: object) -> str:
    """The 身份证号, which must be text: a number has lost its X and its last digits."""
    must_be_text = CellError(
        "candidate.id_number",
        "身份证号必须按文本填写：Excel 把它当成数字后会丢掉末位 X 和后几位数字；请把该列设为“文本”格式后重新输入",
        "the ID number must be entered as text: as a number Excel drops the final X and the last digits; "
        "format the column as Text and retype it")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raise must_be_text
    text = "".join(unicodedata.normalize("NFKC", as_text(raw)).split())
    if _SCIENTIFIC.fullmatch(text):
        raise must_be_text
    problem = id_number_problem(text)
    if problem:
        raise CellError("candidate.id_number", f"身份证号{id_problem_zh(problem)}",
                        f"ID number {problem}")
    return normalize(text)


def id_problem_zh(problem: str) -> str:
    """The Chinese of a message of :func:`app.rules.idnumber.id_number_problem`, to follow 身份证号.

    That function gives both languages; a message without Chinese falls back to the
    English text rather than hiding it.
    """
    zh = getattr(problem, "zh", None)
    return zh if zh else f"不符合 GB 11643 编码规则（{problem}）"


def as_choice(choices: tuple[str, ...], aliases: Mapping[str, str] | None = None) -> Converter:
    """One of a fixed list, e.g. the levels; a few unambiguous spellings (正高级) are accepted."""
    known = {**{c: c for c in choices}, **(aliases or {})}
    allowed = "、".join(choices)

    def convert(raw: object) -> str:
        text = "".join(unicodedata.normalize("NFKC", as_text(raw)).split())
        if text not in known:
            raise CellError(VALUE, f"“{text}”不是允许的值；只能填 {allowed}",
                            f"{text!r} is not allowed; use one of {', '.join(choices)}")
        return known[text]
    return convert


def _whole_number(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    text = unicodedata.normalize("NFKC", as_text(raw))
    if not re.fullmatch(r"[+-]?\d{1,9}(\.0*)?", text):
        return None
    try:
        return int(Decimal(text))
    except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
        return None


def as_count(raw: object) -> int:
    """A whole number ≥ 0, e.g. 任职年限; Excel's ``5.0`` is 5."""
    value = _whole_number(raw)
    if value is None or value < 0:
        raise CellError(VALUE, f"“{raw}”不是允许的值；应填 0 或更大的整数，如 5",
                        f"{raw!r} is not allowed; enter a whole number of 0 or more, e.g. 5")
    return value


def split_list(text: str) -> list[str]:
    """Split at , ， 、 ; ； or a line break — but not inside brackets: ``某院（东、西院区）`` is one unit."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch in _LIST_SEPARATORS and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p for p in (clean(p) for p in parts) if p]


def as_years(raw: object) -> tuple[int, ...]:
    """近年参评年份: ``2024,2025`` or ``2024、2025``; a single year may be a number."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        year = _whole_number(raw)
        if year is not None and MIN_YEAR <= year <= MAX_YEAR:
            return (year,)
        raise CellError(
            VALUE,
            f"“{raw}”不是年份；多个年份请用顿号分隔，如 2024、2025"
            "（Excel 可能把逗号当成了千位分隔符，请把该列设为“文本”格式）",
            f"{raw!r} is not a year; separate years with 、 or a comma as in 2024、2025 (Excel may have "
            "read the comma as a thousands separator: format the column as Text)")
    years: list[int] = []
    for part in split_list(unicodedata.normalize("NFKC", as_text(raw))):
        part = part.removesuffix("年")
        if not re.fullmatch(r"\d{4}", part) or not MIN_YEAR <= int(part) <= MAX_YEAR:
            raise CellError(VALUE, f"“{part}”不是年份；应填四位年份，多个用顿号或逗号分隔，如 2024、2025",
                            f"{part!r} is not a year; enter 4-digit years separated by 、 or commas, "
                            "e.g. 2024、2025")
        if int(part) not in years:
            years.append(int(part))
    return tuple(sorted(years))


_YES: Final = frozenset({"是", "yes", "y", "true"})
_NO: Final = frozenset({"否", "no", "n", "false"})


def as_yes_no(raw: object) -> bool:
    """是/否 (also yes/no, Excel's TRUE/FALSE)."""
    if isinstance(raw, bool):
        return raw
    text = unicodedata.normalize("NFKC", as_text(raw)).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(VALUE, f"“{text}”不是允许的值；只能填“是”或“否”（留空即为“否”）",
                    f"{text!r} is not allowed; use 是 (yes) or 否 (no); empty means no")


_DATE: Final = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH: Final = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")


def as_date(raw: object) -> dt.date:
    """A day, e.g. 现职称取得时间: an Excel date, or 2019-07-01 (also 2019/7/1, 2019.07.01, 2019年7月1日).
    A year and month alone is refused (the day is not guessed), and so is a bare number — Excel's
    serial number of a date whose cell lost its date format."""
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time():
            raise CellError(VALUE, f"“{raw}”带有时刻；请只填日期，如 2019-07-01",
                            f"{raw} has a time of day; enter the date only, e.g. 2019-07-01")
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raise CellError(VALUE, f"“{raw}”是数字，不是日期；请按 2019-07-01 的格式填写（或把单元格设为日期格式）",
                        f"{raw!r} is a number, not a date; enter it as 2019-07-01 (or format the cell as a date)")
    text = unicodedata.normalize("NFKC", as_text(raw))
    found = _DATE.fullmatch(text)
    if found:
        try:
            return dt.date(*(int(g) for g in found.groups()))
        except ValueError:
            pass
    elif _MONTH.fullmatch(text):
        raise CellError(VALUE, f"“{text}”只有年月；请填写完整日期（年-月-日），如 2019-07-01",
                        f"{text!r} gives only the year and month; enter the full date, e.g. 2019-07-01")
    raise CellError(VALUE, f"“{text}”不是日期；应填 年-月-日，如 2019-07-01",
                    f"{text!r} is not a date; enter year-month-day, e.g. 2019-07-01")


def as_phone(raw: object) -> str:
    """联系电话: digits, with dashes or spaces between groups; a number typed as a number is its digits."""
    text = as_text(raw)
    problem = phone_problem(text)
    if problem is not None:
        raise CellError(VALUE, problem.zh, str(problem))
    return normal_phone(text)


def as_units(raw: object) -> tuple[str, ...]:
    """回避单位: unit names separated by , 、 ; or line breaks."""
    units: list[str] = []
    for unit in split_list(as_text(raw)):
        if unit not in units:
            units.append(unit)
    return tuple(units)


@dataclass(frozen=True)
class Column:
    """One column of a roster: its field, the headers it answers to, its values."""

    field: str            # attribute of CandidateInput / PoolExpert
    header: str           # the Chinese header the templates write
    english: str          # the English header, also recognised
    required: bool
    convert: Converter
    help_zh: str
    help_en: str
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()  # offered as a drop-down in the templates
    text: bool = True              # formatted as text ('@') in the templates
    blank: object = None           # the value of a blank cell when the column is there (None: not given)
    number_format: str | None = None   # the templates' format of a column that is not text

    @cached_property
    def keys(self) -> frozenset[str]:
        """The header keys this column answers to, worked out once: finding the column of each
        header cell asks every column for them (an NFKC and two regular expressions a name)."""
        return frozenset(header_key(h) for h in (self.header, self.english, *self.aliases))


@dataclass(frozen=True)
class Spec:
    """A roster: its data sheet, its columns, and the rule for a duplicate code."""

    kind: Kind
    sheet: str
    title_zh: str
    title_en: str
    columns: tuple[Column, ...]
    duplicate_rule: str

    def column(self, key: str) -> Column | None:
        for c in self.columns:
            if key in c.keys:
                return c
        return None

    def by_field(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)


LEVEL_ALIASES: Final = {"正高级": "正高", "副高级": "副高"}
POOL_TITLES: Final = ("正高", "副高", "中级")
_TITLE_ALIASES: Final = {**LEVEL_ALIASES, "资深中级": "中级"}
_TEXT_HELP = ("必填，文字", "required, text")
CATEGORIES: Final = tuple(CATEGORY_NAMES)
_CATEGORY_ALIASES: Final = {"正高级专家": "正高", "副高级专家": "副高", "其他专业人员": "其他", "正高级": "正高",
                            "副高级": "副高", "national": "全国知名专家", "other": "其他"}

CANDIDATES: Final = Spec(
    kind="candidates", sheet="申报人花名册", title_zh="申报人花名册", title_en="candidate roster",
    duplicate_rule="candidate.duplicate",
    columns=(
        Column("code", "编号", "code", True, as_text, "必填；本次会议内唯一，如 C001",
               "required; unique in this meeting, e.g. C001", ("申报人编号",)),
        Column("name", "姓名", "name", True, as_name, *_TEXT_HELP),
        Column("unit", "工作单位", "unit", True, as_text, "必填；写全称，回避以此比对",
               "required; the full name, used for conflict checks", ("单位",)),
        Column("level", "申报级别", "level", True, as_choice(CANDIDATE_LEVELS, LEVEL_ALIASES),
               "必填；正高、副高、中级 或 初级（须是本评委会评审的级别）",
               "required; 正高, 副高, 中级 or 初级 (a level this committee reviews)",
               ("级别",), CANDIDATE_LEVELS),
        Column("specialty", "专业", "specialty", True, as_text, "必填；申报专业，如 内科",
               "required; the specialty applied for, e.g. 内科", ("申报专业",)),
        Column("id_number", "身份证号", "id_number", False, as_id_number,
               "选填；18 位公民身份号码，按文本填写，末位可为 X",
               "optional; the 18-character citizen ID number, as text; may end in X",
               ("身份证号码", "公民身份号码", "idnumber")),
        Column("group", "评议组", "group", False, as_text, "选填；评议组代号，如 G1",
               "optional; the discipline group, e.g. G1"),
        Column("quota_key", "职数", "quota_key", False, as_text,
               "选填；评审职数的键（单位/岗位），须与年度评审方案一致，如 市人民医院/主治医师；"
               "只能使用本单位、与申报资格相同岗位的职数",
               "optional; the quota key (unit/post) as in the annual plan; only a quota of the candidate's "
               "unit and of the post applied for", ("评审职数", "quota")),
        Column("applied_title", "申报资格", "applied_title", False, as_text,
               "选填；申报的职称名称，如 主治医师、副主任护师（不是专业），评审结果和公示按此填写",
               "optional; the title applied for, e.g. 主治医师 or 副主任护师 (not the specialty); the papers "
               "print it", ("申报职称", "申报资格名称")),
        Column("education", "学历", "education", False, as_text, "选填；如 大学本科、硕士研究生",
               "optional; e.g. 大学本科, 硕士研究生", ("最高学历",)),
        Column("current_title", "现职称", "current_title", False, as_text, "选填；现任职称，如 医师、护师",
               "optional; the title now held, e.g. 医师, 护师", ("现任职称",)),
        Column("current_title_date", "现职称取得时间", "current_title_date", False, as_date,
               "选填；取得现职称的日期，年-月-日，如 2019-07-01，不得晚于评审会议",
               "optional; the day the current title was obtained, e.g. 2019-07-01; not after the meeting",
               ("现职称取得日期", "取得时间"), text=False, number_format="yyyy-mm-dd"),
        Column("years_in_post", "任职年限", "years_in_post", False, as_count,
               "选填；任现职称的年数，0 或更大的整数", "optional; years holding the current title, a whole "
               "number ≥ 0", ("任现职年限",), text=False),
        Column("exceptional", "是否破格", "exceptional", False, as_yes_no,
               "选填；破格申报填 是，否则填 否 或留空（无此列视为未填写）",
               "optional; 是 for an exceptional application (破格), else 否 or empty (no column: not given)",
               ("破格", "破格申报", "是否破格申报"), ("是", "否"), blank=False),
    ),
)

POOL: Final = Spec(
    kind="pool", sheet="评审专家库", title_zh="评审专家库", title_en="expert pool",
    duplicate_rule="expert.duplicate",
    columns=(
        Column("id", "编号", "code", True, as_text, "必填；专家库内唯一，如 P001",
               "required; unique in the pool, e.g. P001", ("专家编号", "id")),
        Column("name", "姓名", "name", True, as_name, *_TEXT_HELP),
        Column("unit", "工作单位", "unit", True, as_text, "必填；写全称，回避以此比对",
               "required; the full name, used for conflict checks", ("单位",)),
        Column("specialty", "专业", "specialty", True, as_text, "必填；如 内科",
               "required; e.g. 内科"),
        Column("title", "职称", "title", True, as_choice(POOL_TITLES, _TITLE_ALIASES),
               "必填；正高、副高 或 中级（资深中级填 中级）",
               "required; 正高, 副高 or 中级 (senior intermediate: 中级)", ("职称级别",), POOL_TITLES),
        Column("title_years", "任职年限", "title_years", True, as_count,
               "必填；取得该职称的年数，0 或更大的整数", "required; years holding the title, a whole number ≥ 0",
               ("years",), text=False),
        Column("served", "近年参评年份", "served", False, as_years,
               "选填；在本评委会担任评委的年份，用顿号或逗号分隔，如 2024、2025",
               "optional; years served on this committee, e.g. 2024、2025", ("参评年份",)),
        Column("blacklisted", "失信黑名单", "blacklisted", False, as_yes_no,
               "选填；是 或 否，留空为 否", "optional; 是 (yes) or 否 (no), empty means no",
               ("黑名单", "blacklist"), ("是", "否")),
        Column("conflict_units", "回避单位", "conflict_units", False, as_units,
               "选填；需回避的单位，用顿号、逗号、分号或换行分隔",
               "optional; units to avoid, separated by 、 , ; or line breaks", ("conflicts",)),
        Column("phone", "联系电话", "phone", False, as_phone,
               "选填；用于通知抽中的专家，如 13812345678 或 0743-8223456",
               "optional; to notify the drawn, e.g. 13812345678 or 0743-8223456", ("电话", "手机", "手机号码")),
        Column("category", "专家类别", "category", False, as_choice(CATEGORIES, _CATEGORY_ALIASES),
               "选填；劳务费类别：全国知名专家、正高、副高 或 其他（未填写的，劳务费表注明未填写）",
               "optional; the honoraria category: 全国知名专家, 正高, 副高 or 其他 (if not given, the "
               "honoraria sheet says so)", ("类别", "劳务费类别"), CATEGORIES),
    ),
)

SPECS: Final[Mapping[Kind, Spec]] = {"candidates": CANDIDATES, "pool": POOL}
