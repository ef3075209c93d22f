"""A small clamd client: the INSTREAM command over a unix socket or TCP.

Written here rather than taken from PyPI: `clamd` (the usual package) has had no release
since 2014, and the protocol is a few lines (`zINSTREAM\\0`, then chunks each led by its
length as 4 bytes big-endian, a zero length to end; clamd answers `stream: OK` or
`stream: <signature> FOUND`)."""

import socket
import struct
from dataclasses import dataclass

from django.conf import settings

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd is not configured, not reachable, or answered with an error."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


def configured() -> bool:
    return bool(settings.CLAMAV_SOCKET or settings.CLAMAV_HOST)


def _connect() -> socket.socket:
    timeout = settings.CLAMAV_TIMEOUT
    if settings.CLAMAV_SOCKET:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(settings.CLAMAV_SOCKET)
        return sock
    if settings.CLAMAV_HOST:
        return socket.create_connection(
            (settings.CLAMAV_HOST, settings.CLAMAV_PORT), timeout=timeout
        )
    raise ScannerUnavailable("scanning is not configured")


def ping() -> bool:
    try:
        with _connect() as sock:
            sock.sendall(b"zPING\0")
            return sock.recv(64).rstrip(b"\0\n") == b"PONG"
    except (OSError, ScannerUnavailable):
        return False


def scan(stream) -> ScanResult:
    """Scan a binary file object with clamd; ScannerUnavailable if it cannot answer."""
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            while chunk := stream.read(CHUNK):
                sock.sendall(struct.pack(">I", len(chunk)) + chunk)
            sock.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as exc:
        raise ScannerUnavailable(type(exc).__name__) from exc
    answer = reply.rstrip(b"\0\n").decode("utf-8", "replace")
    if answer.endswith(" OK"):
        return ScanResult(clean=True)
    if answer.endswith(" FOUND"):
        signature = answer.removeprefix("stream:").removesuffix("FOUND").strip()
        return ScanResult(clean=False, signature=signature[:200])
    raise ScannerUnavailable(answer[:100] or "no answer")
