"""A thin HTTP client for the Label Studio REST API (the calls annotate needs).

Every call goes through :meth:`LabelStudio.request`, which names the server
and the step in any error, and never puts the API key in a message.
"""

from __future__ import annotations

from typing import IO, Any, Iterator

import httpx

from .errors import AnnotateError, Errors
from .settings import Settings

DEFAULT_TIMEOUT = 60.0


class LabelStudio:
    def __init__(self, settings: Settings, timeout: float = DEFAULT_TIMEOUT):
        self.url = settings.url
        self.timeout = timeout
        self._http = httpx.Client(
            base_url=settings.url,
            headers={"Authorization": f"Token {settings.api_key}"},
            timeout=timeout,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "LabelStudio":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def request(self, method: str, path: str, step: str, **kwargs) -> Any:
        """Send one request; return the decoded JSON body (or None when empty)."""
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as err:
            raise self._transport_error(err, step) from None
        self._raise_for_status(response, step)
        if not response.content:
            return None
        return response.json()

    def _transport_error(self, err: httpx.TransportError, step: str) -> AnnotateError:
        if isinstance(err, httpx.TimeoutException):
            return AnnotateError(Errors.E044.format(url=self.url, step=step, timeout=self.timeout))
        reason = type(err).__name__ + (f": {err}" if str(err) else "")
        return AnnotateError(Errors.E041.format(url=self.url, step=step, reason=reason))

    def _raise_for_status(self, response: httpx.Response, step: str) -> None:
        if response.status_code in (401, 403):
            raise AnnotateError(Errors.E042.format(url=self.url, step=step, status=response.status_code))
        if response.status_code >= 400:
            detail = response.text.strip().replace("\n", " ")[:500] or response.reason_phrase
            raise AnnotateError(Errors.E043.format(url=self.url, status=response.status_code, step=step, detail=detail))

    # --- users -----------------------------------------------------------
    def whoami(self) -> dict:
        return self.request("GET", "/api/current-user/whoami", "checking the API key")

    def users(self) -> list[dict]:
        body = self.request("GET", "/api/users/", "listing users")
        return body if isinstance(body, list) else body.get("results", [])

    # --- projects --------------------------------------------------------
    def projects(self) -> list[dict]:
        out, page = [], 1
        while True:
            body = self.request("GET", "/api/projects/", "listing projects", params={"page": page, "page_size": 100})
            out.extend(body["results"])
            if not body.get("next"):
                return out
            page += 1

    def project(self, project_id: int) -> dict:
        return self.request("GET", f"/api/projects/{project_id}/", "reading the project")

    def create_project(self, **fields) -> dict:
        return self.request("POST", "/api/projects/", "creating the project", json=fields)

    def update_project(self, project_id: int, **fields) -> dict:
        return self.request("PATCH", f"/api/projects/{project_id}/", "updating the project", json=fields)

    def project_url(self, project_id: int) -> str:
        return f"{self.url}/projects/{project_id}/data"

    # --- tasks -----------------------------------------------------------
    def iter_tasks(self, project_id: int, page_size: int = 1000, all_fields: bool = False) -> Iterator[dict]:
        """Every task of a project, page by page (data, id, annotation counts; predictions with all_fields)."""
        page, seen = 1, 0
        while True:
            params = {"project": project_id, "page": page, "page_size": page_size}
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
        return self.request("POST", f"/api/projects/{project_id}/import", "importing tasks", json=tasks,
                            params={"commit_to_project": "true"})

    def download_export(self, project_id: int, sink: IO[bytes], chunk_size: int = 1 << 20) -> None:
        """Stream the project's JSON export (every task, annotated or not) into ``sink``."""
        step = "downloading the export"
        params = {"exportType": "JSON", "download_all_tasks": "true"}
        try:
            with self._http.stream("GET", f"/api/projects/{project_id}/export", params=params, timeout=None) as response:
                if response.status_code >= 400:
                    response.read()
                    self._raise_for_status(response, step)
                for chunk in response.iter_bytes(chunk_size):
                    sink.write(chunk)
        except httpx.TransportError as err:
            raise self._transport_error(err, step) from None

    def delete_task(self, task_id: int) -> None:
        self.request("DELETE", f"/api/tasks/{task_id}/", "removing a duplicate task")
