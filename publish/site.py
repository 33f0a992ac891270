"""The static HTML catalogue: `releases/index.html` and `<release>/index.html`.

A release's page is written into its staging folder before the gate's move, so it is as
immutable as the data it describes; the releases index and the DCAT-AP catalogue are
rewritten after each release. Plain HTML + inline SVG: no scripts, no network assets.
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import yaml

from publish import catalog, charts, dcat, tables
from publish.settings import Config

ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=True, trim_blocks=True, lstrip_blocks=True)


def write_release_page(folder: Path, descriptor: dict, diff: dict, config: Config) -> None:
    names = {e["id"]: e for e in yaml.safe_load(tables.CATALOGUE.read_text(encoding="utf-8"))["indicators"]}
    found = charts.series(folder / "data" / "observations.parquet")
    chart_list = [
        {"indicator": ind, "name_en": names.get(ind, {}).get("name_en", ind),
         "name_vi": names.get(ind, {}).get("name_vi", ""), "unit": names.get(ind, {}).get("unit", ""),
         "svg": charts.svg(ind, lines)}
        for ind, lines in sorted(found.items())
    ]
    page = ENV.get_template("release.html").render(
        package=descriptor, changes=diff, charts=chart_list,
        tables=[r for r in descriptor["resources"] if r.get("type") == "table"],
    )
    (folder / "index.html").write_text(page, encoding="utf-8")


def write_catalogues(releases_dir: Path, config: Config) -> None:
    cat = catalog.read(releases_dir)
    releases = list(reversed(cat["releases"]))
    page = ENV.get_template("catalogue.html").render(package=config.package, releases=releases, latest=cat["latest"])
    catalog.write_atomic(releases_dir / "index.html", page)
    packages = [json.loads((releases_dir / r["path"]).read_text(encoding="utf-8")) for r in cat["releases"]]
    graph = dcat.catalogue(packages, config)
    catalog.write_atomic(releases_dir / "catalog.jsonld", json.dumps(graph, ensure_ascii=False, indent=2))
