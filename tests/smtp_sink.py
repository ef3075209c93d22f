"""A local SMTP server for tests (aiosmtpd), standing in for the mail relay.

It keeps every message it *accepted* (answered "250" to DATA while the client was still
connected: RFC 5321 6.1, the moment responsibility passes to the server) apart from
copies it *saw* but did not accept: refused, or abandoned by a client that vanished
while the server was still deciding (the worker-killed-mid-send case). It can also
stall on QUIT after accepting (the worker-killed-while-closing case)."""

import asyncio
import socket
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller


@dataclass
class Received:
    raw: bytes
    message: EmailMessage
    rcpt_tos: list[str]
    at: float = field(default_factory=time.monotonic)

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    def text(self) -> str:
        """Every header and the whole body, decoded, for searching."""
        headers = "\n".join(f"{k}: {v}" for k, v in self.message.items())
        return f"{headers}\n{self.message.get_body().get_content()}\n{self.raw.decode()}"


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.sink.refusing:
            self.sink.refused.append((address, time.monotonic()))
            return "451 4.3.0 Mail server busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        record = Received(
            raw, BytesParser(policy=policy.default).parsebytes(raw), envelope.rcpt_tos
        )
        self.sink.seen.append(record)
        if self.sink.hold_seconds:
            try:
                # aiosmtpd cancels this when the client's connection ends (EOF).
                await asyncio.sleep(self.sink.hold_seconds)
            except asyncio.CancelledError:
                self.sink.abandoned.append(record)
                raise
        self.sink.accepted.append(record)
        return "250 OK: queued"

    async def handle_QUIT(self, server, session, envelope):
        if not self.sink.stall_quit_seconds:
            return "221 Bye"
        # A server that has accepted the message and then hangs on QUIT: the client
        # never sees the connection close cleanly.
        self.sink.quit_stalled.append(time.monotonic())
        await asyncio.sleep(self.sink.stall_quit_seconds)
        return "221 Bye"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    def __init__(self):
        self.accepted: list[Received] = []
        self.seen: list[Received] = []
        self.abandoned: list[Received] = []
        self.refused: list[tuple[str, float]] = []
        self.refusing = False
        # Delay the reply to DATA (seconds): a client killed meanwhile never gets "250".
        self.hold_seconds = 0.0
        # Delay the reply to QUIT (seconds), after the message was accepted.
        self.stall_quit_seconds = 0.0
        self.quit_stalled: list[float] = []
        self.port = _free_port()
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "SmtpSink":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def accepted_for(self, address: str) -> list[Received]:
        return [m for m in self.accepted if address in m.rcpt_tos]

    def wait_for(self, condition, timeout: float = 30, what: str = "messages") -> None:
        """Poll until condition() holds; the deadline only stops a broken run hanging."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} after {timeout}s: accepted {len(self.accepted)}")
            time.sleep(0.1)
