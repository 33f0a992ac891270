"""Views users query: the questions people come to the warehouse with, one short query each.

Each entry is only the SELECT; ddl.create_view wraps it in a projection generated from the
view's Table Schema (schemas/<view>.schema.json), so the columns users see — and the ones
`facts` and `conflicts` are published with — are the documented ones. Keys that may be NULL
(period_start, denominator) are only ever grouped or partitioned on, never joined on, since
NULL = NULL is not true in a join. Examples of each: docs/queries.md.
"""

# Qualifier preference on a tie: the most precise statement first.
QUALIFIER_ORDER = "['exact', 'approx', 'at_least', 'at_most']"
KEYS = "indicator, area, as_of, period_start, kind, change"


def _hash16(*parts: str) -> str:
    """SQL for a stable 16-hex id of some expressions (NULL written as '', so no part shifts)."""
    joined = ", ".join(f"coalesce(CAST({p} AS VARCHAR), '')" for p in parts)
    return f"substr(sha256(concat_ws(chr(31), {joined})), 1, 16)"


VIEWS = {
    "facts": f"""
WITH stated AS (
  -- "thứ 86" and "thứ 86/193" are one figure: a report that leaves the denominator out takes
  -- the one the other reports of the same value give, when they agree on one.
  SELECT {KEYS}, value, qualifier, source_id, article_id,
         coalesce(denominator, CASE WHEN min(denominator) OVER same = max(denominator) OVER same
                                    THEN min(denominator) OVER same END) AS denominator
  FROM observations
  WHERE indicator IS NOT NULL
  WINDOW same AS (PARTITION BY {KEYS}, value)
),
obs AS (
  SELECT *, count(*) OVER (PARTITION BY {KEYS}, value, denominator, qualifier) AS qualifier_n
  FROM stated
)
SELECT {_hash16('indicator', 'area', 'as_of', 'period_start', 'kind', 'change', 'value', 'denominator')} AS fact_id,
       {KEYS}, value, denominator,
       first(qualifier ORDER BY qualifier_n DESC, list_position({QUALIFIER_ORDER}, qualifier)) AS qualifier,
       count(DISTINCT source_id) AS n_sources,
       count(DISTINCT article_id) AS n_articles,
       array_to_string(list_sort(list_distinct(list(source_id))), ';') AS source_ids,
       array_to_string(list_sort(list_distinct(list(article_id))), ';') AS article_ids
FROM obs
GROUP BY {KEYS}, value, denominator
""",
    "conflicts": f"""
SELECT {_hash16("'conflict'", 'indicator', 'area', 'as_of', 'period_start', 'kind', 'change')} AS conflict_id,
       {KEYS},
       array_to_string(list(value_text ORDER BY value, denominator), ';') AS "values",
       count(*) AS n_values,
       array_to_string(list(fact_id ORDER BY value, denominator), ';') AS fact_ids
FROM (
  SELECT *,
         CASE WHEN value = trunc(value) AND abs(value) < 1e18 THEN CAST(CAST(value AS HUGEINT) AS VARCHAR)
              ELSE CAST(value AS VARCHAR) END
         || CASE WHEN denominator IS NULL THEN ''
                 ELSE '/' || CASE WHEN denominator = trunc(denominator) THEN CAST(CAST(denominator AS HUGEINT) AS VARCHAR)
                                  ELSE CAST(denominator AS VARCHAR) END END AS value_text
  FROM facts
)
GROUP BY {KEYS}
HAVING count(*) > 1
""",
    "indicator_series": f"""
SELECT {KEYS}, value, denominator, qualifier, n_sources, n_articles, source_ids,
       count(*) OVER (PARTITION BY {KEYS}) AS n_values, fact_id
FROM facts
QUALIFY row_number() OVER (
  PARTITION BY {KEYS}
  ORDER BY n_articles DESC, list_position({QUALIFIER_ORDER}, qualifier), value DESC, denominator
) = 1
ORDER BY indicator, area, as_of, period_start NULLS FIRST, kind, change
""",
    "latest_indicators": """
SELECT * FROM indicator_series
WHERE NOT change AND period_start IS NULL
QUALIFY row_number() OVER (PARTITION BY indicator, area, kind ORDER BY as_of DESC) = 1
ORDER BY indicator, area, kind
""",
    "articles_by_site": """
SELECT a.source_id, count(*) AS articles, min(a.published) AS first_published,
       max(a.published) AS last_published, coalesce(sum(o.n), 0) AS observations,
       coalesce(sum(o.n_indicator), 0) AS indicator_observations, coalesce(sum(l.n), 0) AS legal_refs
FROM articles a
LEFT JOIN (SELECT article_id, count(*) AS n, count(indicator) AS n_indicator
           FROM observations GROUP BY article_id) o USING (article_id)
LEFT JOIN (SELECT article_id, count(*) AS n FROM legal_refs GROUP BY article_id) l USING (article_id)
GROUP BY a.source_id
ORDER BY a.source_id
""",
    "crawl_health": """
SELECT f.run_id, r.started_at, f.source_id,
       count(*) AS pages,
       count(*) FILTER (WHERE f.failure_kind IS NULL AND NOT coalesce(f.unchanged, false)) AS fetched,
       count(*) FILTER (WHERE f.failure_kind IS NULL AND coalesce(f.unchanged, false)) AS unchanged,
       count(*) FILTER (WHERE f.failure_kind = 'fetch') AS fetch_failed,
       count(*) FILTER (WHERE f.failure_kind = 'parse') AS parse_failed,
       round((fetch_failed + parse_failed) / count(*), 4) AS failure_rate,
       min(f.error) AS first_error
FROM page_fetches f
LEFT JOIN crawl_runs r USING (run_id)
GROUP BY f.run_id, r.started_at, f.source_id
ORDER BY r.started_at, f.source_id
""",
}
