"""Orchestration: the Prefect flows and the `egov` command line. No stage logic lives here."""
