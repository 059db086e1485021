"""The session player: pure logic driven by an injected clock and by command events."""
