"""The queue order: Label Studio hands annotators the least certain tasks first.

Two settings of Label Studio 1.23 (Community) do it, and :func:`order_uncertain` sets both, idempotently:

* the project's ``sampling`` = ``"Uncertainty sampling"`` with its ``model_version`` = the predictions' version:
  the labeling stream (``GET /api/projects/ID/next/``) then picks, among the unlabeled tasks with a prediction
  of that version, the one with the lowest prediction ``score`` (with more than one annotator in the project, a
  random one among the lowest few, so that they do not collide);
* a Data Manager tab titled :data:`VIEW_TITLE`, ordered by ``tasks:predictions_score`` ascending: the task list
  in that order (``GET /api/tasks?view=ID``), and so is the stream asked for from the tab (``next/?view=ID``),
  even under Sequential sampling. Found by its title, so running it again updates the tab rather than adding a
  second.

tests/test_queue_live.py checks each of these against a real Label Studio 1.23.

A prediction's score is its task's score (:func:`annotate.core.scores.task_score`), written by ``push`` from a
scored ``preannotate`` and by the ML backend's ``/predict``.
"""

from __future__ import annotations

from typing import Any

from annotate.labelstudio.client import LabelStudio

UNCERTAINTY_SAMPLING = "Uncertainty sampling"  # projects.models.Project.UNCERTAINTY
SEQUENTIAL_SAMPLING = "Sequential sampling"  # Label Studio's default
VIEW_TITLE = "Least certain first"
SCORE_ORDERING = ["tasks:predictions_score"]  # the mean score of the project's current model_version's predictions


def view_data(title: str = VIEW_TITLE) -> dict[str, Any]:
    """The ``data`` of the tab ordering tasks by prediction score, lowest first.

    title (str): The tab's title.
    RETURNS (dict): What ``/api/dm/views`` takes as a view's ``data``.

    EXAMPLE:
        >>> view_data()["ordering"]
        ['tasks:predictions_score']
    """
    return {"title": title, "type": "list", "target": "tasks", "ordering": list(SCORE_ORDERING)}


def order_uncertain(client: LabelStudio, project_id: int, model_version: str, title: str = VIEW_TITLE) -> dict:
    """Make a project hand out its least certain tasks first (see the module docstring). Safe to call again, e.g.
    after each retrain with the new model's version.

    client (LabelStudio): The server.
    project_id (int): The project.
    model_version (str): The predictions' ``model_version`` (the one whose scores order the tasks).
    title (str): The tab's title.
    RETURNS (dict): ``{"project_id", "model_version", "sampling", "view_id", "view_created"}``.
    """
    client.update_project(project_id, model_version=model_version, sampling=UNCERTAINTY_SAMPLING)
    data = view_data(title)
    existing = [v for v in client.views(project_id) if (v.get("data") or {}).get("title") == title]
    if existing:
        view = existing[0]
        if (view.get("data") or {}).get("ordering") != data["ordering"]:
            view = client.update_view(view["id"], project_id, data)
        created = False
    else:
        view = client.create_view(project_id, data)
        created = True
    return {
        "project_id": project_id,
        "model_version": model_version,
        "sampling": UNCERTAINTY_SAMPLING,
        "view_id": view["id"],
        "view_created": created,
    }
