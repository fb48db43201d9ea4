"""Alerting rules x runbooks: every alert has a runbook, every runbook is current.

Reads top-down as the data flows: rules (files) and prometheus (a running server) give
the alerting rules; coverage and review turn rules, runbooks and the built site into
findings; view renders the Alerts page and each runbook page's header; run ties them
together for the CLI.
"""
