"""The JSON form of the SUT interface types, shared by both ends of the shim protocol.

One encoder and one strict decoder per type of suts.base (PROTOCOL.md,
"Types"): the client (suts.shim.client) writes requests and reads answers with
them, the server (suts.shim.server) does the reverse. Binary values are base64
(RFC 4648 section 4); registry codes are written by member name and read by
name or number; a MIKEY message given field by field (a `structure`) is the
codec's own JSON form (mikey.wire.jsonform), passed through as it is.

Every `*_from_json` raises CodecError naming the offending key.
"""

from __future__ import annotations

import base64
import binascii
from enum import IntEnum
from typing import Any, TypeVar

from mikey.credentials import PkMaterial
from mikey.modes.sakke_kms import SakkeCommunity
from mikey.srtp import SrtpKeys
from mikey.wire.payloads import Id, PolicyParam, SecurityPolicy, SrtpIdEntry
from mikey.wire.registry import (
    CsIdMapType,
    DhGroup,
    EncrAlg,
    ErrorNo,
    IdType,
    KeyType,
    MacAlg,
    PayloadType,
    PkeCache,
    ProtType,
    TsType,
)
from suts.base import (
    Capabilities,
    CodecCapabilities,
    DecodeResult,
    ExchangeParams,
    Outcome,
    Profile,
    Reply,
    Role,
    UpdateParams,
)

E = TypeVar("E", bound=IntEnum)
T = TypeVar("T")

JsonObject = dict[str, Any]


class CodecError(ValueError):
    """A JSON value that is not the form PROTOCOL.md gives for its type."""


def expect(obj: Any, kind: type[T], what: str) -> T:
    """`obj` if it is a `kind` (a bool is no int), else CodecError naming `what`."""
    if not isinstance(obj, kind) or (kind is int and isinstance(obj, bool)):
        raise CodecError(f"{what}: expected {kind.__name__}, got {obj!r:.80}")
    return obj


def number(obj: Any, what: str) -> float:
    if isinstance(obj, bool) or not isinstance(obj, int | float):
        raise CodecError(f"{what}: expected a number, got {obj!r:.80}")
    return float(obj)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(obj: Any, what: str) -> bytes:
    text = expect(obj, str, what)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise CodecError(f"{what}: not base64: {text!r:.80}") from None


def opt_b64(data: bytes | None) -> str | None:
    return None if data is None else b64(data)


def opt_unb64(obj: Any, what: str) -> bytes | None:
    return None if obj is None else unb64(obj, what)


def code(value: int) -> str | int:
    """A registry code by name; a number that is no member (a deliberate misvalue) as is."""
    return value.name if isinstance(value, IntEnum) else int(value)


def code_from(cls: type[E], obj: Any, what: str) -> E:
    if isinstance(obj, str) and obj in cls.__members__:
        return cls[obj]
    if isinstance(obj, int) and not isinstance(obj, bool):
        member = cls._value2member_map_.get(obj)
        return obj if member is None else member  # type: ignore[return-value]
    raise CodecError(f"{what}: not a {cls.__name__} name or number: {obj!r:.80}")


def codes_from(cls: type[E], obj: Any, what: str) -> frozenset[E]:
    return frozenset(code_from(cls, v, f"{what}[]") for v in expect(obj, list, what))


def id_to_json(ident: Id) -> JsonObject:
    return {"id_type": code(ident.id_type), "data": b64(ident.data)}


def id_from_json(obj: Any, what: str) -> Id:
    body = expect(obj, dict, what)
    id_type = code_from(IdType, body.get("id_type"), f"{what}.id_type")
    return Id(id_type, unb64(body.get("data"), f"{what}.data"))


