"""The rules and the work: submit, verify, resend, schedule, send. Never imports Qt."""
