"""Signals enforcement sends for other parts of the platform to listen to (points, notifications).

`problem_report_confirmed(sender=ProblemReport, report=<ProblemReport>)`: a report's handling found
the problem real — its outcome is 劝导, 已整改 or 已立案 (not 不属实). Sent once per report, inside the
transaction that recorded the outcome (a receiver that writes joins it; one that calls out should
use `transaction.on_commit`)."""

from django.dispatch import Signal

problem_report_confirmed = Signal()
