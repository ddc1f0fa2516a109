"""Strings of the working-day calendar (工作日历): the dialog and the buttons that open it."""

ZH = {
    "Working-day calendar": "工作日历",
    "Working-day calendar…": "工作日历…",
    "Enter the holidays of {year}…": "录入{year}年节假日…",
    "Publicity and filing deadlines count working days. A year the bundled calendar does not know is entered "
    "here from the State Council notice (国务院办公厅关于部分节假日安排的通知): its holidays as the notice lists "
    "them, and its make-up working days. It is stored in this meeting database and archived with it.":
        "公示和备案期限按工作日计算。内置日历没有的年份，请按国务院办公厅关于部分节假日安排的通知在此录入："
        "按通知所列的放假时段录入节假日，并录入调休上班日。录入内容保存在本会议数据库中，随数据库一并归档。",
    "Year": "年份",
    "{year}: not known yet. Enter its holidays and make-up working days from the State Council notice; they are "
    "never guessed.": "{year}年：尚未录入。请按国务院办公厅通知录入该年节假日和调休上班日，系统不会推测。",
    "{year}: edited here, not saved yet.": "{year}年：已在此修改，尚未保存。",
    "{year}: from the bundled calendar ({first}–{last}); saving an entry replaces it in this database.":
        "{year}年：来自内置日历（{first}–{last}年）；在此保存将以录入内容取代本数据库中的该年数据。",
    "{year}: from the calendar file given for this run (--calendar); not stored.":
        "{year}年：来自本次运行指定的日历文件（--calendar），未保存到数据库。",
    "{year}: stored in this meeting database — {how}, by {who}, {when}.":
        "{year}年：已保存在本会议数据库——{how}，录入人{who}，{when}。",
    "typed": "手工录入",
    "loaded from {file}": "导入自文件 {file}",
    "Stored in this meeting database: {years}": "本会议数据库已录入的年份：{years}",
    "Holidays (放假): periods from the first to the last day off": "放假安排：按通知所列起止日期录入放假时段",
    "Make-up working days (调休上班): Saturdays or Sundays": "调休上班日：只能是星期六或星期日",
    "From": "从",
    "First day": "开始日期",
    "Last day": "结束日期",
    "to": "至",
    "Days": "天数",
    "Weekdays off": "工作日放假天数",
    "Make-up working day": "调休上班日",
    "Entered by": "录入人",
    "Required: recorded in the audit trail": "必填：记入审计日志",
    "Load a calendar file…": "导入日历文件…",
    "Load a calendar file": "导入日历文件",
    "Calendar files (*.json)": "日历文件 (*.json)",
    "Save this year": "保存该年",
    "{year}: {off} weekdays off, {n} make-up working days — {total} working days in the year (compare with the "
    "notice).": "{year}年：工作日放假{off}天，调休上班{n}天——全年工作日{total}天（请与通知核对）。",
    "{day} is a make-up working day: remove it there first.": "{day}已列为调休上班日，请先在右侧删除。",
    "{day} is a holiday: remove it there first.": "{day}已列为放假日期，请先在左侧删除。",
    "Select the line to remove first.": "请先选中要删除的一行。",
    "{year} is saved in this meeting database.": "{year}年已保存到本会议数据库。",
    "Enter who enters the calendar first (recorded in the audit trail).": "请先填写录入人（记入审计日志）。",
    "Loaded from {file} and saved: {years}.": "已从 {file} 导入并保存：{years}年。",
    "it prints dates in {year}, whose holidays are not entered yet — enter them with the button below":
        "其中有{year}年的日期，尚未录入{year}年节假日——请点击下方按钮录入",
    # step 10
    "not known: {year}'s holidays are not entered yet": "无法计算：尚未录入{year}年节假日",
}
