"""SLA's use cases: the business calendar (core.services.sla.calendar), next deadlines."""
