"""A result sheet's signed QR code (app.sealing.qrfacts): the committee's QR key signs the facts, the
root names the key, one changed fact or another committee's key is refused."""

from __future__ import annotations

import base64

import pytest

from app.errors import RuleViolation
from app.sealing import qrfacts
from app.sealing.keys import EKU_EMAIL_PROTECTION, CommitteeKey, qr_public_key

FACTS = qrfacts.ResultFacts("2026-M1.result.C005", "秦浩然", "主治医师", "F", "2026-11-20",
                            (qrfacts.RoundVotes(1, "f", 8, 4, 1),))


def _payload(key: CommitteeKey, facts: qrfacts.ResultFacts = FACTS) -> str:
    qr_key = key.qr_key()
    assert qr_key is not None
    return qrfacts.signed_payload(facts, qr_key.sign)


def test_the_root_names_the_qr_key_and_the_signer_can_sign_for_nss(committee_key: CommitteeKey) -> None:
    from cryptography import x509

    named = qr_public_key(committee_key.root)
    assert named is not None and committee_key.qr_key() is not None
    assert named.public_bytes_raw() == committee_key.qr_key().public_key().public_bytes_raw()  # type: ignore[union-attr]
    eku = committee_key.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert EKU_EMAIL_PROTECTION in eku


def test_signed_facts_check_against_the_root_alone(committee_key: CommitteeKey) -> None:
    payload = _payload(committee_key)
    assert len(payload) < 260                 # scans at 150 dpi from a 32 mm code
    result = qrfacts.check(payload, [committee_key.root])
    assert result.ok and result.facts == FACTS
    assert result.root_fingerprint == committee_key.root_fingerprint()
    text = "\n".join(result.facts.lines())
    assert "秦浩然" in text and "未通过" in text and "主治医师" in text and "赞成8票，反对4票，弃权1票" in text


def test_one_changed_fact_or_another_committee_is_refused(committee_key: CommitteeKey,
                                                          other_key: CommitteeKey) -> None:
    _, body, signature = qrfacts.parse(_payload(committee_key))
    for old, new in ((b'"F"', b'"P"'), (b"8,4,1", b"9,3,1"), (b"2026-11-20", b"2026-11-21")):
        changed = qrfacts.PREFIX + base64.urlsafe_b64encode(body.replace(old, new) + signature).decode().rstrip("=")
        result = qrfacts.check(changed, [committee_key.root])
        assert not result.ok and result.status == qrfacts.FORGED, old
    assert not qrfacts.check(_payload(other_key), [committee_key.root]).ok


def test_a_title_not_recorded_is_said_to_be_missing() -> None:
    facts = qrfacts.ResultFacts("m.result.C1", "张三", "", "P", "2026-11-20", ())
    assert "（未填写）" in "\n".join(facts.lines())


@pytest.mark.parametrize("text", ["conclave:2:", "conclave:2:!!!", "conclave:2:" + "A" * 120,
                                  "conclave:1:x:" + "a" * 64])
def test_malformed_codes_are_named(text: str, committee_key: CommitteeKey) -> None:
    with pytest.raises(RuleViolation):
        qrfacts.parse(text)
    assert qrfacts.check(text, [committee_key.root]).status == qrfacts.NOT_FACTS
