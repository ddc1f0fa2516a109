"""Fonts for the documents: bundled CJK fonts, official system fonts, per-glyph fallback.

Why it is built this way:

* The documents must print on an air-gapped laptop that may have no Chinese font at
  all, so two redistributable TrueType fonts are bundled (``resources/fonts``): a
  Simplified-Chinese Song face (Noto Serif CJK SC, converted to ``glyf`` outlines
  because reportlab cannot embed CFF) for everything in the BMP including CJK Ext A,
  and GlyphWiki's Ext B glyphs for names such as 𠈌.
* Official documents are expected in 仿宋_GB2312 / 方正小标宋 / 宋体 / 黑体 / 楷体. When the
  machine has them they come first in their role's chain; they are never required. They
  are found by family name in the Windows, macOS and Linux font folders and fontconfig's
  list, and by their usual file names (``C:\\Windows\\Fonts\\simfang.ttf``, ``simhei.ttf``,
  ``simkai.ttf``, ``FZXBSJW.TTF`` …). A role without its official font is drawn in the
  bundled serif — the title with a faux-bold stroke, since no bold face is bundled; an
  official font is never emboldened — and :meth:`FontRoles.notice` says so, for the
  documents window and the ``conclave documents`` output.
* Text is split into runs by the first font of the chain that has the glyph
  (:meth:`FontChain.face_index`). A character no font has is never dropped: the caller
  draws a visible placeholder and records a :class:`MissingGlyph`.

Fonts are registered with reportlab once per process (:func:`font_roles` is cached).
"""

from __future__ import annotations

import logging
import os
import shutil
import struct
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path
from typing import BinaryIO

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError

from app.documents.tounicode import UnicodeTTFont
from app.text import Bilingual, bi

log = logging.getLogger(__name__)

#: Bundled files, in chain order (see resources/fonts/README.md).
BUNDLED_SERIF = "NotoSerifSC-Regular-glyf.ttf"
BUNDLED_EXT_B = "GlyphWikiHanExtB.ttf"

#: Roles a document asks for, and the official families preferred for each, best first.
OFFICIAL_FAMILIES: dict[str, tuple[str, ...]] = {
    "title": ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05",
              "方正小标宋"),
    "body": ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "华文仿宋", "STFangsong"),
    "plain": ("宋体", "SimSun", "新宋体", "NSimSun", "华文宋体", "STSong"),
    "heading": ("黑体", "SimHei", "华文黑体", "STHeiti"),
    "kai": ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "华文楷体", "STKaiti"),
}
#: The usual file names of the official fonts (Chinese Windows, Founder's packages, macOS), lower case,
#: best first: found by name even when their family name is not one of the above.
OFFICIAL_FILES: dict[str, tuple[str, ...]] = {
    "title": ("fzxbsjw.ttf", "方正小标宋简体.ttf", "fzxbsk.ttf", "方正小标宋_gbk.ttf", "fzxiaobiaosong-b05s.ttf"),
    "body": ("仿宋_gb2312.ttf", "fangsong_gb2312.ttf", "simfang.ttf", "仿宋.ttf", "stfangso.ttf"),
    "plain": ("simsun.ttc", "simsun.ttf", "宋体.ttf", "nsimsun.ttf", "stsong.ttf"),
    "heading": ("simhei.ttf", "黑体.ttf", "stheiti.ttf"),
    "kai": ("楷体_gb2312.ttf", "kaiti_gb2312.ttf", "simkai.ttf", "楷体.ttf", "stkaiti.ttf"),
}
#: What each role's official font is called on a notice.
ROLE_FONT_ZH = {"title": "方正小标宋", "body": "仿宋_GB2312", "plain": "宋体", "heading": "黑体", "kai": "楷体"}
#: Roles whose bundled substitute is drawn with a faux-bold stroke (小标宋 and 黑体 are heavy).
EMBOLDEN_BUNDLED = frozenset({"title", "heading"})

