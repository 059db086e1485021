"""The benchmark's negative texts: every detection on them must really be a false accept."""

from bench.negatives import NEGATIVE_TEXTS
from voicecoach.commands import all_phrases, parse


def test_no_negative_text_is_a_command():
    assert [text for text in NEGATIVE_TEXTS if parse(text) is not None] == []
    assert not set(NEGATIVE_TEXTS) & set(all_phrases())
    assert len(set(NEGATIVE_TEXTS)) == len(NEGATIVE_TEXTS)
