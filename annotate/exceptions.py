"""The kinds of error, and the kind of each code of :mod:`annotate.errors`.

Every error annotate raises for the user is one of these classes, with a message from
:class:`annotate.errors.Errors`; :mod:`annotate.errors` imports them, so a raise site reads
``from annotate.errors import Errors, NotFoundError``. ``except AnnotateError`` catches every one.

EXAMPLE:
    >>> KINDS["E002"], issubclass(NotFoundError, AnnotateError)
    ('NotFoundError', True)
"""

from __future__ import annotations


class AnnotateError(Exception):
    """A problem the user can act on; ``str(error)`` is the whole message.

    The CLI prints it on one line (no traceback) and exits with code 1.
    """


class NotFoundError(AnnotateError):
    """A file, folder, project, corpus version, model or setting that is not there."""


class InvalidInputError(AnnotateError):
    """Input that exists but cannot be used as it is: a bad line, record, option or file."""


class ServerError(AnnotateError):
    """Label Studio (or the local server) could not be reached, refused the request or failed."""


class ConflictError(AnnotateError):
    """The request clashes with what already exists: a duplicate title or user, a port in use."""


class InternalError(AnnotateError):
    """A run-time invariant (a conservation check) did not hold: a bug in annotate, never the user's input."""


# The kind of each error code: the class a raise site uses for it (tests/test_errors.py checks both ways).
_CODES_BY_KIND = {
    "NotFoundError": "E001 E002 E010 E020 E030 E040 E060 E077 E082 E090 E097 E098 E190",
    "InvalidInputError": (
        "E003 E004 E005 E006 E007 E008 E009 E011 E012 E013 E014 E015 E021 E022 "
        "E031 E032 E052 E054 E055 E057 E062 E065 E070 E071 E072 E073 E074 E075 "
        "E076 E078 E079 E080 E081 E083 E084 E085 E086 E087 E088 E089 E091 E092 "
        "E093 E094 E095 E096 E140 E141 E142 E143 E144 E145 E146 E147 E148 E149 "
        "E160 E170 E171 E172 E173 E174 E175 E176 E180 E181 E191 E192 E193 E194 E195 E196 E200"
    ),
    "ServerError": "E041 E042 E043 E044 E053 E061 E064 E066",
    "ConflictError": "E050 E051 E056 E063",
    "InternalError": "E023 E100 E110 E111 E112 E113 E150 E177 E182",
}
KINDS: dict[str, str] = dict(sorted((code, kind) for kind, codes in _CODES_BY_KIND.items() for code in codes.split()))