ENV_DIRS = "CONCLAVE_FONT_DIRS"  # extra folders to search, os.pathsep-separated
ENV_NO_SYSTEM = "CONCLAVE_NO_SYSTEM_FONTS"  # "1": use the bundled fonts only


@dataclass(frozen=True, slots=True)
class MissingGlyph:
    """A character that no bundled or system font can draw; printed as a boxed code point."""

    char: str
    codepoint: str  # "U+2A6D7"
    context: str  # the text it appeared in, shortened


@dataclass(frozen=True, eq=False)
class Face:
    """One registered font: reportlab name, where it came from, and which characters it has."""

    name: str
    family: str
    path: str
    source: str  # "bundled" | "system"
    chars: frozenset[int] = field(repr=False)
    widths: dict[int, int] = field(repr=False)  # advance per code point, 1/1000 em
    default_width: int = 1000

    def advance(self, cp: int) -> float:
        """Advance of ``cp`` in 1/1000 em."""
        return self.widths.get(cp, self.default_width)


@dataclass(frozen=True, eq=False)
class FontChain:
    """The fonts tried in order for one role; ``embolden[i]`` asks for faux bold on face i."""

    role: str
    faces: tuple[Face, ...]
    embolden: tuple[bool, ...]
    _cache: dict[int, int] = field(default_factory=dict, repr=False, compare=False)

    def face_index(self, cp: int) -> int:
        """Index of the first face that has ``cp``, or -1 when none has it."""
        try:
            return self._cache[cp]
        except KeyError:
            pass
        found = next((i for i, f in enumerate(self.faces) if cp in f.chars), -1)
        self._cache[cp] = found
        return found

    def runs(self, text: str) -> Iterator[tuple[int, str]]:
        """Split ``text`` into (face index, substring) runs; index -1 marks missing glyphs."""
        start, current = 0, None
        for i, ch in enumerate(text):
            idx = self.face_index(ord(ch))
            if idx != current:
                if current is not None:
                    yield current, text[start:i]
                start, current = i, idx
        if current is not None:
            yield current, text[start:]

    def missing(self, text: str) -> list[str]:
        """The characters of ``text`` that no face of the chain has."""
        return [ch for ch in text if self.face_index(ord(ch)) < 0 and not ch.isspace()]


@dataclass(frozen=True)
class FontRoles:
    """The chain for every role; ``chain("body")`` etc."""

    chains: dict[str, FontChain]

    def chain(self, role: str) -> FontChain:
        return self.chains[role]

    def describe(self) -> dict[str, list[str]]:
        """Role -> family names in order, for logs and the document footer of the archive."""
        return {r: [f.family for f in c.faces] for r, c in self.chains.items()}

    def substituted(self) -> list[str]:
        """The official fonts (仿宋_GB2312, 方正小标宋 …) not installed here, whose roles the bundled
        serif draws instead."""
        return [ROLE_FONT_ZH[r] for r, c in self.chains.items() if c.faces[0].source == "bundled"]

    def notice(self) -> Bilingual | None:
        """What to tell the person printing when official fonts are missing, or None when all are used."""
        missing = self.substituted()
        if not missing:
            return None
        bundled = next(f.family for f in self.chains["body"].faces if f.source == "bundled")
        names = "、".join(missing)
        return bi(f"The official document fonts ({names}) are not installed; the bundled font {bundled} is "
                  "used instead. Install them (as on Chinese Windows: simfang.ttf, simhei.ttf, simkai.ttf …) "
                  "for papers in the official typefaces.",
                  f"未安装仿宋等公文字体，已用内置字体代替：{names} → {bundled.replace(' (bundled)', '（内置）')}。"
                  "安装公文字体（如中文版Windows的simfang.ttf、simhei.ttf、simkai.ttf等）后重新生成即用正式字体。")


