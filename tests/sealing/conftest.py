"""Sealing fixtures: real committee keys (made once per session), real PDFs, real seals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.sealing.appearance import seal_fonts
from app.sealing.keys import CommitteeKey, create_committee_key

from .helpers import make_pdf, seal

PASSPHRASE = "评审会 correct horse 2025"
COMMITTEE = "某省工程系列高级职称评审委员会"
OTHER_COMMITTEE = "另一个评审委员会"
# CJK TrueType fonts a developer machine may have, used only when resources/fonts is empty.
SYSTEM_CJK_FONTS = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/simsun.ttc",
]


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="session")
def committee_key(key_dir: Path) -> CommitteeKey:
    return create_committee_key(COMMITTEE, PASSPHRASE.encode(), key_dir / "committee.p12")


@pytest.fixture(scope="session")
def other_key(key_dir: Path) -> CommitteeKey:
    return create_committee_key(OTHER_COMMITTEE, PASSPHRASE.encode(), key_dir / "other.p12")


@pytest.fixture(scope="session")
def cjk_font() -> Path | None:
    """The bundled font if there is one, else a system CJK font, else None (Latin seal)."""
    bundled = seal_fonts()
    if bundled:
        return bundled[0]
    return next((Path(p) for p in SYSTEM_CJK_FONTS if Path(p).is_file()), None)


@pytest.fixture(scope="session")
def seal_options(cjk_font: Path | None) -> dict[str, object]:
    if cjk_font is None:
        return {"signer_name": "Zhang San", "reason": "result sheet", "allow_latin_fallback": True}
    return {"signer_name": "张三（主任委员）", "reason": "评审结果定稿", "font_path": cjk_font}


@pytest.fixture(scope="session")
def sealed_master(
    tmp_path_factory: pytest.TempPathFactory,
    committee_key: CommitteeKey,
    seal_options: dict[str, object],
) -> Path:
    folder = tmp_path_factory.mktemp("sealed")
    return seal(make_pdf(folder / "plain.pdf"), folder / "sealed.pdf", committee_key, seal_options)


@pytest.fixture
def sealed(tmp_path: Path, sealed_master: Path) -> Path:
    """A private copy of a sealed file, free to be tampered with."""
    return Path(shutil.copyfile(sealed_master, tmp_path / "sealed.pdf"))
