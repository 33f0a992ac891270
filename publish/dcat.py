"""The DCAT-AP 3 catalogue of all releases, `releases/catalog.jsonld`, for portal harvesters
(CKAN's ckanext-dcat, data.gov.vn).

One dcat:Dataset per release — old versions stay findable and citable — each linked to the
one before (dcat:previousVersion) and carrying one dcat:Distribution per downloadable file,
with licence, checksum, size and media type. Download URLs are absolute (the `base_url` of
release.toml), because a harvester copies them out of context.
"""

from __future__ import annotations

from publish.settings import Config

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "adms": "http://www.w3.org/ns/adms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}
FILE_TYPES = {  # EU file-type authority table
    "csv": "http://publications.europa.eu/resource/authority/file-type/CSV",
    "parquet": "http://publications.europa.eu/resource/authority/file-type/PARQUET",
    "duckdb": "http://publications.europa.eu/resource/authority/file-type/BIN",
    "json": "http://publications.europa.eu/resource/authority/file-type/JSON",
}
IANA = "http://www.iana.org/assignments/media-types/"


def _lit(value: str, datatype: str | None = None, lang: str | None = None) -> dict:
    out = {"@value": value}
    if datatype:
        out["@type"] = datatype
    if lang:
        out["@language"] = lang
    return out


def catalogue(packages: list[dict], config: Config) -> dict:
    base = config.dcat["base_url"].rstrip("/") + "/"
    publisher = {"@id": config.dcat["publisher_uri"], "@type": "foaf:Agent",
                 "foaf:name": config.dcat["publisher_name"]}
    datasets = [_dataset(p, packages[i - 1] if i else None, base, publisher, config) for i, p in enumerate(packages)]
    modified = packages[-1]["created"] if packages else None
    graph = {
        "@id": base + "catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": [_lit(config.package["title"], lang="en"), _lit(config.package["title_vi"], lang="vi")],
        "dct:description": _lit(config.package["description"], lang="en"),
        "dct:publisher": publisher,
        "foaf:homepage": {"@id": base + "index.html", "@type": "foaf:Document"},
        "dct:language": {"@id": config.dcat["language"], "@type": "dct:LinguisticSystem"},
        "dct:spatial": {"@id": config.dcat["spatial"], "@type": "dct:Location"},
        "dct:license": _licence(config),
        "dcat:dataset": datasets,
    }
    if modified:
        graph["dct:modified"] = _lit(modified, "xsd:dateTime")
    return {"@context": CONTEXT, "@graph": [graph]}


def _licence(config: Config) -> dict:
    return {"@id": config.dcat["license"], "@type": "dct:LicenseDocument"}


def _dataset(pkg: dict, previous: dict | None, base: str, publisher: dict, config: Config) -> dict:
    version = pkg["version"]
    url = f"{base}{version}/"
    start, end = pkg.get("egov:coverage", {}).get("start"), pkg.get("egov:coverage", {}).get("end")
    ds = {
        "@id": url + "datapackage.json#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": _lit(f"{pkg['name']}@{version}"),
        "dct:title": [_lit(f"{config.package['title']} {version}", lang="en"),
                      _lit(f"{config.package['title_vi']} {version}", lang="vi")],
        "dct:description": _lit(pkg["description"], lang="en"),
        "dcat:version": _lit(version),
        "dct:issued": _lit(pkg["created"], "xsd:dateTime"),
        "dct:publisher": publisher,
        "dct:language": {"@id": config.dcat["language"], "@type": "dct:LinguisticSystem"},
        "dct:spatial": {"@id": config.dcat["spatial"], "@type": "dct:Location"},
        "dcat:theme": {"@id": config.dcat["theme"], "@type": "skos:Concept",
                       "skos:prefLabel": _lit(config.dcat["theme_label"], lang="en")},
        "dcat:keyword": [_lit(k, lang="en") for k in config.keywords["en"]]
                        + [_lit(k, lang="vi") for k in config.keywords["vi"]],
        "dcat:landingPage": {"@id": url + "index.html", "@type": "foaf:Document"},
        "dcat:distribution": [_distribution(r, url, config) for r in pkg["resources"]]
                             + [_distribution(_package_file(pkg), url, config)],
    }
    if start and end:
        ds["dct:temporal"] = {"@type": "dct:PeriodOfTime",
                              "dcat:startDate": _lit(start, "xsd:date"), "dcat:endDate": _lit(end, "xsd:date")}
    if previous:
        ds["dcat:previousVersion"] = {"@id": f"{base}{previous['version']}/datapackage.json#dataset"}
    return ds


def _package_file(pkg: dict) -> dict:
    return {"name": "datapackage", "path": "datapackage.json", "format": "json", "mediatype": "application/json",
            "title": "Frictionless Data Package descriptor",
            "description": "Table Schemas, licence, sources, provenance and checksums of every file."}


def _distribution(res: dict, url: str, config: Config) -> dict:
    dist = {
        "@id": url + res["path"],
        "@type": "dcat:Distribution",
        "dct:title": _lit(res.get("title", res["name"]), lang="en"),
        "dct:description": _lit(res.get("description", ""), lang="en"),
        "dcat:accessURL": {"@id": url + res["path"]},
        "dcat:downloadURL": {"@id": url + res["path"]},
        "dct:license": _licence(config),
        "dct:format": {"@id": FILE_TYPES[res["format"]], "@type": "dct:MediaTypeOrExtent"},
        "dcat:mediaType": {"@id": IANA + res["mediatype"], "@type": "dct:MediaType"},
    }
    if "bytes" in res:
        dist["dcat:byteSize"] = _lit(str(res["bytes"]), "xsd:decimal")
    if "hash" in res:
        dist["spdx:checksum"] = {"@type": "spdx:Checksum",
                                 "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"},
                                 "spdx:checksumValue": _lit(res["hash"].split(":", 1)[1], "xsd:hexBinary")}
    return dist
