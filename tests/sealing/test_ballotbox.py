"""The sealed ballot box's construction (app/sealing/ballotbox.py), on its own: what opens it, what
does not, and that a sealed ballot's length says nothing of its choices."""

from __future__ import annotations

import json

import pytest

from app.sealing import ballotbox
from app.services.voting import canonical_choices
from tests.sessions import CHEAP

CANDS = ["C001", "C002", "C003"]
REF = "meeting 1 round 1"


def test_a_ballot_opens_with_the_round_passphrase_and_only_in_its_round() -> None:
    key = ballotbox.new_round_key("kettle orbit lantern 7", REF, cost=CHEAP)
    body = canonical_choices({"C001": "yes"}, CANDS)
    sealed = ballotbox.seal(key.public, body, ballotbox.padded_length(CANDS), REF.encode())
    assert body.encode() not in sealed
    private = ballotbox.unwrap(ballotbox.RoundKey.from_json(key.as_json()), "kettle orbit lantern 7", REF)
    assert ballotbox.open_sealed(private, sealed, REF.encode()) == body
    with pytest.raises(ballotbox.WrongPassphrase):
        ballotbox.unwrap(key, "kettle orbit lantern 8", REF)
    with pytest.raises(ballotbox.WrongPassphrase):                # the key is bound to its round
        ballotbox.unwrap(key, "kettle orbit lantern 7", "meeting 1 round 2")
    with pytest.raises(ballotbox.WrongPassphrase):                # so is each ballot
        ballotbox.open_sealed(private, sealed, b"meeting 1 round 2")


def test_every_sealed_ballot_of_a_round_has_one_length() -> None:
    key = ballotbox.new_round_key("kettle orbit lantern 7", REF, cost=CHEAP)
    size = ballotbox.padded_length(CANDS)
    bodies = [canonical_choices(dict.fromkeys(CANDS, c), CANDS) for c in ("yes", "no", "abstain")]
    assert len({len(b) for b in bodies}) == 3                     # in the clear, the lengths differ
    assert len({len(ballotbox.seal(key.public, b, size, REF.encode())) for b in bodies}) == 1
    with pytest.raises(ValueError):
        ballotbox.seal(key.public, bodies[2] + "x", size, REF.encode())


def test_every_sealed_paper_batch_of_one_size_has_one_length() -> None:
    """A typed batch (a JSON list of canonical ballots) waits sealed at the length of the longest
    batch of its size: the length tells how many ballots, never which choices."""
    key = ballotbox.new_round_key("kettle orbit lantern 7", REF, cost=CHEAP)
    size = ballotbox.padded_batch_length(CANDS, 2)
    batches = [json.dumps([canonical_choices(dict.fromkeys(CANDS, a), CANDS),
                           canonical_choices(dict.fromkeys(CANDS, b), CANDS)], ensure_ascii=False)
               for a in ("yes", "no", "abstain") for b in ("yes", "no", "abstain")]
    assert len({len(b) for b in batches}) > 1 and max(len(b) for b in batches) == size
    assert len({len(ballotbox.seal(key.public, b, size, REF.encode())) for b in batches}) == 1
