"""The Data protection section: personal data due for erasure under the retention schedule, legal holds,
and subject access requests (UK GDPR Arts. 5(1)(e), 12, 15, 17)."""
