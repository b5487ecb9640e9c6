"""Label Studio data the live tests file through the API: span results in the project's label config."""


def results(text, spans):
    """Label Studio ``labels`` results (``from_name`` "label", ``to_name`` "text") for ``{"start", "end", "label"}``
    spans over ``text``, each with its cached ``value.text``."""
    return [
        {
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {
                "start": s["start"],
                "end": s["end"],
                "text": text[s["start"] : s["end"]],
                "labels": [s["label"]],
            },
        }
        for s in spans
    ]