_LOCK = threading.Lock()
_FACES: dict[str, Face] = {}
_ROLES: dict[bool, FontRoles] = {}


def _register(name: str, path: str, family: str, source: str, index: int = 0) -> Face:
    """Register ``path`` with reportlab under ``name`` (once) and describe its coverage."""
    face = _FACES.get(name)
    if face is not None:
        return face
    font = UnicodeTTFont(name, path, subfontIndex=index, asciiReadable=True)
    pdfmetrics.registerFont(font)
    char_to_glyph = font.face.charToGlyph
    face = Face(
        name=name, family=family, path=path, source=source,
        chars=frozenset(cp for cp, gid in char_to_glyph.items() if gid),
        widths=dict(font.face.charWidths),
        default_width=int(font.face.defaultWidth),
    )
    _FACES[name] = face
    return face


def bundled_faces() -> tuple[Face, Face]:
    """The bundled serif (BMP, Ext A) and the Ext B fallback, registered."""
    faces = []
    for reg_name, filename, family in (
        ("ConclaveSerif", BUNDLED_SERIF, "Noto Serif CJK SC (bundled)"),
        ("ConclaveExtB", BUNDLED_EXT_B, "GlyphWiki Han ExtB (bundled)"),
    ):
        with as_file(files("resources").joinpath("fonts", filename)) as path:
            faces.append(_register(reg_name, str(path), family, "bundled"))
    return faces[0], faces[1]


def font_roles(prefer_system: bool | None = None) -> FontRoles:
    """Chains for all roles, built once per process: official system fonts, then bundled.

    ``prefer_system=None`` follows the environment (``CONCLAVE_NO_SYSTEM_FONTS=1`` turns
    system fonts off, e.g. for byte-identical output across machines).
    """
    if prefer_system is None:
        prefer_system = os.environ.get(ENV_NO_SYSTEM, "") not in ("1", "true", "yes")
    with _LOCK:
        roles = _ROLES.get(prefer_system)
        if roles is None:
            roles = _ROLES[prefer_system] = _build_roles(prefer_system)
        return roles


def _build_roles(prefer_system: bool) -> FontRoles:
    serif, ext_b = bundled_faces()
    found = find_official_fonts() if prefer_system else {}
    chains = {}
    for role in OFFICIAL_FAMILIES:
        system = [found[role]] if role in found else []
        faces = (*system, serif, ext_b)
        bold = tuple(f.source == "bundled" and role in EMBOLDEN_BUNDLED for f in faces)
        chains[role] = FontChain(role, faces, bold)
    log.info("document fonts: %s", {r: [f.family for f in c.faces] for r, c in chains.items()})
    return FontRoles(chains)


# -- official fonts on this machine ------------------------------------------------
def font_dirs() -> list[Path]:
    """The usual font folders of Windows, macOS and Linux, plus ``$CONCLAVE_FONT_DIRS``."""
    extra = [Path(p) for p in os.environ.get(ENV_DIRS, "").split(os.pathsep) if p]
    home = Path.home()
    if sys.platform.startswith("win"):
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        usual = [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    elif sys.platform == "darwin":
        usual = [Path("/Library/Fonts"), Path("/System/Library/Fonts"),
                 Path("/System/Library/Fonts/Supplemental"), home / "Library" / "Fonts"]
    else:
        usual = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
                 home / ".local" / "share" / "fonts", home / ".fonts"]
    return extra + usual


