"""MIKEY's key-exchange modes as sans-I/O state machines (bytes in, bytes out).

Shared by every mode: `base` (Environment, Outcome, Reply, Rejection),
`responder` (RFC 3830 5.3's checks), `replay` (the replay cache, 5.4), `csb`
(the CSB state), `error_message` (5.1.2), `sealing` (MACs, 5.2),
`srtp_policy` (SRTP policy defaults, 6.10.1). The pre-shared key method (3.1):
`psk` (with `psk_common`, `psk_initiator`, `psk_responder`).
"""
