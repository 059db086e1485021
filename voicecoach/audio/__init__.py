"""Audio data, conversion, speech synthesis and playback."""
