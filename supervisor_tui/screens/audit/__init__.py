"""The record's own history, whole: every change in the file, newest first (the audit viewer), its filter,
and one change field by field, before -> after (also opened from a record's own history)."""

from .change import ChangeScreen
from .filters import AuditFilter
from .log import AuditLogScreen

__all__ = ["AuditFilter", "AuditLogScreen", "ChangeScreen"]
