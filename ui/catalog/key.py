"""Strings of the committee key at setup (签章密钥) and of its passphrase's strength; the key
dialog's other strings are in :mod:`ui.catalog.documents`."""

ZH = {
    # the setup's box
    "Committee key (签章密钥)": "评委会签章密钥",
    "Create the committee key…": "创建评委会签章密钥…",
    "Key file: {path}": "密钥文件：{path}",
    "Root certificate SHA-256 (printed on the papers):": "根证书 SHA-256 指纹（印在文书上）：",
    "No committee key yet. Create it now, at setup, once: the documents are sealed with it and the papers print "
    "its fingerprint. It will be kept at:\n{path}":
        "尚未创建评委会签章密钥。请在会前准备时创建（只需一次）：会议文书用它盖章，纸质文书印有其指纹。"
        "密钥文件将保存在：\n{path}",
    "The meeting can start without it; the documents cannot be sealed until it exists.":
        "没有密钥也可以开始会议，但在创建之前，会议文书无法盖章。",
    "A new key cannot be created: the documents sealed so far are trusted through this root.":
        "不能新建密钥：此前盖章的文书都要靠这个根证书核验。",
    # the passphrase's strength, in the key dialog
    "The passphrase needs at least {n} characters and must be hard to guess: three or four unrelated words "
    "(Chinese or Latin letters) with a number or a sign work well — not the committee's name, series, place or "
    "year, no run (123456, abcdef), no repeat (aaaa), no common password.":
        "口令至少须有{n}个字符，且不易被猜到：可用三四个互不相关的词（汉字、字母均可），夹杂数字或符号；"
        "不要用评委会名称、系列、地点或年份，不要用连续字符（123456、abcdef）、重复字符（aaaa）或常见密码。",
    "Strength": "口令强度",
    "Weak — cannot be used": "弱——不能使用",
    "Fair — can be used": "中——可以使用",
    "Strong": "强",
}
