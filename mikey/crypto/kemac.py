"""Key data transport encryption of the KEMAC payload, RFC 3830 4.2.3 (Table 6.2.a).

- NULL: the Key data sub-payloads travel in clear.
- AES-CM-128: AES in counter mode as in SRTP (RFC 3711 4.1.1), 128-bit key,
  SRTP_PREFIX_LENGTH zero, IV = (S XOR (0x0000 || CSB ID || T)) || 0x0000
  with S the 112-bit salting key and T the 64-bit timestamp of the Initiator.
  A 32-bit COUNTER timestamp is used with leading zeros as a 64-bit value
  (RFC 3830 6.6 pads it so for the PRF; the IV needs 64 bits the same way):
  callers pass mikey.ntp.ts_value_64 of the T payload.
- AES-KW-128: AES key wrap (RFC 3394) with the 64-bit salt S as its IV.

Keys and salts come from `KemacKeys.derive` (4.1.4). `ts_value` is T as its
64-bit number (mikey.ntp.ts_value_64; for a COUNTER, its 32-bit value with
leading zeros).
"""

from __future__ import annotations

from mikey.crypto.aes_cm import aes_cm
from mikey.crypto.errors import CryptoError
from mikey.crypto.kdf import ENCR_KEY_LENGTH, SALT_KEY_LENGTH, KemacKeys
from mikey.crypto.keywrap import aes_kw_unwrap, aes_kw_wrap
from mikey.wire.registry import EncrAlg


def kemac_iv(salt: bytes, csb_id: int, ts_value: int) -> bytes:
    """IV = (S XOR (0x0000 || CSB ID || T)) || 0x0000 (RFC 3830 4.2.3), 16 bytes."""
    if len(salt) != 14:
        raise CryptoError(f"AES-CM salt of {len(salt)} bytes: S is 112 bits (RFC 3830 4.2.3)")
    if not 0 <= csb_id < 1 << 32:
        raise CryptoError(f"CSB ID {csb_id} does not fit 32 bits")
    if not 0 <= ts_value < 1 << 64:
        raise CryptoError(f"timestamp {ts_value} does not fit 64 bits (RFC 3830 4.2.3)")
    mixed = int.from_bytes(salt, "big") ^ (csb_id << 64 | ts_value)
    return mixed.to_bytes(14, "big") + b"\x00\x00"


def _check_keys(alg: EncrAlg, keys: KemacKeys) -> None:
    key_len, salt_len = ENCR_KEY_LENGTH[alg], SALT_KEY_LENGTH[alg]
    if len(keys.encr_key) != key_len or len(keys.salt_key) != salt_len:
        raise CryptoError(
            f"{alg.name} takes a {key_len}-byte key and a {salt_len}-byte salt (RFC 3830 4.2.3),"
            f" not {len(keys.encr_key)} and {len(keys.salt_key)}"
        )


def _algorithm(alg: int) -> EncrAlg:
    try:
        return EncrAlg(alg)
    except ValueError:
        raise CryptoError(f"unknown encryption algorithm {alg} (RFC 3830 Table 6.2.a)") from None


def kemac_encrypt(alg: EncrAlg, keys: KemacKeys, csb_id: int, ts_value: int, data: bytes) -> bytes:
    """The KEMAC Encr data for the Key data sub-payloads `data` (RFC 3830 4.2.3)."""
    alg = _algorithm(alg)
    _check_keys(alg, keys)
    if alg == EncrAlg.AES_CM_128:
        return aes_cm(keys.encr_key, kemac_iv(keys.salt_key, csb_id, ts_value), data)
    if alg == EncrAlg.AES_KW_128:
        return aes_kw_wrap(keys.encr_key, keys.salt_key, data)
    return data


def kemac_decrypt(alg: EncrAlg, keys: KemacKeys, csb_id: int, ts_value: int, data: bytes) -> bytes:
    """The Key data sub-payloads from KEMAC Encr data `data` (RFC 3830 4.2.3).

    AES-KW-128 checks integrity: a failed check raises IntegrityError.
    """
    alg = _algorithm(alg)
    _check_keys(alg, keys)
    if alg == EncrAlg.AES_CM_128:
        return aes_cm(keys.encr_key, kemac_iv(keys.salt_key, csb_id, ts_value), data)
    if alg == EncrAlg.AES_KW_128:
        return aes_kw_unwrap(keys.encr_key, keys.salt_key, data)
    return data
