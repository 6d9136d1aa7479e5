"""Files carrying content credentials (C2PA), signed here with the c2pa library and a test
certificate chain made here: nothing downloaded, nothing trusted."""

import datetime
import io
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CAPTURE = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
GENERATED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Newsroom"),
        ]
    )


def _usage(**allowed) -> x509.KeyUsage:
    flags = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    return x509.KeyUsage(**{**flags, **allowed})


@cache
def signing_chain() -> tuple[bytes, bytes]:
    """(the leaf and CA certificates, PEM; the leaf's private key, PEM)."""
    now = datetime.datetime.now(datetime.UTC)
    period = {
        "not_valid_before": now - datetime.timedelta(days=1),
        "not_valid_after": now + datetime.timedelta(days=30),
    }
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder(
            issuer_name=_name("Test C2PA Root"),
            subject_name=_name("Test C2PA Root"),
            public_key=ca_key.public_key(),
            serial_number=x509.random_serial_number(),
            **period,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder(
            issuer_name=ca.subject,
            subject_name=_name("Test Camera"),
            public_key=key.public_key(),
            serial_number=x509.random_serial_number(),
            **period,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(digital_signature=True), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    chain = leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(
        serialization.Encoding.PEM
    )
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return chain, private


def signed(
    data: bytes,
    media_type: str,
    *,
    actions=("c2pa.created", "c2pa.cropped"),
    source: str = CAPTURE,
    title: str = "staging-area.jpg",
) -> bytes:
    """`data` with a C2PA manifest declaring `actions`, signed with the test chain."""
    import c2pa

    chain, private = signing_chain()
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain, private, None)
    )
    declared = [{"action": action} for action in actions]
    declared[0]["digitalSourceType"] = source
    manifest = {
        "claim_generator_info": [{"name": "Corroborate tests", "version": "1.0"}],
        "title": title,
        "assertions": [{"label": "c2pa.actions", "data": {"actions": declared}}],
    }
    out = io.BytesIO()
    with c2pa.Builder(manifest) as builder:
        builder.sign(signer, media_type, io.BytesIO(data), out)
    return out.getvalue()


def with_changed_byte(data: bytes, from_end: int = 200) -> bytes:
    """One byte of the picture changed, after signing: what a tamperer leaves."""
    changed = bytearray(data)
    changed[len(changed) - from_end] ^= 0x01
    return bytes(changed)
