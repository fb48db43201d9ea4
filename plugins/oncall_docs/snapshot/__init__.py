"""The on-call snapshot: who is on call now and in the next weeks, as PagerDuty computed it.

Pure core (`model`, `build`, `ics`, `timeline`, `resolve`) plus one I/O edge (`store`).
"""
