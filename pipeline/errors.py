"""The exceptions a stage raises when it cannot produce its output; findings are values instead."""

from __future__ import annotations


class SchemapressError(Exception):
    """Base of every error the CLI turns into a one-line message instead of a traceback."""

    hint: str | None = None

    def __str__(self) -> str:
        text = self.args[0] if self.args else type(self).__name__
        return f"{text} ({self.hint})" if self.hint else str(text)


class InputError(SchemapressError):
    """A page could not be read: unreadable, binary, empty or undecodable."""

    def __init__(
        self, path: str, reason: str, *, line: int | None = None, hint: str | None = None
    ) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.reason = reason
        self.line = line
        self.hint = hint


class ConfigError(SchemapressError):
    """A settings file or option has a bad key or value."""

    def __init__(self, file: str | None, key: str, reason: str, *, hint: str | None = None) -> None:
        where = f"{file}: " if file else ""
        super().__init__(f"{where}{key}: {reason}")
        self.file = file
        self.key = key
        self.reason = reason
        self.hint = hint


class ProfileError(SchemapressError):
    """A concept profile does not match schemas/profile.schema.json."""

    def __init__(self, file: str, key: str, reason: str) -> None:
        super().__init__(f"{file}: {key}: {reason}")
        self.file = file
        self.key = key
        self.reason = reason


class InjectError(SchemapressError):
    """A page could not take our block without damage, so it was left as it was."""

    def __init__(self, path: str, reason: str, *, hint: str | None = None) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.hint = hint
