"""The reference as an RTSP server offering one MIKEY-keyed SRTP stream (RFC 4567 4.2).

`framing.py` reads RTSP requests and writes responses (RFC 2326), `media.py`
sends the SRTP test stream and gathers what the client sends back, and
`session.py` is the server: methods, states and the key management hand-off
to a `KeyManagement` (the reference initiator for `mikeyconf serve --rtsp`,
the suite's I_MESSAGE for the `rtsp-client:` adapter).
"""
