"""The PDF renderer fetches only the portal's static files and data: URLs: referral text
cannot make it call a local service (SSRF) or read a file from the host."""

import socket

import pytest
from django.urls import reverse

from referrals import pdf
from referrals.models import Export
from referrals.models.exports import ExportState
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.exports import downloaded_bytes, flat, pdf_text

PASSWD_LINE = "root:x:0:0"


@pytest.fixture
def listener():
    """A local TCP listener that must never be connected to."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def connections_to(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            connection, _ = server.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def hostile_html(port: int) -> str:
    return f"""<html><head>
    <link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
    <style>@import url("http://127.0.0.1:{port}/import.css");
      body {{ background: url("file:///etc/passwd"); }}</style></head>
    <body><p>Visible text</p>
    <img src="http://127.0.0.1:{port}/pixel.png">
    <img src="https://127.0.0.1:{port}/pixel.png">
    <img src="file:///etc/passwd">
    <object data="file:///etc/passwd" type="text/plain"></object>
    <embed src="file:///etc/passwd" type="text/plain">
    <iframe src="file:///etc/passwd"></iframe>
    <img src="../../../../../../etc/passwd">
    <img src="/static/../../../../etc/passwd">
    <img src="/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd">
    </body></html>"""


def test_raw_markup_pointing_at_the_network_or_local_files_fetches_nothing(listener):
    """Even markup that escaped the templates cannot make the renderer fetch."""
    port = listener.getsockname()[1]
    rendered = pdf.html_to_pdf(hostile_html(port))
    text = pdf_text(rendered.content)
    assert "Visible text" in text
    assert PASSWD_LINE not in text
    assert PASSWD_LINE.encode() not in rendered.content
    assert connections_to(listener) == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "https://example.org/x.png",
        "file:///etc/passwd",
        "ftp://127.0.0.1/x",
        f"{pdf.PORTAL_BASE_URL}etc/passwd",
        f"{pdf.PORTAL_BASE_URL}static/../../etc/passwd",
        f"{pdf.PORTAL_BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{pdf.PORTAL_BASE_URL}static/css/portal.css?redirect=http://127.0.0.1/",
        "https://portal-static.invalid.example.org/static/css/portal.css",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files_and_data_urls(url):
    with pytest.raises(pdf.FetchRefused):
        pdf.PortalURLFetcher().fetch(url)


def test_the_fetcher_serves_the_portals_own_static_files_and_data_urls():
    css = pdf.PortalURLFetcher().fetch(f"{pdf.PORTAL_BASE_URL}static/css/portal.css")
    assert b".app-header__name" in css.read()
    assert css.content_type == "text/css"
    data = pdf.PortalURLFetcher().fetch("data:text/plain;base64,aGVsbG8=")
    assert data.read() == b"hello"


@pytest.mark.django_db
def test_referral_text_with_markup_is_printed_as_text_and_fetches_nothing(
    client, practitioner, listener, django_capture_on_commit_callbacks
):
    port = listener.getsockname()[1]
    concern = f'Seen near <img src="http://127.0.0.1:{port}/"> and file:///etc/passwd today'
    referral = submitted_referral(author=practitioner, concern=concern)
    sign_in(client, practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("export_create", args=[referral.reference]))
    export = Export.objects.get(referral=referral)
    assert export.state == ExportState.READY
    response = client.get(reverse("export_download", args=[referral.reference, export.pk]))
    text = flat(pdf_text(downloaded_bytes(response)))
    compact = "".join(text.split())  # a long line may wrap anywhere
    # Autoescaped: the markup is shown as the referrer typed it, never interpreted.
    assert f'<imgsrc="http://127.0.0.1:{port}/">' in compact
    assert "file:///etc/passwd" in compact
    assert PASSWD_LINE not in text
    assert connections_to(listener) == 0