def profile_to_json(profile: Profile) -> JsonObject:
    """The profile as the SUT's process gets it. A profile without public-key material
    carries the suite's test PKI (conformance/testpki.py), the one the reference side
    uses, so both sides of a PK, DH or RSA-R exchange hold the same credentials."""
    from conformance.testpki import pk_material  # made once per process, like the builtin's

    return {
        "psk": b64(profile.psk),
        "id_initiator": id_to_json(profile.id_initiator),
        "id_responder": id_to_json(profile.id_responder),
        "max_skew": profile.max_skew,
        "sakke": profile.sakke.to_json(),
        "pk": pk_material(profile).to_json(),
    }


def profile_from_json(obj: Any) -> Profile:
    body = expect(obj, dict, "profile")
    return Profile(
        psk=unb64(body.get("psk"), "profile.psk"),
        id_initiator=id_from_json(body.get("id_initiator"), "profile.id_initiator"),
        id_responder=id_from_json(body.get("id_responder"), "profile.id_responder"),
        max_skew=number(body.get("max_skew"), "profile.max_skew"),
        **_optional(body, "sakke", SakkeCommunity.from_json),
        **_optional(body, "pk", PkMaterial.from_json),
    )


def _optional(body: dict[str, Any], key: str, parse: Any) -> dict[str, Any]:
    """`{key: parse(body[key])}` when the profile carries `key` (else the default)."""
    if key not in body:
        return {}
    try:
        return {key: parse(dict(expect(body[key], dict, f"profile.{key}")))}
    except ValueError as exc:
        raise CodecError(f"profile.{key}: {exc}") from None


def policy_to_json(sp: SecurityPolicy) -> JsonObject:
    params = [{"type": int(p.type), "value": b64(p.value)} for p in sp.params]
    return {"policy_no": sp.policy_no, "prot_type": code(sp.prot_type), "params": params}


def policy_from_json(obj: Any, what: str) -> SecurityPolicy:
    body = expect(obj, dict, what)
    params = tuple(
        PolicyParam(
            expect(expect(p, dict, f"{what}.params[]").get("type"), int, f"{what}.params[].type"),
            unb64(p.get("value"), f"{what}.params[].value"),
        )
        for p in expect(body.get("params"), list, f"{what}.params")
    )
    return SecurityPolicy(
        expect(body.get("policy_no"), int, f"{what}.policy_no"),
        code_from(ProtType, body.get("prot_type"), f"{what}.prot_type"),
        params,
    )


def cs_entry_from_json(obj: Any, what: str) -> SrtpIdEntry:
    body = expect(obj, dict, what)
    values = (expect(body.get(k), int, f"{what}.{k}") for k in ("policy_no", "ssrc", "roc"))
    return SrtpIdEntry(*values)


def cs_map_to_json(cs_map: tuple[SrtpIdEntry, ...] | None) -> list[JsonObject] | None:
    if cs_map is None:
        return None
    return [{"policy_no": e.policy_no, "ssrc": e.ssrc, "roc": e.roc} for e in cs_map]


def cs_map_from_json(obj: Any, what: str) -> tuple[SrtpIdEntry, ...] | None:
    if obj is None:
        return None
    return tuple(cs_entry_from_json(e, f"{what}[]") for e in expect(obj, list, what))


def update_params_to_json(params: UpdateParams) -> JsonObject:
    return {"new_keys": params.new_keys, "cs_map": cs_map_to_json(params.cs_map)}


def update_params_from_json(obj: Any) -> UpdateParams:
    """UpdateParams; a key left out takes suts.base's default (the SUT's own choice)."""
    body = expect(obj, dict, "params")
    return UpdateParams(
        new_keys=expect(body.get("new_keys", True), bool, "params.new_keys"),
        cs_map=cs_map_from_json(body.get("cs_map"), "params.cs_map"),
    )


