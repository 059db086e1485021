"""Grammars come from the phrase table; Vosk results parse into commands or nothing."""

import json

import pytest

from voicecoach.asr.grammar import UNKNOWN_WORD, jsgf, vosk_grammar
from voicecoach.asr.vosk_engine import parse_partial, parse_result
from voicecoach.commands import NUMBER_WORDS, PHRASES, Command, CommandId, all_phrases, phrases_for


def test_jsgf_lists_every_phrase_once():
    grammar = jsgf(CommandId)
    body = grammar.split("=", 1)[1].rstrip(";\n ")
    alternatives = [a.strip() for a in body.split("|")]
    assert sorted(alternatives) == sorted(all_phrases())
    assert "that hurts" in alternatives and "ten" in alternatives


def test_jsgf_restricted_to_active_commands():
    grammar = jsgf({CommandId.HURT, CommandId.STOP})
    body = grammar.split("=", 1)[1]
    assert sorted(a.strip(" ;\n") for a in body.split("|")) == sorted(PHRASES[CommandId.HURT] + ("stop",))
    with pytest.raises(ValueError):
        jsgf(set())


def test_vosk_grammar_has_unknown_and_numbers():
    words = json.loads(vosk_grammar({CommandId.NUMBER, CommandId.YES}))
    assert words[-1] == UNKNOWN_WORD
    assert set(words[:-1]) == set(NUMBER_WORDS) | set(PHRASES[CommandId.YES])


TABLE = phrases_for(CommandId)

# Recorded from vosk-model-small-en-us-0.15 with SetWords(True) and a grammar of phrases + [unk].
RESULT_HURTS = ('{"result": [{"conf": 0.981, "end": 1.23, "start": 0.96, "word": "that"}, '
                '{"conf": 0.874, "end": 1.62, "start": 1.23, "word": "hurts"}], "text": "that hurts"}')
RESULT_UNK = ('{"result": [{"conf": 0.61, "end": 1.1, "start": 0.8, "word": "[unk]"}, '
              '{"conf": 0.93, "end": 1.5, "start": 1.1, "word": "next"}], "text": "[unk] next"}')
RESULT_SEVEN = '{"result": [{"conf": 1.0, "end": 0.9, "start": 0.5, "word": "seven"}], "text": "seven"}'
RESULT_EMPTY = '{"text": ""}'
RESULT_TWO = ('{"result": [{"conf": 0.9, "end": 0.9, "start": 0.5, "word": "next"}, '
              '{"conf": 0.9, "end": 1.4, "start": 1.0, "word": "next"}], "text": "next next"}')


def test_parse_result_whole_phrase_with_lowest_word_confidence():
    assert parse_result(RESULT_HURTS, TABLE) == ("that hurts", Command(CommandId.HURT), 0.874)
    assert parse_result(RESULT_SEVEN, TABLE) == ("seven", Command(CommandId.NUMBER, 7), 1.0)


@pytest.mark.parametrize("text", [RESULT_UNK, RESULT_EMPTY, RESULT_TWO])
def test_parse_result_rejects_unknown_empty_and_several(text):
    assert parse_result(text, TABLE) is None


def test_parse_result_respects_active_table():
    assert parse_result(RESULT_SEVEN, phrases_for({CommandId.HURT})) is None


def test_parse_partial():
    assert parse_partial('{"partial": "that hurts"}', TABLE) == "that hurts"
    assert parse_partial('{"partial": "that"}', TABLE) is None
    assert parse_partial('{"partial": ""}', TABLE) is None
