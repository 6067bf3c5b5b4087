"""Synthetic national inbox: realistic, messy site exports with a manifest of known defects.

`generate_inbox(inbox, seed=…, scale=…, last_period=…)` writes, for every site and semester since
2016, the parcours, personnel and suivi files as each site's office software would, plus the national
re-incarceration extract; the manifest beside the inbox lists every injected defect.
"""

from generator.inbox import FIRST_PERIOD, GenerationSummary, generate_inbox
from generator.manifest import manifest_path_for

__all__ = ["FIRST_PERIOD", "GenerationSummary", "generate_inbox", "manifest_path_for"]
