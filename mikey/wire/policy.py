"""Security Policy payload SP, RFC 3830 section 6.10.

Policy param length (16 bits) bounds a run of Type (8 bits) / Length (8 bits) /
Value parameters; the parameters must fill it exactly. Parameter types and
values are not checked here: whether a policy is acceptable (Table 6.10.1.a,
Error "Invalid SPpar") is a matter for the modes, not the encoding.
"""

from __future__ import annotations

from mikey.wire.payloads import PolicyParam, SecurityPolicy
from mikey.wire.reader import Reader
from mikey.wire.registry import PayloadType, ProtType
from mikey.wire.spec import PayloadSpec
from mikey.wire.writer import prefixed, uint

NAME = "SP"


def encode_sp(p: SecurityPolicy) -> bytes:
    params = b"".join(
        uint(q.type, 1, "Type", NAME) + prefixed(q.value, 1, "Value", NAME) for q in p.params
    )
    return b"".join(
        (
            uint(p.policy_no, 1, "Policy no", NAME),
            uint(p.prot_type, 1, "Prot type", NAME),
            prefixed(params, 2, "Policy param", NAME),
        )
    )


def decode_sp(r: Reader) -> SecurityPolicy:
    policy_no = r.u8("Policy no")
    prot_type = r.read_code(ProtType, "Prot type")
    at = r.offset
    region = r.sub(r.u16("Policy param length"), "Policy param length", at)
    params: list[PolicyParam] = []
    while not region.at_end:
        param_type = region.u8("Type")
        params.append(PolicyParam(param_type, region.prefixed(1, "Length")))
    return SecurityPolicy(policy_no, prot_type, tuple(params))


SP_SPEC = PayloadSpec(PayloadType.SP, SecurityPolicy, NAME, "RFC 3830 6.10", encode_sp, decode_sp)