def params_to_json(params: ExchangeParams) -> JsonObject:
    cs_map, policies = params.cs_map, params.policies
    return {
        "mode": params.mode,
        "v": params.v,
        "encr_alg": code(params.encr_alg),
        "mac_alg": code(params.mac_alg),
        "key_type": code(params.key_type),
        "cs_map": cs_map_to_json(cs_map),
        "policies": None if policies is None else [policy_to_json(sp) for sp in policies],
        "include_ids": params.include_ids,
        "dh_group": code(params.dh_group),
        "initiator_rand": params.initiator_rand,
        "rsar_group": params.rsar_group,
        "pke_cache": code(params.pke_cache),
        "ts_type": code(params.ts_type),
    }


def params_from_json(obj: Any) -> ExchangeParams:
    body = expect(obj, dict, "params")
    cs_map, policies = body.get("cs_map"), body.get("policies")
    return ExchangeParams(
        mode=expect(body.get("mode"), str, "params.mode"),
        v=expect(body.get("v"), bool, "params.v"),
        encr_alg=code_from(EncrAlg, body.get("encr_alg"), "params.encr_alg"),
        mac_alg=code_from(MacAlg, body.get("mac_alg"), "params.mac_alg"),
        key_type=code_from(KeyType, body.get("key_type"), "params.key_type"),
        cs_map=cs_map_from_json(cs_map, "params.cs_map"),
        policies=None
        if policies is None
        else tuple(
            policy_from_json(p, "params.policies[]") for p in expect(policies, list, "policies")
        ),
        include_ids=expect(body.get("include_ids"), bool, "params.include_ids"),
        **(
            {"dh_group": code_from(DhGroup, body["dh_group"], "params.dh_group")}
            if "dh_group" in body
            else {}
        ),
        initiator_rand=expect(body.get("initiator_rand", True), bool, "params.initiator_rand"),
        rsar_group=expect(body.get("rsar_group", False), bool, "params.rsar_group"),
        pke_cache=code_from(PkeCache, body.get("pke_cache", "NO_CACHE"), "params.pke_cache"),
        ts_type=code_from(TsType, body.get("ts_type", "NTP_UTC"), "params.ts_type"),
    )


def detail_from(body: JsonObject, what: str) -> str:
    return expect(body.get("detail", ""), str, f"{what}.detail")


def reply_to_json(reply: Reply) -> JsonObject:
    return {"message": opt_b64(reply.message), "accepted": reply.accepted, "detail": reply.detail}


def reply_from_json(obj: Any) -> Reply:
    body = expect(obj, dict, "reply")
    accepted = body.get("accepted")
    if accepted is not None:
        accepted = expect(accepted, bool, "reply.accepted")
    return Reply(
        opt_unb64(body.get("message"), "reply.message"), accepted, detail_from(body, "reply")
    )


def outcome_to_json(outcome: Outcome) -> JsonObject:
    error = None if outcome.error is None else code(outcome.error)
    return {"accepted": outcome.accepted, "error": error, "detail": outcome.detail}


def outcome_from_json(obj: Any) -> Outcome:
    body = expect(obj, dict, "outcome")
    error = body.get("error")
    return Outcome(
        expect(body.get("accepted"), bool, "outcome.accepted"),
        None if error is None else code_from(ErrorNo, error, "outcome.error"),
        detail_from(body, "outcome"),
    )


def decoded_to_json(result: DecodeResult) -> JsonObject:
    return {"accepted": result.accepted, "structure": result.structure, "detail": result.detail}


def decoded_from_json(obj: Any) -> DecodeResult:
    body = expect(obj, dict, "decode result")
    structure = body.get("structure")
    if structure is not None:
        structure = expect(structure, dict, "decode result.structure")
    accepted = expect(body.get("accepted"), bool, "decode result.accepted")
    return DecodeResult(accepted, structure, detail_from(body, "decode result"))


def keys_to_json(keys: SrtpKeys | None) -> JsonObject | None:
    if keys is None:
        return None
    salt, key = b64(keys.master_salt), b64(keys.master_key)
    return {"master_key": key, "master_salt": salt, "profile": keys.profile}


