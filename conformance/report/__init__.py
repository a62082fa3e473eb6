"""Results model and renderers: results.json, report.html and the text summary.

The plugin writes one journal record per finished test; everything here reads
that journal (conformance/report/model.py) and never runs a test.
"""

from __future__ import annotations

from conformance.report.html import render_html
from conformance.report.model import (
    EXIT_FAILED,
    EXIT_HARNESS,
    EXIT_OK,
    SEVERITY,
    VERDICTS,
    Journal,
    RequirementVerdict,
    Result,
    RunInfo,
    Summary,
    exit_status,
    read_journal,
    summarize,
    worst,
)
from conformance.report.results_json import SCHEMA_VERSION, build_results, load_schema
from conformance.report.rundir import Rendered, create_run_dir, read_run_info, render_run
from conformance.report.summary import format_summary

__all__ = [
    "EXIT_FAILED",
    "EXIT_HARNESS",
    "EXIT_OK",
    "SCHEMA_VERSION",
    "SEVERITY",
    "VERDICTS",
    "Journal",
    "Rendered",
    "RequirementVerdict",
    "Result",
    "RunInfo",
    "Summary",
    "build_results",
    "create_run_dir",
    "exit_status",
    "format_summary",
    "load_schema",
    "read_journal",
    "read_run_info",
    "render_html",
    "render_run",
    "summarize",
    "worst",
]
