"""Token-level span helpers shared by the tests that compare against seqeval and nervaluate."""

from hypothesis import strategies as st


def iob2(n_tokens, spans):
    """IOB2 tags for ``(start_token, end_token, label)`` spans (end exclusive, non-overlapping)."""
    tags = ["O"] * n_tokens
    for start, end, label in spans:
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def non_overlapping(spans):
    """The spans that do not overlap an earlier one, in order."""
    out, taken = [], set()
    for s in spans:
        cells = set(range(s[0], s[1]))
        if not cells & taken:
            out.append(s)
            taken |= cells
    return out


def token_spans(n_tokens, labels):
    """A strategy for one ``(start_token, end_token, label)`` span of 1 to 3 tokens."""
    return st.tuples(st.integers(0, n_tokens - 1), st.integers(1, 3), st.sampled_from(labels)).map(
        lambda t: (t[0], min(t[0] + t[1], n_tokens), t[2])
    )
