"""Wireshark's MIKEY dissector (tshark) as an independent decode oracle.

    from conformance.oracle import cross_check
    for result in cross_check(messages):     # one tshark run for the whole batch
        assert not result.discrepancies, result.discrepancies

Modules: `pcap` writes the messages as UDP datagrams to port 2269; `tshark`
runs tshark once and reads its JSON into `TsharkFrame`s; `ourview` and
`tsharkview` flatten both decoders' readings into the same named fields;
`compare` lists the `Discrepancy`s, excusing the documented tshark 4.0 bugs
in `known_deviations`.
"""

from conformance.oracle.compare import CrossCheck, Discrepancy, compare, cross_check
from conformance.oracle.known_deviations import KNOWN_DEVIATIONS, KnownDeviation
from conformance.oracle.pcap import MIKEY_PORT, pcap_bytes, write_pcap
from conformance.oracle.tshark import (
    ExpertInfo,
    Field,
    OracleError,
    OracleUnavailable,
    TsharkFailed,
    TsharkFrame,
    dissect,
    tshark_path,
    tshark_version,
)

__all__ = [
    "KNOWN_DEVIATIONS",
    "MIKEY_PORT",
    "CrossCheck",
    "Discrepancy",
    "ExpertInfo",
    "Field",
    "KnownDeviation",
    "OracleError",
    "OracleUnavailable",
    "TsharkFailed",
    "TsharkFrame",
    "compare",
    "cross_check",
    "dissect",
    "pcap_bytes",
    "tshark_path",
    "tshark_version",
    "write_pcap",
]