def keys_from_json(obj: Any) -> SrtpKeys | None:
    if obj is None:
        return None
    body = expect(obj, dict, "keys")
    return SrtpKeys(
        unb64(body.get("master_key"), "keys.master_key"),
        unb64(body.get("master_salt"), "keys.master_salt"),
        expect(body.get("profile"), str, "keys.profile"),
    )


def capabilities_to_json(caps: Capabilities) -> JsonObject:
    return {
        "name": caps.name,
        "modes": sorted(caps.modes),
        "roles": sorted(caps.roles),
        "encr_algs": sorted(code(a) for a in caps.encr_algs),
        "mac_algs": sorted(code(a) for a in caps.mac_algs),
        "key_types": sorted(code(k) for k in caps.key_types),
        "exports_keys": caps.exports_keys,
        "updates": caps.updates,
        "update_keeps_keys": caps.update_keeps_keys,
        "update_adds_sessions": caps.update_adds_sessions,
        "provisionable": caps.provisionable,
        "rand_optional": caps.rand_optional,
        "rsar_group": caps.rsar_group,
        "envelope_key_cache": caps.envelope_key_cache,
        "takes_chash": caps.takes_chash,
        "takes_err_payloads": caps.takes_err_payloads,
        "ts_types": sorted(code(t) for t in caps.ts_types),
        "encoder": codec_capabilities_to_json(caps.encoder),
        "decoder": codec_capabilities_to_json(caps.decoder),
    }


def codec_capabilities_to_json(codec: CodecCapabilities) -> JsonObject:
    return {
        "payloads": sorted(code(p) for p in codec.payloads),
        "cs_id_map_types": sorted(code(t) for t in codec.cs_id_map_types),
        "encrypted_kemac": codec.encrypted_kemac,
    }


def codec_capabilities_from_json(obj: Any, what: str) -> CodecCapabilities:
    """CodecCapabilities; a key left out takes suts.base's default (all of the codec)."""
    body = expect(obj, dict, what)
    optional: dict[str, Any] = {}
    for key, cls in (("payloads", PayloadType), ("cs_id_map_types", CsIdMapType)):
        if key in body:
            optional[key] = codes_from(cls, body[key], f"{what}.{key}")
    if "encrypted_kemac" in body:
        optional["encrypted_kemac"] = expect(
            body["encrypted_kemac"], bool, f"{what}.encrypted_kemac"
        )
    return CodecCapabilities(**optional)


def capabilities_from_json(obj: Any) -> Capabilities:
    """Capabilities; the optional keys take suts.base's defaults, unknown keys are ignored."""
    body = expect(obj, dict, "capabilities")
    modes = expect(body.get("modes"), list, "capabilities.modes")
    roles = expect(body.get("roles"), list, "capabilities.roles")
    try:
        role_set = frozenset(Role(expect(r, str, "capabilities.roles[]")) for r in roles)
    except ValueError as exc:
        raise CodecError(f"capabilities.roles: {exc}") from None
    optional: dict[str, Any] = {}
    for key, cls in (
        ("encr_algs", EncrAlg),
        ("mac_algs", MacAlg),
        ("key_types", KeyType),
        ("ts_types", TsType),
    ):
        if key in body:
            optional[key] = codes_from(cls, body[key], f"capabilities.{key}")
    for key in (
        "exports_keys",
        "updates",
        "update_keeps_keys",
        "update_adds_sessions",
        "provisionable",
        "rand_optional",
        "rsar_group",
        "envelope_key_cache",
        "takes_chash",
        "takes_err_payloads",
    ):
        if key in body:
            optional[key] = expect(body[key], bool, f"capabilities.{key}")
    for key in ("encoder", "decoder"):
        if key in body:
            optional[key] = codec_capabilities_from_json(body[key], f"capabilities.{key}")
    return Capabilities(
        name=expect(body.get("name"), str, "capabilities.name"),
        modes=frozenset(expect(m, str, "capabilities.modes[]") for m in modes),
        roles=role_set,
        **optional,
    )
