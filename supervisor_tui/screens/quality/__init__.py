"""Quality: the team's checks, scoring, a person's checks, calibration and the standards."""

from .overview import CalibrationScreen, MemberQualityScreen, QualityScreen, ScoreCheckScreen, StandardsScreen

__all__ = ["CalibrationScreen", "MemberQualityScreen", "QualityScreen", "ScoreCheckScreen", "StandardsScreen"]
