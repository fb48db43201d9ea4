"""pagerduty_api."""
