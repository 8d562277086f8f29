"""What the flows share: running steps with or without Prefect, artifact keys, mail checks."""

from __future__ import annotations


def test_artifact_keys_hold_only_lowercase_digits_and_dashes():
    from spreiding.flows.runs import artifact_key

    assert artifact_key("regional-opportunities", 2024, "counts") == (
        "regional-opportunities-2024-counts"
    )
    # Stored text in a key never fails the run: other characters become dashes.
    assert artifact_key("Regionale kansen", 2024) == "regionale-kansen-2024"
