"""Quality, one screen per module:

- ``overview``: the team's checks at a glance, what is due, the team's weakest criteria (the section);
- ``score``: scoring a check by keyboard, then the feedback (s);
- ``member``: one person's checks over time (Enter on a person);
- ``standards``: the standards and their criteria, edited as new editions (S);
- ``calibration``: the calibration sessions, newest first; start or score one (C);
- ``calibration_session``: one session, where its scorers differ (Enter on a session).
"""

from .calibration import CalibrationScreen
from .calibration_session import CalibrationSessionScreen
from .member import MemberQualityScreen
from .overview import QualityScreen
from .score import ScoreCheckScreen
from .standards import StandardsScreen

__all__ = [
    "CalibrationScreen",
    "CalibrationSessionScreen",
    "MemberQualityScreen",
    "QualityScreen",
    "ScoreCheckScreen",
    "StandardsScreen",
]
