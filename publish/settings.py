"""What every release says about itself: name, licence, keywords, which tables it holds."""

PACKAGE_NAME = "egov-data-vn"
TITLE = "Viet Nam digital-government indicators from government news"
DESCRIPTION = (
    "Figures on Viet Nam's digital government (Đề án 06, the National Public Service Portal, "
    "VNeID, chip-based ID cards, the national document axis, EGDI …) extracted from news "
    "articles on government and state-media sites, each with the article, sentence and "
    "character offsets it was read from."
)
LICENSES = [
    {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0",
    }
]
CONTRIBUTORS = [{"title": "egov-data", "roles": ["publisher"]}]
KEYWORDS = [
    "Viet Nam", "Việt Nam", "e-government", "chính phủ điện tử", "chính phủ số",
    "digital transformation", "chuyển đổi số", "Đề án 06", "VNeID", "open data",
]
# Published tables, in foreign-key order. `pages` and `crawl_runs` are operational: their
# figures go into the package's provenance instead.
RESOURCES = ("sources", "articles", "observations", "legal_refs")
FORMATS = {
    "csv": {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8"},
    "parquet": {"format": "parquet", "mediatype": "application/vnd.apache.parquet"},
}
FIRST_VERSION = "1.0.0"
