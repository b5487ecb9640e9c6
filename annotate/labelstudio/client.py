"""A thin HTTP client for the Label Studio REST API (the calls annotate needs).

Every call goes through :meth:`LabelStudio.request`: it has a timeout, retries
transient failures (connection errors, timeouts, 429 and 5xx; never other 4xx)
with exponential backoff and jitter, a bounded number of times, and then raises
one clear error naming the server and the step. The API key is never put in a
message or a log line.

Retries and POST: a POST that may have reached the server (a timeout, a dropped
connection, a 500) is retried only where repeating it is harmless — the bulk
import, because ``push`` repairs duplicates by document id. Others are retried
only when the request cannot have been processed (no connection, 429, 502-504).

``ANNOTATE_HTTP_TIMEOUT`` (seconds, default 60) and ``ANNOTATE_HTTP_ATTEMPTS``
(default 5) tune this.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import httpx

from annotate.errors import AnnotateError, Errors, ServerError
from annotate.io.settings import Settings

DEFAULT_TIMEOUT = 60.0
DEFAULT_ATTEMPTS = 5
BACKOFF_BASE = 0.5
BACKOFF_CAP = 10.0
TRANSIENT_STATUS = {429, 500, 502, 503, 504}
NOT_PROCESSED_STATUS = {429, 502, 503, 504}
IDEMPOTENT = {"GET", "HEAD", "PUT", "PATCH", "DELETE"}

log = logging.getLogger("annotate.labelstudio")


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


class ByteSink(Protocol):
    """Anything a download can be streamed into: a binary file, or :class:`~annotate.io.files.HashingFile`."""

    def write(self, data: bytes, /) -> object:
        """Take the next chunk of bytes.

        data (bytes): The chunk.
        RETURNS (object): Ignored.
        """


class LabelStudio:
    """A Label Studio server's REST API, with timeouts and bounded retries (see the module docstring).

    settings (Settings): The server's URL and API key.
    timeout (float | None): Seconds per request (default: ``ANNOTATE_HTTP_TIMEOUT``, else 60).
    attempts (int | None): Tries per request (default: ``ANNOTATE_HTTP_ATTEMPTS``, else 5).
    """

    def __init__(self, settings: Settings, timeout: float | None = None, attempts: int | None = None):
        self.url = settings.url
        self.timeout = timeout if timeout is not None else _env_number("ANNOTATE_HTTP_TIMEOUT", DEFAULT_TIMEOUT)
        self.attempts = max(
            1, int(attempts if attempts is not None else _env_number("ANNOTATE_HTTP_ATTEMPTS", DEFAULT_ATTEMPTS))
        )
        self._http = httpx.Client(
            base_url=settings.url,
            headers={"Authorization": f"Token {settings.api_key}"},
            timeout=self.timeout,
        )

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def __enter__(self) -> LabelStudio:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def request(self, method: str, path: str, step: str, repeatable: bool | None = None, **kwargs) -> Any:
        """Send one request, retrying transient failures.

        method (str): The HTTP method.
        path (str): The API path.
        step (str): What the request is for, named in errors ("listing projects").
        repeatable (bool | None): Whether sending it twice is harmless (default: true for idempotent
            methods, false for POST).
        **kwargs: Passed to httpx (``json``, ``params``).
        RETURNS (Any): The decoded JSON body (None when empty); ServerError (E041-E044) on failure.
        """
        repeatable = method in IDEMPOTENT if repeatable is None else repeatable
        for attempt in range(1, self.attempts + 1):
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.TransportError as err:
                if self._retry_after_error(err, attempt, step, repeatable):
                    continue
                raise self._transport_error(err, step, attempt) from None
            if self._retry_after_status(response, attempt, step, repeatable):
                continue
            self._raise_for_status(response, step, attempt)
            if not response.content:
                return None
            return response.json()
        raise AssertionError("unreachable")  # the loop returns or raises

    # The retry policy, in one place: transient failures, a bounded number of times, and a request
    # that may have reached the server only when repeating it is harmless.
    def _retry_after_error(self, err: httpx.TransportError, attempt: int, step: str, repeatable: bool) -> bool:
        if attempt < self.attempts and (repeatable or isinstance(err, httpx.ConnectError)):
            self._wait(attempt, step, type(err).__name__)
            return True
        return False

    def _retry_after_status(self, response: httpx.Response, attempt: int, step: str, repeatable: bool) -> bool:
        if (
            response.status_code in TRANSIENT_STATUS
            and attempt < self.attempts
            and (repeatable or response.status_code in NOT_PROCESSED_STATUS)
        ):
            self._wait(attempt, step, f"HTTP {response.status_code}", response.headers.get("Retry-After"))
            return True
        return False

    def _wait(self, attempt: int, step: str, why: str, retry_after: str | None = None) -> None:
        delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1))
        delay = delay / 2 + random.uniform(0, delay / 2)  # exponential backoff with jitter
        if retry_after and retry_after.isdigit():
            delay = max(delay, min(BACKOFF_CAP, float(retry_after)))
        log.debug("%s during %s (attempt %d of %d); retrying in %.1f s", why, step, attempt, self.attempts, delay)
        time.sleep(delay)

    def _transport_error(self, err: httpx.TransportError, step: str, attempts: int = 1) -> AnnotateError:
        if isinstance(err, httpx.TimeoutException):
            return ServerError(Errors.E044.format(url=self.url, step=step, timeout=self.timeout, attempts=attempts))
        reason = type(err).__name__ + (f": {err}" if str(err) else "")
        return ServerError(Errors.E041.format(url=self.url, step=step, reason=reason, attempts=attempts))

    def _raise_for_status(self, response: httpx.Response, step: str, attempts: int = 1) -> None:
        if response.status_code in (401, 403):
            raise ServerError(Errors.E042.format(url=self.url, step=step, status=response.status_code))
        if response.status_code >= 400:
            detail = response.text.strip().replace("\n", " ")[:300] or response.reason_phrase
            if attempts > 1:
                detail += f" (after {attempts} attempts)"
            raise ServerError(Errors.E043.format(url=self.url, status=response.status_code, step=step, detail=detail))

    # --- users -----------------------------------------------------------
    def whoami(self) -> dict:
        """The user the API key belongs to (checks the key).

        RETURNS (dict): The user object.
        """
        return self.request("GET", "/api/current-user/whoami", "checking the API key")

    def users(self) -> list[dict]:
        """The organisation's users.

        RETURNS (list[dict]): User objects (``id``, ``email``, ...).
        """
        body = self.request("GET", "/api/users/", "listing users")
        return body if isinstance(body, list) else body.get("results", [])

    def create_user(self, email: str, first_name: str = "", last_name: str = "") -> dict:
        """A new user of the server's organisation (admin API), without a usable password.

        Label Studio's API cannot set one (see ``server.set_password``, or the organisation's invite link).

        email (str): The user's email (also the username).
        first_name (str): First name.
        last_name (str): Last name.
        RETURNS (dict): The user object.
        """
        body = {"email": email, "username": email, "first_name": first_name, "last_name": last_name}
        return self.request("POST", "/api/users/", f"creating the user {email}", json=body)

    def invite_url(self) -> str:
        """The organisation's sign-up link (people who sign up with it join the organisation).

        RETURNS (str): The absolute URL.
        """
        body = self.request("GET", "/api/invite", "reading the invite link")
        link = body.get("invite_url") or f"/user/signup/?token={body.get('token')}"
        return link if link.startswith("http") else f"{self.url}{link}"

    # --- projects --------------------------------------------------------
    def projects(self) -> list[dict]:
        """Every project, page by page.

        RETURNS (list[dict]): Project objects.
        """
        out, page = [], 1
        while True:
            body = self.request("GET", "/api/projects/", "listing projects", params={"page": page, "page_size": 100})
            out.extend(body["results"])
            if not body.get("next"):
                return out
            page += 1

    def project(self, project_id: int) -> dict:
        """One project.

        project_id (int): The project.
        RETURNS (dict): The project object (with ``task_number``).
        """
        return self.request("GET", f"/api/projects/{project_id}/", "reading the project")

    def create_project(self, **fields) -> dict:
        """Create a project.

        **fields: The project's fields (``title``, ``label_config``, ...).
        RETURNS (dict): The new project.
        """
        return self.request("POST", "/api/projects/", "creating the project", json=fields)

    def update_project(self, project_id: int, **fields) -> dict:
        """Change a project's fields.

        project_id (int): The project.
        **fields: The fields to set.
        RETURNS (dict): The updated project.
        """
        return self.request("PATCH", f"/api/projects/{project_id}/", "updating the project", json=fields)

    def project_url(self, project_id: int) -> str:
        """The project's data page in the browser.

        project_id (int): The project.
        RETURNS (str): The URL.
        """
        return f"{self.url}/projects/{project_id}/data"

    # --- tasks -----------------------------------------------------------
    def iter_tasks(self, project_id: int, page_size: int = 1000, all_fields: bool = False) -> Iterator[dict]:
        """Every task of a project, page by page.

        project_id (int): The project.
        page_size (int): Tasks per request.
        all_fields (bool): Also the predictions and annotations.
        RETURNS (Iterator[dict]): Task objects (data, id, annotation counts).
        """
        page, seen = 1, 0
        while True:
            params: dict[str, int | str] = {"project": project_id, "page": page, "page_size": page_size}
            if all_fields:
                params["fields"] = "all"
            body = self.request("GET", "/api/tasks/", "listing tasks", params=params)
            tasks = body.get("tasks", [])
            yield from tasks
            seen += len(tasks)
            if not tasks or seen >= body.get("total", 0):
                return
            page += 1

    def import_tasks(self, project_id: int, tasks: list[dict]) -> dict:
        """Import tasks in one request (retried: push repairs duplicates by document id).

        project_id (int): The project.
        tasks (list[dict]): Import payloads (see :mod:`annotate.labelstudio.tasks`).
        RETURNS (dict): Label Studio's import summary.
        """
        # Repeatable: push lists the project afterwards and removes any duplicate by document id.
        return self.request(
            "POST",
            f"/api/projects/{project_id}/import",
            "importing tasks",
            repeatable=True,
            json=tasks,
            params={"commit_to_project": "true"},
        )

    def download_export(
        self, project_id: int, sink: ByteSink, reset: Callable[[], None], chunk_size: int = 1 << 20
    ) -> None:
        """Stream the project's JSON export (every task, annotated or not) into ``sink``.

        project_id (int): The project.
        sink (ByteSink): Where the bytes go (a binary file or a hashing file).
        reset (Callable[[], None]): Empties the sink; called before a download restarted after a transient failure.
        chunk_size (int): Bytes per write.
        """
        step = "downloading the export"
        params = {"exportType": "JSON", "download_all_tasks": "true"}
        for attempt in range(1, self.attempts + 1):
            if attempt > 1:
                reset()
            try:
                with self._http.stream("GET", f"/api/projects/{project_id}/export", params=params) as response:
                    if self._retry_after_status(response, attempt, step, repeatable=True):
                        continue
                    if response.status_code >= 400:
                        response.read()
                        self._raise_for_status(response, step, attempt)
                    for chunk in response.iter_bytes(chunk_size):
                        sink.write(chunk)
                return
            except httpx.TransportError as err:
                if self._retry_after_error(err, attempt, step, repeatable=True):
                    continue
                raise self._transport_error(err, step, attempt) from None

    def import_predictions(self, project_id: int, predictions: list[dict]) -> dict:
        """Add predictions to a project's tasks in one request (not retried: a repeat would add them twice).

        project_id (int): The project.
        predictions (list[dict]): ``{"task", "result", "score", "model_version"}`` each.
        RETURNS (dict): Label Studio's answer (``created``).
        """
        return self.request(
            "POST", f"/api/projects/{project_id}/import/predictions", "importing predictions", json=predictions
        )

    def task(self, task_id: int) -> dict:
        """One task, as the labeling page opens it (Label Studio asks the project's ML backend for a prediction
        when the task has none of the backend's current ``model_version``).

        task_id (int): The task.
        RETURNS (dict): The task object, with its ``predictions``.
        """
        return self.request("GET", f"/api/tasks/{task_id}/", "reading the task")

    def add_ml_backend(self, project_id: int, url: str, title: str, is_interactive: bool = False) -> dict:
        """Connect an ML backend to a project (Label Studio calls its ``/health`` and ``/setup`` first).

        project_id (int): The project.
        url (str): The backend's base URL.
        title (str): Its name in the project's settings.
        is_interactive (bool): Whether Label Studio may ask it while an annotator works.
        RETURNS (dict): The ML backend object (``id``, ``state``, ``model_version``).
        """
        body = {"url": url, "project": project_id, "title": title, "is_interactive": is_interactive}
        return self.request("POST", "/api/ml", "connecting the ML backend", json=body)

    def ml_backends(self, project_id: int) -> list[dict]:
        """The ML backends connected to a project.

        project_id (int): The project.
        RETURNS (list[dict]): Each backend (``id``, ``url``, ``title``, ``state``, ``model_version``).
        """
        found = self.request("GET", "/api/ml", "listing the ML backends", params={"project": project_id})
        return list(found if isinstance(found, list) else found.get("results", []))

    # --- the queue: Data Manager views (tabs) and the next task ------------
    def views(self, project_id: int) -> list[dict]:
        """The project's Data Manager tabs.

        project_id (int): The project.
        RETURNS (list[dict]): Each view (``id``, ``data`` with ``title``, ``ordering``, ``filters``).
        """
        found = self.request("GET", "/api/dm/views/", "listing the Data Manager tabs", params={"project": project_id})
        return list(found if isinstance(found, list) else found.get("results", []))

    def create_view(self, project_id: int, data: dict) -> dict:
        """Add a Data Manager tab to a project.

        project_id (int): The project.
        data (dict): The tab's ``data`` (``title``, ``ordering``, ...).
        RETURNS (dict): The new view.
        """
        body = {"project": project_id, "data": data}
        return self.request("POST", "/api/dm/views/", "creating a Data Manager tab", json=body)

    def update_view(self, view_id: int, project_id: int, data: dict) -> dict:
        """Replace a Data Manager tab's ``data``.

        view_id (int): The view.
        project_id (int): Its project.
        data (dict): The tab's new ``data``.
        RETURNS (dict): The updated view.
        """
        body = {"project": project_id, "data": data}
        return self.request("PATCH", f"/api/dm/views/{view_id}/", "updating a Data Manager tab", json=body)

    def next_task(self, project_id: int, view: int | None = None) -> dict:
        """The task Label Studio hands this user next (the labeling stream; it also locks the task for the user).

        project_id (int): The project.
        view (int | None): A Data Manager tab whose filters and order the stream starts from.
        RETURNS (dict): The task.
        """
        params = {"view": view} if view is not None else None
        return self.request("GET", f"/api/projects/{project_id}/next/", "asking for the next task", params=params)

    def delete_task(self, task_id: int) -> None:
        """Delete a task (a duplicate without annotations).

        task_id (int): The task.
        """
        self.request("DELETE", f"/api/tasks/{task_id}/", "removing a duplicate task")
