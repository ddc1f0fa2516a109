"""The committee key: what is in the certificates, how the file is kept, how it is opened."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

import pytest
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.errors import RuleViolation
from app.sealing import keys
from app.sealing.keys import (
    DEMO_PASSPHRASE,
    PASSPHRASE_ENV,
    CommitteeKey,
    create_committee_key,
    load_committee_key,
    load_root_pem,
    passphrase_from,
    root_pem_path_for,
)
from tests import rsa_pool

from .conftest import COMMITTEE, PASSPHRASE


def test_root_is_a_ca_that_only_signs_certificates(committee_key: CommitteeKey) -> None:
    root = committee_key.root
    assert root.subject == root.issuer
    basic = root.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical and basic.value.ca and basic.value.path_length == 0
    usage = root.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign
    assert not usage.value.digital_signature
    root.verify_directly_issued_by(root)


def test_signing_certificate_is_for_signing_documents(committee_key: CommitteeKey) -> None:
    cert = committee_key.certificate
    cert.verify_directly_issued_by(committee_key.root)
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert keys.EKU_DOCUMENT_SIGNING in eku
    assert ExtendedKeyUsageOID.SERVER_AUTH not in eku
    assert isinstance(committee_key.private_key, rsa.RSAPrivateKey)
    assert committee_key.private_key.key_size == 3072
    assert cert.not_valid_after_utc.year - cert.not_valid_before_utc.year >= 29


def test_a_key_made_by_the_library_itself_is_a_new_rsa_3072_pair(tmp_path: Path) -> None:
    """The other tests' keys come from a pool made ahead of time (tests/rsa_pool.py); this one is
    generated as the program generates it: two new RSA-3072 keys, the root's and the signer's."""
    with rsa_pool.generated():
        made = create_committee_key(COMMITTEE, PASSPHRASE, tmp_path / "k")
    root_key = made.root.public_key()
    assert isinstance(root_key, rsa.RSAPublicKey) and root_key.key_size == made.private_key.key_size == 3072
    moduli = {root_key.public_numbers().n, made.private_key.public_key().public_numbers().n}
    assert len(moduli) == 2 and not moduli & rsa_pool.moduli()
    made.certificate.verify_directly_issued_by(made.root)
    again = load_committee_key(tmp_path / "k", PASSPHRASE)
    assert again.private_key.private_numbers() == made.private_key.private_numbers()


def test_chinese_names_are_utf8_strings(committee_key: CommitteeKey) -> None:
    der = committee_key.certificate.public_bytes(serialization.Encoding.DER)
    subject = asn1_x509.Certificate.load(der).subject
    values = [attr["value"] for rdn in subject.chosen for attr in rdn]
    assert {v.name for v in values} == {"utf8_string"}
    org = committee_key.certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    assert org[0].value == COMMITTEE


def test_key_file_is_private_and_reopens(committee_key: CommitteeKey, key_dir: Path) -> None:
    path = key_dir / "committee.p12"
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in key_dir.iterdir() if p.name.endswith(".tmp")]
    again = load_committee_key(path, PASSPHRASE)
    assert again.committee_name == COMMITTEE
    assert again.certificate == committee_key.certificate
    assert again.root == committee_key.root
    public = committee_key.private_key.public_key().public_numbers()
    assert again.private_key.public_key().public_numbers() == public


def test_root_pem_is_written_beside_the_key(committee_key: CommitteeKey, key_dir: Path) -> None:
    pem_path = root_pem_path_for(key_dir / "committee.p12")
    assert pem_path.name == "committee.p12.root.pem"
    assert load_root_pem(pem_path) == [committee_key.root]
    assert committee_key.root_certificate_pem().startswith("-----BEGIN CERTIFICATE-----")
    assert b"PRIVATE" not in pem_path.read_bytes()
    fingerprint = committee_key.root_fingerprint()
    assert len(fingerprint.split(":")) == 32


def test_wrong_passphrase_is_a_clean_rule_violation(
    key_dir: Path, committee_key: CommitteeKey
) -> None:
    with pytest.raises(RuleViolation) as caught:
        load_committee_key(key_dir / "committee.p12", b"not the passphrase")
    assert caught.value.rule == "seal.passphrase"
    assert "wrong passphrase" in str(caught.value)


@pytest.mark.parametrize("content", [b"", b"garbage" * 50, b"0\x82\x01\x00garbage"])
def test_a_file_that_is_not_a_key_is_named_as_such(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "key.p12"
    path.write_bytes(content)
    with pytest.raises(RuleViolation) as caught:
        load_committee_key(path, PASSPHRASE)
    assert caught.value.rule == "seal.key"


def test_missing_key_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(RuleViolation, match="no committee key at") as caught:
        load_committee_key(tmp_path / "absent.p12", PASSPHRASE)
    assert caught.value.rule == "seal.key"


def test_an_existing_key_is_never_silently_replaced(
    key_dir: Path, committee_key: CommitteeKey
) -> None:
    path = key_dir / "committee.p12"
    before = path.read_bytes()
    with pytest.raises(RuleViolation) as caught:
        create_committee_key("别的委员会", PASSPHRASE, path)
    assert caught.value.rule == "seal.key"
    assert path.read_bytes() == before


def test_overwrite_replaces_the_key_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "demo.p12"
    first = create_committee_key("演示委员会", DEMO_PASSPHRASE, path)
    second = create_committee_key("演示委员会", DEMO_PASSPHRASE, path, overwrite=True)
    assert first.root != second.root
    assert load_committee_key(path, DEMO_PASSPHRASE.encode()).root == second.root
    assert load_root_pem(root_pem_path_for(path)) == [second.root]


@pytest.mark.parametrize(
    ("name", "passphrase", "rule"),
    [
        ("", "long enough pass", "seal.name"),
        ("委" * 51, "long enough pass", "seal.name"),
        ("演示委员会", "short", "seal.passphrase"),
        ("演示委员会", "aaaaaaaaaaaaaaaa", "seal.passphrase"),
        ("演示委员会", "演示委员会2026年度", "seal.passphrase"),   # the committee's own name counts
    ],
)
def test_bad_set_up_input_is_refused(tmp_path: Path, name: str, passphrase: str, rule: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        create_committee_key(name, passphrase, tmp_path / "k.p12")
    assert caught.value.rule == rule
    assert not (tmp_path / "k.p12").exists()


def test_demo_passphrase_is_the_documented_one() -> None:
    assert DEMO_PASSPHRASE == "demo-key-not-for-real-use"
    assert f"`{DEMO_PASSPHRASE}`" in (Path(__file__).parents[2] / "README.md").read_text("utf-8")


class TestPassphraseFrom:
    def test_file_wins_and_loses_its_trailing_newline(self, tmp_path: Path) -> None:
        secret = tmp_path / "pass.txt"
        secret.write_bytes("口令 with spaces \r\n".encode())
        ns = argparse.Namespace(passphrase_file=str(secret))
        got = passphrase_from(ns, {PASSPHRASE_ENV: "from-env"})
        assert got == "口令 with spaces ".encode()

    @pytest.mark.parametrize("written", [
        "\ufeff评审口令 2026\r\n".encode(),              # Notepad's UTF-8, with its byte-order mark
        "评审口令 2026\r\n".encode("gbk"),                # the Chinese Windows code page
        "评审口令 2026\n".encode(),
    ])
    def test_a_file_from_windows_gives_the_passphrase_typed_in_the_window(self, tmp_path: Path,
                                                                          written: bytes) -> None:
        secret = tmp_path / "pass.txt"
        secret.write_bytes(written)
        assert passphrase_from(argparse.Namespace(passphrase_file=str(secret)), {}) == "评审口令 2026".encode()

    def test_environment_when_no_file(self) -> None:
        ns = argparse.Namespace(passphrase_file=None)
        assert passphrase_from(ns, {PASSPHRASE_ENV: "from-env"}) == b"from-env"

    def test_none_lets_the_caller_ask(self) -> None:
        assert passphrase_from(argparse.Namespace(), {}) is None
        assert passphrase_from(None, {PASSPHRASE_ENV: ""}) is None

    def test_reads_the_real_environment_by_default(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(PASSPHRASE_ENV, "env-secret")
        assert passphrase_from() == b"env-secret"

    def test_missing_or_empty_file_is_a_rule_violation(self, tmp_path: Path) -> None:
        empty = tmp_path / "empty.txt"
        empty.write_text("\n")
        for name in (str(tmp_path / "absent.txt"), str(empty)):
            with pytest.raises(RuleViolation) as caught:
                passphrase_from(argparse.Namespace(passphrase_file=name), {})
            assert caught.value.rule == "seal.passphrase"


def test_key_creation_is_atomic_when_the_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail_replace)
    with pytest.raises(OSError, match="disk full"):
        keys.write_atomically(tmp_path / "k.p12", b"data", mode=0o600)
    assert list(tmp_path.iterdir()) == []


def test_a_committee_with_a_long_chinese_name_gets_its_key(tmp_path: Path) -> None:
    """Found creating the key at setup for 湘西自治州卫生系列中级职称评审委员会: the signer's common
    name with its suffix was 67 UTF-8 bytes, over X.509's 64, and the window showed an unexpected
    error. The name is shortened in the common name only; the organisation keeps it whole."""
    name = "湘西土家族苗族自治州卫生系列中级职称评审委员会"
    path = tmp_path / "committee.p12"
    key = create_committee_key(name, PASSPHRASE, path)
    loaded = load_committee_key(path, PASSPHRASE)
    assert loaded.committee_name == key.committee_name == name
    signer = key.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    root = key.root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert str(signer).endswith("… 电子签章") and str(root).endswith("… 根证书")
    assert len(str(signer).encode("utf-8")) <= 64 and str(signer).startswith("湘西土家族苗族")
    key.certificate.verify_directly_issued_by(key.root)


# -- the stretched key file (issue 10: a guess at the passphrase must cost, not 2 ms) -------------
def _legacy_file(key: CommitteeKey, passphrase: bytes, path: Path) -> Path:
    """A key file as Conclave wrote it before stretching: the passphrase itself the password."""
    data = pkcs12.serialize_key_and_certificates(
        b"conclave committee key", key.private_key, key.certificate, [key.root],
        serialization.BestAvailableEncryption(passphrase))
    path.write_bytes(data)
    os.chmod(path, 0o600)
    return path


def _mac(data: bytes) -> tuple[str, int]:
    mac = asn1_pkcs12.Pfx.load(data)["mac_data"]
    return mac["mac"]["digest_algorithm"]["algorithm"].native, mac.native["iterations"]


def _key_bag_encryption(data: bytes) -> dict:
    safe = asn1_pkcs12.AuthenticatedSafe.load(asn1_pkcs12.Pfx.load(data)["auth_safe"]["content"].native)
    for info in safe:
        if info["content_type"].native == "data":
            for bag in asn1_pkcs12.SafeContents.load(info["content"].native):
                if bag["bag_id"].native == "pkcs8_shrouded_key_bag":
                    return bag["bag_value"]["encryption_algorithm"].native
    raise AssertionError("no key bag")


def test_a_new_key_file_is_stretched_with_scrypt_and_aes(committee_key: CommitteeKey, key_dir: Path) -> None:
    data = (key_dir / "committee.p12").read_bytes()
    header = keys.read_header(data, key_dir / "committee.p12")
    assert header is not None and header.stretch == keys.STRETCH and len(header.salt) == 16
    with pytest.raises(ValueError):                      # the passphrase alone no longer opens the PKCS#12
        pkcs12.load_key_and_certificates(data, PASSPHRASE.encode())
    password, _ = keys._stretched(PASSPHRASE.encode(), header.salt, header.stretch)
    assert pkcs12.load_key_and_certificates(data, password)[1] == committee_key.certificate   # openssl can, stretched
    algorithm = _key_bag_encryption(data)
    assert algorithm["algorithm"] == "pbes2"
    assert algorithm["parameters"]["encryption_scheme"]["algorithm"] == "aes256_cbc"
    assert algorithm["parameters"]["key_derivation_func"]["parameters"]["prf"]["algorithm"] == "sha256"
    assert algorithm["parameters"]["key_derivation_func"]["parameters"]["iteration_count"] == keys.STRETCH.rounds
    assert _mac(data)[0] == "sha256"
    assert PASSPHRASE.encode() not in data and PASSPHRASE.encode("utf-16-be") not in data


def test_the_production_cost_is_what_the_docstring_says() -> None:
    """Tests lower :data:`keys.STRETCH`; a new key file in production costs 128 MiB of scrypt a guess
    (measured by tests/bench/bench_key_guess.py) and 100,000 PBKDF2 rounds inside."""
    assert keys.Stretch(n=2**17, r=8, p=1, rounds=100_000) == keys.PRODUCTION_STRETCH
    assert keys.PRODUCTION_STRETCH.memory() == 128 * 2**20
    assert keys.stretch_for("a real committee's passphrase 42") is keys.STRETCH
    assert keys.stretch_for(DEMO_PASSPHRASE) is keys.PUBLISHED_STRETCH


def test_an_old_key_file_opens_and_is_rewritten_stretched(committee_key: CommitteeKey, tmp_path: Path) -> None:
    path = _legacy_file(committee_key, PASSPHRASE.encode(), tmp_path / "old.p12")
    assert keys.read_header(path.read_bytes(), path) is None and _mac(path.read_bytes())[1] == 2048
    with pytest.raises(RuleViolation) as wrong:          # a wrong passphrase leaves the old file alone
        load_committee_key(path, "not the passphrase")
    assert wrong.value.rule == "seal.passphrase" and "old.p12" in str(wrong.value)
    assert keys.read_header(path.read_bytes(), path) is None
    opened = load_committee_key(path, PASSPHRASE)
    assert opened.certificate == committee_key.certificate and opened.root == committee_key.root
    header = keys.read_header(path.read_bytes(), path)
    assert header is not None and header.stretch == keys.STRETCH
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.p12"]      # no temporary file left
    again = load_committee_key(path, PASSPHRASE)                         # and the new form opens
    assert again.private_key.private_numbers() == committee_key.private_key.private_numbers()
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(path.read_bytes(), PASSPHRASE.encode())


def test_an_old_key_file_that_cannot_be_rewritten_still_opens(
    committee_key: CommitteeKey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _legacy_file(committee_key, PASSPHRASE.encode(), tmp_path / "stick.p12")
    before = path.read_bytes()

    def read_only(path: Path, data: bytes, *, mode: int) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(keys, "write_atomically", read_only)
    assert load_committee_key(path, PASSPHRASE).root == committee_key.root
    assert path.read_bytes() == before


def test_the_old_demo_key_is_rewritten_at_the_demo_cost(committee_key: CommitteeKey, tmp_path: Path) -> None:
    path = _legacy_file(committee_key, DEMO_PASSPHRASE.encode(), tmp_path / "demo.p12")
    load_committee_key(path, DEMO_PASSPHRASE)
    header = keys.read_header(path.read_bytes(), path)
    assert header is not None and header.stretch == keys.PUBLISHED_STRETCH


def test_wrong_passphrase_on_a_stretched_key_names_the_key_file(committee_key: CommitteeKey, key_dir: Path) -> None:
    with pytest.raises(RuleViolation) as caught:
        load_committee_key(key_dir / "committee.p12", "评审会 correct horse 2024")
    assert caught.value.rule == "seal.passphrase"
    found = caught.value.violations[0]
    assert "committee.p12" in found.en and "committee.p12" in (found.zh or "")
    assert "口令不正确" in (found.zh or "")


def _replace_once(data: bytes, old: bytes, new: bytes) -> bytes:
    assert data.count(old) == 1 and len(old) == len(new)
    return data.replace(old, new)


def test_a_damaged_key_file_is_named_damaged_not_a_wrong_passphrase(
    committee_key: CommitteeKey, key_dir: Path, tmp_path: Path
) -> None:
    data = (key_dir / "committee.p12").read_bytes()
    header = keys.read_header(data, key_dir / "committee.p12")
    assert header is not None
    salt = header.salt.hex().encode("utf-16-be")           # the friendly name is a BMPString
    cases = {
        "salt": _replace_once(data, salt, salt[:-2] + ("0" if salt[-1:] != b"0" else "1").encode("utf-16-be")),
        "sealed bytes": data[:-200] + bytes([data[-200] ^ 0x01]) + data[-199:],   # inside the encrypted bags
    }
    for what, damaged in cases.items():
        path = tmp_path / f"{what}.p12"
        path.write_bytes(damaged)
        with pytest.raises(RuleViolation) as caught:
            load_committee_key(path, PASSPHRASE)
        assert caught.value.rule == "seal.key", what
        assert "damaged" in str(caught.value) and "已损坏" in (caught.value.violations[0].zh or "")


def test_a_header_asking_for_gigabytes_is_refused_before_scrypt_runs(
    committee_key: CommitteeKey, tmp_path: Path
) -> None:
    greedy = keys.Stretch(n=2**24)
    text = keys._header_text(keys.KeyHeader(greedy, b"\0" * 16, "0" * 32))
    data = pkcs12.serialize_key_and_certificates(
        text.encode("ascii"), committee_key.private_key, committee_key.certificate, [committee_key.root],
        serialization.BestAvailableEncryption(b"whatever"))
    path = tmp_path / "greedy.p12"
    path.write_bytes(data)
    with pytest.raises(RuleViolation, match="damaged") as caught:
        load_committee_key(path, PASSPHRASE)
    assert caught.value.rule == "seal.key"
