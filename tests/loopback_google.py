"""Google on 127.0.0.1 for the real CLI in a subprocess: an HTTPS proxy, a CA, fixtures.

The code under test has no test-only switch. The subprocess gets standard settings only:
``HTTPS_PROXY`` names a proxy on ``127.0.0.1`` that answers ``CONNECT`` for Google's host
names by terminating TLS with a certificate signed by a CA made here (``cryptography``),
named by ``REQUESTS_CA_BUNDLE``; behind it, :class:`fake_sheets_api.FakeSheetsAPI` answers.
A ``CONNECT`` to any other host is refused, so a test never reaches the network.

Fixtures (loaded by ``conftest.py``):

* ``loopback_google``: a started :class:`LoopbackGoogle` (``.api`` is the fake, ``.env`` the
  environment for a subprocess, ``.home`` its home folder);
* ``service_account``: a throwaway service account the fake accepts (``.path``, ``.email``);
* ``run_cli``: ``run_cli(*args, env=None, timeout=60)`` runs ``outreach-analytics`` with
  ``loopback_google.env`` and returns the ``subprocess.CompletedProcess``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socketserver
import ssl
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

#: Host names the proxy terminates TLS for (the certificate's names).
GOOGLE_HOSTS = (
    "sheets.googleapis.com",
    "www.googleapis.com",
    "oauth2.googleapis.com",
    "iamcredentials.googleapis.com",
    "docs.google.com",
    "accounts.google.com",
    "*.googleusercontent.com",
)


def _allowed(host: str) -> bool:
    return host in GOOGLE_HOSTS or host.endswith(".googleusercontent.com")


def make_ca_and_leaf(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a certificate for :data:`GOOGLE_HOSTS` it signs: (ca.pem, leaf.pem, leaf.key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "outreach-analytics test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, GOOGLE_HOSTS[0])]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(h) for h in GOOGLE_HOSTS]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_path, leaf_path, key_path = folder / "ca.pem", folder / "leaf.pem", folder / "leaf.key"
    ca_path.write_bytes(ca.public_bytes(pem))
    leaf_path.write_bytes(leaf.public_bytes(pem))
    key_path.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return ca_path, leaf_path, key_path


class _ProxyHandler(socketserver.StreamRequestHandler):
    """One ``CONNECT host:443``: TLS as ``host``, then the fake answers on that connection."""

    server: _ProxyServer
    timeout = 10

    def handle(self) -> None:
        line = self.rfile.readline(65537).decode("latin-1")
        while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
            pass
        method, _, rest = line.partition(" ")
        target = rest.split(" ")[0]
        host, _, port = target.rpartition(":")
        self.server.connects.append(target)
        if method != "CONNECT" or port != "443" or not _allowed(host):
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            self.server.refused.append(line.strip())
            return
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        try:
            tls = self.server.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            self.server.handler_class(tls, self.client_address, self.server.api_server)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                tls.close()


class _ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True
    tls: ssl.SSLContext
    api_server: Any
    handler_class: Any

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.connects: list[str] = []
        self.refused: list[str] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up mid-answer (the timeout tests) is not an error here


class LoopbackGoogle:
    """The fake Google behind an HTTPS proxy, with its CA and a home folder for the CLI."""

    def __init__(self, folder: Path, fake: Any) -> None:
        self.folder = folder
        self.api = fake.FakeSheetsAPI()
        self.home = folder / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.ca, leaf, key = make_ca_and_leaf(folder)
        self._proxy = _ProxyServer()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(leaf, key)
        self._proxy.tls = ctx
        self._thread: threading.Thread | None = None

    @property
    def proxy_url(self) -> str:
        host, port = self._proxy.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def connects(self) -> list[str]:
        """Every ``CONNECT`` target the proxy was asked for."""
        return list(self._proxy.connects)

    @property
    def refused(self) -> list[str]:
        return list(self._proxy.refused)

    @property
    def env(self) -> dict[str, str]:
        """The environment of a subprocess that should reach only this Google."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.lower().endswith("_proxy")
            and k
            not in {
                "GOOGLE_APPLICATION_CREDENTIALS",
                "XDG_CACHE_HOME",
                "XDG_CONFIG_HOME",
                "CURL_CA_BUNDLE",
                "SSL_CERT_FILE",
                "OUTREACH_ANALYTICS_OFFLINE",
            }
        }
        env.update(
            HOME=str(self.home),
            HTTPS_PROXY=self.proxy_url,
            https_proxy=self.proxy_url,
            REQUESTS_CA_BUNDLE=str(self.ca),
            OUTREACH_ANALYTICS_RETRY_SECONDS="3",
            NO_COLOR="1",
            COLUMNS="200",
        )
        return env

    def cache_files(self) -> list[Path]:
        return sorted((self.home / ".cache").rglob("*.parquet"))

    def start(self) -> LoopbackGoogle:
        self.api.start()
        self._proxy.api_server = self.api._server
        self._proxy.handler_class = self.api._server.RequestHandlerClass
        self._thread = threading.Thread(
            target=self._proxy.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._proxy.shutdown()
        self._proxy.server_close()
        if self._thread is not None:
            self._thread.join(10)
        self.api.stop()


@dataclass(frozen=True)
class ServiceAccount:
    """A throwaway service account: its key file and address."""

    path: Path
    email: str
    private_key_pem: str


def make_service_account(folder: Path, email: str, api: Any) -> ServiceAccount:
    """Write a service-account JSON key (a fresh RSA key) and register it with the fake."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "loopback-test",
        "private_key_id": "0123456789abcdef",
        "private_key": pem,
        "client_email": email,
        "client_id": "100000000000000000001",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    path = folder / "service-account.json"
    path.write_text(json.dumps(info))
    api.add_service_account(email, key.public_key())
    return ServiceAccount(path, email, pem)


def cli_command() -> list[str]:
    """The installed ``outreach-analytics`` script next to this Python, else ``-m``."""
    script = Path(sys.executable).with_name("outreach-analytics")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "outreach_analytics"]


# ---------------------------------------------------------------------------- fixtures


def _fake_module() -> Any:
    return sys.modules["fake_sheets_api"]


@pytest.fixture
def loopback_google(tmp_path: Path):
    """A started :class:`LoopbackGoogle` (stopped, with every thread, after the test)."""
    google = LoopbackGoogle(tmp_path / "google", _fake_module()).start()
    try:
        yield google
    finally:
        google.stop()


@pytest.fixture
def service_account(loopback_google: LoopbackGoogle) -> ServiceAccount:
    """A service account the loopback Google accepts (``reader@…iam.gserviceaccount.com``)."""
    return make_service_account(
        loopback_google.folder,
        "reader@loopback-test.iam.gserviceaccount.com",
        loopback_google.api,
    )


@pytest.fixture
def run_cli(loopback_google: LoopbackGoogle):
    """Run the real ``outreach-analytics`` in a subprocess that reaches only the loopback Google."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
        full = {**loopback_google.env, **(env or {})}
        return subprocess.run(
            [*cli_command(), *args],
            env=full,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=loopback_google.folder,
        )

    return run
