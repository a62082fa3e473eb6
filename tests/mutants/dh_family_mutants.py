"""Mutants of both DH modes at once: one rule that the DH method (RFC 3830 3.3) and
DH-HMAC (RFC 4650) share, broken once in the DH-HMAC machine the DH one stands on, and
registered per mode (`dh_<name>`, `dhhmac_<name>`) under that mode's requirement ID.

The breakages of one mode only are in dh_mutants.py and dhhmac_mutants.py.
"""

from __future__ import annotations

from dataclasses import replace

from mikey.crypto.dh import DhKeyPair
from mikey.modes.csb import Csb
from mikey.modes.dhhmac import DhHmacInitiator, DhHmacResponder
from mikey.wire import CommonHeader, Dh, DhGroup, KeyData, Message, Rand
from tests.mutants.dh_family import STATIC_X, both_modes, raw_secret, with_dhi

# -- responder ---------------------------------------------------------------------------


@both_modes(
    "responder_answers_in_its_own_group",
    dh="RFC3830-3.3-group-chosen-by-initiator",
    dhhmac="RFC4650-3-group-chosen-by-initiator",
    description="answers every DHi with a DHr of OAKLEY 5",
)
class _OwnGroup(DhHmacResponder):
    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        if dhi is None:
            return None, None
        pair = DhKeyPair.generate(DhGroup.OAKLEY_5, self.env.random)
        return pair, raw_secret(pair, dhi.value)  # OAKLEY 5, whatever DHi's group


@both_modes(
    "responder_accepts_any_dh_value",
    dh="RFC3830-3.3-dh-value-in-group",
    dhhmac="RFC4650-1.1-dh-value-in-group",
    description="takes any DHi, even 0, 1, p-1 or >= p",
)
class _AnyDhi(DhHmacResponder):
    def check_dh(self, msg: Message, prior: Csb | None) -> Dh | None:
        return msg.first(Dh)

    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        if dhi is None:
            return None, None
        pair = DhKeyPair.generate(dhi.group, self.env.random)
        return pair, raw_secret(pair, dhi.value)


@both_modes(
    "responder_accepts_replays",
    dh="RFC3830-5.4-replay",
    dhhmac="RFC4650-5.3-replay-protection",
    description="has no replay cache check",
)
class _NoReplayCache(DhHmacResponder):
    def check_replay(self, data: bytes, msg: Message) -> None:
        return None


@both_modes(
    "responder_ignores_the_clock",
    dh="RFC3830-5.4-timestamp-window",
    dhhmac="RFC4650-5.3-replay-protection",
    description="takes any timestamp, however old",
)
class _NoClock(DhHmacResponder):
    def check_timestamp(self, msg: Message) -> None:
        return None


@both_modes(
    "responder_reuses_xr",
    dh="RFC3830-3.3-dh-xr-random",
    dhhmac="RFC4650-5.3-dh-secret-random",
    description="uses the same xr in every exchange",
)
class _StaticXr(DhHmacResponder):
    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        if dhi is None:
            return None, None
        pair = DhKeyPair.generate(dhi.group, lambda n: STATIC_X[:n])
        return pair, pair.shared_secret(dhi.value)


@both_modes(
    "responder_repeats_dh_on_plain_update",
    dh="RFC3830-4.5-dh-update-no-dhr",
    dhhmac="RFC4650-3.1-update-without-dh",
    description="answers an update without DHi with the old DHr, DHi",
)
class _OldDhOnPlainUpdate(DhHmacResponder):
    previous: tuple[Dh, ...] = ()

    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        dh = tuple(msg.all(Dh))
        if dh:
            self.previous = dh
            return msg
        return replace(msg, payloads=(*msg.payloads[:-1], *self.previous, msg.payloads[-1]))


@both_modes(
    "responder_truncates_the_tgk",
    dh="RFC3830-3.3-tgk-dh",
    dhhmac="RFC4650-3-tgk-processing",
    description="keeps only the first 16 bytes of g^(xi*xr) as TGK",
)
class _ShortTgk(DhHmacResponder):
    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        pair, tgk = super().agree(dhi)
        return pair, tgk[:16] if tgk else tgk


# -- initiator ---------------------------------------------------------------------------