def find_official_fonts(dirs: Iterable[Path] | None = None) -> dict[str, Face]:
    """Role -> the best official font found with TrueType outlines that may be embedded: by family
    name first, else by its usual file name (:data:`OFFICIAL_FILES`)."""
    wanted = {fam.casefold(): (role, rank) for role, fams in OFFICIAL_FAMILIES.items()
              for rank, fam in enumerate(fams)}
    by_file = {name: (role, 100 + rank) for role, names in OFFICIAL_FILES.items() for rank, name in enumerate(names)}
    files_ = list(_font_files(font_dirs() if dirs is None else dirs))
    if dirs is None:
        seen = set(files_)
        files_ += [f for f in _fontconfig_files() if f not in seen]
    best: dict[str, tuple[int, str, int, str]] = {}
    for path in files_:
        for index, families, has_glyf in read_sfnt_names(path):
            if not has_glyf:
                continue  # CFF outlines: reportlab cannot embed them
            hits = [(*wanted[fam.casefold()], fam) for fam in families if fam.casefold() in wanted]
            named = by_file.get(path.name.casefold()) if index == 0 else None
            if named:
                hits.append((*named, f"{ROLE_FONT_ZH[named[0]]}（{path.name}）"))
            for role, rank, fam in hits:
                if role not in best or rank < best[role][0]:
                    best[role] = (rank, str(path), index, fam)
    faces = {}
    for role, (_, where, index, fam) in best.items():
        try:
            tag = zlib.crc32(f"{where}#{index}".encode())
            faces[role] = _register(f"Sys-{role}-{tag:08x}", where, fam, "system", index)
        except (TTFError, OSError, ValueError) as exc:  # e.g. embedding not permitted
            log.warning("official font %s (%s) not usable: %s", fam, where, exc)
    return faces


def _fontconfig_files() -> list[Path]:
    """The Chinese fonts fontconfig knows (Linux), wherever they were installed; [] without fc-list."""
    if sys.platform.startswith("win") or shutil.which("fc-list") is None:
        return []
    try:
        done = subprocess.run(["fc-list", "--format", "%{file}\n", ":lang=zh-cn"], capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({Path(line) for line in done.stdout.splitlines()
                   if line.lower().endswith((".ttf", ".ttc", ".otf"))})


def _font_files(dirs: Iterable[Path]) -> Iterator[Path]:
    for base in dirs:
        if not base.is_dir():
            continue
        for root, _, names in os.walk(base):
            for name in sorted(names):
                if name.lower().endswith((".ttf", ".ttc", ".otf")):
                    yield Path(root) / name


def read_sfnt_names(path: Path) -> list[tuple[int, set[str], bool]]:
    """(face index, family names, has glyf) for each face of a .ttf/.ttc/.otf.

    Reads only the table directories and the ``name`` tables, so scanning a font folder
    does not load whole 20 MB fonts. A file that cannot be parsed yields nothing.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                offsets = struct.unpack(f">{count}I", fh.read(4 * min(count, 64)))
            else:
                offsets = (0,)
            return [(i, *_face_names(fh, off)) for i, off in enumerate(offsets)]
    except (OSError, struct.error, ValueError):
        return []


def _face_names(fh: BinaryIO, offset: int) -> tuple[set[str], bool]:
    fh.seek(offset)
    num_tables = struct.unpack(">4sH", fh.read(6))[1]
    fh.seek(offset + 12)
    tables = {}
    for _ in range(num_tables):
        tag, _, toff, length = struct.unpack(">4sIII", fh.read(16))
        tables[tag] = (toff, length)
    if b"name" not in tables:
        return set(), b"glyf" in tables
    toff, length = tables[b"name"]
    fh.seek(toff)
    data = fh.read(length)
    _, count, strings = struct.unpack(">HHH", data[:6])
    names: set[str] = set()
    for i in range(count):
        pid, eid, _, nid, ln, off = struct.unpack(">6H", data[6 + 12 * i: 18 + 12 * i])
        if nid not in (1, 4, 16):
            continue
        raw = data[strings + off: strings + off + ln]
        if pid in (0, 3):
            names.add(raw.decode("utf-16-be", "ignore"))
        elif pid == 1:
            names.add(raw.decode("gbk" if eid == 25 else "mac_roman", "ignore"))
    return {n.strip("\x00 ") for n in names if n.strip("\x00 ")}, b"glyf" in tables
