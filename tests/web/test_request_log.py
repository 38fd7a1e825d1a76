"""Honest logs (issue 19): one line per request with the status the client got, the request id and the
security headers on every answer, Litestar's own included, and a disconnected client logged as such."""

from __future__ import annotations

import asyncio

import msgspec
import structlog
import uvicorn
from litestar.testing import AsyncTestClient
from tests.helpers import free_port

from jury.app import create_app

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy")


def _request_lines(logs: list[dict]) -> list[dict]:
    return [e for e in logs if e.get("event") in {"request", "client disconnected"}]


def _carries_id_and_security_headers(response) -> None:
    assert len(response.headers["x-request-id"]) == 32
    for name in SECURITY_HEADERS:
        assert response.headers.get(name), name


async def test_a_page_litestar_does_not_know_is_logged_as_404_with_its_headers(client):
    with structlog.testing.capture_logs() as logs:
        response = await client.get("/nulle-part", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "Cette page n&#39;existe pas." in response.text or "Cette page n'existe pas." in response.text
    _carries_id_and_security_headers(response)
    [line] = _request_lines(logs)
    assert (line["event"], line["method"], line["path"], line["status"]) == (
        "request",
        "GET",
        "/nulle-part",
        404,
    )


async def test_a_method_the_route_does_not_take_is_logged_as_405(client):
    with structlog.testing.capture_logs() as logs:
        response = await client.delete("/connexion")
    assert response.status_code == 405
    _carries_id_and_security_headers(response)
    assert [line["status"] for line in _request_lines(logs)] == [405]


async def test_the_per_address_ceiling_answers_429_with_retry_after_logged_as_429(settings, clock):
    app = create_app(msgspec.structs.replace(settings, sign_in_attempts_per_minute=2), clock=clock)
    async with AsyncTestClient(app=app) as client:
        with structlog.testing.capture_logs() as logs:
            codes = ("AAAA-BBBB", "CCCC-DDDD", "EEEE-FFFF")
            responses = [
                await client.get(f"/acces/{code}", headers={"accept": "text/html"}) for code in codes
            ]
    assert [r.status_code for r in responses] == [422, 422, 429]
    refused = responses[-1]
    _carries_id_and_security_headers(refused)
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["ratelimit-limit"] == "2"
    assert "Trop de tentatives de connexion : réessayez dans" in refused.text
    lines = _request_lines(logs)
    assert [(line["path"], line["status"]) for line in lines] == [("/acces/…", 422)] * 2 + [("/acces/…", 429)]


async def test_the_api_gets_the_429_as_json_with_the_wait(settings, clock):
    app = create_app(msgspec.structs.replace(settings, sign_in_attempts_per_minute=1), clock=clock)
    async with AsyncTestClient(app=app) as client:
        await client.post("/acces", data={"code": "AAAA-BBBB"})
        refused = await client.post("/acces", data={"code": "CCCC-DDDD"})
    assert refused.status_code == 429
    seconds = int(refused.headers["retry-after"])
    assert refused.json()["detail"].startswith("Trop de tentatives de connexion : réessayez dans ")
    assert refused.json()["detail"].endswith(("seconde.", "secondes.", "minute."))
    assert 1 <= seconds <= 60


async def test_a_client_gone_before_its_body_arrived_is_logged_as_a_disconnection_not_a_500(client):
    app = client.app
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/acces",
        "raw_path": b"/acces",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/x-www-form-urlencoded")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    async def call() -> None:
        await app(scope, receive, send)

    with structlog.testing.capture_logs() as logs:
        client.blocking_portal.call(call)  # in the app's own loop, where its pool lives
    [line] = _request_lines(logs)
    assert (line["event"], line["status"], line["method"], line["path"]) == (
        "client disconnected",
        499,
        "POST",
        "/acces",
    )
    assert not [e for e in logs if e.get("log_level") in {"error", "critical"}]


async def test_a_tablet_leaving_mid_upload_on_a_real_server_is_logged_as_a_disconnection(settings, clock):
    """Through uvicorn: headers announce a body, half of it comes, the connection closes."""
    port = free_port()
    served = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, clock=clock), host="127.0.0.1", port=port, log_config=None, lifespan="on"
        )
    )
    task = asyncio.create_task(served.serve())
    while not served.started:
        assert not task.done()
        await asyncio.sleep(0.05)
    try:
        with structlog.testing.capture_logs() as logs:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(
                b"POST /acces HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 400\r\n\r\ncode=ABCD"
            )
            await writer.drain()
            await asyncio.sleep(0.3)
            writer.close()
            await writer.wait_closed()
            for _ in range(100):
                if _request_lines(logs):
                    break
                await asyncio.sleep(0.05)
    finally:
        served.should_exit = True
        await task
    [line] = _request_lines(logs)
    assert (line["event"], line["status"], line["path"]) == ("client disconnected", 499, "/acces")
    assert not [e for e in logs if e.get("log_level") in {"error", "critical"}]
