"""A real SMTP server for the tests that send e-mail: aiosmtpd on a free local port, keeping what it gets."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from email.message import EmailMessage

import pytest
from tests.helpers import free_port


class Inbox:
    """An aiosmtpd handler keeping every message and envelope it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    async def wait_for(self, count: int, *, timeout: float = 20.0) -> list[EmailMessage]:
        """The first `count` messages, once the job queue has sent them."""
        for _ in range(int(timeout / 0.05)):
            if len(self.messages) >= count:
                return self.messages[:count]
            await asyncio.sleep(0.05)
        raise AssertionError(f"{len(self.messages)} message(s) received, {count} expected")


def parts(message: EmailMessage) -> tuple[str, str]:
    """The text and HTML alternatives of a message."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "a multipart message with text and HTML"
    return text.get_content(), html.get_content()


@pytest.fixture
def smtp_server() -> Iterator[Inbox]:
    controller_module = pytest.importorskip("aiosmtpd.controller")
    inbox = Inbox()
    inbox.port = free_port()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@asynccontextmanager
async def serving(app) -> AsyncIterator[str]:
    """The app under uvicorn on a free port, in a thread with its own event loop, for a real browser."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.to_thread(thread.join, 10)
