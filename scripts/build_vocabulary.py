"""Derive pipeline/data/schemaorg-vocabulary.json from a schema.org release file.

Run: python scripts/build_vocabulary.py /work/shared/schemaorg/schemaorg-current-https.jsonld
The output keeps only what the vocabulary check reads: class parents, property domains,
enumeration members and superseded terms, with keys sorted so a rebuild diffs cleanly.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

RELEASE = "30.0"
OUTPUT = Path(__file__).resolve().parents[1] / "pipeline" / "data" / "schemaorg-vocabulary.json"
PREFIX = "schema:"


def _ids(value: Any) -> list[str]:  # noqa: ANN401 - raw JSON-LD from the release file
    items = value if isinstance(value, list) else [value] if value else []
    return sorted(
        item["@id"].removeprefix(PREFIX)
        for item in items
        if isinstance(item, dict) and str(item.get("@id", "")).startswith(PREFIX)
    )


def _types(node: dict[str, Any]) -> list[str]:
    raw = node.get("@type", [])
    return raw if isinstance(raw, list) else [raw]


def compact(release: dict[str, Any]) -> dict[str, Any]:
    """Return the compact vocabulary: classes, properties, enumeration members, superseded terms."""
    types: dict[str, list[str]] = {}
    properties: dict[str, list[str]] = {}
    members: dict[str, list[str]] = {}
    superseded: dict[str, str] = {}
    for node in release["@graph"]:
        term = str(node["@id"])
        if not term.startswith(PREFIX):
            continue
        name = term.removeprefix(PREFIX)
        kinds = _types(node)
        if "rdfs:Class" in kinds:
            types[name] = _ids(node.get("rdfs:subClassOf"))
        elif "rdf:Property" in kinds:
            properties[name] = _ids(node.get("schema:domainIncludes"))
        else:
            members[name] = sorted(k.removeprefix(PREFIX) for k in kinds if k.startswith(PREFIX))
        replacement = _ids(node.get("schema:supersededBy"))
        if replacement:
            superseded[name] = replacement[0]
    return {
        "release": RELEASE,
        "types": dict(sorted(types.items())),
        "properties": dict(sorted(properties.items())),
        "members": dict(sorted(members.items())),
        "superseded": dict(sorted(superseded.items())),
    }


def main() -> None:
    """Read the release file named on the command line and write the compact file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("release_file", type=Path)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    arguments = parser.parse_args()
    raw = arguments.release_file.read_bytes()
    vocabulary = compact(json.loads(raw))
    vocabulary["source"] = {
        "file": f"data/releases/{RELEASE}/{arguments.release_file.name}",
        "sha256": hashlib.sha256(raw).hexdigest(),
    }
    text = json.dumps(vocabulary, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    arguments.output.write_text(text, encoding="utf-8")
    print(f"wrote {arguments.output} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
