from urllib.parse import urlsplit

from tests.conftest import drop_test_database


async def test_healthz_answers_ok_when_database_answers(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


async def test_healthz_answers_503_when_database_is_gone(client, database_url, pg_admin_url):
    assert (await client.get("/healthz")).status_code == 200
    await drop_test_database(pg_admin_url, urlsplit(database_url).path.lstrip("/"))
    response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


async def test_request_id_is_echoed_and_generated(client):
    echoed = await client.get("/healthz", headers={"X-Request-ID": "abc12345-test"})
    assert echoed.headers["x-request-id"] == "abc12345-test"
    generated = await client.get("/healthz", headers={"X-Request-ID": "bad id!"})
    assert len(generated.headers["x-request-id"]) == 32


def test_request_log_hides_access_codes_and_link_tokens():
    from jury.log import redact_path

    assert redact_path("/acces/ABCD-2345") == "/acces/…"
    assert redact_path("/diplome/s3cr3t-token/pdf") == "/diplome/…/pdf"
    assert redact_path("/acces") == "/acces"
    assert redact_path("/organisation/") == "/organisation/"
