"""Which tables a release holds, their Table Schemas, and the relation each is read from.

Most resources are warehouse tables or views; the indicator catalogue is read from
`schemas/indicators.yaml`, so users get the definitions of the ids they see in observations.
A resource marked optional (facts, conflicts) is published once the warehouse has it and a
Table Schema describes it — so a release never holds a table nobody described.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import yaml

import schemas
from publish.settings import Config

CATALOGUE = Path(schemas.__file__).resolve().parent / "indicators.yaml"
CATALOGUE_RELATION = "_egov_indicator_catalogue"


def table_schema(name: str, config: Config) -> dict | None:
    """A fresh copy of the Table Schema of `name`, or None when none is written."""
    try:
        return copy.deepcopy(schemas.load(name))
    except KeyError:
        pass
    for folder in config.schema_dirs:
        path = Path(folder) / f"{name}.schema.json"
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    return None


def published(con: duckdb.DuckDBPyConnection, config: Config) -> list[dict]:
    """[{name, relation, schema}] in foreign-key order, for what this warehouse can publish."""
    present = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    ).fetchall()}
    out = []
    for spec in config.resources:
        name = spec["name"]
        relation = CATALOGUE_RELATION if spec.get("from_catalogue") else spec.get("relation", name)
        schema = table_schema(name, config)
        if spec.get("from_catalogue"):
            register_catalogue(con)
        elif relation not in present or schema is None:
            if spec.get("optional"):
                continue
            raise KeyError(f"resource {name!r}: the warehouse has no table {relation!r} or no Table Schema describes it")
        schema.setdefault("foreignKeys", []).extend(copy.deepcopy(spec.get("foreign_keys", [])))
        out.append({"name": name, "relation": relation, "schema": schema, "sort_chunk_rows": spec.get("sort_chunk_rows")})
    names = {r["name"] for r in out}
    for res in out:  # a foreign key to a resource this release does not hold cannot be checked
        keys = [fk for fk in res["schema"].get("foreignKeys", []) if fk["reference"]["resource"] in names]
        res["schema"]["foreignKeys"] = keys
        if not keys:
            res["schema"].pop("foreignKeys")
    return out


def register_catalogue(con: duckdb.DuckDBPyConnection) -> None:
    entries = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))["indicators"]
    table = pa.table({
        "indicator": [e["id"] for e in entries],
        "name_vi": [e["name_vi"] for e in entries],
        "name_en": [e["name_en"] for e in entries],
        "unit": [str(e["unit"]) for e in entries],
        "kinds": ["|".join(e["kinds"]) for e in entries],
        "definition": [" ".join(str(e["definition"]).split()) for e in entries],
    })
    con.register(CATALOGUE_RELATION, table)
