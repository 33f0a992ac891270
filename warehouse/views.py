"""Views users query: the questions people come to the warehouse with, one short query each."""

VIEWS = {
    "indicator_series": """
CREATE OR REPLACE VIEW indicator_series AS
SELECT indicator, area, as_of, period_start, kind, change,
       max(value) AS value, any_value(qualifier) AS qualifier,
       count(DISTINCT article_id) AS sources,
       list(DISTINCT value ORDER BY value) AS reported_values
FROM observations
WHERE indicator IS NOT NULL
GROUP BY ALL
ORDER BY indicator, area, as_of
""",
    "latest_indicators": """
CREATE OR REPLACE VIEW latest_indicators AS
SELECT * FROM indicator_series
WHERE NOT change AND period_start IS NULL
QUALIFY row_number() OVER (PARTITION BY indicator, area ORDER BY as_of DESC) = 1
""",
    "articles_by_site": """
CREATE OR REPLACE VIEW articles_by_site AS
SELECT a.source_id, count(*) AS articles, min(a.published) AS first_published,
       max(a.published) AS last_published, coalesce(sum(o.n), 0) AS observations
FROM articles a
LEFT JOIN (SELECT article_id, count(*) AS n FROM observations GROUP BY article_id) o USING (article_id)
GROUP BY a.source_id
ORDER BY a.source_id
""",
}
