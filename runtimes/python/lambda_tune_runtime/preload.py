"""
Standard-library modules imported on first use, on the runtime's behalf: imported here, with the
runtime, before the function's folder goes first on sys.path, so that a module of the function
with one of their names is not taken for them (and run as part of the runtime).
"""

import ast  # noqa: F401  traceback (3.11+) parses the line of an error's frame to place its carets
import encodings.idna  # noqa: F401  socket.getaddrinfo encodes the Runtime API's host name with the idna codec (stringprep, unicodedata)
import unicodedata  # noqa: F401  traceback (3.11+) measures wide characters in the line of an error's frame
