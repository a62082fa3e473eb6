"""The codec corpus: valid MIKEY messages and the malformations made from them.

`valid_samples()` are well-formed encodings covering every payload of RFC 3830
section 6 and RFC 4563, among them the published messages of RFC 4567 section 5.1
(mikey/vectors/rfc4567-examples.json); `malformations()` each break one encoding rule
of one of them. The codec conformance tests (conformance/rfc3830/test_codec_*.py)
send both to the SUT's decoder and encoder.

Modules: `valid` (the samples), `mutate` (byte surgery that finds fields
through our decoder), `malformed` (the malformations), `rules` (the catalog
requirements each exercises or breaks).
"""

from conformance.corpus.malformed import Malformation, malformations
from conformance.corpus.valid import Sample, sample, valid_samples

__all__ = ["Malformation", "Sample", "malformations", "sample", "valid_samples"]
