"""The rejection rules on hand-made segments: what may interrupt the coach, and when."""

from voicecoach.asr.base import Detection
from voicecoach.asr.rejection import RejectionRules, reject_reason
from voicecoach.asr.segmenter import Segment
from voicecoach.audio.activity import Utterance
from voicecoach.commands import Command, CommandId

COUNT = Utterance(1, "13", "count", start=10.0, end=10.5)
"""The coach counting: a new short utterance every second."""


def detection(command_id, phrase, confidence=0.9):
    return Detection(Command(command_id), phrase, 11.2, confidence)


def test_that_hurts_cuts_into_a_count():
    # Starts 0.2 s after the count began and 0.1 s after the previous segment (the echo) ended.
    segment = Segment(start=9.9, speech_start=10.2, speech_end=10.9, pause_before=0.1)
    hurt = detection(CommandId.HURT, "that hurts")
    assert reject_reason(hurt, segment, "pocketsphinx", [COUNT], RejectionRules()) is None


def test_other_commands_during_a_count_stay_rejected():
    segment = Segment(start=9.9, speech_start=10.2, speech_end=10.9, pause_before=0.1)
    assert "no pause" in reject_reason(detection(CommandId.STOP, "stop"), segment, "pocketsphinx",
                                       [COUNT], RejectionRules())
    relaxed = Segment(start=9.9, speech_start=10.2, speech_end=10.9, pause_before=1.0)
    assert "echo" in reject_reason(detection(CommandId.STOP, "stop"), relaxed, "pocketsphinx",
                                   [COUNT], RejectionRules())
    assert "coach speaking" in reject_reason(detection(CommandId.NEXT, "next"), relaxed, "pocketsphinx",
                                             [COUNT], RejectionRules())


def test_the_coach_saying_pain_is_not_the_user_in_pain():
    question = Utterance(2, "How bad is the pain, from zero to ten?", "prompt", start=10.0, end=12.0)
    segment = Segment(start=10.5, speech_start=10.8, speech_end=11.3, pause_before=0.1)
    assert "coach is saying" in reject_reason(detection(CommandId.HURT, "pain"), segment, "pocketsphinx",
                                              [question], RejectionRules())


def test_only_that_hurts_keeps_its_threshold_over_the_coach():
    segment = Segment(start=9.9, speech_start=10.2, speech_end=11.0, pause_before=1.0)
    late = Utterance(1, "13", "count", start=9.0, end=10.5)
    hurt = detection(CommandId.HURT, "that hurts", confidence=0.36)
    assert reject_reason(hurt, segment, "pocketsphinx", [late], RejectionRules()) is None
    stop = detection(CommandId.STOP, "stop", confidence=0.36)
    assert reject_reason(stop, segment, "pocketsphinx", [], RejectionRules()) is None
    assert "confidence" in reject_reason(stop, segment, "pocketsphinx", [late], RejectionRules())


def test_an_answer_begun_in_the_echo_tail_after_a_question_is_heard():
    """A person answers quickly: words that start after the coach stopped, within its echo tail,
    are not barge-in, but they still may not be the coach's own words."""
    from voicecoach.asr.base import Detection
    from voicecoach.asr.rejection import ECHO_TAIL_S, RejectionRules, reject_reason
    from voicecoach.asr.segmenter import Segment
    from voicecoach.audio.activity import Utterance
    from voicecoach.commands import Command, CommandId

    question = Utterance(1, "How bad is the pain, from zero to ten?", "prompt", start=10.0, end=12.0)
    answer_start = question.end + ECHO_TAIL_S / 2
    segment = Segment(start=answer_start - 0.3, speech_start=answer_start, speech_end=answer_start + 0.4, pause_before=1.0)
    two = Detection(Command(CommandId.NUMBER, 2), "two", answer_start + 0.6, confidence=0.99)
    assert reject_reason(two, segment, "pocketsphinx", [question], RejectionRules()) is None
    ten = Detection(Command(CommandId.NUMBER, 10), "ten", answer_start + 0.6, confidence=0.99)
    assert "coach is saying these words" in reject_reason(ten, segment, "pocketsphinx", [question], RejectionRules())
    still_talking = Utterance(2, "Keep your spine straight.", "cue", start=answer_start - 1.0, end=None)
    assert "coach speaking" in reject_reason(two, segment, "pocketsphinx", [still_talking], RejectionRules())


def test_with_the_echo_removed_that_hurts_needs_its_pause_and_gets_a_lower_threshold():
    # Heard in the echo-free residual: the pause before is the person's own, so words run on from
    # conversation are dropped, while the threshold is relieved for the echo's remainder.
    run_on = Segment(start=9.9, speech_start=10.2, speech_end=10.9, pause_before=0.1)
    hurt = detection(CommandId.HURT, "that hurts")
    assert "no pause" in reject_reason(hurt, run_on, "pocketsphinx", [COUNT], RejectionRules(),
                                       echo_removed=True)
    alone = Segment(start=9.9, speech_start=10.2, speech_end=10.9, pause_before=0.6)
    rules = RejectionRules(echo_removed_relief=0.1)
    plain = reject_reason(detection(CommandId.HURT, "that hurts", 0.3), alone, "pocketsphinx", [COUNT], rules)
    relieved = reject_reason(detection(CommandId.HURT, "that hurts", 0.3), alone, "pocketsphinx", [COUNT], rules,
                             echo_removed=True)
    assert plain is not None and "confidence" in plain
    assert relieved is None
