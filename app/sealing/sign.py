"""Seal a PDF (加盖电子签章): a PAdES signature with a visible red seal.

The signature is PAdES baseline B-B (``ETSI.CAdES.detached``, SHA-256) made by the
committee's signing key, and it *certifies* the document with "no changes allowed":
minutes and result sheets are final, so any later incremental update — even an
innocent-looking annotation — is something a verifier must hear about. No timestamp
server is asked (the laptop is offline); the signing time in the signature is the
laptop's clock. It is also put in the CMS as a signed ``signingTime`` attribute: PAdES
baseline leaves it out (the time is in the signature dictionary's ``/M``), but poppler,
NSS and Windows show the signing time from that attribute only, and nothing rejects it.

Where the seal goes: a result sheet leaves a circle for the committee's seal
(``SealArea``); the document records where it landed, and the seal is drawn *in* it —
a ring with the committee's name, without the signer/date/reason lines beside it (the
viewer's signature panel shows those). A box wider than it is tall gets the lines.

The seal's look is in :mod:`app.sealing.appearance`. Chinese text needs CJK fonts; the
bundled ones under ``resources/fonts/`` are used unless fonts are given. Without any
CJK font a Latin-only appearance is drawn only when the caller asks for it
(``allow_latin_fallback``): a seal with missing glyphs must never go out silently.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.errors import RuleViolation
from app.sealing.appearance import SEAL_RED, CjkFontFactory, SealStampStyle, seal_fonts
from app.sealing.keys import CommitteeKey, write_atomically
from app.text import bi

__all__ = ["DEFAULT_BOX", "SEAL_RED", "seal_fonts", "seal_pdf"]

DEFAULT_BOX = (335, 118, 555, 208)  # A4, right, above the footer and sheet QR code; 220 x 90 pt


def seal_pdf(
    in_path: Path,
    out_path: Path,
    key: CommitteeKey,
    *,
    reason: str,
    location: str,
    signer_name: str,
    field_name: str = "Seal",
    box: tuple[float, float, float, float] | None = DEFAULT_BOX,
    page: int = -1,
    font_path: Path | Sequence[Path] | None = None,
    allow_latin_fallback: bool = False,
    also_drawn: str = "",
) -> Path:
    """Certify ``in_path`` with the committee's seal and write ``out_path`` atomically.

    ``box`` is ``(x1, y1, x2, y2)`` in points on ``page`` (0-based, -1 = last page); the document
    layout must leave it free. ``box=None`` seals without a visible seal (the signature panel
    of a viewer still shows it). ``out_path`` may equal ``in_path``. ``font_path`` is one
    CJK font or a chain (main font first, fallbacks for characters it lacks); by default
    the bundled fonts. ``also_drawn``: characters other seals of the same run draw (their reasons),
    so that one cut of the font serves them all (:func:`app.sealing.appearance._subset_bytes` makes
    one per set of characters, half a second each); the seal embeds only the glyphs it draws.
    """
    now = dt.datetime.now(dt.UTC)
    cert = key.certificate
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise RuleViolation.single(
            "seal.key",
            bi("the committee's signing certificate is valid only from "
               f"{cert.not_valid_before_utc:%Y-%m-%d} to {cert.not_valid_after_utc:%Y-%m-%d}; "
               "check the laptop's clock",
               f"评委会签章证书的有效期为{cert.not_valid_before_utc:%Y-%m-%d}至{cert.not_valid_after_utc:%Y-%m-%d}；"
               "请检查笔记本电脑的日期和时间"),
        )
    if font_path is None:
        fonts = seal_fonts()
    else:
        fonts = [Path(font_path)] if isinstance(font_path, str | Path) else list(font_path)
    missing = [str(f) for f in fonts if not f.is_file()]
    if missing:
        raise RuleViolation.single("seal.font", bi(f"font file not found: {', '.join(missing)}",
                                                   f"找不到字体文件：{'、'.join(missing)}"))
    if not fonts and not allow_latin_fallback:
        raise RuleViolation.single(
            "seal.font",
            bi("no CJK font found under resources/fonts; the seal cannot show Chinese text",
               "resources/fonts 下没有中文字体，签章无法显示中文"),
        )
    style = SealStampStyle(
        fonts=tuple(CjkFontFactory(f, key.committee_name + signer_name + reason + also_drawn)
                    for f in fonts),
        committee_name=key.committee_name
    )

    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=signer_name,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    signer = _signer(key, now)
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        stamp_style=style,
        # PDF coordinates are numbers; pyHanko's annotation says int but writes any number
        new_field_spec=fields.SigFieldSpec(field_name, on_page=page, box=box),  # type: ignore[arg-type]
    )
    try:
        data = Path(in_path).read_bytes()
    except OSError as exc:
        raise RuleViolation.single("seal.input", bi(f"cannot read {in_path}: {exc.strerror}",
                                                    f"无法读取{in_path}：{exc.strerror}")) from None
    params = {"date": now.astimezone().strftime("%Y-%m-%d %H:%M"), "reason": reason}
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        signed = pdf_signer.sign_pdf(writer, bytes_reserved=_reserved(signer, now), appearance_text_params=params,
                                     output=io.BytesIO())
    except (PdfError, SigningError, ValueError) as exc:
        raise RuleViolation.single("seal.input", bi(f"cannot seal {in_path}: {exc}",
                                                    f"无法对{in_path}盖章：{exc}")) from None
    write_atomically(Path(out_path), signed.getvalue(), mode=0o644)
    return Path(out_path)


def _signer(key: CommitteeKey, now: dt.datetime) -> _LoadedKeySigner:
    """The signer of a seal made at ``now``: the committee's loaded key, its certificate, the root
    carried in the CMS, and the signed attributes of a CAdES signature — signing-certificate-v2 and
    signingTime (see the module docstring; pyHanko leaves signingTime out under PAdES by default)."""
    from pyhanko.sign.signers.pdf_cms import CAdESSignedAttributeProviderSpec, PdfCMSSignedAttributes

    signer = _LoadedKeySigner(
        key.private_key,
        signing_cert=_to_asn1_cert(key.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([_to_asn1_cert(key.root)]),
    )
    signer.signed_attr_prov_spec = _encoded_attributes(CAdESSignedAttributeProviderSpec)(
        attr_settings=PdfCMSSignedAttributes(signing_time=now), signing_cert=signer.signing_cert,
        is_pades=False, timestamper=None)
    return signer


_RESERVED: dict[bytes, int] = {}
"""The room a signature of each signing certificate takes in the PDF (see :func:`_reserved`)."""


def _reserved(signer: signers.Signer, now: dt.datetime) -> int:
    """The bytes to reserve in the PDF for the signature, worked out once per signing certificate.

    Left to itself, pyHanko sizes every signature by a dry run — the whole CMS built and
    encoded with a dummy signature, a third of a seal's cost — and reserves that size plus
    its 50 % margin. The size depends only on the certificates, the key's length and the
    signed attributes, whose encodings have fixed lengths (a digest, a UTCTime), never on the
    document: so the dry run is made for the first seal of a certificate, as pyHanko makes it,
    and its result kept for the next ones (a meeting's documents are 30 and more seals)."""
    cert = signer.signing_cert
    assert cert is not None
    found = _RESERVED.get(cert.dump())
    if found is None:
        import asyncio

        from cryptography.hazmat.primitives import hashes
        from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

        dummy = hashes.Hash(hashes.SHA256()).finalize()
        cms = asyncio.run(signer.async_sign(dummy, "sha256", use_pades=True, dry_run=True, timestamper=None,
                                            signed_attr_settings=PdfCMSSignedAttributes(signing_time=now)))
        size = len(cms.dump()) * 2                  # written into the PDF as a hexadecimal string
        found = _RESERVED[cert.dump()] = size + 2 * (size // 4)     # pyHanko's own margin, and even
    return found


def _encoded(value: Any) -> Any:
    """``value`` read back from its DER encoding: the same bytes, as a value asn1crypto has not built.

    asn1crypto marks a value it built (from Python values, not parsed from DER) as changed for
    good, and encodes such a value again whenever its encoding is asked for — twice for each level
    it is nested in (``Asn1Value.dump`` reads ``contents`` twice). The signing-certificate-v2
    attribute sits a dozen levels deep in a CMS, and pyHanko encodes the signed attributes and then
    the whole CMS several times a seal (to sign them, to size and to embed the signature): the issuer's
    name was encoded some 700 times a seal, half the CPU of the signature. A value parsed from its own
    DER is encoded once, and only the levels above it are built."""
    return type(value).load(value.dump())


@functools.cache
def _encoded_attributes(spec: type[Any]) -> type[Any]:
    """``spec`` (a pyHanko signed-attribute provider spec) whose attribute values are handed on
    encoded (:func:`_encoded`): the same attributes, the same bytes."""
    from pyhanko.sign.attributes import CMSAttributeProvider

    class Encoded(CMSAttributeProvider):
        def __init__(self, provider: CMSAttributeProvider) -> None:
            self.provider = provider
            self.attribute_type = provider.attribute_type

        async def build_attr_value(self, dry_run: bool = False) -> Any:
            value = await self.provider.build_attr_value(dry_run=dry_run)
            return None if value is None else _encoded(value)

    class EncodedSpec(spec):
        def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str) -> Any:
            for provider in super().signed_attr_providers(data_digest, digest_algorithm):
                yield Encoded(provider)

    return EncodedSpec


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses the private key from DER at every signature (twice for the
    first seal of a key: a dry run to size it, :func:`_reserved`, then the real one), which checks
    an RSA-3072 key anew each time — 0.4 s apiece. This signer signs with the key already loaded (RSA
    PKCS#1 v1.5, as configured), and hands the signed attributes and the CMS on encoded
    (:func:`_encoded`): pyHanko encodes them again and again while it sizes and embeds the signature."""

    def __init__(self, private_key: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._loaded = private_key

    async def async_sign_prescribed_attributes(self, digest_algorithm: str, signed_attrs: Any,
                                               *args: Any, **kwargs: Any) -> Any:
        signed = await super().async_sign_prescribed_attributes(digest_algorithm, _encoded(signed_attrs),
                                                                *args, **kwargs)
        return _encoded(signed)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding, rsa

        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if not isinstance(self._loaded, rsa.RSAPrivateKey) or mechanism["algorithm"].native != "sha256_rsa":
            return super().sign_raw(data, digest_algorithm)
        return bytes(self._loaded.sign(data, padding.PKCS1v15(), hashes.SHA256()))


def _to_asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    """pyHanko speaks asn1crypto; the rest of Conclave speaks ``cryptography``."""
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
