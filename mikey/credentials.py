"""Public-key material the parties of the public-key modes are provisioned with.

A `Credential` is one party's certificate chain (end entity first, as the
CERT payloads carry it, RFC 3830 6.7) and, for the party itself, its private
key. `PkMaterial` holds both parties' credentials, the trust anchors (4.3.2
"Trusted root") and the envelope encryption scheme both sides agreed on (the
PKE carries no algorithm field, 4.2.5, 6.3). It is the `pk` field of a SUT
profile: the reference side uses the suite's own private key, the SUT its own.

JSON form (the `pk` object of a --profile file); each PEM value is a file
path, or the PEM text itself when it starts with "-----BEGIN":

    {"initiator": {"key": "alice.key.pem", "certs": "alice.chain.pem"},
     "responder": {"certs": "bob.chain.pem"},
     "trust_anchors": "root.pem",
     "envelope": "PKCS1-v1_5"}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from mikey.crypto.envelope import EnvelopeScheme


@dataclass(frozen=True)
class Credential:
    """One party's chain (end entity first) and, when it is ours, its private key."""

    chain: tuple[x509.Certificate, ...]
    key: PrivateKeyTypes | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "chain", tuple(self.chain))
        if not self.chain:
            raise ValueError("a credential needs at least its end-entity certificate")

    @property
    def certificate(self) -> x509.Certificate:
        """The end-entity certificate."""
        return self.chain[0]

    def private_key(self) -> PrivateKeyTypes:
        if self.key is None:
            raise ValueError("no private key for this credential")
        return self.key

    def to_json(self) -> dict[str, str]:
        """The JSON form `from_json` reads, with the PEM text inline."""
        data = {"certs": "".join(_cert_pem(cert) for cert in self.chain)}
        if self.key is not None:
            pem = self.key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
            data["key"] = pem.decode("ascii")
        return data

    @classmethod
    def from_json(cls, data: Any, who: str) -> Credential:
        if not isinstance(data, dict) or "certs" not in data:
            raise ValueError(f"pk.{who} must be an object with 'certs' (and 'key')")
        unknown = sorted(set(data) - {"certs", "key"})
        if unknown:
            raise ValueError(f"unknown key(s) in pk.{who}: {', '.join(unknown)}")
        chain = x509.load_pem_x509_certificates(_pem(data["certs"], f"pk.{who}.certs"))
        key = None
        if "key" in data:
            key = load_pem_private_key(_pem(data["key"], f"pk.{who}.key"), password=None)
        return cls(tuple(chain), key)


@dataclass(frozen=True)
class PkMaterial:
    """Both parties' credentials, the trust anchors and the agreed PKE scheme."""

    initiator: Credential
    responder: Credential
    trust_anchors: tuple[x509.Certificate, ...]
    envelope: EnvelopeScheme = EnvelopeScheme.PKCS1_V1_5

    def __post_init__(self) -> None:
        object.__setattr__(self, "trust_anchors", tuple(self.trust_anchors))

    def to_json(self) -> dict[str, Any]:
        """The JSON form `from_json` reads, with the PEM text inline (private keys too:
        it hands both parties' test credentials to a SUT's process)."""
        return {
            "initiator": self.initiator.to_json(),
            "responder": self.responder.to_json(),
            "trust_anchors": "".join(_cert_pem(cert) for cert in self.trust_anchors),
            "envelope": self.envelope.value,
        }

    @classmethod
    def from_json(cls, data: Any) -> PkMaterial:
        """The `pk` object of a profile; raises ValueError naming what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("pk must be a JSON object")
        known = {"initiator", "responder", "trust_anchors", "envelope"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown pk key(s): {', '.join(unknown)}")
        missing = sorted(known - {"envelope"} - set(data))
        if missing:
            raise ValueError(f"pk lacks {', '.join(missing)}")
        anchors = x509.load_pem_x509_certificates(_pem(data["trust_anchors"], "pk.trust_anchors"))
        return cls(
            Credential.from_json(data["initiator"], "initiator"),
            Credential.from_json(data["responder"], "responder"),
            tuple(anchors),
            EnvelopeScheme(data.get("envelope", EnvelopeScheme.PKCS1_V1_5)),
        )


def _cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(Encoding.PEM).decode("ascii")


def _pem(value: Any, where: str) -> bytes:
    if not isinstance(value, str):
        raise ValueError(f"{where} must be a string (a PEM file path or PEM text)")
    if value.lstrip().startswith("-----BEGIN"):
        return value.encode("ascii")
    try:
        return Path(value).read_bytes()
    except OSError as exc:
        raise ValueError(f"{where}: cannot read {value}: {exc.strerror or exc}") from None
