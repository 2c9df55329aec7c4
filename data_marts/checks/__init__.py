"""Data checks: identifier check digits (GB 11643, GB 32100), the row-rule vocabulary, set-level checks.

Row rules (``rules``) decide at ingest whether a record loads or goes to quarantine; set-level checks
(``dataset``) are queries over the loaded tables that report offending rows without rejecting them.
"""

from data_marts.checks import credit_code, idcard
from data_marts.checks.rules import KINDS, Check, UnknownRuleError, checks_for, evaluate, validate_contract

__all__ = ["KINDS", "Check", "UnknownRuleError", "checks_for", "credit_code", "evaluate", "idcard",
           "validate_contract"]
