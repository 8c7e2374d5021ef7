"""Flood control: a burst is answered, a flood is skipped with one notice per flood."""

from __future__ import annotations

from bot.flood import BURST, REFILL, FloodGate, Verdict


def test_a_burst_is_answered_then_one_notice_then_skips() -> None:
    gate = FloodGate()
    verdicts = [gate.check(1, 0.0) for _ in range(BURST + 5)]
    assert verdicts[:BURST] == [Verdict.ANSWER] * BURST
    assert verdicts[BURST:] == [Verdict.NOTICE] + [Verdict.SKIP] * 4


def test_other_chats_are_not_affected() -> None:
    gate = FloodGate()
    for _ in range(100):
        gate.check(1, 0.0)
    assert gate.check(2, 0.0) is Verdict.ANSWER


def test_the_flooder_is_slowed_not_banned_and_warned_again_after_calming_down() -> None:
    gate = FloodGate()
    for _ in range(BURST + 2):
        gate.check(1, 0.0)
    assert gate.check(1, REFILL) is Verdict.ANSWER  # one message per REFILL seconds
    assert gate.check(1, REFILL) is Verdict.SKIP  # still flooding: no second notice
    calm = REFILL * BURST * 2
    assert [gate.check(1, calm) for _ in range(BURST)] == [Verdict.ANSWER] * BURST
    assert gate.check(1, calm) is Verdict.NOTICE


def test_idle_chats_are_forgotten() -> None:
    gate = FloodGate()
    gate.check(1, 0.0)
    gate.check(2, 100.0)
    gate.forget_idle(100.0)
    assert set(gate._buckets) == {2}
