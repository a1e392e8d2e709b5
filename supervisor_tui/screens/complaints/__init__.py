"""Complaints, one screen per module:

- ``overview``: the open complaints by urgency, search, and the root-cause chart (the section);
- ``page``: one complaint, every step one key (Enter on a complaint);
- ``forms``: logging a complaint, the policy and period, and each step's form on the page;
- ``cells``: how a complaint's clocks read and are styled.

A complaint's repairs and replacements are ``screens.repairs``.
"""

from .overview import ComplaintsScreen
from .page import ComplaintPage

__all__ = ["ComplaintPage", "ComplaintsScreen"]
