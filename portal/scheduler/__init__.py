"""Tour scheduler: allocate theatre performances to school requests (pure Python, no web app).

ortools is imported lazily inside the solver so that importing this package stays light.
"""

from .checker import CheckResult, check, parse_instance
from .model import Instance, InstanceError
from .solver import solve

__all__ = ["CheckResult", "Instance", "InstanceError", "check", "parse_instance", "solve"]
