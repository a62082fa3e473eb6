"""MIKEY's cryptography (RFC 3830 4.1, 4.2): the PRF and key derivations, KEMAC
encryption and the MAC, all on the `cryptography` package.

- `prf` (4.1.2); `tgk_derive` (4.1.3) and `message_key_derive` (4.1.4) with
  their constants `TgkConstant` and `MessageKeyConstant`;
- `KemacKeys.derive` (4.1.4) and `kemac_encrypt` / `kemac_decrypt` (4.2.3);
- `mac` / `mac_verify` (4.2.4);
- `aes_cm` (RFC 3711 4.1.1) and `aes_kw_wrap` / `aes_kw_unwrap` (RFC 3394) beneath;
- every failure is a `CryptoError`; a failed integrity check an `IntegrityError`.
"""

from mikey.crypto.aes_cm import aes_cm, aes_cm_keystream
from mikey.crypto.errors import CryptoError, IntegrityError
from mikey.crypto.kdf import (
    AUTH_KEY_LENGTH,
    ENCR_KEY_LENGTH,
    SALT_KEY_LENGTH,
    KemacKeys,
    MessageKeyConstant,
    TgkConstant,
    message_key_derive,
    message_key_label,
    tgk_derive,
    tgk_label,
)
from mikey.crypto.kemac import kemac_decrypt, kemac_encrypt, kemac_iv
from mikey.crypto.keywrap import aes_kw_unwrap, aes_kw_wrap
from mikey.crypto.mac import mac, mac_verify
from mikey.crypto.prf import prf

__all__ = [
    "AUTH_KEY_LENGTH",
    "ENCR_KEY_LENGTH",
    "SALT_KEY_LENGTH",
    "CryptoError",
    "IntegrityError",
    "KemacKeys",
    "MessageKeyConstant",
    "TgkConstant",
    "aes_cm",
    "aes_cm_keystream",
    "aes_kw_unwrap",
    "aes_kw_wrap",
    "kemac_decrypt",
    "kemac_encrypt",
    "kemac_iv",
    "mac",
    "mac_verify",
    "message_key_derive",
    "message_key_label",
    "prf",
    "tgk_derive",
    "tgk_label",
]
