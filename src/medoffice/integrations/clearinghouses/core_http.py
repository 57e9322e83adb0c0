"""Kind "core_http": a clearinghouse reached by the CAQH CORE HTTP MIME multipart envelope.

Real time: one POST per request, answered in the same HTTP exchange. Batch: a POST with
ProcessingMode Batch (answered with a receipt), then retrieval requests for the 999 and the 271s.
HTTPS always, except to this machine (the payer simulator on 127.0.0.1). Every call carries the
configured timeout; a refused connection, a timeout, a dropped connection or a 5xx is retried
with a short doubling pause, an authentication failure or an envelope refusal never is.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
import time
import urllib.parse
from collections.abc import Callable

from medoffice.integrations.clearinghouses.base import (
    ClearinghouseError,
    ClearinghouseSettings,
    Exchange,
    ResultHandler,
    Status,
    check_limits,
)
from medoffice.integrations.clearinghouses.core_envelope import (
    BATCH,
    REAL_TIME,
    CoreRequest,
    CoreResponse,
    EnvelopeError,
    ErrorCode,
    PayloadType,
    decode_response,
    encode_request,
    new_payload_id,
    now_utc,
)

logger = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 20 * 1024 * 1024
MAX_RESULTS_PER_COLLECTION = 200
MAX_BACKOFF_SECONDS = 2.0

# What may come back for each request type (a 999 when the payer rejects the X12 itself).
ANSWERS: dict[str, tuple[str, ...]] = {
    PayloadType.X12_270_REQUEST: (PayloadType.X12_271_RESPONSE, PayloadType.X12_999_RESPONSE),
    PayloadType.X12_278_REQUEST: (PayloadType.X12_278_RESPONSE, PayloadType.X12_999_RESPONSE),
}


class _Failure(Exception):
    """One attempt's failure, before the attempt count and the desk's wording are added."""

    def __init__(self, status: Status, detail: str, *, retry: bool, code: str = "") -> None:
        super().__init__(detail)
        self.status: Status = status
        self.detail = detail
        self.retry = retry
        self.code = code


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class CoreHttpClearinghouse:
    """The ``Clearinghouse`` for a CORE HTTP MIME endpoint."""

    def __init__(
        self, settings: ClearinghouseSettings, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        check_limits(settings)
        self.settings = settings
        self._sleep = sleep
        url = urllib.parse.urlsplit(settings.endpoint_url)
        if url.scheme not in ("https", "http") or not url.hostname:
            raise self._not_configured("has no real-time address (an https:// URL)")
        if url.scheme == "http" and not is_loopback(url.hostname):
            raise self._not_configured("must be reached over HTTPS")
        if not settings.username or not settings.sender_id or not settings.receiver_id:
            raise self._not_configured("needs a user name, a sender ID and a receiver ID")
        self._https = url.scheme == "https"
        self._host = url.hostname
        self._port = url.port or (443 if self._https else 80)
        self._path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        self._tls = self._tls_context() if self._https else None

    # --- the interface ------------------------------------------------------------------

    def exchange_realtime(self, x12: str, *, payload_type: str) -> Exchange:
        request = self._request(REAL_TIME, payload_type, x12)
        expected = ANSWERS.get(payload_type, ())
        response, attempts, duration_ms = self._send(request, expected=expected, x12=True)
        return Exchange(
            payload=response.payload,
            payload_type=response.payload_type,
            payload_id=response.payload_id,
            attempts=attempts,
            duration_ms=duration_ms,
        )

    def submit_batch(self, x12: str, *, payload_type: str, name: str) -> str:
        request = self._request(BATCH, payload_type, x12)
        self._send(request, expected=(PayloadType.CONFIRM_RECEIPT,), x12=False)
        logger.info("batch %s submitted to %s as %s", name, self.settings.name, request.payload_id)
        return request.payload_id

    def collect_batch_results(self, *, handle: ResultHandler | None = None) -> list[Exchange]:
        """The waiting 999s, then the waiting 271s; each is taken off the server when sent."""
        results: list[Exchange] = []
        retrievals = (
            (PayloadType.X12_999_RETRIEVAL_REQUEST, (PayloadType.X12_999_RESPONSE,)),
            (
                PayloadType.BATCH_RESULTS_271_REQUEST,
                (PayloadType.X12_271_RESPONSE, PayloadType.X12_999_RESPONSE),
            ),
        )
        for retrieval_type, expected in retrievals:
            while len(results) < MAX_RESULTS_PER_COLLECTION:
                request = self._request(BATCH, retrieval_type, "")
                response, attempts, duration_ms = self._send(request, expected=(), x12=False)
                if not response.payload:
                    break
                if response.payload_type not in expected or not _looks_like_x12(response.payload):
                    raise self._final(
                        _Failure("bad_response", "a batch result of the wrong kind", retry=False),
                        attempts,
                        duration_ms,
                    )
                result = Exchange(
                    payload=response.payload,
                    payload_type=response.payload_type,
                    payload_id=response.payload_id,
                    attempts=attempts,
                    duration_ms=duration_ms,
                )
                if handle is not None:
                    handle(result)
                results.append(result)
        return results

    # --- one request, retried -----------------------------------------------------------

    def _request(self, mode: str, payload_type: str, payload: str) -> CoreRequest:
        return CoreRequest(
            processing_mode=mode,
            payload_type=payload_type,
            payload_id=new_payload_id(),
            timestamp=now_utc(),
            username=self.settings.username,
            password=self.settings.password,
            sender_id=self.settings.sender_id,
            receiver_id=self.settings.receiver_id,
            payload=payload,
        )

    def _send(
        self, request: CoreRequest, *, expected: tuple[str, ...], x12: bool
    ) -> tuple[CoreResponse, int, float]:
        body, content_type = encode_request(request)
        started = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            try:
                response = self._attempt(body, content_type)
                _check_answer(response, expected=expected, x12=x12)
            except _Failure as failure:
                elapsed = (time.monotonic() - started) * 1000
                if not failure.retry or attempts > self.settings.retries:
                    raise self._final(failure, attempts, elapsed) from None
                logger.info(
                    "%s: attempt %d failed (%s), retrying", self.settings.name, attempts, failure
                )
                pause = self.settings.backoff_seconds * 2 ** (attempts - 1)
                self._sleep(min(pause, MAX_BACKOFF_SECONDS))
                continue
            return response, attempts, (time.monotonic() - started) * 1000

    def _attempt(self, body: bytes, content_type: str) -> CoreResponse:
        try:
            status, response_type, data = self._post(body, content_type)
        except TimeoutError:
            raise _Failure("timeout", "no answer in time", retry=True) from None
        except ssl.SSLCertVerificationError:
            raise _Failure(
                "unreachable", "its security certificate could not be verified", retry=False
            ) from None
        except ConnectionRefusedError:
            raise _Failure("unreachable", "the connection was refused", retry=True) from None
        except (ConnectionError, http.client.IncompleteRead):
            raise _Failure(
                "unreachable", "the connection closed before an answer came", retry=True
            ) from None
        except socket.gaierror:
            raise _Failure("unreachable", "its address could not be found", retry=True) from None
        except http.client.HTTPException:
            raise _Failure("bad_response", "the answer was not HTTP", retry=False) from None
        except OSError as error:
            raise _Failure(
                "unreachable", f"a network error ({type(error).__name__})", retry=True
            ) from None
        return _interpret(status, response_type, data)

    def _post(self, body: bytes, content_type: str) -> tuple[int, str, bytes]:
        timeout = self.settings.timeout_seconds
        connection: http.client.HTTPConnection
        if self._tls is not None:
            connection = http.client.HTTPSConnection(
                self._host, self._port, timeout=timeout, context=self._tls
            )
        else:
            connection = http.client.HTTPConnection(self._host, self._port, timeout=timeout)
        try:
            connection.request(
                "POST",
                self._path,
                body=body,
                headers={
                    "Content-Type": content_type,
                    "Accept": "multipart/form-data",
                    "User-Agent": "medoffice-core-client",
                },
            )
            response = connection.getresponse()
            data = response.read(MAX_RESPONSE_BYTES + 1)
            if len(data) > MAX_RESPONSE_BYTES:
                raise _Failure("bad_response", "the answer was too large", retry=False)
            return response.status, response.getheader("Content-Type") or "", data
        finally:
            connection.close()

    # --- helpers ------------------------------------------------------------------------

    def _tls_context(self) -> ssl.SSLContext:
        try:
            context = ssl.create_default_context(cafile=self.settings.ca_file or None)
        except (OSError, ssl.SSLError):
            raise self._not_configured("has a CA file that cannot be read") from None
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if not self.settings.verify_tls:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _not_configured(self, problem: str) -> ClearinghouseError:
        return ClearinghouseError(
            "not_configured",
            f"Clearinghouse {self.settings.name!r} {problem}. Ask the manager to fix its set-up.",
            retry_may_help=False,
        )

    def _final(self, failure: _Failure, attempts: int, duration_ms: float) -> ClearinghouseError:
        return ClearinghouseError(
            failure.status,
            _desk_message(self.settings, failure, attempts),
            retry_may_help=failure.retry,
            attempts=attempts,
            duration_ms=duration_ms,
            error_code=failure.code,
        )


def _interpret(status: int, content_type: str, data: bytes) -> CoreResponse:
    """An HTTP answer as a CORE response, or the failure it stands for."""
    response: CoreResponse | None = None
    envelope_problem = ""
    try:
        response = decode_response(data, content_type)
    except EnvelopeError as error:
        envelope_problem = error.code
    code = response.error_code if response is not None else ""
    if status in (401, 403) or code == ErrorCode.UNAUTHORIZED:
        raise _Failure(
            "auth_failed", "it did not accept the user name or password", retry=False, code=code
        )
    if status >= 500 or status == 429:
        raise _Failure("payer_error", f"it answered HTTP {status}", retry=True, code=code)
    if status == 408:
        raise _Failure("timeout", "it gave up waiting (HTTP 408)", retry=True, code=code)
    if response is None:
        detail = f"its answer was not a CORE envelope ({envelope_problem})"
        raise _Failure("bad_response", detail, retry=False, code=envelope_problem)
    if code != ErrorCode.SUCCESS or not 200 <= status < 300:
        detail = f"it refused the request ({code or f'HTTP {status}'})"
        raise _Failure("refused", detail, retry=False, code=code)
    return response


def _check_answer(response: CoreResponse, *, expected: tuple[str, ...], x12: bool) -> None:
    if expected and response.payload_type not in expected:
        raise _Failure("bad_response", f"it answered with {response.payload_type}", retry=False)
    if x12 and not _looks_like_x12(response.payload):
        raise _Failure("bad_response", "its answer is not X12", retry=False)


def _looks_like_x12(payload: str) -> bool:
    """A transport-level sanity check only (an ISA header); the X12 package reads the rest."""
    text = payload.lstrip()
    return text.startswith("ISA") and len(text) >= 106


_ADVICE: dict[Status, str] = {
    "timeout": "Try again in a few minutes.",
    "unreachable": "Check the internet connection, or try again later.",
    "auth_failed": "Ask the manager to check the clearinghouse user name and password.",
    "refused": "Ask the manager to check the clearinghouse set-up.",
    "payer_error": "Try again later.",
    "bad_response": "Try again later; if it keeps happening, call the clearinghouse.",
    "not_configured": "Ask the manager to fix the clearinghouse set-up.",
}


def _desk_message(settings: ClearinghouseSettings, failure: _Failure, attempts: int) -> str:
    tries = f" ({attempts} tries)" if attempts > 1 else ""
    if failure.status == "timeout":
        what = f"did not answer within {settings.timeout_seconds:g} seconds"
    else:
        what = failure.detail
    advice = _ADVICE[failure.status]
    if failure.status == "unreachable" and not failure.retry:
        advice = _ADVICE["refused"]
    return f"{settings.name}: {what}{tries}. {advice}"


def build(settings: ClearinghouseSettings) -> CoreHttpClearinghouse:
    return CoreHttpClearinghouse(settings)