@both_modes(
    "initiator_omits_rand",
    dh="RFC3830-3-rand-in-initial-message",
    dhhmac="RFC4650-3-i-message-payloads",
    description="sends initial {message}s without RAND",
)
class _NoRand(DhHmacInitiator):
    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        return super()._message(hdr, (), key_data)


@both_modes(
    "initiator_reuses_xi",
    dh="RFC3830-3.3-dh-xi-random",
    dhhmac="RFC4650-5.3-dh-secret-random",
    description="uses the same xi in every {message}",
)
class _StaticXi(DhHmacInitiator):
    def compose(self, csb_id: int | None = None) -> Message:
        msg = super().compose(csb_id)
        self.key_pair = DhKeyPair.generate(self.settings.group, lambda n: STATIC_X[:n])
        return with_dhi(msg, self.key_pair)


@both_modes(
    "initiator_accepts_any_dhr",
    dh="RFC3830-3.3-dh-value-in-group",
    dhhmac="RFC4650-1.1-dh-value-in-group",
    description="takes any DHr, in any group, even 0, 1 or p-1",
)
class _LaxDh(DhHmacInitiator):
    """Reads DHr as a number in its own group, whatever DH-Group says, and checks nothing."""

    def check_dh(self, msg: Message, sent: Message) -> bytes | None:
        dh = msg.all(Dh)
        if self.key_pair is None or len(dh) != 2:
            return super().check_dh(msg, sent)
        return raw_secret(self.key_pair, dh[0].value)


@both_modes(
    "initiator_truncates_the_tgk",
    dh="RFC3830-3.3-tgk-dh",
    dhhmac="RFC4650-3-tgk-processing",
    description="keeps only the first 16 bytes of g^(xi*xr) as TGK",
)
class _ShortTgkInitiator(DhHmacInitiator):
    def check_dh(self, msg: Message, sent: Message) -> bytes | None:
        tgk = super().check_dh(msg, sent)
        return tgk[:16] if tgk else tgk


@both_modes(
    "initiator_ignores_the_echoed_dhi",
    dh="RFC3830-3.3-r-message-payloads",
    dhhmac="RFC4650-3-r-message-payloads",
    description="does not check that the answer echoes its DHi",
)
class _IgnoresEcho(DhHmacInitiator):
    def check_dh(self, msg: Message, sent: Message) -> bytes | None:
        ours = sent.first(Dh)
        dh = [i for i, p in enumerate(msg.payloads) if isinstance(p, Dh)]
        if ours is not None and len(dh) == 2:
            payloads = list(msg.payloads)
            payloads[dh[1]] = ours  # as if the echoed DHi were ours, whatever it is
            msg = replace(msg, payloads=tuple(payloads))
        return super().check_dh(msg, sent)


@both_modes(
    "initiator_ignores_idi",
    dh="RFC3830-3.3-r-message-payloads",
    dhhmac="RFC4650-3-responder-includes-idi",
    description="takes answers without or with another IDi",
)
class _IgnoresIdi(DhHmacInitiator):
    def check_identity(self, msg: Message) -> None:
        return None


@both_modes(
    "responder_accepts_any_dh_value_in_updates",
    dh="RFC3830-3.3-dh-value-in-group",
    dhhmac="RFC4650-1.1-dh-value-in-group",
    description="checks the DHi of initial messages only: takes 0, 1, p-1 in an update",
)
class _AnyDhiInUpdates(DhHmacResponder):
    def check_dh(self, msg: Message, prior: Csb | None) -> Dh | None:
        self.updating = prior is not None
        return msg.first(Dh) if self.updating else super().check_dh(msg, prior)

    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        if dhi is None or not getattr(self, "updating", False):
            return super().agree(dhi)
        pair = DhKeyPair.generate(dhi.group, self.env.random)
        return pair, raw_secret(pair, dhi.value)


@both_modes(
    "initiator_accepts_any_dhr_in_update_answers",
    dh="RFC3830-3.3-dh-value-in-group",
    dhhmac="RFC4650-1.1-dh-value-in-group",
    description="checks the DHr of initial answers only: takes 0, 1, p-1 answering an update",
)
class _LaxDhInUpdateAnswers(DhHmacInitiator):
    def check_dh(self, msg: Message, sent: Message) -> bytes | None:
        dh = msg.all(Dh)
        if sent.first(Rand) is not None or self.key_pair is None or len(dh) != 2:
            return super().check_dh(msg, sent)
        return raw_secret(self.key_pair, dh[0].value)
