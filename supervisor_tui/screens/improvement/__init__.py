"""Improvement actions (plan, do, check, act), one screen per module:

- ``overview``: every action by stage, overdue reviews first, with its measure's before -> now (the section);
- ``page``: one action, every step of the cycle one key (Enter on an action);
- ``plan_form``: planning an action, or the next cycle of one being adjusted, with its baseline read live;
- ``forms``: the page's forms (tell the team, note, review, decide, correct), the briefing's link to an
  action, and planning one from a root cause or a weak criterion;
- ``cells``: how an action reads in the list.
"""

from .overview import ImprovementScreen
from .page import ActionPage

__all__ = ["ActionPage", "ImprovementScreen"]
