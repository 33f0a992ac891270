"""The schedules: config/schedules.toml is the source, prefect.yaml declares the same deployments."""

from __future__ import annotations

import yaml

from conftest import REPO
from extractors.registry import load_sites
from flows.schedule import deployments, load_schedules


def test_prefect_yaml_declares_the_deployments_serve_registers():
    declared = {d["name"]: d for d in yaml.safe_load((REPO / "prefect.yaml").read_text())["deployments"]}
    schedules = load_schedules()
    served = deployments(load_sites(), schedules, mirror=None, home=None)
    assert set(declared) == {d.name for d in served}
    for site in load_sites():
        cron = schedules["crawl"].get("sites", {}).get(site["id"], schedules["crawl"]["cron"])
        entry = declared[f"crawl-{site['id']}"]
        assert entry["schedules"][0]["cron"] == cron
        assert entry["parameters"] == {"sites": [site["id"]], "publish": False}
    assert declared["daily-release"]["schedules"][0]["cron"] == schedules["publish"]["cron"]


def test_malformed_schedule_file_is_one_clear_line(tmp_path):
    bad = tmp_path / "schedules.toml"
    bad.write_text("[crawl]\ncron = \n")
    try:
        load_schedules(bad)
    except ValueError as exc:
        assert str(exc).startswith(str(bad)) and "\n" not in str(exc)
    else:
        raise AssertionError("a malformed schedule file was accepted")
