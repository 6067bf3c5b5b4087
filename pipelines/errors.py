"""Errors whose message is meant for a person (in French): the CLI prints them without a traceback."""


class IaeError(Exception):
    """A problem the user can fix; the message says what and how."""
