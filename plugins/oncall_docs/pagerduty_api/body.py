"""Decoding a response body with a cap on the decoded size (a gzip bomb stops at the cap).

zlib's `max_length` keeps each step within the room left, so memory never grows past the
cap however well the body compresses. Only the encodings the client asks for are accepted.
"""

from __future__ import annotations

import zlib


class BodyTooLarge(Exception):
    """The decoded body passed the cap."""


class UnknownEncoding(Exception):
    """A Content-Encoding the client did not ask for."""


ACCEPT_ENCODING = "gzip, deflate"


class Decoder:
    """Feed raw chunks, get the decoded body; raises BodyTooLarge past `limit` decoded bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        kind = encoding.strip().lower()
        if kind in ("", "identity"):
            self._zlib = None
        elif kind in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif kind == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise UnknownEncoding(repr(encoding[:40]))
        self.limit = limit
        self._out = bytearray()

    def feed(self, chunk: bytes) -> None:
        """Decode one raw chunk."""
        try:
            if self._zlib is None:
                self._add(chunk)
                return
            data = chunk
            while data:
                self._add(self._zlib.decompress(data, self.limit - len(self._out) + 1))
                data = self._zlib.unconsumed_tail
        except zlib.error as error:
            raise ValueError(str(error)) from None

    def finish(self) -> bytes:
        """The whole decoded body."""
        if self._zlib is not None:
            try:
                self._add(self._zlib.flush())
            except zlib.error as error:
                raise ValueError(str(error)) from None
        return bytes(self._out)

    def _add(self, data: bytes) -> None:
        self._out += data
        if len(self._out) > self.limit:
            raise BodyTooLarge(len(self._out))
