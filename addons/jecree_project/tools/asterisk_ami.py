# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A minimal Asterisk Manager Interface (AMI) client: log in, one action, log off.

AMI is a line protocol over TCP (port 5038 by default, ``manager.conf``): the
server greets with ``Asterisk Call Manager/x.y``, each message is ``Key: value``
lines ended by an empty line, and each action's answer is a message with
``Response: Success`` (or ``Error``, with ``Message:``) carrying the action's
``ActionID``. Events may come in between; they are skipped (``Events: off`` asks
for none). Plain ``socket``: the whole exchange is a few hundred bytes, and the
agent waits for it, so every step shares one deadline.

Nothing here logs: the caller logs what failed, never the secret."""

import contextlib
import secrets
import socket
import time

#: a server that sends more than this without an answer to our action is not AMI
MAX_BYTES = 64 * 1024


class AmiError(Exception):
    """The exchange failed; ``message`` is the server's ``Message:`` if any."""

    def __init__(self, message=""):
        super().__init__(message)
        self.message = message


class AmiUnreachable(AmiError):
    """No connection, no greeting, a timeout, or the server closed the connection."""


class AmiLoginRefused(AmiError):
    """``Action: Login`` answered ``Response: Error`` (wrong user or secret)."""


class AmiActionRefused(AmiError):
    """The action answered ``Response: Error`` (unknown context, no permission...)."""


def _encode(fields):
    lines = []
    for key, value in fields.items():
        value = str(value)
        if any(char in value for char in "\r\n\x00"):
            # a header cannot hold a line break: it would start another header
            raise ValueError(f"AMI header {key} holds a line break")
        lines.append(f"{key}: {value}\r\n")
    return ("".join(lines) + "\r\n").encode()


def _decode(block):
    message = {}
    for line in block.decode(errors="replace").split("\r\n"):
        key, sep, value = line.partition(":")
        if sep:
            message.setdefault(key.strip().lower(), value.strip())
    return message


class AmiSession:
    """One AMI connection; use as a context manager (logs off and closes)."""

    def __init__(self, host, port, timeout):
        self.host, self.port = host, port
        self.deadline = time.monotonic() + timeout
        self.sock = None
        self.buffer = b""
        self.logged_in = False
        self.prefix = f"jecree-{secrets.token_hex(4)}"
        self.count = 0

    def _remaining(self):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise AmiUnreachable("timed out")
        return remaining

    def __enter__(self):
        try:
            self.sock = socket.create_connection(
                (self.host, self.port), timeout=self._remaining()
            )
            greeting = self._read_until(b"\r\n")
        except OSError as error:
            self.close()
            raise AmiUnreachable(str(error) or type(error).__name__) from None
        except AmiError:
            self.close()
            raise
        if not greeting.startswith(b"Asterisk Call Manager"):
            self.close()
            raise AmiUnreachable("not an Asterisk Manager Interface")
        return self

    def __exit__(self, *exc_info):
        try:
            if self.logged_in:
                self.logged_in = False
                # the action's outcome is known: a lost Goodbye changes nothing
                with contextlib.suppress(AmiError):
                    self.send("Logoff")
        finally:
            self.close()
        return False

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None

    def _read_until(self, separator):
        while separator not in self.buffer:
            if len(self.buffer) > MAX_BYTES:
                raise AmiUnreachable("answer too long")
            self.sock.settimeout(self._remaining())
            chunk = self.sock.recv(4096)
            if not chunk:
                raise AmiUnreachable("connection closed by the server")
            self.buffer += chunk
        data, __, self.buffer = self.buffer.partition(separator)
        return data

    def send(self, action, **fields):
        """Send the action and return its answer (a dict, lower-case keys);
        ``Response: Error`` raises AmiActionRefused with the server's message."""
        self.count += 1
        action_id = f"{self.prefix}-{self.count}"
        try:
            self.sock.settimeout(self._remaining())
            self.sock.sendall(
                _encode({"Action": action, "ActionID": action_id, **fields})
            )
            while True:
                message = _decode(self._read_until(b"\r\n\r\n"))
                if "response" in message and message.get("actionid") in (
                    action_id,
                    None,
                ):
                    break
                # an event, or the answer to another action: not ours
        except OSError as error:
            raise AmiUnreachable(str(error) or type(error).__name__) from None
        if message["response"].lower() not in ("success", "goodbye"):
            raise AmiActionRefused(message.get("message", message["response"]))
        return message

    def login(self, username, secret):
        try:
            self.send("Login", Username=username, Secret=secret, Events="off")
        except AmiActionRefused as error:
            raise AmiLoginRefused(error.message) from None
        self.logged_in = True


def ami_originate(host, port, username, secret, originate, timeout):
    """Log in, ``Action: Originate`` with the `originate` headers, log off.

    :raise AmiUnreachable, AmiLoginRefused, AmiActionRefused:
    :return: the Originate's answer (a dict)"""
    with AmiSession(host, port, timeout) as session:
        session.login(username, secret)
        return session.send("Originate", **originate)
