"""One-to-ones, one screen per module:

- ``overview``: each person's last meeting, open actions and objectives, and what is due (the section);
- ``meeting``: recording a meeting with its feedback and agreed actions (r);
- ``member``: a person's meetings, responses, objectives and improvement plan (Enter on a person);
- ``forms``: that page's forms: their response, a corrected note, an objective, a plan and its reviews.
"""

from .meeting import RecordMeetingScreen
from .member import MemberOneToOnesScreen
from .overview import OneToOnesScreen

__all__ = ["MemberOneToOnesScreen", "OneToOnesScreen", "RecordMeetingScreen"]
